"""Roots of a characteristic polynomial the way a teacher finds them, recorded as steps.

The order is the classroom's: make the polynomial a primitive integer polynomial
(same roots), take out the root 0, try the candidates of the rational root test
and divide each root out (with its multiplicity), then solve what is left: a
quadratic by the quadratic formula (exact surds, complex pairs stated as such),
a higher-degree rest by factoring over Q into pieces solved the same way (the content
of the rest kept as a constant factor).  An irreducible binomial ``a λ^n + b`` has
the n-th roots of ``-b/a`` as its roots, written in radicals.  Any other irreducible
factor of degree >= 3 keeps its roots exact as ``CRootOf`` objects (never a wrong
closed form), shown with numeric approximations, and the step says honestly why:
Cardano's or Ferrari's formula exists but is not written out (degree 3, 4), or the
Galois group is not solvable (degree 5, 6: no formula in radicals at all).

Every step's ``check()`` recomputes its claim with sympy (expansion, substitution,
minimal polynomials), independently of the search that produced it.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import reduce as fold
from typing import ClassVar, Sequence

import sympy
from sympy import ZZ, Rational
from sympy.polys.polyclasses import DMP

from tutor.core.steps import Step
from tutor.core.symcheck import approximate, is_zero

__all__ = [
    "LAMBDA", "Root", "NormalizePolynomial", "PolynomialDivision", "RationalRootTest",
    "SyntheticDivision", "QuadraticFormula", "FactorOverQ", "NoClosedForm", "BinomialRoots", "LinearRoot", "RootsFound", "find_roots",
    "SplitFactors", "find_roots_split",
    "root_key", "shown", "primitive_factor",
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
    """p(value) == 0, exactly: substitution then simplification (surds, i), or reduction modulo
    the polynomial of a ``CRootOf`` (:func:`symcheck.is_zero`)."""
    return is_zero(sympy.expand(p.subs(var, value)))


@dataclass(frozen=True)
class Root:
    """A root and its multiplicity; ``exact``: False for a root kept as a ``CRootOf`` (not
    written in radicals).  ``factor``: for a root of an irreducible factor of degree >= 3, that
    factor (the root is simple in it; eigenvectors come from the adjugate modulo it), else None."""

    value: sympy.Expr
    multiplicity: int
    factor: sympy.Expr | None = None

    @property
    def exact(self) -> bool:
        return not self.value.has(sympy.CRootOf)

    @property
    def approximation(self) -> sympy.Expr:
        return approximate(self.value, 6)

    @property
    def shown(self) -> sympy.Expr:
        return shown(self.value)


def root_key(value: sympy.Expr) -> tuple:
    """Order of roots: real ones ascending, then complex by real then imaginary part."""
    z = complex(approximate(value, 15))
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
    """``dividend = (var - root)^multiplicity * quotient`` and ``quotient(root) != 0`` (the root 0
    taken out of every term, ``λ^k``; other roots are divided out by :class:`SyntheticDivision`)."""

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


@dataclass(frozen=True, kw_only=True)
class SplitFactors(Step):
    """``polynomial = factors[0] * ... * factors[k-1] * rest`` with linear ``factors`` that were
    visible before expanding: ``a - var`` for a row or column of ``A - λI`` that is zero off the
    diagonal (the Laplace expansion along it is ``(a_ii - λ)`` times a smaller determinant), or
    ``var - r`` common to every term of the expansion. They are kept, their roots read off; only
    ``rest`` is searched."""

    rule: ClassVar[str] = "roots.split"
    var: sympy.Symbol
    polynomial: sympy.Expr
    factors: tuple[sympy.Expr, ...]
    roots: tuple[Rational, ...]  # of the factors, in their order
    rest: sympy.Expr
    seen: str = "line"  # or "common": common to every term of the Laplace expansion (shown there)


    @property
    def product(self) -> sympy.Expr:
        """The factorization as written: equal factors as a power, the rest last (display)."""
        counts: dict[sympy.Expr, int] = {}
        for f in self.factors:
            counts[f] = counts.get(f, 0) + 1
        with sympy.evaluate(False):
            pieces = [f if k == 1 else sympy.Pow(f, k) for f, k in counts.items()]
            if self.rest not in (1, -1):
                pieces.append(self.rest)
            product = sympy.Mul(*pieces) if len(pieces) > 1 else pieces[0]
            return -product if self.rest == -1 else product

    def check(self) -> bool:
        return all(sympy.Poly(f, self.var).degree() == 1 and f.subs(self.var, r) == 0
                   for f, r in zip(self.factors, self.roots, strict=True)) and \
            _same(sympy.Mul(*self.factors) * self.rest, self.polynomial)


def _candidates(poly: sympy.Poly) -> list[Rational]:
    """All ±p/q with p | a_0 and q | a_n (a_0 != 0), ascending by size then sign."""
    a0, an = abs(int(poly.TC())), abs(int(poly.LC()))
    values = {Rational(p, q) for p in sympy.divisors(a0) for q in sympy.divisors(an)}
    return sorted((s * v for v in values for s in (1, -1)), key=lambda r: (abs(r), bool(r < 0)))


@dataclass(frozen=True, kw_only=True)
class RationalRootTest(Step):
    """A rational root p/q of an integer polynomial has p | a_0 and q | a_n: ``candidates``
    lists them all, in the order tried (small first); ``values`` are the values of the
    polynomial at the first ``len(values)`` of them, computed until one is 0 (``root``), or at
    all of them when none is (``root`` None: no rational root)."""

    rule: ClassVar[str] = "roots.rational_root_test"
    var: sympy.Symbol
    polynomial: sympy.Expr
    constant: sympy.Integer
    leading: sympy.Integer
    candidates: tuple[Rational, ...]
    values: tuple[Rational, ...]
    root: Rational | None

    @property
    def listed(self) -> bool:
        """Few enough candidates to print them all."""
        return len(self.candidates) <= MAX_LISTED_CANDIDATES

    @property
    def tried(self) -> tuple[tuple[Rational, Rational], ...]:
        """(candidate, value) in the order tried."""
        return tuple(zip(self.candidates, self.values))

    @property
    def substituted(self) -> tuple[tuple[Rational, ...], ...]:
        """For each candidate tried, the terms ``a_k c^k`` of its value (highest power first):
        ``p(-1) = -1 - 9 - 15 - 7`` (display)."""
        coeffs = sympy.Poly(self.polynomial, self.var).all_coeffs()
        n = len(coeffs) - 1
        return tuple(tuple(a * c ** (n - k) for k, a in enumerate(coeffs) if a != 0)
                     for c in self.candidates[:len(self.values)])

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        if not all(c.is_Integer for c in poly.all_coeffs()) or poly.TC() != self.constant \
                or poly.LC() != self.leading or self.constant == 0:
            return False
        if set(self.candidates) != set(_candidates(poly)) or len(set(self.candidates)) != len(self.candidates):
            return False
        if not self.values or any(v != poly.eval(c) for c, v in self.tried):
            return False
        nonzero = all(v != 0 for v in self.values[:-1])
        if self.root is None:  # every candidate tried, none a root, and sympy finds none
            return nonzero and self.values[-1] != 0 and len(self.values) == len(self.candidates) \
                and not sympy.roots(poly, filter="Q")
        return nonzero and self.values[-1] == 0 and self.candidates[len(self.values) - 1] == self.root


@dataclass(frozen=True, kw_only=True)
class SyntheticDivision(Step):
    """``dividend = (var - root) * quotient`` by Horner's scheme: under the coefficients of
    ``dividend`` (highest power first), ``sums[0]`` is the leading coefficient, each
    ``products[k] = root * sums[k]`` is added to the next coefficient to give ``sums[k + 1]``;
    the last sum is the remainder, 0, the others the quotient's coefficients."""

    rule: ClassVar[str] = "roots.synthetic_division"
    var: sympy.Symbol
    dividend: sympy.Expr
    root: Rational
    products: tuple[Rational, ...]
    sums: tuple[Rational, ...]
    quotient: sympy.Expr

    @property
    def coefficients(self) -> tuple[sympy.Expr, ...]:
        return tuple(sympy.Poly(self.dividend, self.var).all_coeffs())

    def check(self) -> bool:
        a = self.coefficients
        if len(self.sums) != len(a) or len(self.products) != len(a) - 1 or self.sums[0] != a[0]:
            return False
        for k, p in enumerate(self.products):
            if p != self.root * self.sums[k] or self.sums[k + 1] != a[k + 1] + p:
                return False
        q = sympy.Poly(list(self.sums[:-1]), self.var)
        return self.sums[-1] == 0 and _same(q.as_expr(), self.quotient) and \
            _same((self.var - self.root) * self.quotient, self.dividend)


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
    """``polynomial = constant * Π factors``: each factor primitive and irreducible over Q
    (repeated as often as it divides), ``constant`` the content that is left (a quotient
    after dividing out a root p/q with q > 1 is q times a primitive polynomial)."""

    rule: ClassVar[str] = "roots.factor"
    var: sympy.Symbol
    polynomial: sympy.Expr
    factors: tuple[sympy.Expr, ...]
    constant: sympy.Expr = sympy.S.One

    def check(self) -> bool:
        return self.constant.is_Rational and self.constant != 0 and \
            _same(self.constant * sympy.Mul(*self.factors), self.polynomial) and all(
                sympy.Poly(f, self.var).is_irreducible for f in self.factors)


@dataclass(frozen=True, kw_only=True)
class NoClosedForm(Step):
    """An irreducible factor of degree >= 3, not a binomial, without rational roots: its roots
    are kept exact as ``CRootOf`` objects and shown with ``approximations`` (6 significant
    digits).  What is said about a closed form must be true: a cubic or quartic has one
    (Cardano's, Ferrari's formula) that the tutor does not write out (``real`` says how many
    roots are real: three real roots of a cubic need cube roots of complex numbers, the casus
    irreducibilis); of degree 5 or 6, ``solvable`` False means its Galois group is not
    solvable, so no formula in radicals exists (None: not known)."""

    rule: ClassVar[str] = "roots.no_closed_form"
    var: sympy.Symbol
    polynomial: sympy.Expr
    roots: tuple[sympy.Expr, ...]
    approximations: tuple[sympy.Expr, ...]
    real: int = 0
    solvable: bool | None = None

    @property
    def degree(self) -> int:
        return len(self.roots)

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        if poly.degree() < 3 or not poly.is_irreducible or len(self.roots) != poly.degree() \
                or _binomial(poly) is not None:
            return False
        if self.real != poly.count_roots() or \
                (self.solvable is not None and self.solvable != _solvable(poly)):
            return False
        numeric = [complex(z) for z in poly.nroots(n=15)]  # independent numerical roots
        nearest = [min(numeric, key=lambda z: abs(complex(a) - z)) for a in self.approximations]
        close = all(abs(complex(a) - z) < 1e-5 for a, z in zip(self.approximations, nearest))
        found = [_crootof(r, poly) for r in self.roots]
        exact = all(i is not None for i in found) and len(set(found)) == len(self.roots)
        # each approximation is near the root in its CRootOf's isolating box (sympy's evalf of a
        # complex CRootOf refines that box by bisection: seconds per root)
        return exact and close and len(self.approximations) == len(self.roots) and \
            all(_in_box(r, z) for r, z in zip(self.roots, nearest))


def _in_box(root: sympy.Expr, z: complex) -> bool:
    """``z`` (a root to 15 digits) lies in the isolating interval or rectangle of ``root``,
    ``c * CRootOf(q, i)``, up to rounding."""
    c, inner = root.as_coeff_Mul()
    w, box, slack = z / complex(c), inner._get_interval(), 1e-12
    if inner.is_real:
        return float(box.a) - slack <= w.real <= float(box.b) + slack and abs(w.imag) < 1e-9
    return float(box.ax) - slack <= w.real <= float(box.bx) + slack and \
        float(box.ay) - slack <= w.imag <= float(box.by) + slack


def _crootof(root: sympy.Expr, poly: sympy.Poly) -> int | None:
    """The index of ``root`` among the roots of ``poly`` when it is ``c * CRootOf(q, i)`` with
    ``q(x / c)`` proportional to ``poly`` (sympy writes a root of ``625x^3 - 7750x^2 + ...`` as
    ``2*CRootOf(625x^3 - 3875x^2 + ..., i)``), else None."""
    c, inner = root.as_coeff_Mul()
    if not isinstance(inner, sympy.CRootOf) or c == 0:
        return None
    q = sympy.Poly(inner.expr, inner.poly.gen)
    scaled = sympy.Poly(q.as_expr().subs(q.gen, poly.gen / c), poly.gen)
    return inner.index if scaled.monic() == poly.monic() else None


def _binomial(poly: sympy.Poly) -> Rational | None:
    """``c`` when ``poly`` is ``a var^n + b`` (n >= 1, b != 0), ``var^n = c = -b/a``; else None."""
    coeffs = poly.all_coeffs()
    if poly.degree() < 1 or coeffs[-1] == 0 or any(c != 0 for c in coeffs[1:-1]):
        return None
    return Rational(-coeffs[-1], coeffs[0])


def _solvable(poly: sympy.Poly) -> bool | None:
    """Whether the irreducible ``poly`` is solvable by radicals (its Galois group is solvable);
    None when sympy cannot tell (degree > 6)."""
    if poly.degree() <= 4:
        return True
    if poly.degree() > 6:
        return None
    group, _ = poly.galois_group(by_name=False)
    return bool(group.is_solvable)


def _unit(angle: sympy.Expr) -> sympy.Expr:
    """``e^{i angle} = cos(angle) + i sin(angle)`` in closed form (radicals where sympy knows them)."""
    return sympy.expand(sympy.cos(angle) + sympy.I * sympy.sin(angle))


@dataclass(frozen=True, kw_only=True)
class BinomialRoots(Step):
    """An irreducible binomial ``a var^n + b`` (n >= 3): ``var^n = radicand``, so its roots are the
    n-th roots ``modulus * e^{i angle_k}`` with ``modulus = |radicand|^(1/n)`` and
    ``angle_k = (2πk + arg(radicand)) / n`` (``arg`` 0 or π), k = 0, ..., n - 1; ``units`` are the
    ``e^{i angle_k}`` in closed form and ``roots`` their products with ``modulus``, expanded."""

    rule: ClassVar[str] = "roots.binomial"
    var: sympy.Symbol
    polynomial: sympy.Expr
    radicand: sympy.Expr
    modulus: sympy.Expr
    angles: tuple[sympy.Expr, ...]
    units: tuple[sympy.Expr, ...]
    roots: tuple[sympy.Expr, ...]

    @property
    def degree(self) -> int:
        return len(self.roots)

    @property
    def shown_roots(self) -> tuple[sympy.Expr, ...]:
        """``∛2 · (-1 + √3 i)/2`` rather than ``-∛2/2 + ∛2 √3 i/2`` (display only)."""
        return tuple(_times(self.modulus, shown(u)) for u in self.units)

    @property
    def shown_polar(self) -> tuple[sympy.Expr, ...]:
        """The roots as ``modulus · e^{i angle}`` (unevaluated, display only)."""
        return tuple(_times(self.modulus, sympy.exp(sympy.I * a, evaluate=False)) for a in self.angles)

    def check(self) -> bool:
        poly = sympy.Poly(self.polynomial, self.var)
        n = poly.degree()
        if n < 3 or _binomial(poly) != self.radicand or len(self.roots) != n:
            return False
        if not _same(self.modulus**n, abs(self.radicand)) or not self.modulus.is_positive:
            return False
        for a, u, r in zip(self.angles, self.units, self.roots, strict=True):
            if not _same(sympy.expand_complex(sympy.exp(sympy.I * a)), u) or \
                    not _same(self.modulus * u, r) or not _is_zero_at(self.polynomial, self.var, r):
                return False
        values = [complex(sympy.N(r, 15)) for r in self.roots]  # n distinct roots: all of them
        return all(abs(values[i] - values[j]) > 1e-9 for i in range(n) for j in range(i))


def _times(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """``a · b`` unevaluated (``a`` alone when ``b`` is 1, ``-a`` when -1): display only."""
    if b == 1:
        return a
    if b == -1:
        return sympy.Mul(-1, a, evaluate=False)
    return sympy.Mul(a, b, evaluate=False)


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

    Checked independently: each root is a root of ``polynomial`` and of its first
    ``multiplicity − 1`` derivatives but not of the next one (so it has exactly that
    multiplicity), the roots are distinct, and the multiplicities add up to the degree.
    (By values, :func:`symcheck.is_zero`, not by minimal polynomials: sympy's
    ``minimal_polynomial`` of nested radicals, the roots of λ⁵ − 2, takes many seconds.)
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
            derivatives = [poly.diff((self.var, k)) if k else poly for k in range(r.multiplicity + 1)]
            values = [is_zero(sympy.expand(d.as_expr().subs(self.var, r.value))) for d in derivatives]
            if not all(values[:-1]) or values[-1]:
                return False
        values = [r.value for r in self.roots]
        return all(not is_zero(a - b) for i, a in enumerate(values) for b in values[i + 1:])


# ---------------------------------------------------------------- the search

def primitive_factor(values: Sequence[sympy.Expr]) -> Rational:
    """The positive factor making rational values, not all 0, a primitive list of integers:
    the lcm of their denominators over the gcd of the numerators so cleared."""
    lcm = fold(sympy.ilcm, (Rational(c).q for c in values), 1)
    return Rational(lcm, fold(sympy.igcd, (int(Rational(c) * lcm) for c in values), 0))


def _primitive(p: sympy.Poly) -> sympy.Expr:
    """The factor making a rational polynomial primitive integral with positive leading coefficient."""
    return primitive_factor(p.all_coeffs()) * sympy.sign(p.LC())


def _quadratic(q: sympy.Poly, var: sympy.Symbol) -> QuadraticFormula:
    a, b, c = q.all_coeffs()
    disc = b**2 - 4 * a * c
    root = sympy.sqrt(disc)
    values = [sympy.radsimp(sympy.expand((-b + s * root) / (2 * a))) for s in (-1, 1)]
    values = sorted(set(values), key=root_key)
    return QuadraticFormula(var=var, polynomial=q.as_expr(), a=a, b=b, c=c, discriminant=disc,
                            roots=tuple(values))


def _binomial_roots(f: sympy.Poly, var: sympy.Symbol) -> BinomialRoots:
    c, n = _binomial(f), f.degree()
    modulus = sympy.root(abs(c), n)
    start = sympy.S.Zero if c > 0 else sympy.pi
    angles = [(start + 2 * sympy.pi * k) / n for k in range(n)]
    units = [_unit(a) for a in angles]
    values = [sympy.expand(modulus * u) for u in units]
    return BinomialRoots(var=var, polynomial=f.as_expr(), radicand=c, modulus=modulus,
                         angles=tuple(angles), units=tuple(units), roots=tuple(values))


def _solve_rest(q: sympy.Poly, var: sympy.Symbol, steps: list[Step], roots: dict,
                factor_of: dict) -> None:
    """Roots of a polynomial without rational roots (degree >= 2)."""
    if q.degree() == 2:
        quad = _quadratic(q, var)
        steps.append(quad)
        for r in quad.roots:
            roots[r] = roots.get(r, 0) + (2 if quad.kind == "double" else 1)
        return
    constant, factors = sympy.factor_list(q.as_expr(), var)
    pieces = [(sympy.Poly(f, var), k) for f, k in factors]
    if len(pieces) > 1 or pieces[0][1] > 1 or constant != 1:  # the content is kept, never dropped
        steps.append(FactorOverQ(var=var, polynomial=q.as_expr(), constant=sympy.sympify(constant),
                                 factors=tuple(f.as_expr() for f, k in pieces for _ in range(k))))
    for f, k in pieces:
        if f.degree() == 2:
            quad = _quadratic(f, var)
            steps.append(quad)
            for r in quad.roots:
                roots[r] = roots.get(r, 0) + k * (2 if quad.kind == "double" else 1)
        else:
            if _binomial(f) is not None:  # var^n = c: the n-th roots of c
                binomial = _binomial_roots(f, var)
                steps.append(binomial)
                values = binomial.roots
            else:
                values = tuple(sympy.CRootOf(f.as_expr(), i) for i in range(f.degree()))
                steps.append(NoClosedForm(var=var, polynomial=f.as_expr(), roots=values,
                                          approximations=tuple(approximate(v, 6) for v in values),
                                          real=f.count_roots(),
                                          solvable=_solvable(f) if f.degree() > 4 else None))
            for r in values:
                roots[r] = roots.get(r, 0) + k
                factor_of[r] = f.as_expr()


def _horner(coeffs: Sequence[int], r: Fraction) -> list[Fraction]:
    """The running sums of Horner's scheme for the polynomial with these coefficients (highest
    power first) at r: the last one is its value, the others the coefficients of the quotient
    by (var - r) (synthetic division)."""
    sums = [Fraction(coeffs[0])]
    for c in coeffs[1:]:
        sums.append(sums[-1] * r + c)
    return sums


def _rational(r: Fraction) -> Rational:
    return Rational(r.numerator, r.denominator)


def _test_and_divide(coeffs: list[int], var: sympy.Symbol, steps: list[Step], roots: dict) -> list[int]:
    """The rational root test as a student runs it: try the candidates in order (small first)
    until the polynomial vanishes, divide that root out by Horner's scheme, and start again on
    the quotient while it has degree >= 3 (a quadratic goes to the formula); returns what is left.
    The quotient of a primitive integer polynomial by a root u/v is v times an integer
    polynomial (Gauss's lemma), so the coefficients stay integers."""
    while len(coeffs) >= 4:
        a0, an = abs(coeffs[-1]), abs(coeffs[0])
        values = {Fraction(u, v) for u in sympy.divisors(a0) for v in sympy.divisors(an)}
        candidates = sorted((s * v for v in values for s in (1, -1)), key=lambda r: (abs(r), r < 0))
        tried, root, sums = [], None, []
        for c in candidates:
            sums = _horner(coeffs, c)
            tried.append(sums[-1])
            if sums[-1] == 0:
                root = c
                break
        expr = _poly(coeffs, var).as_expr()
        steps.append(RationalRootTest(var=var, polynomial=expr, constant=sympy.Integer(coeffs[-1]),
                                      leading=sympy.Integer(coeffs[0]),
                                      candidates=tuple(_rational(c) for c in candidates),
                                      values=tuple(_rational(v) for v in tried),
                                      root=None if root is None else _rational(root)))
        if root is None:
            break
        quotient = [int(c) for c in sums[:-1]]
        steps.append(SyntheticDivision(var=var, dividend=expr, root=_rational(root),
                                       products=tuple(_rational(root * c) for c in sums[:-1]),
                                       sums=tuple(_rational(c) for c in sums),
                                       quotient=_poly(quotient, var).as_expr()))
        roots[_rational(root)] = roots.get(_rational(root), 0) + 1
        coeffs = quotient
    return coeffs


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
    factors: dict[sympy.Expr, sympy.Expr] = {}  # root -> its irreducible factor of degree >= 3
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
    coeffs = _test_and_divide(coeffs, var, steps, roots)
    if len(coeffs) >= 3:  # no rational roots left (a linear rest would have had one)
        _solve_rest(_poly(coeffs, var), var, steps, roots, factors)
    ordered = tuple(Root(v, roots[v], factors.get(v)) for v in sorted(roots, key=root_key))
    return RootsFound(var=var, polynomial=expanded, roots=ordered, substeps=tuple(steps))


def find_roots_split(polynomial: sympy.Poly, values: Sequence[Rational], var: sympy.Symbol = LAMBDA,
                     seen: str = "line") -> RootsFound:
    """The roots of ``polynomial`` (a ``Poly`` in ``var``, rational coefficients) that has the
    linear factors with the roots ``values``, written ``a - var`` for a row or column zero off the
    diagonal (``seen`` "line"), ``var - r`` when common to every term of the Laplace expansion
    ("common"): those roots are read off, the rest's roots are found by :func:`find_roots`.
    A triangular matrix's eigenvalues are all read off."""
    factors = tuple(v - var if seen == "line" else var - v for v in values)
    divisor = fold(lambda a, b: a * b, (sympy.Poly.from_list([-1, v] if seen == "line" else [1, -v], var,
                                                             domain=sympy.QQ) for v in values))
    rest, remainder = polynomial.div(divisor)
    if not remainder.is_zero:
        raise ValueError("the factors do not divide the polynomial")
    rest = rest.retract()
    expanded = polynomial.as_expr()
    split = SplitFactors(var=var, polynomial=expanded, factors=factors, roots=tuple(values),
                         rest=rest.as_expr(), seen=seen)
    roots: dict[sympy.Expr, int] = {}
    for v in values:
        roots[v] = roots.get(v, 0) + 1
    steps: list[Step] = [split]
    factor_of: dict[sympy.Expr, sympy.Expr] = {}
    if rest.degree() > 0:
        found = find_roots(rest, var)
        steps += found.substeps
        for r in found.roots:
            roots[r.value] = roots.get(r.value, 0) + r.multiplicity
            if r.factor is not None:
                factor_of[r.value] = r.factor
    ordered = tuple(Root(v, roots[v], factor_of.get(v)) for v in sorted(roots, key=root_key))
    return RootsFound(var=var, polynomial=expanded, roots=ordered, substeps=tuple(steps))
