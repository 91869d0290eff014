"""Decompositions, checked by their defining properties (never against our factors).

- diagonalization: ``D`` diagonal, ``P`` invertible and ``AP = PD`` (any order of the
  eigenvalues, any scale of the eigenvectors); a wrong column of ``P`` is named;
- SVD: ``U`` and ``V`` orthogonal, ``S`` diagonal, non-negative and decreasing,
  ``U S V^T = A``.

``A`` is rebuilt from the reference factors (``P D P^-1``, ``U S V^T``).
"""
from __future__ import annotations

from typing import Any

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.labelled import read_matrices
from tutor.checking.grading.matrices import show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong


def _zero(m: sympy.MatrixBase) -> bool:
    return all(numeric.equal(e, 0) for e in m)


def _exact(m: sympy.MatrixBase) -> sympy.Matrix:
    return sympy.Matrix(m).applyfunc(lambda e: numeric.exact_decimals(numeric.plain(e))[0])


def _diagonal(m: sympy.MatrixBase) -> bool:
    return all(numeric.equal(m[i, j], 0) for i in range(m.rows) for j in range(m.cols) if i != j)


def compare_diagonalization(expected: Any, text: str, policy: Policy) -> Verdict:
    says_no = reading.says_none(text) or "not diagonalizable" in text.lower()
    if not expected.diagonalizable:
        return right("not diagonalizable") if says_no else \
            wrong(text[:80], "the matrix is not diagonalizable")
    if says_no:
        return wrong("not diagonalizable", "the matrix is diagonalizable")
    parts = read_matrices(text, ["P", "D"], {"lambda": "D", "Λ": "D"})
    P, D = _exact(parts["P"]), _exact(parts["D"])
    parsed = f"P = {show_matrix(P)}, D = {show_matrix(D)}"
    A = sympy.Matrix(expected.P) * sympy.Matrix(expected.D) * sympy.Matrix(expected.P).inv()
    n = A.rows
    if P.shape != (n, n) or D.shape != (n, n):
        return wrong(parsed, f"P and D must be {n}×{n}")
    if not _diagonal(D):
        return wrong(parsed, "D is not diagonal")
    if numeric.equal(P.det(), 0):
        return wrong(parsed, "P is singular (its columns must be independent eigenvectors)")
    bad = [k for k in range(n) if not _zero(A * P[:, k] - D[k, k] * P[:, k])]
    feedback = [f"AP ≠ PD: column {k + 1} of P is not an eigenvector for D_{k + 1}{k + 1} = {D[k, k]}"
                for k in bad]
    return graded(parsed, feedback, 1 - len(bad) / n)


def _orthogonal(M: sympy.MatrixBase) -> bool:
    return _zero(M.T * M - sympy.eye(M.cols))


def compare_svd(expected: Any, text: str, policy: Policy) -> Verdict:
    parts = read_matrices(text, ["U", "S", "V"], {"sigma": "S", "σ": "S"})
    U, S, V = (_exact(parts[k]) for k in "USV")
    parsed = f"U = {show_matrix(U)}, S = {show_matrix(S)}, V = {show_matrix(V)}"
    A = sympy.Matrix(expected.U) * sympy.Matrix(expected.S) * sympy.Matrix(expected.V).T
    m, n = A.shape
    if U.shape != (m, m) or S.shape != (m, n) or V.shape != (n, n):
        return wrong(parsed, f"U must be {m}×{m}, S {m}×{n} and V {n}×{n}")
    feedback = []
    for name, M in (("U", U), ("V", V)):
        if not _orthogonal(M):
            feedback.append(f"{name} is not orthogonal ({name}ᵀ{name} ≠ I)")
    sigma = [S[i, i] for i in range(min(m, n))]
    if not _diagonal(S):
        feedback.append("S is not diagonal")
    elif any(sympy.N(s) < 0 for s in sigma):
        feedback.append("the singular values must be non-negative")
    elif any(sympy.N(a) < sympy.N(b) for a, b in zip(sigma, sigma[1:])):
        feedback.append("the singular values must be in decreasing order")
    if not _zero(U * S * V.T - A):
        feedback.append("U S Vᵀ ≠ A")
    return graded(parsed, feedback, 1 - len(feedback) / 4)
