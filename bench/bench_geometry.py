"""Analytic geometry with steps vs the bare sympy computation on the same random inputs.

Each row: one kind, the tutor's time per problem (steps, checks not included) next to
sympy's own one-liner for the same answer (``norm``, ``dot``, ``acos``, the projection
formula ``B (B^T B)^{-1} B^T x``, ``GramSchmidt``, ``nullspace``, ``rot_ccw_axis3``).
"""
from __future__ import annotations

import random
from typing import Callable

import sympy

import tutor

from bench.common import best_time, ms, table

PER_KIND = 5
N = 4


def _vector(rng: random.Random, n: int = N) -> sympy.Matrix:
    while True:
        v = sympy.Matrix([rng.randint(-9, 9) for _ in range(n)])
        if any(v):
            return v


def _projection(x: sympy.Matrix, U: list[sympy.Matrix]) -> sympy.Matrix:
    B = sympy.Matrix.hstack(*U)
    return B * (B.T * B).inv() * B.T * x


def _cases(rng: random.Random) -> list[tuple[str, Callable[[], object], Callable[[], object]]]:
    """(kind, tutor call, sympy call) for one random input of each kind."""
    x, y = _vector(rng), _vector(rng)
    U = [_vector(rng) for _ in range(2)]
    theta = rng.randint(1, 11) * sympy.pi / 6
    return [
        ("norm", lambda: tutor.solve("norm", vector=x), lambda: x.norm()),
        ("inner", lambda: tutor.solve("inner", vectors=[x, y]), lambda: x.dot(y)),
        ("distance", lambda: tutor.solve("distance", vectors=[x, y]), lambda: (x - y).norm()),
        ("angle", lambda: tutor.solve("angle", vectors=[x, y]),
         lambda: sympy.acos(sympy.radsimp(x.dot(y) / (x.norm() * y.norm())))),
        ("projection", lambda: tutor.solve("projection", vectors=[x] + U), lambda: _projection(x, U)),
        ("gram_schmidt", lambda: tutor.solve("gram_schmidt", vectors=U + [x], normalize=True),
         lambda: sympy.GramSchmidt(U + [x], True)),
        ("complement", lambda: tutor.solve("complement", vectors=U),
         lambda: sympy.Matrix.hstack(*U).T.nullspace()),
        ("rotation", lambda: tutor.solve("rotation", angle=theta, apply=[x[:2, :]]),
         lambda: sympy.rot_ccw_axis3(theta)[:2, :2] * x[:2, :]),
    ]


def main() -> None:
    rng = random.Random(3)
    batches = [_cases(rng) for _ in range(PER_KIND)]
    rows = []
    for k, (kind, _, _) in enumerate(batches[0]):
        ours = best_time(lambda: [b[k][1]() for b in batches]) / PER_KIND
        theirs = best_time(lambda: [b[k][2]() for b in batches]) / PER_KIND
        rows.append([kind, ms(ours), ms(theirs), f"{ours / theirs:.1f}"])
    table(["kind (n = 4)", "tutor ms", "sympy ms", "ratio"], rows)


if __name__ == "__main__":
    main()
