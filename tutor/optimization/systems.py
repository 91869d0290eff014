"""Exact solutions of the polynomial systems of optimization (∇f = 0, ∇𝔏 = 0).

A factor that is never 0 (an exponential, a positive constant) is divided out first, so
``(1 - x) e^{-x} = 0`` becomes ``1 - x = 0``; what is left must be polynomial, else the system
is refused: it is never approximated silently.  One equation in one unknown is factored
over Q and each factor solved (radicals up to degree 2, exact ``CRootOf`` roots above);
larger systems go to sympy's Gröbner-basis solver.  Complex solutions are discarded with
the reason, and the step checks every solution by substitution and the count against an
independent solver.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import Symbol

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.core.symcheck import approximate
from tutor.linalg import algebraic

MAX_DEGREE = 8


def _never_zero(factor: sympy.Expr) -> bool:
    if factor.is_number:
        return factor != 0
    base, _ = factor.as_base_exp()
    return isinstance(base, sympy.exp) or base is sympy.E or bool(factor.is_positive)


def essential(e: sympy.Expr) -> sympy.Expr:
    """``e`` without the factors that are never zero (and over a common denominator:
    its numerator)."""
    free = e.free_symbols
    if free and e.is_polynomial(*free) and sympy.Poly(e, *free).total_degree() == 1:
        return sympy.expand(e)  # a linear polynomial has no factor that is never 0 (the Lagrange
        # equations of an affine constraint: factoring and asking signs was half the solve)
    num, _ = sympy.fraction(sympy.together(e))
    num = sympy.factor(num)
    factors = sympy.Mul.make_args(num)
    return sympy.expand(sympy.Mul(*[f for f in factors if not _never_zero(f)]))


def _factored(p: sympy.Expr, variables: Sequence[Symbol]) -> sympy.Expr:
    """``p`` factored for the words; a linear one as it is (factoring each linear equation was a
    third of a Lagrange solve)."""
    if p.is_polynomial(*variables) and sympy.Poly(p, *variables).total_degree() <= 1:
        return p
    return sympy.factor(p)


def is_real(v: sympy.Expr) -> bool:
    """Real, decided by sympy's assumptions, or (around a CRootOf, where they are slow, and when
    they cannot tell) by the imaginary part at 50 digits."""
    if not v.has(sympy.CRootOf) and v.is_real is not None:
        return bool(v.is_real)
    return abs(sympy.im(approximate(v, 50))) < sympy.Float(10) ** -40


@dataclass(frozen=True, kw_only=True)
class SolvedSystem(Step):
    """The real solutions of ``equations`` (each = 0) in ``variables``; ``factored``: the
    equations as factored before solving; ``discarded``: the complex solutions."""

    rule: ClassVar[str] = "optimization.solve_system"
    equations: tuple[sympy.Expr, ...]
    factored: tuple[sympy.Expr, ...]
    variables: tuple[Symbol, ...]
    solutions: tuple[dict, ...]
    discarded: tuple[dict, ...] = ()

    @staticmethod
    def without_radicals(value: sympy.Expr) -> bool:
        """True for an exact root with no expression in radicals (shown with its decimal)."""
        return isinstance(value, sympy.Basic) and value.has(sympy.CRootOf)

    def check(self) -> bool:
        polys = [essential(e) for e in self.equations]
        for sol in self.solutions + self.discarded:
            # the solution's values at 50 digits put into each polynomial: substituting the exact
            # values (sums of CRootOf powers) and evaluating took seconds per KKT case over a ball
            at = {v: approximate(value, 50) for v, value in sol.items()}
            for p in polys:
                if abs(sympy.N(p.xreplace(at), 40)) > 1e-25:
                    return False
        if any(not all(is_real(v) for v in s.values()) for s in self.solutions):
            return False
        nonzero = [p for p in polys if p != 0]
        if any(p.is_number for p in nonzero):
            return not self.solutions and not self.discarded
        found = len(self.solutions) + len(self.discarded)
        if nonzero and _distinct(self.solutions + self.discarded, self.variables) \
                and _quotient_dimension(nonzero, self.variables) == found:
            return True  # distinct solutions <= dim Q[x]/I = the number found: none is missing
        independent = (sympy.solve_poly_system(nonzero, *self.variables) or []) if nonzero else []
        return len(independent) == found


def _distinct(solutions: tuple[dict, ...], variables: Sequence[Symbol]) -> bool:
    """The solutions are pairwise different points (at 40 digits)."""
    points = [[complex(approximate(s[v], 40)) for v in variables] for s in solutions]
    return all(max(abs(a - b) for a, b in zip(p, q)) > 1e-20 for i, p in enumerate(points) for q in points[:i])


def _quotient_dimension(polys: Sequence[sympy.Expr], variables: Sequence[Symbol]) -> int | None:
    """dim_Q Q[x]/I for a zero-dimensional ideal I (the standard monomials of a grevlex Gröbner
    basis): the number of complex solutions counted with multiplicity, an upper bound on the
    distinct ones.  None when I is not zero-dimensional.  A count without solving:
    ``solve_poly_system`` writes every root in radicals and took minutes for a quadratic over a
    disk (a KKT case)."""
    G = sympy.groebner(polys, *variables, order="grevlex")
    if list(G.exprs) == [1]:
        return 0
    if not G.is_zero_dimensional:
        return None
    leads = [sympy.Poly(g, *variables).monoms(order="grevlex")[0] for g in G.exprs]
    n = len(variables)
    bound = [min(m[i] for m in leads if all(m[j] == 0 for j in range(n) if j != i)) for i in range(n)]
    count = 0
    for exps in itertools.product(*(range(b) for b in bound)):
        if not any(all(e >= m for e, m in zip(exps, lead)) for lead in leads):
            count += 1
    return count


def _real_form(v: sympy.Expr) -> sympy.Expr:
    """A real value written with i (Cardano's casus irreducibilis) as the exact real root of
    its minimal polynomial: a ``CRootOf``, never a decimal."""
    if not v.has(sympy.I):
        return v
    t = Symbol("t")
    roots = sympy.Poly(sympy.minimal_polynomial(v, t), t).real_roots()
    return min(roots, key=lambda r: abs(sympy.N(r - v, 50)))


def _roots_one(p: sympy.Expr, x: Symbol) -> list[sympy.Expr]:
    out: list[sympy.Expr] = []
    _, factors = sympy.factor_list(p, x)
    for f, _ in factors:
        poly = sympy.Poly(f, x)
        if poly.degree() == 1:  # sympy's roots_linear runs simplify on radical coefficients
            # (16 s of a 3-variable KKT case over a ball); the quotient, rationalized, is enough
            out.append(sympy.radsimp(-poly.nth(0) / poly.nth(1)))
        elif poly.degree() == 2:
            out += list(sympy.roots(poly, multiple=True))
        else:
            out += list(poly.all_roots())
    return list(dict.fromkeys(out))


def _shape(G: Sequence[sympy.Expr], variables: tuple[Symbol, ...]) -> dict[Symbol, sympy.Expr] | None:
    """For a lexicographic basis in shape position, {v - p_v(t)} and one polynomial of the last
    variable t, each other variable as its polynomial p_v(t); else None.  Every solution is
    then (p_v(r), r) for a root r, without solving again: substituting a root in radicals or
    a ``CRootOf`` into the other polynomials and eliminating once more ran Gröbner bases over
    sympy's expression domain (1.2 s of a KKT case over a ball in 3 variables)."""
    if len(G) != len(variables):
        return None
    out = {}
    for v in variables[:-1]:
        rows = [g for g in G if g.has(v)]
        if len(rows) != 1:
            return None
        g = sympy.expand(rows[0])
        c = g.coeff(v, 1)
        rest = sympy.expand(g - c * v)
        if not c.is_number or c == 0 or rest.has(*variables[:-1]):
            return None
        out[v] = sympy.expand(-rest / c)
    return out


def _at(p: sympy.Expr, t: Symbol, r: sympy.Expr) -> sympy.Expr:
    """p(r), expanded (radicals rationalized); at a ``CRootOf`` a polynomial in the root of
    degree below its polynomial's (reduced modulo it)."""
    if isinstance(r, sympy.CRootOf):  # p has rational coefficients: reduce it as a polynomial
        minimal = sympy.Poly(r.poly.as_expr().xreplace({r.poly.gen: t}), t, domain=sympy.QQ)
        return sympy.Poly(p, t, domain=sympy.QQ).rem(minimal).as_expr().xreplace({t: r})
    value = sympy.expand(p.xreplace({t: r}))
    return algebraic.in_root_field(sympy.expand, value) if r.has(sympy.CRootOf) else sympy.radsimp(value)


def _eliminate(polys: Sequence[sympy.Expr], variables: tuple[Symbol, ...]) -> list[dict]:
    """Every solution, complex ones included: a lexicographic Gröbner basis ends in a polynomial
    of the last variable alone (isolated solutions); its roots are put back and the rest solved
    the same way.  Cardano's formula with i is never written: a root of an irreducible factor of
    degree 3 or more stays a ``CRootOf``."""
    G = [g for g in sympy.groebner(polys, *variables, order="lex").exprs]
    if G == [1]:
        return []
    last = variables[-1]
    tail = [g for g in G if g.free_symbols <= {last}]
    if not tail:
        raise TutorError("the solutions are not isolated points (a curve of solutions)")
    shape = _shape(G, variables)
    if shape is not None:
        return [{**{v: _at(p, last, r) for v, p in shape.items()}, last: r}
                for r in (_roots_one(tail[0], last) if tail[0].has(last) else [])]
    out = []
    for r in (_roots_one(tail[0], last) if tail[0].has(last) else []):
        rest = [sympy.expand(g.xreplace({last: r})) for g in G if g not in tail]
        rest = [g for g in rest if g != 0]
        if any(g.is_number for g in rest):
            continue  # this root of the last variable extends to no solution
        if len(variables) == 1:
            out.append({last: r})
            continue
        if r.has(sympy.CRootOf) and any(sympy.degree(g, v) > 1 for g in rest for v in variables[:-1]
                                         if g.has(v)):
            raise TutorError("the system is beyond exact solution here (a root without radicals "
                             "leads to another nonlinear equation)")
        for sub in (_eliminate(rest, variables[:-1]) if rest else []):
            out.append({**sub, last: r})
        if not rest:
            raise TutorError("the solutions are not isolated points (a curve of solutions)")
    return out


def solve(equations: Sequence[sympy.Expr], variables: Sequence[Symbol]) -> SolvedSystem:
    """Every real solution of the equations (each = 0), exactly, or a refusal."""
    variables = tuple(variables)
    polys = [essential(e) for e in equations]
    for p in polys:
        if not p.is_polynomial(*variables) or p.free_symbols - set(variables):
            raise TutorError("the system ∇ = 0 is not polynomial in the variables; "
                             "it is beyond exact solution here")
        if p != 0 and sympy.Poly(p, *variables).total_degree() > MAX_DEGREE:
            raise TutorError(f"an equation of degree over {MAX_DEGREE}: beyond exact solution here")
    nonzero = [p for p in polys if p != 0]
    if any(p.is_number for p in nonzero):  # a factor that is never 0 was all there was
        return SolvedSystem(equations=tuple(equations), factored=tuple(polys),
                            variables=variables, solutions=())
    free = [v for v in variables if not any(p.has(v) for p in nonzero)]
    if free:
        raise TutorError(f"{', '.join(map(str, free))} is not determined by the equations: "
                         "the solutions are not isolated points")
    if len(variables) == 1:
        # every equation at once: the roots of their gcd (the product gave the roots of either,
        # for the two equations x^2 - 1 = 0, x + 1 = 0 of a LICQ check)
        common = sympy.gcd_list(nonzero) if len(nonzero) > 1 else (nonzero[0] if nonzero else 0)
        found = [{variables[0]: r} for r in (_roots_one(common, variables[0]) if common.has(variables[0])
                                              or common == 0 else [])]
    else:
        found = _eliminate(nonzero, variables)
    real, discarded = [], []
    for s in found:
        s = {v: s[v] if s[v].is_Rational or s[v].has(sympy.CRootOf) else sympy.simplify(s[v]) for v in variables}
        if all(is_real(v) for v in s.values()):
            real.append({v: _real_form(c) for v, c in s.items()})
        else:
            discarded.append(s)
    real.sort(key=lambda s: [float(sympy.re(sympy.N(s[v]))) for v in variables])
    return SolvedSystem(equations=tuple(equations), factored=tuple(_factored(p, variables) for p in polys),
                        variables=variables, solutions=tuple(real), discarded=tuple(discarded))
