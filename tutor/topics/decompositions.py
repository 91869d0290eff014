"""Matrix decompositions: ``cholesky``, ``svd`` and ``low_rank`` (MML sections 4.3, 4.5, 4.6).

* ``cholesky``: symmetric positive definite by the leading principal minors (Sylvester's
  criterion), then the entries of L column by column with the book's formulas
  ``l_jj = sqrt(a_jj - Σ_k l_jk^2)`` and ``l_ij = (a_ij - Σ_k l_ik l_jk) / l_jj``, then
  ``L L^T = A``.
* ``svd``: ``A^T A``, its eigendecomposition (the eigen kinds' steps as substeps) with an
  orthonormal eigenbasis, singular values ``σ_i = sqrt(λ_i)`` in decreasing order, ``V``,
  ``u_i = A v_i / σ_i``, the completion of U by an orthonormal basis of ``ker(A^T)`` when
  rank < m, and the check ``U Σ V^T = A``.
* ``low_rank``: the SVD, then ``A_k = Σ_{i<=k} σ_i u_i v_i^T`` and the Eckart-Young error
  ``||A - A_k||_2 = σ_{k+1}``.

Exact arithmetic throughout; when some eigenvalue of ``A^T A`` is not written in radicals
(a root of an irreducible factor of degree >= 3 kept as a ``CRootOf``), no SVD is derived:
the message says why and gives the singular values numerically.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import mpmath
import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import MatrixAnswer, NoneAnswer, SVDAnswer
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.linalg.algebraic import field_number, projected, quadratic_field, to_field_number
from tutor.linalg.determinants import leading_minor_steps, minors_derived
from tutor.linalg.gramschmidt import Normalize, normalize, tidy
from tutor.parsing.text import matrix_field
from tutor.linalg.rowreduce import reduce, same_matrix
from tutor.core.steps import Problem, Solution, Step
from tutor.core.symcheck import is_zero
from tutor.linalg.eigen import RescaleVectors, eigen_steps, nice_basis, orthogonal_basis, orthonormal_eigenbasis
from tutor.linalg.kernels import minus_one_trick
from tutor.linalg.orthonormal import orthonormal_columns

MAX_CHOLESKY = 5
MAX_SVD = 4


def _zero(e: sympy.Expr) -> bool:
    """``e`` is 0: :func:`symcheck.is_zero` (a number to 100 digits; ``simplify`` spent seconds
    on each ``|u|^2 - 1`` of nested radicals in an SVD)."""
    return e == 0 or is_zero(e)


# ---------------------------------------------------------------- Cholesky steps

@dataclass(frozen=True, kw_only=True)
class LeadingMinors(Step):
    """The leading principal minors ``Δ_k = det(A[:k, :k])``, computed until one is not positive
    (then A is not positive definite) or all are (A is, by Sylvester's criterion); the substeps
    compute ``Δ_2, Δ_3, ...`` (the 2x2 formula, the rule of Sarrus, a Laplace expansion)."""

    rule: ClassVar[str] = "cholesky.leading_minors"
    matrix: ImmutableMatrix
    minors: tuple[sympy.Expr, ...]

    @property
    def positive_definite(self) -> bool:
        return len(self.minors) == self.matrix.rows and all(d > 0 for d in self.minors)

    def check(self) -> bool:
        ok = all(_zero(d - self.matrix[:k, :k].det()) for k, d in enumerate(self.minors, 1))
        shown = minors_derived(self.matrix, self.minors, self.substeps)
        stops = all(d > 0 for d in self.minors[:-1]) and \
            (self.minors[-1] <= 0 or len(self.minors) == self.matrix.rows)
        return ok and shown and stops and self.positive_definite == self.matrix.is_positive_definite


@dataclass(frozen=True, kw_only=True)
class CholeskyEntry(Step):
    """One entry ``l_ij`` (0-based i >= j): ``products`` are the known ``l_ik l_jk`` (k < j),
    ``diagonal`` the known ``l_jj`` (None when i == j: then value = sqrt(a_jj - Σ))."""

    rule: ClassVar[str] = "cholesky.entry"
    matrix: ImmutableMatrix
    i: int
    j: int
    products: tuple[tuple[sympy.Expr, sympy.Expr], ...]
    diagonal: sympy.Expr | None
    value: sympy.Expr

    @property
    def rest(self) -> sympy.Expr:
        """``a_ij - Σ_k l_ik l_jk``: under the root (i == j) or divided by l_jj."""
        return tidy(self.matrix[self.i, self.j] - sum((a * b for a, b in self.products), sympy.S.Zero))

    def check(self) -> bool:
        rest = self.rest
        if self.i == self.j:
            formula = _zero(self.value**2 - rest) and bool(self.value > 0)
        else:
            formula = self.diagonal is not None and _zero(self.value * self.diagonal - rest)
        return formula and _zero(self.value - self.matrix.cholesky(hermitian=False)[self.i, self.j])


@dataclass(frozen=True, kw_only=True)
class ProductCheck(Step):
    """``product`` is the product of ``factors`` and equals ``matrix`` (L L^T = A, U Σ V^T = A)."""

    rule: ClassVar[str] = "decomposition.product_check"
    factors: tuple[ImmutableMatrix, ...]
    product: ImmutableMatrix
    matrix: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(sympy.Mul(*self.factors).applyfunc(sympy.expand), self.product) and \
            same_matrix(self.product, self.matrix)


# ---------------------------------------------------------------- SVD steps

@dataclass(frozen=True, kw_only=True)
class GramMatrix(Step):
    """``gram = A^T A`` (symmetric, positive semidefinite: its eigenvalues are σ_i^2)."""

    rule: ClassVar[str] = "svd.gram"
    matrix: ImmutableMatrix
    gram: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.matrix.T * self.matrix, self.gram)


@dataclass(frozen=True, kw_only=True)
class SingularValues(Step):
    """The eigenvalues of A^T A (with multiplicity) in decreasing order, ``sigmas`` their roots."""

    rule: ClassVar[str] = "svd.singular_values"
    gram: ImmutableMatrix
    eigenvalues: tuple[sympy.Expr, ...]
    sigmas: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        x = sympy.Symbol("x")
        charpoly = self.gram.charpoly(x).as_expr(x)
        same = sympy.expand(sympy.Mul(*[x - e for e in self.eigenvalues]) - charpoly) == 0
        values = [float(e) for e in self.eigenvalues]
        return same and values == sorted(values, reverse=True) and all(
            bool(s >= 0) and _zero(s**2 - e) for s, e in zip(self.sigmas, self.eigenvalues, strict=True))


@dataclass(frozen=True, kw_only=True)
class RightSingularVectors(Step):
    """``V``: orthonormal eigenvectors of A^T A as columns, in the order of the eigenvalues."""

    rule: ClassVar[str] = "svd.right_vectors"
    gram: ImmutableMatrix
    V: ImmutableMatrix
    eigenvalues: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        n = self.V.cols
        return same_matrix(self.V.T * self.V, sympy.eye(n)) and \
            same_matrix(self.gram * self.V, self.V * sympy.diag(*self.eigenvalues))


@dataclass(frozen=True, kw_only=True)
class LeftSingularVector(Step):
    """``u = A v / σ`` for a nonzero singular value σ (a unit vector: |A v| = σ)."""

    rule: ClassVar[str] = "svd.left_vector"
    matrix: ImmutableMatrix
    index: int
    v: ImmutableMatrix
    sigma: sympy.Expr
    Av: ImmutableMatrix
    u: ImmutableMatrix

    @property
    def inverse_sigma(self) -> sympy.Expr:
        """``1/σ`` as written before the vector: ``1/√3``, ``1/5`` (unevaluated, display only)."""
        return sympy.Pow(self.sigma, -1, evaluate=False)

    def check(self) -> bool:
        return not _zero(self.sigma) and same_matrix(self.matrix * self.v, self.Av) and \
            same_matrix(self.u * self.sigma, self.Av) and _zero((self.u.T * self.u)[0] - 1)


@dataclass(frozen=True, kw_only=True)
class CompleteBasis(Step):
    """rank < m: the missing columns of U are an orthonormal basis of ker(A^T) (substeps: its
    row reduction, the Minus-1 trick, Gram-Schmidt, normalization); ``known`` are u_1..u_r."""

    rule: ClassVar[str] = "svd.complete_basis"
    matrix: ImmutableMatrix
    known: tuple[ImmutableMatrix, ...]
    added: tuple[ImmutableMatrix, ...]
    unknowns: tuple[sympy.Symbol, ...] = ()  # y_1, ..., y_m: the names of the columns of A^T

    def check(self) -> bool:
        U = sympy.Matrix.hstack(*self.known, *self.added)
        m = self.matrix.rows
        return U.cols == m and same_matrix(U.T * U, sympy.eye(m)) and all(
            same_matrix(self.matrix.T * w, sympy.zeros(self.matrix.cols, 1)) for w in self.added)


@dataclass(frozen=True, kw_only=True)
class RankKApproximation(Step):
    """``result = Σ_{i<=k} σ_i u_i v_i^T`` (``terms`` are the rank-one matrices σ_i u_i v_i^T)."""

    rule: ClassVar[str] = "svd.rank_k"
    k: int
    sigmas: tuple[sympy.Expr, ...]
    us: tuple[ImmutableMatrix, ...]
    vs: tuple[ImmutableMatrix, ...]
    terms: tuple[ImmutableMatrix, ...]
    result: ImmutableMatrix

    def check(self) -> bool:
        total = sympy.zeros(*self.result.shape)
        for s, u, v, t in zip(self.sigmas, self.us, self.vs, self.terms, strict=True):
            if not same_matrix(s * u * v.T, t):
                return False
            total += t
        return len(self.terms) == self.k and same_matrix(total, self.result)


def _spectral_norm(M: sympy.MatrixBase) -> float:
    """The largest singular value, numerically (mpmath, 30 digits): an independent reference."""
    with mpmath.workdps(30):
        values = mpmath.svd_r(mpmath.matrix([[complex(sympy.N(e, 40)).real for e in M.row(i)]
                                             for i in range(M.rows)]), compute_uv=False)
        return float(max(values))


@dataclass(frozen=True, kw_only=True)
class EckartYoung(Step):
    """``||A - A_k||_2 = error`` (σ_{k+1}, or 0 when k >= rank): the best rank-k approximation."""

    rule: ClassVar[str] = "svd.eckart_young"
    matrix: ImmutableMatrix
    approximation: ImmutableMatrix
    k: int
    error: sympy.Expr

    def check(self) -> bool:
        return abs(_spectral_norm(self.matrix - self.approximation) - float(self.error)) < 1e-12


# ---------------------------------------------------------------- building

def _rational_matrix(matrix: sympy.MatrixBase, limit: int, what: str) -> ImmutableMatrix:
    M = sympy.Matrix(matrix)
    if M.rows == 0 or M.cols == 0:
        raise TutorError("the matrix is empty")
    M = M.applyfunc(lambda e: sympy.nsimplify(e, rational=True) if e.has(sympy.Float) else e)
    if not all(e.is_Rational for e in M):
        raise TutorError(f"{what} needs a matrix of rational numbers")
    if max(M.shape) > limit:
        raise TutorError(f"{what} is limited to matrices of at most {limit} rows and columns "
                         f"(this one is {M.rows}x{M.cols})")
    return ImmutableMatrix(M)


def _build_cholesky(matrix: sympy.MatrixBase) -> Problem:
    A = _rational_matrix(matrix, MAX_CHOLESKY, "a Cholesky factorization")
    if A.rows != A.cols:
        raise TutorError(f"a Cholesky factorization needs a square matrix; this one is {A.rows}x{A.cols}")
    if A != A.T:
        raise TutorError("a Cholesky factorization needs a symmetric matrix (A = A^T); this one is not")
    return Problem("cholesky", {"A": A})


def _build_svd(matrix: sympy.MatrixBase) -> Problem:
    return Problem("svd", {"A": _rational_matrix(matrix, MAX_SVD, "an SVD")})


def _build_low_rank(matrix: sympy.MatrixBase, k: Any) -> Problem:
    A = _rational_matrix(matrix, MAX_SVD, "a low-rank approximation")
    if not (isinstance(k, sympy.Integer) or isinstance(k, int)) or not 1 <= int(k) <= min(A.shape):
        raise TutorError(f"k must be a whole number from 1 to {min(A.shape)}, not {k}")
    return Problem("low_rank", {"A": A, "k": int(k)})


def _parse_k(value: Any) -> Any:
    if isinstance(value, int):
        return value
    from tutor.parsing.text import parse_expression
    return parse_expression(str(value))


# ---------------------------------------------------------------- solving

def _solve_cholesky(problem: Problem) -> Solution:
    A = problem["A"]
    n = A.rows
    minors: list[sympy.Expr] = []
    for k in range(1, n + 1):  # until one is not positive
        minors.append(A[:k, :k].det())
        if minors[-1] <= 0:
            break
    derivations = leading_minor_steps(A, len(minors))
    test = LeadingMinors(matrix=A, minors=tuple(minors), substeps=tuple(d.step for d in derivations))
    if not test.positive_definite:
        k = len(minors)
        reason = f"not positive definite: the leading minor of order {k} is {minors[-1]} <= 0"
        return Solution(problem, (test,), NoneAnswer(reason))
    L = sympy.zeros(n, n)
    steps: list[Step] = [test]
    for j in range(n):
        for i in range(j, n):
            products = tuple((L[i, k], L[j, k]) for k in range(j))
            rest = A[i, j] - sum((a * b for a, b in products), sympy.S.Zero)
            value = tidy(sympy.sqrt(rest) if i == j else rest / L[j, j])
            L[i, j] = value
            steps.append(CholeskyEntry(matrix=A, i=i, j=j, products=products,
                                       diagonal=None if i == j else L[j, j], value=value))
    L = ImmutableMatrix(L)
    product = ImmutableMatrix((L * L.T).applyfunc(tidy))
    steps.append(ProductCheck(factors=(L, ImmutableMatrix(L.T)), product=product, matrix=A))
    return Solution(problem, tuple(steps), MatrixAnswer(L))


@dataclass(frozen=True)
class SVDData:
    steps: tuple[Step, ...]
    U: ImmutableMatrix
    S: ImmutableMatrix
    V: ImmutableMatrix
    sigmas: tuple[sympy.Expr, ...]
    terms: list[ImmutableMatrix] | None  # σ_i u_i v_i^T for σ_i > 0, exact (None: not computed)


def _kernel_names(m: int) -> tuple[sympy.Symbol, ...]:
    """y_1, ..., y_m: the unknowns of A^T y = 0 in the completion of U."""
    return tuple(sympy.symbols(f"y_1:{m + 1}"))


def _kernel_orthonormal(M: ImmutableMatrix) -> tuple[list[ImmutableMatrix], list[Step]]:
    """An orthonormal basis of ker(M): row reduction, Minus-1 trick, integer rescaling,
    Gram-Schmidt, normalization."""
    red = reduce(M, names=_kernel_names(M.cols), to="rref")
    trick = minus_one_trick(ImmutableMatrix(red.rref[:len(red.pivots), :]), red.pivots)
    steps: list[Step] = [red.step, trick]
    nice = nice_basis(trick.directions)
    if isinstance(nice, RescaleVectors):
        steps.append(nice)
        directions = list(nice.after)
    else:
        directions = list(nice)
    orthogonal, gs = orthogonal_basis(directions)
    units = [normalize(w) for w in orthogonal]
    return [u.result for u in units], [*steps, *gs, *units]


def svd_steps(A: ImmutableMatrix) -> SVDData:
    """The full SVD A = U Σ V^T by the eigendecomposition of A^T A, as steps."""
    m, n = A.shape
    gram = ImmutableMatrix(A.T * A)
    data = eigen_steps(gram)
    if not all(r.exact for r in data.roots):
        # A^T A is symmetric: its eigenvalues are real and non-negative
        numeric = sorted((float(sympy.re(r.approximation)) for r in data.roots
                          for _ in range(r.multiplicity)), reverse=True)
        sigmas = ", ".join(f"{max(v, 0.0) ** 0.5:.6g}" for v in numeric)
        raise TutorError("no exact SVD is derived here: the singular values are the square roots "
                         "of the eigenvalues of A^T A, and some of those are roots of an irreducible "
                         "polynomial of degree >= 3 that are not written in radicals (see "
                         f"'tutor solve eigen' on A^T A); numerically the singular values are {sigmas}")
    columns, ortho = orthonormal_eigenbasis(data)
    units = [u for step in ortho for u in step.substeps if isinstance(u, Normalize)]  # one per column
    values = [r.value for r in data.roots for _ in range(r.multiplicity)]
    order = sorted(range(n), key=lambda i: -float(values[i]))
    eigenvalues = tuple(values[i] for i in order)
    V = ImmutableMatrix(sympy.Matrix.hstack(*[columns[i] for i in order]))
    sigmas = tuple(tidy(sympy.sqrt(e)) for e in eigenvalues)
    steps: list[Step] = [GramMatrix(matrix=A, gram=gram, substeps=(*data.steps, *ortho)),
                         SingularValues(gram=gram, eigenvalues=eigenvalues, sigmas=sigmas),
                         RightSingularVectors(gram=gram, V=V, eigenvalues=eigenvalues,
                                              substeps=(orthonormal_columns("V", V),))]
    us: list[ImmutableMatrix] = []
    for i, s in enumerate(sigmas[:min(m, n)]):
        if s == 0:
            break
        v = ImmutableMatrix(V.col(i))
        Av, u = _left_vector(A, v, units[order[i]], eigenvalues[i], s)
        steps.append(LeftSingularVector(matrix=A, index=i, v=v, sigma=s, Av=Av, u=u))
        us.append(u)
    rank = len(us)
    if len(us) < m:
        added, sub = _kernel_orthonormal(ImmutableMatrix(A.T))
        steps.append(CompleteBasis(matrix=A, known=tuple(us), added=tuple(added), substeps=tuple(sub),
                                   unknowns=_kernel_names(m)))
        us += added
    U = ImmutableMatrix(sympy.Matrix.hstack(*us))
    S = sympy.zeros(m, n)
    for i in range(min(m, n)):
        S[i, i] = sigmas[i]
    S = ImmutableMatrix(S)
    terms = _terms(A, [units[i].vector for i in order[:rank]])
    product = ImmutableMatrix((U * S * V.T).applyfunc(tidy)) if terms is None else \
        ImmutableMatrix(sum(terms, sympy.zeros(m, n)))
    steps.append(ProductCheck(factors=(U, S, ImmutableMatrix(V.T)), product=product, matrix=A,
                              substeps=(orthonormal_columns("U", U),)))
    return SVDData(tuple(steps), U, S, V, sigmas, terms)


def _left_vector(A: ImmutableMatrix, v: ImmutableMatrix, unit: Normalize, eigenvalue: sympy.Expr,
                 sigma: sympy.Expr) -> tuple[ImmutableMatrix, ImmutableMatrix]:
    """``A v`` and ``u = A v / σ`` in a teacher's form.  For ``v = w / |w|`` with ``|w|^2 = N``
    and ``σ^2 = λ`` in a field Q(√d) (``unit`` normalized w): ``A v = (A w / N) |w|`` and
    ``u = (A w / (N λ)) sqrt(N λ)``, the coefficients computed in Q(√d) and the one radical
    simplified once (``simplify`` of each entry, a product of nested radicals, took seconds);
    otherwise each entry simplified."""
    w = unit.vector
    Aw, N = A * w, (w.T * w)[0]
    field = quadratic_field([*Aw, N, eigenvalue])
    if field is None:
        Av = ImmutableMatrix((A * v).applyfunc(tidy))
        return Av, ImmutableMatrix((Av / sigma).applyfunc(tidy))
    n = field_number(field, sympy.expand(N))
    product = field_number(field, sympy.sympify(field_number(field, eigenvalue) * n))  # N λ, a divisor
    radical = tidy(sympy.sqrt(sympy.sympify(product)))
    Av = ImmutableMatrix([sympy.sympify(to_field_number(field, e) / n) * unit.norm for e in Aw])
    u = ImmutableMatrix([sympy.sympify(to_field_number(field, e) / product) * radical for e in Aw])
    return Av, u


def _terms(A: ImmutableMatrix, directions: list[ImmutableMatrix]) -> list[ImmutableMatrix] | None:
    """The terms ``σ_i u_i v_i^T`` of ``U Σ V^T = Σ σ_i u_i v_i^T`` (σ_i > 0), exactly: with
    ``σ_i u_i = A v_i`` and ``v_i = w_i / |w_i|`` (``directions``: the w_i before normalization)
    each is ``A w_i w_i^T / (w_i^T w_i)``, with entries in Q(√d) (:func:`algebraic.projected`),
    where the entries of u_i and v_i are nested radicals that ``simplify`` needed seconds each
    to bring back; None when some w_i is not over such a field."""
    terms = [projected(A, w) for w in directions]
    return None if any(t is None for t in terms) else terms


def _solve_svd(problem: Problem) -> Solution:
    svd = svd_steps(problem["A"])
    return Solution(problem, svd.steps, SVDAnswer(svd.U, svd.S, svd.V))


def _solve_low_rank(problem: Problem) -> Solution:
    A, k = problem["A"], problem["k"]
    svd = svd_steps(A)
    sigmas = svd.sigmas[:k]
    us = tuple(ImmutableMatrix(svd.U.col(i)) for i in range(k))
    vs = tuple(ImmutableMatrix(svd.V.col(i)) for i in range(k))
    terms = tuple(ImmutableMatrix((s * u * v.T).applyfunc(tidy)) for s, u, v in zip(sigmas, us, vs)) \
        if svd.terms is None else tuple(svd.terms[:k]) + (sympy.zeros(*A.shape),) * (k - len(svd.terms))
    Ak = ImmutableMatrix(sum(terms, sympy.zeros(*A.shape)).applyfunc(tidy))
    error = svd.sigmas[k] if k < min(A.shape) else sympy.S.Zero
    steps = (*svd.steps,
             RankKApproximation(k=k, sigmas=sigmas, us=us, vs=vs, terms=terms, result=Ak),
             EckartYoung(matrix=A, approximation=Ak, k=k, error=error))
    return Solution(problem, steps, MatrixAnswer(Ak))


_MATRIX = Field("matrix", matrix_field, help="the matrix A, e.g. '[[2,1],[1,2]]'", positional=True)

register(Kind(name="cholesky", topic="decompositions",
              summary="Cholesky factorization A = L L^T of a symmetric positive definite matrix",
              fields=(_MATRIX,), build=_build_cholesky, solve=_solve_cholesky))
register(Kind(name="svd", topic="decompositions",
              summary="full singular value decomposition A = U S V^T via the eigenvectors of A^T A",
              fields=(_MATRIX,), build=_build_svd, solve=_solve_svd))
register(Kind(name="low_rank", topic="decompositions",
              summary="best rank-k approximation A_k from the SVD (Eckart-Young)",
              fields=(_MATRIX, Field("k", _parse_k, help="the rank k of the approximation")),
              build=_build_low_rank, solve=_solve_low_rank))
