"""An exam's answer key (``*-key.json``, written by ``tutor exam``) read back for grading:
each question solved again from its kind and raw inputs, with its named mistakes (so a wrong
typed answer equal to a distractor's value is told which mistake it is) and, for a
multiple-choice question, the text of each option by its letter and the letter of each
mistake (for the report)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor import topics
from tutor.checking import bounded
from tutor.checking.check import Question
from tutor.core.errors import TutorError
from tutor.exams import choices

MAX_KEY_BYTES = 2_000_000


@dataclass(frozen=True)
class Key:
    title: str
    questions: list[Question]
    labels: dict[int, dict[str, str]]  # question number -> mistake -> option letter


def _question(q: Any, number: int, budget: bounded.Budget | None) -> tuple[Question, dict[str, str]]:
    where = f"key question {number}"
    if not isinstance(q, dict) or q.get("number") != number or not isinstance(q.get("inputs"), dict):
        raise TutorError(f"{where}: not a question of a tutor exam key (number, kind, inputs)")
    kind = q.get("kind")
    if kind not in topics.all_kinds():
        raise TutorError(f"{where}: unknown kind {kind!r}")
    solution = bounded.run(f"{where} ({kind})", budget, lambda: topics.solve(kind, **q["inputs"]))
    named = tuple(choices.distractors(kind, solution.problem.inputs, solution.answer))
    options = q.get("choices") or []
    if not isinstance(options, list) or not all(isinstance(c, dict) and isinstance(c.get("label"), str)
                                                and isinstance(c.get("answer_text"), str) for c in options):
        raise TutorError(f"{where}: choices must be a list of {{label, answer_text, mistake}}")
    letters = {c["label"].lower(): c["answer_text"] for c in options}
    labels = {c["mistake"]: c["label"].lower() for c in options if c.get("mistake")}
    # the mistakes the options stand for first, in the key's own words (the catalogue may have grown)
    by_name = dict(named)
    ordered = tuple((m, by_name[m]) for m in labels if m in by_name) + tuple(
        (m, a) for m, a in named if m not in labels)
    return Question(solution, ordered, letters), labels


def load_key(path: str | Path, budget: bounded.Budget | None = None) -> Key:
    """Read and solve an exam key; every defect is one TutorError naming its place."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_KEY_BYTES:
            raise TutorError(f"{path.name}: a key larger than {MAX_KEY_BYTES} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TutorError(f"cannot read the key {path.name}: {type(e).__name__}") from None
    raw = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise TutorError(f"{path.name}: no questions (is it a *-key.json written by tutor exam?)")
    questions, labels = [], {}
    for number, q in enumerate(raw, start=1):
        question, labels[number] = _question(q, number, budget)
        questions.append(question)
    title = str(data.get("title") or "Exam") + (f", version {data['version']}" if data.get("version") else "")
    return Key(title, questions, labels)


__all__ = ["Key", "load_key"]
