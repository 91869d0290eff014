"""Mistakes of the decompositions chapter: SVD, Cholesky, best low-rank approximation."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import matrix, mistakes, redo

mistakes("svd",
         ("the eigenvalues of A^T A in S instead of the singular values",
          lambda i, k: A.SVDAnswer(k.U, k.S.applyfunc(lambda s: s ** 2), k.V)),
         ("V^T written where V is asked", lambda i, k: A.SVDAnswer(k.U, k.S, k.V.T)),
         ("U and V swapped", lambda i, k: A.SVDAnswer(k.V, k.S.T, k.U) if k.S.is_square else None))


def _cholesky(M: sympy.Matrix, *, root: bool = True, divide: bool = True) -> A.MatrixAnswer:
    """L column by column, l_jj = sqrt(a_jj - sum l_jk^2), l_ij = (a_ij - sum l_ik l_jk) / l_jj,
    with the square root or the division left out when asked."""
    n = M.rows
    L = sympy.zeros(n, n)
    for j in range(n):
        d = M[j, j] - sum((L[j, c] ** 2 for c in range(j)), sympy.S.Zero)
        L[j, j] = sympy.sqrt(d) if root else d
        for r in range(j + 1, n):
            s = M[r, j] - sum((L[r, c] * L[j, c] for c in range(j)), sympy.S.Zero)
            L[r, j] = s / L[j, j] if divide else s
    return A.MatrixAnswer(L.applyfunc(sympy.radsimp))


mistakes("cholesky",
         ("L^T given for L (the upper triangular factor)", lambda i, k: A.MatrixAnswer(k.value.T)),
         ("the square root of the diagonal entries forgotten", lambda i, k: _cholesky(matrix(i), root=False)),
         ("the entries below the diagonal not divided by l_jj", lambda i, k: _cholesky(matrix(i), divide=False)))


def _rank_k(inputs: dict[str, Any], *, largest: bool = True, power: int = 1, right: str = "V") -> A.Answer:
    """sum over k singular triples of sigma^power u v^T: the k largest or all but them, V or U on the right."""
    svd = redo("svd", {"A": matrix(inputs)})
    k = int(inputs["k"])
    r = min(svd.S.shape)
    picked = range(k) if largest else range(k, r)
    other = svd.V if right == "V" else svd.U
    M = sympy.zeros(*matrix(inputs).shape)
    for j in picked:
        M += svd.S[j, j] ** power * svd.U[:, j] * other[:, j].T
    return A.MatrixAnswer(M.applyfunc(sympy.radsimp))


mistakes("low_rank",
         ("the smallest singular values kept instead of the largest", lambda i, k: _rank_k(i, largest=False)),
         ("sigma^2 (an eigenvalue of A^T A) used for sigma", lambda i, k: _rank_k(i, power=2)),
         ("u_i u_i^T for u_i v_i^T", lambda i, k: _rank_k(i, right="U") if matrix(i).is_square else None))
