"""When is every minimum of a constrained problem a KKT point?  Compactness and LICQ.

The KKT conditions are necessary at a local minimum x only under a constraint qualification.
Two are decided here, exactly:

- at a point where only affine constraints are active the feasible set is, near the point, a
  polyhedron, and no qualification is needed;
- LICQ (the gradients of the active constraints are linearly independent) holds at x.

So the points where a minimum could fail to be a KKT point are the feasible points whose active
set S contains a non-affine constraint and has dependent gradients: g_i = 0 for i in S and every
maximal minor of the Jacobian of g_S is 0 (more gradients than variables are always
dependent).  Each such system is solved exactly; the feasible solutions are the LICQ failures.
With a compact feasible set (:func:`bounded_set`, Weierstrass) the global minimum is then the
lowest of the KKT points and the failures.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.core.symcheck import approximate, sign
from tutor.optimization import farkas, systems
from tutor.optimization.lagrange import BoundedConstraint, bounded_constraint


def maximal_minors(J: sympy.MatrixBase) -> list[sympy.Expr]:
    """The k x k minors of a k x n matrix (k <= n), expanded."""
    k, n = J.shape
    return [sympy.expand(J.extract(list(range(k)), list(cols)).det())
            for cols in itertools.combinations(range(n), k)]


def independent_somewhere(J: sympy.MatrixBase) -> bool:
    """The rows of the polynomial matrix J are independent at some point (then at almost every
    point): no more rows than columns and some maximal minor not the zero polynomial."""
    return J.rows <= J.cols and any(m != 0 for m in maximal_minors(J))


def bounded_set(gs: Sequence[sympy.Expr], eq: Sequence[bool], variables: Sequence[Symbol]
                ) -> BoundedConstraint | None:
    """A quadratic constraint that bounds the feasible set (g <= 0 with a positive definite
    quadratic part, g = 0 with a definite one), or None."""
    return bounded_constraint(gs, variables, [not e for e in eq])


def _distinct(gs: Sequence[sympy.Expr], eq: Sequence[bool]) -> list[int]:
    """The constraints without repeats: a constraint that is a positive multiple of an earlier
    one of the same type (any nonzero multiple for equalities) defines the same set, and the
    KKT conditions of the problem without it are those with it (its multiplier 0)."""
    out: list[int] = []
    for i, g in enumerate(gs):
        repeat = False
        for j in out:
            ratio = sympy.cancel(g / gs[j]) if eq[i] == eq[j] else None
            if ratio is not None and ratio.is_number and ratio != 0 and (eq[i] or ratio > 0):
                repeat = True
        if not repeat:
            out.append(i)
    return out


def _sets(gs: Sequence[sympy.Expr], eq: Sequence[bool], affine: Sequence[bool]) -> list[tuple[int, ...]]:
    """The active sets that can hold a LICQ failure that matters: the equalities (active at
    every feasible point) and any inequalities, at least one constraint not affine."""
    keep = _distinct(gs, eq)
    equalities = [i for i in keep if eq[i]]
    inequalities = [i for i in keep if not eq[i]]
    out = []
    for size in range(len(inequalities) + 1):
        for chosen in itertools.combinations(inequalities, size):
            S = tuple(sorted(equalities + list(chosen)))
            if S and not all(affine[i] for i in S):
                out.append(S)
    return out


def _equations(gs: Sequence[sympy.Expr], S: tuple[int, ...], variables: Sequence[Symbol]) -> list[sympy.Expr]:
    """g_i = 0 for i in S and, when the gradients can be independent (|S| <= n), every maximal
    minor of their Jacobian = 0."""
    J = ImmutableMatrix([[sympy.diff(gs[i], v) for v in variables] for i in S])
    minors = [m for m in maximal_minors(J) if m != 0] if len(S) <= len(variables) else []
    return [gs[i] for i in S] + minors


def _feasible(point: dict, gs: Sequence[sympy.Expr], eq: Sequence[bool]) -> bool:
    return all(sign(g.xreplace(point)) == 0 if e else sign(g.xreplace(point)) <= 0 for g, e in zip(gs, eq))


@dataclass(frozen=True, kw_only=True)
class LicqEverywhere(Step):
    """For each active set ``sets`` (0-based constraints; substep: its system of g_S = 0 and
    the maximal minors of its Jacobian, solved), the solutions; ``failures``: those that are
    feasible, the only feasible points where LICQ fails with a non-affine constraint active."""

    rule: ClassVar[str] = "optimization.licq_everywhere"
    constraints: tuple[sympy.Expr, ...]
    equalities: tuple[bool, ...]
    affine: tuple[bool, ...]
    variables: tuple[Symbol, ...]
    sets: tuple[tuple[int, ...], ...]
    failures: tuple[dict, ...]

    def check(self) -> bool:
        gs, variables = self.constraints, self.variables
        affine = tuple(farkas.is_affine(g, variables) for g in gs)
        if affine != self.affine or list(self.sets) != _sets(gs, self.equalities, affine) \
                or len(self.substeps) != len(self.sets):
            return False
        feasible = []
        for S, solved in zip(self.sets, self.substeps):
            if list(solved.equations) != _equations(gs, S, variables) or tuple(solved.variables) != variables:
                return False
            feasible += [s for s in solved.solutions if _feasible(s, gs, self.equalities)]
        return feasible == list(self.failures)


def licq_everywhere(gs: Sequence[sympy.Expr], eq: Sequence[bool], affine: Sequence[bool],
                    variables: Sequence[Symbol]) -> LicqEverywhere | None:
    """The search for feasible points where LICQ fails, or None when a system has no isolated
    solutions (a whole curve of points with dependent gradients) or cannot be solved."""
    variables = tuple(variables)
    sets = _sets(gs, eq, affine)
    solved, failures = [], []
    for S in sets:
        try:
            system = systems.solve(_equations(gs, S, variables), variables)
        except TutorError:
            return None
        solved.append(system)
        failures += [s for s in system.solutions if _feasible(s, gs, eq)]
    return LicqEverywhere(constraints=tuple(gs), equalities=tuple(eq), affine=tuple(affine), variables=variables,
                          sets=tuple(sets), failures=tuple(failures), substeps=tuple(solved))


@dataclass(frozen=True, kw_only=True)
class CaseValues(Step):
    """The values of f at the solutions of a KKT case whose solutions are not isolated (the
    case ``active``, its ``equations`` in ``unknowns``).  On each irreducible component of the
    solution set f is constant: along it every active g_i stays 0, so ∇g_i·ẋ = 0 and
    ∇f·ẋ = -Σ λ_i ∇g_i·ẋ = 0.  So f is a root of ``polynomial`` in ``value``, the generator of
    the elimination ideal (equations, value - f) ∩ Q[value]; ``least``: its least real root
    (None: no real root, the case has no real solution)."""

    rule: ClassVar[str] = "optimization.case_values"
    active: tuple[int, ...]
    equations: tuple[sympy.Expr, ...]
    unknowns: tuple[Symbol, ...]
    function: sympy.Expr
    value: Symbol
    polynomial: sympy.Expr
    least: sympy.Expr | None

    def check(self) -> bool:
        if not self.polynomial.has(self.value) or not self.polynomial.free_symbols <= {self.value}:
            return False
        # p(f) lies in the ideal of the equations, so it vanishes at every solution
        G = sympy.groebner(self.equations, *self.unknowns, order="grevlex")
        _, remainder = G.reduce(sympy.expand(self.polynomial.xreplace({self.value: self.function})))
        if remainder != 0:
            return False
        roots = sympy.Poly(self.polynomial, self.value).real_roots()
        return (not roots and self.least is None) or (bool(roots) and self.least is not None
                                                      and sign(min(roots, key=approximate) - self.least) == 0)


def case_values(active: tuple[int, ...], equations: Sequence[sympy.Expr], unknowns: Sequence[Symbol],
                f: sympy.Expr) -> CaseValues | None:
    """The polynomial whose roots hold every value of f on the case's solutions, or None."""
    used = set(unknowns) | f.free_symbols
    value = next(Symbol(name) for name in ("c", "c_0", "c_1", "c_2") if Symbol(name) not in used)
    G = sympy.groebner(list(equations) + [value - f], *unknowns, value, order="lex")
    polys = [g for g in G.exprs if g.free_symbols <= {value}]
    if not polys or not polys[0].has(value):
        return None
    roots = sympy.Poly(polys[0], value).real_roots()
    least = min(roots, key=approximate) if roots else None
    return CaseValues(active=tuple(active), equations=tuple(equations), unknowns=tuple(unknowns), function=f,
                      value=value, polynomial=polys[0], least=least)
