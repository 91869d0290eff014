"""Property tests per answer type: the reference answer rewritten in equivalent forms is
accepted, perturbed answers are rejected with the right feedback (seeded, deterministic).

Comparisons run in-process (generated, benign inputs); the sandbox has its own tests.
"""
from __future__ import annotations

import random

import pytest
import sympy

import tutor
from tutor.core import answers
from tutor.checking import grading

x, y = sympy.symbols("x y")
SEEDS = range(12)


def plain(e: sympy.Basic) -> str:
    return sympy.sstr(e).replace("**", "^")


def tup(v) -> str:
    return "(" + ", ".join(plain(e) for e in v) + ")"


def nested(m: sympy.Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(plain(e) for e in m.row(i)) + "]" for i in range(m.rows)) + "]"


def ok(reference, text, problem=None) -> None:
    v = grading.compare(reference, text, problem)
    assert v.correct and v.score == 1, (text, v)


def bad(reference, text, fragment: str, problem=None) -> None:
    v = grading.compare(reference, text, problem)
    assert not v.correct and v.status == "incorrect" and v.score < 1, (text, v)
    assert any(fragment in f for f in v.feedback), (text, fragment, v.feedback)


# ---------------------------------------------------------------- expressions

def random_polynomial(rng: random.Random) -> sympy.Expr:
    while True:
        terms = [rng.choice([-3, -2, -1, 1, 2, 3, 5]) * x ** rng.randint(0, 3) * y ** rng.randint(0, 2)
                 for _ in range(rng.randint(2, 4))]
        e = sympy.expand(sum(terms))
        if len(sympy.Add.make_args(e)) >= 2:
            return e


@pytest.mark.parametrize("seed", SEEDS)
def test_expression_forms_and_mistakes(seed):
    rng = random.Random(seed)
    e = random_polynomial(rng)
    ref = answers.ExpressionAnswer(e)
    terms = list(sympy.Add.make_args(e))
    rng.shuffle(terms)
    for form in (sympy.latex(e), plain(e), sympy.latex(sympy.factor(e)), " + ".join(f"({plain(t)})" for t in terms)):
        ok(ref, form)
    bad(ref, plain(-e), "sign error")
    bad(ref, plain(2 * e), "factor of 2")
    dropped = terms[0]
    bad(ref, plain(e - dropped), "missing")


@pytest.mark.parametrize("seed", SEEDS)
def test_rational_function_forms(seed):
    rng = random.Random(100 + seed)
    a, b = rng.randint(1, 5), rng.randint(1, 5)
    e = (x ** 2 - a ** 2) / (x - a) + sympy.Rational(1, b)
    ref = answers.ExpressionAnswer(e)
    ok(ref, sympy.latex(e))
    ok(ref, plain(sympy.cancel(e)))
    bad(ref, plain(sympy.cancel(e) + 1), "off by the constant 1")


# ---------------------------------------------------------------- matrices and vectors

def random_matrix(rng: random.Random, n: int, m: int) -> sympy.Matrix:
    while True:
        M = sympy.Matrix(n, m, lambda i, j: rng.randint(-5, 5))
        if len({tuple(M.row(i)) for i in range(n)}) == n and M != M.T:
            return M


@pytest.mark.parametrize("seed", SEEDS)
def test_matrix_forms_and_mistakes(seed):
    rng = random.Random(200 + seed)
    n = rng.choice([2, 3])
    M = random_matrix(rng, n, n)
    ref = answers.MatrixAnswer(M)
    ok(ref, nested(M))
    ok(ref, sympy.latex(M, mat_delim="(", mat_str="pmatrix"))
    ok(ref, sympy.latex(M, mat_str="bmatrix", mat_delim=""))
    ok(ref, sympy.latex(M, mat_str="pmatrix", mat_delim="").replace("\\\\", " \\\\ "))  # \\ then a space
    ok(ref, sympy.latex(M, mat_str="pmatrix", mat_delim="").replace("\\\\", "\\\\\\,"))  # \\ then \,
    bad(ref, nested(M.T), "transpose")
    i, j = rng.randrange(n), rng.randrange(n)
    P = M.copy()
    P[i, j] += rng.choice([-2, -1, 1, 3])
    bad(ref, nested(P), f"entry ({i + 1},{j + 1}) is wrong")
    S = M.copy()
    S.row_swap(0, n - 1)
    bad(ref, nested(S), f"rows 1 and {n} are swapped")


@pytest.mark.parametrize("seed", SEEDS)
def test_vector_forms_and_mistakes(seed):
    rng = random.Random(300 + seed)
    v = sympy.Matrix([sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(3)])
    ref = answers.VectorAnswer(v)
    ok(ref, tup(v))
    ok(ref, sympy.latex(v, mat_delim="(", mat_str="pmatrix"))
    ok(ref, "[" + ", ".join(sympy.latex(e) for e in v) + "]")
    bad(ref, "[" + tup(v)[1:-1].join("[]") + "]", "1×3 row")
    w = v.copy()
    w[1] += 1
    bad(ref, tup(w), "entry 2 is wrong")


# ---------------------------------------------------------------- solution sets

def random_system(rng: random.Random) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix, list[sympy.Matrix]]:
    """A (m×n, rank < n), b = A p0, a particular solution p0 and a kernel basis."""
    while True:
        n = rng.choice([2, 3, 4])
        m = rng.randint(1, n)
        A = sympy.Matrix(m, n, lambda i, j: rng.randint(-3, 3))
        if A.rank() < n and A.rank() > 0:
            p0 = sympy.Matrix([rng.randint(-3, 3) for _ in range(n)])
            return A, A * p0, p0, A.nullspace()


def vector_form(p, dirs, names=("t", "s", "r")) -> str:
    return tup(p) + "".join(f" + {names[k]}{tup(d)}" for k, d in enumerate(dirs))


@pytest.mark.parametrize("seed", SEEDS)
def test_solution_set_forms_and_mistakes(seed):
    rng = random.Random(400 + seed)
    A, b, p0, kernel = random_system(rng)
    n = A.cols
    variables = sympy.symbols(f"x_1:{n + 1}")
    ref = answers.SolutionSetAnswer(variables, p0, tuple(kernel))
    # another particular solution, another basis of the kernel (an invertible mix, scaled)
    k = len(kernel)
    while True:
        mix = sympy.Matrix(k, k, lambda i, j: rng.randint(-2, 2))
        if mix.det() != 0:
            break
    dirs = [sum((mix[i, j] * kernel[j] for j in range(k)), sympy.zeros(n, 1)) for i in range(k)]
    p1 = p0 + sum((rng.randint(-2, 2) * d for d in kernel), sympy.zeros(n, 1))
    problem = tutor.Problem("system", {"A": A, "b": b})
    for context in (None, problem):
        ok(ref, vector_form(p1, dirs), context)
        ok(ref, "(" + ", ".join(map(str, variables)) + ") = " + vector_form(p1, dirs), context)
    params = sympy.symbols("t s r")[:k]
    general = p1 + sum((params[i] * dirs[i] for i in range(k)), sympy.zeros(n, 1))
    ok(ref, ", ".join(f"{v} = {plain(e)}" for v, e in zip(variables, general)))
    ok(ref, tup(general))
    off = p1 + sympy.Matrix([1] + [0] * (n - 1)) if not A[:, 0].is_zero_matrix else None
    if off is not None:
        bad(ref, vector_form(off, dirs), "fails equation")
    bad(ref, vector_form(p1, dirs[:-1]), "direction")
    not_in_kernel = next(sympy.eye(n)[:, j] for j in range(n) if not (A * sympy.eye(n)[:, j]).is_zero_matrix)
    bad(ref, vector_form(p1, dirs[:-1] + [not_in_kernel]), "not in the kernel")
    bad(ref, "no solution", "has solutions")


def test_system_kind_answers():
    sol = tutor.solve("system", equations=["3x + y = 9", "4x - 2y = 5"])
    for text in ("x = \\frac{23}{10}, y = \\frac{21}{10}", "(23/10, 21/10)", "(x, y) = (2.3, 2.1)"):
        ok(sol.answer, text, sol.problem)
    bad(sol.answer, "(2, 3)", "(x, y) = (2, 3) fails equation 2 (4*x", sol.problem)
    assert grading.compare(sol.answer, "(2, 3)", sol.problem).score == 0  # a wrong unique point
    bad(sol.answer, "(x, y) = (23/10, 21/10) + t(1, 1)", "not in the kernel", sol.problem)
    sol = tutor.solve("system", equations=["2x + 4y = 5"])
    for text in ("(x, y) = (1/2, 1) + t(-2, 1)", "x = 5/2 - 2y", "(5/2 - 2t, t)",
                 "\\begin{pmatrix}5/2\\\\0\\end{pmatrix} + s\\begin{pmatrix}4\\\\-2\\end{pmatrix}",
                 "\\{(1/2 - 2t, 1 + t) : t \\in \\mathbb{R}\\}"):
        ok(sol.answer, text, sol.problem)
    bad(sol.answer, "(1/2, 1)", "1 independent direction expected", sol.problem)
    sol = tutor.solve("system", equations=["x + y = 1", "x + y = 2"])
    ok(sol.answer, "no solution", sol.problem)
    bad(sol.answer, "(1, 0)", "no solution", sol.problem)


# ---------------------------------------------------------------- eigen and decompositions

def random_diagonalizable(rng: random.Random) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix]:
    n = rng.choice([2, 3])
    while True:
        P = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
        if abs(P.det()) == 1:
            break
    values = [rng.randint(-4, 4) for _ in range(n)]
    if rng.random() < 0.3:
        values[-1] = values[0]
    D = sympy.diag(*values)
    return P * D * P.inv(), P, D


def eigen_answer(A: sympy.Matrix) -> answers.EigenAnswer:
    return answers.EigenAnswer(tuple(answers.Eigenvalue(v, m, len(b), tuple(b)) for v, m, b in A.eigenvects()))


@pytest.mark.parametrize("seed", SEEDS)
def test_eigen_forms_and_mistakes(seed):
    rng = random.Random(500 + seed)
    A, P, D = random_diagonalizable(rng)
    ref = eigen_answer(A)
    groups = []
    for v, m, basis in A.eigenvects():
        vecs = [rng.choice([-3, -1, 2, sympy.Rational(1, 2)]) * b for b in basis]
        label = f"λ = {v}" + (f" (multiplicity {m})" if m > 1 else "")
        groups.append(label + ": " + ", ".join(tup(w) for w in vecs))
    rng.shuffle(groups)
    ok(ref, "; ".join(groups))
    ok(ref, "; ".join(g.replace("λ = ", "\\lambda = ") for g in groups))
    first_value, first_mult, first_basis = A.eigenvects()[0]
    zero = "; ".join([f"λ = {first_value}: " + tup(sympy.zeros(A.rows, 1))] + groups)
    bad(ref, zero, "zero vector")
    if len(groups) > 1:
        bad(ref, "; ".join(groups[1:]), "eigenvalue is missing")
        other = next(b for v, m, bs in A.eigenvects() if v != first_value for b in bs)
        wrong_pair = f"λ = {first_value}: {tup(other)}"
        bad(ref, "; ".join([wrong_pair] + [g for g in groups if not g.startswith(f"λ = {first_value}")]),
            "Av ≠ λv")
    bad(ref, "; ".join(groups + [f"λ = {max(v for v, _, _ in A.eigenvects()) + 7}: {tup(first_basis[0])}"]),
        "is not an eigenvalue")


@pytest.mark.parametrize("seed", SEEDS)
def test_diagonalization_any_order(seed):
    rng = random.Random(600 + seed)
    A, P, D = random_diagonalizable(rng)
    ref = answers.DiagonalizationAnswer(True, P, D)
    order = list(range(A.rows))
    rng.shuffle(order)
    P2 = sympy.Matrix.hstack(*[rng.choice([-2, 1, 3]) * P[:, k] for k in order])
    D2 = sympy.diag(*[D[k, k] for k in order])
    ok(ref, f"P = {nested(P2)}, D = {nested(D2)}")
    if len(set(D2[k, k] for k in range(A.rows))) > 1:
        D3 = D2.copy()
        D3[0, 0] += 1
        bad(ref, f"P = {nested(P2)}, D = {nested(D3)}", "column 1 of P")
    bad(ref, f"P = {nested(sympy.zeros(A.rows))}, D = {nested(D2)}", "singular")
    ok(answers.DiagonalizationAnswer(False, reason="defective"), "not diagonalizable")


def test_svd_by_properties():
    U, S, V = sympy.eye(2), sympy.diag(3, 2), sympy.Matrix([[0, 1], [1, 0]])
    ref = answers.SVDAnswer(U, S, V)
    ok(ref, "U = [[1,0],[0,1]], S = [[3,0],[0,2]], V = [[0,1],[1,0]]")
    ok(ref, "U = [[-1,0],[0,-1]], S = [[3,0],[0,2]], V = [[0,-1],[-1,0]]")
    bad(ref, "U = [[1,0],[0,1]], S = [[2,0],[0,3]], V = [[1,0],[0,1]]", "decreasing")
    bad(ref, "U = [[1,1],[0,1]], S = [[3,0],[0,2]], V = [[0,1],[1,0]]", "U is not orthogonal")


def test_basis_and_gram_schmidt():
    s = sympy.sqrt(2)
    ref = answers.BasisAnswer((sympy.Matrix([1, 1, 0]) / s, sympy.Matrix([0, 0, 1])))
    ok(ref, "(1/\\sqrt{2}, 1/\\sqrt{2}, 0), (0, 0, 1)")
    ok(ref, "(0, 0, -1), (-\\frac{\\sqrt{2}}{2}, -\\frac{\\sqrt{2}}{2}, 0)")
    bad(ref, "(1, 1, 0), (0, 0, 1)", "length 1")
    bad(ref, "(1, 0, 0), (0, 0, 1)", "is not in the subspace")
    ref2 = answers.BasisAnswer((sympy.Matrix([1, 2, 0]), sympy.Matrix([0, 1, 1])))
    ok(ref2, "span\\{(1, 3, 1), (2, 4, 0)\\}")
    bad(ref2, "(1, 2, 0), (2, 4, 0)", "linearly dependent")
    bad(ref2, "(1, 2, 0)", "dimension 2")
    ok(answers.BasisAnswer(()), "{0}")


# ---------------------------------------------------------------- the rest

def test_boolean_none_and_existence():
    ok(answers.BooleanAnswer(True), "yes")
    ok(answers.BooleanAnswer(False), "No, they are dependent")
    bad(answers.BooleanAnswer(True), "false", "opposite")
    ok(answers.NoneAnswer("singular"), "does not exist")
    bad(answers.NoneAnswer("singular"), "[[1,0],[0,1]]", "does not exist")
    bad(answers.MatrixAnswer(sympy.eye(2)), "no inverse", "it exists")
    for text in ("dependent", "linearly dependent", "not linearly independent"):
        ok(answers.BooleanAnswer(False), text)
    ok(answers.BooleanAnswer(True), "linearly independent")
    bad(answers.BooleanAnswer(True), "dependent", "opposite")


def test_labelled_values_and_diagonal_matrices():
    """What students write around a value: ``E[X] = 1``, ``rank A = 2``, ``D = diag(1, 3)``."""
    ok(answers.ExpressionAnswer(sympy.Integer(1)), "E[X] = 1")
    ok(answers.ExpressionAnswer(2 * x), "f'(x) = 2x")
    bad(answers.ExpressionAnswer(sympy.Integer(2)), "\\operatorname{rank}(A) = 3", "")
    ok(answers.MatrixAnswer(sympy.diag(1, 3)), "diag(1, 3)")
    ok(answers.MatrixAnswer(sympy.diag(1, 3)), "\\operatorname{diag}(1, 3)")
    bad(answers.MatrixAnswer(sympy.diag(1, 3)), "diag(3, 1)", "wrong")
    ok(answers.MatrixAnswer(sympy.Matrix([[2, 0], [1, 2]])), "L = [[2,0],[1,2]]")
    ok(answers.MatrixAnswer(sympy.eye(3)), "A^{-1} = I_3")
    ok(answers.VectorAnswer(sympy.Matrix([4, -1])), "\\alpha = (4, -1)")
    lam = sympy.Symbol("lambda", positive=True)
    mom = answers.MomentsAnswer(1 / lam, 1 / lam ** 2)
    for text in ("E[X] = 1/\\lambda, Var(X) = 1/\\lambda^2",
                 "\\mathbb{E}[X] = 1/\\lambda, \\operatorname{Var}[X] = \\lambda^{-2}"):
        ok(mom, text)


def test_distribution_moments_gaussian():
    half, quarter = sympy.Rational(1, 2), sympy.Rational(1, 4)
    dist = answers.DistributionAnswer((0, 1, 2), (quarter, half, quarter))
    ok(dist, "P(X=0) = 1/4, P(X=1) = 1/2, P(X=2) = 1/4")
    ok(dist, "\\{2: 0.25, 0: 1/4, 1: 1/2\\}")
    ok(dist, "1/4, 1/2, 1/4")
    bad(dist, "P(X=0) = 1/4, P(X=1) = 1/4, P(X=2) = 1/4", "P(1) is wrong")
    bad(dist, "P(X=0) = 1/4, P(X=1) = 1/2, P(X=3) = 1/4", "not a possible value")
    h1, h2 = sympy.symbols("h1 h2")
    posterior = answers.DistributionAnswer((h1, h2), (2 * sympy.Rational(1, 3), sympy.Rational(1, 3)))
    for text in ("h1: 2/3, h2: 1/3", "p(h1|D) = 2/3, p(h2|D) = 1/3",
                 "P(h_1 \\mid D) = 2/3, P(\\text{h2} \\mid D) = 1/3", "2/3, 1/3"):
        ok(posterior, text)
    bad(posterior, "h1: 1/3, h2: 2/3", "P(h1) is wrong")
    mu = sympy.Symbol("mu")
    mom = answers.MomentsAnswer(mu, mu * (1 - mu))
    ok(mom, "E[X] = \\mu, V[X] = \\mu - \\mu^2")
    ok(mom, "mean = \\mu, variance = \\mu(1-\\mu)")
    bad(mom, "mean = \\mu, variance = \\mu^2 - \\mu", "variance is wrong: sign error")
    g = answers.GaussianAnswer(sympy.Matrix([1, 2]), sympy.Matrix([[2, 1], [1, 2]]))
    ok(g, "\\mathcal{N}((1, 2), [[2,1],[1,2]])")
    ok(g, "\\mu = (1, 2), \\Sigma = \\begin{pmatrix}2&1\\\\1&2\\end{pmatrix}")
    bad(g, "mean = (1, 2), cov = [[2,1],[1,3]]", "entry (2,2) is wrong")


def test_gradients():
    ref = answers.GradientsAnswer({"W": sympy.Matrix([[1, 2]]), "b": sympy.Matrix([[3]])})
    ok(ref, "\\frac{\\partial L}{\\partial W} = [[1, 2]]; dL/db = [[3]]")
    ok(ref, "dL/db = [[3]]; dL/dW = [[1, 2]]")
    bad(ref, "dL/dW = [[1],[2]]; dL/db = [[3]]", "a gradient is a row vector")
    grad = answers.MatrixAnswer(sympy.Matrix([[2 * x * y, x ** 2]]))
    ok(grad, "[2xy, x^2]")
    bad(grad, "\\begin{pmatrix}2xy\\\\x^2\\end{pmatrix}", "1×2 row is expected")
    layers = answers.GradientsAnswer({"W1": sympy.Matrix([[4, 8], [4, 8]]), "b1": sympy.Matrix([4, 4]),
                                      "W2": sympy.Matrix([[4, 8]]), "b2": sympy.Matrix([[4]])})
    for text in ("dL/dW1 = [[4,8],[4,8]], dL/db1 = (4,4), dL/dW2 = [[4,8]], dL/db2 = 4",
                 "\\frac{\\partial L}{\\partial W_1} = [[4,8],[4,8]]; \\frac{\\partial L}{\\partial b_{1}} = (4,4);"
                 " \\frac{\\partial L}{\\partial W_2} = [[4,8]]; \\frac{\\partial L}{\\partial b_2} = 4"):
        ok(layers, text)
    bad(layers, "dL/dW1 = [[4,8],[4,8]]; dL/db1 = (4,4); dL/dW2 = [[4,8]]; dL/db2 = 5", "b2: entry 1 is wrong")


@pytest.mark.parametrize("expression, right, wrong", [
    ("x^T A x", ["x^T(A + A^T)", "x^T A + x^T A^T", "(A^T x + A x)^T"],
     [("2x^T A", "only for symmetric"), ("x^T A", "not equal"), ("(A + A^T)x", "transpose"),
      ("y^T A", "y does not occur")]),
    ("\\|Ax - b\\|^2", ["2(Ax-b)^T A", "2x^T A^T A - 2b^T A"],
     [("(Ax - b)^T A", "factor of 2"), ("-2(Ax-b)^T A", "sign error"), ("2A^T(Ax - b)", "transpose")]),
    ("a^T x + x^T B x", ["a^T + x^T (B + B^T)"], [("a + (B + B^T) x", "transpose")]),
])
def test_matrix_gradient_answers(expression, right, wrong):
    """Symbolic matrix answers, checked exactly with random matrices of random sizes."""
    sol = tutor.solve("matrix_gradient", expression=expression, wrt="x")
    for text in right:
        ok(sol.answer, text, sol.problem)
    for text, fragment in wrong:
        bad(sol.answer, text, fragment, sol.problem)


def test_gram_schmidt_asks_for_an_orthogonal_basis_not_any_basis_of_the_span():
    """(1, 1, 0), (0, 1, 1) spans what Gram-Schmidt's (1, 1, 0), (-1/2, 1/2, 1) spans; it was accepted."""
    from tutor.checking.check import check

    assert check("gram_schmidt", "(1,1,0), (-1/2,1/2,1)", vectors=["[1,1,0]", "[0,1,1]"]).correct
    verdict = check("gram_schmidt", "(1,1,0), (0,1,1)", vectors=["[1,1,0]", "[0,1,1]"])
    assert not verdict.correct and "not orthogonal" in " ".join(verdict.feedback)
    # under <x, y> = x^T A y orthogonality is A's: (1, 0) and (-1, 2) are A-orthogonal
    assert check("gram_schmidt", "(1,0), (-1,2)", vectors=["[1,0]", "[0,1]"], inner="[[2,1],[1,2]]").correct
    assert not check("gram_schmidt", "(1,0), (0,1)", vectors=["[1,0]", "[0,1]"], inner="[[2,1],[1,2]]").correct


@pytest.mark.parametrize("kind, inputs, right, wrong", [
    ("complement", {"vectors": ["[0,1,1]", "[0,1,-1]"]}, "[[-2,0,0]]", "[[0,1,0]]"),
    ("kernel", {"matrix": "[[0,1,0],[0,0,1]]"}, "[[3,0,0]]", "[[0,1,0]]"),
])
def test_a_basis_is_any_basis_when_the_reference_happens_to_be_orthonormal(kind, inputs, right, wrong):
    """Only Gram-Schmidt asks for orthonormal vectors; a kernel or complement whose reference
    basis is (±1, 0, 0) was graded 'does not have length 1' for (-2, 0, 0) (found by the STACK
    export's test, which accepts it by property)."""
    assert tutor.check(kind, right, **inputs).correct
    assert not tutor.check(kind, wrong, **inputs).correct
    normalized = tutor.check("gram_schmidt", "(1,1,0), (-1,1,2)", vectors=["[1,1,0]", "[0,1,1]"], normalize=True)
    assert not normalized.correct and any("length 1" in f for f in normalized.feedback)
