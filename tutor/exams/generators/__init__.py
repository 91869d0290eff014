"""Randomized problems with nice numbers, for exams and practice.

A generator draws the *raw inputs* of one problem of a kind (the same strings and
lists a TOML sheet or the CLI would give: ``{"matrix": "[[2,1],[1,1]]"}``) from a
``random.Random`` and a difficulty (1 easy .. 3 hard).  The problem is built by the
kind's own ``make()``, so validation is the kind's, and the raw inputs are what a
sheet, an answer key or ``tutor generate --format toml`` print.

:func:`draw` is what exams use: it solves the variant, rejects degenerate ones
(an answer with huge numbers, fractions blowing up in the steps, an answer that does
not pass the checker against itself) and redraws, a bounded number of times.

One module per topic registers its generators with :func:`generator`; every module
of this package is imported, so a new topic module needs no edit here.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import random
import re
from dataclasses import dataclass
from typing import Any, Callable

from tutor import topics
from tutor.exams import DIFFICULTIES
from tutor.core.errors import TutorError
from tutor.core.steps import Problem, Solution
from tutor.exams.generators import sizes

RawGenerator = Callable[[random.Random, int], dict[str, Any]]

MAX_TRIES = 40
MAX_DIGITS = 4  # no number in the answer or the steps longer than this (1/2/3 digits are nice)

RAW_GENERATORS: dict[str, RawGenerator] = {}
GENERATORS: dict[str, Callable[[random.Random, int], Problem]] = {}


def generator(kind: str) -> Callable[[RawGenerator], RawGenerator]:
    """Register a raw-input generator for ``kind`` (one per kind)."""
    def register(fn: RawGenerator) -> RawGenerator:
        if kind in RAW_GENERATORS:
            raise RuntimeError(f"generator for {kind!r} registered twice")
        RAW_GENERATORS[kind] = fn
        GENERATORS[kind] = lambda rng, difficulty: topics.get(kind).make(fn(rng, difficulty))
        return fn
    return register


def signature(kind: str, raw: dict[str, Any]) -> str:
    """The identity of a drawn problem: two with the same signature are the same question."""
    return json.dumps([kind, raw], sort_keys=True)


@dataclass(frozen=True)
class Variant:
    """One drawn problem: its raw inputs (printable, re-buildable), the problem and its solution."""

    kind: str
    difficulty: int
    raw: dict[str, Any]
    problem: Problem
    solution: Solution

    @property
    def signature(self) -> str:
        """Identity of a variant: two variants with the same signature are the same question."""
        return signature(self.kind, self.raw)

    @property
    def form(self) -> sizes.Form:
        """What the versions of one exam question share: the kind, the form of the inputs (sizes,
        options) and the shape of the answer (:mod:`~tutor.exams.generators.sizes`)."""
        return (self.kind, sizes.raw_form(self.raw), sizes.answer_form(self.solution.answer.to_json()))

    @property
    def steps(self) -> int:
        """The length of the worked solution: every step and substep."""
        return sum(1 for _ in self.solution.walk())


@dataclass(frozen=True)
class Metrics:
    """How hard a variant looks: number of steps, longest number anywhere in the solution."""

    steps: int
    digits: int
    denominator: int


_NUMBER = re.compile(r"(\d+)(?:/(\d+))?")


def metrics(solution: Solution) -> Metrics:
    """Count steps and measure the numbers of the solution (its JSON text, answer included)."""
    text = json.dumps(solution.to_json())
    digits, denominator = 0, 1
    for m in _NUMBER.finditer(text):
        digits = max(digits, len(m.group(1)), len(m.group(2) or ""))
        if m.group(2):
            denominator = max(denominator, int(m.group(2)))
    return Metrics(sum(1 for _ in solution.walk()), digits, denominator)


def _all_zero(answer_json: dict[str, Any]) -> bool:
    """A zero answer (a zero matrix, gradient or number): a degenerate question."""
    def leaves(v: Any) -> list[Any]:
        if isinstance(v, dict):
            return [x for w in v.values() for x in leaves(w)]
        if isinstance(v, list):
            return [x for w in v for x in leaves(w)]
        return [v]
    values = leaves([v for k, v in answer_json.items() if k in ("value", "values")])
    return bool(values) and all(v == "0" for v in values)


def check_difficulty(difficulty: int) -> int:
    if difficulty not in DIFFICULTIES:
        raise TutorError(f"difficulty must be 1, 2 or 3, not {difficulty!r}")
    return difficulty


def raw_generator(kind: str) -> RawGenerator:
    topics.get(kind)  # unknown kind: the registry's error message
    _load()
    try:
        return RAW_GENERATORS[kind]
    except KeyError:
        raise TutorError(f"no generator for kind {kind!r} yet") from None


def draw(kind: str, rng: random.Random, difficulty: int, *, avoid: set[str] | frozenset[str] = frozenset(),
         recheck: bool = True, form: sizes.Form | None = None, steps: tuple[int, int] | None = None) -> Variant:
    """A solved, re-checked, non-degenerate variant not in ``avoid`` (signatures), or TutorError.

    ``form`` and ``steps`` (inclusive bounds) ask for a variant like another one: another version
    of the same exam question.  At difficulty 3 a trivial variant (:mod:`.trivial`) is redrawn.
    """
    from tutor.exams.generators.recheck import passes_itself
    from tutor.exams.generators.trivial import triviality

    check_difficulty(difficulty)
    make = raw_generator(kind)
    last = "no variant drawn"
    for _ in range(MAX_TRIES):
        raw = make(rng, difficulty)
        if signature(kind, raw) in avoid:  # known before solving
            last = "drew a variant already in the exam"
            continue
        if form is not None and (kind, sizes.raw_form(raw)) != form[:2]:
            last = "inputs of another size or form"
            continue
        try:
            problem = topics.get(kind).make(dict(raw))
            solution = topics.solve(problem)
        except TutorError as e:  # a generator drew an input its kind refuses: draw again
            last = str(e)
            continue
        variant = Variant(kind, difficulty, raw, problem, solution)
        if _all_zero(solution.answer.to_json()):
            last = "the answer is zero"
            continue
        m = metrics(solution)
        if m.digits > MAX_DIGITS:
            last = f"numbers with {m.digits} digits"
            continue
        if form is not None and variant.form != form:
            last = "an answer of another form"
            continue
        if steps is not None and not steps[0] <= variant.steps <= steps[1]:
            last = f"{variant.steps} steps, not {steps[0]} to {steps[1]}"
            continue
        if difficulty == 3 and (why := triviality(variant)):
            last = f"too easy for difficulty 3 ({why})"
            continue
        if recheck and not passes_itself(solution):
            last = "the answer did not pass the checker against itself"
            continue
        return variant
    raise TutorError(f"could not draw a good {kind} variant in {MAX_TRIES} tries (last: {last})")


def generate(kind: str, seed: int, difficulty: int = 2) -> Problem:
    """The problem of ``kind`` drawn from ``random.Random(seed)`` (solved and checked)."""
    return draw(kind, random.Random(seed), difficulty).problem


def _load() -> None:
    for name in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{name}")


_load()

__all__ = ["GENERATORS", "RAW_GENERATORS", "Variant", "Metrics", "generator", "draw", "generate",
           "metrics", "raw_generator", "signature"]
