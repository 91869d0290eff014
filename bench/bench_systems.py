"""Gaussian elimination with steps vs bare ``sympy.linsolve`` on the same random systems.

Goal (issue 2): at most 3x sympy's time, and at most 1 s for an 8x8 system.
"""
from __future__ import annotations

import random

import sympy

import tutor

from bench.common import best_time, ms, table

SIZES = range(2, 9)
PER_SIZE = 5


def random_system(rng: random.Random, n: int) -> tuple[sympy.Matrix, sympy.Matrix]:
    A = sympy.Matrix(n, n, lambda i, j: rng.randint(-9, 9))
    b = sympy.Matrix(n, 1, lambda i, j: rng.randint(-9, 9))
    return A, b


def main() -> None:
    rng = random.Random(2)
    rows = []
    for n in SIZES:
        systems = [random_system(rng, n) for _ in range(PER_SIZE)]
        symbols = sympy.symbols(f"x_1:{n + 1}")
        ours = best_time(lambda: [tutor.solve("system", matrix=A, rhs=b) for A, b in systems]) / PER_SIZE
        theirs = best_time(lambda: [sympy.linsolve((A, b), *symbols) for A, b in systems]) / PER_SIZE
        rows.append([f"{n}x{n}", ms(ours), ms(theirs), f"{ours / theirs:.2f}"])
    table(["size", "tutor ms", "linsolve ms", "ratio"], rows)
