"""A factor common to every Laplace term of det(A - λI) is taken out (issue 18), against sympy."""
from __future__ import annotations

import random

import pytest
import sympy

from tutor import api
from tutor.linalg.commonfactor import CommonFactor
from tutor.linalg.eigen import eigen_steps
from tutor.linalg.roots import LAMBDA as L
from tutor.rendering.render import render_solution


def _all_check(steps) -> None:
    bad = [s.rule for step in steps for s in step.walk() if not s.check()]
    assert not bad, bad


def _common(data) -> CommonFactor | None:
    return next((s for s in data.steps[0].substeps if isinstance(s, CommonFactor)), None)


def test_the_factor_seen_in_the_expansion_is_kept_as_a_teacher_writes_it():
    """eigen p.4-5: (3 - λ)(λ² - 6λ + 5) - 2(2 - 2λ) + 2(2λ - 2) has (λ - 1) in every term; it
    was expanded to -λ³ + 9λ² - 15λ + 7 and found again by the rational root test."""
    A = sympy.Matrix([[3, 2, 2], [2, 3, 2], [2, 2, 3]])
    data = eigen_steps(A)
    common = _common(data)
    assert common is not None and common.linear == (L - 1,)
    assert sympy.expand(common.rest - (-L**2 + 8 * L - 7)) == 0
    _all_check(data.steps)
    rules = [s.rule for s in data.steps[1].walk()]
    assert "roots.rational_root_test" not in rules and rules[1] == "roots.split"
    text = render_solution(api.solve("eigen", matrix=A), "text")
    assert "Every term has the factor (λ - 1), since λ^2 - 6λ + 5 = (λ - 1)(λ - 5), 2 - 2λ = -2(λ - 1), " \
        "2λ - 2 = 2(λ - 1)" in text
    assert "p(λ) = (λ - 1) [(3 - λ)(λ - 5) + 4 + 4] = (λ - 1)(-λ^2 + 8λ - 7)" in text
    assert "9λ^2" not in text and "So the characteristic polynomial is" not in text
    assert "λ = 1 (algebraic multiplicity 2)" in text
    assert "so the roots are 1 and 7; 1 was found before, so it is a repeated root." in text


def test_a_factor_of_a_row_zero_off_the_diagonal_is_not_expanded_first():
    """Exam p.13: (2 - λ)(λ² + 2λ - 3) was expanded to -λ³ + 7λ - 6 and printed before the
    sentence that keeps the factor."""
    text = render_solution(api.solve("eigen", matrix="[[2,0,0],[1,-1,2],[3,2,-1]]"), "text")
    assert "= (2 - λ) · (λ^2 + 2λ - 3)" in text and "The factor (2 - λ) can be seen" in text
    assert "7λ" not in text and "So the characteristic polynomial is" not in text


def test_the_eigenvalues_of_a_diagonal_gram_matrix_are_read_off():
    """Exam p.17: AᵀA = diag(25, 100) was expanded to λ² - 125λ + 2500 and solved with √5625."""
    text = render_solution(api.solve("svd", matrix="[[3,8],[4,-6]]"), "text")
    assert "(25 - λ)·(100 - λ)" in text and "read off the diagonal" in text
    assert "125λ" not in text and "5625" not in text


def test_the_charpoly_kind_still_gives_the_expanded_polynomial():
    text = render_solution(api.solve("charpoly", matrix="[[3,2,2],[2,3,2],[2,2,3]]"), "text")
    assert "p(λ) = -λ^3 + 9λ^2 - 15λ + 7" in text and "Every term has the factor" not in text


def _matrix(rng: random.Random, n: int) -> sympy.Matrix:
    """Small integer matrices, half of them symmetric with a repeated entry pattern (the
    classroom's, where common factors appear)."""
    if rng.random() < 0.5:
        a, b = rng.randint(-3, 4), rng.choice([-2, -1, 1, 2])
        M = sympy.Matrix(n, n, lambda i, j: a if i == j else b)
        i, j = rng.sample(range(n), 2)
        M[i, j] = M[j, i] = rng.choice([b, 0, -b])
        return M
    return sympy.Matrix(n, n, lambda i, j: rng.randint(-3, 3))


@pytest.mark.parametrize("seed", range(40))
def test_random_matrices_factors_and_roots_against_sympy(seed):
    rng = random.Random(seed)
    A = _matrix(rng, rng.choice([3, 3, 4]))
    data = eigen_steps(A)
    _all_check(data.steps)
    p = (A - L * sympy.eye(A.rows)).det(method="berkowitz")
    common = _common(data)
    if common is not None:
        assert sympy.expand(common.factor * common.rest - p) == 0
        for t in common.terms:  # every term has every factor taken out
            assert sympy.rem(t, common.factor, L) == 0
    expected = sympy.roots(sympy.Poly(p, L))  # exact roots in radicals, with multiplicities
    for r in data.roots:
        if r.exact:
            match = [k for k in expected if sympy.simplify(k - r.value) == 0]
            assert len(match) == 1 and expected[match[0]] == r.multiplicity, (r, expected)
    assert sum(r.multiplicity for r in data.roots) == A.rows


def test_random_matrices_often_have_a_common_factor_taken_out():
    """The test above is not vacuous: among the same matrices, common factors are found."""
    found = sum(_common(eigen_steps(_matrix(random.Random(seed), 3))) is not None for seed in range(40))
    assert found >= 8


def test_a_common_factor_that_is_wrong_fails_its_check():
    common = _common(eigen_steps(sympy.Matrix([[3, 2, 2], [2, 3, 2], [2, 2, 3]])))
    import dataclasses
    assert not dataclasses.replace(common, linear=(L - 5,)).check()
    assert not dataclasses.replace(common, rest=common.rest + 1).check()
    c, fs = common.quotients[1]
    bad = (common.quotients[0], (c + 1, fs), *common.quotients[2:])
    assert not dataclasses.replace(common, quotients=bad).check()
