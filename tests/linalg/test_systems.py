"""The ``system`` kind: random systems against sympy's linsolve, and the lecture's systems."""
from __future__ import annotations

import random

import pytest
import sympy
from sympy import Eq, Matrix, Rational, symbols

import tutor
from tutor.core.errors import TutorError
from tutor.parsing.text import parse_equation
from tutor.topics import get
from tutor.linalg.rowreduce import EliminateColumn, NormalizePivots, RowReduction
from tutor.linalg.kernels import MinusOneTrick
from tutor.linalg.systems import Inconsistent, SubstitutionCheck, UniqueSolution, solve
from tutor.topics.systems import build

x, y, z = symbols("x y z")


def random_system(rng: random.Random) -> tuple[Matrix, Matrix]:
    """A random A (integer or rational entries; sometimes rank-deficient on purpose) and b."""
    m, n = rng.randint(1, 6), rng.randint(1, 6)
    def entry():
        if rng.random() < 0.2:
            return Rational(rng.randint(-6, 6), rng.randint(1, 4))
        return rng.randint(-4, 4)
    rows = [[entry() for _ in range(n)] for _ in range(m)]
    if m > 1 and rng.random() < 0.5:
        for i in rng.sample(range(m), rng.randint(1, m - 1)):
            a, c = rng.randint(-2, 2), rng.randint(-2, 2)
            j, k = rng.randrange(m), rng.randrange(m)
            rows[i] = [a * p + c * q for p, q in zip(rows[j], rows[k])]
    A = Matrix(rows)
    kind = rng.choice(["consistent", "random", "homogeneous"])
    if kind == "consistent":
        b = A * Matrix([rng.randint(-3, 3) for _ in range(n)])
    elif kind == "homogeneous":
        b = sympy.zeros(m, 1)
    else:
        b = Matrix([rng.randint(-5, 5) for _ in range(m)])
    return A, b


def assert_same_as_linsolve(A: Matrix, b: Matrix) -> None:
    solution = solve(build(matrix=A, rhs=b))
    assert all(step.check() for step in solution.walk())
    answer = solution.answer
    n = A.cols
    expected = sympy.linsolve((A, b), *answer.variables)
    if expected == sympy.EmptySet:
        assert answer.particular is None and answer.directions == ()
        return
    assert answer.particular is not None
    assert A * answer.particular == b
    directions = list(answer.directions)
    assert len(directions) == n - A.rank()
    for v in directions:
        assert A * v == sympy.zeros(A.rows, 1)
    if directions:
        assert Matrix.hstack(*directions).rank() == len(directions)
    (point,) = expected  # linsolve's point with its free parameters set to 0 is in our set
    at_zero = Matrix(point).subs({s: 0 for s in Matrix(point).free_symbols})
    offset = at_zero - answer.particular
    span = Matrix.hstack(*directions) if directions else sympy.zeros(n, 0)
    assert span.rank() == span.row_join(offset).rank()


def cases(count: int, seed: int) -> list[tuple[Matrix, Matrix]]:
    rng = random.Random(seed)
    return [random_system(rng) for _ in range(count)]


@pytest.mark.parametrize("A, b", cases(300, seed=11), ids=lambda v: str(v.tolist()))
def test_random_systems_match_linsolve(A: Matrix, b: Matrix) -> None:
    assert_same_as_linsolve(A, b)


def test_random_cases_cover_every_outcome() -> None:
    outcomes = set()
    for A, b in cases(300, seed=11):
        answer = solve(build(matrix=A, rhs=b)).answer
        outcomes.add("none" if answer.particular is None else "unique" if not answer.directions else "many")
    assert outcomes == {"none", "unique", "many"}


def run(*equations: Eq):
    solution = solve(build(equations=list(equations)))
    assert all(step.check() for step in solution.walk())
    return solution


def test_one_equation_one_unknown() -> None:
    answer = run(Eq(3 * x, 6)).answer
    assert answer.variables == (x,) and answer.particular == Matrix([2]) and answer.directions == ()


def test_lecture_two_by_two() -> None:
    solution = run(Eq(3 * x + y, 9), Eq(4 * x - 2 * y, 5))
    assert solution.answer.particular == Matrix([Rational(23, 10), Rational(21, 10)])
    assert any(isinstance(s, UniqueSolution) for s in solution.steps)


def test_lecture_two_by_two_has_no_fractions_before_the_final_scaling() -> None:
    solution = run(Eq(3 * x + y, 9), Eq(4 * x - 2 * y, 5))
    reduction = next(s for s in solution.steps if isinstance(s, RowReduction))
    for step in reduction.substeps:
        if isinstance(step, NormalizePivots):
            break
        if isinstance(step, EliminateColumn):
            assert all(e.is_Integer for op in step.substeps for e in op.after)


def test_lecture_three_by_three_has_a_line_of_solutions() -> None:
    """2x + 4y - z = 5, 7x - 2y + 3z = 6, 9x + 2y + 2z = 11: the third is the sum of the others."""
    solution = run(Eq(2 * x + 4 * y - z, 5), Eq(7 * x - 2 * y + 3 * z, 6), Eq(9 * x + 2 * y + 2 * z, 11))
    answer = solution.answer
    assert answer.particular == Matrix([Rational(17, 16), Rational(23, 32), 0])
    (v,) = answer.directions
    assert v == Matrix([Rational(5, 16), Rational(-13, 32), -1])
    trick = next(s for s in solution.steps if isinstance(s, MinusOneTrick))
    assert trick.square[2, 2] == -1 and trick.free_columns == (2,)


def test_lecture_one_equation_two_unknowns() -> None:
    answer = run(Eq(2 * x + 4 * y, 5)).answer
    assert answer.particular == Matrix([Rational(5, 2), 0])
    assert answer.directions == (Matrix([2, -1]),)


def test_inconsistent_system_names_the_row() -> None:
    solution = run(Eq(x + y, 1), Eq(2 * x + 2 * y, 3))
    assert solution.answer.particular is None
    bad = next(s for s in solution.steps if isinstance(s, Inconsistent))
    assert bad.row == 1 and bad.value != 0
    assert not any(isinstance(s, SubstitutionCheck) for s in solution.steps)


def test_zero_matrix() -> None:
    answer = solve(build(matrix=sympy.zeros(2, 3))).answer
    assert answer.particular == sympy.zeros(3, 1) and len(answer.directions) == 3
    assert solve(build(matrix=sympy.zeros(2, 2), rhs=Matrix([0, 1]))).answer.particular is None


def test_homogeneous_system() -> None:
    A = Matrix([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    solution = solve(build(matrix=A))
    assert all(step.check() for step in solution.walk())
    answer = solution.answer
    assert answer.variables == symbols("x_1:4")
    assert answer.particular == sympy.zeros(3, 1)
    (v,) = answer.directions
    assert A * v == sympy.zeros(3, 1) and -1 in v


def test_five_by_five() -> None:
    A = Matrix([[2, 1, 0, 0, 3], [1, 3, 1, 0, 0], [0, 1, 4, 1, 0], [0, 0, 1, 5, 1], [3, 0, 0, 1, 6]])
    x0 = Matrix([1, -2, 3, Rational(1, 2), 0])
    solution = solve(build(matrix=A, rhs=A * x0))
    assert all(step.check() for step in solution.walk())
    assert solution.answer.particular == x0 and solution.answer.directions == ()


def test_one_by_one_and_non_square() -> None:
    assert solve(build(matrix=Matrix([[5]]), rhs=Matrix([3]))).answer.particular == Matrix([Rational(3, 5)])
    assert solve(build(matrix=Matrix([[0]]), rhs=Matrix([3]))).answer.particular is None
    assert_same_as_linsolve(Matrix([[1, 2], [3, 4], [5, 6]]), Matrix([1, 1, 1]))
    assert_same_as_linsolve(Matrix([[1, 2, 3, 4], [2, 4, 6, 9]]), Matrix([1, 1]))


def test_natural_order_of_unknowns() -> None:
    x1, x2, x10 = symbols("x_1 x_2 x_10")
    answer = run(Eq(x10 + x2, 1), Eq(x1, 2), Eq(x2, 3)).answer
    assert answer.variables == (x1, x2, x10)
    a, b = symbols("a b")
    assert run(Eq(b + z + a, 1)).answer.variables == (a, b, z)


def test_equation_without_unknowns_is_a_zero_row() -> None:
    assert run(Eq(x, 1), Eq(sympy.Integer(3), 3, evaluate=False)).answer.particular == Matrix([1])
    assert run(Eq(x, 1), Eq(sympy.Integer(3), 4, evaluate=False)).answer.particular is None
    with pytest.raises(TutorError, match="no unknowns"):
        build(equations=[Eq(sympy.Integer(3), 3)])
    with pytest.raises(TutorError, match="no unknowns and all hold: there is nothing to solve"):
        build(equations=[Eq(sympy.Integer(3), 3, evaluate=False)])


def test_a_false_equation_without_unknowns_means_no_solution() -> None:
    """``0 = 4`` is a system (issue 20): its augmented matrix has no coefficient columns and
    the row 0 = 4 makes it inconsistent, as sympy's linsolve says of the same equations."""
    for equations in (["0 = 4"], ["0 = 4", "1 = 1"], ["2 = 2", "0 = -1/2"]):
        solution = tutor.solve("system", equations=equations)
        assert solution.answer.particular is None and solution.answer.variables == ()
        assert all(step.check() for step in solution.walk())
        assert "no unknown" in tutor.render_solution(solution, "text")
        assert "coefficient part are zero" in tutor.render_solution(solution, "text")
        exprs = [parse_equation(e) for e in equations]
        assert sympy.linsolve([e.lhs - e.rhs for e in exprs], [x]) == sympy.EmptySet


def test_non_linear_equation_is_refused() -> None:
    with pytest.raises(TutorError, match="equation 2 is not linear in x, y: x\\*y"):
        build(equations=[Eq(x + y, 1), Eq(x * y, 2)])
    with pytest.raises(TutorError, match="not linear"):
        build(equations=[Eq(sympy.sin(x), 0)])


def test_bad_matrix_inputs_are_refused() -> None:
    with pytest.raises(TutorError, match="the right-hand side has 2 entries but the matrix has 3 rows"):
        build(matrix=sympy.eye(3), rhs=Matrix([1, 2]))
    with pytest.raises(TutorError, match="empty"):
        build(matrix=sympy.zeros(0, 0))
    with pytest.raises(TutorError, match="not a real number"):
        build(matrix=Matrix([[x, 1]]))
    with pytest.raises(TutorError):
        build()
    with pytest.raises(TutorError):
        build(equations=[Eq(x, 1)], matrix=sympy.eye(1))


def test_registered_and_json_ready() -> None:
    kind = get("system")
    assert kind.topic == "systems"
    problem = kind.make({"equations": [Eq(3 * x + y, 9), Eq(4 * x - 2 * y, 5)]})
    data = kind.solve(problem).to_json()
    assert data["answer"]["particular"] == ["23/10", "21/10"]


def test_text_inputs_go_through_the_parser() -> None:
    kind = get("system")
    answer = kind.solve(kind.make({"equations": ["3x + y = 9", "4x - 2y = 5"]})).answer
    assert answer.particular == Matrix([Rational(23, 10), Rational(21, 10)])
    answer = kind.solve(kind.make({"matrix": "[[1, 2], [2, 4]]", "rhs": "[1, 2]"})).answer
    assert answer.particular == Matrix([1, 0]) and answer.directions == (Matrix([2, -1]),)
