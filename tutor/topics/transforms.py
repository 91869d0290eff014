"""The density of Y = g(X) by the change-of-variables technique (MML 6.7.2).

For a strictly monotone g on the support of X, ``f_Y(y) = f_X(g^{-1}(y)) |d g^{-1}(y)/dy|``
on the image of the support.  The derivation: the density is validated as in
:mod:`tutor.topics.probability` (it integrates to 1), g' has one sign on the support,
``y = g(x)`` is solved for x, the support is mapped, and the formula is applied.
A g that is not monotone on the support is refused with the point where g' changes
sign (split the support there).  Every step checks itself numerically at points of
the support, where the formulas are meant to hold.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy

from tutor.core.answers import ExpressionAnswer
from tutor.probability.distributions import X, expression
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.probability.numbers import exact, same
from tutor.core.steps import Problem, Solution, Step
from tutor.topics.probability import DISTRIBUTION_FIELDS, build_variable, variable_prelude

Y = sympy.Symbol("y", real=True)
MAX_OPS = 40  # size of g: sympy's solve must stay fast


@dataclass(frozen=True)
class DensityAnswer(ExpressionAnswer):
    """A density ``f_Y(y)`` and the interval where it is positive."""

    type: ClassVar[str] = "expression"
    lower: sympy.Expr = -sympy.oo
    upper: sympy.Expr = sympy.oo

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "support": [str(self.lower), str(self.upper)]}


def _interior(lower: sympy.Expr, upper: sympy.Expr, count: int = 7) -> list[sympy.Expr]:
    """Points strictly inside (lower, upper), for sign tests and numeric checks."""
    if lower.is_finite and upper.is_finite:
        return [lower + (upper - lower) * sympy.Rational(k, count + 1) for k in range(1, count + 1)]
    if lower.is_finite:
        return [lower + sympy.Rational(k, 3) for k in range(1, count + 1)]
    if upper.is_finite:
        return [upper - sympy.Rational(k, 3) for k in range(1, count + 1)]
    return [sympy.Rational(k - count // 2, 2) for k in range(count)]


def _value(expr: sympy.Expr, var: sympy.Symbol, at: sympy.Expr) -> complex:
    return complex(sympy.N(expr.subs(var, at), 30))


def _agree(a: sympy.Expr, b: sympy.Expr, var: sympy.Symbol, points: list[sympy.Expr]) -> bool:
    """``a = b`` at every point (parameters sampled positive by :func:`same`)."""
    return all(same(a.subs(var, p), b.subs(var, p)) for p in points)


@dataclass(frozen=True, kw_only=True)
class Monotone(Step):
    """``g'(x)`` has one sign on (lower, upper): g is increasing (or decreasing) there."""

    rule: ClassVar[str] = "cov.monotone"
    g: sympy.Expr
    derivative: sympy.Expr
    lower: sympy.Expr
    upper: sympy.Expr
    increasing: bool

    def check(self) -> bool:
        if not same(sympy.diff(self.g, X), self.derivative):
            return False
        signs = [_value(self.derivative, X, p).real for p in _interior(self.lower, self.upper, 15)]
        return all(s > 0 for s in signs) if self.increasing else all(s < 0 for s in signs)


@dataclass(frozen=True, kw_only=True)
class InverseFunction(Step):
    """``y = g(x)`` solved for x: ``x = inverse(y)`` (checked: ``inverse(g(x)) = x`` on the support)."""

    rule: ClassVar[str] = "cov.inverse"
    g: sympy.Expr
    inverse: sympy.Expr
    lower: sympy.Expr
    upper: sympy.Expr

    def check(self) -> bool:
        return _agree(self.inverse.subs(Y, self.g), X, X, _interior(self.lower, self.upper))


@dataclass(frozen=True, kw_only=True)
class ImageSupport(Step):
    """The support (lower, upper) of X is mapped to (image_lower, image_upper) (limits at ±∞)."""

    rule: ClassVar[str] = "cov.support"
    g: sympy.Expr
    lower: sympy.Expr
    upper: sympy.Expr
    at_lower: sympy.Expr
    at_upper: sympy.Expr
    image_lower: sympy.Expr
    image_upper: sympy.Expr

    def check(self) -> bool:
        ends = [_end(self.g, self.lower, "+"), _end(self.g, self.upper, "-")]
        return _same_end(ends[0], self.at_lower) and _same_end(ends[1], self.at_upper) \
            and sorted(ends, key=lambda e: sympy.N(e)) == [self.image_lower, self.image_upper]


@dataclass(frozen=True, kw_only=True)
class DensityTransform(Step):
    """``f_Y(y) = f_X(x(y)) |dx/dy|``; ``dxdy`` is the derivative, ``sign`` makes it positive."""

    rule: ClassVar[str] = "cov.density"
    law: sympy.Expr
    inverse: sympy.Expr
    dxdy: sympy.Expr
    sign: int
    substituted: sympy.Expr
    result: sympy.Expr
    image_lower: sympy.Expr
    image_upper: sympy.Expr

    def check(self) -> bool:
        points = _interior(self.image_lower, self.image_upper)
        return _agree(sympy.diff(self.inverse, Y), self.dxdy, Y, points) \
            and all(_value(self.sign * self.dxdy, Y, p).real > 0 for p in points) \
            and _agree(self.law.subs(X, self.inverse), self.substituted, Y, points) \
            and _agree(self.substituted * self.sign * self.dxdy, self.result, Y, points)


def _same_end(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Ends of an interval agree (infinite ends compared as they are: ∞ − ∞ is undefined)."""
    return a == b if a.is_infinite or b.is_infinite else same(a, b)


def _end(g: sympy.Expr, end: sympy.Expr, direction: str) -> sympy.Expr:
    if end.is_infinite:
        return sympy.limit(g, X, end)
    value = g.subs(X, end)
    if value.has(sympy.zoo, sympy.nan) or value.is_finite is False:
        return sympy.limit(g, X, end, direction)
    return sympy.simplify(value)


def _monotone(g: sympy.Expr, lower: sympy.Expr, upper: sympy.Expr) -> Monotone:
    d = sympy.simplify(sympy.diff(g, X))
    try:
        zeros = sympy.solveset(d, X, sympy.Interval.open(lower, upper))
    except (NotImplementedError, ValueError, TypeError):
        zeros = None
    points = _interior(lower, upper, 15)
    if isinstance(zeros, sympy.FiniteSet):
        cuts = sorted((z for z in zeros if z.is_real), key=lambda z: sympy.N(z))
        edges = [lower] + cuts + [upper]
        points += [p for a, b in zip(edges, edges[1:]) for p in _interior(a, b, 3)]
    signs = {p: _value(d, X, p).real for p in points}
    if any(v == 0 for v in signs.values()) and not isinstance(zeros, sympy.FiniteSet):
        raise TutorError(f"g'(x) = {d} vanishes on the support: g must be strictly monotone")
    positive = [p for p, v in signs.items() if v > 0]
    negative = [p for p, v in signs.items() if v < 0]
    if positive and negative:
        raise TutorError(f"g is not monotone on the support: g'(x) = {d} is positive at x = "
                         f"{positive[0]} and negative at x = {negative[0]} (split the support "
                         "where g' changes sign)")
    return Monotone(g=g, derivative=d, lower=lower, upper=upper, increasing=bool(positive))


def _inverse(g: sympy.Expr, lower: sympy.Expr, upper: sympy.Expr) -> sympy.Expr:
    try:
        candidates = sympy.solve(sympy.Eq(Y, g), X)
    except (NotImplementedError, ValueError, TypeError):
        candidates = []
    points = _interior(lower, upper)
    for h in candidates:
        try:
            if _agree(h.subs(Y, g), X, X, points):
                return sympy.simplify(h)
        except (TypeError, ValueError):
            continue
    raise TutorError(f"cannot solve y = {g} for x in closed form")


def build(g: sympy.Expr, pdf: sympy.Expr | None = None, support: tuple | None = None,
          normalize: bool = False) -> Problem:
    if pdf is None:
        raise TutorError("change_of_variables needs the density of X: --pdf F --support 'a,b'")
    rv, validation = build_variable(None, None, pdf, support, normalize)
    g = exact(g)
    unknown = [s for s in g.free_symbols if s.name not in ("x", "X")]
    if unknown:
        raise TutorError(f"g must be a function of x alone, not of {', '.join(map(str, unknown))}")
    g = g.xreplace({s: X for s in g.free_symbols})
    if not g.has(X):
        raise TutorError("g must depend on x")
    if sympy.count_ops(g) > MAX_OPS:
        raise TutorError(f"g is too large (more than {MAX_OPS} operations)")
    return Problem("change_of_variables", {"g": g, "rv": rv, "validation": validation})


def solve(problem: Problem) -> Solution:
    g, rv = problem["g"], problem["rv"]
    lower, upper = rv.lower, rv.upper
    mono = _monotone(g, lower, upper)
    h = _inverse(g, lower, upper)
    inverse = InverseFunction(g=g, inverse=h, lower=lower, upper=upper)
    at_lower, at_upper = _end(g, lower, "+"), _end(g, upper, "-")
    lo, hi = (at_lower, at_upper) if mono.increasing else (at_upper, at_lower)
    image = ImageSupport(g=g, lower=lower, upper=upper, at_lower=at_lower, at_upper=at_upper,
                         image_lower=lo, image_upper=hi)
    dxdy = sympy.simplify(sympy.diff(h, Y))
    sign = 1 if mono.increasing else -1
    substituted = sympy.simplify(rv.law.subs(X, h))
    result = sympy.simplify(substituted * sign * dxdy)
    density = DensityTransform(law=rv.law, inverse=h, dxdy=dxdy, sign=sign, substituted=substituted,
                               result=result, image_lower=lo, image_upper=hi)
    steps = variable_prelude(problem) + [mono, inverse, image, density]
    return Solution(problem, tuple(steps), DensityAnswer(rv.user(result), lower=lo, upper=hi))


register(Kind(name="change_of_variables", topic="probability",
              summary="density of Y = g(X) for a strictly monotone g (MML 6.7.2)",
              fields=(Field("g", lambda v: expression(v, "g"), "the transformation g(x), e.g. 'x^2'",
                            positional=True),)
              + tuple(f for f in DISTRIBUTION_FIELDS if f.name in ("pdf", "support", "normalize")),
              build=build, solve=solve))
