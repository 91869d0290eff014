"""gaussian_affine, gaussian_conditional, gaussian_product: answers against independent
computations (the joint density factorizing as marginal × conditional, the 1-D product
formula, the product identity at a point), every step checks; invalid covariances are
refused with the failing test named."""
from __future__ import annotations

import random

import pytest
import sympy
from sympy import Matrix, Rational


import tutor
from tutor.core.errors import TutorError
from tutor.probability.gaussians import gaussian_density

from tests.conftest import solved


def text(M: Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(str(e) for e in M.row(i)) + "]" for i in range(M.rows)) + "]"


def vec(v: Matrix) -> str:
    return ", ".join(str(e) for e in v)


def random_cov(rng: random.Random, n: int) -> Matrix:
    L = Matrix(n, n, lambda i, j: rng.randint(-2, 2) if j <= i else 0)
    return L * L.T + sympy.diag(*[rng.randint(1, 3) for _ in range(n)])


@pytest.mark.parametrize("seed", range(6))
def test_random_affine(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 3), rng.randint(1, 3)
    mu = Matrix([rng.randint(-3, 3) for _ in range(n)])
    S = random_cov(rng, n)
    A = Matrix(m, n, lambda i, j: rng.randint(-2, 2))
    b = Matrix([rng.randint(-3, 3) for _ in range(m)])
    sol = solved("gaussian_affine", mean=vec(mu), cov=text(S), A=text(A), b=vec(b))
    # independent route: y_i = a_i·x + b_i, Cov[y_i, y_j] = Σ_kl A_ik A_jl Σ_kl (entry by entry)
    assert sol.answer.mean == Matrix([sum(A[i, k] * mu[k] for k in range(n)) + b[i] for i in range(m)])
    assert sol.answer.cov == Matrix(m, m, lambda i, j: sum(A[i, k] * A[j, l] * S[k, l]
                                                           for k in range(n) for l in range(n)))


def test_affine_without_b_and_symbolic_mean() -> None:
    sol = solved("gaussian_affine", mean="mu_1, mu_2", cov="[[2,1],[1,2]]", A="[[1,1]]")
    m1, m2 = sympy.symbols("mu_1 mu_2")
    assert sol.answer.mean == Matrix([m1 + m2]) and sol.answer.cov == Matrix([[6]])


@pytest.mark.parametrize("seed", range(6))
def test_random_conditional_factorizes_the_joint(seed: int) -> None:
    rng = random.Random(100 + seed)
    n = rng.randint(2, 4)
    mu = Matrix([rng.randint(-3, 3) for _ in range(n)])
    S = random_cov(rng, n)
    b = sorted(rng.sample(range(n), rng.randint(1, n - 1)))
    a = [k for k in range(n) if k not in b]
    xb = {k: rng.randint(-3, 3) for k in b}
    given = ", ".join(f"x_{k + 1}={v}" for k, v in xb.items())
    sol = solved("gaussian_conditional", mean=vec(mu), cov=text(S), given=given)
    # p(x) = p(x_a | x_b) p(x_b) at a point x_a: the joint density factorizes
    xa = Matrix([Rational(rng.randint(-5, 5), 2) for _ in a])
    x = Matrix([xa[a.index(k)] if k in a else xb[k] for k in range(n)])
    joint = gaussian_density(x, mu, S)
    marginal_b = gaussian_density(Matrix([xb[k] for k in b]), mu.extract(b, [0]), S.extract(b, b))
    conditional = gaussian_density(xa, sol.answer.mean, sol.answer.cov)
    assert abs(sympy.N(joint - conditional * marginal_b, 40)) < 1e-30


def test_conditional_book_example() -> None:
    # bivariate: mu_{1|2} = mu_1 + s12/s22 (x2 - mu2), var = s11 - s12^2/s22
    sol = solved("gaussian_conditional", mean="0, 2", cov="[[0.3, -1], [-1, 5]]", given="x_2=-1")
    assert sol.answer.mean == Matrix([Rational(3, 5)])
    assert sol.answer.cov == Matrix([[Rational(3, 10) - Rational(1, 5)]])


def test_conditional_of_a_singular_covariance_checks_without_a_precision_matrix() -> None:
    """Σ semi-definite and singular, Σ_bb invertible: accepted, and the step checks used to
    crash inverting Σ (NonInvertibleMatrixError, exit 3).  Here x_1 − x_2 has variance 0, so
    x_1 = x_2 − 5/2 for certain: given x_2 = 3, x_1 = 1/2; x_3 keeps its own law.  Found by
    the differential test."""
    sol = solved("gaussian_conditional", mean="-2, 0.5, 1", cov="[[4, 4, 0], [4, 4, 0], [0, 0, 2]]",
                 given="x_2=3")
    assert sol.answer.mean == Matrix([Rational(1, 2), 1])
    assert sol.answer.cov == Matrix([[0, 0], [0, 2]])
    sol = solved("gaussian_conditional", mean="-2, 0.5", cov="[[0, 0], [0, 4]]", given="x_2=2")
    assert sol.answer.mean == Matrix([-2]) and sol.answer.cov == Matrix([[0]])


@pytest.mark.parametrize("seed", range(6))
def test_random_1d_products(seed: int) -> None:
    rng = random.Random(200 + seed)
    m1, m2 = rng.randint(-4, 4), rng.randint(-4, 4)
    s1, s2 = Rational(rng.randint(1, 9), rng.randint(1, 3)), Rational(rng.randint(1, 9), rng.randint(1, 3))
    sol = solved("gaussian_product", mean1=str(m1), cov1=str(s1), mean2=str(m2), cov2=str(s2))
    assert sol.answer.cov == Matrix([[s1 * s2 / (s1 + s2)]])
    assert sol.answer.mean == Matrix([(m1 * s2 + m2 * s1) / (s1 + s2)])
    c = sympy.exp(-Rational(1, 2) * (m1 - m2)**2 / (s1 + s2)) / sympy.sqrt(2 * sympy.pi * (s1 + s2))
    assert sympy.simplify(sol.answer.constant - c) == 0
    assert sol.answer.to_json()["constant"]


@pytest.mark.parametrize("seed", range(4))
def test_random_products_identity(seed: int) -> None:
    rng = random.Random(300 + seed)
    n = rng.randint(2, 3)
    a, b = (Matrix([rng.randint(-2, 2) for _ in range(n)]) for _ in range(2))
    A, B = random_cov(rng, n), random_cov(rng, n)
    sol = solved("gaussian_product", mean1=vec(a), cov1=text(A), mean2=vec(b), cov2=text(B))
    x = Matrix([Rational(rng.randint(-4, 4), 3) for _ in range(n)])
    lhs = gaussian_density(x, a, A) * gaussian_density(x, b, B)
    rhs = sol.answer.constant * gaussian_density(x, sol.answer.mean, sol.answer.cov)
    assert abs(sympy.N(lhs - rhs, 40)) < 1e-30


G = dict(mean="0,0", cov="[[2,1],[1,2]]")


@pytest.mark.parametrize("kind, inputs, message", [
    ("gaussian_affine", dict(G, cov="[[2,1],[0,2]]", A="[[1,0]]"), r"not symmetric: entry \(1,2\)"),
    ("gaussian_affine", dict(G, cov="[[1,2],[2,1]]", A="[[1,0]]"), "rows/columns 1, 2 is -3"),
    ("gaussian_affine", dict(G, cov="[[-1,0],[0,1]]", A="[[1,0]]"), r"diagonal at \(1,1\)"),
    ("gaussian_affine", dict(G, cov="[[2,1],[1,2]]", A="[[1,0,0]]"), "3 column"),
    ("gaussian_affine", dict(G, A="[[1,0]]", b="1,2"), "b has 2"),
    ("gaussian_affine", dict(G, cov="[[2,1,0],[1,2,0],[0,0,1]]", A="[[1,0]]"), "must be 2x2"),
    ("gaussian_affine", dict(G, cov="[[s,0],[0,1]]", A="[[1,0]]"), "numbers"),
    ("gaussian_conditional", dict(G, given="x_3=1"), "x_1..x_2"),
    ("gaussian_conditional", dict(G, given="x_1=1, x_2=0"), "every component"),
    ("gaussian_conditional", dict(G, given="y=1"), "x_1, x_2"),
    ("gaussian_conditional", dict(mean="0,0", cov="[[1,0],[0,0]]", given="x_2=1"), "singular"),
    ("gaussian_product", dict(mean1="0,0", cov1="[[1,1],[1,1]]", mean2="0,0", cov2="[[1,0],[0,1]]"),
     "singular"),
    ("gaussian_product", dict(mean1="0", cov1="1", mean2="0,0", cov2="[[1,0],[0,1]]"), "dimensions"),
    ("gaussian_product", dict(mean1="0", cov1="-1", mean2="0", cov2="1"), "positive semi-definite"),
])
def test_bad_input(kind: str, inputs: dict, message: str) -> None:
    with pytest.raises(TutorError, match=message):
        tutor.solve(kind, **inputs)
