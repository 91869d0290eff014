"""QᵀQ = I shown, not asserted: the matrix of the inner products of the columns, written out.

Entry (i, j) of QᵀQ is the inner product q_i·q_j; a teacher writes each as the sum of the
products of the entries (``2/5 - 2/5``) and then the identity.  One step serves the orthogonal
diagonalization (Q) and the SVD (V, U).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.steps import Step
from tutor.linalg.rowreduce import same_matrix


@dataclass(frozen=True, kw_only=True)
class OrthonormalColumns(Step):
    """``products[i, j]`` is q_i·q_j written as the (unevaluated) sum of the products of the
    entries of columns i and j of ``Q`` named ``name``; their values form the identity.

    Checked independently: each sum's value is the inner product sympy computes from ``Q``,
    each term is one product of entries, and QᵀQ = I."""

    rule: ClassVar[str] = "orthonormal.columns"
    name: str
    Q: ImmutableMatrix
    products: ImmutableMatrix

    def check(self) -> bool:
        Q, n = sympy.Matrix(self.Q), self.Q.cols
        if self.products.shape != (n, n) or not same_matrix(Q.T * Q, sympy.eye(n)):
            return False
        for i in range(n):
            for j in range(n):
                terms = sympy.Add.make_args(self.products[i, j])
                wanted = [w for w in (sympy.expand(Q[k, i] * Q[k, j]) for k in range(Q.rows)) if w != 0]
                if sorted(map(sympy.srepr, terms)) != sorted(map(sympy.srepr, wanted or [sympy.S.Zero])):
                    return False
        return True


def orthonormal_columns(name: str, Q: sympy.MatrixBase) -> OrthonormalColumns:
    """The step for the matrix ``Q`` (orthonormal columns): each inner product as the sum of the
    nonzero products of entries (0 when there is none)."""
    Q = ImmutableMatrix(Q)

    def inner(i: int, j: int) -> sympy.Expr:
        terms = [p for p in (sympy.expand(Q[k, i] * Q[k, j]) for k in range(Q.rows)) if p != 0]
        return sympy.Add(*terms, evaluate=False) if len(terms) > 1 else (terms[0] if terms else sympy.S.Zero)

    products = ImmutableMatrix(Q.cols, Q.cols, lambda i, j: inner(i, j))
    return OrthonormalColumns(name=name, Q=Q, products=products)
