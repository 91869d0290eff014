"""Stationary points of f: R^n -> R and their nature (MML 7.1).

∇f = 0 is written out and solved exactly (:mod:`.systems`); at each solution the Hessian
(f'' in one variable) decides: definite -> minimum or maximum, indefinite -> saddle.  A
semidefinite Hessian leaves the second-order test inconclusive, and a higher-order argument
decides when one applies: in one variable the first derivative that does not vanish (even
order: an extremum, odd: no extremum); in several, the expansion f(p + u) - f(p) when every
term is an even power with one sign (a minimum or maximum), or a line through p along which
f has no extremum (a saddle).  ``inconclusive`` only when none of them decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.calculus.multivariate import EvaluateAt, JacobianMatrix, jacobian_of, partials
from tutor.core.steps import Step
from tutor.core.symcheck import same
from tutor.optimization import systems
from tutor.optimization.definiteness import DefinitenessTest, definiteness

MAX_ORDER = 8
_T = Symbol("t", real=True)


def gradient(f: sympy.Expr, variables: Sequence[Symbol]) -> tuple[list[Step], JacobianMatrix]:
    """The partial derivatives and the gradient row (MML's 1 x n convention)."""
    first = partials(f, variables)
    return first, jacobian_of("gradient", [f], variables, [first])


def hessian(f: sympy.Expr, variables: Sequence[Symbol], first: Sequence[Step]) -> JacobianMatrix:
    rows = [partials(f, variables, (v,), p.result) for v, p in zip(variables, first)]
    return jacobian_of("hessian", [p.result for p in first], variables, rows)


def _nature_of_order(k: int, value: sympy.Expr) -> str:
    if k % 2:
        return "saddle"
    return "minimum" if value > 0 else "maximum"


@dataclass(frozen=True, kw_only=True)
class HigherOrderTest(Step):
    """g'' ... g^(k-1) vanish at ``at`` and g^(k) = ``value`` does not: an even ``order``
    gives an extremum by the sign, an odd one none (``nature`` saddle: a stationary point
    of inflection)."""

    rule: ClassVar[str] = "optimization.higher_order"
    function: sympy.Expr
    var: Symbol
    at: sympy.Expr
    order: int
    value: sympy.Expr
    nature: str

    def check(self) -> bool:
        ds = [sympy.diff(self.function, self.var, k).subs(self.var, self.at)
              for k in range(2, self.order + 1)]
        return (all(same(d, 0) for d in ds[:-1]) and same(ds[-1], self.value)
                and not same(self.value, 0) and _nature_of_order(self.order, self.value) == self.nature)


def higher_order(g: sympy.Expr, t: Symbol, at: sympy.Expr) -> HigherOrderTest | None:
    d = g
    for k in range(1, MAX_ORDER + 1):
        d = sympy.diff(d, t)
        if k >= 2:
            v = sympy.simplify(d.subs(t, at))
            if v != 0:
                return HigherOrderTest(function=g, var=t, at=at, order=k, value=v,
                                       nature=_nature_of_order(k, v))
    return None


@dataclass(frozen=True, kw_only=True)
class EvenExpansion(Step):
    """f(p + u) - f(p) = ``difference``: every term an even power of each u_i with a
    coefficient of one sign, so it is >= 0 (``minimum``) or <= 0 (``maximum``) near p."""

    rule: ClassVar[str] = "optimization.even_expansion"
    function: sympy.Expr
    point: dict
    shifts: tuple[Symbol, ...]
    difference: sympy.Expr
    nature: str

    def check(self) -> bool:
        shifted = {v: p + u for (v, p), u in zip(self.point.items(), self.shifts)}
        diff = sympy.expand(self.function.xreplace(shifted) - self.function.xreplace(self.point))
        return sympy.expand(diff - self.difference) == 0 and _even_sign(diff, self.shifts) == self.nature


def _even_sign(diff: sympy.Expr, shifts: Sequence[Symbol]) -> str | None:
    if not diff.is_polynomial(*shifts) or diff == 0:
        return None
    terms = sympy.Poly(diff, *shifts).terms()
    if not all(all(e % 2 == 0 for e in exps) for exps, _ in terms):
        return None
    signs = {bool(c > 0) for _, c in terms}
    return None if len(signs) != 1 else ("minimum" if signs.pop() else "maximum")


@dataclass(frozen=True, kw_only=True)
class AlongLine(Step):
    """f restricted to the line p + t v is ``restriction``; its own higher-order test
    (substep) at t = 0 says whether f has an extremum along that line."""

    rule: ClassVar[str] = "optimization.along_line"
    function: sympy.Expr
    point: dict
    direction: tuple[sympy.Expr, ...]
    restriction: sympy.Expr

    def check(self) -> bool:
        line = {v: p + _T * d for (v, p), d in zip(self.point.items(), self.direction)}
        return same(self.function.xreplace(line), self.restriction)


@dataclass(frozen=True, kw_only=True)
class Classified(Step):
    """The verdict at one stationary point: ``nature`` and f there (``value``)."""

    rule: ClassVar[str] = "optimization.classified"
    function: sympy.Expr
    point: dict
    value: sympy.Expr
    nature: str

    def check(self) -> bool:
        return same(self.function.xreplace(self.point), self.value)


def _directions(H: sympy.Matrix, n: int) -> list[tuple]:
    """Coordinate axes, diagonals and the kernel of H: lines a teacher would try."""
    out = [tuple(int(i == j) for j in range(n)) for i in range(n)]
    out += [tuple(v) for v in H.nullspace()]
    if n == 2:
        out += [(1, 1), (1, -1)]
    return list(dict.fromkeys(tuple(sympy.nsimplify(c) for c in d) for d in out))


def decide_semidefinite(f: sympy.Expr, point: dict, H: sympy.Matrix, verdict: str
                        ) -> tuple[list[Step], str]:
    """The higher-order argument at a point where the Hessian is only semidefinite."""
    variables = list(point)
    if len(variables) == 1:
        test = higher_order(f, variables[0], point[variables[0]])
        return ([test], test.nature) if test else ([], "inconclusive")
    shifts = tuple(Symbol(f"u_{i + 1}", real=True) for i in range(len(variables)))
    shifted = {v: point[v] + u for v, u in zip(variables, shifts)}
    diff = sympy.expand(f.xreplace(shifted) - f.xreplace(point))
    sign = _even_sign(diff, shifts)
    if sign:
        return [EvenExpansion(function=f, point=point, shifts=shifts, difference=diff,
                              nature=sign)], sign
    natures: dict[str, Step] = {}
    for d in _directions(H, len(variables)):
        g = sympy.expand(f.xreplace({v: point[v] + _T * c for v, c in zip(variables, d)}))
        test = higher_order(g, _T, 0)
        if test is None:
            continue
        step = AlongLine(function=f, point=point, direction=d, restriction=g, substeps=(test,))
        if test.nature == "saddle":
            return [step], "saddle"
        natures.setdefault(test.nature, step)
        wanted = "minimum" if verdict.startswith("positive") else "maximum"
        if test.nature != wanted:
            return [natures[wanted], step] if wanted in natures else [step], "saddle"
    return [], "inconclusive"


def _tidy(e: sympy.Expr) -> sympy.Expr:
    """Simplified, except around exact roots without radicals (slow and no shorter)."""
    return sympy.expand(e) if e.has(sympy.CRootOf) else sympy.simplify(e)


def classify(f: sympy.Expr, variables: Sequence[Symbol], H: ImmutableMatrix, point: dict
             ) -> tuple[list[Step], str]:
    """The steps that decide the nature of the stationary point ``point``, and the nature."""
    at = ImmutableMatrix(H.xreplace(point).applyfunc(_tidy))
    steps: list[Step] = [EvaluateAt(before=H, point=point, after=at)]
    test: DefinitenessTest = definiteness(at)
    steps.append(test)
    nature = {"positive definite": "minimum", "negative definite": "maximum",
              "indefinite": "saddle"}.get(test.verdict)
    if nature is None:
        more, nature = decide_semidefinite(f, point, sympy.Matrix(at), test.verdict)
        steps += more
    value = _tidy(f.xreplace(point))
    steps.append(Classified(function=f, point=point, value=value, nature=nature))
    return steps, nature


def stationary_points(f: sympy.Expr, variables: Sequence[Symbol]) -> tuple[list[Step], list[Classified]]:
    """Gradient, ∇f = 0 solved, Hessian, and each point classified."""
    first, grad = gradient(f, variables)
    solved = systems.solve([p.result for p in first], variables)
    H = hessian(f, variables, first)
    steps: list[Step] = [*first, grad, solved, H]
    verdicts: list[Classified] = []
    for point in solved.solutions:
        more, _ = classify(f, variables, H.matrix, point)
        steps += more
        verdicts.append(more[-1])
    return steps, verdicts
