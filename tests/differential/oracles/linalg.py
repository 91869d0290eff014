"""Linear algebra: sympy/numpy from the raw matrices, compared by meaning."""
from __future__ import annotations

from typing import Any

import sympy

from .. import reading
from .common import Wrong, agree, equal, equal_matrices, numeric, plain, rank, same_span, value


def _A(raw: dict) -> sympy.Matrix:
    return reading.matrix(raw["matrix"])


def det(raw: dict, ans: Any) -> None:
    agree(equal(ans.value, _A(raw).det()), f"det {ans.value} != {_A(raw).det()}")


def rank_(raw: dict, ans: Any) -> None:
    agree(ans.value == _A(raw).rank(), f"rank {ans.value} != {_A(raw).rank()}")


def inverse(raw: dict, ans: Any) -> None:
    A = _A(raw)
    if A.det() == 0:
        agree(ans.type == "none", "a singular matrix was given an inverse")
        return
    agree(ans.type == "matrix" and equal_matrices(A * ans.value, sympy.eye(A.rows)), "A X != I")


def kernel(raw: dict, ans: Any) -> None:
    A = _A(raw)
    agree(same_span(list(ans.vectors), A.nullspace(), A.cols), "not a basis of the kernel")


def image(raw: dict, ans: Any) -> None:
    A = _A(raw)
    agree(same_span(list(ans.vectors), A.columnspace(), A.rows), "not a basis of the image")


def charpoly(raw: dict, ans: Any) -> None:
    A, lam = _A(raw), sympy.Symbol("lambda")
    expected = (A - lam * sympy.eye(A.rows)).det()
    got = ans.value.xreplace({s: lam for s in ans.value.free_symbols if s.name == "lambda"})
    agree(sympy.expand(got - expected) == 0, f"det(A - λI) is {sympy.expand(expected)}, not {got}")


def _squarefree_kills(A: sympy.Matrix) -> bool:
    """A is diagonalizable over C exactly when the squarefree part of its characteristic
    polynomial vanishes at A (exact, no eigenvectors needed)."""
    lam = sympy.Symbol("lambda")
    p = sympy.Poly((A - lam * sympy.eye(A.rows)).det(), lam)
    s = sympy.Poly(sympy.quo(p, sympy.gcd(p, p.diff(lam))), lam)
    M = sympy.zeros(A.rows)
    for c in s.all_coeffs():
        M = M * A + c * sympy.eye(A.rows)
    return M.is_zero_matrix


def _eigenpairs(A: sympy.Matrix, values: list, multiplicities: list, bases: list) -> None:
    """The values with their multiplicities are the roots of det(A − λI) (numerically, the
    monic polynomial they make against the characteristic one); each basis lies in
    ker(A − λI), is independent and has ker's dimension."""
    import numpy as np
    n = A.rows
    agree(sum(multiplicities) == n, f"multiplicities add up to {sum(multiplicities)}, not {n}")
    lam = sympy.Symbol("lambda")
    expected = [value(c) for c in sympy.Poly((lam * sympy.eye(n) - A).det(), lam).all_coeffs()]
    got = np.poly(np.array([value(v) for v, m in zip(values, multiplicities) for _ in range(m)]))
    scale = 1 + max(abs(c) for c in expected)
    agree(np.allclose(got, expected, rtol=0, atol=1e-9 * scale), f"eigenvalues {values} x {multiplicities}")
    for v, basis in zip(values, bases):
        shifted = A - v * sympy.eye(n)
        for b in basis:
            residual = numeric(shifted * b)
            agree(abs(residual).max() <= 1e-9 * (1 + abs(numeric(b)).max() * (1 + abs(value(v)))),
                  f"A v != λ v for λ = {v}, v = {list(b)}")
        geometric = n - rank(shifted)
        agree(len(basis) == geometric and (not basis or rank(sympy.Matrix.hstack(*basis)) == geometric),
              f"eigenspace of {v}: {len(basis)} vectors for dimension {geometric}")


def eigen(raw: dict, ans: Any) -> None:
    A = _A(raw)
    es = ans.eigenvalues
    _eigenpairs(A, [e.value for e in es], [e.algebraic_multiplicity for e in es], [list(e.basis) for e in es])


def diagonalize(raw: dict, ans: Any) -> None:
    A = _A(raw)
    expected = _squarefree_kills(A)
    agree(ans.diagonalizable == expected, f"diagonalizable: {ans.diagonalizable}, should be {expected}")
    if expected:
        P, D = ans.P, ans.D
        agree(D.is_diagonal(), "D is not diagonal")
        import numpy as np
        agree(np.allclose(numeric(A * P), numeric(P * D), rtol=0, atol=1e-9), "A P != P D")
        agree(rank(P) == A.rows, "P is singular")


def svd(raw: dict, ans: Any) -> None:
    import numpy as np
    A = numeric(_A(raw))
    U, S, V = numeric(ans.U), numeric(ans.S), numeric(ans.V)
    agree(np.allclose(U.T.conj() @ U, np.eye(U.shape[1]), rtol=0, atol=1e-9), "U is not orthogonal")
    agree(np.allclose(V.T.conj() @ V, np.eye(V.shape[1]), rtol=0, atol=1e-9), "V is not orthogonal")
    agree(np.allclose(U @ S @ V.T.conj(), A, rtol=0, atol=1e-9), "U S V^T != A")
    d = np.diag(S).real
    off = ~np.eye(*S.shape, dtype=bool)
    agree(abs(S[off]).max(initial=0) < 1e-12 and all(d[i] >= d[i + 1] - 1e-12 for i in range(len(d) - 1))
          and (d >= -1e-12).all(), "S is not a decreasing non-negative diagonal")
    agree(np.allclose(d, np.linalg.svd(A, compute_uv=False)[:len(d)], rtol=0, atol=1e-9), "singular values")


def cholesky(raw: dict, ans: Any) -> None:
    A, L = _A(raw), ans.value
    agree(L.is_lower and equal_matrices(L * L.T, A), "L L^T != A or L not lower triangular")


def low_rank(raw: dict, ans: Any) -> None:
    import numpy as np
    A, k = numeric(_A(raw)), int(raw["k"])
    B = numeric(ans.value)
    s = np.linalg.svd(A, compute_uv=False)
    agree(np.linalg.matrix_rank(B, tol=1e-9) <= k, "rank above k")
    agree(abs(np.linalg.norm(A - B) - np.sqrt((s[k:] ** 2).sum())) <= 1e-9 * (1 + s[0]),
          "not a best rank-k approximation (Eckart-Young)")


def system(raw: dict, ans: Any) -> None:
    if "equations" in raw:
        eqs = [e.split("=") for e in raw["equations"]]
        exprs = [reading.expr(l) - reading.expr(r) for l, r in eqs]
        letters = sorted(set().union(*(e.free_symbols for e in exprs)), key=lambda s: s.name)
        given = [u.strip() for u in str(raw.get("unknowns") or "").split(",") if u.strip()]
        unknowns = [s for s in letters if s.name in given] if given else letters
        A, b = sympy.linear_eq_to_matrix(exprs, unknowns)
    else:
        A = reading.matrix(raw["matrix"])
        b = reading.vector(raw["rhs"]) if raw.get("rhs") is not None else sympy.zeros(A.rows, 1)
    if ans.type == "cases":  # a parameter: each special value, and the general case at samples
        a = next(s for s in A.free_symbols | b.free_symbols if s.name == str(ans.parameter))
        special = [v for v, _ in ans.cases]
        if A.rows == A.cols:
            roots = {r for r in sympy.solve(A.det(), a) if r.is_real}
            agree(all(any(equal(r, v) for v in special) for r in roots), "a root of det A(a) is not a special value")
        for v, case in ans.cases:
            _solution_set(A.subs(a, v), b.subs(a, v), case.particular, case.directions)
        for t in [t for t in (sympy.Rational(1, 3), sympy.Rational(-7, 2), 5, 0) if t not in special][:3]:
            g = ans.generic
            at = {s: t for s in sympy.Matrix(g.particular).free_symbols if s.name == a.name} if g.particular is not None else {}
            _solution_set(A.subs(a, t), b.subs(a, t), None if g.particular is None else sympy.Matrix(g.particular).subs(at),
                          [sympy.Matrix(d).subs(at) for d in g.directions])
        return
    _solution_set(A, b, ans.particular, ans.directions)


def _solution_set(A: sympy.Matrix, b: sympy.Matrix, particular: Any, directions: Any) -> None:
    solvable = A.rank() == A.row_join(b).rank()
    agree((particular is not None) == solvable, f"solvable: {solvable}")
    if solvable:
        agree(equal_matrices(A * particular, b), "the particular solution fails an equation")
        agree(same_span(list(directions), A.nullspace(), A.cols), "the directions are not a kernel basis")


def independence(raw: dict, ans: Any) -> None:
    V = reading.columns(raw["vectors"])
    expected = V.rank() == V.cols
    agree(ans.value == expected, f"independent: {ans.value}, should be {expected}")


def gram_schmidt(raw: dict, ans: Any) -> None:
    V = reading.columns(raw["vectors"])
    got = list(ans.vectors)
    agree(same_span(got, V.columnspace(), V.rows), "not a basis of the same span")
    agree(all(equal((got[i].T * got[j])[0], 0) for i in range(len(got)) for j in range(i)), "not orthogonal")


def norm(raw: dict, ans: Any) -> None:
    v = reading.vector(raw["vector"])
    if raw.get("inner"):
        expected = sympy.sqrt((v.T * reading.matrix(raw["inner"]) * v)[0])
    else:
        expected = v.norm({"inf": sympy.oo, "oo": sympy.oo, None: 2}.get(raw.get("p"), None) or reading.expr(raw["p"]))
    agree(equal(ans.value, expected), f"norm {ans.value} != {expected}")


def distance(raw: dict, ans: Any) -> None:
    u, v = (reading.vector(t) for t in raw["vectors"])
    if raw.get("inner"):
        M = reading.matrix(raw["inner"])
        expected = sympy.sqrt(((u - v).T * M * (u - v))[0])
    else:
        expected = (u - v).norm()
    agree(equal(ans.value, expected), f"distance {ans.value} != {expected}")


def inner(raw: dict, ans: Any) -> None:
    u, v = (reading.vector(t) for t in raw["vectors"])
    M = reading.matrix(raw["inner"]) if raw.get("inner") else sympy.eye(u.rows)
    agree(equal(ans.value, (u.T * M * v)[0]), "inner product")


def angle(raw: dict, ans: Any) -> None:
    u, v = (reading.vector(t) for t in raw["vectors"])
    M = reading.matrix(raw["inner"]) if raw.get("inner") else sympy.eye(u.rows)
    ip = lambda a, b: (a.T * M * b)[0]  # noqa: E731
    expected = sympy.acos(ip(u, v) / sympy.sqrt(ip(u, u) * ip(v, v)))
    agree(equal(ans.value, expected), f"angle {ans.value} != {expected}")


def coordinates(raw: dict, ans: Any) -> None:
    B = reading.columns(raw["basis"])
    agree(equal_matrices(B * ans.value, reading.vector(raw["x"])), "B c != x")


def complement(raw: dict, ans: Any) -> None:
    V = reading.columns(raw["vectors"])
    expected = (V.T).nullspace()
    agree(same_span(list(ans.vectors), expected, V.rows), "not a basis of the orthogonal complement")


def change_of_basis(raw: dict, ans: Any) -> None:
    """By the defining property, column by column: A b_j = Σ_i Ã_ij c_i, i.e. A S = T Ã with
    the new bases' vectors (one per inner list of --B and --C, as the tutor's help says) as the
    columns of S and T; standard bases where one is not given."""
    A = _A(raw)
    S = reading.matrix(raw["B"]).T if raw.get("B") else sympy.eye(A.cols)
    T = reading.matrix(raw["C"]).T if raw.get("C") else sympy.eye(A.rows)
    got = sympy.Matrix(ans.value)
    agree(got.shape == A.shape, f"the matrix is {got.shape}, the map {A.shape}")
    agree(equal_matrices(A * S, T * got), "A S != T Ã: the columns are not the images of the new basis")


def projection(raw: dict, ans: Any) -> None:
    """By the defining property: π lies in U = span(u_i), x − π is orthogonal to every u_i
    in the inner product (x^T M y, M the identity unless given), and the distance is the
    length of x − π."""
    x, *us = [reading.vector(v) for v in raw["vectors"]]
    M = reading.matrix(raw["inner"]) if raw.get("inner") else sympy.eye(x.rows)
    p = sympy.Matrix(ans.value)
    U = sympy.Matrix.hstack(*us)
    agree(p.shape == x.shape and rank(U.row_join(p)) == rank(U), f"π = {list(p)} is not in U")
    r = x - p
    agree(all(equal((u.T * M * r)[0], 0) for u in us), f"x − π = {list(r)} is not orthogonal to U")
    agree(equal(ans.distance, sympy.sqrt((r.T * M * r)[0])), f"the distance is {sympy.sqrt((r.T * M * r)[0])}")


def _frame(k: sympy.Matrix) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix]:
    """A right-handed orthonormal frame (u, w, k̂): k̂ = k/|k|, u ⊥ k̂, w = k̂ × u."""
    kh = k / k.norm()
    e = min(range(3), key=lambda i: abs(kh[i]))
    a = sympy.Matrix([int(i == e) for i in range(3)])
    u = a - (a.T * kh)[0] * kh
    u = u / u.norm()
    return u, kh.cross(u), kh


def rotation(raw: dict, ans: Any) -> None:
    """The rotation by its action (MML 3.9, counterclockwise; about an axis by the right-hand
    rule): in the plane e_1 ↦ (cos θ, sin θ), e_2 ↦ (−sin θ, cos θ); in space R fixes k̂ and
    turns the frame (u, w) of the plane ⊥ k̂ by θ from u towards w = k̂ × u."""
    theta = plain(reading.expr(raw["angle"]))
    R = sympy.Matrix(ans.value).applyfunc(plain)
    c, s = sympy.cos(theta), sympy.sin(theta)
    if not raw.get("axis"):
        expected = sympy.Matrix([[c, -s], [s, c]])
    else:
        u, w, kh = _frame(reading.vector(raw["axis"]))
        F = sympy.Matrix.hstack(u, w, kh)
        expected = F * sympy.Matrix([[c, -s, 0], [s, c, 0], [0, 0, 1]]) * F.T
    agree(R.shape == expected.shape and equal_matrices(R, expected), f"R(θ) is {expected.tolist()}")


ORACLES = {
    "det": det, "rank": rank_, "inverse": inverse, "kernel": kernel, "image": image,
    "charpoly": charpoly, "eigen": eigen, "diagonalize": diagonalize, "svd": svd,
    "cholesky": cholesky, "low_rank": low_rank, "system": system, "independence": independence,
    "gram_schmidt": gram_schmidt, "norm": norm, "distance": distance, "inner": inner,
    "angle": angle, "coordinates": coordinates, "complement": complement,
    "change_of_basis": change_of_basis, "projection": projection, "rotation": rotation,
}
__all__ = ["ORACLES", "Wrong"]
