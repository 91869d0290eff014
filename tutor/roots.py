"""Roots of a characteristic polynomial the way a teacher finds them, recorded as steps.

The order is the classroom's: make the polynomial a primitive integer polynomial
(same roots), take out the root 0, try the candidates of the rational root test
and divide each root out (with its multiplicity), then solve what is left: a
quadratic by the quadratic formula (exact surds, complex pairs stated as such),
a higher-degree rest by factoring over Q into pieces solved the same way.  An
irreducible factor of degree >= 3 has no root a teacher would write in closed form:
its roots are kept exact as ``CRootOf`` objects (never a wrong closed form) and
shown with numeric approximations.

Every step's ``check()`` recomputes its claim with sympy (expansion, substitution,
minimal polynomials), independently of the search that produced it.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import reduce as fold
from typing import ClassVar

import sympy
from sympy import ZZ, Rational
from sympy.polys.polyclasses import DMP

from .steps import Step

__all__ = [
    "LAMBDA", "Root", "NormalizePolynomial", "PolynomialDivision", "RationalRootTest",
    "QuadraticFormula", "FactorOverQ", "NoClosedForm", "LinearRoot", "RootsFound", "find_roots",
    "root_key", "shown",
]

LAMBDA = sympy.Symbol("lambda")
MAX_LISTED_CANDIDATES = 24


def shown(e: sympy.Expr) -> sympy.Expr:
    """``e`` as a teacher writes it: a sum over a common denominator as one fraction,
    ``(3 - √13)/2`` rather than ``3/2 - √13/2`` (an unevaluated product, equal to ``e``;
    for display only, never for computing)."""
    if not isinstance(e, sympy.Add) or all(t.is_Rational for t in e.args):
        return e
    num, den = sympy.fraction(sympy.together(e))
    if not den.is_Integer or den == 1:
        return e
    return sympy.Mul(sympy.expand(num), sympy.Pow(den, -1, evaluate=False), evaluate=False)


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.expand(a - b) == 0


def _is_zero_at(p: sympy.Expr, var: sympy.Symbol, value: sympy.Expr) -> bool:
    """p(value) == 0, exactly: substitution then simplification (surds, i)."""
    return sympy.simplify(sympy.expand(p.subs(var, value))) == 0


@dataclass(frozen=True)
class Root:
    """A root and its multiplicity; ``exact``: False for a root with no closed form (CRootOf)."""

    value: sympy.Expr
    multiplicity: int

    @property
    def exact(self) -> bool:
        return not self.value.has(sympy.CRootOf)

    @property
    def approximation(self) -> sympy.Expr:
        return sympy.N(self.value, 6)

    @property
    def shown(self) -> sympy.Expr:
        return shown(self.value)


def root_key(value: sympy.Expr) -> tuple:
    """Order of roots: real ones ascending, then complex by real then imaginary part."""
    z = complex(sympy.N(value, 15))
    return (abs(z.imag) > 1e-20, z.real, z.imag)


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class NormalizePolynomial(Step):
    """``after = factor * before``: a primitive integer polynomial with positive leading
    coefficient; it has the same roots (``factor`` is a nonzero number)."""

    rule: ClassVar[str] = "roots.normalize"
    var: sympy.Symbol
    before: sympy.Expr
    after: sympy.Expr
    factor: sympy.Expr

    def check(self) -> bool:
        return self.factor != 0 and self.factor.is_number and _same(self.factor * self.before, self.after)


@dataclass(frozen=True, kw_only=True)
class PolynomialDivision(Step):
    """``dividend = (var - root)^multiplicity * quotient`` and ``quotient(root) != 0``."""

    rule: ClassVar[str] = "roots.divide"
    var: sympy.Symbol
    dividend: sympy.Expr
    root: sympy.Expr
    multiplicity: int
    quotient: sympy.Expr

    def check(self) -> bool:
        factor = (self.var - self.root) ** self.multiplicity
        return self.multiplicity >= 1 and _same(factor * self.quotient, self.dividend) \
            and not _is_zero_at(self.quotient, self.var, self.root)


def _candidates(poly: sympy.Poly) -> list[Rational]:
    """All ±p/q with p | a_0 and q | a_n (a_0 != 0), ascending by size then sign."""
    a0, an = abs(int(poly.TC())), abs(int(poly.LC()))
    values = {Rational(p, q) for p in sympy.divisors(a0) for q in sympy.divisors(an)}
    return sorted((s * v for v in values for s in (1, -1)), key=lambda r: (abs(r), bool(r < 0)))


@dataclass(frozen=True, kw_only=True)
class RationalRootTest(Step):
    """A rational root p/q of an integer polynomial has p | a_0 and q | a_n: ``candidates``
    lists them all, ``values`` their values of the polynomial, ``roots`` those giving 0."""

    rule: ClassVar[str] = "roots.rational_root_test"
    var: sympy.Symbol
    polynomial: sympy.Expr
    constant: sympy.Integer
    leading: sympy.Integer
    candidates: tuple[Rational, ...]
    roots: tuple[Rational, ...]

    @property
    def listed(self) -> bool:
        """Few enough candidates to print them all."""
        return len(self.candidates) <= MAX_LISTED_CANDIDATES

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        if not all(c.is_Integer for c in poly.all_coeffs()) or poly.TC() != self.constant \
                or poly.LC() != self.leading:
            return False
        if set(self.candidates) != set(_candidates(poly)):
            return False
        found = {c for c in self.candidates if poly.eval(c) == 0}
        exact = {r for r in sympy.roots(poly, filter="Q")}
        return found == set(self.roots) == exact


@dataclass(frozen=True, kw_only=True)
class QuadraticFormula(Step):
    """``a var^2 + b var + c = 0`` solved by ``(-b ± √disc) / 2a``; ``roots`` simplified."""

    rule: ClassVar[str] = "roots.quadratic_formula"
    var: sympy.Symbol
    polynomial: sympy.Expr
    a: sympy.Expr
    b: sympy.Expr
    c: sympy.Expr
    discriminant: sympy.Expr
    roots: tuple[sympy.Expr, ...]

    @property
    def kind(self) -> str:
        """``double`` (disc = 0), ``real`` (disc > 0) or ``complex`` (disc < 0)."""
        if self.discriminant == 0:
            return "double"
        return "real" if self.discriminant > 0 else "complex"

    @property
    def minus_b(self) -> sympy.Expr:
        return -self.b

    @property
    def two_a(self) -> sympy.Expr:
        return 2 * self.a

    @property
    def root_of_discriminant(self) -> sympy.Expr | None:
        """√D simplified (``16``, ``2i``, ``2√3``), or None when it is just ``√D``."""
        r = sympy.sqrt(self.discriminant)
        return None if isinstance(r, sympy.Pow) and r.base == self.discriminant else r

    @property
    def shown_roots(self) -> tuple[sympy.Expr, ...]:
        return tuple(shown(r) for r in self.roots)

    def check(self) -> bool:
        a, b, c = self.a, self.b, self.c
        if not _same(a * self.var**2 + b * self.var + c, self.polynomial) or a == 0:
            return False
        if not _same(self.discriminant, b**2 - 4 * a * c):
            return False
        expected = 1 if self.discriminant == 0 else 2
        return len(set(self.roots)) == expected and all(
            _is_zero_at(self.polynomial, self.var, r) for r in self.roots)


@dataclass(frozen=True, kw_only=True)
class FactorOverQ(Step):
    """``polynomial = Π factors`` (each factor irreducible over Q, repeated as often as it divides)."""

    rule: ClassVar[str] = "roots.factor"
    var: sympy.Symbol
    polynomial: sympy.Expr
    factors: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        return _same(sympy.Mul(*self.factors), self.polynomial) and all(
            sympy.Poly(f, self.var).is_irreducible for f in self.factors)


@dataclass(frozen=True, kw_only=True)
class NoClosedForm(Step):
    """An irreducible factor of degree >= 3 without rational roots: its roots are kept exact as
    ``CRootOf`` objects and shown with ``approximations`` (6 significant digits)."""

    rule: ClassVar[str] = "roots.no_closed_form"
    var: sympy.Symbol
    polynomial: sympy.Expr
    roots: tuple[sympy.Expr, ...]
    approximations: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        if poly.degree() < 3 or not poly.is_irreducible or len(self.roots) != poly.degree():
            return False
        numeric = [complex(z) for z in poly.nroots(n=15)]  # independent numerical roots
        close = all(min(abs(complex(a) - z) for z in numeric) < 1e-5 for a in self.approximations)
        return set(self.roots) == set(poly.all_roots()) and close and \
            all(abs(complex(sympy.N(r, 15)) - complex(a)) < 1e-5
                for r, a in zip(self.roots, self.approximations))


@dataclass(frozen=True, kw_only=True)
class LinearRoot(Step):
    """What is left is linear, ``a var + b``: its root ``-b/a`` is read off."""

    rule: ClassVar[str] = "roots.linear"
    var: sympy.Symbol
    polynomial: sympy.Expr
    root: sympy.Expr

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        return poly.degree() == 1 and poly.eval(self.root) == 0


@dataclass(frozen=True, kw_only=True)
class RootsFound(Step):
    """All roots of ``polynomial`` with their multiplicities (substeps: how they were found).

    Checked independently: each root's minimal polynomial divides ``polynomial`` exactly
    ``multiplicity`` times, and the multiplicities add up to the degree.
    """

    rule: ClassVar[str] = "roots.found"
    var: sympy.Symbol
    polynomial: sympy.Expr
    roots: tuple[Root, ...]

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        if sum(r.multiplicity for r in self.roots) != poly.degree():
            return False
        for r in self.roots:
            minimal = sympy.Poly(sympy.minimal_polynomial(r.value, self.var), self.var)
            if not (poly.rem(minimal ** r.multiplicity).is_zero
                    and not poly.rem(minimal ** (r.multiplicity + 1)).is_zero):
                return False
        return len({r.value for r in self.roots}) == len(self.roots)


# ---------------------------------------------------------------- the search

def _primitive(p: sympy.Poly) -> sympy.Expr:
    """The factor making a rational polynomial primitive integral with positive leading coefficient."""
    coeffs = p.all_coeffs()
    lcm = fold(sympy.ilcm, (Rational(c).q for c in coeffs), 1)
    gcd = fold(sympy.igcd, (int(Rational(c) * lcm) for c in coeffs), 0)
    return Rational(lcm, gcd) * sympy.sign(p.LC())


def _quadratic(q: sympy.Poly, var: sympy.Symbol) -> QuadraticFormula:
    a, b, c = q.all_coeffs()
    disc = b**2 - 4 * a * c
    root = sympy.sqrt(disc)
    values = [sympy.radsimp(sympy.expand((-b + s * root) / (2 * a))) for s in (-1, 1)]
    values = sorted(set(values), key=root_key)
    return QuadraticFormula(var=var, polynomial=q.as_expr(), a=a, b=b, c=c, discriminant=disc,
                            roots=tuple(values))


def _solve_rest(q: sympy.Poly, var: sympy.Symbol, steps: list[Step], roots: dict) -> None:
    """Roots of a polynomial without rational roots (degree >= 2)."""
    if q.degree() == 2:
        quad = _quadratic(q, var)
        steps.append(quad)
        for r in quad.roots:
            roots[r] = roots.get(r, 0) + (2 if quad.kind == "double" else 1)
        return
    _, factors = sympy.factor_list(q.as_expr(), var)
    pieces = [(sympy.Poly(f, var), k) for f, k in factors]
    if len(pieces) > 1 or pieces[0][1] > 1:
        steps.append(FactorOverQ(var=var, polynomial=q.as_expr(),
                                 factors=tuple(f.as_expr() for f, k in pieces for _ in range(k))))
    for f, k in pieces:
        if f.degree() == 2:
            quad = _quadratic(f, var)
            steps.append(quad)
            for r in quad.roots:
                roots[r] = roots.get(r, 0) + k * (2 if quad.kind == "double" else 1)
        else:
            values = tuple(sympy.CRootOf(f.as_expr(), i) for i in range(f.degree()))
            steps.append(NoClosedForm(var=var, polynomial=f.as_expr(), roots=values,
                                      approximations=tuple(sympy.N(v, 6) for v in values)))
            for r in values:
                roots[r] = roots.get(r, 0) + k


def _vanishes(coeffs: list[int], r: Fraction) -> bool:
    """The polynomial with these coefficients (highest power first) is 0 at r = u/v:
    q^n p(u/v) = sum a_k u^(n-k) v^k by Horner's scheme, in integers."""
    u, v = r.numerator, r.denominator
    value, power = 0, 1
    for c in coeffs:
        value = value * u + c * power
        power *= v
    return value == 0


def _divide_root(coeffs: list[int], r: Fraction) -> list[int]:
    """The quotient of an integer polynomial by (var - r) for a root r (synthetic division);
    integral by Gauss's lemma when the polynomial is primitive (see :func:`find_roots`)."""
    out, acc = [], Fraction(0)
    for c in coeffs[:-1]:
        acc = acc * r + c
        out.append(acc)
    return [int(c) for c in out]


def _poly(coeffs: list[int], var: sympy.Symbol) -> sympy.Poly:
    return sympy.Poly.new(DMP.from_list([ZZ(c) for c in coeffs], 0, ZZ), var)


def find_roots(polynomial: sympy.Expr | sympy.Poly, var: sympy.Symbol = LAMBDA) -> RootsFound:
    """All roots of a polynomial with rational coefficients, with the steps that find them.

    ``polynomial`` may be given as a ``Poly`` in ``var`` (as the characteristic polynomial
    is computed).  After normalization the search runs on integer coefficient lists
    (Horner's scheme, synthetic division); sympy objects are made only for the steps.
    """
    if isinstance(polynomial, sympy.Poly):
        p = polynomial
    else:
        p = sympy.Poly(sympy.expand(polynomial), var)
    expanded = p.as_expr()
    steps: list[Step] = []
    roots: dict[sympy.Expr, int] = {}
    factor = _primitive(p)
    if factor != 1:
        normalized = (p * factor).retract()
        steps.append(NormalizePolynomial(var=var, before=expanded, after=normalized.as_expr(),
                                         factor=factor))
        p = normalized
    coeffs = [int(c) for c in p.all_coeffs()]  # primitive, integral, leading coefficient > 0
    zero_mult = next(i for i, c in enumerate(reversed(coeffs)) if c != 0)
    if zero_mult:
        quotient = coeffs[:len(coeffs) - zero_mult]
        steps.append(PolynomialDivision(var=var, dividend=_poly(coeffs, var).as_expr(),
                                        root=sympy.S.Zero, multiplicity=zero_mult,
                                        quotient=_poly(quotient, var).as_expr()))
        roots[sympy.S.Zero] = zero_mult
        coeffs = quotient
    if len(coeffs) == 2:  # linear, read off: no candidates to try
        r = Rational(-coeffs[1], coeffs[0])
        steps.append(LinearRoot(var=var, polynomial=_poly(coeffs, var).as_expr(), root=r))
        roots[r] = roots.get(r, 0) + 1
        coeffs = [1]
    if len(coeffs) >= 4:  # a quadratic goes straight to the formula
        a0, an = abs(coeffs[-1]), abs(coeffs[0])
        values = {Fraction(u, v) for u in sympy.divisors(a0) for v in sympy.divisors(an)}
        candidates = sorted((s * v for v in values for s in (1, -1)), key=lambda r: (abs(r), r < 0))
        found = sorted(r for r in candidates if _vanishes(coeffs, r))
        expr = _poly(coeffs, var).as_expr()
        test = RationalRootTest(var=var, polynomial=expr, constant=sympy.Integer(coeffs[-1]),
                                leading=sympy.Integer(coeffs[0]),
                                candidates=tuple(Rational(r.numerator, r.denominator)
                                                 for r in candidates),
                                roots=tuple(Rational(r.numerator, r.denominator) for r in found))
        steps.append(test)
        for r, root in zip(found, test.roots):
            k, q = 0, coeffs
            while len(q) > 1 and _vanishes(q, r):
                q, k = _divide_root(q, r), k + 1
            if len(q) > 1 or k > 1:  # p = (var - r)^k itself is said when k > 1 (the multiplicity)
                quotient = _poly(q, var).as_expr()
                steps.append(PolynomialDivision(var=var, dividend=expr, root=root,
                                                multiplicity=k, quotient=quotient))
                expr = quotient
            roots[root] = k
            coeffs = q
    if len(coeffs) >= 3:  # no rational roots left (a linear rest would have had one)
        _solve_rest(_poly(coeffs, var), var, steps, roots)
    ordered = tuple(Root(v, roots[v]) for v in sorted(roots, key=root_key))
    return RootsFound(var=var, polynomial=expanded, roots=ordered, substeps=tuple(steps))
