"""Lagrange multipliers for equality constraints (MML 7.2).

𝔏(x, λ) = f(x) + Σ λ_i g_i(x) with g_i = lhs - rhs (MML's sign convention, stated), then
∂𝔏/∂x = 0 together with the constraints, solved exactly (:mod:`.systems`).  Which
candidate is the minimum or maximum, and why:

- a constraint whose zero set is bounded (its quadratic part definite: a circle, an
  ellipse) makes the feasible set compact: the extreme values are attained (Weierstrass),
  at candidates, so the largest and the smallest candidate value decide;
- affine constraints with a quadratic f: f on the feasible plane has the constant Hessian
  Zᵀ H Z (Z a basis of the directions along the constraints): definite -> the candidate is
  the global minimum (maximum), and the other extreme does not exist;
- otherwise the same reduced Hessian of 𝔏 at each candidate gives a local verdict only,
  and the candidate stays a ``candidate``.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.calculus.multivariate import partials
from tutor.core.steps import Step
from tutor.core.symcheck import is_zero
from tutor.linalg import algebraic
from tutor.optimization import systems
from tutor.optimization.definiteness import DefinitenessTest, definiteness
from tutor.optimization.relations import Constraint


def multiplier_symbols(count: int) -> tuple[Symbol, ...]:
    if count == 1:
        return (Symbol("lambda", real=True),)
    return tuple(Symbol(f"lambda_{i + 1}", real=True) for i in range(count))


@dataclass(frozen=True, kw_only=True)
class Lagrangian(Step):
    """𝔏 = f + Σ λ_i g_i."""

    rule: ClassVar[str] = "optimization.lagrangian"
    function: sympy.Expr
    constraints: tuple[sympy.Expr, ...]
    multipliers: tuple[Symbol, ...]
    lagrangian: sympy.Expr

    def check(self) -> bool:
        expected = self.function + sum(m * g for m, g in zip(self.multipliers, self.constraints))
        return sympy.expand(expected - self.lagrangian) == 0


def lagrangian(f: sympy.Expr, gs: Sequence[sympy.Expr], lambdas: Sequence[Symbol]) -> Lagrangian:
    L = f + sum(m * g for m, g in zip(lambdas, gs))
    return Lagrangian(function=f, constraints=tuple(gs), multipliers=tuple(lambdas), lagrangian=L)


@dataclass(frozen=True, kw_only=True)
class BoundedConstraint(Step):
    """g = 0 is a bounded set: g is a polynomial of degree 2 whose quadratic part (the
    matrix ``Q``, substep: its definiteness) is definite, so the feasible set is compact.  For
    an ``inequality`` g <= 0 (an ellipse and its inside), Q is positive definite."""

    rule: ClassVar[str] = "optimization.bounded_constraint"
    constraint: sympy.Expr
    variables: tuple[Symbol, ...]
    Q: ImmutableMatrix
    inequality: bool = False

    def check(self) -> bool:
        verdict = self.substeps[0].verdict
        return (sympy.Poly(self.constraint, *self.variables).total_degree() == 2
                and ImmutableMatrix(sympy.hessian(self.constraint, self.variables)) / 2 == self.Q
                and self.substeps[0].check() and self.substeps[0].matrix == self.Q
                and (verdict == "positive definite" if self.inequality else verdict.endswith(" definite")))


def bounded_constraint(gs: Sequence[sympy.Expr], variables: Sequence[Symbol],
                       inequalities: Sequence[bool] = ()) -> BoundedConstraint | None:
    """The first constraint that bounds the feasible set (``inequalities``: which of ``gs``
    are g <= 0, by default none), or None."""
    for g, inequality in itertools.zip_longest(gs, inequalities[:len(gs)], fillvalue=False):
        if g.is_polynomial(*variables) and sympy.Poly(g, *variables).total_degree() == 2:
            Q = ImmutableMatrix(sympy.hessian(g, variables)) / 2
            test = definiteness(Q)
            if test.verdict == "positive definite" or (test.verdict == "negative definite" and not inequality):
                return BoundedConstraint(constraint=g, variables=tuple(variables), Q=Q, inequality=inequality,
                                         substeps=(test,))
    return None


@dataclass(frozen=True, kw_only=True)
class ReducedHessian(Step):
    """Zᵀ H Z: the Hessian ``H`` (of f, or of 𝔏 at a candidate) along the feasible directions,
    the columns of ``Z`` (a basis of the null space of the constraints' Jacobian ``J``)."""

    rule: ClassVar[str] = "optimization.reduced_hessian"
    H: ImmutableMatrix
    J: ImmutableMatrix
    Z: ImmutableMatrix
    reduced: ImmutableMatrix
    point: dict | None = None

    def check(self) -> bool:
        return ((self.J * self.Z).is_zero_matrix and self.Z.rank() == self.J.cols - self.J.rank()
                and sympy.simplify(self.Z.T * self.H * self.Z - self.reduced).is_zero_matrix)


def reduced_hessian(H: sympy.MatrixBase, J: sympy.MatrixBase, point: dict | None = None
                    ) -> tuple[ReducedHessian, DefinitenessTest]:
    Z = ImmutableMatrix.hstack(*sympy.Matrix(J).nullspace())
    R = ImmutableMatrix((Z.T * H * Z).applyfunc(sympy.simplify))
    return ReducedHessian(H=ImmutableMatrix(H), J=ImmutableMatrix(J), Z=Z, reduced=R, point=point), definiteness(R)


@dataclass(frozen=True, kw_only=True)
class Marked(Step):
    """The candidates and their natures: ``reason`` says why (compact, affine_global,
    local, none)."""

    rule: ClassVar[str] = "optimization.marked"
    function: sympy.Expr
    points: tuple[dict, ...]
    values: tuple[sympy.Expr, ...]
    natures: tuple[str, ...]
    reason: str

    def check(self) -> bool:
        if any(not is_zero(self.function.xreplace(p) - v) for p, v in zip(self.points, self.values)):
            return False
        if self.reason == "compact":
            hi, lo = max(self.values, key=sympy.N), min(self.values, key=sympy.N)
            return all((n == "maximum") == is_zero(v - hi) or (n == "minimum") == is_zero(v - lo)
                       for v, n in zip(self.values, self.natures))
        return True


def value_at(e: sympy.Expr) -> sympy.Expr:
    """f at a candidate: a rational as it is (``simplify`` of a rational cost a millisecond), a
    polynomial in one ``CRootOf`` reduced modulo its polynomial (``simplify`` took seconds)."""
    if e.is_Rational:
        return e
    return algebraic.in_root_field(sympy.expand, e) if e.has(sympy.CRootOf) else sympy.simplify(e)


def solve_lagrange(f: sympy.Expr, constraints: Sequence[Constraint], variables: Sequence[Symbol]
                   ) -> tuple[list[Step], list[tuple[dict, tuple, sympy.Expr, str]]]:
    """Steps and the candidates (point, multipliers, value, nature)."""
    variables = tuple(variables)
    gs = [c.g for c in constraints]
    lambdas = multiplier_symbols(len(gs))
    L = lagrangian(f, gs, lambdas)
    first = partials(sympy.expand(L.lagrangian), variables)  # expanded: term by term
    solved = systems.solve([p.result for p in first] + gs, variables + lambdas)
    steps: list[Step] = [L, *first, solved]
    points = [{v: s[v] for v in variables} for s in solved.solutions]
    values = [value_at(f.xreplace(p)) for p in points]
    natures = ["candidate"] * len(points)
    reason = "none"
    J = sympy.Matrix([[sympy.diff(g, v) for v in variables] for g in gs])
    bounded = bounded_constraint(gs, variables) if points else None
    if bounded is not None:
        steps.append(bounded)
        hi, lo = max(values, key=sympy.N), min(values, key=sympy.N)
        natures = ["maximum" if is_zero(v - hi) else "minimum" if is_zero(v - lo)
                   else "candidate" for v in values]
        reason = "compact"
    elif points and not J.free_symbols & set(variables):
        H = sympy.hessian(f, variables)
        if not H.free_symbols & set(variables):
            reduced, test = reduced_hessian(H, J)
            if test.verdict.endswith(" definite"):
                steps += [reduced, test]
                natures = ["minimum" if test.verdict.startswith("positive") else "maximum"] * len(points)
                reason = "affine_global"
    if reason == "none" and points:
        for p, s in zip(points, solved.solutions):
            HL = sympy.hessian(L.lagrangian, variables).xreplace(s)
            reduced, test = reduced_hessian(HL, J.xreplace(p), p)
            steps += [reduced, test]
        reason = "local"
    steps.append(Marked(function=f, points=tuple(points), values=tuple(values), natures=tuple(natures),
                        reason=reason))
    out = [(p, tuple(s[m] for m in lambdas), v, n)
           for p, s, v, n in zip(points, solved.solutions, values, natures)]
    return steps, out
