"""Balanced versions: every version of one exam question is the same kind, size and length.

Version A's variant of a question is drawn first, from A's random stream; every other version
then draws, from its own stream, a variant of the same form (kind, sizes, options and shape of
the answer: :mod:`~tutor.exams.generators.sizes`) whose worked solution is within ±20% as long
as every version drawn so far.  When a version cannot be matched in the generator's tries, the
question starts over with a new version A (a bounded number of rounds); when that fails too,
the exam is refused with the question named, never written unbalanced.
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Sequence

from tutor.core.errors import TutorError
from tutor.exams import generators
from tutor.exams.generators import Variant

#: how much longer the longest version of a question may be than the shortest
TOLERANCE = Fraction(1, 5)
ROUNDS = 6


def balanced(steps: Sequence[int]) -> bool:
    """Every two step counts within ±20% of each other: the longest at most 1.2 times the shortest."""
    return not steps or max(steps) <= (1 + TOLERANCE) * min(steps)


def step_range(steps: Sequence[int]) -> tuple[int, int]:
    """The step counts a further version may have and keep ``steps`` balanced (inclusive)."""
    low, high = max(steps) / (1 + TOLERANCE), min(steps) * (1 + TOLERANCE)  # exact: 6 / 1.2 is 5
    return -(-low.numerator // low.denominator), high.numerator // high.denominator


def draw_question(kind: str, rngs: Sequence[random.Random], difficulty: int,
                  avoid: Sequence[set[str]], where: str) -> list[Variant]:
    """One variant of ``kind`` per version (one random stream each), all of one form and balanced.

    ``avoid[v]``: the signatures version ``v`` already holds; the versions of the question also
    differ from each other.  ``where`` names the question in the error.
    """
    last = ""
    for _ in range(ROUNDS):
        drawn = [generators.draw(kind, rngs[0], difficulty, avoid=avoid[0])]  # fails on its own terms
        try:
            for rng, seen in zip(rngs[1:], avoid[1:]):
                drawn.append(generators.draw(kind, rng, difficulty, avoid=seen | {v.signature for v in drawn},
                                             form=drawn[0].form, steps=step_range([v.steps for v in drawn])))
        except TutorError as e:
            last = f"matched {len(drawn)} of them, then {e}"
            continue
        return drawn
    raise TutorError(f"{where}: could not draw {len(rngs)} different versions of {kind} (difficulty {difficulty}), "
                     f"all of one size with worked solutions within ±{int(TOLERANCE * 100)}% of each other's "
                     f"length, in {ROUNDS} rounds ({last}); try another seed or fewer versions")


__all__ = ["TOLERANCE", "balanced", "step_range", "draw_question"]
