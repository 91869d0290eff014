"""Multivariate Gaussians by mean and covariance: validation and the steps of MML 6.5.

A covariance matrix must be symmetric and positive semi-definite; the test is exact:
every principal minor is non-negative (positive definite, where an inverse is needed:
every leading principal minor is positive, Sylvester's criterion).  The error names
the first test that failed.  Each step checks its claim independently: the conditional
against the precision-matrix form (``Σ_{a|b} = (Λ_aa)^{-1}``), the product of two
densities by evaluating both sides at a point.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.probability.numbers import same, same_matrix
from tutor.core.steps import Step


def _minors(S: sympy.MatrixBase) -> list[tuple[tuple[int, ...], sympy.Expr]]:
    """Every principal minor, smallest index sets first: ``((i, j, ...), det)`` (0-based)."""
    n = S.rows
    return [(idx, S.extract(list(idx), list(idx)).det(method="bareiss"))
            for k in range(1, n + 1) for idx in itertools.combinations(range(n), k)]


def _leading(S: sympy.MatrixBase) -> tuple[sympy.Expr, ...]:
    return tuple(S[:k, :k].det(method="bareiss") for k in range(1, S.rows + 1))


@dataclass(frozen=True, kw_only=True)
class CovarianceCheck(Step):
    """``name`` is symmetric and positive semi-definite (``definite``: positive definite).

    ``leading`` are the leading principal minors, shown; the check recomputes all of them.
    """

    rule: ClassVar[str] = "gauss.valid_cov"
    name: str
    matrix: ImmutableMatrix
    leading: tuple[sympy.Expr, ...]
    definite: bool

    def check(self) -> bool:
        S = self.matrix
        if S != S.T or not all(same(a, b) for a, b in zip(_leading(S), self.leading)):
            return False
        if self.definite:
            return all(m > 0 for m in _leading(S))
        return all(m >= 0 for _, m in _minors(S))


def covariance_check(S: sympy.MatrixBase, name: str, what: str, definite: bool = False) -> CovarianceCheck:
    """The validation step, or a TutorError naming the first test that fails."""
    if not S.is_square:
        raise TutorError(f"{what} must be square, not {S.rows}x{S.cols}")
    if S.free_symbols:
        raise TutorError(f"{what} must have numbers as entries (to check that it is positive "
                         f"semi-definite), not {', '.join(sorted(map(str, S.free_symbols)))}")
    for i in range(S.rows):
        for j in range(i + 1, S.cols):
            if S[i, j] != S[j, i]:
                raise TutorError(f"{what} is not symmetric: entry ({i + 1},{j + 1}) is {S[i, j]} "
                                 f"but entry ({j + 1},{i + 1}) is {S[j, i]}")
    for idx, m in _minors(S):
        if m < 0:
            where = ", ".join(str(i + 1) for i in idx)
            if len(idx) == 1:
                raise TutorError(f"{what} is not positive semi-definite: the variance on the "
                                 f"diagonal at ({where},{where}) is {m} < 0")
            raise TutorError(f"{what} is not positive semi-definite: the principal minor on "
                             f"rows/columns {where} is {m} < 0")
    leading = _leading(S)
    if definite and any(m == 0 for m in leading):
        raise TutorError(f"{what} is singular (its determinant is {S.det()}): this needs a "
                         "positive definite, invertible covariance matrix")
    return CovarianceCheck(name=name, matrix=ImmutableMatrix(S), leading=leading, definite=definite)


@dataclass(frozen=True, kw_only=True)
class AffineMean(Step):
    """``E[y] = A μ + b``."""

    rule: ClassVar[str] = "gauss.affine_mean"
    A: ImmutableMatrix
    mean: ImmutableMatrix
    b: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.A * self.mean + self.b, self.result)


@dataclass(frozen=True, kw_only=True)
class AffineCovariance(Step):
    """``V[y] = A Σ A^T``, through ``A Σ`` (``product``)."""

    rule: ClassVar[str] = "gauss.affine_cov"
    A: ImmutableMatrix
    cov: ImmutableMatrix
    product: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.A * self.cov, self.product) \
            and same_matrix(self.product * self.A.T, self.result) and self.result == self.result.T


class _Blocks:
    """Blocks of a partitioned Gaussian, for the template: a 1-by-1 block is shown as a number."""

    @staticmethod
    def shown(M: sympy.MatrixBase) -> sympy.Expr | sympy.MatrixBase:
        return M[0, 0] if M.shape == (1, 1) else M


@dataclass(frozen=True, kw_only=True)
class Partition(_Blocks, Step):
    """``x = (x_a, x_b)``: the blocks of the mean and of the covariance (0-based ``a``, ``b``)."""

    rule: ClassVar[str] = "gauss.partition"
    a: tuple[int, ...]
    b: tuple[int, ...]
    mean: ImmutableMatrix
    cov: ImmutableMatrix
    mu_a: ImmutableMatrix
    mu_b: ImmutableMatrix
    S_aa: ImmutableMatrix
    S_ab: ImmutableMatrix
    S_ba: ImmutableMatrix
    S_bb: ImmutableMatrix

    def check(self) -> bool:
        a, b, S = list(self.a), list(self.b), self.cov
        return sorted(a + b) == list(range(S.rows)) \
            and self.mu_a == self.mean.extract(a, [0]) and self.mu_b == self.mean.extract(b, [0]) \
            and self.S_aa == S.extract(a, a) and self.S_ab == S.extract(a, b) \
            and self.S_ba == S.extract(b, a) and self.S_bb == S.extract(b, b)


def _precision_blocks(cov: sympy.MatrixBase, a: list[int], b: list[int]
                      ) -> tuple[sympy.Matrix, sympy.Matrix] | None:
    """``Λ_aa`` and ``Λ_ab`` of the precision ``Λ = Σ^{-1}`` (the checks' independent route),
    or None for a singular Σ: a semi-definite covariance is accepted (only Σ_bb must be
    invertible) but has no precision, and inverting it made the checks crash."""
    if cov.det() == 0:
        return None
    L = cov.inv()
    return L.extract(a, a), L.extract(a, b)


@dataclass(frozen=True, kw_only=True)
class ConditionalMean(_Blocks, Step):
    """``μ_{a|b} = μ_a + Σ_ab Σ_bb^{-1} (x_b − μ_b)``; ``gain = Σ_ab Σ_bb^{-1}``.

    The check also takes the precision route: ``μ_a − Λ_aa^{-1} Λ_ab (x_b − μ_b)``; for a
    singular Σ, the defining property of the gain: ``gain Σ_bb = Σ_ab`` (the residual
    ``x_a − gain x_b`` is uncorrelated with ``x_b``).
    """

    rule: ClassVar[str] = "gauss.cond_mean"
    partition: Partition
    S_bb_inv: ImmutableMatrix
    x_b: ImmutableMatrix
    diff: ImmutableMatrix
    gain: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        p = self.partition
        blocks = _precision_blocks(p.cov, list(p.a), list(p.b))
        independent = same_matrix(self.gain * p.S_bb, p.S_ab) if blocks is None else \
            same_matrix(p.mu_a - blocks[0].inv() * blocks[1] * self.diff, self.result)
        return same_matrix(self.S_bb_inv * p.S_bb, sympy.eye(len(p.b))) \
            and same_matrix(self.x_b - p.mu_b, self.diff) \
            and same_matrix(p.S_ab * self.S_bb_inv, self.gain) \
            and same_matrix(p.mu_a + self.gain * self.diff, self.result) and independent


@dataclass(frozen=True, kw_only=True)
class ConditionalCovariance(_Blocks, Step):
    """``Σ_{a|b} = Σ_aa − Σ_ab Σ_bb^{-1} Σ_ba`` (``product = gain Σ_ba``); checked against ``Λ_aa^{-1}``,
    or for a singular Σ against the covariance of the residual ``x_a − gain x_b``."""

    rule: ClassVar[str] = "gauss.cond_cov"
    partition: Partition
    gain: ImmutableMatrix
    product: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        p = self.partition
        blocks = _precision_blocks(p.cov, list(p.a), list(p.b))
        G = self.gain
        residual = p.S_aa - G * p.S_ba - p.S_ab * G.T + G * p.S_bb * G.T
        return same_matrix(G * p.S_ba, self.product) \
            and same_matrix(p.S_aa - self.product, self.result) \
            and same_matrix(residual if blocks is None else blocks[0].inv(), self.result)


def gaussian_density(x: sympy.MatrixBase, mean: sympy.MatrixBase, cov: sympy.MatrixBase) -> sympy.Expr:
    """``N(x | mean, cov)`` written out (cov positive definite)."""
    n = cov.rows
    d = x - mean
    return sympy.exp(-(d.T * cov.inv() * d)[0, 0] / 2) / sympy.sqrt((2 * sympy.pi)**n * cov.det())


@dataclass(frozen=True, kw_only=True)
class ProductCovariance(_Blocks, Step):
    """``C = (A^{-1} + B^{-1})^{-1}``; ``precision`` is the sum, inverted in the substep."""

    rule: ClassVar[str] = "gauss.product_cov"
    A_inv: ImmutableMatrix
    B_inv: ImmutableMatrix
    precision: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.A_inv + self.B_inv, self.precision) \
            and same_matrix(self.precision * self.result, sympy.eye(self.result.rows))


@dataclass(frozen=True, kw_only=True)
class ProductMean(_Blocks, Step):
    """``c = C (A^{-1} a + B^{-1} b)``; ``weighted`` is the bracket."""

    rule: ClassVar[str] = "gauss.product_mean"
    C: ImmutableMatrix
    A_inv: ImmutableMatrix
    a: ImmutableMatrix
    B_inv: ImmutableMatrix
    b: ImmutableMatrix
    weighted: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.A_inv * self.a + self.B_inv * self.b, self.weighted) \
            and same_matrix(self.C * self.weighted, self.result)


@dataclass(frozen=True, kw_only=True)
class ProductConstant(_Blocks, Step):
    """``c = N(a | b, A + B) = (2π)^{-n/2} det(A+B)^{-1/2} exp(−½ (a−b)^T (A+B)^{-1} (a−b))``.

    The check evaluates ``N(x|a,A) N(x|b,B)`` and ``c N(x|mean,C)`` at a point ``x``: the
    product identity itself, independent of how the constant was found.
    """

    rule: ClassVar[str] = "gauss.product_constant"
    a: ImmutableMatrix
    A: ImmutableMatrix
    b: ImmutableMatrix
    B: ImmutableMatrix
    S: ImmutableMatrix
    det: sympy.Expr
    diff: ImmutableMatrix
    quadratic: sympy.Expr
    mean: ImmutableMatrix
    C: ImmutableMatrix
    result: sympy.Expr

    @property
    def coefficient(self) -> sympy.Expr:
        """The factor in front of the exponential, ``1 / sqrt((2π)^n det(A + B))`` (display)."""
        return 1 / sympy.sqrt((2 * sympy.pi)**self.A.rows * self.det)

    @property
    def exponent(self) -> sympy.Expr:
        """``−½ (a−b)^T (A+B)^{-1} (a−b)`` (display): ``c = coefficient · e^exponent``."""
        return -self.quadratic / 2

    def check(self) -> bool:
        if not (same_matrix(self.A + self.B, self.S) and same(self.S.det(), self.det)
                and same_matrix(self.a - self.b, self.diff)
                and same((self.diff.T * self.S.inv() * self.diff)[0, 0], self.quadratic)):
            return False
        x = ImmutableMatrix([sympy.Rational(k + 1, 3) for k in range(self.A.rows)])
        lhs = gaussian_density(x, self.a, self.A) * gaussian_density(x, self.b, self.B)
        rhs = self.result * gaussian_density(x, self.mean, self.C)
        return same(lhs, rhs, positive=False)
