"""Inverse and determinant with steps (n = 2..6) next to sympy's inv() and det().

``python -m bench matrices``: the same random integer matrices, in the same run; the
tutor builds and checks nothing here, it only derives (steps included).  For n = 2, 3
sympy's det() is a closed formula (about 10 and 40 us): a derivation with steps by rows
cannot come within 3x of it; the default method there, Laplace, does.
"""
from __future__ import annotations

import random

import sympy

from bench.common import best_time, table

from tutor.linalg.determinants import laplace_steps, row_reduction_det_steps
from tutor.linalg.inverses import inverse_steps


# Each run takes milliseconds: the best of 10 (not 3) keeps one disturbed run from
# moving a ratio near the goal by 50%.
REPEAT = 10


def _matrices(n: int, count: int, seed: int) -> list[sympy.Matrix]:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        M = sympy.Matrix(n, n, lambda i, j: rng.randint(-5, 5))
        if M.det() != 0:
            out.append(M)
    return out


def main() -> None:
    rows = []
    for n in range(2, 7):
        inputs = _matrices(n, 10, seed=n)
        tasks = [("inverse (Gauss-Jordan)", inverse_steps, lambda M: M.inv()),
                 ("det (rows)", row_reduction_det_steps, lambda M: M.det())]
        if n <= 4:
            tasks.append(("det (Laplace)", laplace_steps, lambda M: M.det()))
        for name, tutor_fn, sympy_fn in tasks:
            t = best_time(lambda: [tutor_fn(M) for M in inputs], repeat=REPEAT) / len(inputs) * 1000
            s = best_time(lambda: [sympy_fn(M) for M in inputs], repeat=REPEAT) / len(inputs) * 1000
            rows.append((name, n, f"{t:.2f}", f"{s:.2f}", f"{t / s:.1f}"))
    table(("task", "n", "tutor ms", "sympy ms", "ratio"), rows)


if __name__ == "__main__":
    main()
