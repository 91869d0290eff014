"""Nice numbers and their text: the building blocks every topic's generators share.

Raw inputs are text as a user would type it (``"[[2,1],[1,1]]"``, ``"x^2 \\sin(y)"`` is
written ``"x^2*sin(y)"``), so that a drawn problem can be printed as a TOML sheet and
parsed back by the kind exactly as from the command line.
"""
from __future__ import annotations

import random
import re
from typing import Iterable, Sequence

import sympy

Rows = list[list[int]]


# -- text ---------------------------------------------------------------------------

def expr_text(expr: object) -> str:
    """sympy's plain form with ``^`` for powers and ``2x`` for ``2*x`` (what a user types);
    Euler's number as ``e`` (sympy writes ``E``, which a student's parser reads as a variable)."""
    if isinstance(expr, sympy.Basic):
        expr = expr.xreplace({sympy.E: sympy.Symbol("e")})
    text = sympy.sstr(expr).replace("**", "^")
    return re.sub(r"(?<![\w.^])(\d+)\*(?=[A-Za-z(])", r"\1", text)


def matrix_text(M: sympy.MatrixBase | Sequence[Sequence[object]]) -> str:
    rows = M.tolist() if isinstance(M, sympy.MatrixBase) else M
    return "[" + ", ".join("[" + ", ".join(expr_text(e) for e in row) + "]" for row in rows) + "]"


def vector_text(v: sympy.MatrixBase | Iterable[object]) -> str:
    return "[" + ", ".join(expr_text(e) for e in v) + "]"


# -- integers -----------------------------------------------------------------------

def nonzero(rng: random.Random, bound: int) -> int:
    """A random integer in [-bound, bound] without 0."""
    return rng.choice([k for k in range(-bound, bound + 1) if k])


def small_ints(rng: random.Random, n: int, bound: int, *, zero: bool = True) -> list[int]:
    return [rng.randint(-bound, bound) if zero else nonzero(rng, bound) for _ in range(n)]


def distinct_ints(rng: random.Random, n: int, bound: int) -> list[int]:
    return rng.sample(range(-bound, bound + 1), n)


# -- matrices -----------------------------------------------------------------------

def unimodular(rng: random.Random, n: int, *, mix: int = 1, bound: int = 9) -> sympy.Matrix:
    """An integer matrix with determinant +-1 (so its inverse is an integer matrix).

    A product of a unit lower and a unit upper triangular matrix with small entries,
    rows permuted and a sign flipped at random; redrawn until its entries stay small and
    it has no zero row or column pattern that makes the problem trivial.
    """
    while True:
        L, U = sympy.eye(n), sympy.eye(n)
        for i in range(n):
            for j in range(i):
                L[i, j] = rng.randint(-mix, mix)
                U[j, i] = rng.randint(-mix, mix)
        M = L * U
        perm = list(range(n))
        rng.shuffle(perm)
        M = M.extract(perm, list(range(n)))
        if rng.random() < 0.5:
            M[rng.randrange(n), :] *= -1
        if max(abs(e) for e in M) <= bound and looks_nice(M):
            return M


def with_rank(rng: random.Random, rows: int, cols: int, rank: int, *, bound: int = 6) -> sympy.Matrix:
    """An integer ``rows x cols`` matrix of exactly the given rank, with small entries.

    Its rows are small integer combinations of ``rank`` independent small rows, so the
    row reduction stays in small numbers.
    """
    while True:
        basis = sympy.Matrix([small_ints(rng, cols, 2) for _ in range(rank)])
        if basis.rank() != rank or not looks_nice(basis):
            continue
        coeffs = sympy.Matrix([small_ints(rng, rank, 2) for _ in range(rows)])
        for i in range(min(rank, rows)):  # the first rows: the basis itself, shuffled below
            coeffs[i, :] = sympy.zeros(1, rank)
            coeffs[i, i] = 1
        M = coeffs * basis
        order = list(range(rows))
        rng.shuffle(order)
        M = M.extract(order, list(range(cols)))
        distinct = len({tuple(M.row(i)) for i in range(rows)} | {tuple(-M.row(i)) for i in range(rows)})
        if M.rank() == rank and max(abs(e) for e in M) <= bound and looks_nice(M) \
                and distinct >= 2 * min(rows, rank + 1):
            return M


def looks_nice(M: sympy.MatrixBase) -> bool:
    """Not a trivial exercise: no zero row or column, at most a quarter of the entries zero."""
    zeros = sum(1 for e in M if e == 0)
    return zeros <= max(1, M.rows * M.cols // 4) \
        and all(any(M.row(i)) for i in range(M.rows)) and all(any(M.col(j)) for j in range(M.cols))


def similar_to(rng: random.Random, D: sympy.Matrix, *, mix: int = 1) -> sympy.Matrix:
    """``P D P^{-1}`` with ``det P = +-1``: the eigenvalues of D with integer entries."""
    P = unimodular(rng, D.rows, mix=mix, bound=3)
    return P * D * P.inv()


# Orthogonal matrices with rational entries (scaled to integers) and their scale.
PYTHAGOREAN_2 = ((3, 4, 5), (5, 12, 13), (8, 15, 17))
ORTHO_3 = (sympy.Matrix([[1, 2, 2], [2, 1, -2], [2, -2, 1]]), 3)


def signed_permutation(rng: random.Random, n: int) -> sympy.Matrix:
    perm = list(range(n))
    rng.shuffle(perm)
    M = sympy.zeros(n)
    for i, j in enumerate(perm):
        M[i, j] = rng.choice((1, -1))
    return M


def rotation_2(rng: random.Random) -> tuple[sympy.Matrix, int]:
    """An integer matrix ``k Q`` with Q orthogonal (a Pythagorean rotation or reflection), and k."""
    a, b, c = rng.choice(PYTHAGOREAN_2)
    Q = sympy.Matrix([[a, -b], [b, a]]) if rng.random() < 0.5 else sympy.Matrix([[a, b], [b, -a]])
    return signed_permutation(rng, 2) * Q, c
