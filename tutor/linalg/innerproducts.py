"""Inner products and norms on R^n, as the MML book defines them (sections 3.1-3.2).

An inner product is given by a symmetric, positive definite matrix A:
``<x, y> = x^T A y`` (no matrix: the dot product ``x^T y``).  This module validates
such a matrix (saying which test failed), and provides the checkable steps that
the geometry kinds share: the positive-definiteness test, an inner product
written out term by term, and the norms ``||x||_1``, ``||x||_2``, ``||x||_inf`` and
``||x|| = sqrt(<x, x>)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import reduce as fold
from typing import Any, ClassVar, Literal

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.linalg.determinants import leading_minor_steps, minors_derived
from tutor.linalg.expansions import Abs, Equalities, Expansion, Max, Power, Sqrt, Sum, dot
from tutor.linalg.rowreduce import same_matrix
from tutor.core.steps import Step

NormKind = Literal["1", "2", "inf", "inner"]


def tidy(e: sympy.Expr) -> sympy.Expr:
    """Exact value in the form a teacher writes: simplified, surds denested, denominators rational."""
    e = sympy.sympify(e)
    if e.is_Rational:
        return e
    if e.is_number and not e.has(sympy.Function, sympy.pi):  # surds: no need for simplify()
        return sympy.radsimp(sympy.sqrtdenest(sympy.expand(e)))
    return sympy.radsimp(sympy.sqrtdenest(sympy.simplify(e)))


def factor_out(M: sympy.MatrixBase) -> tuple[sympy.Expr, ImmutableMatrix]:
    """``(c, N)`` with ``M = c N``, the way a teacher writes ``1/9 [[1, 2, 2], ...]``.

    ``c`` is the positive common factor of the entries: the rational content (gcd of
    the numerators over the lcm of the denominators), times their common surd when
    every nonzero entry has the same one (``sqrt(3)/3 [[0, -1, 1], ...]``).  When there
    is nothing to pull out (``c = 1``, or an entry is not exact) ``c`` is 1 and ``N`` is M.
    """
    parts = [e.primitive() if e.is_Add else e.as_coeff_Mul()
             for e in map(sympy.sympify, M) if e != 0]
    if not parts or not all(c.is_Rational for c, _ in parts):
        return sympy.S.One, ImmutableMatrix(M)
    rests = {r for _, r in parts}
    common = rests.pop() if len(rests) == 1 and not any(r.is_Add for r in rests) else sympy.S.One
    contents = [abs(c) for c, _ in parts]
    numerator = fold(sympy.igcd, (c.p for c in contents), 0)
    denominator = fold(sympy.ilcm, (c.q for c in contents), 1)
    factor = sympy.Rational(numerator, denominator) * common
    if factor == 1 or not (factor.is_positive):
        return sympy.S.One, ImmutableMatrix(M)
    N = ImmutableMatrix(M.applyfunc(lambda e: sympy.expand(e / factor)))

    def integral(e: sympy.Expr) -> bool:
        content = e.primitive()[0] if e.is_Add else e.as_coeff_Mul()[0]
        return e.is_number and content.is_Integer

    if not all(integral(e) for e in N):
        return sympy.S.One, ImmutableMatrix(M)
    return factor, N


def factored_parts(M: sympy.MatrixBase) -> list[Any]:
    """M with its common factor pulled out, as formula parts ``[c, N]`` (``[M]`` if none)."""
    c, N = factor_out(M)
    return [ImmutableMatrix(M)] if c == 1 else [c, N]


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Exact equality of two real numbers (structural, else the simplified difference is 0)."""
    return a == b or sympy.simplify(sympy.sympify(a) - b) == 0


def _positive(e: sympy.Expr) -> bool:
    return bool(sympy.simplify(e) > 0)


def leading_minors(A: sympy.MatrixBase) -> tuple[sympy.Expr, ...]:
    """det of the top-left k x k blocks, k = 1..n (Sylvester's criterion)."""
    return tuple(tidy(A[:k, :k].det()) for k in range(1, A.rows + 1))


def validate_inner_matrix(A: sympy.MatrixBase, n: int) -> None:
    """Raise a TutorError naming the failed test unless A defines an inner product on R^n."""
    if A.rows != A.cols:
        raise TutorError(f"the inner-product matrix must be square, not {A.rows}x{A.cols}")
    if A.rows != n:
        raise TutorError(f"the inner-product matrix is {A.rows}x{A.rows} but the vectors have {n} entries")
    for i in range(n):
        for j in range(i + 1, n):
            if not same(A[i, j], A[j, i]):
                raise TutorError(
                    f"the inner-product matrix is not symmetric: entry ({i + 1},{j + 1}) is "
                    f"{A[i, j]} but entry ({j + 1},{i + 1}) is {A[j, i]}")
    for k, minor in enumerate(leading_minors(A), start=1):
        if not _positive(minor):
            raise TutorError(
                f"the inner-product matrix is not positive definite: its leading {k}x{k} minor "
                f"is {minor}, and Sylvester's criterion needs every leading minor > 0")


@dataclass(frozen=True, kw_only=True)
class PositiveDefinite(Step):
    """A is symmetric and its leading minors (``minors``, k = 1..n; substeps: their derivations
    from Δ_2 on) are all positive, so ``x^T A y`` is an inner product (Sylvester's criterion)."""

    rule: ClassVar[str] = "inner.positive_definite"
    A: ImmutableMatrix
    minors: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        A = self.A
        return (A.is_square and all(same(A[i, j], A[j, i]) for i in range(A.rows) for j in range(i))
                and len(self.minors) == A.rows
                and all(same(m, A[:k, :k].det()) and _positive(m)
                        for k, m in enumerate(self.minors, start=1))
                and minors_derived(A, self.minors, self.substeps))


def positive_definite(A: ImmutableMatrix) -> PositiveDefinite:
    """The step recording why an (already validated) matrix A defines an inner product; the
    substeps compute its leading minors beyond the first."""
    return PositiveDefinite(A=A, minors=leading_minors(A),
                            substeps=tuple(d.step for d in leading_minor_steps(A)))


@dataclass(frozen=True, kw_only=True)
class InnerProduct(Step):
    """``<x, y> = x^T A y`` (``A`` None: the dot product ``x^T y``).

    ``Ay`` is A times y (None for the dot product); ``expansion`` writes ``x^T (Ay)``
    out term by term; ``value`` is the result.
    """

    rule: ClassVar[str] = "inner.product"
    x: ImmutableMatrix
    y: ImmutableMatrix
    A: ImmutableMatrix | None
    Ay: ImmutableMatrix | None
    expansion: Sum
    value: sympy.Expr

    @property
    def chain(self) -> Equalities:
        """The expansion and its value, for display."""
        return Equalities((self.expansion, self.value))

    def check(self) -> bool:
        if self.A is None:
            right, expected = self.y, self.x.dot(self.y)
            if self.Ay is not None:
                return False
        else:
            if self.Ay is None or not same_matrix(self.A * self.y, self.Ay):
                return False
            right, expected = self.Ay, (self.x.T * self.A * self.y)[0]
        return (self.expansion == dot(self.x, right) and same(self.expansion.value(), expected)
                and same(self.value, expected))


def inner_product(x: ImmutableMatrix, y: ImmutableMatrix, A: ImmutableMatrix | None) -> InnerProduct:
    """``<x, y>`` written out; with A, the product ``A y`` is formed first."""
    Ay = None if A is None else ImmutableMatrix((A * y).applyfunc(tidy))
    expansion = dot(x, y if Ay is None else Ay)
    return InnerProduct(x=x, y=y, A=A, Ay=Ay, expansion=expansion, value=tidy(expansion.value()))


@dataclass(frozen=True, kw_only=True)
class Norm(Step):
    """``||x||`` by definition: ``p`` is ``1`` (sum of absolute values), ``2`` (Euclidean),
    ``inf`` (largest absolute value) or ``inner`` (``sqrt(<x, x>)``, the substep).

    ``expansion`` is the definition written out, ``intermediate`` (optional) the same
    after the absolute values/squares are taken, ``value`` the result.
    """

    rule: ClassVar[str] = "inner.norm"
    x: ImmutableMatrix
    p: NormKind
    expansion: Expansion
    intermediate: Expansion | None
    value: sympy.Expr

    @property
    def chain(self) -> Equalities:
        """The definition written out, the intermediate form and the value, for display."""
        return Equalities((self.expansion, self.intermediate, self.value))

    def check(self) -> bool:
        x = self.x
        if self.p == "inner":
            sub = self.substeps
            if not (len(sub) == 1 and isinstance(sub[0], InnerProduct) and sub[0].x == x
                    and sub[0].y == x and sub[0].check()):
                return False
            expected = sympy.sqrt((x.T * sub[0].A * x)[0]) if sub[0].A is not None \
                else sympy.sqrt(x.dot(x))
        else:
            expected = x.norm({"1": 1, "2": 2, "inf": sympy.oo}[self.p])
        shown = [self.expansion] + ([self.intermediate] if self.intermediate is not None else [])
        return all(same(e.value(), expected) for e in shown) and same(self.value, expected)


def norm(x: ImmutableMatrix, p: NormKind = "2", A: ImmutableMatrix | None = None) -> Norm:
    """The norm of x with every term written out (``A`` only for ``p == "inner"``)."""
    if p == "inner":
        product = inner_product(x, x, A)
        expansion: Expansion = Sqrt(product.value)
        return Norm(x=x, p=p, expansion=expansion, intermediate=None,
                    value=tidy(expansion.value()), substeps=(product,))
    intermediate: Expansion
    if p == "1":
        expansion = Sum(tuple(Abs(e) for e in x))
        intermediate = Sum(tuple(abs(e) for e in x))
    elif p == "inf":
        expansion = Max(tuple(Abs(e) for e in x))
        intermediate = Max(tuple(abs(e) for e in x))
    else:
        expansion = Sqrt(Sum(tuple(Power(e, 2) for e in x)))
        intermediate = Sqrt(Sum(tuple(tidy(e ** 2) for e in x)))
    return Norm(x=x, p=p, expansion=expansion, intermediate=intermediate,
                value=tidy(expansion.value()))
