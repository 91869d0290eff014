"""matrix_gradient against an independent computation: for random sizes and integer
entries, the symbolic answer (evaluated by sympy's own xreplace + doit) equals
``sympy.diff`` of the explicit function, which the test builds itself from the same
random grammar that wrote the text."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
import sympy
from sympy import ImmutableMatrix, Matrix, MatrixSymbol

import tutor
from tutor.rendering import render
from tutor.core.errors import TutorError


def solve(expression: str, wrt: str, dims: str | None = None):
    sol = tutor.solve("matrix_gradient", expression=expression, wrt=wrt, dims=dims)
    bad = [st.identity if hasattr(st, "identity") else st.rule for st in sol.walk()
           if not st.check()]
    assert not bad, f"steps that do not check: {bad}"
    return sol


def answer_at(sol, values: dict[str, Matrix]) -> Matrix:
    """The symbolic answer with every name replaced by its explicit matrix (sympy's doit);
    symbolic sizes are read off the matrices given."""
    v = sol.answer.value
    sizes = {}
    for s in v.atoms(MatrixSymbol):
        for d, k in zip(s.shape, values[s.name].shape):
            if isinstance(d, sympy.Symbol):
                sizes[d] = k
    for d in sympy.sympify(v.shape).free_symbols:  # a zero answer names no matrix: n of x
        sizes.setdefault(d, values["x"].rows)
    v = v.subs(sizes)
    return Matrix(v.xreplace({s: ImmutableMatrix(values[s.name])
                              for s in v.atoms(MatrixSymbol)}).doit())


def gradient(f: Matrix, xs: list[sympy.Symbol]) -> Matrix:
    return Matrix(f.rows, len(xs), lambda i, j: sympy.diff(f[i, 0], xs[j]))


# ---------------------------------------------------------------- a random grammar

def random_vector(rng: random.Random, depth: int) -> tuple[str, object]:
    """A column-vector expression in x (all vectors n, all matrices n x n): text, explicit."""
    if depth == 0:
        name = rng.choice("xxab")
        return name, lambda V, name=name: V[name]
    form = rng.choice(("matrix", "sum", "difference", "scaled", "leaf"))
    if form == "leaf":
        return random_vector(rng, 0)
    t1, f1 = random_vector(rng, depth - 1)
    if form == "matrix":
        M = rng.choice("AB")
        return f"{M}({t1})", lambda V: V[M] * f1(V)
    if form == "scaled":
        c = rng.choice((2, 3, -1))
        return f"{c}({t1})" if c > 0 else f"-({t1})", lambda V: c * f1(V)
    t2, f2 = random_vector(rng, depth - 1)
    op = "+" if form == "sum" else "-"
    return f"{t1} {op} {t2}", (lambda V: f1(V) + f2(V)) if op == "+" else (lambda V: f1(V) - f2(V))


def random_scalar(rng: random.Random) -> tuple[str, object]:
    (tu, fu), (tv, fv) = random_vector(rng, rng.randint(0, 2)), random_vector(rng, rng.randint(0, 2))
    form = rng.choice(("inner", "bilinear", "norm", "self"))
    if form == "inner":
        return f"({tu})^T ({tv})", lambda V: fu(V).T * fv(V)
    if form == "bilinear":
        return f"({tu})^T A ({tv})", lambda V: fu(V).T * V["A"] * fv(V)
    if form == "self":
        return f"({tu})^T B ({tu})", lambda V: fu(V).T * V["B"] * fu(V)
    return f"\\|{tu}\\|^2", lambda V: fu(V).T * fu(V)


def random_values(rng: random.Random, n: int) -> tuple[dict[str, Matrix], list[sympy.Symbol]]:
    xs = list(sympy.symbols(f"x_1:{n + 1}"))
    values = {"x": Matrix(xs)}
    for name in "ab":
        values[name] = Matrix(n, 1, lambda i, j: rng.randint(-4, 4))
    for name in "AB":
        values[name] = Matrix(n, n, lambda i, j: rng.randint(-4, 4))
    return values, xs


@pytest.mark.parametrize("seed", range(30))
def test_random_scalar_functions_match_sympy_diff(seed: int) -> None:
    rng = random.Random(seed)
    terms = [random_scalar(rng) for _ in range(rng.randint(1, 2))]
    text = " + ".join(t for t, _ in terms)
    try:
        sol = solve(text, "x")
    except TutorError as error:  # only a form outside the identities may be refused
        assert "supported" in str(error), (text, error)
        return
    assert sol.answer.value.shape[0] == 1  # a row (numerator layout)
    for _ in range(2):
        n = rng.randint(2, 4)
        values, xs = random_values(rng, n)
        f = sum((fn(values) for _, fn in terms), sympy.zeros(1, 1))
        assert (answer_at(sol, values) - gradient(f, xs)).expand() == sympy.zeros(1, n), text


@pytest.mark.parametrize("seed", range(10))
def test_random_vector_functions_give_the_jacobian(seed: int) -> None:
    rng = random.Random(100 + seed)
    text, fn = random_vector(rng, 3)
    sol = solve(text, "x", "x=3")
    values, xs = random_values(rng, 3)
    assert (answer_at(sol, values) - gradient(fn(values), xs)).expand() == sympy.zeros(3, 3), text


@pytest.mark.parametrize("text, wrt, expected", [
    ("x^T A x", "x", "x.T*(A + A.T)"),
    (r"\|Ax − b\|^2", "x", "2*(A*x - b).T*A"),
    ("||Ax-b||^2", "x", "2*(A*x - b).T*A"),
    ("a^T x", "x", "a.T"),
    ("x^T a", "x", "a.T"),
    ("x^T x", "x", "2*x.T"),
    ("(y − Φθ)^T(y − Φθ)", "theta", "-2*(y - Phi*theta).T*Phi"),
    (r"(y - \Phi\theta)^\top(y - \Phi\theta)", r"\theta", "-2*(y - Phi*theta).T*Phi"),
    ("Ax", "x", "A"),
    ("x^T A y", "x", "y.T*A.T"),
    ("x^T A y", "y", "x.T*A"),
    ("x^T A^T A x", "x", "2*x.T*A.T*A"),
    (r"\frac12 \|Xw - y\|^2 + 3 w'w", "w", "(X*w - y).T*X + 6*w.T"),
    ("a^T b + 5", "x", "0"),
])
def test_hand_picked(text: str, wrt: str, expected: str) -> None:
    sol = solve(text, wrt)
    assert str(sol.answer.value) == expected
    for fmt in ("text", "markdown", "latex"):
        assert render.render_solution(sol, fmt).strip()


def test_shapes_are_stated_and_sizes_can_be_given() -> None:
    sol = solve("||Ax - b||^2", "x", "A=2x3")
    assert sol.answer.value.shape == (1, 3)
    text = render.render_solution(sol, "text")
    assert "1 × 3" in text and "2 × 3" in text and "row" in text.lower()
    assert solve("x^T A x", "x").answer.value.shape == (1, sympy.Symbol("n", integer=True, positive=True))


def test_absent_variable_gives_zero_with_a_note() -> None:
    sol = solve("a^T A b", "x")
    assert str(sol.answer.value) == "0"
    assert any(getattr(st, "key", None) == "variable_absent" for st in sol.steps)


@pytest.mark.parametrize("text, wrt, dims, words", [
    ("A x", "x", "A=2x3,x=2", "dimension mismatch"),
    ("x b", "x", None, "dimension mismatch"),
    ("x + A", "x", None, "dimension mismatch"),
    ("x^T A x", "x", "A=2x3", "dimension mismatch"),
    ("x^T A", "x", None, "row vector"),
    ("x x^T a", "x", None, "supported"),
    ("A x x^T a", "x", None, "supported"),
    ("x^3", "x", None, "supported"),
    ("|x|", "x", None, "supported"),
    ("x x^T", "A", None, "tensor"),
    ("x^T x", "x", "q=3", "not in the expression"),
    ("x^T x", "x", "x=2x3", "vector"),
    ("__import__('os')", "x", None, "cannot read"),
    ("(" * 40 + "x" + ")" * 40, "x", None, "nested"),
    ("x" * 400, "x", None, "too long"),
])
def test_bad_input_is_one_clear_error(text: str, wrt: str, dims: str | None, words: str) -> None:
    with pytest.raises(TutorError, match=words):
        tutor.solve("matrix_gradient", expression=text, wrt=wrt, dims=dims)


def test_cli_mismatch_is_one_line_exit_2() -> None:
    run = subprocess.run([sys.executable, "-m", "tutor", "solve", "matrix_gradient", "A x",
                          "--wrt", "x", "--dims", "A=2x3,x=2"], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "dimension mismatch" in run.stderr
