"""The oracles of the optimization and models chapters tested on altered answers (a sign flip,
a swapped pair, a 1e-6 change, a wrong classification) that they must flag, and on another
correct form of the answer that they must accept."""
from __future__ import annotations

import dataclasses

import sympy

import tutor

from .oracles import flagged, solved

_TINY = sympy.Rational(1, 10**6)


def _point(ans, i: int, **change):
    points = list(ans.points)
    points[i] = dataclasses.replace(points[i], **change)
    return dataclasses.replace(ans, points=tuple(points))


def test_stationary_points_and_descent() -> None:
    raw, ans = solved("stationary_points", function="x^3 - 3x + 2y^2 - 4y + 2", vars="x,y")
    assert not flagged("stationary_points", raw, ans)
    assert flagged("stationary_points", raw, _point(ans, 0, nature="minimum"))        # the saddle
    assert flagged("stationary_points", raw, _point(ans, 1, point=(1 + _TINY, 1)))
    assert flagged("stationary_points", raw, _point(ans, 1, value=ans.points[1].value + _TINY))
    assert flagged("stationary_points", raw, dataclasses.replace(ans, points=ans.points[:1]))   # one missing
    raw, ans = solved("stationary_points", function="x^4 + y^2", vars="x,y")                    # singular Hessian
    assert not flagged("stationary_points", raw, ans) and ans.points[0].nature == "minimum"
    assert flagged("stationary_points", raw, _point(ans, 0, nature="saddle"))
    raw, ans = solved("stationary_points", function="x^3 + y^2", vars="x,y")
    assert not flagged("stationary_points", raw, ans)
    assert flagged("stationary_points", raw, _point(ans, 0, nature="minimum"))

    raw, ans = solved("gradient_descent", A="[[3, 2], [2, 3]]", b="[0, -2]", start="[-3, -3]", step="1/4",
                       iterations=2, momentum="1/2")
    assert not flagged("gradient_descent", raw, ans)
    pts = list(ans.points)
    pts[2] = (pts[2][1], pts[2][0])
    assert flagged("gradient_descent", raw, dataclasses.replace(ans, points=tuple(pts)))
    pts = list(ans.points)
    pts[1] = (pts[1][0] + _TINY, pts[1][1])
    assert flagged("gradient_descent", raw, dataclasses.replace(ans, points=tuple(pts)))
    assert flagged("gradient_descent", raw, dataclasses.replace(ans, values=ans.values[:-1] + (-ans.values[-1],)))


def test_lagrange_and_kkt() -> None:
    raw, ans = solved("lagrange", function="-3x + 4y", constraint=["x^2 + y^2 = 25"], vars="x,y")
    assert not flagged("lagrange", raw, ans)
    first, second = ans.points
    assert flagged("lagrange", raw, dataclasses.replace(ans, points=(dataclasses.replace(first, nature="minimum"),
                                                                      dataclasses.replace(second, nature="maximum"))))
    assert flagged("lagrange", raw, _point(ans, 0, multipliers=(-first.multipliers[0],)))            # sign flip
    assert flagged("lagrange", raw, _point(ans, 0, point=(first.point[1], first.point[0])))         # swapped
    assert flagged("lagrange", raw, dataclasses.replace(ans, points=(first,)))                        # one missing
    # the same candidates listed in the other order are right
    assert not flagged("lagrange", raw, dataclasses.replace(ans, points=(second, first)))

    raw, ans = solved("kkt", function="(x - 1)^2 + (y - 2)^2", constraint=["x + y <= -1", "x >= 0", "y <= 0"],
                       vars="x,y")
    assert not flagged("kkt", raw, ans)
    (p,) = ans.points
    assert flagged("kkt", raw, _point(ans, 0, multipliers=(p.multipliers[0], -p.multipliers[1], p.multipliers[2])))
    assert flagged("kkt", raw, _point(ans, 0, point=(p.point[0] + _TINY, p.point[1])))
    assert flagged("kkt", raw, dataclasses.replace(ans, points=()))
    # a repeated constraint: another split of the multiplier is right too
    raw, ans = solved("kkt", function="(x - 2)^2 + (y - 2)^2", constraint=["x + y <= 0", "x + y <= 0"], vars="x,y")
    assert not flagged("kkt", raw, ans)
    total = sum(ans.points[0].multipliers)
    assert not flagged("kkt", raw, _point(ans, 0, multipliers=(total / 4, 3 * total / 4)))
    assert flagged("kkt", raw, _point(ans, 0, multipliers=(total, total)))


def test_convexity() -> None:
    for function, domain, verdict, wrong in (("x^2 + (x + y)^2", None, "strictly convex", "convex"),
                                             ("(x - y)^2", None, "convex", "strictly convex"),
                                             ("-log(x) - log(y)", "x > 0, y > 0", "strictly convex", "neither"),
                                             ("x*y", None, "neither", "convex"),
                                             ("x^3", "x < 0", "strictly concave", "concave")):
        raw = {"function": function, "vars": "x,y" if "y" in function else "x"}
        if domain:
            raw["domain"] = domain
        ans = tutor.solve("convexity", **raw).answer
        assert ans.value == verdict and not flagged("convexity", raw, ans), (function, ans.value)
        assert flagged("convexity", raw, dataclasses.replace(ans, value=wrong)), function


def test_linear_and_quadratic_programs() -> None:
    raw, ans = solved("lp", c="[-5, -1]", A="[[0, 1], [0, -1], [-1, 0], [1, 1], [1, 0]]", b="[6, 0, 0, 10, 8]")
    assert not flagged("lp", raw, ans)
    assert flagged("lp", raw, dataclasses.replace(ans, x=(ans.x[1], ans.x[0])))
    assert flagged("lp", raw, dataclasses.replace(ans, value=ans.value + _TINY))
    assert flagged("lp", raw, dataclasses.replace(ans, multipliers=tuple(-m for m in ans.multipliers)))
    # a line of optima (c parallel to x + y <= 4): any optimal point is right, a feasible non-optimal one is not
    raw, ans = solved("lp", c="[-1, -1]", A="[[1, 1], [-1, 0], [0, -1]]", b="[4, 0, 0]")
    assert not flagged("lp", raw, ans) and ans.value == -4
    for x in ((1, 3), (4, 0), (sympy.Rational(5, 2), sympy.Rational(3, 2))):
        assert not flagged("lp", raw, dataclasses.replace(ans, x=x))
    assert flagged("lp", raw, dataclasses.replace(ans, x=(1, 2)))
    raw, ans = solved("lp", c="[-1, 0]", A="[[-1, 0], [0, -1]]", b="[0, 0]")
    assert not flagged("lp", raw, ans) and ans.reason == "unbounded"
    assert flagged("lp", raw, dataclasses.replace(ans, reason="infeasible"))

    raw, ans = solved("qp", Q="[[4, 1], [1, 3]]", c="[7, 1]", A="[[1, 0], [-1, 0], [0, 1], [0, -1]]", b="[1, 1, 1, 1]")
    assert not flagged("qp", raw, ans)
    assert flagged("qp", raw, dataclasses.replace(ans, x=(ans.x[0], ans.x[1] + _TINY)))
    assert flagged("qp", raw, dataclasses.replace(ans, multipliers=tuple(-m for m in ans.multipliers)))
    assert flagged("qp", raw, dataclasses.replace(ans, value=ans.value + _TINY))


def test_convex_conjugates() -> None:
    s = sympy.Symbol("s", real=True)
    raw, ans = solved("convex_conjugate", function="-log(x)", var="x", domain="x > 0")
    assert not flagged("convex_conjugate", raw, ans)
    assert flagged("convex_conjugate", raw, dataclasses.replace(ans, value=ans.value + _TINY))
    assert flagged("convex_conjugate", raw, dataclasses.replace(ans, domain=sympy.Interval.open(0, sympy.oo)))
    raw, ans = solved("convex_conjugate", function="max(0, 3 - x)", var="x")
    assert not flagged("convex_conjugate", raw, ans)
    assert flagged("convex_conjugate", raw, dataclasses.replace(ans, value=-3 * s))
    assert flagged("convex_conjugate", raw, dataclasses.replace(ans, domain=sympy.Interval(-1, 1)))
    raw, ans = solved("convex_conjugate", function="log(1 + exp(x))", var="x")   # 0 log 0 at the ends
    assert not flagged("convex_conjugate", raw, ans)


def test_estimates() -> None:
    raw, ans = solved("mle", model="Gaussian(\\mu, \\sigma^2)", data="3,-1,0,-1,2")
    assert not flagged("mle", raw, ans)
    v = dict(ans.values)
    assert flagged("mle", raw, dataclasses.replace(ans, values={**v, "sigma**2": v["sigma**2"] * 5 / 4}))  # 1/(N-1)
    assert flagged("mle", raw, dataclasses.replace(ans, values={**v, "mu": v["mu"] + _TINY}))
    raw, ans = solved("mle", model="Exponential(\\lambda)", data="4,1,2,2")
    assert not flagged("mle", raw, ans)
    assert flagged("mle", raw, dataclasses.replace(ans, values={"lambda": 1 / ans.values["lambda"]}))
    raw, ans = solved("map", model="Bernoulli(\\mu)", prior="Beta(2,3)", data="1,0,0,0")
    assert not flagged("map", raw, ans)
    assert flagged("map", raw, dataclasses.replace(ans, posterior="Beta(6, 3)"))        # a swapped pair
    assert flagged("map", raw, dataclasses.replace(ans, values={"mu": sympy.Rational(3, 9)}))  # the mean, not the mode


def test_regression_and_pca() -> None:
    raw, ans = solved("linear_regression", x="[-1,0,1,2]", y="[-2,0,1,4]", features="1, x, x^2")
    assert not flagged("linear_regression", raw, ans)
    theta = sympy.Matrix(ans.value)
    theta[1] += _TINY
    assert flagged("linear_regression", raw, dataclasses.replace(ans, value=theta))
    assert flagged("linear_regression", raw, dataclasses.replace(ans, noise_variance=ans.noise_variance * 4 / 3))
    raw, ans = solved("linear_regression", x="[-1,0,1]", y="[3,4,3]", ridge="1")
    assert not flagged("linear_regression", raw, ans)
    assert flagged("linear_regression", raw, dataclasses.replace(ans, value=sympy.Matrix([sympy.Rational(10, 3), 0])))

    raw, ans = solved("bayesian_regression", x="[-1,1]", y="[-4,-2]", prior_mean="[0,0]", prior_cov="[[1,0],[0,2]]",
                       noise_var="1", at="-1")
    assert not flagged("bayesian_regression", raw, ans)
    assert flagged("bayesian_regression", raw, dataclasses.replace(ans, mean=-ans.mean))
    assert flagged("bayesian_regression", raw, dataclasses.replace(
        ans, predictive=(ans.predictive[0], ans.predictive[1] - 1)))                    # the noise forgotten

    raw, ans = solved("pca", data="[[7,13],[-11,-11],[6,-5],[-10,7],[-2,1]]")
    assert not flagged("pca", raw, ans)
    flipped = dataclasses.replace(ans, components=(-ans.components[0],), codes=-ans.codes)
    assert not flagged("pca", raw, flipped)                                            # up to sign
    assert flagged("pca", raw, dataclasses.replace(ans, components=(-ans.components[0],)))
    assert flagged("pca", raw, dataclasses.replace(ans, components=(sympy.Matrix([sympy.Rational(4, 5), sympy.Rational(3, 5)]),)))
    assert flagged("pca", raw, dataclasses.replace(ans, variances=ans.variances[::-1]))
    # tied eigenvalues: any orthonormal basis of the eigenspace is right
    raw, ans = solved("pca", data="[[1,0],[-1,0],[0,1],[0,-1]]", k=1)
    assert not flagged("pca", raw, ans)
    r = sympy.sqrt(2) / 2
    X = sympy.Matrix([[1, 0], [-1, 0], [0, 1], [0, -1]])
    assert not flagged("pca", raw, dataclasses.replace(ans, components=(sympy.Matrix([r, r]),),
                                                        codes=X * sympy.Matrix([r, r])))


def test_em_and_svm() -> None:
    raw, ans = solved("em_step", data="[-3,-1,0,1]", weights="[1/2,1/2]", means="[-2,1]", variances="[1,1]")
    assert not flagged("em_step", raw, ans)
    assert flagged("em_step", raw, dataclasses.replace(ans, means=ans.means[::-1]))
    assert flagged("em_step", raw, dataclasses.replace(ans, weights=(ans.weights[0] * (1 + sympy.Float("1e-6")),
                                                                      ans.weights[1])))
    assert flagged("em_step", raw, dataclasses.replace(ans, responsibilities=ans.responsibilities[:, ::-1]))

    raw, ans = solved("svm", data="[[0,2],[0,0],[-1,-1],[-3,-1]]", labels="[1,1,-1,-1]")
    assert not flagged("svm", raw, ans)
    assert flagged("svm", raw, dataclasses.replace(ans, b=-ans.b))
    assert flagged("svm", raw, dataclasses.replace(ans, margin=ans.margin * (1 + _TINY)))
    assert flagged("svm", raw, dataclasses.replace(ans, support=ans.support[:1]))
    assert flagged("svm", raw, dataclasses.replace(ans, alphas=tuple(a * 2 for a in ans.alphas)))
    raw, ans = solved("svm", data="[[3,0],[1,-2],[1,0],[2,-1],[-1,0]]", labels="[1,1,-1,1,-1]", C="1")
    assert not flagged("svm", raw, ans)
    assert flagged("svm", raw, dataclasses.replace(ans, b=ans.b + sympy.Rational(1, 10)))
