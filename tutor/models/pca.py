"""Principal component analysis (MML 10): the mean, the data covariance
``S = (1/N) Σ x̃_n x̃_nᵀ`` of the centred data, its eigen-decomposition (the eigen kind's
derivation and the orthonormal eigenbasis of ``diagonalize --orthogonal`` as substeps), the
k principal axes, the codes ``z_n = Bᵀx̃_n``, the reconstructions ``x̄ + B z_n`` and the
average squared reconstruction error, which equals the sum of the discarded eigenvalues
(MML 10.3); the last step checks that equality against the reconstructions themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import mpmath
import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.probability.numbers import same_matrix, tidy
from tutor.core.steps import Step
from tutor.linalg.eigen import eigen_steps, orthonormal_eigenbasis
from tutor.probability.samples import SampleCovariance, SampleMean


DIGITS = 30


def _close(A: sympy.MatrixBase, B: sympy.MatrixBase) -> bool:
    """Equal matrices: exactly, or to 20 digits when decimals are involved (axes computed
    numerically for the roots of an irreducible cubic)."""
    if not (A.has(sympy.Float) or B.has(sympy.Float)):
        return same_matrix(A, B)
    return A.shape == B.shape and all(abs(sympy.N(a - b, DIGITS)) < sympy.Float(10) ** -20 for a, b in zip(A, B))


def _close_value(a: sympy.Expr, b: sympy.Expr) -> bool:
    return _close(ImmutableMatrix([a]), ImmutableMatrix([b]))


@dataclass(frozen=True, kw_only=True)
class PrincipalAxes(Step):
    """The eigenvalues of ``S`` in decreasing order and the orthonormal eigenvectors ``axes``
    (one per eigenvalue, in that order); the first ``k`` are the principal axes ``B``.
    Substeps: the eigen derivation and the orthonormal bases of the eigenspaces.  ``exact``
    False: the eigenvalues are roots of an irreducible cubic, and the values and axes are
    30-digit decimals (mpmath's symmetric eigensolver), checked to 20 digits."""

    rule: ClassVar[str] = "pca.axes"
    S: ImmutableMatrix
    eigenvalues: tuple[sympy.Expr, ...]
    axes: tuple[ImmutableMatrix, ...]
    k: int
    B: ImmutableMatrix
    exact: bool = True

    def check(self) -> bool:
        Q = ImmutableMatrix(sympy.Matrix.hstack(*self.axes))
        ordered = all(sympy.N(a - b) >= 0 for a, b in zip(self.eigenvalues, self.eigenvalues[1:]))
        return ordered and _close(Q.T * Q, sympy.eye(Q.cols)) and \
            _close(self.S * Q, Q * sympy.diag(*self.eigenvalues)) and _close(Q[:, :self.k], self.B)


@dataclass(frozen=True, kw_only=True)
class Codes(Step):
    """``z_n = Bᵀ x̃_n``: as a matrix, ``Z = X̃ B`` (one row per data point)."""

    rule: ClassVar[str] = "pca.codes"
    centred: ImmutableMatrix
    B: ImmutableMatrix
    codes: ImmutableMatrix

    def check(self) -> bool:
        return _close(self.centred * self.B, self.codes)


@dataclass(frozen=True, kw_only=True)
class Reconstructions(Step):
    """``x̃_n ≈ B z_n`` (centred) and ``x_n ≈ x̄ + B z_n``."""

    rule: ClassVar[str] = "pca.reconstructions"
    B: ImmutableMatrix
    codes: ImmutableMatrix
    mean: ImmutableMatrix
    centred: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return _close(self.codes * self.B.T, self.centred) and \
            _close(self.centred + sympy.ones(self.centred.rows, 1) * self.mean.T, self.result)


@dataclass(frozen=True, kw_only=True)
class ReconstructionError(Step):
    """``(1/N) Σ ‖x̃_n − B z_n‖²`` from the reconstructions equals the sum of the discarded
    eigenvalues ``Σ_{j>k} λ_j`` (MML 10.3)."""

    rule: ClassVar[str] = "pca.error"
    centred: ImmutableMatrix
    reconstructed: ImmutableMatrix
    squared: tuple[sympy.Expr, ...]
    discarded: tuple[sympy.Expr, ...]
    result: sympy.Expr

    def check(self) -> bool:
        diff = self.centred - self.reconstructed
        squared = [sum(e ** 2 for e in diff.row(i)) for i in range(diff.rows)]
        return all(_close_value(a, b) for a, b in zip(squared, self.squared)) and \
            _close_value(sum(squared) / diff.rows, self.result) and \
            _close_value(sum(self.discarded, sympy.S.Zero), self.result)


@dataclass(frozen=True)
class Analysis:
    steps: tuple[Step, ...]
    mean: ImmutableMatrix
    eigenvalues: tuple[sympy.Expr, ...]
    B: ImmutableMatrix
    codes: ImmutableMatrix
    error: sympy.Expr


def _tidy(M: sympy.MatrixBase) -> ImmutableMatrix:
    return ImmutableMatrix(M if M.has(sympy.Float) else M.applyfunc(tidy))


def _numeric_eigenpairs(S: ImmutableMatrix) -> tuple[list[sympy.Float], list[ImmutableMatrix]]:
    """Eigenvalues and unit eigenvectors of the symmetric S at 30 digits (first nonzero entry
    of each vector positive): for the roots of an irreducible cubic, which have no readable
    exact axes."""
    with mpmath.workdps(DIGITS + 10):
        E, Q = mpmath.eigsy(mpmath.matrix([[sympy.N(S[i, j], DIGITS + 10)._to_mpmath(mpmath.mp.prec)
                                            for j in range(S.cols)] for i in range(S.rows)]))
        vectors = []
        for j in range(S.cols):
            v = [Q[i, j] for i in range(S.rows)]
            lead = next(e for e in v if abs(e) > mpmath.mpf(10) ** -DIGITS)
            vectors.append(ImmutableMatrix([sympy.Float(e if lead > 0 else -e, DIGITS) for e in v]))
        return [sympy.Float(E[j], DIGITS) for j in range(S.cols)], vectors


def pca(data: ImmutableMatrix, k: int) -> Analysis:
    """PCA of the rows of ``data`` onto ``k`` principal axes, with steps."""
    N, D = data.shape
    if N < 2:
        raise TutorError("PCA needs at least 2 data points")
    if not 1 <= k <= D:
        raise TutorError(f"k must be from 1 to the dimension {D}, not {k}")
    sums = ImmutableMatrix([[sum(data.col(j)) for j in range(D)]])
    mean = ImmutableMatrix(sums.T / N)
    centred = ImmutableMatrix(data - sympy.ones(N, 1) * mean.T)
    scatter = ImmutableMatrix(centred.T * centred)
    S = ImmutableMatrix(scatter / N)
    eig = eigen_steps(S)
    exact = all(r.exact for r in eig.roots)
    if exact:
        columns, ortho = orthonormal_eigenbasis(eig)
        values = [r.value for r in eig.roots for _ in range(r.multiplicity)]
    else:
        values, columns, ortho = *_numeric_eigenpairs(S), []
    order = sorted(range(D), key=lambda i: -sympy.N(values[i], 30))
    eigenvalues = tuple(values[i] for i in order)
    axes = tuple((_tidy if exact else ImmutableMatrix)(columns[i]) for i in order)
    B = ImmutableMatrix(sympy.Matrix.hstack(*axes[:k]))
    codes = _tidy(centred * B)
    reconstructed = _tidy(codes * B.T)
    result = _tidy(reconstructed + sympy.ones(N, 1) * mean.T)
    diff = centred - reconstructed
    squared = tuple(tidy(sum(e ** 2 for e in diff.row(i))) for i in range(N))
    error = tidy(sum(eigenvalues[k:], sympy.S.Zero))
    steps: list[Step] = [
        SampleMean(data=data, sums=sums, n=N, result=mean),
        SampleCovariance(data=data, mean=mean, centred=centred, scatter=scatter, result=S),
        PrincipalAxes(S=S, eigenvalues=eigenvalues, axes=axes, k=k, B=B, exact=exact, substeps=(*eig.steps, *ortho)),
        Codes(centred=centred, B=B, codes=codes),
        Reconstructions(B=B, codes=codes, mean=mean, centred=reconstructed, result=result),
        ReconstructionError(centred=centred, reconstructed=reconstructed, squared=squared,
                            discarded=eigenvalues[k:], result=error),
    ]
    return Analysis(tuple(steps), mean, eigenvalues, B, codes, error)
