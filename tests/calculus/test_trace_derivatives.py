"""matrix_gradient with respect to a matrix X (traces, aᵀXb) against an independent
computation: for concrete sizes, X as a matrix of symbols and the other names random
integer matrices, the answer (evaluated by sympy's xreplace + doit) equals the matrix of
``sympy.diff(f, X_ij)`` of the explicit function, which the test writes itself."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
import sympy
from sympy import ImmutableMatrix, Matrix, MatrixSymbol

import tutor
from tutor.core.errors import TutorError
from tutor.rendering import render


def solve(expression: str, dims: str | None = None, wrt: str = "X"):
    sol = tutor.solve("matrix_gradient", expression=expression, wrt=wrt, dims=dims)
    bad = [getattr(st, "identity", st.rule) for st in sol.walk() if not st.check()]
    assert not bad, f"steps that do not check: {bad}"
    return sol


def tr(M: Matrix) -> sympy.Expr:
    return M.trace()


# text, the function written out by the test (V: name -> explicit matrix), two sets of sizes
CASES = [
    ("\\operatorname{tr}(X^T A)", lambda V: tr(V["X"].T * V["A"]), ("X=2x3", "X=3x3")),
    ("tr(AXB)", lambda V: tr(V["A"] * V["X"] * V["B"]), ("A=2x3,X=3x4", "A=3x2,X=2x2,B=2x3")),
    ("\\mathrm{tr}(A X^T B)", lambda V: tr(V["A"] * V["X"].T * V["B"]), ("A=2x3,X=4x3", "X=2x2,B=2x3")),
    ("tr(X^T A X)", lambda V: tr(V["X"].T * V["A"] * V["X"]), ("X=3x2", "X=2x4")),
    ("trace(X A X^T)", lambda V: tr(V["X"] * V["A"] * V["X"].T), ("X=2x3", "X=4x2")),
    ("tr(X^T X)", lambda V: tr(V["X"].T * V["X"]), ("X=3x2", "X=2x2")),
    ("tr(X X)", lambda V: tr(V["X"] * V["X"]), ("X=2x2", "X=3x3")),
    ("tr(X)", lambda V: tr(V["X"]), ("X=3x3", "X=2x2")),
    ("a^T X b", lambda V: (V["a"].T * V["X"] * V["b"])[0, 0], ("X=2x3", "X=3x2")),
    ("a^T X^T b", lambda V: (V["a"].T * V["X"].T * V["b"])[0, 0], ("X=2x3", "X=4x4")),
    ("tr(X^T A X B)", lambda V: tr(V["X"].T * V["A"] * V["X"] * V["B"]), ("X=3x2", "X=2x3")),
    ("2 tr(AX) - tr(X^T B) + a^T X b",
     lambda V: 2 * tr(V["A"] * V["X"]) - tr(V["X"].T * V["B"]) + (V["a"].T * V["X"] * V["b"])[0, 0],
     ("X=2x3", "X=3x3")),
    ("tr(A X + X^T B) - 1/2 tr(X^T X)",
     lambda V: tr(V["A"] * V["X"] + V["X"].T * V["B"]) - sympy.Rational(1, 2) * tr(V["X"].T * V["X"]),
     ("X=3x2", "X=2x2")),
    ("tr((AX)^T B)", lambda V: tr((V["A"] * V["X"]).T * V["B"]), ("A=3x2,X=2x3", "A=2x2,X=2x4")),
    ("x^T x + tr(X^T A)", lambda V: (V["x"].T * V["x"])[0, 0] + tr(V["X"].T * V["A"]), ("X=2x3,x=2", "X=3x2,x=4")),
    ("||X a - b||^2", lambda V: ((V["X"] * V["a"] - V["b"]).T * (V["X"] * V["a"] - V["b"]))[0, 0],
     ("X=2x3", "X=3x2")),
    ("tr((X - A)^T (X - A))", lambda V: tr((V["X"] - V["A"]).T * (V["X"] - V["A"])), ("X=2x3", "X=3x3")),
    ("(x - X a)^T W (x - X a)",
     lambda V: ((V["x"] - V["X"] * V["a"]).T * V["W"] * (V["x"] - V["X"] * V["a"]))[0, 0], ("X=2x3", "X=3x2")),
    ("tr((X + A) B)", lambda V: tr((V["X"] + V["A"]) * V["B"]), ("X=2x3", "X=3x3")),
]


def entrywise(sol, f, seed: int) -> tuple[Matrix, Matrix]:
    """(the answer, the oracle's matrix of ∂f/∂X_ij) at random integer values of the other names."""
    rng = random.Random(seed)
    values: dict[str, Matrix] = {}
    for s in sol.problem["names"]:
        rows, cols = (int(d) for d in s.shape)
        if s.name == "X":
            values["X"] = Matrix(rows, cols, lambda i, j: sympy.Symbol(f"t{i}{j}"))
        else:
            values[s.name] = Matrix(rows, cols, lambda i, j: rng.randint(-4, 4))
    X = values["X"]
    expected = X.applyfunc(lambda s: sympy.diff(f(values), s))
    answer = sol.answer.value
    got = Matrix(answer.xreplace({s: ImmutableMatrix(values[s.name])
                                  for s in answer.atoms(MatrixSymbol)}).doit())
    if got.shape == (1, 1) and expected.shape != (1, 1):  # the identity I of an n x n X
        got = got[0, 0] * sympy.eye(X.rows)
    return got, expected


@pytest.mark.parametrize("text, f, sizes", CASES, ids=[c[0] for c in CASES])
def test_derivative_by_a_matrix_matches_sympy_entrywise(text, f, sizes) -> None:
    for k, dims in enumerate(sizes):
        sol = solve(text, dims)
        got, expected = entrywise(sol, f, k)
        assert got.shape == expected.shape == tuple(int(d) for d in sol.problem["wrt"].shape)
        assert (got - expected).expand() == sympy.zeros(*got.shape), (text, dims, sol.answer.value)


@pytest.mark.parametrize("text, answer", [
    ("tr(X^T A)", "A"), ("tr(AX)", "A^T"), ("tr(AXB)", "A^T B^T"), ("tr(X^T A X)", "(A + A^T) X"),
    ("tr(X A X^T)", "X (A + A^T)"), ("tr(X^T X)", "2 X"), ("a^T X b", "a b^T"), ("a^T X^T b", "b a^T"),
    ("tr(X)", "I"), ("||X a - b||^2", "2 X a a^T - 2 b a^T"), ("tr((X - A)^T (X - A))", "2 X - 2 A"),
])
def test_the_identities_read_as_a_teacher_writes_them(text: str, answer: str) -> None:
    value = solve(text).answer.value
    assert str(value).replace("*", " ").replace(".T", "^T") == answer


def test_the_steps_name_the_trace_rule_and_each_occurrence() -> None:
    sol = solve("\\operatorname{tr}(X^T A X)")
    text = render.render_solution(sol, "text")
    assert "X occurs 2 times" in text and "Occurrence 1 (Xᵀ)" in text and "Occurrence 2 (X)" in text
    assert "A·X + Aᵀ·X = (A + Aᵀ)·X" in text
    assert "same shape" in text and "(5.106)" in text
    norm = render.render_solution(solve("||X a - b||^2"), "text")
    assert "We multiply out the factors that are sums in X" in norm
    assert "with u = X·a and v = a held constant" in norm  # not "a = X·a": the letters do not clash
    assert "collecting like terms" in norm
    one = render.render_solution(solve("tr(AXB)"), "latex")
    assert "(5.100)" in one and "\\operatorname{tr}" in one


@pytest.mark.parametrize("text, wrt, dims, words", [
    ("tr(A X)", "X", "A=2x3,X=3x3", "a trace needs a square matrix"),
    ("tr(A X B)", "X", "A=2x3,B=3x3", "a trace needs a square matrix"),
    ("tr(x)", "X", None, "a trace needs a square matrix"),
    ("tr(3)", "X", None, "trace of a number"),
    ("X a", "X", None, "tensor"),
    ("tr(X) tr(X)", "X", None, "supported with respect to a matrix"),
    ("tr(x x^T)", "x", None, "with respect to a matrix"),
    ("tr X", "X", None, "dimension mismatch"),
])
def test_bad_input_is_one_clear_error(text: str, wrt: str, dims: str | None, words: str) -> None:
    with pytest.raises(TutorError, match=words):
        tutor.solve("matrix_gradient", expression=text, wrt=wrt, dims=dims)


def test_cli_reads_the_issue_example() -> None:
    run = subprocess.run([sys.executable, "-m", "tutor", "solve", "matrix_gradient",
                          "\\operatorname{tr}(X^T A)", "--wrt", "X"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "∂f/∂X = A" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "tutor", "solve", "matrix_gradient", "tr(AX)",
                          "--wrt", "X", "--dims", "A=2x3,X=3x3"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "square" in bad.stderr


@pytest.mark.parametrize("answer, right", [
    ("(A + A^T) X", True), ("A X + A^T X", True), ("2 A X", False), ("\\operatorname{tr}(A) X", False),
])
def test_answers_by_a_matrix_are_checked(answer: str, right: bool) -> None:
    verdict = tutor.check("matrix_gradient", answer, expression="tr(X^T A X)", wrt="X")
    assert verdict.correct is right, verdict
