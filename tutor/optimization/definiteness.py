"""Is a symmetric matrix positive (semi)definite?  Sylvester's criterion as a teacher uses it.

A constant matrix: the leading principal minors decide definiteness (all > 0: positive
definite; signs alternating from < 0: negative definite); when a leading minor is 0 the
principal minors of every size decide semidefiniteness; a 1 x 1 matrix is its sign.  The
step checks itself with sympy's own eigenvalue-based tests, independently of the minors.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.steps import Step

VERDICTS = ("positive definite", "negative definite", "positive semidefinite",
            "negative semidefinite", "indefinite")


def leading_minors(H: sympy.MatrixBase) -> tuple[sympy.Expr, ...]:
    return tuple(sympy.factor(H[:k, :k].det()) for k in range(1, H.rows + 1))


def principal_minors(H: sympy.MatrixBase) -> tuple[tuple[tuple[int, ...], sympy.Expr], ...]:
    """Every principal minor, keyed by its (1-based) rows and columns."""
    n = H.rows
    return tuple((tuple(i + 1 for i in idx), sympy.factor(H.extract(list(idx), list(idx)).det()))
                 for k in range(1, n + 1) for idx in itertools.combinations(range(n), k))


def verdict_of(H: sympy.MatrixBase) -> tuple[str, str]:
    """(verdict, method) for a constant symmetric matrix, by minors."""
    lead = leading_minors(H)
    if all(m > 0 for m in lead):
        return "positive definite", "leading"
    if all((m < 0) if k % 2 == 0 else (m > 0) for k, m in enumerate(lead)):
        return "negative definite", "leading"
    if all(m != 0 for m in lead):
        return "indefinite", "leading"
    minors = [m for _, m in principal_minors(H)]
    if all(m >= 0 for m in minors):
        return "positive semidefinite", "principal"
    sizes = [len(idx) for idx, _ in principal_minors(H)]
    if all((m <= 0) if k % 2 else (m >= 0) for m, k in zip(minors, sizes)):
        return "negative semidefinite", "principal"
    return "indefinite", "principal"


@dataclass(frozen=True, kw_only=True)
class DefinitenessTest(Step):
    """``matrix`` is ``verdict``, read off its leading (``method="leading"``) or all
    (``"principal"``) principal minors, listed in ``minors``."""

    rule: ClassVar[str] = "optimization.definiteness"
    matrix: ImmutableMatrix
    method: str
    minors: tuple
    verdict: str

    def check(self) -> bool:
        # "indefinite" as neither semidefinite: sympy's is_indefinite answers None for
        # [[-4,-10,2],[-10,8,4],[2,4,-12]] (eigenvalues -14.9, -7.0, 13.9; found by the
        # differential test), while both semidefinite tests decide False
        H = sympy.Matrix(self.matrix)
        return {
            "positive definite": H.is_positive_definite,
            "negative definite": H.is_negative_definite,
            "positive semidefinite": H.is_positive_semidefinite and not H.is_positive_definite,
            "negative semidefinite": H.is_negative_semidefinite and not H.is_negative_definite,
            "indefinite": H.is_positive_semidefinite is False and H.is_negative_semidefinite is False,
        }[self.verdict] is True


def definiteness(H: sympy.MatrixBase) -> DefinitenessTest:
    H = ImmutableMatrix(H)
    verdict, method = verdict_of(H)
    minors = leading_minors(H) if method == "leading" else principal_minors(H)
    return DefinitenessTest(matrix=H, method=method, minors=minors, verdict=verdict)
