"""Eigenvalues and decompositions (MML chapter 4) with integer eigenvalues and nice factors.

- ``P D P^{-1}`` with ``det P = +-1``: integer entries, chosen integer eigenvalues;
  repeated (difficulty 3: diagonalizable or defective, a Jordan block) on purpose;
- symmetric matrices ``Q D Q^T`` with Q built from integer orthogonal vectors, kept when
  the entries come out integer;
- SPD matrices ``L L^T`` with an integer lower-triangular L (Cholesky);
- SVD: ``U S V^T`` with U, V orthogonal with rational or ``1/sqrt 2`` entries, singular
  values chosen so that A is an integer matrix.
"""
from __future__ import annotations

import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import ORTHO_3, distinct_ints, looks_nice, matrix_text, rotation_2, signed_permutation, similar_to


def _spectrum(rng: random.Random, difficulty: int) -> tuple[sympy.Matrix, bool]:
    """A diagonal (or Jordan) matrix of integer eigenvalues; True when it is a Jordan block."""
    if difficulty == 1:
        return sympy.diag(*distinct_ints(rng, 2, 4)), False
    if difficulty == 2:
        return sympy.diag(*distinct_ints(rng, 3, 3)), False
    a, b = distinct_ints(rng, 2, 3)
    if rng.random() < 0.5:
        return sympy.diag(a, a, b), False
    J = sympy.diag(a, a, b)
    J[0, 1] = 1
    return J, True


def _similar(rng: random.Random, difficulty: int) -> sympy.Matrix:
    while True:
        D, _ = _spectrum(rng, difficulty)
        A = similar_to(rng, D, mix=1)
        if looks_nice(A) and (A.rows > 2 or 0 not in A) and max(abs(e) for e in A) <= 9:
            return A


def _symmetric(rng: random.Random, n: int) -> sympy.Matrix:
    """Q D Q^T with orthogonal integer directions; integer eigenvalues, kept if A is integer."""
    directions = {2: sympy.Matrix([[1, 1], [1, -1]]), 3: ORTHO_3[0]}[n]
    while True:
        D = sympy.diag(*distinct_ints(rng, n, 5 if n == 2 else 9))
        A = sum((directions.col(j) * directions.col(j).T * D[j, j] / (directions.col(j).T * directions.col(j))[0]
                 for j in range(n)), sympy.zeros(n))
        if all(e.is_integer for e in A) and looks_nice(A) and max(abs(e) for e in A) <= 9:
            return A


@generator("charpoly")
def charpoly(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return {"matrix": matrix_text(_similar(rng, min(difficulty, 2)))}


@generator("eigen")
def eigen(rng: random.Random, difficulty: int) -> dict[str, Any]:
    if difficulty == 2 and rng.random() < 0.3:
        return {"matrix": matrix_text(_symmetric(rng, 2))}
    return {"matrix": matrix_text(_similar(rng, difficulty))}


@generator("diagonalize")
def diagonalize(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Distinct eigenvalues (1, 2); at 3 a repeated one (maybe defective) or a symmetric A, orthogonally."""
    if difficulty == 3 and rng.random() < 0.4:
        return {"matrix": matrix_text(_symmetric(rng, rng.choice((2, 3)))), "orthogonal": True}
    return {"matrix": matrix_text(_similar(rng, difficulty))}


@generator("cholesky")
def cholesky(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A = L L^T with L integer lower triangular, positive diagonal."""
    n = 2 if difficulty == 1 else 3
    while True:
        L = sympy.zeros(n)
        for i in range(n):
            L[i, i] = rng.randint(1, 2 if difficulty < 3 else 3)
            for j in range(i):
                L[i, j] = rng.randint(-2, 2)
        A = L * L.T
        if looks_nice(A) and A != sympy.eye(n):
            return {"matrix": matrix_text(A)}


def _svd_matrix(rng: random.Random, difficulty: int) -> sympy.Matrix:
    """An integer A = U S V^T with nice singular values."""
    if difficulty == 3:  # 3x2 (or 2x3) from the 3x3 orthogonal (1/3)[[1,2,2],[2,1,-2],[2,-2,1]]
        # and the 2x2 orthogonal (1/sqrt 2)[[1,1],[1,-1]]: singular values 3 sqrt(2) s.  With a
        # signed permutation for V, AᵀA was diagonal: its eigenvalues read off (trivial at 3)
        U, scale = ORTHO_3
        U = signed_permutation(rng, 3) * U
        s1, s2 = sorted(rng.sample((1, 2, 3), 2), reverse=True)
        A = U[:, :2] * sympy.diag(s1, s2) * sympy.Matrix([[1, 1], [1, -1]]) * signed_permutation(rng, 2)
        return A if rng.random() < 0.5 else A.T
    if rng.random() < 0.5:
        Q, scale = rotation_2(rng)  # A = Q diag(s1, s2) P: singular values scale*s
        s1, s2 = sorted(rng.sample((1, 2, 3), 2), reverse=True)
        return Q * sympy.diag(s1, s2) * signed_permutation(rng, 2)
    # (1/sqrt 2) H orthogonal; same-parity singular values.  Medium draws from this pool too:
    # the rotations alone give 32 variants with small enough numbers (of 288), too few for
    # an exam of 16 distinct SVDs (exam --topics svd --count 16 failed); this pool gives 96
    H = sympy.Matrix([[1, 1], [1, -1]])
    s2 = rng.randint(1, 3 if difficulty == 1 else 4)
    s1 = s2 + 2 * rng.randint(1, 2 if difficulty == 1 else 3)
    return H * sympy.diag(s1, s2) * H * signed_permutation(rng, 2) / 2


@generator("svd")
def svd(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return {"matrix": matrix_text(_svd_matrix(rng, difficulty))}


@generator("low_rank")
def low_rank(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return {"matrix": matrix_text(_svd_matrix(rng, difficulty)), "k": 1}
