"""Optimization problems with nice numbers, built backwards from the answer.

Stationary points at integers (a cubic whose derivative is 3(x - p)(x - q), quadratics
around an integer point, x³ - 3p²x + c(y - q - kx)² with a saddle and an extremum); gradient
descent on a small integer quadratic with a step 1/k that converges; Lagrange on the
classroom constraints (x + y = c, x² + y² = r² with a Pythagorean f); KKT as the projection
of an integer point onto a half-plane; LPs on a box with a corner cut (integer vertices);
QPs whose optimum, active set and multipliers are chosen first; convexity and conjugates
from the families a course uses.
"""
from __future__ import annotations

import math
import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import expr_text, matrix_text, nonzero, vector_text

x, y = sympy.symbols("x y")


@generator("stationary_points")
def stationary_points(rng: random.Random, difficulty: int) -> dict[str, Any]:
    if difficulty == 1:
        p = rng.randint(-3, 2)
        q = p + 2 * rng.randint(1, 2)
        f = x ** 3 - sympy.Rational(3, 2) * (p + q) * x ** 2 + 3 * p * q * x + rng.randint(-5, 5)
        return {"function": expr_text(sympy.expand(nonzero(rng, 1) * f))}
    p, q = rng.randint(-2, 2), rng.randint(-2, 2)
    if difficulty == 2:
        a, c = nonzero(rng, 3), nonzero(rng, 3)
        b = rng.choice([k for k in range(-3, 4) if 4 * a * c - k * k != 0])
        f = a * (x - p) ** 2 + b * (x - p) * (y - q) + c * (y - q) ** 2 + rng.randint(-4, 4)
    else:  # coupled (not separable): stationary at (±p, q ± kp), one saddle and one extremum
        p, k = rng.randint(1, 2), nonzero(rng, 1)
        f = x ** 3 - 3 * p ** 2 * x + nonzero(rng, 2) * (y - q - k * x) ** 2
    return {"function": expr_text(sympy.expand(f)), "vars": "x,y"}


@generator("gradient_descent")
def gradient_descent(rng: random.Random, difficulty: int) -> dict[str, Any]:
    if difficulty == 1:
        A = sympy.diag(rng.randint(1, 3), rng.randint(2, 6))
    else:  # integer eigenvalues: 1, 3 / 2, 4 / 1, 6 / 2, 7 / 1, 5
        A = sympy.Matrix(rng.choice([[[2, 1], [1, 2]], [[3, 1], [1, 3]], [[5, 2], [2, 2]],
                                     [[3, -2], [-2, 6]], [[3, 2], [2, 3]], [[2, -1], [-1, 2]]]))
    lam = max(A.eigenvals())
    k = rng.choice([k for k in (2, 4, 5, 8, 10) if 2 * k > lam])
    raw = {"A": matrix_text(A), "b": vector_text([rng.randint(-2, 2), rng.randint(-2, 2)]),
           "start": vector_text([nonzero(rng, 3), nonzero(rng, 3)]), "step": f"1/{k}",
           "iterations": 2 if difficulty < 3 else 3}
    if difficulty == 3 and rng.random() < 0.5:
        raw["momentum"] = "1/2"
    return raw


_TRIPLES = [(3, 4, 5), (4, 3, 5), (5, 12, 13), (12, 5, 13), (6, 8, 10), (8, 6, 10)]


@generator("lagrange")
def lagrange(rng: random.Random, difficulty: int) -> dict[str, Any]:
    if difficulty == 1:
        c = 2 * rng.randint(1, 6)
        return {"function": "x*y", "constraint": [f"x + y = {c}"], "vars": "x,y"}
    if difficulty == 2:
        a, b, h = rng.choice(_TRIPLES)
        sa, sb = nonzero(rng, 1), nonzero(rng, 1)
        return {"function": expr_text(sa * a * x + sb * b * y), "constraint": [f"x^2 + y^2 = {h * h}"],
                "vars": "x,y"}
    a, b = nonzero(rng, 2), nonzero(rng, 2)
    c = (a * a + b * b) * rng.randint(1, 2)
    return {"function": "x^2 + y^2", "constraint": [expr_text(a * x + b * y) + f" = {c}"], "vars": "x,y"}


@generator("kkt")
def kkt(rng: random.Random, difficulty: int) -> dict[str, Any]:
    p, q = rng.randint(1, 4), rng.randint(1, 4)
    s = p + q - 2 * rng.randint(1, 2)  # the point lies outside x + y <= s: that constraint is active
    constraints = [f"x + y <= {s}"]
    if difficulty >= 2:
        constraints.append("x >= 0")
    if difficulty == 3:
        constraints.append(f"y <= {rng.randint(0, q)}")
    return {"function": expr_text((x - p) ** 2 + (y - q) ** 2), "constraint": constraints, "vars": "x,y"}


@generator("lp")
def lp(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A box [0, a] x [0, b] with the corner (a, b) cut by the line through (a, b1), (a1, b);
    at difficulty 3 a box in three variables cut by x_1 + x_2 + x_3 <= s, for the simplex
    method (integer vertices: the plane meets the box's edges at integers)."""
    if difficulty == 3:
        return _lp3(rng)
    a, b = rng.randint(3, 8), rng.randint(3, 8)
    a1, b1 = rng.randint(1, a - 1), rng.randint(1, b - 1)
    u, v = b - b1, a - a1
    g = math.gcd(u, v)
    u, v = u // g, v // g
    rows = [[-1, 0], [0, -1], [1, 0], [0, 1], [u, v]]
    rhs = [0, 0, a, b, u * a + v * b1]
    if difficulty == 1:
        rows, rhs = rows[:2] + rows[4:], rhs[:2] + rhs[4:]
    order = list(range(len(rows)))
    rng.shuffle(order)
    c = [-rng.randint(1, 5), -rng.randint(1, 5)] if difficulty < 3 else [nonzero(rng, 5), nonzero(rng, 5)]
    return {"c": vector_text(c), "A": matrix_text([rows[i] for i in order]),
            "b": vector_text([rhs[i] for i in order])}


def _lp3(rng: random.Random) -> dict[str, Any]:
    bounds = [rng.randint(2, 6) for _ in range(3)]
    cut = rng.randint(max(bounds) + 1, sum(bounds) - 1)
    rows = [[-int(i == j) for i in range(3)] for j in range(3)] + [[int(i == j) for i in range(3)] for j in range(3)]
    rows.append([1, 1, 1])
    rhs = [0, 0, 0] + bounds + [cut]
    c = [-rng.randint(1, 4) for _ in range(3)]
    return {"c": vector_text(c), "A": matrix_text(rows), "b": vector_text(rhs)}


@generator("qp")
def qp(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Optimum x* on the box |x_i| <= u with one (two at difficulty 3) active bounds and
    integer multipliers; c = -Q x* - A_Sᵀ λ_S makes it the optimum."""
    Q = sympy.Matrix([[rng.randint(2, 4), rng.choice([-1, 0, 1])], [0, rng.randint(2, 4)]])
    Q[1, 0] = Q[0, 1]
    u = rng.randint(1, 2)
    A = sympy.Matrix([[1, 0], [-1, 0], [0, 1], [0, -1]])
    b = sympy.Matrix([u] * 4)
    active = rng.sample(range(4), 1 if difficulty < 3 else 2)
    if len(active) == 2 and active[0] // 2 == active[1] // 2:
        active = [active[0], (active[0] + 2) % 4]
    xs = [rng.randint(-u + 1, u - 1) if u > 1 else 0, rng.randint(-u + 1, u - 1) if u > 1 else 0]
    for i in active:
        xs[i // 2] = u if i % 2 == 0 else -u
    lam = sympy.zeros(4, 1)
    for i in active:
        lam[i] = rng.randint(1, 3)
    c = -Q * sympy.Matrix(xs) - A.T * lam
    return {"Q": matrix_text(Q), "c": vector_text(c), "A": matrix_text(A), "b": vector_text(b)}


@generator("convexity")
def convexity(rng: random.Random, difficulty: int) -> dict[str, Any]:
    if difficulty == 1:
        a, c = rng.randint(1, 3), rng.randint(1, 3)
        b = rng.randint(-4, 4)
        sign = rng.choice([1, -1])
        return {"function": expr_text(sign * (a * x ** 2 + b * x * y + c * y ** 2)), "vars": "x,y"}
    if difficulty == 2:
        return rng.choice([{"function": "x^4 + y^2", "vars": "x,y"}, {"function": "e^x + y^2", "vars": "x,y"},
                           {"function": "x^3", "vars": "x"}, {"function": "x log(x)", "vars": "x", "domain": "x > 0"},
                           {"function": "x^2 y^2", "vars": "x,y"}, {"function": "-log(x)", "vars": "x", "domain": "x > 0"}])
    f = expr_text(x ** 3 + rng.randint(1, 3) * (x - y) ** 2)
    # coupled (not separable): the Hessian has a nonzero off-diagonal entry to reckon with
    return rng.choice([{"function": f, "vars": "x,y", "domain": "x > 0"}, {"function": f, "vars": "x,y"},
                       {"function": "log(x + y) + log(y)", "vars": "x,y", "domain": "x > 0, y > 0"}])


@generator("convex_conjugate")
def convex_conjugate(rng: random.Random, difficulty: int) -> dict[str, Any]:
    if difficulty == 1:
        a = rng.choice(["1/2", "1", "2", "3/2"])
        return {"function": f"{a}x^2 + {rng.randint(-3, 3)}x".replace("+ -", "- "), "var": "x"}
    if difficulty == 2:
        return rng.choice([{"function": "e^x", "var": "x"}, {"function": "x log(x)", "var": "x", "domain": "x > 0"},
                           {"function": "-log(x)", "var": "x", "domain": "x > 0"}])
    k = rng.randint(1, 3)
    return rng.choice([{"function": f"max(0, {k} - x)", "var": "x"}, {"function": f"max(0, 1 - {k}x)", "var": "x"},
                       {"function": f"e^({k}x)", "var": "x"}])
