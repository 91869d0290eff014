"""QᵀQ = I shown, not asserted: the matrix of the inner products of the columns, written out.

Entry (i, j) of QᵀQ is the inner product q_i·q_j; a teacher writes each as the sum of the
products of the entries (``1/2 - 1/2``) and then the identity.  One step serves the orthogonal
diagonalization (Q) and the SVD (V, U).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.steps import Step
from tutor.linalg.rowreduce import same_matrix

Terms = tuple[tuple[tuple[sympy.Expr, ...], ...], ...]


@dataclass(frozen=True, kw_only=True)
class OrthonormalColumns(Step):
    """``terms[i][j]`` are the nonzero products of the entries of columns i and j of ``Q`` (named
    ``name``), whose sum is q_i·q_j; the sums form the identity.

    The terms are kept as a tuple, not as an unevaluated sum: a pickled ``1/2 + 1/2`` comes back
    as 1.  Checked independently: each term is one product of entries, and QᵀQ = I."""

    rule: ClassVar[str] = "orthonormal.columns"
    name: str
    Q: ImmutableMatrix
    terms: Terms

    @property
    def products(self) -> ImmutableMatrix:
        """QᵀQ with each entry the unevaluated sum of its products (0 when there is none)."""
        def entry(terms: tuple[sympy.Expr, ...]) -> sympy.Expr:
            return sympy.Add(*terms, evaluate=False) if len(terms) > 1 else (terms[0] if terms else sympy.S.Zero)
        n = self.Q.cols
        return ImmutableMatrix(n, n, lambda i, j: entry(self.terms[i][j]))

    def check(self) -> bool:
        Q, n = sympy.Matrix(self.Q), self.Q.cols
        if len(self.terms) != n or not same_matrix(Q.T * Q, sympy.eye(n)):
            return False
        return all(sorted(map(sympy.srepr, self.terms[i][j])) == sorted(map(sympy.srepr, _products(Q, i, j)))
                   for i in range(n) for j in range(n))


def _products(Q: sympy.MatrixBase, i: int, j: int) -> tuple[sympy.Expr, ...]:
    return tuple(p for p in (sympy.expand(Q[k, i] * Q[k, j]) for k in range(Q.rows)) if p != 0)


def orthonormal_columns(name: str, Q: sympy.MatrixBase) -> OrthonormalColumns:
    """The step for the matrix ``Q`` (orthonormal columns)."""
    Q = ImmutableMatrix(Q)
    terms = tuple(tuple(_products(Q, i, j) for j in range(Q.cols)) for i in range(Q.cols))
    return OrthonormalColumns(name=name, Q=Q, terms=terms)
