"""Benchmark: eigen and diagonalize with steps against sympy's eigenvects()/diagonalize().

Inputs: n x n integer matrices P D P^-1 with integer eigenvalues (P unimodular), n = 2..5,
the same matrices for both sides in the same run.  ``python -m bench eigen``.

Each side is timed with :func:`bench.common.best_time`, which clears sympy's cache
before every run: otherwise whichever side runs second finds the subresults of the
first (determinants, factorizations, row reductions of the same matrices) cached.
"""
from __future__ import annotations

import random

import sympy

from bench.common import best_time, table

from tutor import api

SIZES = (2, 3, 4, 5)
CASES = 3


def _matrix(rng: random.Random, n: int) -> sympy.Matrix:
    P = sympy.eye(n)
    for _ in range(2 * n):
        i, j = rng.sample(range(n), 2)
        E = sympy.eye(n)
        E[i, j] = rng.choice([-1, 1, 2])
        P = P * E
    return P * sympy.diag(*[rng.randint(-4, 4) for _ in range(n)]) * P.inv()


def main() -> None:
    rng = random.Random(0)
    api.solve("eigen", matrix=sympy.Matrix([[2, 1], [1, 2]]))  # warm-up: imports, templates
    rows = []
    for n in SIZES:
        inputs = [_matrix(rng, n) for _ in range(CASES)]
        tasks = [
            ("eigen", lambda A: api.solve("eigen", matrix=A), lambda A: sympy.Matrix(A).eigenvects()),
            ("diagonalize", lambda A: api.solve("diagonalize", matrix=A),
             lambda A: sympy.Matrix(A).diagonalize()),
        ]
        for name, ours, theirs in tasks:
            t = best_time(lambda: [ours(A) for A in inputs], repeat=5) / len(inputs)
            s = best_time(lambda: [theirs(A) for A in inputs], repeat=5) / len(inputs)
            rows.append((name, n, f"{t * 1000:.1f}", f"{s * 1000:.1f}", f"{t / s:.2f}"))
    table(("kind", "n", "tutor ms", "sympy ms", "ratio"), rows)


if __name__ == "__main__":
    main()
