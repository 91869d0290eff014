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


def conditional(raw: dict, ans: Any) -> None:
    """p(x | y = v) = p(x, v) / Σ_x p(x, v) (or the same across a row), exact fractions."""
    P, xs, ys = _joint(raw)
    axis, v = (t.strip() for t in str(raw["given"]).split("="))
    v = reading.expr(v)
    if axis.lower() == "y":
        line, values = [P[i, ys.index(v)] for i in range(P.rows)], xs
    else:
        line, values = [P[xs.index(v), j] for j in range(P.cols)], ys
    total = sum(line)
    agree(len(ans.values) == len(values) and all(equal(a, b) for a, b in zip(ans.values, values)),
          f"the values are {values}")
    agree(all(equal(a, p / total) and not sympy.sympify(a).has(sympy.Float)
              for a, p in zip(ans.probabilities, line)), f"p(· | {axis} = {v}) is {[p / total for p in line]}")


def _square(text: Any) -> sympy.Matrix:
    """A covariance matrix; a number is a 1 x 1 one (a 1-D Gaussian)."""
    return reading.matrix(text) if str(text).strip().startswith("[") else sympy.Matrix([[reading.expr(text)]])


def _density(x: sympy.Matrix, mu: sympy.Matrix, S: sympy.Matrix) -> sympy.Expr:
    """N(x | μ, Σ), written out (Σ invertible)."""
    d = x - mu
    return sympy.exp(-(d.T * S.inv() * d)[0] / 2) / sympy.sqrt((2 * sympy.pi) ** S.rows * S.det())


def _points(n: int, count: int, seed: int) -> list[sympy.Matrix]:
    import random
    rng = random.Random(seed)
    return [sympy.Matrix([sympy.Rational(rng.randint(-30, 30), 10) for _ in range(n)]) for _ in range(count)]


def gaussian_product(raw: dict, ans: Any) -> None:
    """By meaning: N(x | a, A) N(x | b, B) = c N(x | m, C) at more generic points x than the
    quadratic log-density has coefficients (so m, C and c are all pinned down), at 30 digits."""
    a, A = reading.vector(raw["mean1"]), _square(raw["cov1"])
    b, B = reading.vector(raw["mean2"]), _square(raw["cov2"])
    m, C, c = sympy.Matrix(ans.mean), sympy.Matrix(ans.cov), sympy.sympify(ans.constant)
    agree(m.shape == a.shape and C.shape == A.shape and C == C.T, "the shapes of m, C or C not symmetric")
    n = a.rows
    for x in _points(n, (n + 1) * (n + 2) // 2 + 2, 7):
        left = _density(x, a, A) * _density(x, b, B)
        right = c * _density(x, m, C)
        agree(equal(sympy.log(left), sympy.log(right)), f"the product differs at x = {list(x)}")


def gaussian_conditional(raw: dict, ans: Any) -> None:
    """p(x_a | x_b): from the precision matrix Λ = Σ⁻¹ when Σ is invertible (covariance Λ_aa⁻¹,
    mean μ_a − Λ_aa⁻¹ Λ_ab (x_b − μ_b)), else from the Schur complement (MML 6.65-6.66)."""
    mu, S = reading.vector(raw["mean"]), _square(raw["cov"])
    given = {}
    for part in _split(str(raw["given"])):
        k, v = part.split("=")
        given[int(k.strip().split("_")[1]) - 1] = reading.expr(v)
    b = sorted(given)
    a = [i for i in range(mu.rows) if i not in given]
    xb = sympy.Matrix([given[i] for i in b])
    if S.det() != 0:
        L = S.inv()
        Laa, Lab = L.extract(a, a), L.extract(a, b)
        cov = Laa.inv()
        mean = mu.extract(a, [0]) - cov * Lab * (xb - mu.extract(b, [0]))
    else:
        Sbb_inv = S.extract(b, b).inv()
        cov = S.extract(a, a) - S.extract(a, b) * Sbb_inv * S.extract(b, a)
        mean = mu.extract(a, [0]) + S.extract(a, b) * Sbb_inv * (xb - mu.extract(b, [0]))
    agree(equal_matrices(sympy.Matrix(ans.mean).applyfunc(_plain), mean.applyfunc(_plain)),
          f"the conditional mean is {list(mean)}")
    agree(equal_matrices(sympy.Matrix(ans.cov), cov), f"the conditional covariance is {cov.tolist()}")


def sample_stats(raw: dict, ans: Any) -> None:
    """Python's statistics module on exact fractions: the mean, the variances by pvariance
    (the book's 1/N, MML 6.42), the covariances as the mean of the centred products."""
    import statistics
    from fractions import Fraction
    data = raw["data"]
    rows = data if isinstance(data, (list, tuple)) else _rows(str(data))
    rows = [[Fraction(str(v)) for v in (r if isinstance(r, (list, tuple)) else [r])] for r in rows]
    D = len(rows[0])
    cols = [[r[j] for r in rows] for j in range(D)]
    mean = [statistics.mean(c) for c in cols]
    cov = [[statistics.pvariance(cols[i]) if i == j else
            statistics.mean((u - mean[i]) * (v - mean[j]) for u, v in zip(cols[i], cols[j]))
            for j in range(D)] for i in range(D)]
    Q = lambda f: sympy.Rational(f.numerator, f.denominator)  # noqa: E731
    if D == 1 and not isinstance(ans.mean, sympy.MatrixBase):
        agree(equal(ans.mean, Q(mean[0])) and equal(ans.variance, Q(cov[0][0])),
              f"mean {mean[0]}, variance (1/N) {cov[0][0]}")
        return
    agree(equal_matrices(sympy.Matrix(ans.mean), sympy.Matrix([Q(m) for m in mean])), f"the mean is {mean}")
    agree(equal_matrices(sympy.Matrix(ans.variance), sympy.Matrix(D, D, lambda i, j: Q(cov[i][j]))),
          "the covariance (1/N)")


def _rows(text: str) -> list:
    """``[[1,2],[3,4]]`` or ``[1, 2, 3]`` or ``1, 2, 3`` as nested lists of number texts."""
    import ast
    text = text.strip()
    text = text if text.startswith("[") else "[" + text + "]"
    return ast.literal_eval(re.sub(r"(-?\d+(?:\.\d+)?(?:/\d+)?)", r"'\1'", text))


def change_of_variables(raw: dict, ans: Any) -> None:
    """By meaning, numerically at 40 digits without inverting g symbolically: for points y
    inside the stated support, x = g⁻¹(y) is found by bisection on the support of X and
    f_Y(y) must be f_X(x) / |g'(x)|; the support must be g's image of X's support."""
    import mpmath
    x = sympy.Symbol("x", real=True)
    g = reading.expr(raw["g"]).xreplace({s: x for s in reading.expr(raw["g"]).free_symbols})
    lo, hi = (reading.expr(t) for t in _split(str(raw["support"]).replace("infty", "oo").replace("\\", "")))
    pdf = reading.expr(raw["pdf"]).xreplace({sympy.Symbol("x", real=True): x})
    if raw.get("normalize"):
        pdf = pdf / sympy.integrate(pdf, (x, lo, hi))
    ends = sorted([sympy.limit(g, x, lo, "+"), sympy.limit(g, x, hi, "-")], key=lambda e: float(e))
    agree(equal(ans.lower, ends[0]) and equal(ans.upper, ends[1]),
          f"the support of Y is [{ends[0]}, {ends[1]}], not [{ans.lower}, {ans.upper}]")
    y = [s for s in sympy.sympify(ans.value).free_symbols]
    fy = sympy.lambdify(y, ans.value, modules="mpmath") if y else (lambda *_: ans.value)
    G, dG, fX = (sympy.lambdify(x, e, modules="mpmath") for e in (g, sympy.diff(g, x), pdf))
    with mpmath.workdps(40):
        a = mpmath.mpf(-10**6) if lo == -sympy.oo else mpmath.mpf(str(sympy.N(lo, 45)))
        b = mpmath.mpf(10**6) if hi == sympy.oo else mpmath.mpf(str(sympy.N(hi, 45)))
        ya, yb = (mpmath.mpf(str(sympy.N(e, 45))) if e.is_finite else None for e in ends)
        for t in (mpmath.mpf(1) / 7, mpmath.mpf(3) / 7, mpmath.mpf(5) / 6):
            yv = ya + t * (yb - ya) if ya is not None and yb is not None else \
                (ya + 10 * t if ya is not None else (yb - 10 * t if yb is not None else 10 * t - 5))
            increasing = G(a + (b - a) / 3) < G(b - (b - a) / 3)
            left, right = a, b
            for _ in range(200):
                mid = (left + right) / 2
                if (G(mid) < yv) == increasing:
                    left = mid
                else:
                    right = mid
            xv = (left + right) / 2
            expected = fX(xv) / abs(dG(xv))
            got = fy(yv) if y else mpmath.mpf(str(sympy.N(ans.value, 45)))
            agree(abs(got - expected) <= mpmath.mpf(10) ** -12 * (1 + abs(expected)),
                  f"f_Y({mpmath.nstr(yv, 10)}) is {mpmath.nstr(expected, 15)}, not {mpmath.nstr(got, 15)}")


ORACLES = {"expectation": expectation, "variance": variance, "moments": moments,
           "covariance": covariance, "correlation": correlation, "marginal": marginal,
           "rv_independence": rv_independence, "bayes": bayes, "gaussian_affine": gaussian_affine,
           "conditional": conditional, "gaussian_conditional": gaussian_conditional,
           "gaussian_product": gaussian_product, "sample_stats": sample_stats,
           "change_of_variables": change_of_variables}
