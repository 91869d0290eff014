"""Stationary points and gradient descent against independent computations: sympy's solve and
eigenvalues for the stationary systems, numpy's float iteration for the iterates."""
from __future__ import annotations

import random

import numpy as np
import pytest
import sympy

import tutor
from tutor.core.errors import TutorError

from tests.conftest import solved

x, y = sympy.symbols("x y", real=True)


def test_issue_example_one_variable():
    sol = solved("stationary_points", function="x^3 + 6x^2 - 3x - 5")
    got = {str(p.point[0]): p.nature for p in sol.answer.points}
    assert got == {"-2 + sqrt(5)": "minimum", "-sqrt(5) - 2": "maximum"}


def test_issue_example_two_variables_json():
    sol = solved("stationary_points", function="x^2 + xy + y^2 - 3x", vars="x,y")
    assert sol.answer.to_json() == {"type": "points", "points": [
        {"point": ["2", "-1"], "value": "-3", "nature": "minimum"}]}


@pytest.mark.parametrize("f, nature", [("x^4", "minimum"), ("-x^4", "maximum"), ("x^3", "saddle"),
                                       ("x^5", "saddle"), ("x^4 + y^4", "minimum"),
                                       ("-(x^4 + y^2)", "maximum"), ("x^2 + y^3", "saddle"),
                                       ("x^2 - y^4", "saddle")])
def test_higher_order_decides(f, nature):
    sol = solved("stationary_points", function=f)
    origin = [p for p in sol.answer.points if all(c == 0 for c in p.point)]
    assert origin and origin[0].nature == nature


def _nature_by_eigenvalues(H):
    ev = np.linalg.eigvalsh(np.array(H, dtype=float))
    if np.all(ev > 1e-9):
        return "minimum"
    if np.all(ev < -1e-9):
        return "maximum"
    if ev.min() < -1e-9 < 1e-9 < ev.max():
        return "saddle"
    return None


@pytest.mark.parametrize("seed", range(12))
def test_random_polynomials_against_sympy(seed):
    """Classroom families: a full quadratic in x, y, or a cubic in x plus a quadratic in y."""
    rng = random.Random(seed)
    c = [rng.randint(-3, 3) for _ in range(6)]
    if seed % 2:
        f = c[0] * x ** 2 + c[1] * x * y + (c[2] or 1) * y ** 2 + c[3] * x + c[4] * y + c[5]
    else:
        f = (c[0] or 1) * x ** 3 + c[1] * x ** 2 + c[2] * x + (c[3] or 2) * y ** 2 + c[5] * y
    try:
        sol = solved("stationary_points", function=f, vars=[x, y])
    except TutorError:
        pytest.skip("a curve of stationary points")
    grad = [sympy.diff(f, v) for v in (x, y)]
    oracle = [s for s in sympy.solve(grad, [x, y], dict=True) if all(v.is_real for v in s.values())]
    assert len(oracle) == len(sol.answer.points)
    H = sympy.hessian(f, (x, y))
    for s in oracle:
        match = [p for p in sol.answer.points
                 if all(abs(complex(sympy.N(a - s[v]))) < 1e-9 for a, v in zip(p.point, (x, y)))]
        assert len(match) == 1
        expected = _nature_by_eigenvalues(H.subs(s).evalf())
        if expected:
            assert match[0].nature == expected
        assert sympy.simplify(match[0].value - f.subs(s)) == 0


def test_roots_without_radicals_stay_exact():
    sol = solved("stationary_points", function="x^4/4 - x^2 + x/3")
    assert all(isinstance(p.point[0], sympy.CRootOf) or p.point[0].is_Rational for p in sol.answer.points)
    assert "CRootOf" in str(sol.answer.to_json())
    from tutor.rendering.render import render_solution
    assert "≈" in render_solution(sol, "text")


def test_not_polynomial_is_refused():
    with pytest.raises(TutorError, match="polynomial"):
        tutor.solve("stationary_points", function="sin(x) + x^2")


def _numpy_descent(A, b, x0, gamma, k, alpha=0.0):
    xs, prev = [np.array(x0, float)], np.zeros(len(x0))
    for _ in range(k):
        cur = xs[-1]
        nxt = cur - gamma * (A @ cur - b) + alpha * prev
        prev = nxt - cur
        xs.append(nxt)
    return xs


@pytest.mark.parametrize("alpha", [None, "1/2"])
def test_quadratic_descent_matches_numpy(alpha):
    inputs = dict(A="[[2,1],[1,20]]", b="[5,3]", start="[-3,-1]", step="1/20", iterations=4)
    if alpha:
        inputs["momentum"] = alpha
    sol = solved("gradient_descent", **inputs)
    xs = _numpy_descent(np.array([[2, 1], [1, 20]], float), np.array([5, 3], float), [-3, -1], 1 / 20, 4,
                        0.5 if alpha else 0.0)
    got = [[float(c) for c in p] for p in sol.answer.points]
    assert np.allclose(got, xs)
    f = lambda v: 0.5 * v @ np.array([[2, 1], [1, 20]]) @ v - np.array([5, 3]) @ v  # noqa: E731
    assert np.allclose([float(v) for v in sol.answer.values], [f(v) for v in xs])


def test_issue_example_function_descent():
    sol = solved("gradient_descent", function="x^2 + 10y^2", vars="x,y", start="[3,1]", step="1/10",
                 iterations=3)
    assert sol.answer.to_json()["points"][:2] == [["3", "1"], ["12/5", "-1"]]
    cond = [s for s in sol.walk() if s.rule == "optimization.step_size"][0]
    assert cond.bound == sympy.Rational(1, 10) and not cond.converges  # γ = 2/λ_max: no convergence


def test_step_size_condition_with_three_irrational_eigenvalues():
    """A 3 x 3 A whose characteristic polynomial is an irreducible cubic with three real roots
    crashed ("Cannot convert complex to float": Cardano's formulas sorted as floats); found by
    the differential test. The eigenvalues are exact roots, in order, against numpy."""
    A = [[10, -4, -2], [-4, 7, 1], [-2, 1, 4]]
    sol = solved("gradient_descent", A=str(A), b="[4, -2, -3]", start="[3, 4, -4]", step="1", iterations=2,
                 momentum="1/4")
    cond = [s for s in sol.walk() if s.rule == "optimization.step_size"][0]
    assert np.allclose([float(e) for e in cond.eigenvalues], np.linalg.eigvalsh(np.array(A, float)))
    assert not cond.converges            # γ = 1 > 2(1 + 1/4)/λ_max ≈ 0.18
    slow = solved("gradient_descent", A=str(A), b="[4, -2, -3]", start="[0, 0, 0]", step="1/10", iterations=1)
    assert [s for s in slow.walk() if s.rule == "optimization.step_size"][0].converges


def test_minimizer_is_inverse_times_b():
    sol = solved("gradient_descent", A="[[2,1],[1,20]]", b="[5,3]", start="[0,0]", step="1/20", iterations=1)
    m = [s for s in sol.walk() if s.rule == "optimization.minimizer"][0]
    assert m.x == sympy.Matrix([[2, 1], [1, 20]]).inv() * sympy.Matrix([5, 3])


def test_descent_bad_inputs():
    with pytest.raises(TutorError, match="symmetric"):
        tutor.solve("gradient_descent", A="[[1,2],[0,1]]", b="[1,1]", start="[0,0]", step="1/2")
    with pytest.raises(TutorError, match="either"):
        tutor.solve("gradient_descent", start="[0,0]", step="1/2")
    with pytest.raises(TutorError, match="positive"):
        tutor.solve("gradient_descent", function="x^2", start="[1]", step="-1")


def test_one_variable_no_extremum_is_an_inflection_not_a_saddle():
    """Issue 14: f = x³ at 0 was called a saddle point; in one variable the word is a
    stationary point of inflection, and the point is written x = 0, not (0)."""
    text = tutor.render_solution(tutor.solve("stationary_points", function="x^3"), "text")
    assert "minimum, a maximum or neither" in text
    assert "So x = 0 is a stationary point of inflection (neither a minimum nor a maximum)" in text
    assert "saddle" not in text
    two = tutor.render_solution(tutor.solve("stationary_points", function="x^2 - y^2"), "text")
    assert "(0, 0) is a saddle point" in two


@pytest.mark.parametrize("function, verdict, flat", [
    ("3*(x - y)^2 + 2*x^4", "strictly convex", None),  # singular on x = 0, but dᵀHd = 6 there
    ("x^4 + y^4 + (x-y)^2", "strictly convex", None),
    ("-(x - y)^2 - x^4", "strictly concave", None),
    ("x^2", "convex", ((0, 0), (0, 1))),               # affine along y: not strictly
    ("(x - y)^2", "convex", ((0, 0), (1, 1))),
])
def test_a_semidefinite_hessian_is_strict_when_f_is_affine_along_no_segment(function, verdict, flat):
    """The differential test: 3(x − y)² + 2x⁴ was called 'convex' although it is strictly
    convex (the question asks for the strongest property).  Checked against the definition:
    on random segments the midpoint lies strictly below the chord (above, for concave), and a
    non-strict verdict comes with a segment where f is affine."""
    solution = tutor.solve("convexity", function=function, vars="x,y")
    assert solution.answer.value == verdict and all(s.check() for s in solution.walk())
    x, y = sympy.symbols("x y")
    f = sympy.sympify(function.replace("^", "**"))
    at = lambda v: f.subs({x: v[0], y: v[1]})  # noqa: E731
    gap = lambda p, q: (at(p) + at(q)) / 2 - at(((p[0] + q[0]) / sympy.Integer(2), (p[1] + q[1]) / sympy.Integer(2)))  # noqa: E731
    sign = -1 if "concave" in verdict else 1
    rng = random.Random(5)
    for _ in range(40):
        p, q = (rng.randint(-3, 3), rng.randint(-3, 3)), (rng.randint(-3, 3), rng.randint(-3, 3))
        if p != q:
            assert sign * gap(p, q) >= 0 and (flat is not None or sign * gap(p, q) > 0)
    if flat is not None:
        assert gap(*flat) == 0
