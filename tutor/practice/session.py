"""A practice session: one problem, the rungs of the hint ladder taken, the attempts made.

The state is a small JSON-ready dict (:meth:`Session.state`), everything else is rebuilt
from it: the problem from (kind or topic, seed, difficulty), the ladder from the solution.
So the terminal keeps a Session in memory, and the web app keeps its state in a signed
token in the browser: a server restart loses nothing.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from tutor.checking.bounded import Budget
from tutor.checking.check import check_solution
from tutor.checking.grading.verdict import Verdict
from tutor.core.errors import TutorError
from tutor.core.steps import Solution
from tutor.exams import generators
from tutor.exams.generators import Variant
from tutor.exams.generators.forms import FORMS, answer_text
from tutor.practice import draw, ladder, lines
from tutor.rendering import render

MAX_SEED = 2**63


@functools.lru_cache(maxsize=256)
def _rungs(word: str, seed: int, difficulty: int, fmt: str, budget: Budget | None) -> tuple[ladder.Rung, ...]:
    return tuple(ladder.rungs(draw.variant(word, seed, difficulty, budget).solution, fmt))


@dataclass
class Session:
    """The practice of one problem.  ``topic`` is a kind or a topic; ``hints`` counts the rungs
    taken, ``attempts`` the answers tried, ``lines`` the intermediate lines checked, ``step`` the
    last step a line matched.  With a
    ``budget`` (the web app's; not part of the state) problems are drawn in a sandbox worker
    within it (:func:`tutor.practice.draw.variant`)."""

    topic: str
    seed: int = 0
    difficulty: int = 2
    hints: int = 0
    attempts: int = 0
    lines: int = 0
    step: int = 0
    solved: bool = False
    revealed: bool = False
    budget: Budget | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.seed, int) or not 0 <= self.seed < MAX_SEED:
            raise TutorError(f"the seed must be a whole number from 0 to {MAX_SEED - 1}")
        generators.check_difficulty(self.difficulty)
        self.variant  # an unknown topic fails here

    # -- state, for a token or a browser
    STATE = ("topic", "seed", "difficulty", "hints", "attempts", "lines", "step", "solved", "revealed")

    def state(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.STATE}

    @classmethod
    def from_state(cls, state: dict[str, Any], budget: Budget | None = None) -> "Session":
        try:
            return cls(**{name: state[name] for name in cls.STATE if name in state}, budget=budget)
        except TypeError as e:
            raise TutorError(f"not a practice session: {e}") from None

    # -- the problem
    @property
    def variant(self) -> Variant:
        return draw.variant(self.topic, self.seed, self.difficulty, self.budget)

    @property
    def kind(self) -> str:
        return self.variant.kind

    @property
    def solution(self) -> Solution:
        return self.variant.solution

    def example_answer(self) -> str:
        """How an answer of this kind is typed, shown with the answer of another problem of the
        same kind (the next seed's), so the format is clear and nothing is given away."""
        other = draw.variant(self.kind, (self.seed + 1) % MAX_SEED, self.difficulty, self.budget)
        return answer_text(other.solution.answer, FORMS[0]) or ""

    def statement(self, fmt: str = "text") -> str:
        return render.statement_body(self.solution, fmt)

    @property
    def finished(self) -> bool:
        """Solved, or the worked solution was asked for: the page shows the whole solution."""
        return self.solved or self.revealed

    def worked_solution(self, fmt: str = "text") -> str:
        """The whole worked solution; asking for it ends the practice of this problem."""
        self.revealed = True
        return render.solution_body(self.solution, fmt)

    # -- help and checking
    def rungs(self, fmt: str = "text") -> tuple[ladder.Rung, ...]:
        return _rungs(self.topic, self.seed, self.difficulty, fmt, self.budget)

    def taken(self, fmt: str = "text") -> tuple[ladder.Rung, ...]:
        """The rungs shown so far (a web page shows them again on every request)."""
        return self.rungs(fmt)[: self.hints]

    def hint(self, fmt: str = "text") -> ladder.Rung | None:
        """The next rung, counted; None when the whole ladder was climbed."""
        rungs = self.rungs(fmt)
        if self.hints >= len(rungs):
            return None
        self.hints += 1
        return rungs[self.hints - 1]

    def next_step(self, fmt: str = "text") -> list[ladder.Rung]:
        """Climb up to the next rung that shows a step itself: the rungs taken on the way
        (each counted as a hint); empty when the ladder was climbed."""
        taken: list[ladder.Rung] = []
        while (rung := self.hint(fmt)) is not None:
            taken.append(rung)
            if rung.level == "step":
                break
        return taken

    def answer(self, text: str) -> Verdict:
        """Check an attempt with the checker; a wrong one may be tried again."""
        verdict = check_solution(self.solution, text)
        self.attempts += 1
        self.solved = self.solved or verdict.correct
        return verdict

    @property
    def at(self) -> int:
        """The step the student is at: the last one a line matched, or the one the hints reached."""
        taken = self.taken()
        return max(self.step, taken[-1].at if taken else 0)

    def check_line(self, text: str) -> lines.LineVerdict:
        """Check one line of working; a line that matches a step moves the student there."""
        self.lines += 1
        verdict = lines.check_line(self.solution, text, self.at)
        if verdict.status == "match":
            self.step = verdict.step
        return verdict

    def line_words(self, verdict: lines.LineVerdict, fmt: str = "text") -> str:
        dialect = "markdown" if fmt == "markdown" else "text"
        words = render.environment(dialect).get_template("practice/ladder.j2").module
        return str(words.line(verdict)).strip() + "\n"
