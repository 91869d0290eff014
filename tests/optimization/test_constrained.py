"""Lagrange, KKT, LP and QP against independent solvers: sympy's solve for the Lagrange
systems, scipy.optimize (minimize, linprog) and cvxpy on random problems."""
from __future__ import annotations

import random

import numpy as np
import pytest
import sympy

import tutor
from tutor.core.errors import TutorError

from tests.conftest import solved

scipy_optimize = pytest.importorskip("scipy.optimize")


def test_lagrange_issue_example():
    sol = solved("lagrange", function="xy", constraint=["x + y = 10"], vars="x,y")
    assert sol.answer.to_json() == {"type": "points", "points": [
        {"point": ["5", "5"], "multipliers": ["-5"], "value": "25", "nature": "maximum"}]}


def test_lagrange_circle_is_compact():
    sol = solved("lagrange", function="3x + 4y", constraint=["x^2 + y^2 = 25"], vars="x,y")
    got = {tuple(map(str, p.point)): (p.nature, str(p.value)) for p in sol.answer.points}
    assert got == {("-3", "-4"): ("minimum", "-25"), ("3", "4"): ("maximum", "25")}
    only_min = tutor.solve("lagrange", function="3x + 4y", constraint=["x^2 + y^2 = 25"], goal="min")
    assert [p.nature for p in only_min.answer.points] == ["minimum"]


def test_lagrange_without_maximum_says_so():
    sol = tutor.solve("lagrange", function="x^2 + y^2", constraint=["x + y = 2"], goal="max")
    assert sol.answer.to_json() == {"type": "none", "reason": "no global maximum"}


@pytest.mark.parametrize("seed", range(6))
def test_lagrange_against_scipy(seed):
    rng = random.Random(seed)
    a, b = rng.randint(1, 3), rng.randint(1, 3)
    p, q, c = rng.randint(-3, 3), rng.randint(-3, 3), rng.randint(-4, 4)
    f = f"{a}(x - {p})^2 + {b}(y - {q})^2"
    sol = solved("lagrange", function=f, constraint=[f"x + 2y = {c}"], vars="x,y")
    (pt,) = sol.answer.points
    assert pt.nature == "minimum"
    res = scipy_optimize.minimize(lambda v: a * (v[0] - p) ** 2 + b * (v[1] - q) ** 2, [0, 0],
                                  constraints=[{"type": "eq", "fun": lambda v: v[0] + 2 * v[1] - c}])
    assert np.allclose([float(c) for c in pt.point], res.x, atol=1e-5)


def test_kkt_issue_example():
    sol = solved("kkt", function="(x-2)^2 + (y-1)^2", constraint=["x + y <= 2", "x >= 0"], vars="x,y")
    assert sol.answer.to_json() == {"type": "points", "points": [
        {"point": ["3/2", "1/2"], "multipliers": ["1", "0"], "value": "1/2", "nature": "minimum"}]}
    cases = [s for s in sol.walk() if s.rule == "optimization.kkt_case"]
    assert len(cases) == 4  # every active set of two inequalities


@pytest.mark.parametrize("seed", range(8))
def test_kkt_against_scipy(seed):
    rng = random.Random(seed)
    p, q = rng.randint(-3, 4), rng.randint(-3, 4)
    s, r = rng.randint(-2, 3), rng.randint(-2, 2)
    sol = solved("kkt", function=f"(x - {p})^2 + 2(y - {q})^2 + x y",
                 constraint=[f"x + y <= {s}", f"y >= {r}"], vars="x,y")
    minima = [pt for pt in sol.answer.points if pt.nature == "minimum"]
    assert len(minima) == 1
    f = lambda v: (v[0] - p) ** 2 + 2 * (v[1] - q) ** 2 + v[0] * v[1]  # noqa: E731
    res = scipy_optimize.minimize(f, [r - 1, r], constraints=[
        {"type": "ineq", "fun": lambda v: s - v[0] - v[1]}, {"type": "ineq", "fun": lambda v: v[1] - r}])
    assert np.allclose([float(c) for c in minima[0].point], res.x, atol=1e-4)


def test_lp_mml_example_7_5_and_dual():
    A = [[2, 2], [2, -4], [-2, 1], [0, -1], [0, 1]]
    b, c = [33, 8, 5, -1, 8], [-5, -3]
    sol = solved("lp", c=str(c), A=str(A), b=str(b))
    res = scipy_optimize.linprog(c, A_ub=A, b_ub=b, bounds=[(None, None)] * 2)
    assert np.allclose([float(v) for v in sol.answer.x], res.x)
    assert abs(float(sol.answer.value) - res.fun) < 1e-9
    lam = np.array([float(v) for v in sol.answer.multipliers])
    assert np.all(lam >= 0) and np.allclose(np.array(A).T @ lam + c, 0)
    assert abs(-np.dot(b, lam) - res.fun) < 1e-9  # strong duality


def _random_lp(rng, n):
    m = rng.randint(n + 1, n + 4)
    A = [[rng.randint(-4, 4) for _ in range(n)] for _ in range(m)]
    b = [rng.randint(-3, 9) for _ in range(m)]
    c = [rng.randint(-4, 4) for _ in range(n)]
    return A, b, c


@pytest.mark.parametrize("seed", range(30))
def test_lp_against_linprog(seed):
    rng = random.Random(seed)
    A, b, c = _random_lp(rng, 2 if seed % 3 else 3)
    sol = tutor.solve("lp", c=str(c), A=str(A), b=str(b))
    assert all(s.check() for s in sol.walk())
    res = scipy_optimize.linprog(c, A_ub=A, b_ub=b, bounds=[(None, None)] * len(c))
    status = {0: "optimal", 2: "infeasible", 3: "unbounded"}[res.status]
    got = sol.answer.to_json()
    if status == "optimal":
        assert got["type"] == "lp" and abs(float(sympy.sympify(got["value"])) - res.fun) < 1e-7
    else:
        assert got == {"type": "none", "reason": status}


def test_qp_mml_example_7_6():
    sol = solved("qp", Q="[[2,1],[1,4]]", c="[5,3]", A="[[1,0],[-1,0],[0,1],[0,-1]]", b="[1,1,1,1]")
    assert sol.answer.to_json() == {"type": "qp", "x": ["-1", "-1/2"], "value": "-9/2",
                                    "multipliers": ["0", "5/2", "0", "0"]}


@pytest.mark.parametrize("seed", range(10))
def test_qp_against_cvxpy(seed):
    cp = pytest.importorskip("cvxpy")
    rng = random.Random(seed)
    M = np.array([[rng.randint(-2, 2) for _ in range(2)] for _ in range(2)])
    Q = M.T @ M + np.eye(2) * rng.randint(1, 3)
    c = np.array([rng.randint(-6, 6) for _ in range(2)])
    A = np.array([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]])
    b = np.array([1, 1, 1, 1, rng.randint(0, 2)])
    sol = solved("qp", Q=Q.astype(int).tolist(), c=c.tolist(), A=A.tolist(), b=b.tolist())
    xv = cp.Variable(2)
    prob = cp.Problem(cp.Minimize(0.5 * cp.quad_form(xv, Q) + c @ xv), [A @ xv <= b])
    prob.solve()
    assert np.allclose([float(v) for v in sol.answer.x], xv.value, atol=1e-5)
    assert abs(float(sol.answer.value) - prob.value) < 1e-5


def test_qp_refuses_indefinite():
    with pytest.raises(TutorError, match="not positive definite"):
        tutor.solve("qp", Q="[[1,2],[2,1]]", c="[0,0]", A="[[1,0]]", b="[1]")


@pytest.mark.parametrize("f, domain, verdict", [
    ("x^2 + xy + y^2", None, "strictly convex"), ("x^4", None, "strictly convex"),
    ("x^2", None, "strictly convex"), ("x^3", None, "neither"), ("x^3", "x > 0", "strictly convex"),
    ("x log(x)", "x > 0", "strictly convex"), ("log(x)", "x > 0", "strictly concave"),
    ("xy", None, "neither"), ("x^2 + 2xy + y^2", None, "convex"), ("-(x - y)^2", None, "concave"),
    ("x + 2y", None, "convex"), ("e^x + y^2", None, "strictly convex"), ("x^4 + y^2", None, "strictly convex"),
    ("x^4 + y^4 + z^2", None, "strictly convex")])
def test_convexity_cases(f, domain, verdict):
    inputs = {"function": f}
    if domain:
        inputs["domain"] = domain
    assert solved("convexity", **inputs).answer.value == verdict


@pytest.mark.parametrize("seed", range(10))
def test_convexity_of_quadratic_forms_against_numpy(seed):
    rng = random.Random(seed)
    a, b, c = rng.randint(-3, 3), rng.randint(-4, 4), rng.randint(-3, 3)
    H = np.array([[2 * a, b], [b, 2 * c]], float)
    ev = np.linalg.eigvalsh(H)
    sol = solved("convexity", function=f"{a}x^2 + {b}x y + {c}y^2", vars="x,y")
    expected = ("strictly convex" if ev.min() > 1e-9 else "convex" if ev.min() > -1e-9 and ev.max() > 1e-9
                else "strictly concave" if ev.max() < -1e-9 else "concave" if ev.max() < 1e-9 and ev.min() < -1e-9
                else "neither" if ev.min() < -1e-9 < 1e-9 < ev.max() else "convex")
    assert sol.answer.value == expected


@pytest.mark.parametrize("f, domain, value, dom", [
    ("\\frac12 x^2", None, "s**2/2", "Reals"), ("x log x", "x > 0", "exp(s - 1)", "Reals"),
    ("max(0, 1 - x)", None, "s", "Interval(-1, 0)"), ("\\max(0, 1-x)", None, "s", "Interval(-1, 0)"),
    ("e^x", None, "s*(log(s) - 1)", "Interval(0, oo)"), ("-\\log x", "x > 0", "-log(-s) - 1",
                                                         "Interval.open(-oo, 0)")])
def test_conjugates_of_the_book(f, domain, value, dom):
    inputs = {"function": f}
    if domain:
        inputs["domain"] = domain
    got = solved("convex_conjugate", **inputs).answer.to_json()
    assert got == {"type": "expression", "value": value, "domain": dom}


@pytest.mark.parametrize("name, f, domain, lo, s_values", [
    ("\\frac12 x^2", lambda t: 0.5 * t * t, None, -50, [-2, 0.5, 3]),
    ("x log x", lambda t: t * np.log(t), "x > 0", 1e-12, [-1, 0, 1.5]),
    ("e^x", lambda t: np.exp(t), None, -50, [0.5, 2]),
    ("max(0, 1 - x)", lambda t: max(0.0, 1 - t), None, -50, [-1, -0.25, 0])])
def test_conjugate_values_against_numeric_sup(name, f, domain, lo, s_values):
    inputs = {"function": name}
    if domain:
        inputs["domain"] = domain
    value = tutor.solve("convex_conjugate", **inputs).answer.value
    s = sympy.Symbol("s", real=True)
    for sv in s_values:
        res = scipy_optimize.minimize_scalar(lambda t: -(sv * t - f(t)), bounds=(lo, 50), method="bounded")
        assert abs(float(value.subs(s, sv)) - (-res.fun)) < 1e-5


def test_kkt_nonconvex_on_a_compact_polyhedron_marks_the_lowest():
    sol = solved("kkt", function="-xy + x", constraint=["x + y <= 3", "x >= 0", "y >= 0"], vars="x,y")
    minima = [p for p in sol.answer.points if p.nature == "minimum"]
    f = lambda v: -v[0] * v[1] + v[0]  # noqa: E731
    best = min((scipy_optimize.minimize(f, start, bounds=[(0, 3), (0, 3)], constraints=[
        {"type": "ineq", "fun": lambda v: 3 - v[0] - v[1]}]) for start in ([0.5, 0.5], [2, 0.5], [0.2, 2.5])),
        key=lambda r: r.fun)
    assert len(minima) == 1 and abs(float(minima[0].value) - best.fun) < 1e-6
    assert any(p.nature == "candidate" for p in sol.answer.points) or len(sol.answer.points) == 1


def test_kkt_signs_at_roots_of_a_quartic_are_decided_fast():
    """A concave quadratic over a disk: the case with the circle active has solutions in the
    roots of an irreducible quartic, whose signs (g > 0? λ < 0?) sympy decided through minimal
    polynomials for minutes (found by the differential test: > 60 s); now at 50 digits after
    an exact zero test. Every point is a KKT point, the lowest against SLSQP."""
    import time

    from scipy.optimize import minimize
    start = time.process_time()
    sol = solved("kkt", function="-9x^2 + 2x + 2y + 1", constraint=["x^2 + y^2 <= 4"], vars="x,y")
    assert time.process_time() - start < 30
    pts = [(float(sympy.N(p.point[0])), float(sympy.N(p.point[1]))) for p in sol.answer.points]
    lams = [float(sympy.N(p.multipliers[0])) for p in sol.answer.points]
    for (x, y), lam in zip(pts, lams):
        assert x * x + y * y <= 4 + 1e-12 and lam >= -1e-12
        assert abs(-18 * x + 2 + lam * 2 * x) < 1e-9 and abs(2 + lam * 2 * y) < 1e-9
        assert abs(lam * (x * x + y * y - 4)) < 1e-9
    best = min(minimize(lambda v: -9 * v[0] ** 2 + 2 * v[0] + 2 * v[1] + 1, s, method="SLSQP",
                        constraints=[{"type": "ineq", "fun": lambda v: 4 - v @ v}]).fun
               for s in ([1, 0], [-1, 0], [0, 1], [0, -1]))
    assert min(-9 * x * x + 2 * x + 2 * y + 1 for x, y in pts) == pytest.approx(best, abs=1e-5)


def test_an_indefinite_hessian_passes_its_step_check():
    """sympy's is_indefinite is None for this matrix (eigenvalues -14.9, -7.0, 13.9), which
    failed the definiteness step of a right "neither" (found by the differential test)."""
    sol = solved("convexity", function="-2x^2 - 10x*y + 2x*z + x + 4y^2 + 4y*z + 3y - 6z^2 - 3z + 1",
                 vars="x,y,z")
    assert sol.answer.value == "neither"
    H = np.array([[-4, -10, 2], [-10, 8, 4], [2, 4, -12]], float)
    eig = np.linalg.eigvalsh(H)
    assert eig.min() < 0 < eig.max()


def test_kkt_over_a_disk_is_checked_without_solving_in_radicals():
    """The count check of a KKT case solved 2λx + 12x − 4y − 2 = 0, 2λy − 4x + 6y − 2 = 0,
    x² + y² = 4 again with sympy's solve_poly_system (every root in radicals): over 70 s
    (found by the differential test). Distinct solutions <= dim Q[x]/I (a Gröbner basis);
    equality with the number found proves none is missing. An infeasible problem: no point."""
    import time

    from tutor.optimization import systems
    start = time.process_time()
    sol = solved("kkt", function="6x^2 - 4x*y - 2x + 3y^2 - 2y + 1",
                 constraint=["y <= -2", "x^2 + y^2 <= 4", "x + 3y >= 3"], vars="x,y")
    assert sol.answer.points == () and time.process_time() - start < 30
    x, y = sympy.symbols("x y")
    full = systems.solve([x ** 2 - 1, y - x], [x, y])
    assert full.check()
    import dataclasses
    assert not dataclasses.replace(full, solutions=full.solutions[:1]).check()   # one missing
    assert systems.solve([(x - 1) ** 2, y], [x, y]).check()                     # a double root


def test_kkt_with_a_curve_of_solutions_is_refused_not_answered_empty():
    """f = 2x + 2y on 3x + 3y = -1 is constant (-2/3) on the feasible line: every point is a
    KKT point and a minimum. The case was skipped (not isolated) and the answer said "no case
    gives a KKT point" (found by the differential test); now a refusal that says why."""
    with pytest.raises(TutorError, match="not derived"):
        tutor.solve("kkt", function="2x + 2y", constraint=["3x + 3y = -1"], vars="x,y")
