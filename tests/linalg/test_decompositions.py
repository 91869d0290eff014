"""cholesky, svd and low_rank, against sympy's Cholesky and numpy's SVD."""
from __future__ import annotations

import random

import numpy as np
import pytest
import sympy

from tutor import api
from tutor.core.errors import TutorError
from tutor.rendering.render import render_solution


def _checks(sol) -> None:
    bad = [s.rule for s in sol.walk() if not s.check()]
    assert not bad, bad


def _numeric(M: sympy.MatrixBase) -> np.ndarray:
    return np.array([[complex(sympy.N(e, 20)).real for e in M.row(i)] for i in range(M.rows)])


def _spd(rng: random.Random, n: int) -> sympy.Matrix:
    M = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
    return M * M.T + sympy.eye(n)


@pytest.mark.parametrize("seed", range(10))
def test_cholesky_random_spd(seed):
    rng = random.Random(seed)
    A = _spd(rng, rng.randint(1, 4))
    sol = api.solve("cholesky", matrix=A)
    L = sol.answer.value
    n = A.rows
    assert all(L[i, j] == 0 for i in range(n) for j in range(i + 1, n))
    assert all(L[i, i].is_positive for i in range(n))
    assert sympy.simplify(L * L.T - A) == sympy.zeros(n, n)
    assert sympy.simplify(L - A.cholesky()) == sympy.zeros(n, n)
    _checks(sol)


def test_cholesky_textbook():
    A = sympy.Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
    sol = api.solve("cholesky", matrix=A)
    assert sol.answer.to_json() == {"type": "matrix",
                                    "value": [["2", "0", "0"], ["6", "1", "0"], ["-8", "5", "3"]]}
    _checks(sol)
    for fmt in ("text", "markdown", "latex"):
        assert render_solution(sol, fmt)


def test_the_leading_minors_are_computed_not_asserted():
    """Issue 18 (eigen p.16): Δ₃ = 36 was stated without its computation."""
    import dataclasses
    sol = api.solve("cholesky", matrix="[[4,12,-16],[12,37,-43],[-16,-43,98]]")
    minors = sol.steps[0]
    assert [s.rule for s in minors.substeps] == ["det.2x2", "det.sarrus"]
    assert not dataclasses.replace(minors, minors=(4, 4, 35)).check()
    text = render_solution(sol, "text")
    assert "Δ_2  = det[  4  12 ] = 4 · 37 - 12 · 12 = 4 > 0" in text
    assert "Δ_3 is the determinant of A itself" in text and "By the rule of Sarrus" in text
    assert "= 14504 + 8256 + 8256 - (9472 + 7396 + 14112)" in text and "Δ_3 = 36 > 0" in text
    sol = api.solve("cholesky", matrix="[[4,2,0,0],[2,5,1,0],[0,1,3,1],[0,0,1,2]]")
    assert [s.rule for s in sol.steps[0].substeps] == ["det.2x2", "det.sarrus", "det.laplace"]
    _checks(sol)


@pytest.mark.parametrize("A, order", [([[1, 2], [2, 1]], 2), ([[0, 1], [1, 0]], 1),
                                      ([[1, 1, 0], [1, 1, 0], [0, 0, 1]], 2), ([[-1]], 1)])
def test_cholesky_not_positive_definite(A, order):
    sol = api.solve("cholesky", matrix=sympy.Matrix(A))
    assert sol.answer.type == "none"
    assert sol.answer.reason.startswith(f"not positive definite: the leading minor of order {order}")
    _checks(sol)


@pytest.mark.parametrize("A, message", [([[1, 2], [3, 4]], "symmetric"), ([[1, 2, 3]], "square"),
                                        ([[sympy.Symbol("a"), 0], [0, 1]], "rational")])
def test_cholesky_bad_input(A, message):
    with pytest.raises(TutorError, match=message):
        api.solve("cholesky", matrix=sympy.Matrix(A))


def _verify_svd(A: sympy.Matrix, sol) -> None:
    U, S, V = sol.answer.U, sol.answer.S, sol.answer.V
    m, n = A.shape
    assert U.shape == (m, m) and S.shape == (m, n) and V.shape == (n, n)
    assert sympy.simplify(U.T * U - sympy.eye(m)) == sympy.zeros(m, m)
    assert sympy.simplify(V.T * V - sympy.eye(n)) == sympy.zeros(n, n)
    assert sympy.simplify(U * S * V.T - A) == sympy.zeros(m, n)
    sigmas = [float(S[i, i]) for i in range(min(m, n))]
    assert np.allclose(sigmas, np.linalg.svd(_numeric(A), compute_uv=False), atol=1e-9)
    assert all(S[i, j] == 0 for i in range(m) for j in range(n) if i != j)


@pytest.mark.parametrize("A", [
    [[3, 2, 2], [2, 3, -2]],          # MML example 4.13-like: σ = 5, 3
    [[1, 0, 1], [-2, 1, 0]],          # MML example 4.12
    [[1, 1], [1, 1], [0, 0]],         # rank 1, m > rank: completion of U
    [[2, 1], [1, 2]],
    [[1, 2], [2, 4]],                 # rank 1 square
    [[0, 0], [0, 0]],                 # zero matrix
    [[3]],
    [[1, 2, 3]],
    [[1], [2], [2]],
])
def test_svd_hand_picked(A):
    A = sympy.Matrix(A)
    sol = api.solve("svd", matrix=A)
    _verify_svd(A, sol)
    _checks(sol)
    for fmt in ("text", "markdown", "latex"):
        assert render_solution(sol, fmt)


def _rational_orthogonal(rng: random.Random, n: int) -> sympy.Matrix:
    """A signed permutation times rotations by (3/5, 4/5) in random coordinate planes."""
    Q = sympy.eye(n)[rng.sample(range(n), n), :] * sympy.diag(*[rng.choice([1, -1]) for _ in range(n)])
    for _ in range(n - 1):
        i, j = rng.sample(range(n), 2)
        R = sympy.eye(n)
        R[i, i], R[i, j], R[j, i], R[j, j] = (sympy.Rational(3, 5), -sympy.Rational(4, 5),
                                              sympy.Rational(4, 5), sympy.Rational(3, 5))
        Q = Q * R
    return Q


@pytest.mark.parametrize("seed", range(6))
def test_svd_random_known_singular_values(seed):
    rng = random.Random(50 + seed)
    m, n = rng.choice([(2, 2), (2, 3), (3, 2), (3, 3)])
    S = sympy.zeros(m, n)
    for i in range(min(m, n)):
        S[i, i] = rng.choice([0, 1, 2, 5])
    A = _rational_orthogonal(rng, m) * S * _rational_orthogonal(rng, n).T
    sol = api.solve("svd", matrix=A)
    _verify_svd(A, sol)
    _checks(sol)


@pytest.mark.parametrize("seed", [1])
def test_svd_random_integer(seed):
    """General integer matrices: nested surds are exact (slow to check, so few cases)."""
    rng = random.Random(70 + seed)
    A = sympy.Matrix(2, 2, lambda i, j: rng.randint(-2, 2))
    try:
        sol = api.solve("svd", matrix=A)
    except TutorError as e:  # A^T A with eigenvalues not in radicals: refused, not faked
        assert "no exact SVD" in str(e)
        return
    _verify_svd(A, sol)
    _checks(sol)


@pytest.mark.parametrize("A, k", [([[3, 2, 2], [2, 3, -2]], 1), ([[1, 1], [1, 1], [0, 0]], 1),
                                  ([[2, 1], [1, 2]], 1), ([[2, 1], [1, 2]], 2), ([[1, 0, 1], [-2, 1, 0]], 1)])
def test_low_rank(A, k):
    A = sympy.Matrix(A)
    sol = api.solve("low_rank", matrix=A, k=k)
    Ak = sol.answer.value
    s = np.linalg.svd(_numeric(A), compute_uv=False)
    assert Ak.rank(simplify=True) <= k
    error = np.linalg.norm(_numeric(A - Ak), 2)
    assert abs(error - (s[k] if k < len(s) else 0.0)) < 1e-9
    _checks(sol)
    assert render_solution(sol, "text")


@pytest.mark.parametrize("k", [0, 3, sympy.Rational(1, 2)])
def test_low_rank_bad_k(k):
    with pytest.raises(TutorError, match="k must be"):
        api.solve("low_rank", matrix=sympy.Matrix([[1, 2], [3, 4]]), k=k)


def test_svd_too_large():
    with pytest.raises(TutorError, match="at most 4"):
        api.solve("svd", matrix=sympy.ones(5, 2))


# ---------------------------------------------------------------- how the sheet reads

def test_svd_solves_the_eigenproblem_of_the_gram_matrix_by_name():
    text = render_solution(api.solve("svd", matrix="[[3,2,2],[2,3,-2]]"), "text")
    assert "p(λ) = det(A^T A - λ I)" in text
    assert "(A^T A - 9I)x = 0" in text and "E_0 = ker(A^T A)" in text
    assert "det(A - λ I)" not in text and "(A - 9I)" not in text
    assert "σ_3" not in text  # a 2x3 matrix has two singular values


def test_svd_completion_of_u_names_its_unknowns_and_skips_unit_vectors():
    sol = api.solve("svd", matrix="[[1,1],[1,1],[0,0]]")
    _checks(sol)
    text = render_solution(sol, "text")
    assert "columns of y₁" in text and "columns of 1" not in text
    assert "(already a unit vector)" in text and "1/1" not in text
    assert "frac1" not in text and "σ_1) A v_1 = 1/2[" in text.replace("1/σ_1 A", "(1)/(σ_1) A")


def test_cholesky_shows_the_value_under_the_root():
    text = render_solution(api.solve("cholesky", matrix="[[4,12,-16],[12,37,-43],[-16,-43,98]]"), "text")
    assert "l_33 = √(98 - (-8)^2 - 5^2) = √(9) = 3" in text


def test_svd_without_radicals_is_refused_with_numeric_singular_values():
    """A^T A with an irreducible cubic characteristic polynomial (three real roots, no real
    radicals): no exact SVD is faked, and the numbers given are the true singular values."""
    A = [[2, -2, 1], [0, 2, -1], [-1, 1, 2]]
    with pytest.raises(TutorError) as raised:
        api.solve("svd", matrix=sympy.Matrix(A))
    message = str(raised.value)
    assert "no exact SVD" in message and "no closed form" not in message
    given = [float(v) for v in message.rsplit("are ", 1)[1].split(", ")]
    assert given == pytest.approx(list(np.linalg.svd(np.array(A, dtype=float))[1]), rel=1e-5)


# ---------------------------------------------------------------- issue 20, defect 5 (speed)
# SVDs whose singular values are nested radicals (the eigenvalues of A^T A are surds): they
# took 3-16 s; the answers against numpy, U Σ V^T shown as A itself (it showed nested radicals).

SLOW_SVD = ["[[0, 2, -1, 1], [3, 3, -2, -3], [0, -2, 1, -1]]", "[[0, -1, 3], [-1, 0, -2], [0, 1, -3]]",
            "[[3, -3, 2, 3], [-1, -3, 0, 0], [-1, -3, 0, -3]]", "[[1, -1, -1, 0], [-1, 1, -1, 0], [1, 0, 1, 1], [0, 1, 1, 0]]"]


@pytest.mark.parametrize("A", SLOW_SVD)
def test_svd_with_nested_radicals(A):
    sol = api.solve("svd", matrix=A)
    _checks(sol)
    M = sympy.Matrix(sympy.sympify(A))
    U, S, V = (_numeric(X) for X in (sol.answer.U, sol.answer.S, sol.answer.V))
    assert np.allclose(U @ S @ V.T, _numeric(M), atol=1e-12)
    assert np.allclose(U.T @ U, np.eye(M.rows), atol=1e-12) and np.allclose(V.T @ V, np.eye(M.cols), atol=1e-12)
    assert np.allclose(np.diag(S)[:min(M.shape)], np.linalg.svd(_numeric(M), compute_uv=False), atol=1e-12)
    product = next(s for s in sol.walk() if s.rule == "decomposition.product_check")
    assert product.product == M


def test_low_rank_with_nested_radicals_is_eckart_young():
    A = sympy.Matrix(sympy.sympify(SLOW_SVD[1]))
    sol = api.solve("low_rank", matrix=A, k=1)
    _checks(sol)
    u, s, vt = np.linalg.svd(_numeric(A))
    assert np.allclose(_numeric(sol.answer.value), s[0] * np.outer(u[:, 0], vt[0]), atol=1e-12)
