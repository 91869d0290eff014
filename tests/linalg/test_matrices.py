"""The matrix kinds (MML chapter 2) against sympy's inv, det, rank, nullspace, columnspace."""
from __future__ import annotations

import random

import pytest
import sympy

from tutor.core.answers import BasisAnswer, BooleanAnswer, MatrixAnswer, NoneAnswer
from tutor.api import solve
from tutor.core.errors import TutorError
from tutor.rendering import render

a, b, c, d, lam = sympy.symbols("a b c d lambda")
M, V = sympy.Matrix, (lambda *xs: sympy.Matrix(xs))


def rand_matrix(rng: random.Random, rows: int, cols: int, rank: int | None = None) -> sympy.Matrix:
    """Integer entries; ``rank``: a product of random rows x cols factors of that rank."""
    entry = lambda: rng.choice([0, 0, *range(-4, 5)])  # noqa: E731
    if rank is None:
        return M(rows, cols, lambda i, j: entry())
    return M(rows, rank, lambda i, j: entry()) * M(rank, cols, lambda i, j: entry())


def checked(kind: str, **inputs):
    sol = solve(kind, **inputs)
    bad = [s.rule for s in sol.walk() if not s.check()]
    assert not bad, f"steps that do not check: {bad}"
    for fmt in ("text", "latex"):  # the template renders every branch it meets
        assert render.solution_body(sol, fmt)
    return sol


def same_span(vectors, expected) -> bool:
    B, E = M.hstack(*vectors) if vectors else M(), M.hstack(*expected) if expected else M()
    if not vectors or not expected:
        return not vectors and not expected
    return B.rank() == E.rank() == B.row_join(E).rank() == len(vectors)


@pytest.mark.parametrize("seed", range(25))
def test_square_random(seed):
    rng = random.Random(seed)
    n = rng.choice([1, 2, 3, 3, 4, 5])
    A = rand_matrix(rng, n, n, rank=rng.randint(max(1, n - 1), n) if seed % 3 == 0 else None)
    sol = checked("inverse", matrix=A)
    if A.det() == 0:
        assert sol.answer == NoneAnswer("singular")
    else:
        assert isinstance(sol.answer, MatrixAnswer) and sol.answer.value == A.inv()
    method = "laplace" if n <= 4 else "rows"
    assert checked("det", matrix=A, method=method).answer.value == A.det()
    assert checked("det", matrix=A, method="rows").answer.value == A.det()


@pytest.mark.parametrize("seed", range(25))
def test_rectangular_random(seed):
    rng = random.Random(1000 + seed)
    rows, cols = rng.randint(1, 5), rng.randint(1, 5)
    A = rand_matrix(rng, rows, cols, rank=rng.randint(0, min(rows, cols)) if seed % 2 else None)
    assert checked("rank", matrix=A).answer.value == A.rank()
    kernel = checked("kernel", matrix=A).answer
    assert isinstance(kernel, BasisAnswer) and same_span(kernel.vectors, A.nullspace())
    image = checked("image", matrix=A).answer
    assert same_span(image.vectors, A.columnspace())
    assert all(any(v == A.col(j) for j in range(cols)) for v in image.vectors)
    vectors = [A.col(j) for j in range(cols)]
    ind = checked("independence", vectors=vectors).answer
    assert isinstance(ind, BooleanAnswer) and ind.value == (A.rank() == cols)
    if not ind.value:
        combo = sum((k * v for k, v in zip(ind.relation, vectors)), sympy.zeros(rows, 1))
        assert combo == sympy.zeros(rows, 1) and any(k != 0 for k in ind.relation)


@pytest.mark.parametrize("seed", range(12))
def test_coordinates_and_change_of_basis(seed):
    rng = random.Random(2000 + seed)
    n = rng.randint(1, 4)
    S = rand_matrix(rng, n, n)
    while S.det() == 0:
        S = rand_matrix(rng, n, n)
    x = rand_matrix(rng, n, 1)
    basis = [S.col(j) for j in range(n)]
    coords = checked("coordinates", x=x, basis=basis).answer.value
    assert S * coords == x
    m = rng.randint(1, 3)
    T = rand_matrix(rng, m, m)
    while T.det() == 0:
        T = rand_matrix(rng, m, m)
    A = rand_matrix(rng, m, n)
    result = checked("change_of_basis", matrix=A, B=S.T, C=T.T).answer.value
    assert result == T.inv() * A * S


def test_coordinates_in_a_subspace():
    sol = checked("coordinates", x=V(1, 2, 3), basis=[V(1, 1, 1), V(0, 1, 2)])
    assert list(sol.answer.value) == [1, 1]


@pytest.mark.parametrize("A", [
    M([[a, b], [c, d]]), M([[a, 1], [0, a]]), M([[1, a, 0], [0, 1, b], [c, 0, 1]]),
    M([[a, 0, 0], [0, b, 0], [0, 0, c]]), M([[2 - lam, 1], [1, 2 - lam]]),
])
def test_symbolic_inverse_and_det(A):
    inv = checked("inverse", matrix=A)
    assert sympy.simplify(inv.answer.value - A.inv()) == sympy.zeros(*A.shape)
    assert any(s.rule == "inverse.det_condition" for s in inv.walk())
    det = checked("det", matrix=A).answer.value
    assert sympy.expand(det - A.det()) == 0


def test_symbolic_singular():
    assert checked("inverse", matrix=M([[a, a], [1, 1]])).answer == NoneAnswer("singular")


def test_characteristic_polynomial_4x4():
    A = M([[2, 0, 0, 1], [0, 1, 0, 0], [1, 0, 3, 0], [0, 0, 1, 1]])
    det = checked("det", matrix=A - lam * sympy.eye(4)).answer.value
    assert sympy.expand(det - A.charpoly(lam).as_expr()) == 0


def test_sarrus_and_hand_picked():
    A = M([[1, 2, 0], [3, 1, 2], [0, 1, 4]])
    assert checked("det", matrix=A, method="sarrus").answer.value == -22
    assert checked("kernel", matrix=M([[0, 0], [0, 0]])).answer.vectors == (M([-1, 0]), M([0, -1]))
    assert checked("image", matrix=M([[0, 0], [0, 0]])).answer.vectors == ()
    assert checked("independence", vectors=[V(0, 0)]).answer.value is False
    assert checked("independence", vectors=[V(1, 2, 3), V(2, 4, 6), V(0, 1, 1)]).answer.relation == (2, -1, 0)
    assert checked("inverse", matrix=M([[sympy.Rational(1, 2)]])).answer.value == M([[2]])


def test_relation_fractions_are_cleared():
    ind = checked("independence", vectors=[V(2, 4), V(3, 6)]).answer
    assert all(k.is_Integer for k in ind.relation)


def test_json_forms():
    assert checked("inverse", matrix=M([[2, 1], [5, 3]])).answer.to_json() == \
        {"type": "matrix", "value": [["3", "-1"], ["-5", "2"]]}
    assert checked("inverse", matrix=M([[1, 2], [2, 4]])).answer.to_json() == \
        {"type": "none", "reason": "singular"}
    assert checked("kernel", matrix=M([[1, 2]])).answer.to_json() == \
        {"type": "basis", "vectors": [["2", "-1"]]}


@pytest.mark.parametrize("kind, inputs, message", [
    ("inverse", dict(matrix=M([[1, 2, 3], [4, 5, 6]])), "square"),
    ("det", dict(matrix=M([[1, 2, 3], [4, 5, 6]])), "square"),
    ("det", dict(matrix=sympy.eye(5), method="laplace"), "limited to 4x4"),
    ("det", dict(matrix=sympy.eye(4) * a + M(4, 4, lambda i, j: b)), "limited to 3x3"),
    ("det", dict(matrix=M([[a, 1], [1, a]]), method="rows"), "numeric"),
    ("det", dict(matrix=sympy.eye(2), method="sarrus"), "3x3"),
    ("det", dict(matrix=sympy.eye(9)), "limit is 8x8"),
    ("inverse", dict(matrix=sympy.eye(4) * a), "limited to 3x3"),
    ("rank", dict(matrix=M([[a, 1]])), "not a real number"),
    ("independence", dict(vectors=[V(1, 2), V(1, 2, 3)]), "different lengths"),
    ("independence", dict(vectors=[M([[1, 2], [3, 4]])]), "not a vector"),
    ("coordinates", dict(x=V(1, 2), basis=[V(1, 0), V(2, 0)]), "not a basis"),
    ("coordinates", dict(x=V(1, 2, 3), basis=[V(1, 0), V(0, 1)]), "entries"),
    ("coordinates", dict(x=V(0, 0, 1), basis=[V(1, 0, 0), V(0, 1, 0)]), "not in the span"),
    ("coordinates", dict(x=V(1, 2), basis=[]), "basis"),
    ("change_of_basis", dict(matrix=M([[1, 2], [3, 4]]), B=M([[1, 1], [2, 2]])), "not a basis"),
    ("change_of_basis", dict(matrix=M([[1, 2], [3, 4]]), B=M([[1, 1, 0]])), "2 vectors"),
    ("change_of_basis", dict(matrix=M([[1, 2], [3, 4]])), "give a new basis"),
])
def test_bad_input(kind, inputs, message):
    with pytest.raises(TutorError, match=message):
        solve(kind, **inputs)
