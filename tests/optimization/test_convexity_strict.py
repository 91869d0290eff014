"""Strict or not: semidefinite Hessians that are not constant, decided exactly and checked
against the definition of (strict) convexity on random rational segments, computed exactly
with sympy: the midpoint strictly below the chord for a strict verdict, and for a non-strict
one a segment (along the direction the solution names) where f is affine."""
from __future__ import annotations

import random

import pytest
import sympy

from tests.conftest import solved

X = sympy.symbols("x y z")


@pytest.mark.parametrize("function, verdict, reason", [
    ("(x+y)^2+(x+y)^4", "convex", "flat_direction"),             # the issue's: was refused
    ("(x+y)^4 + z^2", "convex", "flat_direction"),
    ("(x+y+z)^2 + x^4", "convex", "flat_direction"),
    ("exp(x+y)", "convex", "flat_direction"),
    ("log(exp(x) + exp(y))", "convex", "flat_direction"),         # log-sum-exp: flat along (1, 1)
    ("(x-y)^2+(y-z)^2+x^4", "strictly convex", "no_flat_line"),   # singular on x = 0, 3 variables
    ("(x+y+z)^2+x^4+y^4", "strictly convex", "no_flat_line"),
    ("(x+y)^2 + (y+z)^2 + (x+z)^4", "strictly convex", "no_flat_line"),
    ("-(x-y)^2-(y-z)^2-x^4", "strictly concave", "no_flat_line"),
    ("(x-y)^2 + z^4 + x^4", "strictly convex", "no_flat_line"),
])
def test_semidefinite_hessians_strict_or_not(function, verdict, reason):
    sol = solved("convexity", function=function)
    assert (sol.answer.value, sol.steps[-1].reason) == (verdict, reason)
    variables = sol.problem.inputs["vars"]
    f = sol.problem.inputs["function"]
    n = len(variables)
    at = lambda p: f.xreplace(dict(zip(variables, p)))  # noqa: E731
    sign = -1 if "concave" in verdict else 1
    rng = random.Random(7)
    for _ in range(25):
        p = [sympy.Rational(rng.randint(-6, 6), 3) for _ in range(n)]
        q = [sympy.Rational(rng.randint(-6, 6), 3) for _ in range(n)]
        if p == q:
            continue
        gap = sympy.nsimplify(sympy.N((at(p) + at(q)) / 2 - at([(a + b) / 2 for a, b in zip(p, q)]), 40),
                              rational=True, tolerance=1e-30)
        assert sign * gap >= 0
        if verdict.startswith("strictly"):
            assert sign * gap > 0, (p, q)
    if reason == "flat_direction":
        d = next(s for s in sol.steps if s.rule == "optimization.flat_direction").direction
        p = [sympy.Rational(rng.randint(-6, 6), 3) for _ in range(n)]
        q = [a + b for a, b in zip(p, d)]
        mid = [(a + b) / 2 for a, b in zip(p, q)]
        assert sympy.simplify((at(p) + at(q)) / 2 - at(mid)) == 0     # affine along d


def test_strictness_left_undecided_is_said():
    """A singular Hessian with neither argument: 'convex', and the words say strictness is not
    decided (never 'strictly' without proof)."""
    from tutor.rendering.render import render_solution
    sol = solved("convexity", function="cosh(x) + (y - z)^2 + y^4", vars="x,y,z")  # strictly, in fact
    assert sol.answer.value == "convex" and sol.steps[-1].reason == "strictness_undecided"
    assert "Whether it is strictly convex is not decided here" in render_solution(sol, "text")
