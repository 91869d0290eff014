"""Each named mistake of the catalogue recomputed without tutor: numpy, scipy and sympy from the
problem's inputs, by the mistake's own description (the key is used only where the mistake is
"the key written another way": a transpose, a diagonal).

``ORACLES[kind]`` maps the start of a mistake's name to ``f(inputs, key)``: the answer (as a
tutor answer object, compared entry by entry numerically) or True/False for a mistake checked by
its defining property.  Calculus's broken rules are checked in test_choices.py (hand-worked
cases of each broken rule; the unbroken rules equal sympy.diff).
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import sympy
from scipy.optimize import linprog, minimize, minimize_scalar
from scipy.spatial.transform import Rotation
from scipy.stats import multivariate_normal, norm
from sklearn.svm import SVC

from tutor.core import answers as A
from tutor.topics.transforms import DensityAnswer


class Later:
    """An oracle's value computed only when its mistake is among the options (another entry
    of its table may not exist for this variant: a non-square matrix, a negative square)."""

    def __init__(self, compute):
        self.compute = compute

    def __call__(self):
        return self.compute()


def F(M):
    return np.array(sympy.Matrix(M).evalf(30).tolist(), dtype=float)


def col(v):
    return F(v).reshape(-1)


def S(M):
    return sympy.Matrix(np.asarray(M, dtype=float).reshape(np.shape(M) if np.ndim(M) == 2 else (-1, 1)))


def gram(inputs, n):
    return F(inputs["A"]) if inputs.get("A") is not None else np.eye(n)


def ip(u, v, G):
    return float(u @ G @ v)


# ---------------------------------------------------------------- matrices and geometry

def _rank(i, k):
    M = F(i["A"])
    return {"the nonzero rows": int((np.abs(M).sum(axis=1) > 0).sum()),
            "the dimension of the kernel": M.shape[1] - np.linalg.matrix_rank(M),
            "the number of columns": M.shape[1]}


def _basis(i):
    return np.column_stack([col(b) for b in i["basis"]])


def _cob(i):
    B = np.column_stack([col(b) for b in i["B"]])
    C = np.column_stack([col(c) for c in i["C"]])
    return B, F(i["A"]), C


def _norm(i, k):
    x, p = col(i["x"]), i["p"]
    G = gram(i, len(x))
    return {"the square root forgotten": x @ G @ x,
            "the absolute values left out": x.sum() if p == "1" else x.max(),
            "the dot product used": np.linalg.norm(x),
            "another norm computed": np.abs(x).sum() if p in ("2", "inf") else np.linalg.norm(x)}


def _distance(i, k):
    x, y = col(i["x"]), col(i["y"])
    G = gram(i, len(x))
    length = lambda v: math.sqrt(ip(v, v, G))  # noqa: E731
    return {"x + y for x - y": length(x + y), "the square root forgotten": ip(x - y, x - y, G),
            "||x|| - ||y||": length(x) - length(y)}


def _inner(i, k):
    x, y = col(i["x"]), col(i["y"])
    G = gram(i, len(x))
    return {"the dot product x^T y": x @ y, "only the diagonal": x @ np.diag(np.diag(G)) @ y,
            "||x|| ||y||": np.linalg.norm(x) * np.linalg.norm(y), "the product of the sums": x.sum() * y.sum()}


def _angle(i, k):
    x, y = col(i["x"]), col(i["y"])
    G = gram(i, len(x))
    c = ip(x, y, G) / math.sqrt(ip(x, x, G) * ip(y, y, G))
    return {"cos ω given": c, "π - ω": math.pi - math.acos(c), "arcsin taken": math.asin(c)}


def _projection(i, k):
    x = col(i["x"])
    U = [col(u) for u in i["U"]]
    G = gram(i, len(x))
    B = np.column_stack(U)
    p = B @ np.linalg.solve(B.T @ G @ B, B.T @ G @ x)
    d = lambda q: math.sqrt(ip(x - q, x - q, G))  # noqa: E731
    out = {}
    for name, q in (("not divided by ||u||^2", sum(ip(u, x, G) * u for u in U)), ("x - π_U(x)", x - p),
                    ("the one-dimensional projections added", sum(ip(u, x, G) / ip(u, u, G) * u for u in U))):
        out[name] = A.ProjectionAnswer(S(q), sympy.Float(d(q)))
    return out


def _gram_schmidt(i, k):
    vectors = [col(b) for b in i["vectors"]]
    G = gram(i, len(vectors[0]))

    def run(sign=-1, divide=True, original=False):
        done = []
        for b in vectors:
            u = b.copy()
            for j, w in enumerate(done):
                w = vectors[j] if original else w
                u = u + sign * ip(b, w, G) / (ip(w, w, G) if divide else 1) * w
            done.append(u)
        if i["normalize"]:
            done = [u / math.sqrt(ip(u, u, G)) for u in done]
        return A.BasisAnswer(tuple(S(u) for u in done))
    return {"the projections added": run(sign=1), "not divided by <u_j, u_j>": run(divide=False),
            "projected onto the given b_j": run(original=True)}


def _complement(i, k):
    U = sympy.Matrix.hstack(*i["U"]).T
    rows = U * sympy.Matrix(i["A"]) if i["A"] is not None else U

    def plus_one(option):  # flip the free entry back to -1: a kernel vector of the rows
        _, pivots = rows.rref()
        free = [j for j in range(rows.cols) if j not in pivots]
        fixed = []
        for f, v in zip(free, option.vectors):
            w = sympy.Matrix(v)
            if w[f] != 1:
                return False
            w[f] = -1
            fixed.append(w)
        return len(fixed) == len(free) and all(rows * w == sympy.zeros(rows.rows, 1) for w in fixed)
    return {"the Minus-1 trick done with +1": plus_one,
            "a basis of U itself": lambda o: list(o.vectors) == list(i["U"]),
            "the dot product used": lambda o: all((U * v).is_zero_matrix for v in o.vectors)
            and len(o.vectors) == U.cols - U.rank()}


def _rotation(i, k):
    theta = float(i["angle"])

    def R(t):
        if i["axis"] is None:
            return np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
        a = col(i["axis"])
        return Rotation.from_rotvec(a / np.linalg.norm(a) * t).as_matrix()
    return {"the sign of the sines swapped": R(-theta), "sin and cos swapped": R(math.pi / 2 - theta)}


# ---------------------------------------------------------------- eigen and decompositions

def _permanent(M):
    n = M.rows
    return sympy.Add(*(sympy.Mul(*(M[r, p[r]] for r in range(n))) for p in itertools.permutations(range(n))))


def _charpoly(i, k):
    lam, = k.value.free_symbols
    M = sympy.Matrix(i["A"])
    return {"every sign of the Laplace expansion": _permanent(M - lam * sympy.eye(M.rows)),
            "λ added on the diagonal": (M + lam * sympy.eye(M.rows)).det(method="berkowitz")}


def _cholesky(i, k):
    M = F(i["A"])

    def run(root=True, divide=True):
        n = len(M)
        L = np.zeros((n, n))
        for j in range(n):
            d = M[j, j] - sum(L[j, :j] ** 2)
            L[j, j] = math.sqrt(d) if root else d
            for r in range(j + 1, n):
                s = M[r, j] - L[r, :j] @ L[j, :j]
                L[r, j] = s / L[j, j] if divide else s
        return L
    return {"L^T given for L": F(k.value).T, "the square root of the diagonal": Later(lambda: run(root=False)),
            "the entries below the diagonal": Later(lambda: run(divide=False))}


def _low_rank(i, k):
    M = F(i["A"])
    u, s, vt = np.linalg.svd(M)
    if len(set(np.round(s, 9))) < len(s):
        return {}  # a repeated singular value: u_i, v_i are not unique, nor is each term
    kk = int(i["k"])
    term = lambda j, p, right: s[j] ** p * np.outer(u[:, j], right[:, j])  # noqa: E731
    return {"the smallest singular values kept": M - sum(term(j, 1, vt.T) for j in range(kk)),
            "sigma^2": sum(term(j, 2, vt.T) for j in range(kk)),
            "u_i u_i^T": sum(term(j, 1, u) for j in range(kk))}


# ---------------------------------------------------------------- calculus

def _chain(i, k):
    f, inner, t = i["outer"], i["inner"], i["parameters"][0]
    partials = [sympy.diff(f, x).subs(inner) for x in i["variables"]]
    return {"the inner derivatives dx_i/dt forgotten": sum(partials),
            "only the path through the first": partials[0] * sympy.diff(inner[i["variables"][0]], t)}


def _taylor(i, k):
    x, = i["vars"]
    a, n, f = i["at"][x], int(i["order"]), i["function"]
    coefficients = sympy.Poly(sympy.series(f, x, a, n + 1).removeO().subs(x, x + a), x).all_coeffs()[::-1]
    return {"the factorials left out": sum(c * sympy.factorial(j) * (x - a) ** j for j, c in enumerate(coefficients)),
            "(x + a)^k for (x - a)^k": k.value.subs(x, x + 2 * a),
            "one term short": sympy.series(f, x, a, n).removeO()}


# ---------------------------------------------------------------- probability

def _bayes(i, k):
    prior, like = list(i["priors"]), list(i["likelihoods"])
    d = lambda ps: A.DistributionAnswer(k.values, tuple(ps))  # noqa: E731
    return {"the prior ignored": d(l / sum(like) for l in like), "not divided by the evidence":
            d(p * l for p, l in zip(prior, like)), "the likelihoods p(D | h)": d(like)}


def _joint(i):
    t = i["table"]
    return np.array(t.xs, dtype=float), np.array(t.ys, dtype=float), F(t.P)


def _conditional(i, k):
    xs, ys, P = _joint(i)
    axis, _, index = i["given"]
    line = P[:, index] if axis == "y" else P[index, :]
    other = P.sum(axis=1) if axis == "y" else P.sum(axis=0)
    d = lambda ps: A.DistributionAnswer(k.values, tuple(sympy.Float(p) for p in ps))  # noqa: E731
    return {"not divided by the probability": d(line), "divided by the other variable": d(line / other),
            "the marginal given": d(other)}


def _marginal(i, k):
    xs, ys, P = _joint(i)
    of = i["of"]
    other_values, other_probs = (ys, P.sum(axis=0)) if of == "x" else (xs, P.sum(axis=1))
    mine = P.sum(axis=1) if of == "x" else P.sum(axis=0)
    count = P.shape[1] if of == "x" else P.shape[0]
    return {"summed over the wrong variable": A.DistributionAnswer(tuple(sympy.Float(v) for v in other_values),
                                                                    tuple(sympy.Float(p) for p in other_probs)),
            "the probabilities averaged": A.DistributionAnswer(k.values, tuple(sympy.Float(p) for p in mine / count))}


def _moments2(i):
    xs, ys, P = _joint(i)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    E = lambda Z: float((P * Z).sum())  # noqa: E731
    return E(X), E(Y), E(X * Y), E(X * X) - E(X) ** 2, E(Y * Y) - E(Y) ** 2


def _covariance(i, k):
    ex, ey, exy, _, _ = _moments2(i)
    return {"E[X]E[Y] not subtracted": exy, "E[X]E[Y] added": exy + ex * ey, "E[X]E[Y] - E[XY]": ex * ey - exy}


def _correlation(i, k):
    ex, ey, exy, vx, vy = _moments2(i)
    cov = exy - ex * ey
    return {"not divided by the standard deviations": cov, "divided by V[X]V[Y]": cov / (vx * vy),
            "E[XY] for Cov[X, Y]": exy / math.sqrt(vx * vy)}


def _affine(i, k):
    M, S_, mu, b = F(i["A"]), F(i["cov"]), col(i["mean"]), col(i["b"])
    g = lambda m, c: A.GaussianAnswer(S(m), S(c))  # noqa: E731
    return {"A^T Σ A": g(M @ mu + b, M.T @ S_ @ M), "A Σ for": g(M @ mu + b, M @ S_),
            "b left out of the mean": g(M @ mu, M @ S_ @ M.T)}


def _conditioned(i, k):
    mu, S_, given = col(i["mean"]), F(i["cov"]), i["given"]
    b = sorted(given)
    a = [j for j in range(len(mu)) if j not in given]
    xb = np.array([float(given[j]) for j in b])
    Saa, Sab, Sbb = S_[np.ix_(a, a)], S_[np.ix_(a, b)], S_[np.ix_(b, b)]
    K = Sab @ np.linalg.inv(Sbb)
    g = lambda m, c: A.GaussianAnswer(S(m), S(c))  # noqa: E731
    return {"the marginal of x_a": g(mu[a], Saa), "Σ_bb^-1 left out": g(mu[a] + Sab @ (xb - mu[b]), Saa - Sab @ Sab.T),
            "the covariance increased": g(mu[a] + K @ (xb - mu[b]), Saa + K @ Sab.T),
            "μ_b - x_b": g(mu[a] + K @ (mu[b] - xb), Saa - K @ Sab.T)}


def _product(i, k):
    a, Aa, b, Bb = col(i["mean1"]), F(i["cov1"]), col(i["mean2"]), F(i["cov2"])
    inv = np.linalg.inv
    C = inv(inv(Aa) + inv(Bb))
    m = C @ (inv(Aa) @ a + inv(Bb) @ b)
    c = multivariate_normal.pdf(a, b, Aa + Bb)
    g = lambda mm, CC, cc: type(k)(mean=S(mm), cov=S(CC), constant=sympy.Float(cc))  # noqa: E731
    return {"the covariances added": g((Aa + Bb) @ (inv(Aa) @ a + inv(Bb) @ b), Aa + Bb, c),
            "the means averaged": g((a + b) / 2, C, c),
            "the constant's covariance": g(m, C, multivariate_normal.pdf(a, b, C))}


def _sample(i, k):
    X = F(i["data"])
    m = lambda c: A.MomentsAnswer(k.mean, S(c) if X.shape[1] > 1 else sympy.Float(c[0, 0]))  # noqa: E731
    return {"divided by N - 1": m(np.atleast_2d(np.cov(X.T, ddof=1))), "the mean not subtracted": m(X.T @ X / len(X))}


# ---------------------------------------------------------------- optimization and models

def _stationary(i, k):
    f, xs = i["function"], i["vars"]
    swap = {"minimum": "maximum", "maximum": "minimum"}

    def by_fxx(p):
        if p.nature != "saddle":
            return p.nature
        v = float(sympy.diff(f, xs[0], xs[0]).subs(dict(zip(xs, p.point))))
        return "minimum" if v > 0 else "maximum" if v < 0 else p.nature
    pts = lambda nature: A.PointsAnswer(k.variables, tuple(  # noqa: E731
        A.OptimumPoint(p.point, p.value, nature(p), p.multipliers) for p in k.points))
    return {"minimum and maximum swapped": pts(lambda p: swap.get(p.nature, p.nature)),
            "the nature read from f_xx alone": pts(by_fxx)}


def _lagrange(i, k):
    f, xs = i["function"], list(i["vars"])
    swapped = _stationary({"function": f, "vars": xs}, k)["minimum and maximum swapped"]

    def unconstrained(option):
        """The stationary points of f alone: sympy's solutions of grad f = 0, each classified by
        its Hessian where that is definite."""
        grad = [sympy.diff(f, x) for x in xs]
        solutions = sympy.solve(grad, xs, dict=True)
        H = sympy.hessian(f, xs)
        if len(option.points) != len(solutions):
            return False
        for p in option.points:
            at = dict(zip(xs, p.point))
            if any(sympy.simplify(g.subs(at)) != 0 for g in grad) or sympy.simplify(f.subs(at) - p.value) != 0:
                return False
            Hp = H.subs(at)
            definite = ("minimum" if Hp.is_positive_definite else "maximum" if Hp.is_negative_definite
                        else "saddle" if Hp.det() < 0 else None)
            if definite is not None and definite != p.nature:
                return False
        return True
    return {"minimum and maximum swapped": swapped, "the constraint left out": unconstrained}


def _descent(i, k):
    Q, b, x0 = F(i["A"]), col(i["b"]), col(i["start"])
    f = lambda x: 0.5 * x @ Q @ x - b @ x  # noqa: E731

    def run(step, momentum):
        xs, prev = [x0], x0
        for _ in range(int(i["iterations"])):
            x = xs[-1]
            nxt = x - step * (Q @ x - b) + momentum * (x - prev)
            prev = x
            xs.append(nxt)
        return A.IteratesAnswer(tuple(tuple(sympy.Float(c) for c in x) for x in xs),
                                tuple(sympy.Float(f(x)) for x in xs))
    step, momentum = float(i["step"]), float(i["momentum"])
    return {"the step taken along +∇f": run(-step, momentum), "the step size left out": run(1.0, momentum),
            "the momentum term left out": run(step, 0.0)}


def _convexity(i, k):
    back = {"strictly convex": "strictly concave", "convex": "concave", "strictly concave": "strictly convex",
            "concave": "convex"}
    strict = {"strictly convex": "convex", "convex": "strictly convex", "strictly concave": "concave",
              "concave": "strictly concave"}

    def diagonal():
        d = [float(sympy.diff(i["function"], x, x)) for x in i["vars"]]
        if all(e > 0 for e in d):
            return "strictly convex"
        if all(e >= 0 for e in d):
            return "convex"
        if all(e < 0 for e in d):
            return "strictly concave"
        return "concave" if all(e <= 0 for e in d) else "neither"
    return {"convex and concave confused": Later(lambda: A.ConvexityAnswer(back[k.value])),
            "semidefinite and definite confused": Later(lambda: A.ConvexityAnswer(strict[k.value])),
            "the Hessian's diagonal alone": Later(lambda: A.ConvexityAnswer(diagonal()))}


def _mle(i, k):
    data = [float(d) for d in i["data"]]
    n, total, family = len(data), sum(data), i["model"].family
    names = list(k.values)
    e = lambda vals: A.EstimateAnswer(dict(zip(names, vals)), k.posterior)  # noqa: E731
    out = {"the share of zeros": e([1 - total / n])}
    if family in ("Bernoulli", "Poisson"):
        out["divided by n - 1"] = e([total / (n - 1)])
    if family == "Exponential":
        out["divided by n - 1"] = e([(n - 1) / total])
    if family == "Gaussian":
        mean = total / n
        out["divided by n - 1"] = e([mean, sum((d - mean) ** 2 for d in data) / (n - 1)][:len(names)])
    out["the rate and the mean confused"] = e([total / n] if family == "Exponential" else [n / total])
    return out


def _posterior(model, prior, data):
    """The conjugate posterior (family, a, b), by the textbook's update rules."""
    (a, b), n, total = prior, len(data), sum(data)
    if model.family == "Bernoulli":
        return "Beta", a + total, b + n - total
    if model.family == "Binomial":
        return "Beta", a + total, b + n * model.params[0] - total
    if model.family == "Poisson":
        return "Gamma", a + total, b + n
    if model.family == "Exponential":
        return "Gamma", a + n, b + total
    precision = 1 / b + n / model.params[1]
    return "Gaussian", (a / b + total / model.params[1]) / precision, 1 / precision


def _map(i, k):
    data = [sympy.nsimplify(d) for d in i["data"]]
    names = list(k.values)

    def estimate(prior, mean=False):
        family, a, b = _posterior(i["model"], prior, data)
        value = {"Beta": (a / (a + b)) if mean else (a - 1) / (a + b - 2),
                 "Gamma": (a / b) if mean else (a - 1) / b, "Gaussian": a}[family]
        return A.EstimateAnswer({name: sympy.nsimplify(value) for name in names},
                                k.posterior if mean else f"{family}({sympy.nsimplify(a)}, {sympy.nsimplify(b)})")
    prior = tuple(i["prior"].params)
    flat = {"Beta": (1, 1), "Gamma": (1, 0)}.get(i["prior"].family)
    return {"the prior ignored": Later(lambda: estimate(tuple(map(sympy.Integer, flat)))),
            "the prior's two parameters swapped": Later(lambda: estimate(prior[::-1])),
            "the posterior's mean given": Later(lambda: estimate(prior, mean=True))}


def _regression(i, k):
    Phi, y = F(i["design"].matrix()), col(i["y"])
    features = i["design"].features or ()
    keep = [j for j, f in enumerate(features) if f != 1]
    lam = i["ridge"] if i["ridge"] is not None else (
        i["noise_var"] / i["prior_var"] if i["noise_var"] is not None else None)
    fit = lambda P, r: np.linalg.solve(P.T @ P + float(r or 0) * np.eye(P.shape[1]), P.T @ y)  # noqa: E731
    noise = lambda P, t: sympy.Float(float((y - P @ t) @ (y - P @ t)) / len(y))  # noqa: E731
    t0 = fit(Phi[:, keep], lam) if keep else None
    t1 = Phi.T @ y
    t2 = fit(Phi, None)
    return {"the bias feature 1 left out": A.RegressionAnswer(S(t0), noise(Phi[:, keep], t0) if lam is None else None),
            "Φ^T y taken for θ": A.RegressionAnswer(S(t1), noise(Phi, t1) if k.noise_variance is not None else None),
            "the regularizer left out": A.RegressionAnswer(S(t2), noise(Phi, t2))}


def _pca(i, k):
    """Checked by property (an eigenvector's sign is free): the components are unit eigenvectors
    of the matrix the mistake diagonalizes, with the eigenvalues it picks, and the codes and the
    error follow from them."""
    X = F(i["data"])
    N, D = X.shape
    Xc = X - X.mean(axis=0)
    centred, uncentred = Xc.T @ Xc / N, X.T @ X / N

    def made(M, picked, coded, discarded):
        def check(answer):
            values = np.sort(np.linalg.eigvalsh(M))[::-1]
            B = np.column_stack([col(c) for c in answer.components])
            return (np.allclose(B.T @ B, np.eye(len(picked)), atol=1e-9)
                    and np.allclose(M @ B, B * values[picked], atol=1e-9)
                    and np.allclose(F(answer.codes), coded @ B, atol=1e-9)
                    and np.allclose([float(v) for v in answer.variances], values, atol=1e-9)
                    and abs(float(answer.error) - values[discarded].sum()) < 1e-9)
        return check
    n = i["k"]
    return {"the data not centred": made(uncentred, list(range(n)), X, list(range(n, D))),
            "the axes of the smallest eigenvalues": made(centred, list(range(D - 1, D - 1 - n, -1)), Xc,
                                                         list(range(D - n))),
            "the codes of the uncentred data": made(centred, list(range(n)), X, list(range(n, D)))}


def _bayesian(i, k):
    Phi, y, noise = F(i["design"].matrix()), col(i["y"]), float(i["noise_var"])
    m0, S0 = col(i["prior_mean"]), F(i["prior_cov"])

    def answer(mean, cov):
        if i["at"] is None:
            return A.PosteriorAnswer(S(mean), S(cov), None)
        features = i["design"].features
        phi = col(i["at"]) if features is None else np.array(
            [float(sympy.sympify(f).subs(dict(zip(i["design"].variables, i["at"])))) for f in features])
        return A.PosteriorAnswer(S(mean), S(cov), (phi @ mean, phi @ cov @ phi + noise))

    def posterior(P0):
        cov = np.linalg.inv(P0 + Phi.T @ Phi / noise)
        return answer(cov @ (P0 @ m0 + Phi.T @ y / noise), cov)
    precision = np.linalg.inv(S0) + Phi.T @ Phi / noise
    return {"the prior ignored": Later(lambda: answer(np.linalg.lstsq(Phi, y, rcond=None)[0],
                                                      noise * np.linalg.inv(Phi.T @ Phi))),
            "the posterior precision S_N^-1 not inverted": answer(
                precision @ (np.linalg.inv(S0) @ m0 + Phi.T @ y / noise), precision),
            "the prior covariance S_0 used where its inverse": posterior(S0)}


def _em(i, k):
    x = np.array([float(v) for v in i["data"]])
    pi, mu, var = (np.array([float(v) for v in i[name]]) for name in ("weights", "means", "variances"))
    w = pi * norm.pdf(x[:, None], mu, np.sqrt(var))
    loglik = lambda p, m, v: np.log((p * norm.pdf(x[:, None], m, np.sqrt(v))).sum(axis=1)).sum()  # noqa: E731

    def step(r, old_means=False, by_n=False):
        n_k = r.sum(axis=0)
        means = (r * x[:, None]).sum(axis=0) / n_k
        centres = mu if old_means else means
        variances = (r * (x[:, None] - centres) ** 2).sum(axis=0) / (len(x) if by_n else n_k)
        weights = n_k / len(x)
        return A.GMMAnswer(tuple(weights), tuple(means), tuple(variances), S(r),
                           (loglik(pi, mu, var), loglik(weights, means, variances)))
    r = w / w.sum(axis=1, keepdims=True)
    return {"the responsibilities not normalized": step(w), "the old means kept": step(r, old_means=True),
            "the variances divided by N": step(r, by_n=True)}


def _optimal(A_, b, grad, x, lam, active=None):
    """x with multipliers lam is a KKT point of min f s.t. A_ x <= b for the rows ``active``:
    feasible, lam >= 0, grad + A_^T lam = 0, complementary slackness."""
    rows = range(len(b)) if active is None else active
    slack = b - A_ @ x
    return (all(slack[r] > -1e-9 for r in rows) and all(v > -1e-9 for v in lam)
            and np.allclose(grad + A_.T @ lam, 0, atol=1e-9) and all(abs(lam[r] * slack[r]) < 1e-9 for r in rows)
            and all(abs(lam[r]) < 1e-12 for r in set(range(len(b))) - set(rows)))


def _lp(i, k):
    """By the optimality conditions of the mistaken program (an optimum need not be unique), its
    value also equal to scipy's linprog."""
    c, A_, b = col(i["c"]), F(i["A"]), col(i["b"])
    j = int(np.argmax([float(m) for m in k.multipliers]))

    def made(sign, A2, b2, rows=None):
        def check(answer):
            x, lam = col(answer.x), np.array([float(m) for m in answer.multipliers])
            keep = list(range(len(b2))) if rows is None else rows
            best = linprog(sign * c, A_ub=A2[keep], b_ub=b2[keep], bounds=[(None, None)] * len(c), method="highs")
            return (_optimal(A2, b2, sign * c, x, lam, rows) and abs(float(answer.value) - c @ x) < 1e-9
                    and abs(sign * c @ x - best.fun) < 1e-7)
        return check
    A_last, b_last = A_.copy(), b.copy()
    A_last[-1], b_last[-1] = -A_last[-1], -b_last[-1]
    return {"maximized instead of minimized": made(-1, A_, b),
            "the last constraint read as >=": made(1, A_last, b_last),
            "the binding constraint of the largest multiplier left out": made(
                1, A_, b, [r for r in range(len(b)) if r != j])}


def _qp(i, k):
    Q, c, A_, b = F(i["Q"]), col(i["c"]), F(i["A"]), col(i["b"])

    def made(Q2, c2, A2, b2):
        def check(answer):
            x, lam = col(answer.x), np.array([float(m) for m in answer.multipliers])
            return (_optimal(A2, b2, Q2 @ x + c2, x, lam)
                    and abs(float(answer.value) - (0.5 * x @ Q2 @ x + c2 @ x)) < 1e-9)
        return check
    A_last, b_last = A_.copy(), b.copy()
    A_last[-1], b_last[-1] = -A_last[-1], -b_last[-1]
    x0 = np.linalg.solve(Q, -c)
    return {"the constraints ignored": A.ProgramAnswer("qp", tuple(x0), 0.5 * x0 @ Q @ x0 + c @ x0,
                                                       (0,) * len(b)),
            "the 1/2 left out": made(2 * Q, c, A_, b), "the sign of c lost": made(Q, -c, A_, b),
            "the last constraint read as >=": made(Q, c, A_last, b_last)}


def _kkt(i, k):
    """The binding inequality reversed: the option is a KKT point of the reversed program whose
    value is the lowest scipy's SLSQP finds from a grid of starts."""
    f, xs, constraints = i["function"], list(i["vars"]), list(i["constraints"])
    inequalities = [n for n, c in enumerate(constraints) if c.sign != "="]
    lam0 = k.points[0].multipliers or (0,) * len(constraints)
    j = max(inequalities, key=lambda n: (lam0[n], -n))
    gs = [c.g if n != j else -c.g for n, c in enumerate(constraints)]

    def reversed_(answer):
        if len(answer.points) != 1:
            return False
        p = answer.points[0]
        at = dict(zip(xs, p.point))
        g_at = [float(g.subs(at)) for g in gs]
        mu = [float(m) for m in p.multipliers]
        grad = np.array([float(sympy.diff(f + sum(m * g for m, g in zip(mu, gs)), x).subs(at)) for x in xs])
        fun = sympy.lambdify([xs], f)
        cons = [{"type": "eq" if c.sign == "=" else "ineq", "fun": sympy.lambdify([xs], -g)}
                for c, g in zip(constraints, gs)]
        lows = [minimize(fun, np.array(s, dtype=float), constraints=cons, method="SLSQP")
                for s in itertools.product((-3.0, 0.5, 4.0), repeat=len(xs))]
        best = min(r.fun for r in lows if r.success)
        return (all(v < 1e-9 for n, v in enumerate(g_at) if n in inequalities)
                and all(abs(v) < 1e-9 for n, v in enumerate(g_at) if n not in inequalities)
                and all(m > -1e-9 for n, m in enumerate(mu) if n in inequalities)
                and all(abs(m * v) < 1e-9 for m, v in zip(mu, g_at)) and np.allclose(grad, 0, atol=1e-9)
                and abs(float(f.subs(at)) - float(p.value)) < 1e-9 and float(p.value) <= best + 1e-6)
    return {"the binding inequality's sign read backwards": reversed_,
            "the constraints left out": _lagrange(i, k)["the constraint left out"]}


def _svm(i, k):
    """scikit-learn's SVC (libsvm, a hard margin as a huge C) for w and b; libsvm's tolerance
    makes these checks to 1e-5."""
    assert i["kernel"].name == "linear", i["kernel"]
    X, y = F(i["data"]), np.array([float(v) for v in i["labels"]])

    def fit(labels, C):
        model = SVC(kernel="linear", C=1e8 if C is None else float(C), tol=1e-12).fit(X, labels)
        return model.coef_[0], model.intercept_[0]
    w, b = fit(y, i["C"])

    def made(w2, b2):
        return lambda answer: (np.allclose(col(answer.w), w2, atol=1e-5) and abs(float(answer.b) - b2) < 1e-5)
    return {"the bias's sign flipped": made(w, -b),
            "y_s left out of the bias": Later(lambda: made(w, b - y[k.support[0]])),
            "the classes swapped": Later(lambda: made(*fit(-y, i["C"]))),
            "w scaled to unit length": made(w / np.linalg.norm(w), b / np.linalg.norm(w)),
            "C ignored": Later(lambda: made(*fit(y, None)))}


def _conjugate(i, k):
    """Numerically, at points s inside the option's domain: the supremum over x of -s x - f(x)
    (scipy's bounded minimize_scalar), f'(s) by sympy.diff, and -f at the maximizer of s x - f(x)."""
    f, x = i["function"], i["var"]
    s = sympy.Symbol("s")
    fn = sympy.lambdify(x, f)
    low = 1e-9 if i["domain"] else -40.0  # the drawn domains are x > 0 or none

    def argmax(t):
        return minimize_scalar(lambda v: fn(v) - t * v, bounds=(low, 40.0), method="bounded",
                               options={"xatol": 1e-12}).x

    def at_points(value_at):
        def check(answer):
            points = [t for t in (-1.7, -0.6, 0.4, 1.3, 2.2) if answer.domain.contains(sympy.Float(t)) is sympy.true
                      and t not in answer.domain.boundary]
            value = sympy.lambdify(s, answer.value)
            return bool(points) and all(abs(value(t) - value_at(t)) < 1e-6 for t in points)
        return check
    return {"the sign of s x flipped": at_points(lambda t: -t * argmax(-t) - fn(argmax(-t))),
            "f'(s) for f*(s)": at_points(sympy.lambdify(x, sympy.diff(f, x))),
            "s x* left out": at_points(lambda t: -fn(argmax(t)))}


def _change_of_variables(i, k):
    """f_Y(y) = f_X(h(y)) |h'(y)| with h = g^-1 solved by sympy (the root that undoes g inside the
    support), each mistake a change to that formula."""
    rv, y = i["rv"], sympy.Symbol("y", real=True)
    x, g, law = rv.var, i["g"], rv.law
    mid = (rv.lower + rv.upper) / 2
    h = next(r for r in sympy.solve(sympy.Eq(y, g), x) if abs(complex(sympy.N(r.subs(y, g.subs(x, mid)) - mid))) < 1e-12)
    dh = sympy.diff(h, y)
    sign = 1 if sympy.N(sympy.diff(g, x).subs(x, mid)) > 0 else -1
    density = lambda v: DensityAnswer(rv.user(v), lower=k.lower, upper=k.upper)  # noqa: E731
    return {"|dx/dy| left out": density(law.subs(x, h)),
            "dx/dy not in absolute value": density(law.subs(x, h) * dh),
            "multiplied by dy/dx": density(law.subs(x, h) * sympy.diff(g, x).subs(x, h)),
            "x not replaced by x(y)": density(law.subs(x, y) * sign * dh)}


#: the drawn matrix-gradient functions written out, f(left x, right x, A, a, b): the left factor
#: of each quadratic form apart, so that "one term of the product rule" freezes it
_FORMS = {"a.T*x": lambda l, r, A, a, b: a.T * r,
          "x.T*x": lambda l, r, A, a, b: l.T * r,
          "x.T*A*x": lambda l, r, A, a, b: l.T * A * r,
          "||x - b||**2": lambda l, r, A, a, b: (l - b).T * (r - b),
          "x.T*A*x + b.T*x": lambda l, r, A, a, b: l.T * A * r + b.T * r,
          "||A*x - b||**2": lambda l, r, A, a, b: (A * l - b).T * (A * r - b),
          "(A*x - b).T*(A*x - b)": lambda l, r, A, a, b: (A * l - b).T * (A * r - b),
          "x.T*A.T*A*x": lambda l, r, A, a, b: l.T * A.T * A * r}


def _matrix_gradient(i, k):
    """Each mistake's row (or column) at three random integer draws (n = 3, m = 2), by sympy.diff of
    the written-out function, against the option evaluated at the same draw."""
    from tutor.calculus.matrix_expressions import explicit

    form = _FORMS[str(i["function"])]
    n, m = 3, 2
    xs = sympy.Matrix(sympy.symbols("x1:4"))
    x0 = sympy.Matrix(sympy.symbols("y1:4"))

    def row(f):
        return sympy.Matrix([[sympy.diff(f[0, 0], v) for v in xs]]).subs(dict(zip(x0, xs)))

    def at(expected_of):
        def check(answer):
            for draw in range(3):
                rng = np.random.default_rng(draw)
                A = sympy.Matrix(rng.integers(-5, 6, (m, n)) if "A*x - b" in str(i["function"]) or "A.T*A" in str(i["function"])
                                 else rng.integers(-5, 6, (n, n)))
                a = sympy.Matrix(rng.integers(-5, 6, (n, 1)))
                b = sympy.Matrix(rng.integers(-5, 6, (A.rows if "A*x - b" in str(i["function"]) else n, 1)))
                sizes = {d: (m if d.name == "m" else n) for s in i["names"] for d in sympy.sympify(s.shape).free_symbols}
                got = explicit(answer.value, {"x": xs, "A": A, "a": a, "b": b}, sizes)
                if got != expected_of(A, a, b).applyfunc(sympy.expand).reshape(*got.shape) or \
                        got.shape != expected_of(A, a, b).shape:
                    return False
            return True
        return check

    def grad(A, a, b):
        return row(form(xs, xs, A, a, b))

    return {"the transpose": at(lambda A, a, b: grad(A, a, b).T),
            # the left factor's term (rᵀAᵀ) taken with A for Aᵀ: the form's derivative in its right
            # factor plus its derivative in the left one with A replaced by Aᵀ
            "a square matrix taken as symmetric": at(lambda A, a, b: row(form(x0, xs, A, a, b))
                                                      + row(form(xs, x0, A.T, a, b))),
            "one term of the product rule": at(lambda A, a, b: row(form(x0, xs, A, a, b)))}


def _integrated(i, k):
    """E[X], E[X^2] by scipy's quad of the density (or a pmf summed numerically), with the density
    left out or the limits swapped (g is x in the drawn density variants)."""
    from scipy.integrate import quad

    rv = i["rv"]
    assert sympy.sympify(i["g"]) == rv.var
    lo, hi = float(rv.lower), float(rv.upper)
    f = sympy.lambdify(rv.var, rv.law, "math")
    if rv.form == "density":
        def moment(p, weight=True, a=lo, b=hi):
            return quad(lambda t: t ** p * (f(t) if weight else 1), a, b)[0]
    else:
        def moment(p, weight=True, a=lo, b=hi):
            assert weight and a == lo
            return math.fsum(t ** p * f(t) for t in range(int(lo), int(min(hi, 150)) + 1))  # the tail past 150: < 1e-20
    m1, m2 = moment(1), moment(2)
    s1, s2 = (lambda: moment(1, a=hi, b=lo)), (lambda: moment(2, a=hi, b=lo))  # a density only
    d1, d2 = (lambda: moment(1, False)), (lambda: moment(2, False))
    return {"expectation": {"the density left out": Later(d1),
                            "the limits of the integral swapped": Later(s1),
                            "the probabilities summed against X": m1},
            "variance": {"E[X^2] not reduced": m2, "E[X]^2 taken for E[X^2]": 0.0,
                         "E[X] subtracted instead": m2 - m1,
                         "the limits of the integrals swapped": Later(lambda: s2() - s1() ** 2)},
            "moments": {"E[X^2] given as the variance": (m1, m2), "E[X]^2 taken for E[X^2]": (m1, 0.0),
                        "the density left out": Later(lambda: (d1(), d2() - d1() ** 2)),
                        "the limits of the integrals swapped": Later(lambda: (s1(), s2() - s1() ** 2))}}


def _as_answer(kind, value):
    if isinstance(value, Later):
        return Later(lambda: _as_answer(kind, value()))
    if kind == "moments":
        return A.MomentsAnswer(*value)
    return A.ExpressionAnswer(value)


def _backprop(i, k):
    """Two layers in numpy: forward, δ2 = 2(z2 − t), δ1 = W2ᵀδ2 ⊙ σ'(z1), ∂L/∂W = δ a_prevᵀ — each
    mistake one change to these lines (squared loss; identity, ReLU or sigmoid)."""
    W1, b1, W2, b2, x, t = (F(i[n]) for n in ("W1", "b1", "W2", "b2", "input", "target"))
    act = {"identity": (lambda z: z, lambda z: np.ones_like(z)), "relu": (lambda z: np.maximum(z, 0), lambda z: 1.0 * (z > 0)),
           "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)}[i["activation"]]
    z1 = W1 @ x + b1
    a1 = act[0](z1)
    z2 = W2 @ a1 + b2
    loss = float(((z2 - t) ** 2).sum())

    def grads(d2=2 * (z2 - t), W=W2.T, local=True, outer=lambda d, a: d @ a.T):
        d1 = (W @ d2) * (act[1](z1) if local else 1)
        return A.GradientsAnswer(values={"W1": outer(d1, x), "b1": d1, "W2": outer(d2, a1), "b2": d2}, loss=loss)
    return {"the activation's derivative left out": grads(local=False),
            "W2 for W2^T": Later(lambda: grads(W=W2)),
            "the factor 2 of the squared loss": grads(d2=z2 - t),
            "the error's sign reversed": grads(d2=2 * (t - z2)),
            "the outer product the wrong way round": grads(outer=lambda d, a: a @ d.T)}


ORACLES = {
    "backprop": _backprop,
    **{kind: (lambda kind: lambda i, k: {name: _as_answer(kind, value) for name, value in _integrated(i, k)[kind].items()})(kind)
       for kind in ("expectation", "variance", "moments")},
    "rank": _rank, "matrix_gradient": _matrix_gradient, "change_of_variables": _change_of_variables,
    "coordinates": lambda i, k: {"the basis vectors taken as the rows": np.linalg.solve(_basis(i).T, col(i["x"])),
                                 "B x computed": _basis(i) @ col(i["x"])},
    "change_of_basis": lambda i, k: (lambda B, M, C: {
        "the two bases swapped": Later(lambda: np.linalg.inv(B) @ M @ C),
        "the inverse taken of the wrong": Later(lambda: C @ M @ np.linalg.inv(B)),
        "the inverse forgotten": Later(lambda: C @ M @ B)})(*_cob(i)),
    "norm": _norm, "distance": _distance, "inner": _inner, "angle": _angle, "projection": _projection,
    "gram_schmidt": _gram_schmidt, "complement": _complement, "rotation": _rotation,
    "charpoly": _charpoly, "cholesky": _cholesky, "low_rank": _low_rank,
    "gradient": lambda i, k: {"the gradient written as a column": sympy.Matrix(k.value).transpose()},
    "autodiff": lambda i, k: {"the gradient written as a column": sympy.Matrix(k.value).transpose()},
    "map": _map, "convexity": _convexity, "lagrange": _lagrange,
    "hessian": lambda i, k: {"the mixed partial derivatives left out": sympy.Matrix(
        k.value.rows, k.value.cols, lambda r, c: k.value[r, c] if r == c else 0)},
    "jacobian": lambda i, k: {"the transpose": sympy.Matrix(k.value).transpose()},
    "chain": _chain, "taylor": _taylor,
    "bayes": _bayes, "conditional": _conditional, "marginal": _marginal, "covariance": _covariance,
    "correlation": _correlation, "gaussian_affine": _affine, "gaussian_conditional": _conditioned,
    "sample_stats": _sample, "gaussian_product": _product, "stationary_points": _stationary,
    "gradient_descent": _descent, "mle": _mle,
    "linear_regression": _regression, "pca": _pca, "bayesian_regression": _bayesian, "em_step": _em,
    "lp": _lp, "qp": _qp, "kkt": _kkt, "svm": _svm,
    "convex_conjugate": _conjugate,
}

#: the calculus kinds whose other mistakes are a rule broken in the derivative (test_choices.py)
BROKEN_RULES = ("autodiff", "gradient", "hessian", "jacobian", "partial")
