"""Benchmark: eigen and diagonalize with steps against sympy's eigenvects()/diagonalize().

Inputs: n x n integer matrices P D P^-1 with integer eigenvalues (P unimodular), n = 2..5,
the same matrices for both sides in the same run.  ``python -m bench eigen``.
"""
from __future__ import annotations

import random
import time

import sympy

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


def _time(fn, inputs) -> float:
    start = time.perf_counter()
    for A in inputs:
        fn(A)
    return (time.perf_counter() - start) / len(inputs)


def main() -> None:
    rng = random.Random(0)
    api.solve("eigen", matrix=sympy.Matrix([[2, 1], [1, 2]]))  # warm-up: imports, templates
    print(f"{'kind':<12}{'n':>3}{'tutor (s)':>12}{'sympy (s)':>12}{'ratio':>8}")
    for n in SIZES:
        inputs = [_matrix(rng, n) for _ in range(CASES)]
        rows = [
            ("eigen", lambda A: api.solve("eigen", matrix=A), lambda A: sympy.Matrix(A).eigenvects()),
            ("diagonalize", lambda A: api.solve("diagonalize", matrix=A),
             lambda A: sympy.Matrix(A).diagonalize()),
        ]
        for name, ours, theirs in rows:
            t_ours, t_sympy = _time(ours, inputs), _time(theirs, inputs)
            print(f"{name:<12}{n:>3}{t_ours:>12.4f}{t_sympy:>12.4f}{t_ours / t_sympy:>8.2f}")


if __name__ == "__main__":
    main()
