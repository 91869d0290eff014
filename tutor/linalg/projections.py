"""Orthogonal projection onto a subspace U = span(u_1, ..., u_k) (MML section 3.8).

The derivation is the book's: with B = [u_1 ... u_k], the coordinates λ of the
projection solve the normal equation ``B^T A B λ = B^T A x`` (A the inner-product
matrix, I for the dot product), found by the shared elimination engine; then
``π_U(x) = B λ``, the projection matrix ``P = B (B^T A B)^{-1} B^T A`` (built from
a basis of U when the u_i are dependent), the check that ``x - π_U(x)`` is
orthogonal to every u_i, and the distance ``||x - π_U(x)||`` from x to U.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import ProjectionAnswer
from tutor.linalg.expansions import Equalities, Fraction, Scaled, Sum
from tutor.linalg.innerproducts import Norm, factor_out, factored_parts, norm, positive_definite, same, tidy
from tutor.linalg.rowreduce import same_matrix, reduce
from tutor.core.steps import Problem, Solution, Step


def form(A: ImmutableMatrix | None, n: int) -> ImmutableMatrix:
    """The matrix of the inner product (the identity for the dot product)."""
    return ImmutableMatrix(sympy.eye(n)) if A is None else A


def columns(vectors: tuple[ImmutableMatrix, ...]) -> ImmutableMatrix:
    return ImmutableMatrix(sympy.Matrix.hstack(*vectors))


def display(M: ImmutableMatrix) -> Scaled | ImmutableMatrix:
    """M with the common factor of its entries pulled out (``1/9 [[1, 2, 2], ...]``), as the
    book writes projections; M itself when there is none."""
    c, N = factor_out(M)
    return M if c == 1 else Scaled(c, N)


@dataclass(frozen=True, kw_only=True)
class NormalEquation(Step):
    """The normal equation ``gram λ = rhs``: ``gram = B^T A B``, ``rhs = B^T A x``
    (``A`` None: the dot product), B the matrix with the spanning vectors as columns."""

    rule: ClassVar[str] = "projection.normal_equation"
    B: ImmutableMatrix
    A: ImmutableMatrix | None
    x: ImmutableMatrix
    gram: ImmutableMatrix
    rhs: ImmutableMatrix

    def check(self) -> bool:
        A = form(self.A, self.x.rows)
        return same_matrix(self.B.T * A * self.B, self.gram) and \
            same_matrix(self.B.T * A * self.x, self.rhs)


@dataclass(frozen=True, kw_only=True)
class Coefficients(Step):
    """A solution λ of ``gram λ = rhs``; the λ_i at ``free`` (0-based) are free and set to 0.

    One spanning vector: ``λ = rhs / gram`` (``fraction``).  Several: the substep is the
    row reduction of ``[gram | rhs]``.
    """

    rule: ClassVar[str] = "projection.coefficients"
    gram: ImmutableMatrix
    rhs: ImmutableMatrix
    names: tuple[sympy.Symbol, ...]
    free: tuple[int, ...]
    fraction: Fraction | None
    lam: ImmutableMatrix

    @property
    def chain(self) -> Equalities:
        """One spanning vector: λ as the fraction and its value, for display."""
        return Equalities((self.fraction, self.lam[0]))

    def check(self) -> bool:
        if self.fraction is not None and not same(self.fraction.value(), self.lam[0]):
            return False
        return same_matrix(self.gram * self.lam, self.rhs) and all(self.lam[i] == 0 for i in self.free)


@dataclass(frozen=True, kw_only=True)
class ProjectionPoint(Step):
    """``π_U(x) = B λ = λ_1 u_1 + ... + λ_k u_k``."""

    rule: ClassVar[str] = "projection.point"
    vectors: tuple[ImmutableMatrix, ...]
    lam: ImmutableMatrix
    result: ImmutableMatrix

    @property
    def chain(self) -> Equalities:
        """``λ_1 u_1 + ... = π_U(x)``, for display."""
        terms = tuple(Scaled(c, u) for c, u in zip(self.lam, self.vectors) if c != 0)
        return Equalities((Sum(terms or (Scaled(self.lam[0], self.vectors[0]),)),
                           display(self.result)))

    @property
    def shown(self) -> list[Any]:
        """The projection with its common factor pulled out: formula parts, for display."""
        return factored_parts(self.result)

    def check(self) -> bool:
        combo = sum((c * u for c, u in zip(self.lam, self.vectors, strict=True)),
                    sympy.zeros(self.result.rows, 1))
        return same_matrix(combo, self.result)


@dataclass(frozen=True, kw_only=True)
class ProjectionMatrix(Step):
    """``P = B (B^T A B)^{-1} B^T A`` from a basis of U: ``basis`` (the indices of the
    spanning vectors kept), ``B`` their matrix, ``gram_inverse`` the inverse of ``B^T A B``.

    The check is independent of the formula: P is idempotent, fixes every spanning
    vector, has rank dim U and is self-adjoint for the inner product (``P^T A = A P``);
    these properties determine the orthogonal projection onto U.
    """

    rule: ClassVar[str] = "projection.matrix"
    vectors: tuple[ImmutableMatrix, ...]
    basis: tuple[int, ...]
    A: ImmutableMatrix | None
    B: ImmutableMatrix
    gram_inverse: ImmutableMatrix
    P: ImmutableMatrix

    @property
    def shown(self) -> list[Any]:
        """P with its common factor pulled out: formula parts, for display."""
        return factored_parts(self.P)

    @property
    def gram_inverse_shown(self) -> list[Any]:
        """(B^T A B)^{-1} with its common factor pulled out (a 1x1 matrix stays as it is)."""
        return [self.gram_inverse] if self.gram_inverse.shape == (1, 1) else factored_parts(self.gram_inverse)

    def check(self) -> bool:
        A, P = form(self.A, self.P.rows), self.P
        full = columns(self.vectors)
        return (same_matrix(self.B, columns(tuple(self.vectors[i] for i in self.basis)))
                and same_matrix(self.gram_inverse * (self.B.T * A * self.B), sympy.eye(self.B.cols))
                and same_matrix(P * P, P) and same_matrix(P * full, full)
                and P.rank(simplify=True) == full.rank(simplify=True)
                and same_matrix(P.T * A, A * P))


@dataclass(frozen=True, kw_only=True)
class TrivialSubspace(Step):
    """Every spanning vector is zero, so U = {0}: the projection of any x is the zero vector
    (the only point of U, and x − 0 = x is orthogonal to 0), and P is the zero matrix."""

    rule: ClassVar[str] = "projection.trivial"
    vectors: tuple[ImmutableMatrix, ...]
    result: ImmutableMatrix
    P: ImmutableMatrix

    @property
    def shown(self) -> list[Any]:
        return [self.result]

    def check(self) -> bool:
        n = self.vectors[0].rows
        return all(u.is_zero_matrix for u in self.vectors) and self.result == sympy.zeros(n, 1) \
            and self.P == sympy.zeros(n, n)


@dataclass(frozen=True, kw_only=True)
class Residual(Step):
    """``r = x - π_U(x)`` and ``products[i] = <u_i, r>``, all 0: r is orthogonal to U."""

    rule: ClassVar[str] = "projection.residual"
    x: ImmutableMatrix
    projection: ImmutableMatrix
    residual: ImmutableMatrix
    vectors: tuple[ImmutableMatrix, ...]
    A: ImmutableMatrix | None
    products: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        A = form(self.A, self.x.rows)
        return same_matrix(self.x - self.projection, self.residual) and all(
            same((u.T * A * self.residual)[0], p) and same(p, 0)
            for u, p in zip(self.vectors, self.products, strict=True))


def lambdas(k: int) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.symbols(f"lambda_1:{k + 1}"))


def _coefficients(gram: ImmutableMatrix, rhs: ImmutableMatrix) -> Coefficients:
    k = gram.rows
    names = lambdas(k)
    if k == 1:
        fraction = Fraction(rhs[0], gram[0])
        return Coefficients(gram=gram, rhs=rhs, names=names, free=(), fraction=fraction,
                            lam=ImmutableMatrix([tidy(fraction.value())]))
    red = reduce(gram.row_join(rhs), pivot_cols=k, names=names, to="rref")
    lam = sympy.zeros(k, 1)
    for row, col in enumerate(red.pivots):
        lam[col] = red.rref[row, k]
    free = tuple(j for j in range(k) if j not in red.pivots)
    return Coefficients(gram=gram, rhs=rhs, names=names, free=free, fraction=None,
                        lam=ImmutableMatrix(lam), substeps=(red.step,))


def _projection_matrix(vectors: tuple[ImmutableMatrix, ...], basis: tuple[int, ...],
                       A: ImmutableMatrix | None) -> ProjectionMatrix:
    n = vectors[0].rows
    M = form(A, n)
    B = columns(tuple(vectors[i] for i in basis))
    gram_inverse = ImmutableMatrix((B.T * M * B).inv().applyfunc(tidy))
    P = ImmutableMatrix((B * gram_inverse * B.T * M).applyfunc(tidy))
    return ProjectionMatrix(vectors=vectors, basis=basis, A=A, B=B, gram_inverse=gram_inverse, P=P)


def solve_projection(problem: Problem) -> Solution:
    """Normal equation, coefficients, π_U(x), projection matrix, residual check, distance."""
    x, vectors, A = problem["x"], problem["U"], problem["A"]
    steps: list[Step] = [] if A is None else [positive_definite(A)]
    M = form(A, x.rows)
    if all(u.is_zero_matrix for u in vectors):  # U = {0}: no normal equation to solve
        zero = ImmutableMatrix(sympy.zeros(x.rows, 1))
        distance = norm(x, "2" if A is None else "inner", A)
        steps += [TrivialSubspace(vectors=vectors, result=zero, P=ImmutableMatrix(sympy.zeros(x.rows, x.rows))),
                  Residual(x=x, projection=zero, residual=x, vectors=vectors, A=A,
                           products=tuple(sympy.S.Zero for _ in vectors)),
                  distance]
        return Solution(problem, tuple(steps), ProjectionAnswer(zero, distance.value))
    B = columns(vectors)
    gram = ImmutableMatrix((B.T * M * B).applyfunc(tidy))
    rhs = ImmutableMatrix((B.T * M * x).applyfunc(tidy))
    coefficients = _coefficients(gram, rhs)
    lam = coefficients.lam
    point = ImmutableMatrix((B * lam).applyfunc(tidy))
    basis = tuple(j for j in range(len(vectors)) if j not in coefficients.free)
    residual = ImmutableMatrix((x - point).applyfunc(tidy))
    products = tuple(tidy((u.T * M * residual)[0]) for u in vectors)
    distance: Norm = norm(residual, "2" if A is None else "inner", A)
    steps += [
        NormalEquation(B=B, A=A, x=x, gram=gram, rhs=rhs),
        coefficients,
        ProjectionPoint(vectors=vectors, lam=lam, result=point),
        _projection_matrix(vectors, basis, A),
        Residual(x=x, projection=point, residual=residual, vectors=vectors, A=A, products=products),
        distance,
    ]
    return Solution(problem, tuple(steps), ProjectionAnswer(point, distance.value))


__all__ = ["NormalEquation", "Coefficients", "ProjectionPoint", "ProjectionMatrix", "TrivialSubspace", "Residual",
           "solve_projection", "form", "columns"]
