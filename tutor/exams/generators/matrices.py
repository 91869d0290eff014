"""Matrices of MML chapter 2 with nice numbers: integer inverses, chosen ranks, nice bases."""
from __future__ import annotations

import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import matrix_text, nonzero, small_ints, unimodular, vector_text, with_rank


def _size(difficulty: int) -> int:
    return 2 if difficulty == 1 else 3


@generator("inverse")
def inverse(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Unimodular: det = +-1, so Gauss-Jordan ends in an integer inverse."""
    return {"matrix": matrix_text(unimodular(rng, _size(difficulty), mix=1 if difficulty < 3 else 2))}


@generator("det")
def det(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Small integer entries (a few zeros at size 4), a nonzero determinant at difficulty 1."""
    n = difficulty + 1
    while True:
        M = sympy.Matrix(n, n, small_ints(rng, n * n, 4 if n < 4 else 2))
        if n == 4:
            for _ in range(5):
                M[rng.randrange(n), rng.randrange(n)] = 0
        if (M.det() != 0 or difficulty > 1) and sum(1 for e in M if e == 0) < n * n // 2:
            break
    raw: dict[str, Any] = {"matrix": matrix_text(M)}
    if n == 3 and difficulty == 2:
        raw["method"] = rng.choice(("laplace", "sarrus", "rows"))
    return raw


def _shape_rank(rng: random.Random, difficulty: int, *, deficient: bool) -> tuple[int, int, int]:
    rows, cols = {1: (3, 3), 2: rng.choice(((3, 3), (3, 4))), 3: rng.choice(((3, 4), (4, 4), (4, 3)))}[difficulty]
    top = min(rows, cols) - (1 if deficient or difficulty == 1 else 0)
    return rows, cols, rng.randint(max(2, top - 1), top)


@generator("rank")
def rank(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return {"matrix": matrix_text(with_rank(rng, *_shape_rank(rng, difficulty, deficient=False)))}


@generator("kernel")
def kernel(rng: random.Random, difficulty: int) -> dict[str, Any]:
    rows, cols, r = _shape_rank(rng, difficulty, deficient=True)
    return {"matrix": matrix_text(with_rank(rng, rows, cols, min(r, cols - 1)))}


@generator("image")
def image(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return {"matrix": matrix_text(with_rank(rng, *_shape_rank(rng, difficulty, deficient=True)))}


@generator("independence")
def independence(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """k vectors in R^n, independent or (half the time) with a small-integer dependency."""
    n, k = {1: (2, 2), 2: (3, 3), 3: rng.choice(((3, 3), (4, 3)))}[difficulty]
    dependent = rng.random() < 0.5
    M = with_rank(rng, k, n, k - 1 if dependent else k)
    return {"vectors": [vector_text(M.row(i)) for i in range(k)]}


@generator("coordinates")
def coordinates(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """x = B c with B unimodular and c small: integer coordinates."""
    n = _size(difficulty)
    B = unimodular(rng, n, mix=1 if difficulty < 3 else 2)
    c = sympy.Matrix([nonzero(rng, 3) for _ in range(n)])
    return {"x": vector_text(B * c), "basis": [vector_text(B.col(j)) for j in range(n)]}


@generator("change_of_basis")
def change_of_basis(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A small matrix and unimodular new bases of domain and codomain (integer T^-1 A S)."""
    rows, cols = {1: (2, 2), 2: (2, 2), 3: rng.choice(((2, 3), (3, 2)))}[difficulty]
    A = sympy.Matrix(rows, cols, small_ints(rng, rows * cols, 3))
    raw: dict[str, Any] = {"matrix": matrix_text(A)}
    S = unimodular(rng, cols)
    raw["B"] = matrix_text(S.T)  # one basis vector per inner list
    if difficulty > 1:
        raw["C"] = matrix_text(unimodular(rng, rows).T)
    return raw
