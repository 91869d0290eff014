"""Linear systems with a chosen outcome and small solutions (MML section 2.3).

Difficulty 1: a unique integer solution (2 or 3 unknowns).  Difficulty 2: unique in 3
unknowns, or infinitely many with one free variable.  Difficulty 3: infinitely many
with one or two free variables, or none; the particular solution may be a small
fraction.  The coefficient matrix is ``E R`` with ``E`` unimodular and ``R`` of the
chosen rank, so elimination stays in small numbers.
"""
from __future__ import annotations

import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import expr_text, small_ints, unimodular, with_rank

_NAMES = sympy.symbols("x y z w")


def equations(A: sympy.Matrix, b: sympy.Matrix) -> list[str]:
    """``2x + y - z = 1`` for each row of ``[A | b]``."""
    xs = sympy.Matrix(_NAMES[:A.cols])
    return [f"{expr_text((A.row(i) * xs)[0])} = {expr_text(b[i])}" for i in range(A.rows)]


def _outcome(rng: random.Random, difficulty: int) -> tuple[int, int, int, str]:
    """(equations, unknowns, rank, outcome) for the difficulty."""
    if difficulty == 1:
        n = rng.choice((2, 3))
        return n, n, n, "unique"
    if difficulty == 2:
        return rng.choice(((3, 3, 3, "unique"), (3, 3, 2, "many"), (2, 3, 2, "many")))
    return rng.choice(((3, 4, 2, "many"), (3, 4, 3, "many"), (3, 3, 2, "none"), (4, 3, 3, "none"),
                       (3, 3, 3, "unique")))


@generator("system")
def system(rng: random.Random, difficulty: int) -> dict[str, Any]:
    m, n, r, outcome = _outcome(rng, difficulty)
    if r == n == m:
        A = unimodular(rng, n, mix=1 if difficulty == 1 else 2)
    else:
        A = with_rank(rng, m, n, r)
    x0 = sympy.Matrix(small_ints(rng, n, 3 if difficulty < 3 else 4))
    while sum(1 for e in x0 if e == 0) > 1:  # x = 0, y = 0, z = -1 makes a check of 0 - 2·0 - 1 = -1
        x0 = sympy.Matrix(small_ints(rng, n, 3 if difficulty < 3 else 4))
    if difficulty == 3 and outcome == "unique":
        x0 = x0 / rng.choice((2, 3))
    b = A * x0
    if outcome == "none":
        # a right-hand side outside the column space: change b until rank [A|b] > rank A
        while A.row_join(b).rank() == r:
            b[rng.randrange(m)] += rng.choice((1, -1, 2))
    return {"equations": equations(A, b)}
