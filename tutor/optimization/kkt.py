"""The Karush-Kuhn-Tucker conditions by cases over the active constraints (MML 7.2).

For min f(x) subject to g_i(x) <= 0 (and h_j(x) = 0): 𝔏 = f + Σ λ_i g_i (+ Σ ν_j h_j) with
λ_i >= 0.  A KKT point satisfies stationarity ∇_x 𝔏 = 0, primal feasibility, dual
feasibility λ >= 0 and complementary slackness λ_i g_i = 0.  Complementary slackness splits
the search into cases: for each set of active inequalities (g_i = 0, λ_i free) the others
have λ_i = 0; each case is solved exactly and its solutions kept or rejected with the
reason (a violated constraint, a negative multiplier).  When f and every g_i are convex
(and the equalities affine) every KKT point is a global minimum.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import Symbol

from tutor.calculus.multivariate import partials
from tutor.core.errors import TutorError
from tutor.core.steps import Note, Step
from tutor.core.symcheck import approximate, sign
from tutor.optimization import farkas, lp, regularity, systems
from tutor.optimization.convexity import convexity
from tutor.optimization.lagrange import lagrangian, multiplier_symbols, value_at
from tutor.optimization.relations import Constraint

MAX_INEQUALITIES = 5


@dataclass(frozen=True, kw_only=True)
class CaseOutcome:
    solution: dict
    verdict: str  # "kkt", "infeasible", "negative_multiplier"
    index: int | None = None  # the constraint violated or the multiplier that is negative


@dataclass(frozen=True, kw_only=True)
class KKTCase(Step):
    """One case of complementary slackness: ``active`` inequalities (0-based) have g_i = 0, the
    others λ_i = 0; the substep solves the case's system, ``outcomes`` judge each solution."""

    rule: ClassVar[str] = "optimization.kkt_case"
    constraints: tuple[sympy.Expr, ...]
    equalities: tuple[bool, ...]
    multipliers: tuple[Symbol, ...]
    active: tuple[int, ...]
    outcomes: tuple[CaseOutcome, ...]

    def check(self) -> bool:
        for o in self.outcomes:
            s = o.solution
            lam = [s.get(m, 0) for m in self.multipliers]
            g = [c.xreplace(s) for c in self.constraints]
            if any(lam[i] != 0 for i in range(len(lam)) if i not in self.active and not self.equalities[i]):
                return False
            bad_g = [i for i, v in enumerate(g) if not self.equalities[i] and sign(v) > 0]
            bad_l = [i for i in self.active if not self.equalities[i] and sign(lam[i]) < 0]
            expected = ("infeasible", bad_g[0]) if bad_g else (
                ("negative_multiplier", bad_l[0]) if bad_l else ("kkt", None))
            if expected != (o.verdict, o.index):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class DependentGradients(Step):
    """The gradients of the active inequalities ``constraints`` (numbered ``active``) are
    linearly dependent at every point: more of them than variables, or every maximal minor of
    their Jacobian is the zero polynomial."""

    rule: ClassVar[str] = "optimization.dependent_gradients"
    constraints: tuple[sympy.Expr, ...]
    active: tuple[int, ...]
    variables: tuple[Symbol, ...]
    jacobian: sympy.ImmutableMatrix

    def check(self) -> bool:
        J = sympy.ImmutableMatrix([[sympy.diff(g, v) for v in self.variables] for g in self.constraints])
        return J == self.jacobian and not regularity.independent_somewhere(J)


@dataclass(frozen=True, kw_only=True)
class PrunedCase(Step):
    """A case of complementary slackness that needs no system solved (substep: the proof).
    ``reason`` "infeasible": its affine constraints (the active ones and the equalities as
    equations, the other inequalities as <=) have no common point, so no solution of the case
    is feasible.  "dependent": the gradients of its active inequalities are dependent
    everywhere, so at a KKT point of this case some c ≠ 0 has Σ c_i ∇g_i = 0 (some c_i > 0, up
    to sign) and λ - t c, with t the largest step keeping λ >= 0, is another choice of
    multipliers with one more of them 0: the point is a KKT point of a smaller case
    (Carathéodory), found there."""

    rule: ClassVar[str] = "optimization.kkt_case_pruned"
    constraints: tuple[sympy.Expr, ...]
    equalities: tuple[bool, ...]
    active: tuple[int, ...]
    reason: str

    def check(self) -> bool:
        proof = self.substeps[0]
        if not proof.check():
            return False
        if self.reason == "dependent":
            return isinstance(proof, DependentGradients) and len(self.active) >= 2 and \
                proof.active == self.active and proof.constraints == tuple(self.constraints[i] for i in self.active)
        return isinstance(proof, farkas.AffineInfeasible) and all(
            self.constraints[i] == g and e == (self.equalities[i] or i in self.active)
            for i, g, e in zip(proof.indices, proof.constraints, proof.equalities))


def _pruned(gs: Sequence[sympy.Expr], eq: Sequence[bool], affine: Sequence[bool], active: tuple[int, ...],
            variables: tuple[Symbol, ...]) -> PrunedCase | None:
    """Why the case ``active`` needs no solving, or None."""
    if len(active) >= 2:
        J = sympy.ImmutableMatrix([[sympy.diff(gs[i], v) for v in variables] for i in active])
        if not regularity.independent_somewhere(J):
            proof: Step = DependentGradients(constraints=tuple(gs[i] for i in active), active=active,
                                             variables=variables, jacobian=J)
            return PrunedCase(constraints=tuple(gs), equalities=tuple(eq), active=active, reason="dependent",
                              substeps=(proof,))
    rows = [i for i in range(len(gs)) if affine[i]]
    if not any(eq[i] or i in active for i in rows):
        return None  # only inequalities: the problem's own feasibility, checked once before
    proof = farkas.infeasible([gs[i] for i in rows], rows, [eq[i] or i in active for i in rows], variables)
    if proof is None:
        return None
    return PrunedCase(constraints=tuple(gs), equalities=tuple(eq), active=active, reason="infeasible",
                      substeps=(proof,))


@dataclass(frozen=True, kw_only=True)
class ConvexProblem(Step):
    """f and the g_i are convex (substeps: their convexity), the equalities affine: a KKT
    point is a global minimum."""

    rule: ClassVar[str] = "optimization.convex_problem"
    convex: bool
    verdicts: tuple[str, ...]

    def check(self) -> bool:
        return self.convex == all(v in ("convex", "strictly convex", "affine") for v in self.verdicts)


@dataclass(frozen=True, kw_only=True)
class CompactPolyhedron(Step):
    """The affine constraints Ax <= b bound every coordinate (substeps: the LPs min ±x_i, each
    with an optimum), so the feasible set is compact: f attains its minimum, and with affine
    constraints every minimum is a KKT point, the one of lowest value."""

    rule: ClassVar[str] = "optimization.compact_polyhedron"
    A: sympy.ImmutableMatrix
    b: sympy.ImmutableMatrix
    bounds: tuple[tuple[sympy.Expr, sympy.Expr], ...]

    def check(self) -> bool:
        certificates = [s for s in self.substeps if s.rule == "optimization.lp_dual"]
        return len(certificates) == 2 * self.A.cols and all(s.check() for s in certificates)


def compact_polyhedron(gs: Sequence[sympy.Expr], variables: Sequence[Symbol]) -> CompactPolyhedron | None:
    """The proof that {g_i <= 0}, all g_i affine, is bounded, or None."""
    n = len(variables)
    A = sympy.ImmutableMatrix([[sympy.diff(g, v) for v in variables] for g in gs])
    b = sympy.ImmutableMatrix([-g.xreplace({v: 0 for v in variables}) for g in gs])
    subs, bounds = [], []
    for i in range(n):
        pair = []
        for direction in (1, -1):
            c = sympy.ImmutableMatrix([direction if j == i else 0 for j in range(n)])
            try:
                steps, (status, _, value, _) = lp.solve_lp(A, b, c)
            except TutorError:
                return None
            if status != "optimal":
                return None
            subs += steps
            pair.append(direction * value)
        bounds.append((pair[0], pair[1]))
    return CompactPolyhedron(A=A, b=b, bounds=tuple(bounds), substeps=tuple(subs))


def _verdict_of(g: sympy.Expr, variables: Sequence[Symbol]) -> tuple[list[Step], str]:
    """"affine", a verdict of :func:`convexity`, or "undecided" when it cannot tell (the
    problem is then not known to be convex, which is all the KKT argument needs)."""
    if farkas.is_affine(g, variables):
        return [], "affine"
    try:
        steps, verdict = convexity(g, variables)
    except TutorError:
        return [], "undecided"
    return [steps[-1]], verdict


def _lowest(f: sympy.Expr, found: Sequence[tuple[dict, tuple, sympy.Expr]], skipped: Sequence[tuple],
            gs: Sequence[sympy.Expr], eq: Sequence[bool], affine: Sequence[bool], variables: tuple[Symbol, ...]
            ) -> tuple[list[Step], sympy.Expr | None]:
    """For a problem that is not convex: the steps proving that the lowest KKT value is the
    global minimum, and that value (None when it is not proved).  The feasible set is compact
    (a quadratic constraint with a definite quadratic part, or affine constraints bounding
    every variable), so f attains its minimum (Weierstrass); with affine constraints only, a
    minimum is a KKT point; otherwise a minimum is a KKT point or a point where LICQ fails,
    and those are found and compared too."""
    bound: Step | None = regularity.bounded_set(gs, eq, variables)
    if bound is None:
        rows = [(g, e) for g, e, a in zip(gs, eq, affine) if a]
        bound = compact_polyhedron([g for g, _ in rows] + [-g for g, e in rows if e], variables) if rows else None
    if bound is None:
        return [], None
    steps: list[Step] = [bound]
    if not found:  # the minimum exists: at a point where LICQ fails, or the feasible set is empty
        licq = regularity.licq_everywhere(gs, eq, affine, variables)
        return steps + [licq if licq is not None else Note(key="kkt_licq_undecided")], None
    lowest = min((value for _, _, value in found), key=lambda v: approximate(v, 50))
    for active, _, equations, unknowns in skipped:  # KKT points not isolated: the values f takes there
        values = regularity.case_values(active, equations, unknowns, f)
        if values is None:
            return steps, None
        steps.append(values)
        if values.least is not None and sign(values.least - lowest) < 0:
            return steps, None
    if all(affine):
        return steps, lowest
    licq = regularity.licq_everywhere(gs, eq, affine, variables)
    if licq is None:
        return steps + [Note(key="kkt_licq_undecided")], None
    steps.append(licq)
    if any(sign(f.xreplace(p) - lowest) < 0 for p in licq.failures):
        return steps, None
    return steps, lowest


def solve_kkt(f: sympy.Expr, constraints: Sequence[Constraint], variables: Sequence[Symbol]
              ) -> tuple[list[Step], list[tuple[dict, tuple, sympy.Expr, str]]]:
    variables = tuple(variables)
    gs = tuple(c.g for c in constraints)
    eq = tuple(c.equality for c in constraints)
    inequalities = [i for i, e in enumerate(eq) if not e]
    if len(inequalities) > MAX_INEQUALITIES:
        raise TutorError(f"at most {MAX_INEQUALITIES} inequality constraints (2^m cases)")
    affine = tuple(farkas.is_affine(g, variables) for g in gs)
    rows = [i for i in range(len(gs)) if affine[i]]
    empty = farkas.infeasible([gs[i] for i in rows], rows, [eq[i] for i in rows], variables) if rows else None
    if empty is not None:  # no feasible point: no case to try
        return [empty], []
    lambdas = multiplier_symbols(len(gs))
    L = lagrangian(f, gs, lambdas)
    first = partials(sympy.expand(L.lagrangian), variables)
    steps: list[Step] = [L, *first]
    found: list[tuple[dict, tuple, sympy.Expr]] = []
    skipped: list[tuple[tuple[int, ...], str, list[sympy.Expr], tuple[Symbol, ...]]] = []
    for size in range(len(inequalities) + 1):
        for active in itertools.combinations(inequalities, size):
            pruned = _pruned(gs, eq, affine, active, variables)
            if pruned is not None:
                steps.append(pruned)
                continue
            zero = {lambdas[i]: 0 for i in inequalities if i not in active}
            unknowns = variables + tuple(lambdas[i] for i in range(len(gs)) if lambdas[i] not in zero)
            equations = [p.result.xreplace(zero) for p in first] + \
                [gs[i] for i in range(len(gs)) if eq[i] or i in active]
            try:
                solved = systems.solve(equations, unknowns)
            except TutorError as e:
                steps.append(Note(key="kkt_case_skipped", values={"active": active, "reason": str(e)}))
                skipped.append((active, str(e), equations, unknowns))
                continue
            outcomes = []
            for sol in solved.solutions:
                sol = {**sol, **zero}
                g_at = [gs[i].xreplace(sol) for i in range(len(gs))]
                bad_g = [i for i in inequalities if sign(g_at[i]) > 0]
                bad_l = [i for i in active if sign(sol[lambdas[i]]) < 0]
                if bad_g:
                    outcomes.append(CaseOutcome(solution=sol, verdict="infeasible", index=bad_g[0]))
                elif bad_l:
                    outcomes.append(CaseOutcome(solution=sol, verdict="negative_multiplier", index=bad_l[0]))
                else:
                    outcomes.append(CaseOutcome(solution=sol, verdict="kkt"))
                    found.append((sol, tuple(sol[m] for m in lambdas), value_at(f.xreplace(sol))))
            steps.append(KKTCase(constraints=gs, equalities=eq, multipliers=lambdas, active=active,
                                 outcomes=tuple(outcomes), substeps=(solved,)))
    if skipped and not found:
        # "no KKT point" would be false: a skipped case may hold a whole curve of them
        # (f = 2x + 2y on 3x + 3y = -1: every feasible point is a minimum)
        active, reason, _, _ = skipped[0]
        raise TutorError(f"the case with active constraints {', '.join(str(i + 1) for i in active) or 'none'} "
                         f"could not be solved ({reason}), so the KKT points are not derived here")
    subs, verdicts = [], []
    for g in (f,) + gs:
        more, v = _verdict_of(g, variables)
        subs += more
        verdicts.append(v)
    convex = all(v in ("convex", "strictly convex", "affine") for i, v in enumerate(verdicts)
                 if i == 0 or not eq[i - 1]) and all(v == "affine" for i, v in enumerate(verdicts[1:]) if eq[i])
    steps.append(ConvexProblem(convex=convex, verdicts=tuple(verdicts), substeps=tuple(subs)))
    lowest = None
    if not convex and (found or not all(affine)):
        more, lowest = _lowest(f, found, skipped, gs, eq, affine, variables)
        steps += more
    out = []
    seen = []
    for sol, ms, value in found:
        point = {v: sol[v] for v in variables}
        if point in seen:
            continue
        seen.append(point)
        nature = "minimum" if convex or (lowest is not None and sign(value - lowest) == 0) else "candidate"
        out.append((point, ms, value, nature))
    _refuse_minima_on_a_curve(f, variables, skipped, [value for _, _, value, nature in out if nature == "minimum"])
    return steps, out


def _refuse_minima_on_a_curve(f: sympy.Expr, variables: tuple[Symbol, ...], skipped: Sequence[tuple],
                              minima: Sequence[sympy.Expr]) -> None:
    """A skipped case whose points x form a curve (not only its multipliers) where f may take
    the minimum value: then the minimizers are not only the points listed (f = x + y over
    x >= 1, x + y >= 1 is least on a whole ray), and an answer listing one of them would grade
    another minimizer wrong."""
    if not minima or not skipped:
        return
    least = min(minima, key=lambda v: approximate(v, 50))
    for active, _, equations, unknowns in skipped:
        multipliers = [u for u in unknowns if u not in variables]
        G = sympy.groebner(list(equations), *multipliers, *variables, order="lex")
        in_x = [g for g in G.exprs if not g.free_symbols & set(multipliers)]
        if in_x and sympy.groebner(in_x, *variables, order="lex").is_zero_dimensional:
            continue  # isolated points x, only the multipliers on a line
        values = regularity.case_values(active, equations, unknowns, f)
        if values is None or (values.least is not None and sign(values.least - least) <= 0):
            raise TutorError(f"the minimizers may not be isolated points: f can take its least value on the "
                             f"curve of solutions of the case with active constraints "
                             f"{', '.join(str(i + 1) for i in active) or 'none'}, and this kind lists points")
