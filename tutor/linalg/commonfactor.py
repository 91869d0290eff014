"""A factor common to every term of the Laplace expansion of ``A - λI``, taken out, not expanded.

A teacher who expands ``det(A - λI)`` along a row and gets ``(3 - λ)(λ² - 6λ + 5) - 2(2 - 2λ)
+ 2(2λ - 2)`` sees that every term holds ``(λ - 1)`` (``λ² - 6λ + 5 = (λ - 1)(λ - 5)``,
``2 - 2λ = -2(λ - 1)``, ``2λ - 2 = 2(λ - 1)``) and writes ``(λ - 1)[(3 - λ)(λ - 5) + 4 + 4]``:
one eigenvalue is read off and only a quadratic is left to solve, where expanding first gives a
cubic and the rational root test.  The factors taken out are the linear factors over Q of the
greatest common divisor of the terms; each term's entry and minor determinant show where its
share of them comes from.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import reduce as fold
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.steps import Deferred, LazyField, Step
from tutor.linalg.determinants import LaplaceExpansion

__all__ = ["CommonFactor", "common_factor"]


def _product_parts(coefficient: sympy.Expr, factors: tuple[sympy.Expr, ...]) -> tuple:
    """Formula parts of ``coefficient · f_1 · f_2 ...`` as written: ``-2(λ - 1)``, ``(λ - 1)(λ - 5)``,
    ``(λ - 3)/2`` (sums bracketed; a coefficient 1 left out, -1 written as a sign)."""
    parts: list = []
    if not factors:
        return (coefficient,)
    if not coefficient.is_Integer:  # (λ - 3)/2, not 1/2(λ - 3), which reads 1/(2(λ - 3)) in text
        return (sympy.Mul(coefficient, *factors, evaluate=False),)
    if coefficient == -1:
        parts.append("-")
    elif coefficient != 1:
        parts.append(coefficient)
    for f in factors:
        parts += ["\\left(", f, "\\right)"] if f.is_Add else [f]
    return tuple(parts)


@dataclass(frozen=True, kw_only=True)
class CommonFactor(Step):
    """``det(shifted) = Σ terms`` (the values of the Laplace terms) and every term has the
    factor ``Π linear``: ``pieces`` (a polynomial, its coefficient and factors) are the entries
    and minor determinants that hold it, written factored; ``quotients`` (a coefficient and
    factors) are the terms divided by it, as written; ``rest`` their sum, expanded; so
    ``det(shifted) = Π linear · rest``."""

    rule: ClassVar[str] = "eigen.common_factor"
    var: sympy.Symbol
    shifted: ImmutableMatrix
    terms: tuple[sympy.Expr, ...] = LazyField()  # type: ignore[assignment] (read by check() only)
    linear: tuple[sympy.Expr, ...]
    pieces: tuple[tuple[sympy.Expr, sympy.Expr, tuple[sympy.Expr, ...]], ...]
    quotients: tuple[tuple[sympy.Expr, tuple[sympy.Expr, ...]], ...]
    rest: sympy.Expr

    @property
    def factor(self) -> sympy.Expr:
        return sympy.Mul(*self.linear)

    @property
    def roots(self) -> tuple[sympy.Expr, ...]:
        """The roots of the linear factors ``var - r``, in their order."""
        return tuple(self.var - f for f in self.linear)

    @property
    def shown_factor(self) -> tuple:
        """``(λ - 1)^2 (λ + 2)``: each linear factor once, with its power (formula parts)."""
        parts: list = []
        for f, k in Counter(self.linear).items():
            parts += ["\\left(", f, "\\right)"] if f.is_Add else [f]
            if k > 1:
                parts.append(f"^{{{k}}}")
        return tuple(parts)

    @property
    def shown_pieces(self) -> tuple[tuple, ...]:
        """``λ² - 6λ + 5 = (λ - 1)(λ - 5)`` for each piece (formula parts)."""
        return tuple((p, " = ", *_product_parts(c, fs)) for p, c, fs in self.pieces)

    @property
    def shown_quotients(self) -> tuple:
        """``(3 - λ)(λ - 5) + 4 + 4``: the terms divided by the factor, signs joined (formula parts)."""
        parts: list = []
        for c, fs in self.quotients:
            negative = c.could_extract_minus_sign()
            parts.append((" - " if parts else "-") if negative else (" + " if parts else ""))
            parts += _product_parts(-c if negative else c, fs)
        return tuple(parts)

    def check(self) -> bool:
        var, same = self.var, lambda a, b: sympy.expand(a - b) == 0
        g = self.factor
        if not self.linear or any(sympy.Poly(f, var).degree() != 1 for f in self.linear):
            return False
        if len(self.quotients) != len(self.terms):
            return False
        if not all(same(p, c * sympy.Mul(*fs)) for p, c, fs in self.pieces):
            return False
        values = [c * sympy.Mul(*fs) for c, fs in self.quotients]
        if not all(same(q * g, t) for q, t in zip(values, self.terms)) or not same(sum(values), self.rest):
            return False
        det = self.shifted.det(method="berkowitz")  # independent of the expansion
        return same(sum(self.terms), det) and same(g * self.rest, det)


def _expressions(polys: tuple[sympy.Poly, ...]) -> tuple[sympy.Expr, ...]:
    return tuple(p.as_expr() for p in polys)


def _linear_part(g: sympy.Poly) -> Counter:
    """The rational roots of ``g`` with their multiplicities (its linear factors over Q)."""
    _, factors = g.factor_list()
    return Counter({-f.nth(0) / f.nth(1): k for f, k in factors if f.degree() == 1})


def _show(pieces: list, polynomial: sympy.Expr, coefficient: sympy.Expr, factors: tuple) -> None:
    """Add ``polynomial = coefficient · factors`` to the pieces shown, unless it reads ``f = f``."""
    if coefficient != 1 or len(factors) > 1:
        pieces.append((polynomial, coefficient, factors))


def common_factor(expansion: LaplaceExpansion, terms: Sequence[sympy.Poly], var: sympy.Symbol
                  ) -> CommonFactor | None:
    """The linear factors over Q common to every term of ``expansion`` (of ``A - λI``, rational
    A, two terms or more; ``terms`` their values as ``Poly`` objects in ``var``) taken out, or
    None when the terms share none.  Decided on the polynomials alone: no expression is built
    unless a factor is found."""
    if not isinstance(expansion, LaplaceExpansion) or len(terms) < 2:
        return None
    g = fold(lambda a, b: a.gcd(b), terms)
    roots = _linear_part(g) if g.degree() >= 1 else Counter()
    if not roots:
        return None
    pieces, quotients = [], []
    for t, value in zip(expansion.terms, terms):
        need, coefficient, factors = Counter(roots), sympy.Integer(t.sign), []
        # an entry of A - λI: a - λ on the diagonal, a number off it (no expression to parse)
        entry = sympy.Poly.from_list([-1, t.entry + var] if t.i == t.j else [t.entry], var, domain=sympy.QQ)
        minor = value.exquo(entry * t.sign)  # the minor's determinant, without building its expression
        if entry.degree() == 1 and need[-entry.nth(0) / entry.nth(1)] > 0:  # 2 - 2λ = -2(λ - 1)
            r = -entry.nth(0) / entry.nth(1)
            need[r] -= 1
            coefficient *= entry.LC()
            _show(pieces, t.entry, entry.LC(), (var - r,))
        elif entry.degree() >= 1:
            factors.append(t.entry)
        else:
            coefficient *= t.entry
        taken = [(var - r, k) for r, k in need.items() if k > 0]
        if taken:
            quotient = minor.exquo(sympy.Poly(sympy.Mul(*[f**k for f, k in taken]), var))
            content, primitive = quotient.primitive()
            if primitive.LC() < 0:
                content, primitive = -content, -primitive
            coefficient *= content
            rest = () if primitive.degree() < 1 else (primitive.as_expr(),)
            _show(pieces, minor.as_expr(), content, tuple(f for f, k in taken for _ in range(k)) + rest)
            factors += rest
        elif minor.degree() >= 1:
            factors.append(minor.as_expr())
        else:
            coefficient *= minor.as_expr()
        quotients.append((coefficient, tuple(factors)))
    linear = tuple(var - r for r, k in sorted(roots.items()) for _ in range(k))
    factor = sympy.Poly(sympy.Mul(*linear), var)
    rest = fold(lambda a, b: a + b, (v.exquo(factor) for v in terms)).as_expr()
    return CommonFactor(var=var, shifted=expansion.matrix, terms=Deferred(_expressions, tuple(terms)),
                        linear=linear, pieces=tuple(pieces), quotients=tuple(quotients), rest=rest)
