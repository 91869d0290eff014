"""Exams: a spec (TOML or ``--topics``) -> drawn variants -> exam, solutions, key, Moodle XML.

The Moodle XML itself is :mod:`tutor.exams.moodle` (Cloze questions a stock Moodle grades);
:mod:`tutor.exams.stack` writes STACK questions graded by property.

As in R/exams, one random draw per version feeds every document of that version:
the exam (name/ID box, points, room to write), its worked solutions (same numbering)
and its answer key (kind, raw inputs and typed answer of each question: enough to grade
without drawing again).  The kind of each question is drawn once, from ``"s:kinds"``; version
``k`` of seed ``s`` draws its variants from ``random.Random("s:k")``, each matched to version
A's (same size, solutions within ±20% as long: :mod:`tutor.exams.balance`).  The same seed
and spec give the same variants, and byte-identical ``.tex`` and PDF.

```toml
title = "Midterm"
course = "Mathematics for Machine Learning"
date = "14 March 2025"
instructions = "No calculators. Show your work."
seed = 42
versions = 2            # A, B, ...
difficulty = 2          # 1..3, default for every entry
cover = true            # a cover page with the points table

[[question]]
topics = ["systems"]    # kind names or topic names (a topic draws a mix of its kinds)
count = 2
points = 10
title = "Linear systems" # optional
difficulty = 1          # optional
```
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from tutor.exams import balance, canvas, choices, generators, packaging, qti
from tutor import topics
from tutor.rendering import render
from tutor.rendering.dialects import Raw
from tutor.core.errors import TutorError
from tutor.exams.generators.forms import answer_text
from tutor.exams.moodle import moodle_xml
from tutor.exams.stack import stack_xml
from tutor.topics.sheets import read_toml

MAX_QUESTIONS = 60
MAX_VERSIONS = 26
MAX_SEED = 2 ** 63
MAX_SPEC_BYTES = 100_000
VERSION_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# ---------------------------------------------------------------- the spec

@dataclass(frozen=True)
class Entry:
    """Some questions drawn from a pool of kinds (one or a topic's)."""

    topics: tuple[str, ...]
    count: int = 1
    points: int = 10
    difficulty: int | None = None
    title: str = ""


@dataclass(frozen=True)
class ExamSpec:
    title: str = "Exam"
    course: str = ""
    date: str = ""
    instructions: str = ""
    seed: int = 0
    versions: int = 1
    difficulty: int = 2
    cover: bool = False
    entries: tuple[Entry, ...] = ()
    multiple_choice: bool = False  # distractors from named mistakes (tutor.exams.choices)
    name: str = "exam"  # file name stem


def topic_names() -> list[str]:
    return sorted({k.topic for k in topics.all_kinds().values()})


def resolve(topic: str) -> tuple[str, ...]:
    """The kinds a ``--topics`` word stands for: a kind name first, else a topic's kinds."""
    known = topics.all_kinds()
    word = topic.strip()
    if word in known:
        return (word,)
    pool = tuple(sorted(n for n, k in known.items() if k.topic == word))
    if not pool:
        raise TutorError(f"unknown topic or kind {word!r}; topics: {', '.join(topic_names())}; "
                         f"kinds: {', '.join(sorted(known))}")
    return pool


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _int(data: dict[str, Any], key: str, default: int, low: int, high: int, where: str) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise TutorError(f"{where}: {key} must be an integer from {low} to {high}, not {value!r}")
    return value


def _text(data: dict[str, Any], key: str, where: str) -> str:
    """Text of the spec; no control characters (one in a title made Moodle XML that does not
    parse: XML 1.0 has no way to write them)."""
    value = data.get(key, "")
    if not isinstance(value, str):
        raise TutorError(f"{where}: {key} must be text")
    bad = _CONTROL.search(value)
    if bad:
        raise TutorError(f"{where}: {key} contains the control character U+{ord(bad.group()):04X}")
    return value


def spec_from_mapping(data: dict[str, Any], *, name: str = "exam") -> ExamSpec:
    """Validate a parsed spec; every mistake is one TutorError naming its place."""
    known = {"title", "course", "date", "instructions", "seed", "versions", "difficulty", "cover",
             "multiple_choice", "question"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TutorError(f"exam spec: unknown key(s) {', '.join(unknown)}")
    entries_raw = data.get("question", [])
    if not isinstance(entries_raw, list) or not entries_raw:
        raise TutorError("exam spec: no [[question]] entries")
    difficulty = _int(data, "difficulty", 2, 1, 3, "exam spec")
    entries = []
    for number, e in enumerate(entries_raw, start=1):
        where = f"exam spec, question entry {number}"
        if not isinstance(e, dict):
            raise TutorError(f"{where}: must be a table")
        extra = sorted(set(e) - {"topics", "count", "points", "difficulty", "title"})
        if extra:
            raise TutorError(f"{where}: unknown key(s) {', '.join(extra)}")
        topics = e.get("topics")
        if isinstance(topics, str):
            topics = [t for t in topics.split(",") if t.strip()]
        if not isinstance(topics, list) or not topics or not all(isinstance(t, str) for t in topics):
            raise TutorError(f"{where}: topics must be a list of kind or topic names")
        for t in topics:
            resolve(t)
        entries.append(Entry(tuple(t.strip() for t in topics), _int(e, "count", 1, 1, MAX_QUESTIONS, where),
                             _int(e, "points", 10, 0, 1000, where),
                             _int(e, "difficulty", difficulty, 1, 3, where), _text(e, "title", where)))
    if sum(e.count for e in entries) > MAX_QUESTIONS:
        raise TutorError(f"exam spec: more than {MAX_QUESTIONS} questions")
    cover = data.get("cover", False)
    multiple_choice = data.get("multiple_choice", False)
    if not isinstance(cover, bool) or not isinstance(multiple_choice, bool):
        raise TutorError("exam spec: cover and multiple_choice must be true or false")
    return ExamSpec(title=_text(data, "title", "exam spec") or "Exam",
                    course=_text(data, "course", "exam spec"), date=_text(data, "date", "exam spec"),
                    instructions=_text(data, "instructions", "exam spec"),
                    seed=_int(data, "seed", 0, 0, MAX_SEED, "exam spec"),
                    versions=_int(data, "versions", 1, 1, MAX_VERSIONS, "exam spec"),
                    difficulty=difficulty, cover=cover, entries=tuple(entries), name=name,
                    multiple_choice=multiple_choice)


def load_spec(path: str | Path) -> ExamSpec:
    """Read and validate an exam spec (TOML)."""
    path = Path(path)
    return spec_from_mapping(read_toml(path, "exam spec", MAX_SPEC_BYTES), name=path.stem)


def spec_from_topics(topics: Sequence[str], *, count: int, seed: int, difficulty: int = 2,
                     points: int = 10, title: str = "Exam") -> ExamSpec:
    """``--topics a,b,c --count n``: n questions spread over the words in turn."""
    words = [t.strip() for t in topics if t.strip()]
    if not words:
        raise TutorError("--topics: give at least one kind or topic name")
    if not 1 <= count <= MAX_QUESTIONS:
        raise TutorError(f"--count must be from 1 to {MAX_QUESTIONS}")
    generators.check_difficulty(difficulty)
    counts = [count // len(words) + (k < count % len(words)) for k in range(len(words))]
    data = {"title": title, "seed": seed, "difficulty": difficulty,
            "question": [{"topics": [w], "count": c, "points": points} for w, c in zip(words, counts) if c]}
    return spec_from_mapping(data, name="exam")


# ---------------------------------------------------------------- drawing

@dataclass(frozen=True)
class Question:
    number: int
    points: int
    title: str
    variant: generators.Variant

    @property
    def kind(self) -> str:
        return self.variant.kind


@dataclass(frozen=True)
class Exam:
    spec: ExamSpec
    version: int  # 0-based
    questions: tuple[Question, ...] = field(default=())

    @property
    def label(self) -> str:
        """``A``, ``B``, ... when the spec has several versions, else empty."""
        return VERSION_NAMES[self.version] if self.spec.versions > 1 else ""

    @property
    def stem(self) -> str:
        return f"{self.spec.name}-{self.spec.seed}" + (f"-{self.label}" if self.label else "")

    @property
    def total(self) -> int:
        return sum(q.points for q in self.questions)


def version_rng(seed: int, version: int) -> random.Random:
    return random.Random(f"{seed}:{version}")


def question_kinds(spec: ExamSpec) -> list[tuple[Entry, str]]:
    """The entry and kind of every question, drawn once from the seed: every version asks the
    same kind at the same place.  A topic's questions are a mix: every kind of the pool once
    before any repeats."""
    rng = random.Random(f"{spec.seed}:kinds")
    out: list[tuple[Entry, str]] = []
    for entry in spec.entries:
        pool = [k for t in entry.topics for k in resolve(t)]
        order: list[str] = []
        for _ in range(entry.count):
            if not order:
                order = pool[:]
                rng.shuffle(order)
            out.append((entry, order.pop()))
    return out


def draw_versions(spec: ExamSpec) -> list[Exam]:
    """Every version of the exam, question by question (:mod:`~tutor.exams.balance`): the versions
    of one question are the same kind and size, their worked solutions within ±20% as long; no
    two variants of one version are identical."""
    rngs = [version_rng(spec.seed, v) for v in range(spec.versions)]
    seen: list[set[str]] = [set() for _ in rngs]
    columns: list[list[Question]] = [[] for _ in rngs]
    for number, (entry, kind) in enumerate(question_kinds(spec), start=1):
        variants = balance.draw_question(kind, rngs, entry.difficulty or spec.difficulty, seen,
                                         where=f"question {number}")
        for held, column, variant in zip(seen, columns, variants):
            held.add(variant.signature)
            column.append(Question(number, entry.points, entry.title, variant))
    return [Exam(spec, v, tuple(column)) for v, column in enumerate(columns)]


def draw_exam(spec: ExamSpec, version: int = 0) -> Exam:
    """One version of the exam (drawn with all the others: versions are balanced together)."""
    if not 0 <= version < spec.versions:
        raise TutorError(f"version {version} of an exam of {spec.versions} version(s)")
    return draw_versions(spec)[version]


# ---------------------------------------------------------------- documents

def answer_space(question: Question) -> float:
    """Centimetres of room to write: grows with the length of the worked solution."""
    steps = sum(1 for _ in question.variant.solution.walk())  # metrics() would also write the JSON
    return round(min(14.0, 3.0 + 0.2 * steps), 1)


@dataclass(frozen=True)
class _Choice:
    label: str
    text: Raw  # LaTeX math
    mistake: str | None


@dataclass(frozen=True)
class _Item:
    number: int
    points: int
    title: str
    statement: Raw
    solution: Raw
    space: str  # a TeX length
    options: tuple[_Choice, ...] = ()


def _items(exam: Exam, fmt: str = "latex", with_solutions: bool = False) -> list[_Item]:
    out = []
    for q in exam.questions:
        sol = q.variant.solution
        options = tuple(_Choice(o.label, Raw(o.text("latex")), o.mistake)
                        for o in choices.question_options(exam, q) or ())
        out.append(_Item(q.number, q.points, q.title, Raw(render.statement_body(sol, fmt)),
                         Raw(render.solution_body(sol, fmt) if with_solutions else ""),
                         f"{answer_space(q)}cm", options))
    return out


def _render(exam: Exam, template: str, with_solutions: bool) -> str:
    s = exam.spec
    doc = render.environment("latex").get_template(f"documents/{template}.tex.j2")
    return render.collapse_blank_lines(doc.render(
        title=s.title, course=s.course, date=s.date, instructions=s.instructions, cover=s.cover,
        version=exam.label, seed=s.seed, total=exam.total, items=_items(exam, "latex", with_solutions)))


def exam_tex(exam: Exam) -> str:
    return _render(exam, "exam", with_solutions=False)


def solutions_tex(exam: Exam) -> str:
    return _render(exam, "solutions", with_solutions=True)


def key(exam: Exam) -> dict[str, Any]:
    """The answer key: per question its kind, raw inputs (rebuildable) and typed answer."""
    s = exam.spec
    return {
        "title": s.title, "course": s.course, "date": s.date, "seed": s.seed,
        "version": exam.label or None, "total_points": exam.total,
        "questions": [{
            "number": q.number, "kind": q.kind, "title": q.title, "points": q.points,
            "difficulty": q.variant.difficulty, "inputs": q.variant.raw,
            "answer": q.variant.solution.answer.to_json(),
            "answer_text": answer_text(q.variant.solution.answer, "plain"),
            **({"choices": [o.to_json() for o in options]} if (options := choices.question_options(exam, q)) else {}),
        } for q in exam.questions],
    }


def key_json(exam: Exam) -> str:
    return json.dumps(key(exam), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def sheet_toml(kind: str, raw: dict[str, Any], title: str = "") -> str:
    """One drawn problem as a TOML sheet (``tutor generate --format toml``)."""
    return problems_toml([(kind, raw)], title or f"Generated {kind} problem")


def problems_toml(problems: Sequence[tuple[str, dict[str, Any]]], title: str) -> str:
    """Drawn problems, (kind, raw inputs) each, as one TOML sheet (``tutor generate --count``)."""
    lines = [f"title = {json.dumps(title)}"]
    for kind, raw in problems:
        lines += ["", "[[problem]]", f"kind = {json.dumps(kind)}"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in raw.items()]
    return "\n".join(lines) + "\n"


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)  # a JSON string is a valid TOML basic string


# ---------------------------------------------------------------- writing

#: the LMS packages: the files of one zip for all versions
LMS_PACKAGES = {"qti": qti.package, "canvas": canvas.package}
FORMATS = ("pdf", "latex", "moodle", "stack", *LMS_PACKAGES)

def write_exam(spec: ExamSpec, out_dir: str | Path, *, fmt: str | Sequence[str] = "pdf") -> list[Path]:
    """Write every document of every version; returns the paths written.

    ``fmt``: ``pdf`` (the .tex always, the PDF when TeX is present), ``latex`` (.tex only),
    ``moodle`` (one XML file for all versions, plus the keys), ``stack`` (the same for Moodle's
    STACK plug-in: :mod:`tutor.exams.stack`), ``qti`` (a QTI 2.1 content package) and ``canvas``
    (a Canvas QTI 1.2 import), one zip for all versions, plus the keys; or several of them, from
    one draw of the versions.
    """
    fmts = (fmt,) if isinstance(fmt, str) else tuple(fmt)
    for f in fmts:
        if f not in FORMATS:
            raise TutorError(f"unknown exam format {f!r}; use {', '.join(FORMATS[:-1])} or {FORMATS[-1]}")
    out = Path(out_dir)
    exams = draw_versions(spec)
    written: list[Path] = []
    for exam in exams:
        written.append(render.write_output(out / f"{exam.stem}-key.json", key_json(exam)))
        if not {"pdf", "latex"} & set(fmts):
            continue
        for suffix, source in (("", exam_tex(exam)), ("-solutions", solutions_tex(exam))):
            tex = render.write_output(out / f"{exam.stem}{suffix}.tex", source)
            written.append(tex)
            if "pdf" in fmts and render.tex_available():
                written.append(render.compile_pdf(source, tex.with_suffix(".pdf")))
    if "moodle" in fmts:
        written.append(render.write_output(out / f"{spec.name}-{spec.seed}-moodle.xml", moodle_xml(exams)))
    if "stack" in fmts:
        written.append(render.write_output(out / f"{spec.name}-{spec.seed}-stack.xml", stack_xml(exams)))
    for f in fmts:
        if f in LMS_PACKAGES:
            written.append(packaging.write_zip(out / f"{spec.name}-{spec.seed}-{f}.zip", LMS_PACKAGES[f](exams)))
    return written


__all__ = ["Entry", "ExamSpec", "Exam", "Question", "load_spec", "spec_from_mapping", "spec_from_topics",
           "draw_exam", "draw_versions", "exam_tex", "solutions_tex", "key", "key_json", "moodle_xml",
           "sheet_toml", "problems_toml", "write_exam", "resolve", "topic_names"]
