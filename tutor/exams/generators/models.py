"""Models meeting data (MML 8-12) with nice numbers: estimates that are simple fractions,
regression data on a line or parabola plus small integer noise, PCA data whose covariance has
integer eigenvalues and Pythagorean axes, two well-separated Gaussian components for EM,
and SVMs with 3-5 points whose w and b are integers."""
from __future__ import annotations

import random
from typing import Any

from tutor.exams.generators import generator


def _list(values: list[Any]) -> str:
    return "[" + ",".join(str(v) for v in values) + "]"


@generator("mle")
def mle(rng: random.Random, difficulty: int) -> dict[str, Any]:
    n = rng.randint(4, 6 + difficulty)
    family = rng.choice(["Bernoulli", "Poisson"] if difficulty == 1 else
                        ["Bernoulli", "Poisson", "Exponential", "Gaussian"])
    if family == "Bernoulli":
        ones = rng.randint(1, n - 1)
        data = [1] * ones + [0] * (n - ones)
        rng.shuffle(data)
        return {"model": "Bernoulli(\\mu)", "data": ",".join(map(str, data))}
    if family == "Poisson":
        return {"model": "Poisson(\\lambda)", "data": ",".join(str(rng.randint(0, 5)) for _ in range(n))}
    if family == "Exponential":
        return {"model": "Exponential(\\lambda)", "data": ",".join(str(rng.randint(1, 4)) for _ in range(n))}
    mean = rng.randint(-3, 3)
    offsets = [rng.randint(-3, 3) for _ in range(n - 1)]
    data = [mean + o for o in offsets] + [mean - sum(offsets)]  # the sample mean is an integer
    model = "Gaussian(\\mu, \\sigma^2)" if difficulty == 3 else "Gaussian(\\mu, 1)"
    return {"model": model, "data": ",".join(map(str, data))}


@generator("map")
def map_estimate(rng: random.Random, difficulty: int) -> dict[str, Any]:
    n = rng.randint(3, 6)
    family = rng.choice(["Bernoulli", "Poisson", "Gaussian"][: 1 + difficulty])
    if family == "Bernoulli":
        data = [rng.randint(0, 1) for _ in range(n)]
        return {"model": "Bernoulli(\\mu)", "prior": f"Beta({rng.randint(2, 4)},{rng.randint(2, 4)})",
                "data": ",".join(map(str, data))}
    if family == "Poisson":
        return {"model": "Poisson(\\lambda)", "prior": f"Gamma({rng.randint(2, 4)},{rng.randint(1, 2)})",
                "data": ",".join(str(rng.randint(0, 5)) for _ in range(n))}
    return {"model": "Gaussian(\\mu, 1)", "prior": f"Gaussian({rng.randint(-2, 2)}, 1)",
            "data": ",".join(str(rng.randint(-3, 5)) for _ in range(n))}


def _regression_data(rng: random.Random, difficulty: int) -> tuple[list[int], list[int], str | None]:
    x = rng.choice([[-1, 0, 1, 2], [-2, -1, 0, 1, 2], [0, 1, 2, 3], [-1, 0, 1]])
    theta = [rng.randint(-2, 3), rng.choice([-2, -1, 1, 2])]
    features = None
    if difficulty == 3 and len(x) >= 4:
        theta.append(rng.choice([-1, 1]))
        features = "1, x, x^2"
    noise = [rng.choice([-1, 0, 0, 1]) if difficulty > 1 else 0 for _ in x]
    y = [sum(t * xi ** k for k, t in enumerate(theta)) + e for xi, e in zip(x, noise)]
    return x, y, features


@generator("linear_regression")
def linear_regression(rng: random.Random, difficulty: int) -> dict[str, Any]:
    x, y, features = _regression_data(rng, difficulty)
    raw: dict[str, Any] = {"x": _list(x), "y": _list(y)}
    if features:
        raw["features"] = features
    if difficulty == 2 and rng.random() < 0.5:
        raw["ridge"] = "1"
    return raw


@generator("bayesian_regression")
def bayesian_regression(rng: random.Random, difficulty: int) -> dict[str, Any]:
    x = rng.choice([[-1, 1], [0, 1], [-1, 0, 1]])
    theta = [rng.randint(-2, 2), rng.choice([-1, 1, 2])]
    y = [theta[0] + theta[1] * xi + rng.choice([-1, 0, 1]) for xi in x]
    raw = {"x": _list(x), "y": _list(y), "prior_mean": "[0,0]",
           "prior_cov": rng.choice(["[[1,0],[0,1]]", "[[2,0],[0,1]]", "[[1,0],[0,2]]"]), "noise_var": "1"}
    if difficulty > 1:
        raw["at"] = str(rng.choice([-1, 2, 3]))
    return raw


@generator("pca")
def pca(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Points ±s(3,4), ±t(-4,3) and the mean (N = 5): the covariance has the eigenvalues 10s²
    and 10t² with the axes (3,4)/5 and (-4,3)/5, integer entries for these s, t; shifted by an
    integer mean."""
    s, t = rng.choice([(2, 3), (3, 2)])  # 3s² + 2t² ≡ 0 (mod 5): the covariance has integer entries
    a, b = rng.choice([(3, 4), (4, 3)])
    if rng.random() < 0.5:
        a = -a
    m = [rng.randint(-2, 2), rng.randint(-2, 2)]
    points = [(s * a, s * b), (-s * a, -s * b), (-t * b, t * a), (t * b, -t * a), (0, 0)]
    rng.shuffle(points)
    return {"data": _list([f"[{p + m[0]},{q + m[1]}]" for p, q in points])}


@generator("em_step")
def em_step(rng: random.Random, difficulty: int) -> dict[str, Any]:
    left, right = rng.randint(-3, -2), rng.randint(1, 2)  # apart, but each point shared a little
    spread = 3 if difficulty > 1 else 2  # points per component, distinct: no component collapses
    data = sorted([left + o for o in rng.sample([-1, 0, 1], spread)] + [right + o for o in rng.sample([-1, 0, 1], spread)])
    weights = "[1/2,1/2]" if difficulty < 3 else rng.choice(["[1/3,2/3]", "[2/3,1/3]"])
    return {"data": _list(data), "weights": weights, "means": _list([left, right]), "variances": "[1,1]"}


@generator("svm")
def svm(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A negative support vector p, a positive one p + d with d ∥ w, and 1-3 points beyond the
    margins: w = 2d/‖d‖², an integer vector for d = (1,1), (2,0), (0,2), (1,-1)."""
    d = rng.choice([(1, 1), (2, 0), (0, 2), (1, -1)])
    p = (rng.randint(-2, 1), rng.randint(-2, 1))
    q = (p[0] + d[0], p[1] + d[1])
    perp = (-d[1], d[0])
    points, labels = [p, q], [-1, 1]
    for _ in range(1 + difficulty // 2 + rng.randint(0, 1)):
        side = rng.choice([-1, 1])
        base = q if side > 0 else p
        k, j = rng.randint(0, 1), rng.choice([-1, 1])
        extra = (base[0] + side * k * d[0] + j * perp[0], base[1] + side * k * d[1] + j * perp[1])
        if extra not in points:
            points.append(extra)
            labels.append(side)
    order = list(range(len(points)))
    rng.shuffle(order)
    raw = {"data": _list([f"[{points[i][0]},{points[i][1]}]" for i in order]),
           "labels": _list([labels[i] for i in order])}
    if difficulty == 3 and rng.random() < 0.5:
        raw["C"] = "1"
    return raw
