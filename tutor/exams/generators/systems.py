"""Linear systems with a chosen outcome and small solutions (MML section 2.3).

Difficulty 1: a unique integer solution (2 or 3 unknowns).  Difficulty 2: unique in 3
unknowns, or infinitely many with one free variable.  Difficulty 3: infinitely many
with one or two free variables, or none; the particular solution may be a small
fraction; or a 2x2 or 3x3 system with a parameter whose special values are small integers
(solved with case distinctions).  The coefficient matrix is ``E R`` with ``E`` unimodular and ``R`` of the
chosen rank, so elimination stays in small numbers.
"""
from __future__ import annotations

import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import distinct_ints, expr_text, small_ints, unimodular, with_rank

_NAMES = sympy.symbols("x y z w")


def equations(A: sympy.Matrix, b: sympy.Matrix) -> list[str]:
    """``2x + y - z = 1`` for each row of ``[A | b]``; a coefficient in a parameter before its
    unknown, as a teacher writes it: ``(a - 2)y``."""
    xs = sympy.Matrix(_NAMES[:A.cols])
    if A.is_symbolic():
        return [f"{_row_text(A.row(i))} = {expr_text(b[i])}" for i in range(A.rows)]
    return [f"{expr_text((A.row(i) * xs)[0])} = {expr_text(b[i])}" for i in range(A.rows)]


def _row_text(row: sympy.Matrix) -> str:
    terms = []
    for c, x in zip(row, _NAMES):
        if c == 0:
            continue
        sign, c = ("-", -c) if expr_text(c).startswith("-") else ("", c)
        if c.is_number:
            terms.append(sign + expr_text(c * x))
        elif c.is_Symbol:
            terms.append(f"{sign}{c} {x}")
        else:
            terms.append(f"{sign}({expr_text(c)}){x}")
    text = " + ".join(terms) or "0"
    return text.replace("+ -", "- ")


def _outcome(rng: random.Random, difficulty: int) -> tuple[int, int, int, str]:
    """(equations, unknowns, rank, outcome) for the difficulty."""
    if difficulty == 1:
        n = rng.choice((2, 3))
        return n, n, n, "unique"
    if difficulty == 2:
        return rng.choice(((3, 3, 3, "unique"), (3, 3, 2, "many"), (2, 3, 2, "many")))
    return rng.choice(((3, 4, 2, "many"), (3, 4, 3, "many"), (3, 3, 2, "none"), (4, 3, 3, "none"),
                       (3, 3, 3, "unique"), (0, 0, 0, "parameter")))


def parametric(rng: random.Random) -> dict[str, Any]:
    """A 2x2 or 3x3 system with a parameter a whose special values are small integers:
    ``A(a) = E U(a)`` with ``E`` unimodular and ``U`` upper triangular with the diagonal
    ``1, ..., a - q, a - p``, so ``det A = ±(a - p)(a - q)`` (one value for a 3x3 drawn so);
    a is in one or two columns, each entry at most linear in a; b small integers."""
    n = rng.choice((2, 3))
    p, q = distinct_ints(rng, 2, 3)
    a = sympy.Symbol("a")
    U = sympy.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            U[i, j] = rng.randint(-2, 2)
    U[n - 1, n - 1] = a - p
    if n == 2 or rng.random() < 0.5:
        U[n - 2, n - 2] = a - q
    A = sympy.expand(unimodular(rng, n, mix=1, bound=3) * U)
    b = sympy.Matrix(small_ints(rng, n, 3))
    return {"equations": equations(A, b), "unknowns": ",".join(map(str, _NAMES[:n]))}


@generator("system")
def system(rng: random.Random, difficulty: int) -> dict[str, Any]:
    m, n, r, outcome = _outcome(rng, difficulty)
    if outcome == "parameter":
        return parametric(rng)
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
