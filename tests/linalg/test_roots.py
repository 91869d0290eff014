"""The rational root test with its values and the division by Horner's scheme (issue 18:
"by the rational root test" hid the values and the division), against sympy."""
from __future__ import annotations

import dataclasses
import random

import pytest
import sympy

from tutor import api
from tutor.linalg.roots import LAMBDA as L, RationalRootTest, SyntheticDivision, find_roots
from tutor.rendering.render import render_solution


def _steps(found, cls):
    return [s for s in found.walk() if isinstance(s, cls)]


def test_a_cubic_with_rational_roots_shows_the_values_and_the_scheme():
    found = find_roots(L**3 - 9 * L**2 + 15 * L - 7)  # (λ - 1)²(λ - 7)
    (test,), (division,) = _steps(found, RationalRootTest), _steps(found, SyntheticDivision)
    assert test.candidates == (1, -1, 7, -7) and test.values == (0,) and test.root == 1
    assert test.substituted == ((1, -9, 15, -7),)
    assert division.sums == (1, -8, 7, 0) and division.products == (1, -8, 7)
    assert sympy.expand(division.quotient - (L**2 - 8 * L + 7)) == 0
    assert {r.value: r.multiplicity for r in found.roots} == {1: 2, 7: 1}
    assert all(s.check() for s in found.walk())


def test_a_cubic_without_rational_roots_tries_every_candidate():
    found = find_roots(L**3 - 3 * L + 1)
    (test,) = _steps(found, RationalRootTest)
    assert test.root is None and test.values == (-1, 3) and test.candidates == (1, -1)
    assert not _steps(found, SyntheticDivision) and all(s.check() for s in found.walk())


def test_the_page_writes_each_value_and_the_division_table():
    text = render_solution(api.solve("eigen", matrix="[[2,0,1],[1,3,0],[0,1,1]]"), "text")
    assert "λ = 1:   1 - 6 + 11 - 7 = -1 ≠ 0" in text  # λ³ - 6λ² + 11λ - 7: no rational root
    assert "None of them is a root" in text
    sol = api.solve("eigen", matrix="[[0,1,0],[0,0,1],[6,-11,6]]")  # companion of (λ-1)(λ-2)(λ-3)
    text = render_solution(sol, "text")
    assert "λ = 1:   1 - 6 + 11 - 6 = 0" in text
    assert "  | 1  -6  11  -6\n    1 |     1  -5   6\n    -----------------\n      | 1  -5   6   0" in text
    assert "λ^3 - 6λ^2 + 11λ - 6 = (λ - 1)(λ^2 - 5λ + 6)" in text
    latex = render_solution(sol, "latex")
    assert r"\begin{array}{r|rrrr}" in latex and r"\hline" in latex


@pytest.mark.parametrize("seed", range(40))
def test_random_polynomials_roots_values_and_divisions_against_sympy(seed):
    rng = random.Random(seed)
    factors = [rng.choice([1, 1, 2, 3]) * L - rng.randint(-4, 4) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.6:
        factors.append(L**2 + rng.randint(-3, 3) * L + rng.randint(-5, 5))
    if rng.random() < 0.3:
        factors.append(L**3 - rng.choice([2, 3, 5]))
    p = sympy.expand(rng.choice([1, -1, 2]) * sympy.Mul(*factors))
    found = find_roots(p)
    assert all(s.check() for s in found.walk())
    poly = sympy.Poly(p, L)
    for test in _steps(found, RationalRootTest):  # the values, recomputed by sympy
        q = sympy.Poly(test.polynomial, L)
        assert test.values == tuple(q.eval(c) for c in test.candidates[:len(test.values)])
    for division in _steps(found, SyntheticDivision):
        q, r = sympy.div(division.dividend, L - division.root, L)
        assert r == 0 and sympy.expand(q - division.quotient) == 0
    expected = sympy.roots(poly, filter="Q")
    got = {r.value: r.multiplicity for r in found.roots if r.value.is_Rational}
    assert got == expected
    assert sum(r.multiplicity for r in found.roots) == poly.degree()


def test_wrong_values_or_divisions_fail_their_checks():
    found = find_roots(L**3 - 9 * L**2 + 15 * L - 7)
    (test,), (division,) = _steps(found, RationalRootTest), _steps(found, SyntheticDivision)
    assert not dataclasses.replace(test, values=(1,)).check()
    assert not dataclasses.replace(test, root=sympy.Integer(7)).check()
    assert not dataclasses.replace(division, products=(1, -8, 8)).check()
    assert not dataclasses.replace(division, sums=(1, -8, 7, 1)).check()
    assert not dataclasses.replace(division, quotient=L**2 - 8 * L + 8).check()


def test_a_quartic_tests_again_on_the_quotient_and_a_diagonal_has_no_zero_products():
    text = render_solution(api.solve("eigen", matrix="[[0,1,0,0],[0,0,1,0],[0,0,0,1],[-6,1,7,-1]]"), "text")
    assert text.count("By the rational root test") == 1
    assert "The rational root test again, for the quotient λ^3 + 2λ^2 - 5λ - 6: the candidates" in text
    assert "λ = -1:   -1 + 2 + 5 - 6 = 0" in text
    text = render_solution(api.solve("svd", matrix="[[3,0],[0,4]]"), "text")
    assert "= (9 - λ) · (16 - λ)\n" in text and "0 · 0" not in text
    text = render_solution(api.solve("eigen", matrix="[[0,1,0,0],[0,0,1,0],[0,0,0,1],[-1,4,-6,4]]"), "text")
    assert text.count("So 1 is a root") == 2 and "So 1 is a root, found before: a repeated root." in text
