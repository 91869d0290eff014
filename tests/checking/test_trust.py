"""Regression tests for verdicts a teacher found wrong (issue 12, section 1; issue 19, item 13).

Each case is the teacher's own command, run as ``tutor check KIND ... --answer``:
the problem is solved by the kind, the answer compared in-process (the sandbox has its
own tests).  A wrong answer must never get full marks; feedback must say what is true.
"""
from __future__ import annotations

import pytest

from tutor import api
from tutor.checking import grading
from tutor.checking.grading.policy import Policy


def verdict(kind: str, answer: str, policy: Policy = grading.DEFAULT, **inputs):
    sol = api.solve(kind, **inputs)
    return grading.compare(sol.answer, answer, sol.problem, policy)


def accepted(kind: str, answer: str, **inputs) -> None:
    v = verdict(kind, answer, **inputs)
    assert v.correct and v.score == 1, (answer, v)


def refused(kind: str, answer: str, fragment: str = "", at_most: float = 0.95, **inputs):
    v = verdict(kind, answer, **inputs)
    assert not v.correct and v.status == "incorrect" and v.score <= at_most, (answer, v)
    assert any(fragment in f for f in v.feedback), (fragment, v.feedback)
    return v


# ---------------------------------------------------------------- orthogonal diagonalization

SYM = dict(matrix="[[3,2,2],[2,3,2],[2,2,3]]", orthogonal=True)
Q_RIGHT = ("Q = [[1/\\sqrt{2},1/\\sqrt{6},1/\\sqrt{3}],[-1/\\sqrt{2},1/\\sqrt{6},1/\\sqrt{3}],"
           "[0,-2/\\sqrt{6},1/\\sqrt{3}]], D = [[1,0,0],[0,1,0],[0,0,7]]")


def test_orthogonal_diagonalization_needs_an_orthogonal_q():
    v = refused("diagonalize", "P = [[1,1,1],[-1,1,1],[0,-2,1]], D = [[1,0,0],[0,1,0],[0,0,7]]",
                "column 1 has length sqrt(2), not 1", at_most=0.5, **SYM)
    assert v.parsed.startswith("Q = ")
    refused("diagonalize", Q_RIGHT.replace("1/\\sqrt{6},1/\\sqrt{3}],[0,-2/\\sqrt{6}", "1/\\sqrt{2},1/\\sqrt{3}],[0,0"),
            "columns 2 and 3 are not orthogonal", at_most=0.5, **SYM)
    accepted("diagonalize", Q_RIGHT, **SYM)
    accepted("diagonalize", Q_RIGHT.replace("Q =", "P ="), **SYM)
    accepted("diagonalize", Q_RIGHT.replace("D =", "\\Lambda ="), **SYM)
    # without --orthogonal any eigenbasis is right, and Q is still a name for P
    accepted("diagonalize", "Q = [[1,1,1],[-1,1,1],[0,-2,1]], D = [[1,0,0],[0,1,0],[0,0,7]]",
             matrix=SYM["matrix"])


# ---------------------------------------------------------------- bases with a dependent vector

@pytest.mark.parametrize("kind, inputs, answer", [
    ("image", dict(matrix="[[1,2,3],[2,4,7]]"), "(1,2), (2,4)"),
    ("kernel", dict(matrix="[[1,1,1,1]]"), "(1,-1,0,0), (2,-2,0,0), (0,0,1,-1)"),
    ("complement", dict(vectors=["[1,1,1,1]"]), "(1,-1,0,0), (2,-2,0,0), (0,0,1,-1)"),
    ("gram_schmidt", dict(vectors=["[1,0,0]", "[1,1,0]"]), "(1,0,0), (2,0,0)"),
])
def test_a_dependent_basis_gets_the_share_of_the_space_it_spans(kind, inputs, answer):
    v = refused(kind, answer, "linearly dependent", **inputs)
    n = len(api.solve(kind, **inputs).answer.vectors)
    assert v.score <= round((n - 1) / n, 3)


# ---------------------------------------------------------------- functions the problem defines

@pytest.mark.parametrize("answer", ["1 - \\sigma(x)", "1 - sigma(x)", "1 - σ(x)", "1-\\sigma\\left(x\\right)",
                                    "\\frac{e^{-x}}{1+e^{-x}}"])
def test_sigma_in_the_answer_means_the_problems_sigmoid(answer):
    accepted("derivative", answer, function="\\log(\\sigma(x))", wrt="x")


def test_sigma_in_a_wrong_answer_is_still_the_sigmoid():
    v = refused("derivative", "\\sigma(x)", function="\\log(\\sigma(x))", wrt="x")
    assert "sigma" not in v.parsed.replace("sigmoid", "")


# ---------------------------------------------------------------- independence: yes/no and the relation

VECS = dict(vectors=["[1,2,3]", "[2,4,6]", "[0,1,1]"])


@pytest.mark.parametrize("answer", ["no, 2x_1 - x_2 = 0", "No, 2\\lambda_1 = \\lambda_2", "dependent: 2v_1 - v_2 = 0",
                                    "no, -4c_1 + 2c_2 + 0c_3 = 0", "no", "linearly dependent"])
def test_independence_relation_right(answer):
    accepted("independence", answer, **VECS)


@pytest.mark.parametrize("answer, fragment", [
    ("no, x_1 - 2x_2 = 0", "the relation does not hold"),
    ("no, 0v_1 = 0", "trivial"),
])
def test_independence_wrong_relation_is_wrong(answer, fragment):
    refused("independence", answer, fragment, at_most=0.5, **VECS)


@pytest.mark.parametrize("answer", ["0: 1/2, 1: 1/2", "no, x_4 = 0", "no, x_1^2 = 0"])
def test_independence_answers_that_are_not_yes_no_are_refused(answer):
    v = verdict("independence", answer, **VECS)
    assert v.status == "unreadable" and not v.correct, v


# ---------------------------------------------------------------- projection and its distance

PROJ = dict(vectors=["[6,0,0]", "[1,1,1]", "[0,1,2]"])


@pytest.mark.parametrize("answer", ["\\pi_U(x) = (5,2,-1), d = \\sqrt{6}", "(5,2,-1)", "5, 2, -1",
                                    "p = (5,2,-1), \\|x - p\\| = \\sqrt{6}", "π_U(x) = (5,2,-1), d(x, U) = √6"])
def test_projection_with_its_distance(answer):
    accepted("projection", answer, **PROJ)


def test_projection_wrong_distance():
    refused("projection", "\\pi_U(x) = (5,2,-1), d = 6", "distance", at_most=0.5, **PROJ)


# ---------------------------------------------------------------- the decimals policy everywhere

BAYES = dict(prior="h1: 1/2, h2: 1/2", likelihood="h1: 2/3, h2: 1/3")
COND = dict(joint="[[0.1,0.2],[0.3,0.4]]", x_values="1,2", y_values="1,2", given="y=1")


def test_bayes_and_conditional_follow_the_decimals_policy():
    rounded = Policy("rounded")
    assert verdict("bayes", "h1: 0.667, h2: 0.333", rounded, **BAYES).correct
    assert verdict("conditional", "1: 0.25, 2: 0.75", rounded, **COND).correct
    assert verdict("conditional", "1: 0.3, 2: 0.8", rounded, **COND).correct
    v = refused("bayes", "h1: 0.667, h2: 0.333", "exact value expected", at_most=0.5, **BAYES)
    assert v.score == 0.5
    refused("bayes", "h1: 0.6, h2: 0.4", "", at_most=0.0, **BAYES)


def test_posterior_is_named_as_a_posterior():
    v = refused("bayes", "h1: 1/3, h2: 2/3", "p(h1 | D) is wrong", **BAYES)
    assert "P(h1)" not in " ".join(v.feedback)
    refused("conditional", "1: 1/2, 2: 1/2", "p(x = 1 | y = 1) is wrong", **COND)


# ---------------------------------------------------------------- feedback that must be true

def test_matrix_gradient_shape_is_named_without_a_drawn_size():
    v = refused("matrix_gradient", "2X^T(X\\theta - y)", "column vector", expression="||X\\theta - y||^2",
                wrt="theta")
    assert "×" not in v.feedback[0].split("(")[0], v.feedback  # no "3 × 1" for θ ∈ ℝⁿ


def test_charpoly_other_convention_is_accepted_with_a_note():
    v = verdict("charpoly", "(\\lambda-1)(\\lambda-3)(\\lambda-2)", matrix="[[1,2,0],[0,3,0],[0,0,2]]")
    assert v.correct and "λI − A" in v.feedback[0], v
    refused("charpoly", "(\\lambda-1)(\\lambda-3)(\\lambda-4)", matrix="[[1,2,0],[0,3,0],[0,0,2]]")


def test_missing_factor_blames_the_chain_rule_only_for_an_inner_derivative():
    v = refused("moments", "mean = a/(a+b), variance = ab/(a+b)^2", "a factor 1/(a + b + 1) is missing",
                distribution="Beta(a,b)")
    assert not any("chain rule" in f or "wrong: wrong" in f for f in v.feedback), v.feedback
    refused("derivative", "\\cos(x^2)", "chain rule", function="\\sin(x^2)", wrt="x")


def test_variance_is_wrong_says_why_or_nothing():
    v = refused("moments", "mean = 1/2, variance = 1", "variance is wrong", distribution="Bernoulli(1/2)")
    assert not any(f.endswith(": wrong") for f in v.feedback), v.feedback


@pytest.mark.parametrize("p", ["0", "1", "-1/2", "3/2"])
def test_geometric_needs_a_success_probability(p):
    with pytest.raises(Exception, match="success probability"):
        api.solve("moments", distribution=f"Geometric({p})")


# ---------------------------------------------------------------- feedback that helps

def test_swapped_eigenvectors_are_named():
    refused("eigen", "λ=3: (1,-1); λ=1: (1,1)", "swapped", matrix="[[2,1],[1,2]]")


def test_inverse_without_one_over_det():
    refused("inverse", "[[4,-2],[-3,1]]", "1/det(A) = -1/2 is missing", matrix="[[1,2],[3,4]]")
    refused("rotation", "[[0,-2],[2,0]]", "off by a factor of 2", angle="pi/2")


@pytest.mark.parametrize("kind, inputs, answer", [
    ("gradient", dict(function="x^2 y", vars="x,y", at="x=1,y=2"), "[2xy, x^2]"),
    ("hessian", dict(function="x^3 y", vars="x,y", at="x=1,y=2"), "[[6xy, 3x^2],[3x^2, 0]]"),
])
def test_derivative_not_evaluated_at_the_point(kind, inputs, answer):
    refused(kind, answer, "evaluate it at the point (x = 1, y = 2)", at_most=0.5, **inputs)


def test_variance_of_an_affine_function_names_the_square():
    refused("variance", "1/2", "a² = 4, not a = 2", distribution="Bernoulli(1/2)", of="2X+1")
    accepted("variance", "1", distribution="Bernoulli(1/2)", of="2X+1")


def test_charpoly_sign_of_an_even_size_is_wrong():
    refused("charpoly", "-\\lambda^2 + 5\\lambda + 2", "sign", matrix="[[1,2],[3,4]]")


# ---------------------------------------------------------------- issue 19, item 13: lenient reading

@pytest.mark.parametrize("kind, inputs, answer", [
    ("rank", dict(matrix="[[1,2],[3,4]]"), "1 = 2"),
    ("rank", dict(matrix="[[1,2],[3,4]]"), "rank = 1, rank = 2"),
    ("rank", dict(matrix="[[1,2],[3,4]]"), "2 = 3 = 2"),
    ("derivative", dict(function="x^2/2+x", wrt="x"), "x+2 = x+1"),
])
def test_a_contradiction_is_wrong(kind, inputs, answer):
    refused(kind, answer, "different values", at_most=0.0, **inputs)


@pytest.mark.parametrize("kind, inputs, answer", [
    ("rank", dict(matrix="[[1,2],[3,4]]"), "rank A = 2"),
    ("rank", dict(matrix="[[1,2],[3,4]]"), "\\operatorname{rank}(A) = 2"),
    ("rank", dict(matrix="[[1,2],[3,4]]"), "r = 2"),
    ("derivative", dict(function="x^2/2+x", wrt="x"), "f'(x) = x+1"),
    ("derivative", dict(function="x^2/2+x", wrt="x"), "f'(x) = 1 + x = x+1"),
    ("det", dict(matrix="[[1,2],[3,4]]"), "\\det A = 1\\cdot 4 - 2 \\cdot 3 = -2"),
])
def test_a_label_and_a_chain_of_equal_values_are_right(kind, inputs, answer):
    accepted(kind, answer, **inputs)


# ---------------------------------------------------------------- issue 12, section 2: what students type

EIG = dict(matrix="[[2,1],[1,2]]")


@pytest.mark.parametrize("answer", [
    "\\lambda=3: \\begin{pmatrix}1\\\\1\\end{pmatrix}, \\lambda=1: \\begin{pmatrix}1\\\\-1\\end{pmatrix}",
    "λ=3: (1,1), λ=1: (1,-1)",
    "3: (2,2), 1: (-1,1)",
    "E_3=\\mathrm{span}\\{(1,1)\\}, E_1=\\mathrm{span}\\{(1,-1)\\}",
    "E_{3} = \\operatorname{span}\\{(1,1)\\}; E_{1} = span\\{(1,-1)\\}",
])
def test_eigen_forms(answer):
    accepted("eigen", answer, **EIG)


def test_eigenvalues_as_a_set():
    for answer in ("\\{1, 3\\}", "\\{3, 1\\}", "\\lambda \\in \\{1, 3\\}"):
        v = verdict("eigen", answer, **EIG)
        assert v.status == "incorrect" and v.feedback == ["the eigenvectors are missing"], v
    refused("eigen", "\\{1, 4\\}", "not an eigenvalue", **EIG)


@pytest.mark.parametrize("kind, inputs, answer", [
    ("inverse", dict(matrix="[[1,2],[3,4]]"), "-\\frac12\\begin{pmatrix}4&-2\\\\-3&1\\end{pmatrix}"),
    ("inverse", dict(matrix="[[1,2],[3,4]]"), "\\frac{1}{-2} \\cdot \\begin{pmatrix}4&-2\\\\-3&1\\end{pmatrix}"),
    ("inverse", dict(matrix="[[1,2],[3,4]]"), "A^{-1} = -1/2 [[4,-2],[-3,1]]"),
    ("projection", dict(vectors=["[1,1,1]", "[1,2,2]"]), "\\frac59\\begin{pmatrix}1\\\\2\\\\2\\end{pmatrix}"),
    ("gram_schmidt", dict(vectors=["[1,1]", "[1,0]"], normalize=True),
     "\\frac{1}{\\sqrt2}\\begin{pmatrix}1\\\\1\\end{pmatrix}, \\frac{1}{\\sqrt2}\\begin{pmatrix}1\\\\-1\\end{pmatrix}"),
    ("derivative", dict(function="\\tan x", wrt="x"), "\\sec^2 x"),
    ("derivative", dict(function="\\tan x", wrt="x"), "\\frac{1}{\\cos^2 x}"),
    ("rank", dict(matrix="[[1,2],[3,4]]"), "\\max(1, 2)"),
])
def test_forms_read(kind, inputs, answer):
    accepted(kind, answer, **inputs)


def test_scalar_times_matrix_wrong_factor():
    refused("inverse", "\\frac12\\begin{pmatrix}4&-2\\\\-3&1\\end{pmatrix}", "sign", matrix="[[1,2],[3,4]]")


@pytest.mark.parametrize("expected, answer", [
    ("x^2 = 4", "x = 2 \\text{ or } x = -2"),
    ("x^2 = 4", "x = -2 \\quad\\text{or}\\quad x = 2"),
    ("ab = 0", "a = 0 or b = 0"),
    ("a = 0 \\text{ or } b = 0", "ab = 0"),
    ("(x-1)(y-2) = 0", "x = 1 or y = 2"),
])
def test_equations_as_solution_sets(expected, answer):
    v = grading.compare_expected(expected, answer)
    assert v.correct, v


@pytest.mark.parametrize("answer, fragment", [
    ("\\frac{d}{dx}(x^2)", "type the derivative itself"),
    ("\\frac{dy}{dx}", "type the derivative itself"),
    ("f(x)", "read as a function"),
    ("E[X]", "type its value"),
    ("1 \\frac{1}{2}", "mixed number"),
])
def test_misreadings_are_refused_with_what_to_type(answer, fragment):
    v = grading.compare_expected("2x", answer)
    assert v.status == "unreadable" and fragment in v.feedback[0], v


@pytest.mark.parametrize("answer", [
    "\\begin{pmatrix}4&-3\\\\-2&1\\end{pmatrix}^T \\cdot \\frac{-1}{2}",
    "-\\frac12 [[4,-2],[-3,1]]", "[[-1,0],[0,-1/2]] + [[-1,1],[3/2,0]]", "[[0,1],[1,0]][[3/2,-1/2],[-2,1]]",
])
def test_arithmetic_of_literal_matrices(answer):
    accepted("inverse", answer, matrix="[[1,2],[3,4]]")


@pytest.mark.parametrize("answer, fragment", [
    ("[[1,2],[2,4]]^{-1}", "singular"), ("[[1,2]] + [[1],[2]]", "different sizes"),
    ("[[1,1],[0,1]]^{12}", "up to 9"),
])
def test_arithmetic_of_literal_matrices_refused(answer, fragment):
    v = verdict("inverse", answer, matrix="[[1,2],[3,4]]")
    assert v.status == "unreadable" and fragment in v.feedback[0], v


def test_an_inverse_restated_is_not_an_answer():
    refused("inverse", "[[1,2],[3,4]]^{-1}", "leaves the inverse to be computed", at_most=0.0,
            matrix="[[1,2],[3,4]]")
    assert verdict("rotation", "[[0,1],[-1,0]]^{-1}", angle="pi/2").correct  # elsewhere it is arithmetic


@pytest.mark.parametrize("answer", ["[(1,2), (1,3)]", "v_1 = (1,2) and v_2 = (1,3)", "\\langle (1,2), (1,3) \\rangle",
                                    "[\\begin{pmatrix}1\\\\2\\end{pmatrix}, \\begin{pmatrix}1\\\\3\\end{pmatrix}]"])
def test_lists_of_vectors(answer):
    accepted("image", answer, matrix="[[1,1],[2,3]]")


def test_a_matrix_is_not_guessed_to_be_a_list_of_vectors():
    assert verdict("image", "[[1,2],[1,3]]", matrix="[[1,1],[2,3]]").status == "unreadable"
