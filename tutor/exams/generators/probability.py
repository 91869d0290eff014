"""Random variables with small rational probabilities and densities that integrate in closed form."""
from __future__ import annotations

import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import expr_text, matrix_text

_DENOMINATORS = (4, 5, 6, 8, 10)


def pmf_text(rng: random.Random, difficulty: int) -> str:
    """3 or 4 small integer values with probabilities k/d (d in 4, 5, 6, 8, 10), summing to 1."""
    count = 3 if difficulty == 1 else 4
    d = rng.choice(_DENOMINATORS[:2] if difficulty == 1 else _DENOMINATORS[1:])
    while True:  # not all equal (a uniform table is too easy); d > count makes that possible
        cuts = sorted(rng.sample(range(1, d), count - 1))
        weights = [b - a for a, b in zip([0] + cuts, cuts + [d])]
        if len(set(weights)) > 1:
            break
    values = sorted(rng.sample(range(-2 if difficulty > 1 else 0, 5), count))
    return ", ".join(f"{v}: {expr_text(sympy.Rational(w, d))}" for v, w in zip(values, weights))


def _density(rng: random.Random) -> dict[str, Any]:
    """c x^k on [0, a], normalized by the solver: polynomial integrals, rational moments."""
    k, a = rng.choice(((1, 1), (1, 2), (2, 1), (2, 3), (3, 1), (1, 3)))
    return {"pdf": expr_text(sympy.Symbol("x") ** k), "support": f"0,{a}", "normalize": True}


_NAMED = ("Binomial({n}, 1/{d})", "Poisson({n})", "Geometric(1/{d})", "Uniform(0, {n})", "Exponential({n})")


def _named(rng: random.Random) -> dict[str, Any]:
    return {"distribution": rng.choice(_NAMED).format(n=rng.randint(2, 6), d=rng.randint(2, 5))}


def _of(rng: random.Random) -> str:
    return rng.choice(("X^2", "2X + 1", "3X - 2", "(X - 1)^2"))


def _variable(rng: random.Random, difficulty: int, *, with_of: bool) -> dict[str, Any]:
    if difficulty == 1:
        return {"pmf": pmf_text(rng, 1)}
    if difficulty == 2:
        raw = {"pmf": pmf_text(rng, 2)}
        if with_of:
            raw["of"] = _of(rng)
        return raw
    return _density(rng) if rng.random() < 0.6 else _named(rng)


@generator("expectation")
def expectation(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return _variable(rng, difficulty, with_of=True)


@generator("variance")
def variance(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return _variable(rng, difficulty, with_of=True)


@generator("moments")
def moments(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return _variable(rng, difficulty, with_of=False)


# ---------------------------------------------------------------- joint tables, Bayes, data

def _weights(rng: random.Random, count: int, d: int) -> list[sympy.Rational]:
    """``count`` positive probabilities k/d summing to 1, not all equal (needs d > count)."""
    while True:
        cuts = sorted(rng.sample(range(1, d), count - 1))
        weights = [b - a for a, b in zip([0] + cuts, cuts + [d])]
        if len(set(weights)) > 1:
            return [sympy.Rational(w, d) for w in weights]


def joint_table(rng: random.Random, difficulty: int, *, independent: bool) -> dict[str, Any]:
    """A joint pmf of X (rows) and Y (columns): p(x)p(y) for a chosen independence, else free."""
    rows, cols = (2, 2) if difficulty == 1 else rng.choice(((2, 3), (3, 2))) if difficulty == 2 else (3, 3)
    if independent:
        px = _weights(rng, rows, rng.choice([d for d in (3, 4, 5) if d > rows]))
        py = _weights(rng, cols, rng.choice((4, 5, 6)))
        table = [[a * b for b in py] for a in px]
    else:
        while True:
            flat = _weights(rng, rows * cols, rng.choice((10, 12, 16, 20)))
            table = [flat[i * cols:(i + 1) * cols] for i in range(rows)]
            px = [sum(r) for r in table]
            py = [sum(table[i][j] for i in range(rows)) for j in range(cols)]
            if any(table[i][j] != px[i] * py[j] for i in range(rows) for j in range(cols)):
                break
    xs = sorted(rng.sample(range(0, 4), rows))
    ys = sorted(rng.sample(range(-1, 3), cols))
    return {"joint": "[" + ", ".join("[" + ", ".join(expr_text(p) for p in r) + "]" for r in table) + "]",
            "x_values": ",".join(map(str, xs)), "y_values": ",".join(map(str, ys))}


@generator("rv_independence")
def rv_independence(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return joint_table(rng, difficulty, independent=rng.random() < 0.5)


@generator("marginal")
def marginal(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return {**joint_table(rng, difficulty, independent=False), "of": rng.choice(("x", "y"))}


@generator("conditional")
def conditional(rng: random.Random, difficulty: int) -> dict[str, Any]:
    raw = joint_table(rng, difficulty, independent=False)
    name = rng.choice(("x", "y"))
    value = rng.choice(raw[f"{name}_values"].split(","))
    return {**raw, "given": f"{name}={value}"}


@generator("covariance")
def covariance(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return joint_table(rng, difficulty, independent=False)


@generator("correlation")
def correlation(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return joint_table(rng, min(difficulty, 2), independent=False)


@generator("bayes")
def bayes(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Two (three at difficulty 3) hypotheses; prior and likelihoods with small denominators."""
    count = 3 if difficulty == 3 else 2
    prior = _weights(rng, count, rng.choice((4, 5, 10)))
    likelihood = [sympy.Rational(rng.randint(1, d - 1), d) for d in rng.choices((2, 3, 4, 5), k=count)]
    names = "ABC"[:count]  # the checker reads one-letter names (h1 would read as h*1)
    return {"prior": ", ".join(f"{n}: {expr_text(p)}" for n, p in zip(names, prior)),
            "likelihood": ", ".join(f"{n}: {expr_text(p)}" for n, p in zip(names, likelihood))}


@generator("sample_stats")
def sample_stats(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Integer data whose sample mean is an integer: 1-D (1), 2-D points (2, 3)."""
    n = 4 if difficulty < 3 else 5
    dim = 1 if difficulty == 1 else 2
    points = [[rng.randint(-3, 5) for _ in range(dim)] for _ in range(n - 1)]
    last = []
    for j in range(dim):
        r = rng.randint(-3, 5)
        last.append(r - (sum(p[j] for p in points) + r) % n)  # the column sum: a multiple of n
    points.append(last)
    if dim == 1:
        return {"data": "[" + ", ".join(str(p[0]) for p in points) + "]"}
    return {"data": "[" + ", ".join(f"[{p[0]}, {p[1]}]" for p in points) + "]"}


# ---------------------------------------------------------------- Gaussians

def _spd(rng: random.Random, n: int) -> sympy.Matrix:
    """L L^T with L integer lower triangular: a covariance with small integer entries."""
    while True:
        L = sympy.Matrix(n, n, lambda i, j: rng.randint(1, 2) if i == j else rng.randint(-1, 1) if j < i else 0)
        S = L * L.T
        if any(S[i, j] for i in range(n) for j in range(n) if i != j):
            return S


def _vec(values: list[int]) -> str:
    return ",".join(map(str, values))


@generator("gaussian_affine")
def gaussian_affine(rng: random.Random, difficulty: int) -> dict[str, Any]:
    rows = 1 if difficulty == 1 else 2
    while True:
        A = sympy.Matrix(rows, 2, [rng.choice((-1, 1, 2, 0)) for _ in range(2 * rows)])
        if A.rank() == rows:
            break
    raw = {"mean": _vec([rng.randint(-2, 3) for _ in range(2)]), "cov": matrix_text(_spd(rng, 2)),
           "A": matrix_text(A)}
    if difficulty > 1:
        raw["b"] = _vec([rng.randint(-2, 2) for _ in range(rows)])
    return raw


@generator("gaussian_conditional")
def gaussian_conditional(rng: random.Random, difficulty: int) -> dict[str, Any]:
    n = 2 if difficulty < 3 else 3
    return {"mean": _vec([rng.randint(-2, 3) for _ in range(n)]), "cov": matrix_text(_spd(rng, n)),
            "given": f"x_{n}={rng.randint(-2, 3)}"}


@generator("gaussian_product")
def gaussian_product(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """1-D (1), diagonal 2-D (2) or full 2-D covariances (3)."""
    if difficulty == 1:
        return {"mean1": str(rng.randint(-2, 3)), "cov1": str(rng.randint(1, 3)),
                "mean2": str(rng.randint(-2, 3)), "cov2": str(rng.randint(1, 3))}
    def cov() -> str:
        return matrix_text(_spd(rng, 2) if difficulty == 3 else sympy.diag(rng.randint(1, 3), rng.randint(1, 3)))
    return {"mean1": _vec([rng.randint(-2, 3) for _ in range(2)]), "cov1": cov(),
            "mean2": _vec([rng.randint(-2, 3) for _ in range(2)]), "cov2": cov()}


@generator("change_of_variables")
def change_of_variables(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A monotone g on a density with a polynomial law on [0, a]."""
    g = {1: ("2x + 1", "3x", "x + 2"), 2: ("x^2", "x^3", "2x^2"), 3: ("exp(x)", "x^2 + 1", "sqrt(x)")}[difficulty]
    return {"g": rng.choice(g), **_density(rng)}
