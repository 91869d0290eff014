"""The models kinds against independent computations: numpy's least squares, scikit-learn's
LinearRegression, Ridge, PCA, GaussianMixture and SVC, and closed forms; on hand-picked and
seeded random inputs (deterministic)."""
from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest
import sympy

from tests.conftest import ROOT, solved
from tutor.core.errors import TutorError

sklearn = pytest.importorskip("sklearn")


def floats(values) -> np.ndarray:
    return np.array([float(sympy.sympify(v)) for v in values])


def answer(sol) -> dict:
    return sol.answer.to_json()


# ---------------------------------------------------------------- estimation

@pytest.mark.parametrize("model, data, expected", [
    ("Bernoulli(\\mu)", "1,0,1,1", {"mu": "3/4"}),
    ("Binomial(5, \\mu)", "2,3,4", {"mu": "3/5"}),
    ("Poisson(\\lambda)", "[1,2,3,0]", {"lambda": "3/2"}),
    ("Exponential(\\lambda)", "1,2,1/2", {"lambda": "6/7"}),
    ("Gaussian(\\mu, 1)", "1,2,3", {"mu": "2"}),
    ("Gaussian(\\mu, \\sigma^2)", "1,2,3,6", {"mu": "3", "sigma**2": "7/2"}),
    ("Gaussian(0, \\sigma^2)", "-1,2,3", {"sigma**2": "14/3"}),
])
def test_mle_closed_forms(model, data, expected):
    assert answer(solved("mle", model=model, data=data)) == {"type": "estimate", "values": expected}


def test_mle_gaussian_matches_numpy_on_random_data():
    rng = random.Random(3)
    for _ in range(3):
        xs = [rng.randint(-9, 9) for _ in range(rng.randint(2, 7))]
        if len(set(xs)) == 1:
            continue
        values = answer(solved("mle", model="Gaussian(\\mu, \\sigma^2)", data=",".join(map(str, xs))))["values"]
        assert float(sympy.sympify(values["mu"])) == pytest.approx(np.mean(xs))
        assert float(sympy.sympify(values["sigma**2"])) == pytest.approx(np.var(xs))


@pytest.mark.parametrize("model, prior, data, mode, posterior", [
    ("Bernoulli(\\mu)", "Beta(2,2)", "1,0,1,1", "2/3", "Beta(5, 3)"),
    ("Binomial(4, \\mu)", "Beta(1,3)", "2,1", "3/10", "Beta(4, 8)"),
    ("Poisson(\\lambda)", "Gamma(2,1)", "1,2,3", "7/4", "Gamma(8, 4)"),
    ("Exponential(\\lambda)", "Gamma(3,2)", "1,1", "1", "Gamma(5, 4)"),
    ("Gaussian(\\mu, 1)", "Gaussian(0, 1)", "1,2,3", "3/2", "Gaussian(3/2, 1/4)"),
])
def test_map_is_the_mode_of_the_conjugate_posterior(model, prior, data, mode, posterior):
    a = answer(solved("map", model=model, prior=prior, data=data))
    assert list(a["values"].values()) == [mode] and a["posterior"] == posterior


@pytest.mark.parametrize("model, data, expected", [
    ("Bernoulli(\\mu)", "0,0,0", 0), ("Bernoulli(\\mu)", "1,1,1,1", 1),
    ("Binomial(5, \\mu)", "5,5", 1), ("Binomial(3, \\mu)", "0", 0),
])
def test_mle_of_all_failures_or_successes_is_an_end_of_the_interval(model, data, expected):
    """Issue 15: all-0 or all-1 data were refused; the likelihood is monotone on [0, 1] and its
    maximum is at an end, as a grid over [0, 1] of the likelihood itself shows."""
    import tutor
    solution = tutor.solve("mle", model=model, data=data)
    assert all(step.check() for step in solution.walk())
    assert solution.answer.values == {"mu": expected}
    n = int(model.split("(")[1].split(",")[0]) if model.startswith("Binomial") else 1
    xs = [int(x) for x in data.split(",")]
    grid = np.linspace(0, 1, 1001)
    likelihood = np.prod([grid**x * (1 - grid)**(n - x) for x in xs], axis=0)
    assert grid[int(np.argmax(likelihood))] == expected
    assert "no stationary point" in tutor.render_solution(solution, "text")


@pytest.mark.parametrize("kind, inputs, message", [
    ("mle", {"model": "Poisson(\\lambda)", "data": "0,0"}, "all 0"),
    ("mle", {"model": "Bernoulli(\\mu)", "data": "1,2"}, "0 or 1"),
    ("mle", {"model": "Bernoulli(1/2)", "data": "1,0"}, "no parameter"),
    ("map", {"model": "Poisson(\\lambda)", "prior": "Beta(1,1)", "data": "1"}, "Gamma"),
    ("linear_regression", {"x": "[1,1,1]", "y": "[1,2,3]"}, "ridge"),
    ("bayesian_regression", {"x": "[0,1]", "y": "[1,2]", "prior_mean": "[0,0]",
                             "prior_cov": "[[1,2],[2,1]]", "noise_var": "1"}, "not positive"),
    ("svm", {"data": "[[0,0],[1,1],[2,2]]", "labels": "[1,-1,1]"}, "--C"),
    ("svm", {"data": "[[0,0],[1,1]]", "labels": "[1,2]"}, "labels are"),
    ("em_step", {"data": "1,2", "weights": "[1/2,1/3]", "means": "[0,1]", "variances": "[1,1]"}, "sum to 1"),
    ("pca", {"data": "[[1,2],[3,4]]", "k": "3"}, "k must"),
    ("svm", {"data": "[[0,0],[1,1]]", "labels": "[1,-1]", "kernel": "sigmoid"}, "unknown kernel"),
])
def test_refusals_say_why(kind, inputs, message):
    import tutor
    with pytest.raises(TutorError, match=message):
        tutor.solve(kind, **inputs)


# ---------------------------------------------------------------- regression

def test_linear_regression_contract():
    a = answer(solved("linear_regression", x="[-1,0,1,2]", y="[1,0,2,5]"))
    assert a == {"type": "vector", "value": ["13/10", "7/5"], "noise_variance": "21/20"}
    a = answer(solved("linear_regression", X="[[1,2],[0,1],[2,0]]", y="[3,1,2]"))
    assert a["value"] == ["1", "1"]


def test_linear_regression_matches_lstsq_and_sklearn():
    from sklearn.linear_model import LinearRegression, Ridge
    rng = random.Random(11)
    for _ in range(4):
        n = rng.randint(4, 7)
        xs = rng.sample(range(-6, 7), n)
        ys = [rng.randint(-9, 9) for _ in xs]
        a = answer(solved("linear_regression", x=str(xs), y=str(ys), features="1, x, x^2"))
        Phi = np.array([[1, x, x * x] for x in xs], dtype=float)
        theta, *_ = np.linalg.lstsq(Phi, np.array(ys, dtype=float), rcond=None)
        assert floats(a["value"]) == pytest.approx(theta)
        fit = LinearRegression().fit(Phi[:, 1:], ys)
        assert floats(a["value"]) == pytest.approx([fit.intercept_, *fit.coef_])
        residual = np.array(ys) - Phi @ theta
        assert float(sympy.sympify(a["noise_variance"])) == pytest.approx(residual @ residual / n)
        lam = rng.choice([sympy.Rational(1, 2), sympy.Integer(1), sympy.Integer(3)])
        r = answer(solved("linear_regression", x=str(xs), y=str(ys), features="1, x, x^2", ridge=str(lam)))
        ridge = Ridge(alpha=float(lam), fit_intercept=False).fit(Phi, ys)  # λI on the bias too
        assert floats(r["value"]) == pytest.approx(ridge.coef_) and "noise_variance" not in r


def test_map_regression_is_ridge_with_lambda_noise_over_prior():
    a = answer(solved("linear_regression", x="[-1,0,1,2]", y="[1,0,2,5]", noise_var="1", prior_var="2"))
    b = answer(solved("linear_regression", x="[-1,0,1,2]", y="[1,0,2,5]", ridge="1/2"))
    assert a == b


def test_bayesian_regression_against_numpy():
    a = answer(solved("bayesian_regression", x="[-1,0,1,2]", y="[1,0,2,5]", features="1, x",
                      prior_mean="[0,0]", prior_cov="[[1,0],[0,1]]", noise_var="1", at="2"))
    Phi = np.array([[1, -1], [1, 0], [1, 1], [1, 2]], dtype=float)
    y = np.array([1, 0, 2, 5], dtype=float)
    S = np.linalg.inv(np.eye(2) + Phi.T @ Phi)
    m = S @ (Phi.T @ y)
    assert floats(a["mean"]) == pytest.approx(m)
    assert floats(sum(a["cov"], [])) == pytest.approx(S.ravel())
    phi = np.array([1.0, 2.0])
    assert float(sympy.sympify(a["predictive"]["mean"])) == pytest.approx(phi @ m)
    assert float(sympy.sympify(a["predictive"]["variance"])) == pytest.approx(phi @ S @ phi + 1)
    assert answer(solved("bayesian_regression", x="[0,1]", y="[1,2]", prior_mean="[1,0]",
                         prior_cov="[[2,1],[1,2]]", noise_var="1/2")).get("predictive") is None


# ---------------------------------------------------------------- PCA

def test_pca_contract_and_sklearn():
    from sklearn.decomposition import PCA
    data = [[2, 0], [0, 2], [-2, 0], [0, -2], [1, 1]]
    a = answer(solved("pca", data=str(data)))
    assert a["mean"] == ["1/5", "1/5"] and a["variances"] == ["48/25", "8/5"] and a["error"] == "8/5"
    X = np.array(data, dtype=float)
    ref = PCA(n_components=1).fit(X)
    comp = floats(a["components"][0])
    assert abs(comp @ ref.components_[0]) == pytest.approx(1)
    assert floats(a["variances"]) == pytest.approx(np.linalg.eigvalsh(np.cov(X.T, bias=True))[::-1])
    codes = floats([c[0] for c in a["codes"]])
    assert np.abs(codes) == pytest.approx(np.abs(ref.transform(X)[:, 0]))


def test_pca_random_3d_reconstruction_error_is_the_discarded_variance():
    """Random integer points mostly give an irreducible cubic: decimals with 4 digits."""
    rng = random.Random(5)
    for k in (1, 2):
        for _ in range(2):
            data = [[rng.randint(-3, 3) for _ in range(3)] for _ in range(5)]
            a = answer(solved("pca", data=str(data), k=str(k)))  # an irreducible cubic: decimals
            X = np.array(data, dtype=float)
            Xc = X - X.mean(axis=0)
            values = np.sort(np.linalg.eigvalsh(Xc.T @ Xc / len(X)))[::-1]
            assert floats(a["variances"]) == pytest.approx(values, rel=1e-3, abs=1e-9)
            assert float(sympy.sympify(a["error"])) == pytest.approx(values[k:].sum(), rel=1e-3, abs=1e-9)


# ---------------------------------------------------------------- EM

def test_em_reproduces_mml_example_11_1_and_sklearn():
    from sklearn.mixture import GaussianMixture
    data = [-3, -2.5, -1, 0, 2, 4, 5]
    a = answer(solved("em_step", data=str(data), weights="[1/3,1/3,1/3]", means="[-4,0,8]",
                      variances="[1,0.2,3]"))
    assert a["means"] == ["-2.701", "-0.4034", "3.704"]
    assert a["variances"] == ["0.1440", "0.4385", "1.527"]
    assert a["weights"] == ["0.2939", "0.2870", "0.4191"]
    before, after = (float(v) for v in a["log_likelihood"])
    assert after >= before
    gm = GaussianMixture(3, covariance_type="spherical", max_iter=1, reg_covar=0, tol=0, init_params="random",
                         weights_init=[1 / 3] * 3, means_init=[[-4], [0], [8]], precisions_init=[1, 5, 1 / 3])
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm.fit(np.array(data).reshape(-1, 1))
    assert floats(a["means"]) == pytest.approx(gm.means_.ravel(), rel=1e-3)
    assert floats(a["variances"]) == pytest.approx(gm.covariances_, rel=1e-3)
    assert floats(a["weights"]) == pytest.approx(gm.weights_, rel=1e-3)
    X = np.array(data).reshape(-1, 1)
    pi, mu, var = np.array([1 / 3] * 3), np.array([-4, 0, 8.0]), np.array([1, 0.2, 3])
    dens = pi * np.exp(-(X - mu) ** 2 / (2 * var)) / np.sqrt(2 * np.pi * var)
    assert before == pytest.approx(np.log(dens.sum(axis=1)).sum(), rel=1e-3)
    r = np.array([[float(v) for v in row] for row in a["responsibilities"]])
    assert r == pytest.approx(dens / dens.sum(axis=1, keepdims=True), rel=1e-3, abs=1e-12)


# ---------------------------------------------------------------- SVM

def test_svm_contract():
    a = answer(solved("svm", data="[[1,1],[2,2],[0,0],[-1,0]]", labels="[1,1,-1,-1]"))
    assert a == {"type": "svm", "w": ["1", "1"], "b": "-1", "alphas": ["1", "0", "1", "0"], "support": [0, 2],
                 "margin": "sqrt(2)/2"}
    a = answer(solved("svm", data="[[1,1],[-1,-1],[1,-1],[-1,1]]", labels="[1,1,-1,-1]", kernel="poly:2"))
    assert "w" not in a and a["support"] == [0, 1, 2, 3]


def test_svm_hard_and_soft_margin_match_sklearn():
    from sklearn.svm import SVC
    rng = random.Random(2)
    done = 0
    while done < 4:
        pts = [[rng.randint(-3, 3), rng.randint(-3, 3)] for _ in range(rng.randint(3, 5))]
        if len({tuple(p) for p in pts}) < len(pts):
            continue
        labels = [rng.choice([1, -1]) for _ in pts]
        if len(set(labels)) < 2:
            continue
        C = None if done % 2 == 0 else sympy.Rational(rng.choice([1, 2, 4]), 4)
        try:
            a = answer(solved("svm", data=str(pts), labels=str(labels), C=None if C is None else str(C)))
        except TutorError as e:
            assert C is None and "separable" in str(e)
            continue
        ref = SVC(kernel="linear", C=1e8 if C is None else float(C), tol=1e-10).fit(np.array(pts), labels)
        assert floats(a["w"]) == pytest.approx(ref.coef_[0], abs=1e-4)
        assert float(sympy.sympify(a["b"])) == pytest.approx(ref.intercept_[0], abs=1e-4) or C is not None
        done += 1


# ---------------------------------------------------------------- CLI

def test_cli_reads_option_values_that_start_with_a_minus():
    out = subprocess.run([sys.executable, "-m", "tutor", "solve", "linear_regression", "--x", "-1,0,1,2",
                          "--y", "[1,0,2,5]", "--format", "json"], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["answer"]["value"] == ["13/10", "7/5"]
    bad = subprocess.run([sys.executable, "-m", "tutor", "solve", "svm", "--data", "[[0,0],[1,1],[2,2]]",
                          "--labels", "1,-1,1"], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "--C" in bad.stderr


def test_pictures_are_svg_in_markdown_tikz_in_latex_and_reproducible():
    from tutor.rendering.render import render_solution
    for kind, inputs in [("linear_regression", dict(x="[-1,0,1,2]", y="[1,0,2,5]")),
                         ("pca", dict(data="[[2,0],[0,2],[-2,0],[0,-2],[1,1]]")),
                         ("svm", dict(data="[[1,1],[2,2],[0,0],[-1,0]]", labels="[1,1,-1,-1]")),
                         ("em_step", dict(data="[-3,-2.5,-1,0,2,4,5]", weights="[1/3,1/3,1/3]",
                                          means="[-4,0,8]", variances="[1,0.2,3]"))]:
        first = render_solution(solved(kind, **inputs), "markdown")
        assert first.count("<svg") == 1 and "</svg>" in first
        assert render_solution(solved(kind, **inputs), "markdown") == first
        latex = render_solution(solved(kind, **inputs), "latex")
        assert latex.count("\\begin{tikzpicture}") == 1 and "<svg" not in latex
        assert render_solution(solved(kind, **inputs), "latex") == latex
        text = render_solution(solved(kind, **inputs), "text")
        assert "tikz" not in text and "<svg" not in text


def test_svm_rbf_kernel_exact_on_a_small_set_and_sklearn():
    from sklearn.svm import SVC
    pts, labels = [[0, 0], [1, 1], [2, 0]], [1, -1, 1]
    sol = solved("svm", data=str(pts), labels=str(labels), kernel="rbf:1/2")
    a = answer(sol)
    assert "w" not in a
    ref = SVC(kernel="rbf", gamma=0.5, C=1e8, tol=1e-12).fit(np.array(pts), labels)
    assert float(sympy.sympify(a["b"])) == pytest.approx(ref.intercept_[0], abs=1e-4)
    f = sol.steps[-1].result
    x1, x2 = sympy.symbols("x_1 x_2")
    for p in ([0.5, 0.5], [3, 1]):
        assert float(f.subs({x1: p[0], x2: p[1]})) == pytest.approx(ref.decision_function([p])[0], abs=1e-4)
    import tutor
    with pytest.raises(TutorError, match="at most 8 points"):
        tutor.solve("svm", data=str([[k, k % 3] for k in range(9)]), labels=str([1, -1] * 4 + [1]), kernel="rbf:1")


@pytest.mark.parametrize("pts,labels,C", [
    ([[-4, 3], [-2, 1], [-1, -1], [-1, 4], [0, 4], [3, -3], [3, 4], [4, 3]], [-1, -1, -1, 1, 1, -1, 1, 1], None),
    ([[4, 3], [-4, -1], [-3, -4], [-2, -3]], [1, -1, -1, -1], None),  # ran past 60 s before the numeric hint
    ([[0, 0], [1, 1], [2, 0], [3, 3], [4, 0], [1, 3]], [1, -1, 1, -1, 1, -1], "1"),
])
def test_svm_rbf_up_to_eight_points_exact_checked_and_as_sklearn(pts, labels, C):
    """The numeric optimum suggests the support set, the exact solve on it is checked at 50
    digits: the decision function and b agree with scikit-learn (a huge C for the hard margin).
    Not rendered here: 8 points' exact values fill 200,000 characters (seconds to print)."""
    from sklearn.svm import SVC
    import time
    import tutor
    start = time.process_time()
    sol = tutor.solve("svm", data=str(pts), labels=str(labels), kernel="rbf:1/2", C=C)
    assert time.process_time() - start < 10  # about 1 s of CPU for 8 points
    assert all(step.check() for step in sol.walk())
    ref = SVC(kernel="rbf", gamma=0.5, C=1e8 if C is None else float(C), tol=1e-12).fit(np.array(pts), labels)
    a = answer(sol)
    assert float(sympy.sympify(a["b"])) == pytest.approx(ref.intercept_[0], abs=1e-4)
    x1, x2 = sympy.symbols("x_1 x_2")
    for p in pts + [[0.5, 0.5], [3, 1]]:
        assert float(sol.steps[-1].result.subs({x1: p[0], x2: p[1]})) == \
            pytest.approx(ref.decision_function([p])[0], abs=1e-4)


def test_svm_duplicated_points_soft_poly2_solved_with_alphas_said_not_unique():
    """Duplicated points make the KKT system of all margin points singular: the numeric optimum
    is moved to a vertex, solved exactly, and a checked direction of other optimal α is shown
    (was refused as 'no KKT solution found'); cvxpy's dual value agrees."""
    import cvxpy as cp
    pts, labels = [[-1, -4], [0, 2], [2, -1], [0, 2], [3, 0], [-1, -4], [1, 0]], [-1, 1, 1, 1, 1, -1, 1]
    sol = solved("svm", data=str(pts), labels=str(labels), C="10", kernel="poly:2")
    a = answer(sol)
    assert a["b"] == "299/251" and a["alphas"] == ["2/251", "2/251", "0", "0", "0", "0", "0"]
    assert any(step.rule == "svm.not_unique" for step in sol.steps)
    X, y = np.array(pts, float), np.array(labels, float)
    Q = np.outer(y, y) * (X @ X.T + 1) ** 2
    alpha = cp.Variable(len(y))
    dual = cp.Problem(cp.Maximize(cp.sum(alpha) - 0.5 * cp.quad_form(alpha, cp.psd_wrap(Q))),
                      [alpha >= 0, alpha <= 10, y @ alpha == 0])
    dual.solve(solver="CLARABEL")
    mine = np.array([float(sympy.Rational(v)) for v in a["alphas"]])
    assert mine.sum() - 0.5 * mine @ Q @ mine == pytest.approx(dual.value, abs=1e-7)
    square = solved("svm", data="[[1,1],[1,-1],[-1,1],[-1,-1]]", labels="[1,1,-1,-1]")
    assert any(step.rule == "svm.not_unique" for step in square.steps)
    assert answer(square)["w"] == ["1", "0"] and answer(square)["b"] == "0"
    assert not any(step.rule == "svm.not_unique" for step in
                   solved("svm", data="[[1,1],[2,2],[0,0],[-1,0]]", labels="[1,1,-1,-1]").steps)


def test_svm_rbf_unreadable_values_shown_to_ten_digits_exact_in_the_answer():
    """8 RBF points: the exact values have hundreds of powers of e; the text shows them to 10
    digits (and says so) while the answer keeps them exact."""
    import tutor
    from tutor.rendering.render import render_solution
    sol = tutor.solve("svm", data="[[-4, 3], [-2, 1], [-1, -1], [-1, 4], [0, 4], [3, -3], [3, 4], [4, 3]]",
                      labels="[-1, -1, -1, 1, 1, -1, 1, 1]", kernel="rbf:1/2")
    text = render_solution(sol, "text")
    assert len(text) < 20000 and "10 significant digits" in text and "b = -0.1722453866" in text
    assert len(sol.answer.b.atoms(sympy.exp)) > 12
    assert abs(sympy.N(sol.answer.b, 30) - sympy.Float("-0.1722453866", 30)) < 1e-10


def test_svm_thirty_points_soft_margin_as_cvxpy_and_the_limits():
    """The numeric hint lifts the old cap of 7 soft-margin points (the search over 3^N guesses):
    30 points solve exactly with the primal objective of cvxpy; 31 are refused in one line, and
    12 non-separable points under the hard margin get the --C advice."""
    import cvxpy as cp
    import tutor
    r = random.Random(1)
    pts = [[r.randint(-9, 9), r.randint(-9, 9)] for _ in range(30)]
    y = [1 if a + 2 * b > 0 else -1 for a, b in pts]
    sol = tutor.solve("svm", data=str(pts), labels=str(y), C="1")
    assert all(step.check() for step in sol.walk())
    X, Y = np.array(pts, float), np.array(y, float)
    v, c, xi = cp.Variable(2), cp.Variable(), cp.Variable(30)
    primal = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(v) + cp.sum(xi)), [cp.multiply(Y, X @ v + c) >= 1 - xi, xi >= 0])
    primal.solve(solver="CLARABEL")
    w, b = np.array([float(e) for e in sol.answer.w]), float(sol.answer.b)
    assert 0.5 * w @ w + np.maximum(0, 1 - Y * (X @ w + b)).sum() == pytest.approx(primal.value, abs=1e-7)
    with pytest.raises(TutorError, match="at most 30 points"):
        tutor.solve("svm", data=str([[k, 0] for k in range(31)]), labels=str([1] * 16 + [-1] * 15))
    with pytest.raises(TutorError, match="--C 1"):
        tutor.solve("svm", data=str([[k, k % 2] for k in range(12)]), labels=str([1 if k % 3 else -1 for k in range(12)]))
