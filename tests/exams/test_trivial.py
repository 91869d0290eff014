"""Difficulty 3 draws no trivial items (issue 18): no separable function where the question is
about derivatives, no eigenvalue to read off, no triangular matrix to eliminate, no derivation
less than half as long as the kind's typical one.

The drawn variants are checked with oracles independent of tutor.exams.generators.trivial: a
second difference for separability, numpy for the matrix patterns.
"""
from __future__ import annotations

import random
from fractions import Fraction

import numpy
import pytest
import sympy

from tutor import topics
from tutor.exams.generators import Variant, draw, trivial

SEEDS = range(12)


def _variant(kind: str, raw: dict) -> Variant:
    problem = topics.get(kind).make(dict(raw))
    return Variant(kind, 3, raw, problem, topics.solve(problem))


def _coupled(f: sympy.Expr, variables) -> bool:
    """Some pair of variables does not separate: f(a+h, b+k) - f(a+h, b) - f(a, b+k) + f(a, b) != 0
    at a rational point (zero everywhere for f = g(x) + h(y))."""
    rng = random.Random(0)
    for u, v in ((u, v) for i, u in enumerate(variables) for v in variables[i + 1:]):
        for _ in range(3):
            point = {w: sympy.Rational(rng.randint(1, 9), rng.randint(2, 5)) for w in variables}
            a, b, h, k = point[u], point[v], Fraction(1, 3), Fraction(2, 7)

            def at(du, dv):
                return f.subs({**point, u: a + du, v: b + dv})
            if abs(sympy.N(at(h, k) - at(h, 0) - at(0, k) + at(0, 0), 30)) > 1e-12:
                return True
    return False


def test_the_issue_example_a_gradient_of_a_separable_polynomial_is_trivial():
    v = _variant("gradient", {"function": "2x^2 - y + 3z^3", "vars": "x,y,z", "at": "x=1,y=0,z=-1"})
    assert trivial.triviality(v) == "a separable function"
    assert trivial.triviality(_variant("gradient", {"function": "2x^2*y - y + 3z^3", "vars": "x,y,z",
                                                    "at": "x=1,y=0,z=-1"})) is None


def test_matrix_patterns():
    assert trivial.read_off(sympy.Matrix([[1, 2, 3], [0, 4, 0], [5, 6, 7]]))  # row 2 zero off the diagonal
    assert trivial.read_off(sympy.Matrix([[1, 2], [0, 3]]))
    assert not trivial.read_off(sympy.Matrix([[1, 2], [3, 4]]))
    assert trivial.triangular(sympy.Matrix([[1, 0, 0], [2, 3, 0], [4, 5, 6]]))
    assert trivial.triangular(sympy.Matrix([[1, 2, 3, 4], [0, 5, 6, 7], [0, 0, 8, 9]]))
    assert not trivial.triangular(sympy.Matrix([[1, 2], [3, 4]]))
    eigen = _variant("eigen", {"matrix": "[[2, 1, 0], [0, 3, 1], [0, 0, 5]]"})
    assert trivial.triviality(eigen) == "an eigenvalue can be read off"


@pytest.mark.parametrize("kind", sorted(trivial.SEPARABLE))
def test_functions_at_difficulty_3_are_coupled(kind):
    for seed in SEEDS:
        v = draw(kind, random.Random(seed), 3, recheck=False)
        inputs = v.problem.inputs
        f = inputs.get("outer", inputs.get("function"))
        variables = sorted(f.free_symbols, key=str)
        if len(variables) >= 2:
            assert _coupled(f, variables), (kind, v.raw)


def _off_diagonal_zero_line(M: numpy.ndarray) -> bool:
    off = M - numpy.diag(numpy.diag(M))
    return bool((~off.any(axis=0)).any() or (~off.any(axis=1)).any())


@pytest.mark.parametrize("kind", sorted(trivial.READ_OFF | trivial.GRAM | trivial.TRIANGULAR))
def test_matrices_at_difficulty_3_are_not_read_off_nor_triangular(kind):
    for seed in SEEDS:
        v = draw(kind, random.Random(seed), 3, recheck=False)
        A = numpy.array(v.problem.inputs["A"].tolist(), dtype=float)
        if kind in trivial.TRIANGULAR | trivial.READ_OFF:
            assert not (numpy.allclose(A, numpy.triu(A)) or numpy.allclose(A, numpy.tril(A))), (kind, v.raw)
        if kind in trivial.READ_OFF:
            assert not _off_diagonal_zero_line(A), (kind, v.raw)
        if kind in trivial.GRAM:
            assert not _off_diagonal_zero_line(A.T @ A), (kind, v.raw)


@pytest.mark.parametrize("kind", ["derivative", "partial", "system", "expectation", "det", "matrix_gradient"])
def test_no_derivation_at_difficulty_3_is_half_as_long_as_the_typical_one(kind):
    typical = trivial.typical_steps(kind)
    for seed in SEEDS:
        v = draw(kind, random.Random(seed), 3, recheck=False)
        assert 2 * sum(1 for _ in v.solution.walk()) >= typical, (kind, v.raw)
