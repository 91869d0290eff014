"""Models meet data (MML 8-12): each answer against an independent computation from the raw
text: the closed-form estimators and conjugate posteriors, numpy's least squares and
scikit-learn's Ridge, the posterior of Bayesian regression by its formulas, numpy's
eigendecomposition for PCA (components up to sign and within tied eigenvalues), one EM step
with numpy's formulas in log space, and cvxpy's SVM (the primal for a linear kernel, the dual
for the others; a soft margin compared by its objective, so any optimal bias is right).
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import sympy

from .. import reading
from .common import Wrong, agree, equal, value

_REL = 1e-9        # numeric oracles in doubles
_SOLVER = 1e-5     # against an interior-point solver's optimum


def _real(e: Any) -> float:
    return float(value(e).real)


def _array(M: Any) -> np.ndarray:
    M = sympy.Matrix(M)
    return np.array([[_real(M[i, j]) for j in range(M.cols)] for i in range(M.rows)], dtype=float)


def _close(got: np.ndarray, want: np.ndarray, rel: float = _REL) -> bool:
    got, want = np.asarray(got, float), np.asarray(want, float)
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= rel * (1 + np.abs(want))))


def _numbers(text: Any) -> list[sympy.Expr]:
    return list(reading.vector(text))


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "([" and 1 or 0
        depth -= ch in ")]" and 1 or 0
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur]


def _named(text: str) -> tuple[str, list[sympy.Expr]]:
    """``Gaussian(\\mu, \\sigma^2)``: the family and its parameters (``lambda`` read as a name)."""
    m = re.match(r"\s*([A-Za-z]+)\s*\((.*)\)\s*$", text.replace("lambda", "lamda_"), re.S)
    rename = {sympy.Symbol("lamda_", real=True): sympy.Symbol("lambda", real=True)}
    return m.group(1).capitalize(), [reading.expr(a).xreplace(rename) for a in _split_top(m.group(2))]


# ---------------------------------------------------------------- estimation

def _closed_forms(family: str, params: list[sympy.Expr], data: list[sympy.Expr]) -> dict[str, sympy.Expr]:
    """The textbook maximum likelihood estimates of the unknown parameters."""
    n, mean = len(data), sum(data) / sympy.Integer(len(data))
    unknown = [bool(p.free_symbols) for p in params]
    if family == "Bernoulli":
        return {str(params[0]): mean}
    if family == "Binomial":
        return {str(params[1]): mean / params[0]}
    if family == "Poisson":
        return {str(params[0]): mean}
    if family == "Exponential":
        return {str(params[0]): 1 / mean}
    out = {}
    mu = mean if unknown[0] else params[0]
    if unknown[0]:
        out[str(params[0])] = mean
    if unknown[1]:
        out[str(params[1])] = sum((x - mu) ** 2 for x in data) / n
    return out


def mle(raw: dict, ans: Any) -> None:
    family, params = _named(str(raw["model"]))
    family = "Gaussian" if family == "Normal" else family
    expected = _closed_forms(family, params, _numbers(raw["data"]))
    agree(set(ans.values) == set(expected), f"the estimates name {sorted(expected)}, not {sorted(ans.values)}")
    for k, v in expected.items():
        agree(equal(ans.values[k], v), f"the MLE of {k} is {v}, not {ans.values[k]}")


def map_(raw: dict, ans: Any) -> None:
    """The conjugate posterior from its update formulas; the MAP estimate is its mode."""
    family, params = _named(str(raw["model"]))
    family = "Gaussian" if family == "Normal" else family
    prior, (a, b) = _named(str(raw["prior"]))
    data = _numbers(raw["data"])
    n, total = len(data), sum(data)
    if family == "Bernoulli":
        post, key = ("Beta", (a + total, b + n - total)), str(params[0])
    elif family == "Binomial":
        post, key = ("Beta", (a + total, b + n * params[0] - total)), str(params[1])
    elif family == "Poisson":
        post, key = ("Gamma", (a + total, b + n)), str(params[0])
    elif family == "Exponential":
        post, key = ("Gamma", (a + n, b + total)), str(params[0])
    else:
        precision = 1 / b + n / params[1]
        post, key = ("Gaussian", ((a / b + total / params[1]) / precision, 1 / precision)), str(params[0])
    (p, q) = post[1]
    mode = {"Beta": lambda: (p - 1) / (p + q - 2), "Gamma": lambda: (p - 1) / q, "Gaussian": lambda: p}[post[0]]()
    agree(set(ans.values) == {key}, f"the estimate names {key}, not {sorted(ans.values)}")
    agree(equal(ans.values[key], mode), f"the MAP estimate of {key} is {mode}, not {ans.values[key]}")
    got_family, got = _named(ans.posterior)
    agree(got_family == post[0] and len(got) == 2 and all(equal(g, w) for g, w in zip(got, post[1])),
          f"the posterior is {post[0]}{tuple(post[1])}, not {ans.posterior}")


# ---------------------------------------------------------------- regression

def _design(raw: dict) -> np.ndarray | sympy.Matrix:
    """Φ exactly: the features (default 1, x for --x; the columns for --X) at each input."""
    inputs = reading.matrix(raw["x"] if raw.get("x") is not None else raw["X"])
    if raw.get("x") is not None and not raw.get("features"):
        return sympy.Matrix.hstack(sympy.ones(inputs.rows, 1), inputs)
    if not raw.get("features"):
        return inputs
    text = raw["features"]
    features = [reading.expr(t) for t in (text if isinstance(text, (list, tuple)) else _split_top(str(text)))]
    names = ([sympy.Symbol("x", real=True)] if inputs.cols == 1 else
             [sympy.Symbol(f"x_{j + 1}", real=True) for j in range(inputs.cols)])
    return sympy.Matrix([[sympy.sympify(f).xreplace(dict(zip(names, inputs.row(i)))) for f in features]
                         for i in range(inputs.rows)])


def _ridge(raw: dict) -> sympy.Expr | None:
    if raw.get("ridge") is not None:
        return reading.expr(raw["ridge"])
    if raw.get("noise_var") is not None:
        return reading.expr(raw["noise_var"]) / reading.expr(raw["prior_var"])
    return None


def linear_regression(raw: dict, ans: Any) -> None:
    """The normal equations exactly, (ΦᵀΦ + λI)θ = Φᵀy; θ against numpy's lstsq (ML) or
    scikit-learn's Ridge (λI on every parameter: fit_intercept off); σ² = ‖y − Φθ‖²/N."""
    Phi, y = _design(raw), reading.vector(raw["y"])
    lam = _ridge(raw)
    theta = sympy.Matrix(ans.value)
    A = Phi.T * Phi + (lam * sympy.eye(Phi.cols) if lam is not None else sympy.zeros(Phi.cols))
    agree(theta.shape == (Phi.cols, 1), f"θ has {Phi.cols} entries")
    agree(all(equal(e, 0) for e in A * theta - Phi.T * y), f"θ = {list(theta)} does not solve the normal equations")
    P, Y = _array(Phi), _array(y).ravel()
    if lam is None:
        want = np.linalg.lstsq(P, Y, rcond=None)[0]
        rss = (y - Phi * theta).T * (y - Phi * theta)
        agree(ans.noise_variance is not None and equal(ans.noise_variance, rss[0] / y.rows),
              f"σ² = RSS/N = {rss[0] / y.rows}, not {ans.noise_variance}")
    else:
        from sklearn.linear_model import Ridge
        want = Ridge(alpha=_real(lam), fit_intercept=False, solver="svd").fit(P, Y).coef_
        agree(ans.noise_variance is None, "a ridge/MAP fit gives no ML noise variance")
    agree(_close(_array(theta).ravel(), want, 1e-7), f"numpy/sklearn give θ = {want}, not {list(theta)}")


def bayesian_regression(raw: dict, ans: Any) -> None:
    """S_N = (S₀⁻¹ + ΦᵀΦ/σ²)⁻¹, m_N = S_N(S₀⁻¹m₀ + Φᵀy/σ²); predictive φ*ᵀm_N and
    φ*ᵀS_Nφ* + σ² (MML 9.3), exactly."""
    Phi, y = _design(raw), reading.vector(raw["y"])
    m0, S0 = reading.vector(raw["prior_mean"]), reading.matrix(raw["prior_cov"])
    s2 = reading.expr(raw["noise_var"])
    SN = (S0.inv() + Phi.T * Phi / s2).inv()
    mN = SN * (S0.inv() * m0 + Phi.T * y / s2)
    agree(all(equal(a, b) for a, b in zip(sympy.Matrix(ans.mean), mN)) and ans.mean.shape == mN.shape,
          f"m_N = {list(mN)}, not {list(ans.mean)}")
    agree(ans.cov.shape == SN.shape and all(equal(a, b) for a, b in zip(sympy.Matrix(ans.cov), SN)),
          f"S_N = {SN.tolist()}, not {ans.cov.tolist()}")
    if raw.get("at") is None:
        agree(ans.predictive is None, "a predictive without a new input")
        return
    star = _design({**raw, "x" if raw.get("x") is not None else "X":
                    "[" + str(raw["at"]).strip("[]") + "]" if raw.get("x") is not None else
                    "[[" + str(raw["at"]).strip("[]") + "]]"}).row(0).T
    mean, var = (star.T * mN)[0], (star.T * SN * star)[0] + s2
    agree(ans.predictive is not None and equal(ans.predictive[0], mean) and equal(ans.predictive[1], var),
          f"the predictive is N({mean}, {var}), not {ans.predictive}")


# ---------------------------------------------------------------- PCA

def pca(raw: dict, ans: Any) -> None:
    """numpy: the mean, the eigenvalues of S = (1/N) Σ x̃x̃ᵀ (decreasing); the tutor's axes
    orthonormal eigenvectors of S for the k largest (any basis within a tied eigenvalue, any
    sign), codes Bᵀx̃, error the mean ‖x̃ − BBᵀx̃‖² = the sum of the discarded eigenvalues."""
    X = _array(reading.matrix(raw["data"]))
    k = int(raw.get("k") or 1)
    mean = X.mean(axis=0)
    Xc = X - mean
    S = Xc.T @ Xc / len(X)
    eig = np.sort(np.linalg.eigvalsh(S))[::-1]
    scale = 1 + np.abs(eig).max()
    agree(_close(_array(ans.mean).ravel(), mean), f"the mean is {mean}, not {list(ans.mean)}")
    got = np.array([_real(v) for v in ans.variances])
    agree(got.shape == eig.shape and np.all(np.abs(got - eig) <= 1e-9 * scale), f"the eigenvalues of S are {eig}, not {got}")
    agree(len(ans.components) == k, f"{k} components, not {len(ans.components)}")
    B = np.column_stack([_array(c).ravel() for c in ans.components])
    agree(np.allclose(B.T @ B, np.eye(k), atol=1e-9), "the axes are not orthonormal")
    for j in range(k):
        agree(np.allclose(S @ B[:, j], eig[j] * B[:, j], atol=1e-9 * scale),
              f"axis {j + 1} is not an eigenvector of S for {eig[j]}")
    codes = _array(ans.codes)
    agree(_close(codes, Xc @ B, 1e-9), f"the codes are Bᵀx̃ = {(Xc @ B).round(6).tolist()}")
    error = float(np.mean(np.sum((Xc - Xc @ B @ B.T) ** 2, axis=1)))
    agree(abs(_real(ans.error) - error) <= 1e-9 * scale and abs(error - eig[k:].sum()) <= 1e-9 * scale,
          f"the reconstruction error is {error}, not {ans.error}")


# ---------------------------------------------------------------- EM

def _log_likelihood(x: np.ndarray, pi: np.ndarray, mu: np.ndarray, var: np.ndarray) -> tuple[float, np.ndarray]:
    from scipy.special import logsumexp
    logs = np.log(pi) - 0.5 * np.log(2 * np.pi * var) - (x[:, None] - mu) ** 2 / (2 * var)
    total = logsumexp(logs, axis=1)
    return float(total.sum()), np.exp(logs - total[:, None])


def em_step(raw: dict, ans: Any) -> None:
    """One EM step with numpy (log-space responsibilities; M-step in MML's order: means, then
    variances with the new means, then weights), to 1e-9 relative."""
    x, pi, mu, var = (np.array([_real(v) for v in _numbers(raw[k])]) for k in ("data", "weights", "means", "variances"))
    before, r = _log_likelihood(x, pi, mu, var)
    Nk = r.sum(axis=0)
    mu2 = (r * x[:, None]).sum(axis=0) / Nk
    var2 = (r * (x[:, None] - mu2) ** 2).sum(axis=0) / Nk
    pi2 = Nk / len(x)
    after, _ = _log_likelihood(x, pi2, mu2, var2)
    agree(_close(_array(ans.responsibilities), r), f"the responsibilities are {r.round(6).tolist()}")
    for name, got, want in (("weights", ans.weights, pi2), ("means", ans.means, mu2), ("variances", ans.variances, var2)):
        agree(_close(np.array([_real(v) for v in got]), want), f"the new {name} are {want}, not {[str(v) for v in got]}")
    agree(_close(np.array([_real(v) for v in ans.log_likelihood]), np.array([before, after])),
          f"the log-likelihood goes {before} -> {after}, not {ans.log_likelihood}")


# ---------------------------------------------------------------- SVM

def _kernel(name: str) -> Any:
    kind, _, param = name.strip().lower().partition(":")
    if kind == "poly":
        d = int(param)
        return lambda a, b: (a @ b + 1) ** d
    if kind == "rbf":
        g = float(sympy.Rational(param))
        return lambda a, b: np.exp(-g * ((a - b) @ (a - b)))
    return lambda a, b: a @ b


def svm(raw: dict, ans: Any) -> None:
    """cvxpy: for a linear kernel the primal (½‖w‖² (+ C Σξ) s.t. y(wᵀx + b) >= 1 − ξ); the
    tutor's w, b are feasible with the optimal objective (hard margin: w and b equal cvxpy's,
    both unique). Every kernel: the tutor's α feasible for the dual with its optimal value,
    support = {n: α_n > 0}, margin 1/‖w‖, f(x_n) = Σ α_m y_m k(x_m, x_n) + b, and every
    0 < α_n < C on the margin (y_n f(x_n) = 1)."""
    import cvxpy as cp
    X = _array(reading.matrix(raw["data"]))
    y = np.array([_real(v) for v in _numbers(raw["labels"])])
    C = _real(reading.expr(raw["C"])) if raw.get("C") is not None else None
    k = _kernel(str(raw.get("kernel") or "linear"))
    N = len(y)
    K = np.array([[k(X[i], X[j]) for j in range(N)] for i in range(N)])
    Q = (y[:, None] * y[None, :]) * K
    alpha = np.array([_real(a) for a in ans.alphas])
    b = _real(ans.b)
    agree(len(alpha) == N, f"{N} dual variables, not {len(alpha)}")
    agree(np.all(alpha >= -1e-12) and (C is None or np.all(alpha <= C + 1e-12)) and abs(alpha @ y) <= 1e-9,
          f"α = {alpha} is not dual feasible")
    agree(tuple(ans.support) == tuple(n for n in range(N) if alpha[n] > 1e-12), f"support {ans.support} vs α = {alpha}")
    a = cp.Variable(N)
    L = np.linalg.cholesky(Q + 1e-12 * np.eye(N)) if np.linalg.eigvalsh(Q).min() > -1e-9 else None
    quad = cp.sum_squares(L.T @ a) if L is not None else cp.quad_form(a, cp.psd_wrap(Q))
    cons = [a >= 0, y @ a == 0] + ([a <= C] if C is not None else [])
    dual = cp.Problem(cp.Maximize(cp.sum(a) - 0.5 * quad), cons)
    dual.solve(solver="CLARABEL")
    agree(dual.status == "optimal", f"cvxpy's dual: {dual.status}")
    mine = alpha.sum() - 0.5 * alpha @ Q @ alpha
    agree(abs(mine - dual.value) <= _SOLVER * max(1, abs(dual.value)), f"the dual value is {dual.value}, the tutor's α give {mine}")
    norm2 = alpha @ Q @ alpha
    agree(abs(_real(ans.margin) - 1 / np.sqrt(norm2)) <= 1e-9 * (1 + 1 / np.sqrt(norm2)), f"the margin is 1/‖w‖ = {1 / np.sqrt(norm2)}")
    f = K @ (alpha * y) + b
    free = (alpha > 1e-9) & (C is None or alpha < C - 1e-9) if C is not None else alpha > 1e-9
    agree(np.all(np.abs(y[free] * f[free] - 1) <= 1e-9), "a support vector off the margin")
    agree(np.all(y * f >= 1 - 1e-9) if C is None else np.all((y * f >= 1 - 1e-9)[alpha < 1e-12]),
          f"y f(x) = {(y * f).round(6).tolist()}: a margin violated")
    if C is not None:
        agree(np.all((y * f <= 1 + 1e-9)[alpha > C - 1e-12]), "a point at the bound α = C outside the margin")
    for n in range(N):
        at = {v: X[n, int(v.name[2:]) - 1 if v.name != "x" else 0] for v in ans.decision.free_symbols}
        agree(abs(_real(ans.decision.xreplace(at)) - f[n]) <= 1e-9 * (1 + abs(f[n])),
              f"the decision function at x_{n} is {f[n]}, not {ans.decision.xreplace(at)}")
    if str(raw.get("kernel") or "linear").strip().lower() != "linear":
        return
    w = _array(ans.w).ravel()
    agree(_close(w, X.T @ (alpha * y)), "w is not Σ α_n y_n x_n")
    v, c = cp.Variable(X.shape[1]), cp.Variable()
    if C is None:
        primal = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(v)), [cp.multiply(y, X @ v + c) >= 1])
    else:
        xi = cp.Variable(N)
        primal = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(v) + C * cp.sum(xi)),
                            [cp.multiply(y, X @ v + c) >= 1 - xi, xi >= 0])
    primal.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    agree(primal.status == "optimal", f"cvxpy's primal: {primal.status}")
    slack = y * (X @ w + b)
    mine = 0.5 * w @ w + (C * np.maximum(0, 1 - slack).sum() if C is not None else 0)
    agree(C is not None or np.all(slack >= 1 - 1e-9), f"y(wᵀx + b) = {slack.round(6).tolist()}: a margin violated")
    agree(abs(mine - primal.value) <= 1e-7 * max(1, abs(primal.value)),
          f"the primal objective at (w, b) is {mine}, cvxpy's optimum {primal.value} (w = {v.value}, b = {c.value})")

ORACLES = {"mle": mle, "map": map_, "linear_regression": linear_regression,
           "bayesian_regression": bayesian_regression, "pca": pca, "em_step": em_step, "svm": svm}

__all__ = ["ORACLES", "Wrong"]
