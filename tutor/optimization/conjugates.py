"""Convex conjugates f*(s) = sup_x (s x - f(x)) of functions of one variable (MML 7.3.3).

A differentiable, strictly convex f: s x - f(x) is strictly concave in x, so its supremum is
at the stationary point f'(x) = s when there is one: x(s) solved exactly, f*(s) = s x(s) -
f(x(s)).  The s for which a stationary point exists are the values of f' (an interval, f'
being increasing); at an end s₀ of that interval the supremum is the limit of s₀x - f(x)
at the domain's end, kept when finite.  A convex piecewise-linear f (the hinge loss
max(0, 1 - x)) has f*(s) finite exactly for s between its smallest and largest slope, where
the supremum is at a kink.

A domain with a finite end where f stays finite (x² on 0 <= x <= 1): for s beyond f' at that
end, s - f'(x) keeps one sign on the whole domain, so s x - f(x) is monotone and its supremum
is at the end, f*(s) = s x_e - f(x_e).  The conjugate is then piecewise: the end's affine piece,
the stationary piece, the other end's piece; each checked against a grid of the domain, and the
pieces meet continuously.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import Symbol

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.core.symcheck import same
from tutor.optimization import relations
from tutor.optimization.convexity import convexity

S = Symbol("s", real=True)


@dataclass(frozen=True, kw_only=True)
class Stationarity(Step):
    """d/dx (s x - f(x)) = s - f'(x) = 0 is solved by x = ``solution`` (for s in ``where``)."""

    rule: ClassVar[str] = "optimization.conjugate_stationarity"
    function: sympy.Expr
    var: Symbol
    derivative: sympy.Expr
    solution: sympy.Expr
    where: sympy.Set

    def check(self) -> bool:
        if not same(sympy.diff(self.function, self.var), self.derivative):
            return False
        probe = _interior(self.where)
        return same(self.derivative.xreplace({self.var: self.solution}).xreplace({S: probe}), probe)


@dataclass(frozen=True, kw_only=True)
class ConjugateValue(Step):
    """f*(s) = s x(s) - f(x(s)) simplified, and the set of s where the supremum is finite."""

    rule: ClassVar[str] = "optimization.conjugate_value"
    function: sympy.Expr
    var: Symbol
    solution: sympy.Expr
    value: sympy.Expr
    domain: sympy.Set
    ends: tuple[tuple[sympy.Expr, sympy.Expr], ...] = ()  # (s0, the limit there)

    def check(self) -> bool:
        raw = S * self.solution - self.function.xreplace({self.var: self.solution})
        return same(raw, self.value) and all(
            same(sympy.limit(self.value, S, s0, "+" if s0 == self.domain.inf else "-"), v)
            for s0, v in self.ends)


@dataclass(frozen=True, kw_only=True)
class PiecewiseLinear(Step):
    """f = max of the affine ``pieces``: f*(s) is finite for s in [min slope, max slope], where
    the sup over x is at a ``kink``: f*(s) = max over the kinks of s x_k - f(x_k)."""

    rule: ClassVar[str] = "optimization.conjugate_piecewise"
    function: sympy.Expr
    var: Symbol
    pieces: tuple[sympy.Expr, ...]
    kinks: tuple[sympy.Expr, ...]
    value: sympy.Expr
    domain: sympy.Set

    def check(self) -> bool:
        x = self.var
        if not same(self.function, sympy.Max(*self.pieces)):
            return False
        slopes = [sympy.diff(p, x) for p in self.pieces]
        if self.domain != sympy.Interval(min(slopes), max(slopes)):
            return False
        grid = [sympy.Rational(k, 4) for k in range(-40, 41)] + list(self.kinks)
        for s in (self.domain.inf, (self.domain.inf + self.domain.sup) / 2, self.domain.sup):
            best = max(s * g - self.function.xreplace({x: g}) for g in grid)
            if not same(self.value.xreplace({S: s}), best):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class EndPiece(Step):
    """For s on the ``side`` of ``slope`` = f'(``end``) away from the stationary range, the
    supremum of s x - f(x) is at the end: f*(s) = s·end - f(end) (attained when ``closed``)."""

    rule: ClassVar[str] = "optimization.conjugate_end"
    function: sympy.Expr
    var: Symbol
    end: sympy.Expr
    side: str              # "+": the lower end (s <= slope), "-": the upper end (s >= slope)
    slope: sympy.Expr
    value: sympy.Expr
    closed: bool
    other: sympy.Expr      # the domain's other end (possibly infinite): where the grid ends

    def check(self) -> bool:
        x, f = self.var, self.function
        if not same(sympy.limit(sympy.diff(f, x), x, self.end, self.side), self.slope):
            return False
        if not same(self.value, S * self.end - sympy.limit(f, x, self.end, self.side)):
            return False
        far = self.other if self.other.is_finite else self.end + (10 if self.side == "+" else -10)
        grid = [self.end + (far - self.end) * sympy.Rational(k, 40) for k in range(1, 41)]
        fn = sympy.lambdify(x, f, "math")
        for step in (0, 1, 3):
            t = self.slope - step if self.side == "+" else self.slope + step
            top = float(self.value.xreplace({S: t}))
            if any(float(t * g) - fn(float(g)) > top + 1e-9 for g in grid):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class Pieces(Step):
    """f*(s) as one expression per range of s (``pieces``: (value, range)); neighbouring pieces
    agree where they meet (a conjugate is continuous inside its domain)."""

    rule: ClassVar[str] = "optimization.conjugate_pieces"
    pieces: tuple[tuple[sympy.Expr, sympy.Set], ...]
    value: sympy.Expr

    def check(self) -> bool:
        for (u, a), (v, b) in zip(self.pieces, self.pieces[1:]):
            join = a.sup
            if join != b.inf or not same(sympy.limit(u, S, join, "-"), sympy.limit(v, S, join, "+")):
                return False
        return all(same(self.value.xreplace({S: _interior(r)}), e.xreplace({S: _interior(r)}))
                   for e, r in self.pieces)


def _tidy(value: sympy.Expr, where: sympy.Set) -> sympy.Expr:
    """``value`` simplified knowing the sign of s on ``where`` (log(-1/s) = -log(-s) for s < 0)."""
    t = Symbol("t", positive=True)
    if where.inf == 0:
        return sympy.simplify(sympy.expand_log(value.xreplace({S: t}))).xreplace({t: S})
    if where.sup == 0:
        return sympy.simplify(sympy.expand_log(value.xreplace({S: -t}))).xreplace({t: -S})
    return sympy.simplify(value)


def _interior(where: sympy.Set) -> sympy.Expr:
    lo, hi = where.inf, where.sup
    if lo.is_finite and hi.is_finite:
        return (lo + hi) / 2
    if lo.is_finite:
        return lo + 1
    if hi.is_finite:
        return hi - 1
    return sympy.Rational(1, 3)


def _piecewise(f: sympy.Expr, x: Symbol) -> list[Step]:
    pieces = tuple(f.args) if isinstance(f, sympy.Max) else None
    if pieces is None or not all(p.is_polynomial(x) and sympy.degree(p, x) <= 1 for p in pieces):
        raise TutorError("a conjugate of a non-smooth f is derived here for a maximum of affine "
                         "functions (the hinge loss max(0, 1 - x)) only")
    kinks = sorted({sympy.solve(p - q, x)[0] for i, p in enumerate(pieces) for q in pieces[i + 1:]
                    if sympy.diff(p - q, x) != 0}, key=sympy.default_sort_key)
    kinks = tuple(k for k in kinks if same(f.xreplace({x: k}), max(p.xreplace({x: k}) for p in pieces)))
    slopes = [sympy.diff(p, x) for p in pieces]
    value = sympy.Max(*[S * k - f.xreplace({x: k}) for k in kinks]) if kinks else sympy.S.Zero
    return [PiecewiseLinear(function=f, var=x, pieces=pieces, kinks=kinks, value=sympy.simplify(value),
                            domain=sympy.Interval(min(slopes), max(slopes)))]


def conjugate(f: sympy.Expr, x: Symbol, domain: tuple = ()) -> tuple[list[Step], sympy.Expr, sympy.Set]:
    """Steps, f*(s) and the set of s where it is finite."""
    if f.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside):
        if domain:
            raise TutorError("a piecewise-linear f is taken on all of R here (no --domain)")
        steps = _piecewise(sympy.Max(*f.args) if isinstance(f, sympy.Max) else f, x)
        return steps, steps[-1].value, steps[-1].domain
    conv_steps, verdict = convexity(f, [x], domain)
    if verdict != "strictly convex":
        raise TutorError(f"f is {verdict}, not strictly convex on this domain: the stationarity "
                         "condition would not give the supremum")
    xs = relations.interval_of(domain, x)
    d = sympy.simplify(sympy.diff(f, x))
    lo, hi = xs.inf, xs.sup
    a = sympy.limit(d, x, lo, "+") if lo.is_finite else sympy.limit(d, x, -sympy.oo)
    b = sympy.limit(d, x, hi, "-") if hi.is_finite else sympy.limit(d, x, sympy.oo)
    where = sympy.Interval.open(a, b)
    end_pieces = [EndPiece(function=f, var=x, end=end, side=side, slope=s0,
                           value=sympy.expand(S * end - sympy.limit(f, x, end, side)),
                           closed=xs.contains(end) is sympy.true, other=hi if side == "+" else lo)
                  for s0, end, side in ((a, lo, "+"), (b, hi, "-"))
                  if s0.is_finite and end.is_finite and sympy.limit(f, x, end, side).is_finite]
    probes = [p for p in (_interior(where), where.inf + 1 if where.inf.is_finite else -sympy.Rational(5, 2),
                          where.sup - 1 if where.sup.is_finite else sympy.Rational(5, 2))
              if where.contains(p) is sympy.true]
    candidates = [r for r in sympy.solve(sympy.Eq(d, S), x)
                  if all(same(d.xreplace({x: r}).xreplace({S: p}), p) and r.xreplace({S: p}).is_real
                         and xs.contains(r.xreplace({S: p})) is sympy.true for p in probes)]
    if not candidates:
        raise TutorError("f'(x) = s has no closed-form real solution x(s) valid for every s here")
    sol = sympy.simplify(candidates[0])
    value = _tidy(S * sol - f.xreplace({x: sol}), where)
    ends, dom = [], where
    ended = {p.side for p in end_pieces}
    for s0, end, side in ((a, lo, "+"), (b, hi, "-")):
        if not s0.is_finite or side in ended:
            continue
        limit = sympy.limit(s0 * x - f, x, end, side) if end.is_finite else \
            sympy.limit(s0 * x - f, x, sympy.oo if side == "-" else -sympy.oo)
        if limit.is_finite:
            ends.append((s0, limit))
            dom = dom.union(sympy.FiniteSet(s0))
    stat = Stationarity(function=f, var=x, derivative=d, solution=sol, where=where)
    val = ConjugateValue(function=f, var=x, solution=sol, value=value, domain=dom, ends=tuple(ends))
    steps: list[Step] = [conv_steps[-1], stat, val]
    if end_pieces:
        pieces = [(value, dom)]
        for p in end_pieces:
            if p.side == "+":
                pieces.insert(0, (p.value, sympy.Interval(-sympy.oo, a)))
                pieces[1] = (value, pieces[1][1] - sympy.FiniteSet(a))
            else:
                pieces[-1] = (value, pieces[-1][1] - sympy.FiniteSet(b))
                pieces.append((p.value, sympy.Interval(b, sympy.oo)))
            dom = dom.union(pieces[0][1] if p.side == "+" else pieces[-1][1])
        value = sympy.Piecewise(*[(e, r.as_relational(S)) for e, r in pieces])  # undefined off the domain
        steps += end_pieces + [Pieces(pieces=tuple(pieces), value=value)]
    if dom == sympy.Interval(-sympy.oo, sympy.oo):
        dom = sympy.S.Reals
    return steps, value, dom
