"""The teacher's report of a graded class: per question, the share who answered right and the
share who made each named mistake ("Q3: 58% right; 34% chose (b) the transpose").

A named mistake is counted from the feedback line the grader writes when a wrong answer is
the result of one (:data:`tutor.checking.check.NAMED_MISTAKE`): the chosen letter of a
multiple-choice question, or a typed answer the checker finds equal to a distractor's value.
Written as text (stdout), Markdown, CSV or JSON, by the report file's suffix.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tutor.checking.check import Grades, ProblemSummary
from tutor.core.atomic import write_text
from tutor.core.errors import TutorError

FORMATS = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json", ".txt": "text"}


@dataclass(frozen=True)
class Share:
    """How many answers of a question made one named mistake (``label``: its option letter)."""

    mistake: str
    label: str | None
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionReport:
    question: int
    answers: int
    right: int
    right_percent: float
    mistakes: tuple[Share, ...]
    other_wrong: int  # wrong, and no named mistake's result
    not_understood: int  # not understood, or not checked


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def question_report(number: int, s: ProblemSummary, labels: dict[str, str]) -> QuestionReport:
    """``labels``: the option letter of each mistake of a multiple-choice question."""
    shares = tuple(Share(m, labels.get(m), n, _percent(n, s.answers)) for m, n in s.named.most_common())
    other = s.answers - s.right - s.unread - sum(s.named.values())
    return QuestionReport(number, s.answers, s.right, _percent(s.right, s.answers), shares, other, s.unread)


def build(grades: Grades, labels: dict[int, dict[str, str]] | None = None) -> list[QuestionReport]:
    """The report of every question that has answers, in question order."""
    labels = labels or {}
    return [question_report(n, s, labels.get(n, {})) for n, s in sorted(grades.items()) if s.answers]


def _percent_text(p: float) -> str:
    return f"{p:g}%"


def line(q: QuestionReport) -> str:
    """``Q3: 58% right; 34% chose (b) the transpose; 8% other wrong answers``."""
    parts = [f"Q{q.question}: {_percent_text(q.right_percent)} right ({q.right}/{q.answers})"]
    parts += [f"{_percent_text(m.percent)} " + (f"chose ({m.label}) " if m.label else "made the mistake: ") + m.mistake
              for m in q.mistakes]
    if q.other_wrong:
        parts.append(f"{_percent_text(_percent(q.other_wrong, q.answers))} other wrong answers")
    if q.not_understood:
        parts.append(f"{_percent_text(_percent(q.not_understood, q.answers))} not understood or not checked")
    return "; ".join(parts)


def _cell(text: str) -> str:
    """Text in a Markdown table cell (``p(D | h)`` keeps its bar)."""
    return text.replace("|", "\\|")


def _markdown(report: list[QuestionReport], title: str) -> str:
    out = [f"# {title}", ""]
    for q in report:
        out += [f"## Question {q.question}", "",
                f"{q.answers} answers, {q.right} right ({_percent_text(q.right_percent)}).", "",
                "| option | answer | students | share |", "|---|---|---:|---:|"]
        out.append(f"| key | right | {q.right} | {_percent_text(q.right_percent)} |")
        out += [f"| {f'({m.label})' if m.label else '-'} | {_cell(m.mistake)} | {m.count} | "
                f"{_percent_text(m.percent)} |" for m in q.mistakes]
        if q.other_wrong:
            out.append(f"| - | other wrong answers | {q.other_wrong} | "
                       f"{_percent_text(_percent(q.other_wrong, q.answers))} |")
        if q.not_understood:
            out.append(f"| - | not understood or not checked | {q.not_understood} | "
                       f"{_percent_text(_percent(q.not_understood, q.answers))} |")
        out.append("")
    return "\n".join(out)


def _csv(report: list[QuestionReport]) -> str:
    """One row per question and outcome: right, each named mistake, other wrong, not understood."""
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(["question", "outcome", "option", "students", "answers", "percent"])
    for q in report:
        w.writerow([q.question, "right", "", q.right, q.answers, q.right_percent])
        for m in q.mistakes:
            w.writerow([q.question, m.mistake, m.label or "", m.count, q.answers, m.percent])
        if q.other_wrong:
            w.writerow([q.question, "other wrong answers", "", q.other_wrong, q.answers,
                        _percent(q.other_wrong, q.answers)])
        if q.not_understood:
            w.writerow([q.question, "not understood or not checked", "", q.not_understood, q.answers,
                        _percent(q.not_understood, q.answers)])
    return buffer.getvalue()


def render(report: list[QuestionReport], fmt: str, title: str = "Report") -> str:
    if fmt == "markdown":
        return _markdown(report, title) + "\n"
    if fmt == "csv":
        return _csv(report)
    if fmt == "json":
        return json.dumps({"title": title, "questions": [asdict(q) for q in report]}, indent=2,
                          ensure_ascii=False) + "\n"
    return "".join(line(q) + "\n" for q in report)


def write(path: str | Path, report: list[QuestionReport], title: str = "Report") -> Path:
    """The report in the format its suffix names (.md, .csv, .json, .txt)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TutorError(f"--report {path.name}: name a .md, .csv, .json or .txt file")
    write_text(path, render(report, fmt, title))
    return path


__all__ = ["Share", "QuestionReport", "build", "line", "render", "write", "FORMATS"]
