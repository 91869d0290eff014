"""The exact arithmetic on an RBF kernel's numbers (tutor.models.exponentials) against sympy."""
from __future__ import annotations

import random

import mpmath
import sympy

from tutor.models.exponentials import Exponentials, Ratio, value


def test_cramer_at_a_power_of_two_solves_exactly_as_sympy():
    """A random system with entries ±exp(−k/2) and a rational right-hand side: the solution
    read back from integers at t = 2^B equals sympy's exact solution at 60 digits."""
    rng = random.Random(4)
    n = 4
    K = sympy.Matrix(n, n, lambda i, j: sympy.exp(-sympy.Rational(rng.randint(0, 30), 2)))
    ar = Exponentials(K, sympy.Rational(3, 2))
    rows = [[ar.K[i][j] * rng.choice((1, -1)) for j in range(n)] for i in range(n)]
    rhs = [1 - ar.C * ar.K[i][0] for i in range(n)]
    solution, _ = ar.solve(rows, rhs, [])
    back = lambda a: ar.expr(a)  # noqa: E731
    M = sympy.Matrix(n, n, lambda i, j: back(Ratio(rows[i][j].num, rows[i][j].den)))
    r = sympy.Matrix([back(Ratio(e.num, e.den)) for e in rhs])
    exact = M.LUsolve(r)
    for got, want in zip(solution, exact):
        assert abs(sympy.N(back(got) - want, 60)) < 1e-45


def test_value_and_signs_at_fifty_digits():
    e = sympy.exp(-sympy.Rational(1, 2))
    x = (3 - e) / (1 + e ** 3)
    with mpmath.workdps(50):
        assert abs(value(x) - mpmath.mpf(sympy.N(x, 60))) < mpmath.mpf(10) ** -45
    ar = Exponentials(sympy.Matrix([[1, e], [e, 1]]), None)
    t = ar.K[0][1]
    assert ar.positive(1 - t) and not ar.positive(t - 1) and ar.at_least(t, t) and not ar.at_least(t * t, t)
