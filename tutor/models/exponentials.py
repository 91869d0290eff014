"""Exact arithmetic on an RBF kernel's numbers, fast enough for 8 points.

The entries of an RBF Gram matrix are exp(−γ‖x − y‖²) with rational γ and points: each is a
power of one t = exp(−1/L), so every number of the dual is a rational function of t with
rational coefficients.  sympy's simplification of sums of exponentials is slow and sometimes
fails, and even its field Q(t) spends its time on a gcd after every addition: here a number is
a fraction ``num/den`` of polynomials that is reduced only when shown, and the numbers of one
solution share their denominator, so adding them is adding polynomials.  The linear system is
solved by Cramer's rule on integers: a polynomial with small integer coefficients is the
integer it takes at t = 2^B (Kronecker's substitution), and Python's integers multiply fast.
Signs are read at 50 digits of t.
"""
from __future__ import annotations

import functools
from typing import Sequence

import mpmath
import sympy
from sympy import QQ
from sympy.polys.rings import ring


class Ratio:
    """``num/den``, polynomials in t over Q; not reduced until ``Exponentials.expr``."""

    __slots__ = ("num", "den")

    def __init__(self, num, den) -> None:
        self.num, self.den = num, den

    def _lift(self, other) -> "Ratio":
        return other if isinstance(other, Ratio) else Ratio(self.num.ring(other), self.num.ring.one)

    def __add__(self, other) -> "Ratio":
        other = self._lift(other)
        if self.den == other.den:
            return Ratio(self.num + other.num, self.den)
        if other.den == 1:
            return Ratio(self.num + other.num * self.den, self.den)
        if self.den == 1:
            return Ratio(self.num * other.den + other.num, other.den)
        return Ratio(self.num * other.den + other.num * self.den, self.den * other.den)

    __radd__ = __add__

    def __neg__(self) -> "Ratio":
        return Ratio(-self.num, self.den)

    def __sub__(self, other) -> "Ratio":
        return self + -self._lift(other)

    def __rsub__(self, other) -> "Ratio":
        return self._lift(other) - self

    def __mul__(self, other) -> "Ratio":
        other = self._lift(other)
        if other.den == 1:
            return Ratio(self.num * other.num, self.den)
        if self.den == 1:
            return Ratio(self.num * other.num, other.den)
        return Ratio(self.num * other.num, self.den * other.den)

    __rmul__ = __mul__

    def __truediv__(self, other: int) -> "Ratio":
        return Ratio(self.num * QQ(1, other), self.den)

    def __bool__(self) -> bool:
        return bool(self.num)


def _det(rows: list[list[int]]) -> int:
    """The determinant of an integer matrix, by Bareiss's fraction-free elimination."""
    A = [list(r) for r in rows]
    n, sign, previous = len(A), 1, 1
    for k in range(n - 1):
        pivot = next((i for i in range(k, n) if A[i][k]), None)
        if pivot is None:
            return 0
        if pivot != k:
            A[k], A[pivot], sign = A[pivot], A[k], -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                A[i][j] = (A[i][j] * A[k][k] - A[i][k] * A[k][j]) // previous
        previous = A[k][k]
    return sign * A[n - 1][n - 1]


class Exponentials:
    """The arithmetic of one RBF Gram matrix ``K`` (and soft-margin constant ``C``)."""

    def __init__(self, K: sympy.MatrixBase, C: sympy.Expr | None):
        exponents = {a.args[0] for e in K for a in sympy.sympify(e).atoms(sympy.exp)}
        self.L = int(sympy.ilcm(*[sympy.Rational(x).q for x in exponents], 1))
        self.t = sympy.Dummy("t", positive=True)
        self.ring = ring([self.t], QQ)[0]
        one = self.ring.one

        def of(e: sympy.Expr) -> Ratio:
            e = sympy.sympify(e)
            power = e.args[0] if isinstance(e, sympy.exp) else 0
            coefficient = e / sympy.exp(power) if power else e
            return Ratio(self.ring(sympy.Rational(coefficient)) * self.ring.gens[0] ** int(-power * self.L), one)

        self.K = [[of(e) for e in row] for row in K.tolist()]
        self.C = None if C is None else Ratio(self.ring(sympy.Rational(C)), one)
        self.zero = Ratio(self.ring.zero, one)

    def expr(self, a: Ratio) -> sympy.Expr:
        """``a`` reduced to lowest terms, factored when short, with t written as exp(−1/L)."""
        if a.num == a.den:  # a free point's margin: no gcd needed
            return sympy.S.One
        f = self.ring.to_field().new(a.num, a.den)
        if max(f.numer.degree(), f.denom.degree()) <= 12:  # short enough to read factored
            return sympy.factor(f.as_expr()).xreplace({self.t: sympy.exp(sympy.Rational(-1, self.L))})
        # hundreds of terms: built unevaluated (sympy's flattening spends seconds on assumptions)
        num, den = (sympy.Add(*[_term(c, sympy.exp(sympy.Rational(-k, self.L))) for (k,), c in p.terms()],
                              evaluate=False) for p in (f.numer, f.denom))
        return sympy.Mul(num, sympy.Pow(den, -1, evaluate=False), evaluate=False)

    def margin(self, norm2: Ratio) -> sympy.Expr:
        """``√(1/‖w‖²)``, unevaluated: sympy's sqrt of a quotient of long sums asks for its sign
        through every term, and radsimp would multiply out powers of e to thousands."""
        return sympy.Pow(self.expr(Ratio(norm2.den, norm2.num)), sympy.S.Half, evaluate=False)

    def _value(self, a: Ratio) -> mpmath.mpf:
        t = mpmath.exp(mpmath.mpf(-1) / self.L)
        return _evaluate(a.num, t) / _evaluate(a.den, t)

    def at_least(self, a: Ratio | int, bound: Ratio | int) -> bool:
        d = self.zero + a - bound
        with mpmath.workdps(50):
            return not d or self._value(d) > 0

    def positive(self, a: Ratio) -> bool:
        with mpmath.workdps(50):
            return bool(a) and self._value(a) > 0

    def solve(self, rows: Sequence[Sequence[Ratio]], rhs: Sequence[Ratio],
              names: Sequence[sympy.Symbol]) -> tuple[list[Ratio], None]:
        """The unique solution by Cramer's rule, every determinant an integer determinant at
        t = 2^B, B above the bit length of a bound on every coefficient (the product of the
        rows' 1-norms, the right-hand side included, after clearing the rows' denominators)."""
        polys = []
        for row, r in zip(rows, rhs):
            entries = [self.zero + e for e in list(row) + [r]]
            assert all(e.den == 1 for e in entries)  # the system's entries are polynomials
            scale = sympy.ilcm(*[c.denominator for e in entries for c in e.num.coeffs()], 1)
            polys.append([[int(c * scale) for c in _dense(e.num)] for e in entries])
        bound = 1
        for row in polys:
            bound *= sum(abs(c) for entry in row for c in entry)
        B = bound.bit_length() + 2
        at = [[_kronecker(entry, B) for entry in row] for row in polys]
        n = len(at)
        den = _det([row[:n] for row in at])
        if den == 0:
            raise ValueError("a singular KKT system")
        denominator = self._poly(den, B)
        solution = []
        for k in range(n):
            num = _det([row[:k] + [row[n]] + row[k + 1:n] for row in at])
            solution.append(Ratio(self._poly(num, B), denominator))
        return solution, None

    def _poly(self, value: int, B: int):
        """The polynomial whose value at t = 2^B is ``value`` (signed digits base 2^B)."""
        coefficients, half, full = [], 1 << (B - 1), 1 << B
        while value:
            digit = value & (full - 1)
            if digit >= half:
                digit -= full
            coefficients.append(digit)
            value = (value - digit) >> B
        t = self.ring.gens[0]
        return sum((c * t ** k for k, c in enumerate(coefficients) if c), self.ring.zero)


def value(e: sympy.Expr) -> mpmath.mpf:
    """A constant expression at mpmath's working precision: sympy's evalf of a sum of a few
    hundred exponentials takes a second; here every subexpression is evaluated once (the
    numbers of one solution share their terms)."""
    with mpmath.workdps(mpmath.mp.dps + 10):
        return +_value(sympy.sympify(e), mpmath.mp.dps)


@functools.lru_cache(maxsize=65536)
def _value(e: sympy.Expr, dps: int) -> mpmath.mpf:
    if e.is_Rational:
        return mpmath.mpf(e.p) / e.q
    if isinstance(e, sympy.exp):
        return mpmath.exp(_value(e.args[0], dps))
    if e.is_Add:
        return mpmath.fsum(_value(a, dps) for a in e.args)
    if e.is_Mul:
        return mpmath.fprod(_value(a, dps) for a in e.args)
    if e.is_Pow:
        return mpmath.power(_value(e.base, dps), _value(e.exp, dps))
    return mpmath.mpf(sympy.N(e, dps))


def _term(c, power: sympy.Expr) -> sympy.Expr:
    c = sympy.Rational(c.numerator, c.denominator)
    return power if c == 1 else sympy.Mul(c, power, evaluate=False)


def _dense(p) -> list:
    """The coefficients of a polynomial in one variable, constant term first."""
    degree = p.degree() if p else 0
    out = [QQ(0)] * (max(degree, 0) + 1)
    for (k,), c in p.terms():
        out[k] = c
    return out


def _kronecker(coefficients: Sequence[int], B: int) -> int:
    value = 0
    for c in reversed(coefficients):
        value = (value << B) + c
    return value


def _evaluate(p, t: mpmath.mpf) -> mpmath.mpf:
    return mpmath.polyval([mpmath.mpf(c.numerator) / c.denominator for c in reversed(_dense(p))], t)
