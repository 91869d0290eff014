"""Affine constraints that no point satisfies, proved by a Farkas certificate.

For affine g_1, ..., g_m (g_i = 0 or g_i <= 0) either some point satisfies all of them or
weights y_i, with y_i >= 0 on the inequalities, make Σ y_i g_i a positive constant (Farkas'
lemma): a point satisfying all would make that sum <= 0.  The weights are found exactly by
Fourier-Motzkin elimination (each derived inequality remembers the combination of the given
ones it is), which decides feasibility in the few variables of a classroom problem; the step
checks only the certificate.  Used before a KKT case is solved: a case whose affine
constraints cannot hold together needs no polynomial system.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import Rational, Symbol

from tutor.core.steps import Step

MAX_ROWS = 400  # Fourier-Motzkin can square the rows per variable; past this: undecided


@dataclass(frozen=True, kw_only=True)
class AffineInfeasible(Step):
    """The affine constraints ``constraints`` (numbered ``indices``, 0-based; g = 0 where
    ``equalities``, else g <= 0) have no common point: Σ ``weights``_i g_i is the constant
    ``total`` > 0, with every weight of an inequality >= 0."""

    rule: ClassVar[str] = "optimization.affine_infeasible"
    constraints: tuple[sympy.Expr, ...]
    indices: tuple[int, ...]
    equalities: tuple[bool, ...]
    weights: tuple[sympy.Expr, ...]
    total: sympy.Expr

    @property
    def combination(self) -> sympy.Expr:
        """Σ y_i g_i written with the names g_i (for the words)."""
        return sympy.Add(*[w * Symbol(f"g_{i + 1}") for w, i in zip(self.weights, self.indices) if w != 0])

    def check(self) -> bool:
        combined = sympy.expand(sum(w * g for w, g in zip(self.weights, self.constraints)))
        return (combined == self.total and self.total.is_Rational and self.total > 0
                and all(eq or w >= 0 for w, eq in zip(self.weights, self.equalities)))


def is_affine(g: sympy.Expr, variables: Sequence[Symbol]) -> bool:
    return bool(g.is_polynomial(*variables)) and sympy.Poly(g, *variables).total_degree() <= 1


def _row(g: sympy.Expr, variables: Sequence[Symbol]) -> tuple[tuple[Rational, ...], Rational] | None:
    """(a, c) with g = aᵀx + c, or None when g is not affine with rational coefficients."""
    if not is_affine(g, variables):
        return None
    poly = sympy.Poly(g, *variables)
    n = len(variables)
    a = tuple(poly.coeff_monomial(tuple(int(i == j) for i in range(n))) for j in range(n))
    c = poly.coeff_monomial((0,) * n)
    if not all(v.is_Rational for v in a + (c,)):  # Poly coefficients: sympy numbers already
        return None
    return tuple(sympy.Rational(v) for v in a), sympy.Rational(c)


def _normalized(a: tuple, c: Rational, y: tuple) -> tuple:
    scale = next((abs(v) for v in a + (c,) if v != 0), Rational(1))
    return tuple(v / scale for v in a), c / scale, tuple(v / scale for v in y)


def certificate(constraints: Sequence[sympy.Expr], equalities: Sequence[bool],
                variables: Sequence[Symbol]) -> tuple[Rational, ...] | None:
    """Weights proving the affine constraints infeasible, or None (feasible, or too many rows
    for Fourier-Motzkin)."""
    m = len(constraints)
    given = [_row(g, variables) for g in constraints]
    if any(r is None for r in given):
        return None  # irrational coefficients: not decided here
    rows = []
    for i, ((a, c), eq) in enumerate(zip(given, equalities)):
        unit = tuple(Rational(int(j == i)) for j in range(m))
        rows.append(_normalized(a, c, unit))
        if eq:  # g = 0 as g <= 0 and -g <= 0
            rows.append(_normalized(tuple(-v for v in a), -c, tuple(-v for v in unit)))
    for k in range(len(variables)):
        for a, c, y in rows:
            if all(v == 0 for v in a) and c > 0:
                return _integral(y)
        pos = [r for r in rows if r[0][k] > 0]
        neg = [r for r in rows if r[0][k] < 0]
        kept = {(r[0], r[1]): r for r in rows if r[0][k] == 0 and any(v != 0 for v in r[0])}
        for p in pos:
            for q in neg:
                s, t = -q[0][k], p[0][k]  # both > 0: the combination has no x_k
                r = _normalized(tuple(s * u + t * v for u, v in zip(p[0], q[0])), s * p[1] + t * q[1],
                                tuple(s * u + t * v for u, v in zip(p[2], q[2])))
                kept.setdefault((r[0], r[1]), r)
                if len(kept) > MAX_ROWS:
                    return None
        rows = list(kept.values()) + [r for r in rows if all(v == 0 for v in r[0])]
    for a, c, y in rows:
        if c > 0:
            return _integral(y)
    return None


def _integral(y: tuple[Rational, ...]) -> tuple[Rational, ...]:
    """The same certificate with coprime integer weights."""
    den = sympy.ilcm(*[v.q for v in y]) if y else 1
    ints = [v * den for v in y]
    g = sympy.igcd(*[int(v) for v in ints if v != 0]) or 1
    return tuple(Rational(v, g) for v in ints)


def infeasible(constraints: Sequence[sympy.Expr], indices: Sequence[int], equalities: Sequence[bool],
               variables: Sequence[Symbol]) -> AffineInfeasible | None:
    """The proof that the affine ``constraints`` have no common point, or None."""
    y = certificate(constraints, equalities, variables)
    if y is None:
        return None
    total = sympy.expand(sum(w * g for w, g in zip(y, constraints)))
    return AffineInfeasible(constraints=tuple(constraints), indices=tuple(indices),
                            equalities=tuple(equalities), weights=y, total=total)
