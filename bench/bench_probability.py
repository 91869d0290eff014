"""expectation/variance with steps next to sympy.stats on the same inputs (goal: ≤ 3×)."""
from __future__ import annotations

import time

import sympy
from sympy import stats

import tutor


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


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
    yield "Exponential(λ)", dict(distribution=r"Exponential(\lambda)"), stats.Exponential("X", lam)


def main() -> None:
    """Parsing the text input is timed apart: sympy.stats gets ready-made objects."""
    print(f"{'case':22} {'kind':12} {'parse s':>9} {'steps s':>9} {'sympy s':>9} {'ratio':>7}")
    for name, inputs, X in _cases():
        for kind, bare in (("expectation", lambda: stats.E(X)), ("variance", lambda: stats.variance(X))):
            parse = _time(lambda: tutor.make_problem(kind, **inputs))
            problem = tutor.make_problem(kind, **inputs)
            t = _time(lambda: tutor.solve(problem))
            s = _time(bare)
            print(f"{name:22} {kind:12} {parse:9.4f} {t:9.4f} {s:9.4f} {t / s:7.2f}")


if __name__ == "__main__":
    main()
