"""Is f convex, concave, strictly so, or neither, on its domain (MML 7.3)?

For a twice-differentiable f the Hessian decides: positive definite everywhere ->
strictly convex, positive semidefinite -> convex (negative: concave), and a point where it
is indefinite (or two points with opposite semidefiniteness) -> neither.  The signs of
the principal minors are proved on the domain: a domain ``x > a`` or ``x >= a`` makes
x = a + t with t > 0 (t >= 0), and sympy's sign assumptions decide the minors written in t;
one variable goes to ``solveset``.  In one variable f'' >= 0 with isolated zeros is still
strictly convex (x⁴).  A witness of "neither" is found on a small grid of the domain and
verified exactly.
"""
from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Rational, Symbol

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.optimization import relations, systems
from tutor.optimization.definiteness import DefinitenessTest, definiteness, principal_minors
from tutor.optimization.stationary import hessian, partials

VERDICTS = ("strictly convex", "convex", "strictly concave", "concave", "neither")
_GRID = [Rational(k, 2) for k in range(-6, 7)] + [Rational(1, 10), Rational(-1, 10), 5, -5]


def _interval(domain: tuple, v: Symbol) -> sympy.Set:
    return relations.interval_of(domain, v)


def _shifted(expr: sympy.Expr, variables: Sequence[Symbol], domain: tuple) -> sympy.Expr | None:
    """``expr`` with each variable written from its domain's end (x = a + t, t > 0), or None
    when a domain is bounded on both sides."""
    mapping = {}
    for v in variables:
        s = _interval(domain, v)
        if s == sympy.S.Reals:
            mapping[v] = Symbol(v.name, real=True)
            continue
        if not isinstance(s, sympy.Interval) or (s.inf.is_finite and s.sup.is_finite):
            return None
        t = Symbol(f"t_{v.name}", positive=True) if (s.left_open if s.inf.is_finite else s.right_open) \
            else Symbol(f"t_{v.name}", nonnegative=True)
        mapping[v] = s.inf + t if s.inf.is_finite else s.sup - t
    return sympy.factor(sympy.expand(expr.xreplace(mapping)))


def _constant_directions(e: sympy.Expr, variables: Sequence[Symbol]) -> list[ImmutableMatrix]:
    """A basis of the constant vectors d with d·∇e = 0 identically (e is constant along them)."""
    d = sympy.symbols(f"d_0:{len(variables)}")
    along = sympy.expand(sum(di * sympy.diff(e, v) for di, v in zip(d, variables)))
    rows = [[c.coeff(di) for di in d] for c in sympy.Poly(along, *variables).coeffs()] if along != 0 else []
    if not rows:
        return [ImmutableMatrix.eye(len(variables))[:, i] for i in range(len(variables))]
    return [ImmutableMatrix(v) for v in sympy.Matrix(rows).nullspace()]


def _one_form(e: sympy.Expr, variables: Sequence[Symbol]) -> tuple[ImmutableMatrix, sympy.Expr, Symbol] | None:
    """e = q(wᵀx) for a constant w: (w, q(t), t), or None.  e is constant along the directions
    orthogonal to w exactly when those n - 1 directions are the ones with d·∇e = 0."""
    if not e.is_polynomial(*variables):
        return None
    flat = _constant_directions(e, variables)
    if len(flat) != len(variables) - 1:
        return None
    w = ImmutableMatrix(sympy.Matrix.hstack(*flat).T.nullspace()[0]) if flat else ImmutableMatrix([1])
    t = Symbol("t", real=True)
    point = {v: t * w[i] / (w.T * w)[0] for i, v in enumerate(variables)}
    return w, sympy.expand(e.xreplace(point)), t


def _interval_sign(e: sympy.Expr, v: Symbol, where: sympy.Set) -> str:
    if sympy.solveset(e <= 0, v, where) is sympy.S.EmptySet:
        return "positive"
    if sympy.solveset(e >= 0, v, where) is sympy.S.EmptySet:
        return "negative"
    if sympy.solveset(e < 0, v, where) is sympy.S.EmptySet:
        return "nonnegative"
    if sympy.solveset(e > 0, v, where) is sympy.S.EmptySet:
        return "nonpositive"
    return "unknown"


def _quadratic_sign(e: sympy.Expr, variables: Sequence[Symbol]) -> str:
    """The sign on all of Rⁿ of a polynomial of degree 2: e = [x; 1]ᵀ M [x; 1] is >= 0 everywhere
    exactly when M is positive semidefinite, and then 0 somewhere exactly when a kernel vector
    of M has a last entry ≠ 0 (scaled to 1, it is the point)."""
    if not e.is_polynomial(*variables) or sympy.Poly(e, *variables).total_degree() != 2:
        return "unknown"
    z = Symbol("z_hom")
    homogeneous = sympy.expand(z ** 2 * e.xreplace({v: v / z for v in variables}))
    M = sympy.hessian(homogeneous, list(variables) + [z]) / 2
    for factor, name in ((1, "positive"), (-1, "negative")):
        if (factor * M).is_positive_semidefinite:
            touches = any(k[-1] != 0 for k in (factor * M).nullspace())
            return {"positive": "nonnegative", "negative": "nonpositive"}[name] if touches else name
    return "unknown"


def sign_on(expr: sympy.Expr, variables: Sequence[Symbol], domain: tuple) -> str:
    """positive, nonnegative, negative, nonpositive, zero or unknown: proved on the domain."""
    e = sympy.simplify(expr)
    if e == 0:
        return "zero"
    free = [v for v in variables if e.has(v)]
    if len(free) > 1 and not domain:
        # all of Rⁿ: a function of one linear form wᵀx takes the values of q(t), t real
        form = _one_form(sympy.expand(e), free)
        if form is not None:
            return _interval_sign(form[1], form[2], sympy.S.Reals)
        found = _quadratic_sign(sympy.expand(e), free)
        if found != "unknown":
            return found
    if len(free) == 1:
        v, where = free[0], _interval(domain, free[0])
        return _interval_sign(e, v, where)
    w = _shifted(e, variables, domain)
    if w is None:
        return "unknown"
    for name in ("positive", "negative", "nonnegative", "nonpositive"):
        if getattr(w, "is_" + name):
            return name
    return "unknown"


def _random_points(variables: Sequence[Symbol], domain: tuple, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(count * 20):
        p = {v: Rational(rng.randint(-400, 400), 97) for v in variables}
        if relations.contains(domain, p):
            out.append(p)
            if len(out) == count:
                break
    return out


@dataclass(frozen=True, kw_only=True)
class MinorSigns(Step):
    """The principal minors of the Hessian (keyed by their rows) and their signs on the
    domain; checked at random points of the domain."""

    rule: ClassVar[str] = "optimization.minor_signs"
    hessian: ImmutableMatrix
    variables: tuple[Symbol, ...]
    domain: tuple
    minors: tuple[tuple[tuple[int, ...], sympy.Expr, str], ...]

    def check(self) -> bool:
        tests = {"positive": lambda x: x > 0, "negative": lambda x: x < 0, "zero": lambda x: x == 0,
                 "nonnegative": lambda x: x >= 0, "nonpositive": lambda x: x <= 0,
                 "unknown": lambda x: True}
        for idx, m, sign in self.minors:
            rows = [i - 1 for i in idx]
            if sympy.expand(self.hessian.extract(rows, rows).det() - m) != 0:
                if sympy.simplify(self.hessian.extract(rows, rows).det() - m) != 0:
                    return False
            for p in _random_points(self.variables, self.domain, 12, seed=len(idx)):
                value = m.xreplace(p)
                if value.is_finite is False or not tests[sign](sympy.N(value, 30)):
                    return False
        return True


@dataclass(frozen=True, kw_only=True)
class Witness(Step):
    """The Hessian at points of the domain: indefinite at one, or positive definite at one
    and negative definite at another, shows f is neither convex nor concave."""

    rule: ClassVar[str] = "optimization.witness"
    hessian: ImmutableMatrix
    domain: tuple
    points: tuple[dict, ...]
    verdicts: tuple[str, ...]

    def check(self) -> bool:
        found = [definiteness(self.hessian.xreplace(p)).verdict for p in self.points]
        if found != list(self.verdicts) or not all(relations.contains(self.domain, p) for p in self.points):
            return False
        if len(found) == 1:
            return found[0] == "indefinite"
        return found == ["positive definite", "negative definite"]


@dataclass(frozen=True, kw_only=True)
class NoFlatSegment(Step):
    """A semidefinite Hessian of two variables that is singular only on ``determinant`` = 0:
    f is affine along no segment, so it is strictly convex (concave).  A segment along which f
    is affine lies where H is singular, and a line meets that algebraic set in finitely many
    points unless the line is a component of it: each component that is a line (``lines``:
    its equation, direction d and the second derivative dᵀHd along it) is checked to have
    dᵀHd not identically 0 on it."""

    rule: ClassVar[str] = "optimization.no_flat_segment"
    hessian: ImmutableMatrix
    variables: tuple[Symbol, ...]
    determinant: sympy.Expr
    lines: tuple[tuple[sympy.Expr, ImmutableMatrix, sympy.Expr], ...]

    def check(self) -> bool:
        if sympy.expand(self.hessian.det() - self.determinant) != 0 or self.determinant == 0:
            return False
        expected = _lines_of(self.determinant, self.variables)
        return len(expected) == len(self.lines) and all(
            sympy.expand(a[0] - b[0]) == 0 for a, b in zip(expected, self.lines)) and all(
            _along(self.hessian, self.variables, line, d) != 0 for line, d, _ in self.lines)


def _lines_of(determinant: sympy.Expr, variables: Sequence[Symbol]) -> list[tuple[sympy.Expr, ImmutableMatrix]]:
    """The components of ``determinant`` = 0 that are lines, with their directions."""
    x, y = variables
    out = []
    for g, _ in sympy.factor_list(determinant, *variables)[1]:
        if sympy.Poly(g, *variables).total_degree() == 1:
            a, b = g.coeff(x), g.coeff(y)
            out.append((g, ImmutableMatrix([b, -a])))
    return out


def _along(H: ImmutableMatrix, variables: Sequence[Symbol], line: sympy.Expr, d: ImmutableMatrix) -> sympy.Expr:
    """dᵀHd at the points of the line ``line`` = 0, as a function of a parameter t."""
    x, y = variables
    t = Symbol("t")
    a, b, c = line.coeff(x), line.coeff(y), line.subs({x: 0, y: 0})
    point = {x: t, y: -(a * t + c) / b} if b != 0 else {x: -c / a, y: t}
    return sympy.simplify((d.T * H.xreplace(point) * d)[0])


def _no_flat_segment(H: ImmutableMatrix, variables: Sequence[Symbol], domain: tuple) -> NoFlatSegment | None:
    """The strictness argument of :class:`NoFlatSegment`, where it applies (two variables, all
    of R², a polynomial Hessian that is not singular everywhere)."""
    if len(variables) != 2 or domain or not all(e.is_polynomial(*variables) for e in H):
        return None
    determinant = sympy.factor(H.det())
    if determinant == 0:
        return None
    lines = tuple((g, d, _along(H, variables, g, d)) for g, d in _lines_of(determinant, variables))
    if any(q == 0 for _, _, q in lines):
        return None
    return NoFlatSegment(hessian=H, variables=tuple(variables), determinant=determinant, lines=lines)


def _charts(n: int) -> list[tuple[ImmutableMatrix, tuple[Symbol, ...]]]:
    """Directions d up to scale, one chart per position of the first nonzero entry (scaled to
    1): (1, a, b), (0, 1, b), (0, 0, 1) in three variables; every real direction is in one."""
    out = []
    for first in range(n):
        params = sympy.symbols(f"a_{first}_{first + 1}:{n}", real=True) if first < n - 1 else ()
        d = [0] * first + [1] + list(params)
        out.append((ImmutableMatrix(d), tuple(params)))
    return out


def _flat_line_conditions(H: ImmutableMatrix, variables: Sequence[Symbol], d: ImmutableMatrix
                          ) -> tuple[list[sympy.Expr], tuple[Symbol, ...]]:
    """The coefficients (in t) of dᵀH(p + t d)d, zero exactly when f is affine along the line
    p + t d; and the point's unknowns p."""
    p = tuple(Symbol(f"p_{i + 1}", real=True) for i in range(len(variables)))
    t = Symbol("t", real=True)
    q = sympy.expand((d.T * H.xreplace({v: p[i] + t * d[i] for i, v in enumerate(variables)}) * d)[0])
    return [c for c in sympy.Poly(q, t).all_coeffs() if c != 0], p


@dataclass(frozen=True, kw_only=True)
class NoFlatLine(Step):
    """A semidefinite Hessian in three variables: f is affine along no line (so along no
    segment: a polynomial dᵀH(p + td)d that is 0 on a segment is 0 on the line), hence strictly
    convex (concave).  For each chart of directions d (``charts``), eliminating the point p from
    the coefficients of dᵀH(p + td)d in t leaves ``eliminated``, polynomials in d's parameters
    (``1``: none at all); their common solutions (substeps, solved) are all complex: no real
    direction carries a line along which f is affine."""

    rule: ClassVar[str] = "optimization.no_flat_line"
    hessian: ImmutableMatrix
    variables: tuple[Symbol, ...]
    charts: tuple[ImmutableMatrix, ...]
    eliminated: tuple[tuple[sympy.Expr, ...], ...]

    def check(self) -> bool:
        charts = _charts(len(self.variables))
        if list(self.charts) != [d for d, _ in charts] or len(self.eliminated) != len(charts):
            return False
        solved_steps = iter(self.substeps)
        for (d, params), polys in zip(charts, self.eliminated):
            conditions, p = _flat_line_conditions(self.hessian, self.variables, d)
            ideal = sympy.groebner(conditions, *p, *params, order="grevlex")
            if not polys or any(ideal.reduce(g)[1] != 0 for g in polys) or any(g.has(*p) for g in polys):
                return False  # each eliminated polynomial lies in the ideal and is free of p
            if tuple(polys) == (1,):
                continue
            solved = next(solved_steps, None)
            if solved is None or list(solved.equations) != list(polys) or solved.solutions:
                return False
        return next(solved_steps, None) is None


def _no_flat_line(H: ImmutableMatrix, variables: Sequence[Symbol], domain: tuple) -> NoFlatLine | None:
    """The strictness argument of :class:`NoFlatLine` (three variables, all of R³, a polynomial
    Hessian), or None when a chart leaves a real direction or a system beyond exact solution."""
    if len(variables) != 3 or domain or not all(e.is_polynomial(*variables) for e in H):
        return None
    eliminated, solved = [], []
    for d, params in _charts(3):
        conditions, p = _flat_line_conditions(H, variables, d)
        G = sympy.groebner(conditions, *p, *params, order="lex")
        polys = [g for g in G.exprs if not g.has(*p)]
        if list(G.exprs) == [1]:
            eliminated.append((sympy.S.One,))
            continue
        if not polys or not params:
            return None
        try:
            system = systems.solve(polys, params)
        except TutorError:
            return None
        if system.solutions:
            return None
        eliminated.append(tuple(polys))
        solved.append(system)
    return NoFlatLine(hessian=H, variables=tuple(variables), charts=tuple(d for d, _ in _charts(3)),
                      eliminated=tuple(eliminated), substeps=tuple(solved))


@dataclass(frozen=True, kw_only=True)
class FlatDirection(Step):
    """H(x) d = 0 at every x for the constant ``direction`` d ≠ 0: along every line x + t d the
    second derivative dᵀH d is 0, so f is affine there and not strictly convex (concave)."""

    rule: ClassVar[str] = "optimization.flat_direction"
    hessian: ImmutableMatrix
    direction: ImmutableMatrix

    def check(self) -> bool:
        product = (self.hessian * self.direction).applyfunc(sympy.expand)
        return not self.direction.is_zero_matrix and all(e == 0 or sympy.simplify(e) == 0 for e in product)


def _flat_direction(H: ImmutableMatrix, variables: Sequence[Symbol]) -> FlatDirection | None:
    """A constant d ≠ 0 with H d = 0 identically: each entry of H d, expanded, is a sum of
    (a number times a d_j) times a function of x; the numbers in front of each function must
    sum to 0, linear equations in d.  (They suffice, so any d found is right; equal functions
    written differently could hide a d, which then stays unfound.)"""
    d = sympy.symbols(f"d_0:{H.cols}")
    groups: dict = {}
    for i in range(H.rows):
        for term in sympy.Add.make_args(sympy.expand(sum(H[i, j] * d[j] for j in range(H.cols)))):
            rest, dj = term.as_independent(*d, as_Add=False)
            number, function = rest.as_coeff_Mul()
            groups.setdefault((i, function), []).append(number * dj)
    rows = [[sympy.expand(sum(terms)).coeff(dj) for dj in d] for terms in groups.values()]
    kernel = sympy.Matrix(rows).nullspace() if rows else [sympy.Matrix.eye(H.cols)[:, 0]]
    if not kernel or any(not e.is_Rational for e in kernel[0]):
        return None
    v = kernel[0] * sympy.ilcm(*[e.q for e in kernel[0]])
    flat = FlatDirection(hessian=H, direction=ImmutableMatrix(v))
    return flat if flat.check() else None


@dataclass(frozen=True, kw_only=True)
class ConvexityVerdict(Step):
    rule: ClassVar[str] = "optimization.convexity"
    verdict: str
    reason: str

    def check(self) -> bool:
        return self.verdict in VERDICTS


def _verdict(minors: Sequence[tuple[tuple[int, ...], sympy.Expr, str]], n: int, constant: bool
             ) -> tuple[str, str] | None:
    lead = [s for idx, _, s in minors if idx == tuple(range(1, len(idx) + 1))]
    sizes = [len(idx) for idx, _, _ in minors]
    signs = [s for _, _, s in minors]
    if all(s == "positive" for s in lead):
        return "strictly convex", "positive_definite"
    if all(s == ("negative" if k % 2 == 0 else "positive") for k, s in enumerate(lead)):
        return "strictly concave", "negative_definite"
    if all(s in ("positive", "nonnegative", "zero") for s in signs):
        if n == 1 and signs[0] != "zero":
            return "strictly convex", "isolated_zeros"
        return "convex", "positive_semidefinite"
    if all(s in (("negative", "nonpositive", "zero") if k % 2 else ("positive", "nonnegative", "zero"))
           for s, k in zip(signs, sizes)):
        if n == 1 and signs[0] != "zero":
            return "strictly concave", "isolated_zeros"
        return "concave", "negative_semidefinite"
    return None


def _separable(H: ImmutableMatrix, variables: Sequence[Symbol]) -> bool:
    """H diagonal with each entry a function of its own variable, not identically 0: f is a
    sum of functions of one variable each, each strictly convex (concave) by the isolated
    zeros of its second derivative, so f is strictly so too."""
    n = len(variables)
    return all(H[i, j] == 0 for i in range(n) for j in range(n) if i != j) and all(
        H[i, i] != 0 and H[i, i].free_symbols <= {variables[i]} for i in range(n))


def _witness(H: ImmutableMatrix, variables: Sequence[Symbol], domain: tuple) -> Witness | None:
    numeric = sympy.lambdify(variables, H.tolist(), modules="math")
    first: dict[str, dict] = {}
    for values in itertools.product(_GRID, repeat=len(variables)):
        p = dict(zip(variables, values))
        if not relations.contains(domain, p):
            continue
        try:
            M = [[float(x) for x in row] for row in numeric(*[float(v) for v in values])]
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            continue
        if any(math.isnan(x) or math.isinf(x) for row in M for x in row):
            continue
        verdict = definiteness(H.xreplace(p)).verdict
        if verdict == "indefinite":
            return Witness(hessian=H, domain=domain, points=(p,), verdicts=(verdict,))
        if verdict in ("positive definite", "negative definite"):
            key = "positive" if verdict.startswith("positive") else "negative"
            first.setdefault(key, p)
            if len(first) == 2:
                pts = (first["positive"], first["negative"])
                return Witness(hessian=H, domain=domain, points=pts,
                               verdicts=tuple(definiteness(H.xreplace(q)).verdict for q in pts))
    return None


def convexity(f: sympy.Expr, variables: Sequence[Symbol], domain: tuple = ()
              ) -> tuple[list[Step], str]:
    """The Hessian, its definiteness on the domain, and the verdict."""
    first = partials(f, variables)
    H = hessian(f, variables, first)
    steps: list[Step] = [*first, H]
    M = ImmutableMatrix(H.matrix.applyfunc(sympy.simplify))
    if not M.free_symbols & set(variables):
        test: DefinitenessTest = definiteness(M)
        steps.append(test)
        verdict = {"positive definite": "strictly convex", "negative definite": "strictly concave",
                   "positive semidefinite": "convex", "negative semidefinite": "concave",
                   "indefinite": "neither"}[test.verdict]
        steps.append(ConvexityVerdict(verdict=verdict, reason="constant"))
        return steps, verdict
    minors = tuple((idx, m, sign_on(m, variables, domain)) for idx, m in principal_minors(M))
    steps.append(MinorSigns(hessian=M, variables=tuple(variables), domain=tuple(domain), minors=minors))
    decided = _verdict(minors, len(variables), False)
    if decided is not None and decided[0] in ("convex", "concave") and _separable(M, variables):
        decided = ("strictly " + decided[0], "separable")
    elif decided is not None and decided[0] in ("convex", "concave"):
        strict = _no_flat_segment(M, variables, domain) or _no_flat_line(M, variables, domain)
        flat = _flat_direction(M, variables) if strict is None else None
        if strict is not None:
            steps.append(strict)
            reason = "no_flat_segment" if isinstance(strict, NoFlatSegment) else "no_flat_line"
            decided = ("strictly " + decided[0], reason)
        elif flat is not None:
            steps.append(flat)
            decided = (decided[0], "flat_direction")
        else:
            decided = (decided[0], "strictness_undecided")
    if decided is None:
        witness = _witness(M, variables, domain)
        if witness is None:
            raise TutorError("the signs of the Hessian's minors could not be decided on this domain")
        steps.append(witness)
        decided = ("neither", "witness")
    steps.append(ConvexityVerdict(verdict=decided[0], reason=decided[1]))
    return steps, decided[0]
