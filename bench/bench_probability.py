"""expectation/variance with steps next to sympy.stats on the same inputs (goal: ≤ 3×).

Both sides are timed with :func:`bench.common.best_time`, which clears sympy's cache
before each run (otherwise the second run is a cache lookup for both sides).  Parsing
the text input is timed apart: sympy.stats gets ready-made objects.
"""
from __future__ import annotations

import sympy
from sympy import stats

import tutor

from bench.common import best_time, ms, table


def _cases():
    for n in (2, 10, 50, 200):
        probs = {k: sympy.Rational(1, n) for k in range(n)}
        pmf = ", ".join(f"{k}: 1/{n}" for k in range(n))
        X = stats.FiniteRV("X", probs)
        yield f"pmf, {n} values", dict(pmf=pmf), X
    x = sympy.Symbol("x")
    yield "pdf 2x on [0,1]", dict(pdf="2x", support="0,1"), stats.ContinuousRV(
        x, 2 * x, sympy.Interval(0, 1))
    lam = sympy.Symbol("lambda", positive=True)
    mu = sympy.Symbol("mu", real=True)
    sigma = sympy.Symbol("sigma", positive=True)
    a, b = sympy.symbols("a b", real=True)
    alpha, beta = sympy.symbols("alpha beta", positive=True)
    yield "Exponential(λ)", dict(distribution=r"Exponential(\lambda)"), stats.Exponential("X", lam)
    yield "Gaussian(μ, σ²)", dict(distribution=r"Gaussian(\mu, \sigma^2)"), stats.Normal("X", mu, sigma)
    yield "Uniform(a, b)", dict(distribution="Uniform(a, b)"), stats.Uniform("X", a, b)
    yield "Beta(α, β)", dict(distribution=r"Beta(\alpha, \beta)"), stats.Beta("X", alpha, beta)
    yield "Exponential(2)", dict(distribution="Exponential(2)"), stats.Exponential("X", 2)
    yield "Gaussian(1, 4)", dict(distribution="Gaussian(1, 4)"), stats.Normal("X", 1, 2)
    yield "Uniform(0, 3)", dict(distribution="Uniform(0, 3)"), stats.Uniform("X", 0, 3)
    yield "Beta(2, 3)", dict(distribution="Beta(2, 3)"), stats.Beta("X", 2, 3)


def main() -> None:
    rows = []
    for name, inputs, X in _cases():
        for kind, bare in (("expectation", lambda: stats.E(X)), ("variance", lambda: stats.variance(X))):
            parse = best_time(lambda: tutor.make_problem(kind, **inputs))
            problem = tutor.make_problem(kind, **inputs)
            steps = best_time(lambda: tutor.solve(problem))
            plain = best_time(bare)
            rows.append([name, kind, ms(parse), ms(steps), ms(plain), f"{steps / plain:.2f}"])
    table(["case", "kind", "parse ms", "steps ms", "sympy ms", "ratio"], rows)


if __name__ == "__main__":
    main()
