"""sample_stats and change_of_variables: answers against exact Fractions / sympy.stats and
numeric CDF identities; every step checks; bad input is one TutorError."""
from __future__ import annotations

import random
import statistics
from fractions import Fraction

import pytest
import sympy
from sympy import Rational, stats


import tutor
from tutor.core.errors import TutorError

from tests.conftest import solved


@pytest.mark.parametrize("seed", range(6))
def test_random_1d_data(seed: int) -> None:
    rng = random.Random(seed)
    data = [Fraction(rng.randint(-20, 20), rng.choice([1, 2, 4])) for _ in range(rng.randint(1, 15))]
    sol = solved("sample_stats", data="[" + ", ".join(map(str, data)) + "]")
    assert sol.answer.mean == Rational(statistics.mean(data))
    assert sol.answer.variance == Rational(statistics.pvariance(data))


@pytest.mark.parametrize("seed", range(6))
def test_random_multivariate_data(seed: int) -> None:
    rng = random.Random(100 + seed)
    n, d = rng.randint(2, 20), rng.randint(2, 4)
    rows = [[Fraction(rng.randint(-9, 9)) for _ in range(d)] for _ in range(n)]
    sol = solved("sample_stats", data=[[int(v) for v in r] for r in rows])
    mean = [sum(r[j] for r in rows) / n for j in range(d)]
    cov = [[sum((r[i] - mean[i]) * (r[j] - mean[j]) for r in rows) / n for j in range(d)] for i in range(d)]
    assert list(sol.answer.mean) == [Rational(m) for m in mean]
    assert sol.answer.variance == sympy.Matrix(cov).applyfunc(Rational)
    assert sol.answer.to_json()["type"] == "moments"


x, y = sympy.symbols("x y", real=True)


def _cdf_matches(sol, pdf, a, b, h, increasing):
    """P(Y ≤ y0) from f_Y equals P(X ≤ h(y0)) (or ≥) from f_X, numerically, at interior y0."""
    f = sol.answer.value.subs(sympy.Symbol("y", real=True), y)
    lo, hi = sol.answer.lower, sol.answer.upper
    points = [lo + (hi - lo) * Rational(k, 4) for k in (1, 2, 3)] if hi.is_finite and lo.is_finite \
        else [lo + k for k in (Rational(1, 2), 1, 2)] if lo.is_finite else [Rational(k, 2) for k in (-1, 0, 1)]
    for y0 in points:
        fy = sympy.Integral(f, (y, lo, y0)).evalf(30)
        x0 = h(y0)
        fx = sympy.Integral(pdf, (x, a, x0)).evalf(30) if increasing \
            else sympy.Integral(pdf, (x, x0, b)).evalf(30)
        assert abs(fy - fx) < 1e-15, (y0, fy, fx)


@pytest.mark.parametrize("g, pdf, support, h, increasing", [
    ("x^2", 2 * x, (0, 1), sympy.sqrt, True),
    ("2x + 1", 3 * x**2, (0, 1), lambda t: (t - 1) / 2, True),
    ("-log(x)", sympy.S.One, (0, 1), lambda t: sympy.exp(-t), False),
    ("1/x", 2 * x, (0, 1), lambda t: 1 / t, False),
    ("sqrt(x)", sympy.exp(-x), (0, sympy.oo), lambda t: t**2, True),
    ("3 - 2x", sympy.Rational(1, 2), (-1, 1), lambda t: (3 - t) / 2, False),
])
def test_change_of_variables_by_cdf(g, pdf, support, h, increasing) -> None:
    a, b = support
    sol = solved("change_of_variables", g=g, pdf=str(pdf).replace("**", "^"), support=f"{a},{b}")
    _cdf_matches(sol, pdf, a, b, h, increasing)


def test_change_of_variables_against_sympy_stats_lognormal() -> None:
    sol = solved("change_of_variables", g="exp(x)", pdf="exp(-x^2/2)/sqrt(2pi)", support="-oo,oo")
    Y = stats.LogNormal("Y", 0, 1)
    t = sympy.Symbol("t", positive=True)
    assert sympy.simplify(sol.answer.value.subs(sympy.Symbol("y", real=True), t) - stats.density(Y)(t)) == 0
    assert (sol.answer.lower, sol.answer.upper) == (0, sympy.oo)


def test_change_of_variables_with_parameter() -> None:
    sol = solved("change_of_variables", g="2x", pdf="lambda exp(-lambda x)", support="0,oo")
    lam = sympy.Symbol("lambda")
    t = sympy.Symbol("y", real=True)
    assert sympy.simplify(sol.answer.value - lam / 2 * sympy.exp(-lam * t / 2)) == 0


@pytest.mark.parametrize("kind, inputs, message", [
    ("sample_stats", dict(data="[[1,2],[3]]"), "row 2"),
    ("sample_stats", dict(data="[[a,2],[3,4]]"), "real number"),
    ("sample_stats", dict(data="[" + ",".join(["1"] * 201) + "]"), "at most 200"),
    ("change_of_variables", dict(g="x^2", pdf="1/2", support="-1,1"), "not monotone"),
    ("change_of_variables", dict(g="x + a", pdf="1", support="0,1"), "x alone"),
    ("change_of_variables", dict(g="3", pdf="1", support="0,1"), "depend on x"),
    ("change_of_variables", dict(g="x^2", pdf="x", support="0,1"), "integrates to 1/2"),
    ("change_of_variables", dict(g="x^2"), "density"),
])
def test_bad_input(kind: str, inputs: dict, message: str) -> None:
    with pytest.raises(TutorError, match=message):
        tutor.solve(kind, **inputs)
