"""The models kinds with steps vs the bare sympy/mpmath computation of the same answer, on the
same classroom inputs, and the two sizes the issue names (PCA of 10 points in 3-D, regression
with 20 points and 4 features, each at most 1 s with steps).

The bare computations: the log-likelihood's derivative solved by ``sympy.solve``; the normal
equations by ``Matrix.solve``; the posterior by two ``inv()``; PCA by ``eigenvects`` of the
covariance; the EM step in mpmath at the same 30 digits; the SVM by sympy's ``solve`` of the
KKT system of the support set the tutor found (the search itself has no one-line equivalent,
so that row flatters the baseline).
"""
from __future__ import annotations

import random
from typing import Callable

import mpmath
import sympy

import tutor

from bench.common import best_time, ms, table


def _mle_bare() -> object:
    mu = sympy.Symbol("mu", positive=True)
    data = [1, 0, 1, 1, 0, 1]
    nll = -sum(sympy.log(mu ** x * (1 - mu) ** (1 - x)) for x in data)
    return sympy.solve(sympy.diff(nll, mu), mu)


def _regression_bare(xs: list[int], ys: list[int], degree: int) -> object:
    Phi = sympy.Matrix([[x ** k for k in range(degree + 1)] for x in xs])
    y = sympy.Matrix(ys)
    return (Phi.T * Phi).solve(Phi.T * y)


def _bayes_bare() -> object:
    Phi = sympy.Matrix([[1, -1], [1, 0], [1, 1], [1, 2]])
    y = sympy.Matrix([1, 0, 2, 5])
    S = (sympy.eye(2) + Phi.T * Phi).inv()
    return S, S * (Phi.T * y)


def _pca_bare(data: list[list[int]]) -> object:
    X = sympy.Matrix(data)
    mean = sympy.Matrix([[sum(X.col(j)) / X.rows for j in range(X.cols)]])
    C = X - sympy.ones(X.rows, 1) * mean
    return [(v, [w / w.norm() for w in ws]) for v, _, ws in (C.T * C / X.rows).eigenvects()]


def _em_bare() -> object:
    data, pi, mu, var = [-3, -2.5, -1, 0, 2, 4, 5], [1 / 3] * 3, [-4, 0, 8], [1, 0.2, 3]
    with mpmath.workdps(30):
        r = [[p * mpmath.npdf(x, m, mpmath.sqrt(v)) for p, m, v in zip(pi, mu, var)] for x in data]
        r = [[e / sum(row) for e in row] for row in r]
        n = [sum(row[k] for row in r) for k in range(3)]
        means = [sum(row[k] * x for row, x in zip(r, data)) / n[k] for k in range(3)]
        return means, [sum(row[k] * (x - means[k]) ** 2 for row, x in zip(r, data)) / n[k] for k in range(3)]


def _svm_bare() -> object:
    a1, a3, b = sympy.symbols("a1 a3 b")
    return sympy.solve([2 * a1 + b - 1, -(0 * a3) - b - 1 + 0, a1 - a3], [a1, a3, b])


def _cases(rng: random.Random) -> list[tuple[str, Callable[[], object], Callable[[], object]]]:
    xs20 = rng.sample(range(-15, 16), 20)
    ys20 = [rng.randint(-9, 9) for _ in xs20]
    # ±s, ±t, ±r along the orthogonal axes (1,2,2), (2,1,-2), (2,-2,1), twice for the first, and
    # shifted: rational eigenvalues (random integer points usually give an irreducible cubic)
    axes, scales = [(1, 2, 2), (2, 1, -2), (2, -2, 1), (1, 2, 2)], [1, 2, 3, 2]
    shift = [rng.randint(-2, 2) for _ in range(3)]
    pca10 = [[sign * c * a + m for a, m in zip(axis, shift)]
             for axis, c in zip(axes, scales) for sign in (1, -1)] + [shift, shift]
    rand10 = [[rng.randint(-3, 3) for _ in range(3)] for _ in range(10)]  # usually an irreducible cubic
    return [
        ("mle", lambda: tutor.solve("mle", model="Bernoulli(\\mu)", data="1,0,1,1,0,1"), _mle_bare),
        ("map", lambda: tutor.solve("map", model="Bernoulli(\\mu)", prior="Beta(2,2)", data="1,0,1,1,0,1"),
         _mle_bare),
        ("linear_regression", lambda: tutor.solve("linear_regression", x="[-1,0,1,2]", y="[1,0,2,5]"),
         lambda: _regression_bare([-1, 0, 1, 2], [1, 0, 2, 5], 1)),
        ("regression 20 pts, 4 features",
         lambda: tutor.solve("linear_regression", x=str(xs20), y=str(ys20), features="1, x, x^2, x^3"),
         lambda: _regression_bare(xs20, ys20, 3)),
        ("bayesian_regression", lambda: tutor.solve("bayesian_regression", x="[-1,0,1,2]", y="[1,0,2,5]",
                                                    prior_mean="[0,0]", prior_cov="[[1,0],[0,1]]",
                                                    noise_var="1", at="2"), _bayes_bare),
        ("pca", lambda: tutor.solve("pca", data="[[2,0],[0,2],[-2,0],[0,-2],[1,1]]"),
         lambda: _pca_bare([[2, 0], [0, 2], [-2, 0], [0, -2], [1, 1]])),
        ("pca 10 pts in 3-D", lambda: tutor.solve("pca", data=str(pca10), k="2"), lambda: _pca_bare(pca10)),
        ("pca 10 random pts in 3-D (cubic)", lambda: tutor.solve("pca", data=str(rand10), k="2"),
         lambda: _pca_bare(rand10)),
        ("em_step", lambda: tutor.solve("em_step", data="[-3,-2.5,-1,0,2,4,5]", weights="[1/3,1/3,1/3]",
                                        means="[-4,0,8]", variances="[1,0.2,3]"), _em_bare),
        ("svm", lambda: tutor.solve("svm", data="[[1,1],[2,2],[0,0],[-1,0]]", labels="[1,1,-1,-1]"), _svm_bare),
    ]


def main() -> None:
    rng = random.Random(7)
    rows = []
    for name, ours_fn, theirs_fn in _cases(rng):
        try:
            ours = best_time(ours_fn)
        except tutor.TutorError as e:  # an irreducible cubic in the random PCA: say so
            rows.append([name, f"refused: {e}"[:40], "", ""])
            continue
        theirs = best_time(theirs_fn)
        rows.append([name, ms(ours), ms(theirs), f"{ours / theirs:.1f}"])
    table(["kind", "tutor ms", "bare ms", "ratio"], rows)


if __name__ == "__main__":
    main()
