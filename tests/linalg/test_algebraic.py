"""tutor.linalg.algebraic: exact arithmetic in Q(r) for a CRootOf r and in Q(√d, i), against sympy."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy
from sympy import I, Rational, sqrt

from tutor.linalg.algebraic import (FieldNumber, field_form, in_root_field, projected, quadratic_field, rank,
                                    to_field_number)

x = sympy.Symbol("x")


def reduced(e: sympy.Expr) -> sympy.Expr:
    return in_root_field(lambda v: v, e)


def test_reduced_is_the_polynomial_of_degree_below_the_root_polynomial() -> None:
    r = sympy.CRootOf(x**3 - 3 * x - 3, 0)
    # (r**3 + r)/2: a constant denominator was dropped (the value came back doubled)
    for e in [r**5, (r**2 + 1) * (r - 4), 1 / (r + 1), (r**4 - r) / (2 * r**2 - 1), (r**3 + r) / 2,
              r**4 / 3 - Rational(1, 2)]:
        got = reduced(e)
        assert sympy.degree(got.xreplace({r: x}), x) < 3
        assert abs(complex(sympy.N(got - e, 50))) < 1e-40
    assert reduced(sqrt(2) + 1) == sqrt(2) + 1  # not a number of one root: as it is


def test_products_in_the_root_field_match_sympy() -> None:
    r = sympy.CRootOf(x**4 - 3 * x**3 + x**2 + 2 * x + 2, 2)  # complex
    A = sympy.Matrix([[0, 0, 0, -2], [1, 0, 0, -2], [0, 1, 0, -1], [0, 0, 1, 3]])
    v = sympy.Matrix([r**2 + 1, r - 3, 2 * r**3, 1])
    got = in_root_field(lambda w: A * w, v)
    assert all(sympy.degree(e.xreplace({r: x}), x) < 4 for e in got)
    assert max(abs(complex(sympy.N(e, 50))) for e in got - A * v) < 1e-40


@pytest.mark.parametrize("seed", range(5))
def test_field_numbers_compute_as_sympy_does(seed: int) -> None:
    rng = random.Random(seed)
    gen = rng.choice([sqrt(2), sqrt(13), I, sqrt(3) * I])
    values = [Rational(rng.randint(-9, 9), rng.randint(1, 5)) + Rational(rng.randint(-9, 9), rng.randint(1, 5)) * gen
              for _ in range(4)]
    K = quadratic_field(values)
    a, b, c, d = (to_field_number(K, v) for v in values)
    got = sympy.sympify((a * b - c) / (d if d != 0 else 1) + Fraction(1, 3) - 2 * a)
    expected = (values[0] * values[1] - values[2]) / (values[3] if values[3] != 0 else 1) + Rational(1, 3) - 2 * values[0]
    assert sympy.simplify(got - expected) == 0
    assert (a - a) == 0 and not (a - a) and isinstance(a * 0 + 1, int)


def test_quadratic_field_only_for_square_roots_of_rationals_and_i() -> None:
    assert quadratic_field([Rational(1, 2), 3 - sqrt(5)]) is not None
    assert quadratic_field([1 + sqrt(3) * I]) is not None
    for other in [[Rational(1)], [sympy.cbrt(2)], [sqrt(1 + sqrt(2))], [sympy.pi], [x + sqrt(2)],
                  [sqrt(2), sqrt(3), sqrt(5)], [sympy.CRootOf(x**3 - x - 1, 0)]]:
        assert quadratic_field(other) is None, other


def test_rank_and_forms_over_a_quadratic_field() -> None:
    lam = Rational(43, 2) - sqrt(561) / 2
    G = sympy.Matrix([[9, 9, -6, -9], [9, 17, -12, -4], [-6, -12, 6, 3], [-9, -4, 3, 11]])
    for M in [G, G - lam * sympy.eye(4), sympy.Matrix([[1, sqrt(2)], [sqrt(2), 2]]), sympy.Matrix([[1, I], [I, -1]])]:
        assert rank(M) == M.rank(simplify=True)
    M = sympy.Matrix([[(1 + sqrt(2))**2, 1 / (1 - sqrt(2))]])
    assert field_form(M) == sympy.Matrix([[3 + 2 * sqrt(2), -1 - sqrt(2)]])


def test_projected_is_a_times_the_projection() -> None:
    A = sympy.Matrix([[0, -1, 3], [-1, 0, -2], [0, 1, -3]])
    w = sympy.Matrix([23 + 3 * sqrt(57), 14 + 2 * sqrt(57), 4])
    assert sympy.simplify(projected(A, w) - A * w * w.T / (w.T * w)[0]) == sympy.zeros(3, 3)
    assert projected(A, sympy.Matrix([1, sympy.cbrt(2), 0])) is None
    assert isinstance(to_field_number(quadratic_field([sqrt(2)]), sqrt(2)), FieldNumber)
