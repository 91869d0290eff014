"""Convex conjugates on a domain with a finite end where f stays finite: the supremum sits at
the end beyond f' there, so f* is piecewise.  Checked against a numeric sup (scipy's bounded
minimize_scalar on the domain, and the ends themselves) at many s, and each piece's step."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy

from tutor.optimization import relations
from tutor.rendering.render import render_solution

from tests.conftest import solved

scipy_optimize = pytest.importorskip("scipy.optimize")
S = sympy.Symbol("s", real=True)

CASES = [  # f as typed, its domain, f in numpy, the bounds of x (None: unbounded)
    ("x^2", "0 <= x <= 1", lambda t: t * t, (0, 1)),
    ("x^2", "x >= 0", lambda t: t * t, (0, None)),
    ("x^2", "0 < x <= 1", lambda t: t * t, (0, 1)),
    ("3x^2 - 2x", "-2 <= x <= 1", lambda t: 3 * t * t - 2 * t, (-2, 1)),
    ("e^x", "x >= 0", np.exp, (0, None)),
    ("exp(2x)", "x <= -1", lambda t: np.exp(2 * t), (None, -1)),
    ("x log x", "1 <= x <= 4", lambda t: t * np.log(t), (1, 4)),
    ("2/x", "x >= 1", lambda t: 2 / t, (1, None)),
    ("\\frac12 x^2", "x <= 2", lambda t: t * t / 2, (None, 2)),
]


def _numeric_sup(f, s: float, lo, hi) -> float:
    a = lo if lo is not None else -100
    b = hi if hi is not None else 100
    parts = [np.linspace(a, b, 20001)]  # and far out on an unbounded side, where a sup may be approached
    parts += [b + np.logspace(0, 8, 400)] if hi is None else []
    parts += [a - np.logspace(0, 8, 400)] if lo is None else []
    grid = np.sort(np.concatenate(parts))
    with np.errstate(all="ignore"):
        vals = s * grid - f(grid)
    k = int(np.nanargmax(vals))
    best = float(vals[k])
    left, right = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    r = scipy_optimize.minimize_scalar(lambda t: -(s * t - f(t)), bounds=(left, right), method="bounded",
                                       options={"xatol": 1e-12})
    return max(best, -float(r.fun))


@pytest.mark.parametrize("text, domain, f, bounds", CASES)
def test_piecewise_conjugate_against_a_numeric_sup(text, domain, f, bounds):
    sol = solved("convex_conjugate", function=text, var="x", domain=domain)
    value, dom = sol.answer.value, sol.answer.domain
    assert isinstance(value, sympy.Piecewise)
    assert any(s.rule == "optimization.conjugate_end" for s in sol.steps)
    checked = 0
    for t in np.linspace(-6, 6, 49):
        st = sympy.nsimplify(round(float(t), 2))
        if dom.contains(st) is not sympy.true:
            continue
        piece = next(e for e, cond in value.args if cond.xreplace({S: st}) == sympy.true)
        got = piece.xreplace({S: st})
        if got.has(sympy.nan) or not got.is_finite:  # 0 log 0 at an end of the domain
            got = sympy.limit(piece, S, st, "+")
        want = _numeric_sup(f, float(st), *bounds)
        assert math.isclose(float(got), want, rel_tol=1e-6, abs_tol=1e-6), (text, domain, float(st), want, got)
        checked += 1
    assert checked >= 20


def test_both_ends_closed_gives_three_pieces_and_reads_in_every_format():
    sol = solved("convex_conjugate", function="x^2", var="x", domain="0 <= x <= 1")
    assert sol.answer.to_json() == {"type": "expression", "value": "Piecewise((0, s <= 0), (s**2/4, s < 2), (s - 1, True))",
                                    "domain": "Reals"}
    pieces = next(s for s in sol.steps if s.rule == "optimization.conjugate_pieces")
    assert [str(e) for e, _ in pieces.pieces] == ["0", "s**2/4", "s - 1"]
    tampered = dataclasses.replace(pieces, pieces=((sympy.S(1), pieces.pieces[0][1]),) + pieces.pieces[1:])
    assert not tampered.check()  # the pieces no longer meet at s = 0
    end = next(s for s in sol.steps if s.rule == "optimization.conjugate_end")
    assert end.check() and not dataclasses.replace(end, value=S * end.end - 1).check()


def test_an_unbounded_side_keeps_its_domain():
    sol = solved("convex_conjugate", function="2/x", var="x", domain="x >= 1")
    assert sol.answer.domain == sympy.Interval(-sympy.oo, 0)
    assert "for every other s" in render_solution(sol, "text")


def test_chained_domain_reads_as_two_conditions():
    for text, interval in (("0 <= x <= 1", sympy.Interval(0, 1)), ("-1 < x <= 2", sympy.Interval.Lopen(-1, 2))):
        rels = relations.domain(text)
        (x,) = set().union(*(r.free_symbols for r in rels))
        assert len(rels) == 2 and relations.interval_of(rels, x) == interval
