"""The inverse of a square matrix, derived the way a teacher would.

* Numbers: Gauss-Jordan elimination on ``[A | I]`` (the shared engine of
  :mod:`tutor.rowreduce`) until the left block is ``I``; the right block is then
  ``A^{-1}``.  When a pivot is missing (rank < n) the matrix is singular and the
  derivation stops at the echelon form, naming the zero row.
* Symbolic entries: elimination would divide by expressions that may vanish, so the
  derivation uses ``A^{-1} = adj(A) / det(A)`` with the determinant by Laplace
  expansion (:mod:`tutor.determinants`) and states the condition ``det(A) ≠ 0``.

:func:`inverse_steps` returns an :class:`Inversion` step (its substeps are the
derivation) so other kinds (change of basis, diagonalization) can embed it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import sympy
from sympy import ImmutableMatrix

from tutor.linalg.determinants import laplace_steps
from tutor.core.errors import TutorError
from tutor.linalg.rowreduce import all_rational, immutable, matrix_rows, reduce, same_matrix, snapshot
from tutor.core.steps import LazyField, Step, stored

__all__ = ["AugmentIdentity", "InverseReadOff", "SingularMatrix", "DetCondition", "Adjugate",
           "InverseFromAdjugate", "Inversion", "Inverse", "inverse_steps", "MAX_SYMBOLIC_N"]

MAX_SYMBOLIC_N = 3


def _is_zero_matrix(M: sympy.MatrixBase) -> bool:
    return all(sympy.simplify(e) == 0 for e in M)


@dataclass(frozen=True, kw_only=True)
class AugmentIdentity(Step):
    """Write ``[A | I]``: the matrix with the identity of the same size appended."""

    rule: ClassVar[str] = "inverse.augment_identity"
    A: ImmutableMatrix
    augmented: ImmutableMatrix

    def check(self) -> bool:
        n = self.A.rows
        return self.A.is_square and same_matrix(self.augmented, self.A.row_join(sympy.eye(n)))


@dataclass(frozen=True, kw_only=True)
class InverseReadOff(Step):
    """The reduced ``[I | B]``: the right block B is ``A^{-1}`` (verified: ``A B = I``)."""

    rule: ClassVar[str] = "inverse.read_off"
    A: ImmutableMatrix
    rref: ImmutableMatrix = LazyField()  # type: ignore[assignment]
    inverse: ImmutableMatrix

    def check(self) -> bool:
        n = self.A.rows
        return (same_matrix(self.rref[:, :n], sympy.eye(n)) and same_matrix(self.rref[:, n:], self.inverse)
                and same_matrix(self.A * self.inverse, sympy.eye(n)))


@dataclass(frozen=True, kw_only=True)
class SingularMatrix(Step):
    """The echelon form of ``[A | I]`` has only ``rank`` < n pivots in A's block: row
    ``zero_row`` (0-based) of the left block is zero, so A has no inverse."""

    rule: ClassVar[str] = "inverse.singular"
    A: ImmutableMatrix
    echelon: ImmutableMatrix
    rank: int
    zero_row: int

    def check(self) -> bool:
        n = self.A.rows
        return (self.rank < n and self.A.rank(simplify=True) == self.rank
                and _is_zero_matrix(self.echelon[self.zero_row, :n]))


@dataclass(frozen=True, kw_only=True)
class DetCondition(Step):
    """det(A) computed (substep: its Laplace expansion); A is invertible exactly when
    ``det`` ≠ 0, the condition the symbolic answer holds under (``vanishes``: det is 0
    for every value of the symbols, so A is never invertible)."""

    rule: ClassVar[str] = "inverse.det_condition"
    A: ImmutableMatrix
    det: sympy.Expr
    vanishes: bool

    def check(self) -> bool:
        d = sympy.simplify(self.det - self.A.det(method="berkowitz"))
        return d == 0 and (sympy.simplify(self.det) == 0) == self.vanishes


@dataclass(frozen=True, kw_only=True)
class Adjugate(Step):
    """The cofactors ``C_ij = (-1)^(i+j) det(M_ij)`` and the adjugate ``adj(A) = C^T``."""

    rule: ClassVar[str] = "inverse.adjugate"
    A: ImmutableMatrix
    cofactors: ImmutableMatrix
    adjugate: ImmutableMatrix

    def check(self) -> bool:
        n = self.A.rows
        expected = sympy.Matrix(n, n, lambda i, j: (-1) ** (i + j) * self.A.minor(i, j)) if n > 1 \
            else sympy.ones(1, 1)
        return (same_matrix(self.cofactors, expected) and self.adjugate == self.cofactors.T
                and same_matrix(self.adjugate, self.A.adjugate()))


@dataclass(frozen=True, kw_only=True)
class InverseFromAdjugate(Step):
    """``A^{-1} = adj(A) / det(A)`` (verified: ``A A^{-1} = I`` wherever det ≠ 0)."""

    rule: ClassVar[str] = "inverse.from_adjugate"
    A: ImmutableMatrix
    det: sympy.Expr
    adjugate: ImmutableMatrix
    inverse: ImmutableMatrix

    def check(self) -> bool:
        n = self.A.rows
        return (same_matrix(self.inverse, self.adjugate / self.det)
                and _is_zero_matrix(self.A * self.inverse - sympy.eye(n)))


@dataclass(frozen=True, kw_only=True)
class Inversion(Step):
    """The inverse of ``A`` (the substeps derive it); ``inverse`` None: A is singular."""

    rule: ClassVar[str] = "inverse"
    A: ImmutableMatrix
    inverse: ImmutableMatrix | None
    method: str  # "gauss_jordan" or "adjugate"

    def check(self) -> bool:
        if self.inverse is None:
            return any(isinstance(s, (SingularMatrix, DetCondition)) for s in self.substeps) and \
                sympy.simplify(self.A.det(method="berkowitz")) == 0
        return _is_zero_matrix(self.A * self.inverse - sympy.eye(self.A.rows))


class Inverse(NamedTuple):
    """The derivation (an :class:`Inversion` step) and the inverse, None when singular."""

    step: Inversion
    value: ImmutableMatrix | None


def _gauss_jordan(A: ImmutableMatrix) -> Inverse:
    n = A.rows
    one, zero = sympy.S.One, sympy.S.Zero
    augmented = snapshot([row + [one if i == j else zero for j in range(n)]
                          for i, row in enumerate(matrix_rows(A))])
    steps: list[Step] = [AugmentIdentity(A=A, augmented=augmented)]
    red = reduce(augmented, pivot_cols=n, to="rref")
    if len(red.pivots) < n:
        # stop at the echelon form: that is where a teacher sees the zero row
        steps.append(red.forward_only().step)
        steps.append(SingularMatrix(A=A, echelon=red.echelon, rank=len(red.pivots),
                                    zero_row=len(red.pivots)))
        return Inverse(Inversion(A=A, inverse=None, method="gauss_jordan", substeps=tuple(steps)), None)
    inverse = red.right_block(n)
    steps += [red.step, InverseReadOff(A=A, rref=stored(red, "rref"), inverse=inverse)]
    return Inverse(Inversion(A=A, inverse=inverse, method="gauss_jordan", substeps=tuple(steps)),
                   inverse)


def _adjugate(A: ImmutableMatrix) -> Inverse:
    n = A.rows
    det = laplace_steps(A, max_n=MAX_SYMBOLIC_N)
    vanishes = sympy.simplify(det.value) == 0
    steps: list[Step] = [DetCondition(A=A, det=det.value, vanishes=vanishes, substeps=(det.step,))]
    if vanishes:
        return Inverse(Inversion(A=A, inverse=None, method="adjugate", substeps=tuple(steps)), None)
    if n == 1:
        cofactors = ImmutableMatrix([[1]])
    else:
        cofactors = ImmutableMatrix(n, n, lambda i, j: sympy.expand(
            (-1) ** (i + j) * laplace_steps(A.minor_submatrix(i, j)).value))
    adjugate = ImmutableMatrix(cofactors.T)
    inverse = ImmutableMatrix(adjugate.applyfunc(lambda e: sympy.factor(sympy.cancel(e / det.value))))
    steps += [Adjugate(A=A, cofactors=cofactors, adjugate=adjugate),
              InverseFromAdjugate(A=A, det=det.value, adjugate=adjugate, inverse=inverse)]
    return Inverse(Inversion(A=A, inverse=inverse, method="adjugate", substeps=tuple(steps)), inverse)


def inverse_steps(A: sympy.MatrixBase) -> Inverse:
    """A^{-1} with steps: Gauss-Jordan for numbers, the adjugate formula for symbolic entries."""
    A = immutable(A)
    if not A.is_square or A.rows == 0:
        raise TutorError(f"only a square matrix has an inverse; this one is {A.rows}x{A.cols}")
    if not all_rational(matrix_rows(A)) and A.free_symbols:
        if A.rows > MAX_SYMBOLIC_N:
            raise TutorError(f"the inverse of a matrix with symbols is limited to "
                             f"{MAX_SYMBOLIC_N}x{MAX_SYMBOLIC_N} (this one is {A.rows}x{A.rows})")
        return _adjugate(A)
    return _gauss_jordan(A)
