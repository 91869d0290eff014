"""An independent random source of raw inputs for the optimization and models chapters, with
the degenerate cases on purpose: unbounded and infeasible LPs, ties and a line of optima,
singular Hessians, semidefinite quadratic forms, collinear regression data, 1-D and rank-1 data
for PCA, duplicated SVM points, data whose MLE is at the boundary, far-off EM components."""
from __future__ import annotations

import random
from typing import Any, Callable

import sympy

from .inputs import _text

R = random.Random


def _ints(rng: R, n: int, lo: int = -4, hi: int = 4) -> list[int]:
    return [rng.randint(lo, hi) for _ in range(n)]


def _vec(values: list) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _names(n: int) -> tuple[str, ...]:
    return ("x",) if n == 1 else ("x", "y") if n == 2 else ("x", "y", "z")


def _quadratic(rng: R, names: tuple[str, ...], shape: str | None = None) -> str:
    """½-free quadratic xᵀMx + bᵀx with M definite, semidefinite (rank 1), indefinite or random."""
    n = len(names)
    shape = shape or rng.choice(("pd", "nd", "psd", "indefinite", "random"))
    X = sympy.Matrix(sympy.symbols(" ".join(names)) if n > 1 else [sympy.Symbol(names[0])])
    if shape in ("pd", "nd"):
        B = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
        M = B.T * B + sympy.eye(n) * rng.randint(1, 3)
        M = M if shape == "pd" else -M
    elif shape == "psd":
        u = sympy.Matrix(_ints(rng, n, -2, 2)) + sympy.Matrix([1] + [0] * (n - 1))
        M = u * u.T * rng.choice((1, -1))
    elif shape == "indefinite":
        M = sympy.diag(*[rng.choice((1, 2, 3)) * s for s in ([1, -1] + [rng.choice((1, -1))] * (n - 2))[:n]])
    else:
        M = sympy.Matrix(n, n, lambda i, j: rng.randint(-3, 3))
        M = M + M.T
    b = sympy.Matrix(_ints(rng, n))
    return str(sympy.expand((X.T * M * X)[0] + (b.T * X)[0] + rng.randint(-3, 3))).replace("**", "^")


def stationary_points(rng: R) -> dict[str, Any]:
    shape = rng.choice(("quadratic", "cubic1", "cubic2", "degenerate", "exp", "quartic"))
    if shape == "quadratic":
        n = rng.choice((1, 2, 2, 3))
        return {"function": _quadratic(rng, _names(n)), "vars": ",".join(_names(n))}
    if shape == "cubic1":     # f' = k (x - a)(x - b)(x - c), repeated roots on purpose
        a, b, c = (rng.randint(-3, 3) for _ in range(3))
        b = rng.choice((b, a))
        x = sympy.Symbol("x")
        f = sympy.integrate(rng.choice((1, -1, 2)) * (x - a) * (x - b) * (x - c), x)
        return {"function": str(sympy.expand(f)).replace("**", "^")}
    if shape == "cubic2":
        a, b, c, d, e = (rng.randint(-3, 3) for _ in range(5))
        return {"function": f"{a or 1}x^3 + {b}x + {c or 2}y^2 + {d}y + {e}x*y", "vars": "x,y"}
    if shape == "exp":
        a, b = rng.randint(-3, 3), rng.choice((1, -1))
        return {"function": f"(x^2 + {a}x)*exp({b}x)", "vars": "x"}
    if shape == "quartic":
        return {"function": rng.choice(("x^4 - 2x^2 + y^2", "x^4 + y^4 - 4x*y", "x^4 - 4x^3 + 4x^2 + y^2",
                                        "x^2*y - x^2 - y^2", "x^3 - 3x*y^2", "x*y*z - x - y - z"))}
    # degenerate Hessians: the higher-order tests
    return {"function": rng.choice(("x^4 + y^2", "x^3 + y^2", "-x^4 - y^4", "x^4 - y^4", "x^2 + y^3",
                                    "x^6", "x^5", "-x^4", "x^2 + y^4 + z^2", "x^4 + y^4 + z^4 - z^2",
                                    "x^2*y^2 + x^4 + y^4", "(x - y)^2 + x^4"))}


def gradient_descent(rng: R) -> dict[str, Any]:
    raw: dict[str, Any] = {"step": rng.choice(("1/10", "1/4", "1/2", "1", "2/3", "0.2")),
                           "iterations": rng.randint(1, 6)}
    if rng.random() < 0.3:
        raw["momentum"] = rng.choice(("1/2", "1/4", "0.9", "0"))
    if rng.random() < 0.7:
        n = rng.choice((1, 2, 2, 3))
        B = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
        A = B.T * B + sympy.eye(n) * rng.randint(0, 2) if rng.random() < 0.8 else sympy.diag(*_ints(rng, n, -2, 3))
        raw.update(A=_text(A), b=_vec(_ints(rng, n)), start=_vec(_ints(rng, n)))
    else:
        raw.update(function=rng.choice(("x^4 + y^2", "x^2 + x*y + 2y^2 - x", "(x - 1)^2 + (y + 2)^4", "x^3 - x")),
                   start=None, iterations=rng.randint(1, 3))
        n = 1 if raw["function"] == "x^3 - x" else 2
        raw["start"] = _vec(_ints(rng, n, -2, 2))
    return raw


def _linear(rng: R, names: tuple[str, ...]) -> str:
    cs = _ints(rng, len(names), -3, 3)
    cs[0] = cs[0] or 1
    return " + ".join(f"({c})*{v}" for c, v in zip(cs, names))


def lagrange(rng: R) -> dict[str, Any]:
    n = rng.choice((2, 2, 2, 3))
    names = _names(n)
    shape = rng.choice(("circle", "line", "ellipse", "tie", "two"))
    raw: dict[str, Any] = {"vars": ",".join(names), "goal": rng.choice((None, None, "min", "max"))}
    if shape == "circle":
        raw.update(function=_linear(rng, names), constraint=[" + ".join(f"{v}^2" for v in names) + f" = {rng.choice((1, 4, 9, 25))}"])
    elif shape == "ellipse":
        raw.update(function=rng.choice(("x*y", "x + y", "x^2 - y^2", "x*y + x")) if n == 2 else "x*y*z",
                   constraint=["x^2 + 2y^2 = 4" if n == 2 else "x^2 + y^2 + z^2 = 3"])
    elif shape == "line":
        raw.update(function=_quadratic(rng, names), constraint=[_linear(rng, names) + f" = {rng.randint(-5, 5)}"])
    elif shape == "tie":     # every point of the circle, or two tied pairs
        raw.update(function=rng.choice(("x^2 + y^2", "x*y", "x^2", "(x + y)^2")), vars="x,y",
                   constraint=["x^2 + y^2 = 2"])
    else:
        names = ("x", "y", "z")
        raw.update(vars="x,y,z", function=rng.choice(("x^2 + y^2 + z^2", "x + 2y + 3z", "x*y + z")),
                   constraint=[_linear(rng, names) + f" = {rng.randint(-3, 3)}", "x - y = " + str(rng.randint(-2, 2))])
    if raw["goal"] is None:
        del raw["goal"]
    return raw


def kkt(rng: R) -> dict[str, Any]:
    n = rng.choice((1, 2, 2, 3))
    names = _names(n)
    f = rng.choice((_quadratic(rng, names, "pd"), _quadratic(rng, names), _linear(rng, names)))
    cons = []
    for _ in range(rng.randint(1, 3)):
        shape = rng.choice(("half", "half", "bound", "disk", "equality"))
        if shape == "half":
            cons.append(_linear(rng, names) + rng.choice((" <= ", " >= ")) + str(rng.randint(-3, 3)))
        elif shape == "bound":
            cons.append(f"{rng.choice(names)} {rng.choice(('<=', '>='))} {rng.randint(-2, 2)}")
        elif shape == "disk":
            cons.append(" + ".join(f"{v}^2" for v in names) + f" <= {rng.choice((1, 4))}")
        else:
            cons.append(_linear(rng, names) + f" = {rng.randint(-2, 2)}")
    if rng.random() < 0.15:
        cons.append(cons[0])           # a repeated constraint: multipliers not unique
    if rng.random() < 0.1:
        cons += [f"{names[0]} <= -1", f"{names[0]} >= 1"]   # infeasible
    return {"function": f, "constraint": cons, "vars": ",".join(names)}


def convexity(rng: R) -> dict[str, Any]:
    pieces_xy = ["x^2", "y^2", "(x - y)^2", "(x + 2y)^2", "x^4", "exp(x + y)", "exp(x)", "x*y", "x^2*y^2",
                 "log(1 + exp(x))", "x^2 - y^2", "y^4"]
    positive_only = [("log(x)", "x > 0"), ("x*log(x)", "x > 0"), ("1/x", "x > 0"), ("x^3", "x > 0"),
                     ("x^3", "x < 0"), ("sqrt(x)", "x > 0"), ("log(x) + log(y)", "x > 0, y > 0"),
                     ("x^2/y", "y > 0"), ("log(x*y)", "x > 0, y > 0"), ("x^(3/2)", "x >= 0")]
    shape = rng.choice(("quadratic", "sum", "domain", "one"))
    if shape == "quadratic":
        n = rng.choice((1, 2, 3))
        return {"function": _quadratic(rng, _names(n)), "vars": ",".join(_names(n))}
    if shape == "domain":
        f, dom = rng.choice(positive_only)
        sign = rng.choice(("", "-"))
        return {"function": f"{sign}({f})", "vars": "x,y" if "y" in f + dom else "x", "domain": dom}
    if shape == "one":
        return {"function": rng.choice(("x^4", "-x^6", "exp(-x)", "x^3", "sin(x)", "x^2 + 0*x", "3x + 1", "cosh(x)",
                                        "exp(x^2)", "log(1 + x^2)", "abs(x)^3")), "vars": "x"}
    terms = rng.sample(pieces_xy, rng.randint(1, 3))
    sign = rng.choice((1, -1))
    return {"function": " + ".join(f"{sign * rng.randint(1, 3)}*{t}" for t in terms), "vars": "x,y"}


def lp(rng: R) -> dict[str, Any]:
    n = rng.choice((1, 2, 2, 3, 4))
    m = rng.randint(1, 6)
    shape = rng.choice(("random", "box", "infeasible", "unbounded", "line", "degenerate"))
    A = [_ints(rng, n, -3, 3) for _ in range(m)]
    b = _ints(rng, m, -2, 8)
    c = _ints(rng, n, -4, 4)
    if shape in ("box", "line", "degenerate"):
        for j in range(n):
            A += [[int(i == j) for i in range(n)], [-int(i == j) for i in range(n)]]
            b += [rng.randint(1, 4), rng.randint(0, 3)]
    if shape == "line":               # c parallel to a constraint row: a face of optima
        row = rng.randrange(len(A))
        c = [-rng.randint(1, 2) * a for a in A[row]]
    if shape == "degenerate":          # a redundant constraint through a vertex
        A.append([1] * n)
        b.append(sum(b[m + 2 * j] for j in range(n)))
    if shape == "infeasible":
        A += [[1] + [0] * (n - 1), [-1] + [0] * (n - 1)]
        b += [-1, -1]
    if shape == "unbounded":           # x >= 0 and a cost that falls along an axis
        A = [[-int(i == j) for i in range(n)] for j in range(n)] + A[:1]
        b = [0] * n + b[:1]
        c[rng.randrange(n)] = -rng.randint(1, 3)
        if rng.random() < 0.2:         # the feasible set contains a line
            A, b = [[1] + [0] * (n - 1)], [rng.randint(0, 3)]
    return {"c": _vec(c), "A": _text(sympy.Matrix(A)), "b": _vec(b)}


def qp(rng: R) -> dict[str, Any]:
    n = rng.choice((1, 2, 2, 3))
    B = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
    Q = B.T * B + sympy.eye(n) * rng.choice((1, 1, 2, 0))
    if Q.det() == 0 and rng.random() < 0.5:
        Q = Q + sympy.eye(n)
    A, b = [], []
    for j in range(n):
        A += [[int(i == j) for i in range(n)], [-int(i == j) for i in range(n)]][:1 if n == 3 else 2]
        b += [rng.randint(0, 3), rng.randint(0, 3)][:1 if n == 3 else 2]
    for _ in range(rng.randint(0, 2)):
        A.append(_ints(rng, n, -2, 2))
        b.append(rng.randint(-2, 3))
    if rng.random() < 0.1:
        A += [[1] + [0] * (n - 1), [-1] + [0] * (n - 1)]
        b += [-1, -1]
    return {"Q": _text(Q), "c": _vec(_ints(rng, n, -6, 6)), "A": _text(sympy.Matrix(A)), "b": _vec(b)}


def convex_conjugate(rng: R) -> dict[str, Any]:
    a, b, c = rng.randint(1, 4), rng.randint(-3, 3), rng.randint(-3, 3)
    return rng.choice([
        {"function": f"{a}x^2 + {b}x + {c}", "var": "x"},
        {"function": f"{a}/2*x^2", "var": "x"},
        {"function": f"exp({a}x)", "var": "x"},
        {"function": f"{a}*x*log(x)", "var": "x", "domain": "x > 0"},
        {"function": f"-log({a}x)", "var": "x", "domain": "x > 0"},
        {"function": f"max(0, {b} - x)", "var": "x"},
        {"function": f"max(0, {a}x + {b})", "var": "x"},
        {"function": "abs(x)", "var": "x"},
        {"function": f"{a}/x", "var": "x", "domain": "x > 0"},
        {"function": "x^4/4", "var": "x"},
        {"function": "log(1 + exp(x))", "var": "x"},
        {"function": f"{a}x + {b}", "var": "x"},
        {"function": "x^2", "var": "x", "domain": f"x >= {b}"},
        {"function": f"{a}x^2 + {b}x", "var": "x", "domain": f"x >= {b}, x <= {b + a}"},  # closed ends
        {"function": f"exp({a}x)", "var": "x", "domain": f"x <= {b}"},
        {"function": "x*log(x)", "var": "x", "domain": f"x >= 1, x <= {a + 1}"},
        {"function": f"{a}/x", "var": "x", "domain": "x >= 1"},
    ])


# ---------------------------------------------------------------- models

def _data(rng: R, family: str, n: int) -> list:
    boundary = rng.random() < 0.15
    if family == "Bernoulli":
        return [rng.choice((0,)) if boundary else rng.randint(0, 1) for _ in range(n)]
    if family == "Binomial":
        return [0 if boundary else rng.randint(0, 5) for _ in range(n)]
    if family == "Poisson":
        return [0 if boundary else rng.randint(0, 6) for _ in range(n)]
    if family == "Exponential":
        return [rng.choice(("0.5", "1", "2", "3.5", "0.25", "4")) for _ in range(n)]
    same = rng.randint(-3, 3)
    return [same if boundary else rng.choice((rng.randint(-4, 4), "1.5", "-0.5")) for _ in range(n)]


def mle(rng: R) -> dict[str, Any]:
    family = rng.choice(("Bernoulli", "Binomial", "Poisson", "Exponential", "Gaussian", "Gaussian"))
    model = {"Bernoulli": "Bernoulli(\\mu)", "Binomial": "Binomial(5, \\mu)", "Poisson": "Poisson(\\lambda)",
             "Exponential": "Exponential(\\lambda)",
             "Gaussian": rng.choice(("Gaussian(\\mu, \\sigma^2)", "Gaussian(\\mu, 2)", "Gaussian(1, \\sigma^2)"))}[family]
    return {"model": model, "data": ",".join(map(str, _data(rng, family, rng.randint(1, 8))))}


def map_(rng: R) -> dict[str, Any]:
    family = rng.choice(("Bernoulli", "Binomial", "Poisson", "Exponential", "Gaussian"))
    a, b = rng.choice((1, 2, 3, "1/2", "5/2")), rng.choice((1, 2, 4, "3/2"))
    model, prior = {"Bernoulli": ("Bernoulli(\\mu)", f"Beta({a},{b})"), "Binomial": ("Binomial(4, \\mu)", f"Beta({a},{b})"),
                    "Poisson": ("Poisson(\\lambda)", f"Gamma({a},{b})"),
                    "Exponential": ("Exponential(\\lambda)", f"Gamma({a},{b})"),
                    "Gaussian": (f"Gaussian(\\mu, {b})", f"Gaussian({rng.randint(-2, 2)},{a})")}[family]
    return {"model": model, "prior": prior, "data": ",".join(map(str, _data(rng, family, rng.randint(1, 7))))}


def _regression_inputs(rng: R) -> tuple[dict[str, Any], int, int]:
    """Raw inputs, the number of features and of input columns."""
    shape = rng.choice(("x", "x", "features", "X", "collinear", "few"))
    n = rng.randint(2, 7) if shape != "few" else 2    # few: 2 points for 3 features
    if shape in ("x", "features", "few"):
        xs = [rng.randint(-3, 4) for _ in range(n)]
        raw: dict[str, Any] = {"x": _vec(xs)}
        if shape == "features":
            raw["features"] = rng.choice(("1, x, x^2", "x", "1, x^2", "1, x, x^2, x^3", "x, exp(x)"))
        if shape == "few":
            raw["features"] = "1, x, x^2"
        cols = 1
    else:
        d = rng.choice((2, 3))
        X = [_ints(rng, d, -3, 3) for _ in range(n)]
        if shape == "collinear":
            for row in X:
                row[-1] = 2 * row[0]
        raw = {"X": _text(sympy.Matrix(X))}
        if rng.random() < 0.5:
            raw["features"] = "1, " + ", ".join(f"x_{j + 1}" for j in range(d))
        n, cols = len(X), d
    raw["y"] = _vec([rng.choice((rng.randint(-5, 5), "0.5", "-1.5")) for _ in range(n)])
    features = len(raw["features"].split(",")) if raw.get("features") else 2 if raw.get("x") else cols
    return raw, features, cols


def linear_regression(rng: R) -> dict[str, Any]:
    raw, _, _ = _regression_inputs(rng)
    extra = rng.choice((None, None, "ridge", "map"))
    if extra == "ridge":
        raw["ridge"] = rng.choice(("1", "1/2", "0.1", "3"))
    elif extra == "map":
        raw.update(noise_var=rng.choice(("1", "1/4", "2")), prior_var=rng.choice(("1", "2", "1/2")))
    return raw


def bayesian_regression(rng: R) -> dict[str, Any]:
    raw, D, cols = _regression_inputs(rng)
    B = sympy.Matrix(D, D, lambda i, j: rng.randint(-1, 1))
    S0 = B * B.T + sympy.eye(D) * rng.randint(1, 2)
    raw.update(prior_mean=_vec(_ints(rng, D, -1, 1)), prior_cov=_text(S0), noise_var=rng.choice(("1", "1/2", "2", "0.25")))
    if rng.random() < 0.5:
        raw["at"] = _vec(_ints(rng, cols, -2, 3)) if cols > 1 else str(rng.randint(-2, 3))
    return raw


def pca(rng: R) -> dict[str, Any]:
    shape = rng.choice(("random", "line", "one_d", "isotropic", "duplicates"))
    D = rng.choice((2, 2, 3, 4))
    n = rng.randint(2, 7)
    if shape == "one_d":
        return {"data": _vec([rng.randint(-5, 5) for _ in range(n)])}
    if shape == "line":
        u = _ints(rng, D, -2, 2)
        u[0] = u[0] or 1
        rows = [[t * c + s for c in u] for t, s in ((rng.randint(-3, 3), rng.randint(0, 0)) for _ in range(n))]
    elif shape == "isotropic":
        rows = [[1, 0], [-1, 0], [0, 1], [0, -1]] if rng.random() < 0.5 else [[1, 1], [1, -1], [-1, 1], [-1, -1]]
        D = 2
    elif shape == "duplicates":
        rows = [_ints(rng, D, -3, 3)] * 2 + [_ints(rng, D, -3, 3) for _ in range(n - 2)]
    else:
        rows = [_ints(rng, D, -4, 4) for _ in range(n)]
    return {"data": _text(sympy.Matrix(rows)), "k": rng.randint(1, D)}


def em_step(rng: R) -> dict[str, Any]:
    K = rng.choice((1, 2, 2, 3))
    n = rng.randint(1, 9)
    data = [rng.choice((rng.randint(-6, 6), "0.5", "-2.5", "1.2")) for _ in range(n)]
    if rng.random() < 0.1:
        data.append(40)              # far from every component: underflow in doubles
    w = [rng.randint(1, 4) for _ in range(K)]
    weights = [str(sympy.Rational(v, sum(w))) for v in w]
    means = [rng.choice((rng.randint(-4, 4), "0.5")) for _ in range(K)]
    if K > 1 and rng.random() < 0.2:
        means[1] = means[0]           # tied components
    variances = [rng.choice(("1", "0.5", "2", "1/3", "0.1")) for _ in range(K)]
    return {"data": _vec(data), "weights": _vec(weights), "means": _vec(means), "variances": _vec(variances)}


def svm(rng: R) -> dict[str, Any]:
    kernel = rng.choice(("linear",) * 6 + ("poly:2", "rbf:1/2"))
    n = rng.randint(2, 4 if kernel.startswith("rbf") else 7)
    a, b, c = rng.choice((1, 2, -1)), rng.choice((1, -1, 0, 2)), rng.randint(-2, 2)
    if a == 0 and b == 0:
        a = 1
    points, labels = [], []
    while len(points) < n:
        p = _ints(rng, 2, -4, 4)
        s = a * p[0] + b * p[1] + c
        if s == 0:
            continue
        points.append(p)
        labels.append(1 if s > 0 else -1)
    if len(set(labels)) < 2:
        labels[0] = -labels[0]
    if rng.random() < 0.2:               # a duplicated point
        points.append(list(points[0]))
        labels.append(labels[0])
    raw: dict[str, Any] = {"data": _text(sympy.Matrix(points)), "labels": _vec(labels)}
    if rng.random() < 0.35 and len(points) <= 7:
        raw["C"] = rng.choice(("1", "1/2", "2", "10"))
        if rng.random() < 0.5 and labels.count(labels[-1]) > 1:
            labels[-1] = -labels[-1]     # not separable: only a soft margin
            raw["labels"] = _vec(labels)
    if kernel != "linear":
        raw["kernel"] = kernel
    return raw


SOURCES: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    "stationary_points": stationary_points, "gradient_descent": gradient_descent, "lagrange": lagrange,
    "kkt": kkt, "convexity": convexity, "lp": lp, "qp": qp, "convex_conjugate": convex_conjugate,
    "mle": mle, "map": map_, "linear_regression": linear_regression, "bayesian_regression": bayesian_regression,
    "pca": pca, "em_step": em_step, "svm": svm,
}
