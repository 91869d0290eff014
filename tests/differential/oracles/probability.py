"""Probability: sympy.stats and direct sums over the raw tables, sympy integrals of densities."""
from __future__ import annotations

import re
from typing import Any

import sympy
from sympy import stats

from .. import reading
from .common import agree, equal, equal_matrices

_LAWS = {
    "binomial": lambda n, p: stats.Binomial("X", n, p), "bernoulli": lambda p: stats.Bernoulli("X", p),
    "geometric": lambda p: stats.Geometric("X", p), "poisson": lambda m: stats.Poisson("X", m),
    "exponential": lambda r: stats.Exponential("X", r), "uniform": lambda a, b: stats.Uniform("X", a, b),
    "beta": lambda a, b: stats.Beta("X", a, b),
    "gaussian": lambda m, v: stats.Normal("X", m, sympy.sqrt(v)), "normal": lambda m, v: stats.Normal("X", m, sympy.sqrt(v)),
}


def _split(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "([{" and 1 or (-1 if ch in ")]}" else 0)
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur]


def _variable(raw: dict) -> sympy.Expr:
    if raw.get("pmf"):
        pairs = [p.split(":") for p in _split(raw["pmf"])]
        return stats.FiniteRV("X", {reading.expr(v): reading.expr(p) for v, p in pairs})
    if raw.get("distribution"):
        m = re.match(r"\s*(\w+)\s*\((.*)\)\s*$", raw["distribution"])
        return _LAWS[m.group(1).lower()](*(reading.expr(a) for a in _split(m.group(2))))
    a, b = (reading.expr(t) for t in _split(raw["support"].replace("infty", "oo")))
    x = sympy.Symbol("x", real=True)
    pdf = reading.expr(raw["pdf"]).xreplace({sympy.Symbol("x", real=True): x})
    if raw.get("normalize"):
        pdf = pdf / sympy.integrate(pdf, (x, a, b))
    return stats.ContinuousRV(x, sympy.Piecewise((pdf, (x >= a) & (x <= b)), (0, True)), set=sympy.Interval(a, b))


def _of(raw: dict, X: sympy.Expr) -> sympy.Expr:
    if not raw.get("of"):
        return X
    g = reading.expr(raw["of"])
    return g.xreplace({s: X for s in g.free_symbols if s.name in ("X", "K", "x")})


def _plain(e: Any) -> sympy.Expr:
    """The tutor's value with its symbols as plain ones (sympy.stats uses plain symbols)."""
    e = sympy.sympify(e)
    return e.xreplace({s: sympy.Symbol(s.name) for s in e.free_symbols})


def expectation(raw: dict, ans: Any) -> None:
    X = _variable(raw)
    expected = stats.E(_of(raw, X))
    agree(equal(_plain(ans.value), _plain(expected)), f"E = {expected}")


def variance(raw: dict, ans: Any) -> None:
    X = _variable(raw)
    expected = stats.variance(_of(raw, X))
    agree(equal(_plain(ans.value), _plain(expected)), f"V = {expected}")


def moments(raw: dict, ans: Any) -> None:
    X = _variable(raw)
    agree(equal(_plain(ans.mean), _plain(stats.E(X))) and equal(_plain(ans.variance), _plain(stats.variance(X))),
          "mean or variance")


def _joint(raw: dict) -> tuple[sympy.Matrix, list, list]:
    P = reading.matrix(raw["joint"])
    xs = [reading.expr(v) for v in str(raw["x_values"]).split(",")]
    ys = [reading.expr(v) for v in str(raw["y_values"]).split(",")]
    return P, xs, ys


def _moments(raw: dict) -> tuple:
    P, xs, ys = _joint(raw)
    E = lambda f: sum(P[i, j] * f(x, y) for i, x in enumerate(xs) for j, y in enumerate(ys))  # noqa: E731
    cov = E(lambda x, y: x * y) - E(lambda x, y: x) * E(lambda x, y: y)
    vx = E(lambda x, y: x**2) - E(lambda x, y: x)**2
    vy = E(lambda x, y: y**2) - E(lambda x, y: y)**2
    return cov, vx, vy


def covariance(raw: dict, ans: Any) -> None:
    cov, _, _ = _moments(raw)
    agree(equal(ans.value, cov) and not sympy.sympify(ans.value).has(sympy.Float), f"Cov = {cov}")


def correlation(raw: dict, ans: Any) -> None:
    cov, vx, vy = _moments(raw)
    agree(equal(ans.value, cov / sympy.sqrt(vx * vy)), "correlation")


def marginal(raw: dict, ans: Any) -> None:
    P, xs, ys = _joint(raw)
    by_y = str(raw.get("of", "x")).strip() == "y"
    values, probs = (ys, [sum(P[:, j]) for j in range(P.cols)]) if by_y else (xs, [sum(P[i, :]) for i in range(P.rows)])
    agree(len(ans.values) == len(values) and all(equal(a, b) for a, b in zip(ans.values, values))
          and all(equal(a, b) for a, b in zip(ans.probabilities, probs)), "marginal")


def rv_independence(raw: dict, ans: Any) -> None:
    P, _, _ = _joint(raw)
    expected = all(P[i, j] == sum(P[i, :]) * sum(P[:, j]) for i in range(P.rows) for j in range(P.cols))
    agree(ans.value == expected, f"independent: {expected}")


def bayes(raw: dict, ans: Any) -> None:
    prior = {k.strip(): reading.expr(v) for k, v in (p.split(":") for p in _split(raw["prior"]))}
    like = {k.strip(): reading.expr(v) for k, v in (p.split(":") for p in _split(raw["likelihood"]))}
    evidence = sum(prior[h] * like[h] for h in prior)
    got = {str(h): p for h, p in zip(ans.values, ans.probabilities)}
    agree(all(equal(got[h], prior[h] * like[h] / evidence) for h in prior), "posterior")


def gaussian_affine(raw: dict, ans: Any) -> None:
    mu, S = reading.vector(raw["mean"]), reading.matrix(raw["cov"])
    A, b = reading.matrix(raw["A"]), reading.vector(raw["b"]) if raw.get("b") else 0
    agree(equal_matrices(ans.mean, A * mu + (b if b != 0 else sympy.zeros(A.rows, 1))), "mean A mu + b")
    agree(equal_matrices(ans.cov, A * S * A.T), "covariance A S A^T")


ORACLES = {"expectation": expectation, "variance": variance, "moments": moments,
           "covariance": covariance, "correlation": correlation, "marginal": marginal,
           "rv_independence": rv_independence, "bayes": bayes, "gaussian_affine": gaussian_affine}
