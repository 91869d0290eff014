"""Determinants and inverses in matrix_gradient (MML (5.101)-(5.103), issue 18) against an
independent computation: X a matrix of symbols of size 2 x 2 or 3 x 3, the other names random
integer matrices, the answer (substituted and evaluated by sympy) equals the matrix of
``sympy.diff(f, X_ij)`` of the function the test writes itself (with sympy's ``det`` and
``inv``), compared exactly at random rational points."""
from __future__ import annotations

import random

import pytest
import sympy

import tutor
from tests.calculus.test_trace_derivatives import entrywise
from tutor.core.errors import TutorError
from tutor.rendering import render


def solve(expression: str, dims: str | None = None):
    sol = tutor.solve("matrix_gradient", expression=expression, wrt="X", dims=dims)
    bad = [getattr(st, "identity", st.rule) for st in sol.walk() if not st.check()]
    assert not bad, f"steps that do not check: {bad}"
    return sol


CASES = [
    ("det(X)", lambda V: V["X"].det()),
    ("\\det X", lambda V: V["X"].det()),
    ("log det(X)", lambda V: sympy.log(V["X"].det())),
    ("\\log\\det X", lambda V: sympy.log(V["X"].det())),
    ("a^T X^{-1} b", lambda V: (V["a"].T * V["X"].inv() * V["b"])[0, 0]),
    ("a^T inv(X) b", lambda V: (V["a"].T * V["X"].inv() * V["b"])[0, 0]),
    ("tr(A X^-1 B)", lambda V: (V["A"] * V["X"].inv() * V["B"]).trace()),
    ("tr(X^{-1})", lambda V: V["X"].inv().trace()),
    ("tr(A X^{-1})", lambda V: (V["A"] * V["X"].inv()).trace()),
    ("2 log det(X) - tr(X^T A) + 3 a^T X^{-1} b",
     lambda V: 2 * sympy.log(V["X"].det()) - (V["X"].T * V["A"]).trace()
     + 3 * (V["a"].T * V["X"].inv() * V["b"])[0, 0]),
]


def _zero(e: sympy.Expr, rng: random.Random) -> bool:
    symbols = sorted(e.free_symbols, key=str)
    checked = 0
    while checked < 3:
        value = e.xreplace({s: sympy.Rational(rng.randint(-20, 20), rng.randint(1, 5)) for s in symbols})
        if value.has(sympy.zoo, sympy.nan):
            continue
        if sympy.nsimplify(value) != 0:
            return False
        checked += 1
    return True


@pytest.mark.parametrize("text, f", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("n", [2, 3])
def test_det_and_inverse_identities_match_sympy_entrywise(text, f, n: int) -> None:
    sol = solve(text, f"X={n}x{n}" + (f",A=2x{n}" if "B" in text else ""))
    rng = random.Random(n)
    got, expected = entrywise(sol, f, n)
    assert got.shape == expected.shape == (n, n)
    assert all(_zero(e, rng) for e in got - expected), (text, sol.answer.value)


@pytest.mark.parametrize("text, answer", [
    ("det(X)", "det(X) X^-T"), ("log det(X)", "X^-T"), ("a^T X^{-1} b", "-X^-T a b^T X^-T"),
    ("tr(A X^{-1} B)", "-X^-T A^T B^T X^-T"),
])
def test_the_identities_read_as_in_mml(text: str, answer: str) -> None:
    value = solve(text).answer.value
    assert str(value).replace(".T**(-1)", "^-T").replace("*", " ").replace(".T", "^T") == answer


def test_the_steps_cite_mml_and_show_the_chain_through_log() -> None:
    text = render.render_solution(solve("log det(X)"), "text")
    assert "(5.101)" in text and "Chain rule through the logarithm" in text
    assert "∂det(X)/∂X = det(X)·X⁻ᵀ" in text and "∂f/∂X = X⁻ᵀ" in text
    inverse = render.render_solution(solve("a^T X^{-1} b"), "latex")
    assert "(5.102)" in inverse and "(5.103)" in inverse and "^{-\\top}" in inverse


@pytest.mark.parametrize("text, dims, words", [
    ("det(A X)", None, "only as det"),
    ("a^T X^{-1} X b", None, "occurs with another"),
    ("det(X)", "X=2x3", "needs a square matrix"),
    ("a^T X^{-1} b", "X=2x3", "an inverse needs a square matrix"),
    ("log(X)", None, "only the logarithm of a determinant"),
])
def test_bad_input_is_one_clear_error(text: str, dims: str | None, words: str) -> None:
    with pytest.raises(TutorError, match=words):
        tutor.solve("matrix_gradient", expression=text, wrt="X", dims=dims)


@pytest.mark.parametrize("expression, answer, right", [
    ("det(X)", "det(X) X^{-T}", True), ("det(X)", "X^{-T} \\det X", True),
    ("det(X)", "\\det X (X^{-1})^T", True), ("det(X)", "det(X) X^{-1}", False),
    ("det(X)", "2 det(X) X^{-T}", False), ("log det(X) + tr(A X)", "X^{-T} + A^T", True),
    ("log det(X)", "X^{-1}", False), ("a^T X^{-1} b", "-X^{-T} a b^T X^{-T}", True),
    ("a^T X^{-1} b", "-(X^{-1})^T a b^T (X^{-1})^T", True), ("a^T X^{-1} b", "-X^{-1} a b^T X^{-1}", False),
])
def test_answers_with_det_and_inverses_are_graded(expression: str, answer: str, right: bool) -> None:
    from tutor.checking.grading import compare
    sol = solve(expression)
    verdict = compare(sol.answer, answer, sol.problem)
    assert verdict.correct is right and verdict.status != "unreadable", verdict
