"""The outcome of checking one answer: what a student (and a grade sheet) sees.

A comparer returns a :class:`Verdict`; ``status`` separates four cases a grader
must not confuse: ``correct``, ``incorrect`` (understood and wrong),
``unreadable`` (the text could not be read as an answer of the expected form:
exit code 2) and ``unchecked`` (the check itself ran out of time or memory, or no
comparison exists for the answer type).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("correct", "incorrect", "unreadable", "unchecked")


@dataclass(frozen=True)
class Verdict:
    """``score`` is partial credit in [0, 1]; ``parsed`` echoes how the answer was read."""

    correct: bool
    score: float
    feedback: list[str] = field(default_factory=list)
    parsed: str = ""
    status: str = "incorrect"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def exit_code(self) -> int:
        """0 correct, 1 not correct, 2 not understood (the command line's contract)."""
        if self.correct:
            return 0
        return 1 if self.status == "incorrect" else 2


def right(parsed: str, *notes: str) -> Verdict:
    return Verdict(True, 1.0, list(notes), parsed, "correct")


def wrong(parsed: str, feedback: list[str] | str, score: float = 0.0) -> Verdict:
    if isinstance(feedback, str):
        feedback = [feedback]
    return Verdict(False, round(max(0.0, min(1.0, score)), 3), list(feedback), parsed, "incorrect")


def graded(parsed: str, feedback: list[str], score: float) -> Verdict:
    """Correct exactly when nothing was found wrong (score 1 and no feedback)."""
    if not feedback and score >= 1:
        return right(parsed)
    return wrong(parsed, feedback or ["not correct"], min(score, 0.99))


def unreadable(reason: str, parsed: str = "") -> Verdict:
    return Verdict(False, 0.0, [reason], parsed, "unreadable")


def unchecked(reason: str) -> Verdict:
    return Verdict(False, 0.0, [f"could not be checked: {reason}"], "", "unchecked")
