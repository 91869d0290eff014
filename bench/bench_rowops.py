"""How many elementary row operations the tutor writes, against the best pivot choices.

Issue 18: a teacher signs a worked solution only if it takes no more operations than they
would write. The yardstick here is a simple search: Gauss-Jordan elimination in exact
fractions, trying every choice of pivot row in every column, where an operation is a
swap, clearing one entry (``R_t <- R_t - c R_s``), scaling a pivot row to 1 at the end (one
per pivot that is not 1) or clearing the fractions of a row at the start. The tutor's
count is the number of :class:`~tutor.linalg.rowreduce.RowOperation` steps of
``reduce(M)`` on the same matrix, which writes only operations a teacher writes (a
combination ``R_t <- a R_t + b R_s`` with no common factor divided inside it) and keeps every
matrix integral until a pivot row is divided by its pivot, which the search does not have to.
Issue 18, before and after (total over the six shapes): 48.57 (merged divisions counted as one)
and 48.51 operations, against the search's 48.24. ``python -m bench rowops``.

Inputs: random classroom matrices, 2x2 to 4x5 with entries in -5..5, a third of them with
a row that is a combination of two others (rank deficient), seed fixed.
"""
from __future__ import annotations

import random
from fractions import Fraction

import sympy

from bench.common import table

from tutor.linalg.rowreduce import RowOperation, reduce

SHAPES = ((2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (4, 5))
CASES = 40


def classroom_matrix(rng: random.Random, rows: int, cols: int) -> list[list[int]]:
    m = [[rng.randint(-5, 5) for _ in range(cols)] for _ in range(rows)]
    if rows >= 3 and rng.random() < 1 / 3:
        a, b = rng.choice([-2, -1, 1, 2]), rng.choice([-1, 0, 1])
        m[-1] = [a * x + b * y for x, y in zip(m[0], m[1])]
    return m


def best_count(m: list[list[int]]) -> int:
    """The fewest operations over every sequence of pivot rows (exhaustive: rows <= 4)."""
    rows = [[Fraction(x) for x in row] for row in m]
    return _forward(rows, 0, 0, 0, [])


def _forward(rows: list[list[Fraction]], r: int, c: int, count: int,
             pivots: list[tuple[int, int]]) -> int:
    if r == len(rows) or c == len(rows[0]):
        return count + _backward(rows, pivots)
    choices = [i for i in range(r, len(rows)) if rows[i][c] != 0]
    if not choices:
        return _forward(rows, r, c + 1, count, pivots)
    best = None
    for i in choices:
        new = [list(row) for row in rows]
        cost = count
        if i != r:
            new[r], new[i] = new[i], new[r]
            cost += 1
        for t in range(r + 1, len(new)):
            if new[t][c] != 0:
                ratio = new[t][c] / new[r][c]
                new[t] = [x - ratio * y for x, y in zip(new[t], new[r])]
                cost += 1
        total = _forward(new, r + 1, c + 1, cost, pivots + [(r, c)])
        best = total if best is None else min(best, total)
    return best


def _backward(rows: list[list[Fraction]], pivots: list[tuple[int, int]]) -> int:
    """Clearing above each pivot (one per nonzero entry), then the scalings to 1: a pivot
    row changes only by multiples of rows below it, which are zero in its pivot column."""
    rows = [list(row) for row in rows]
    count = 0
    for r, c in reversed(pivots):
        for t in range(r):
            if rows[t][c] != 0:
                ratio = rows[t][c] / rows[r][c]
                rows[t] = [x - ratio * y for x, y in zip(rows[t], rows[r])]
                count += 1
    return count + sum(1 for r, c in pivots if rows[r][c] != 1)


def tutor_count(m: list[list[int]]) -> int:
    red = reduce(sympy.Matrix(m))
    return sum(isinstance(s, RowOperation) for s in red.step.walk())


def main() -> None:
    rng = random.Random(18)
    out = []
    for shape in SHAPES:
        ours, best, worse, excess = 0, 0, 0, 0
        for _ in range(CASES):
            m = classroom_matrix(rng, *shape)
            a, b = tutor_count(m), best_count(m)
            ours, best = ours + a, best + b
            worse += a > b
            excess = max(excess, a - b)
        out.append([f"{shape[0]}x{shape[1]}", f"{ours / CASES:.2f}", f"{best / CASES:.2f}",
                    f"{ours / best:.2f}", f"{worse}/{CASES}", excess])
    table(["shape", "tutor ops", "best ops", "ratio", "tutor > best", "max excess"], out)
