"""Matrices (MML chapter 2): inverse, determinant, rank, kernel, image, linear
independence, coordinates in a basis and the change of basis of a linear map.

Every derivation that row-reduces embeds the shared elimination
(:mod:`tutor.rowreduce`) as a checked substep; the kernel is read off the reduced
row-echelon form with the book's Minus-1 trick, the same step the ``system`` kind
uses; determinants come from :mod:`tutor.determinants`, inverses from
:mod:`tutor.inverses`.  Every step's ``check()`` recomputes its claim with sympy
(``rank``, ``nullspace``, matrix products), independently of the solver.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import reduce as fold
from typing import Any, Callable, ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import BasisAnswer, BooleanAnswer, ExpressionAnswer, MatrixAnswer, NoneAnswer, VectorAnswer
from tutor.linalg.determinants import echelon_reduction, laplace_steps, row_reduction_det_steps, sarrus_steps
from tutor.core.errors import TutorError
from tutor.linalg.inverses import MAX_SYMBOLIC_N as MAX_SYMBOLIC_INVERSE, inverse_steps
from tutor.core.kinds import Field, Kind, register
from tutor.parsing.text import matrix_field, vector_field
from tutor.linalg.rowreduce import reduce, same_matrix
from tutor.core.steps import Problem, Solution, Step
from tutor.linalg.kernels import kernel_steps, solve_kernel

MAX_DIM = 8            # rows and columns of a numeric matrix (elimination is fast up to here)
MAX_LAPLACE = 4        # Laplace expansion: at most 4! = 24 products
MAX_SYMBOLIC_DET = 3   # a determinant with several symbols (one symbol, as in A - λI: MAX_LAPLACE)


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class ColumnMatrix(Step):
    """The vectors written as the columns of one matrix (``name``: A, S, T, ...)."""

    rule: ClassVar[str] = "matrix.columns"
    name: str
    vectors: tuple[ImmutableMatrix, ...]
    matrix: ImmutableMatrix

    def check(self) -> bool:
        return self.matrix.cols == len(self.vectors) and all(
            same_matrix(self.matrix.col(j), v) for j, v in enumerate(self.vectors))


@dataclass(frozen=True, kw_only=True)
class RankFromPivots(Step):
    """rk(A) = the number of pivots of an echelon form of A."""

    rule: ClassVar[str] = "matrix.rank"
    A: ImmutableMatrix
    echelon: ImmutableMatrix
    pivots: tuple[int, ...]
    rank: int

    def check(self) -> bool:
        return self.rank == len(self.pivots) == self.A.rank() == self.echelon.rank()


@dataclass(frozen=True, kw_only=True)
class ImageBasis(Step):
    """The columns of the original A at the pivot columns of its echelon form: a basis of Im(A)."""

    rule: ClassVar[str] = "matrix.image_basis"
    A: ImmutableMatrix
    echelon: ImmutableMatrix
    pivots: tuple[int, ...]
    vectors: tuple[ImmutableMatrix, ...]

    def check(self) -> bool:
        rank = self.A.rank()
        if len(self.vectors) != rank or len(self.pivots) != rank:
            return False
        if not self.vectors:
            return True
        B = sympy.Matrix.hstack(*self.vectors)
        return (all(same_matrix(self.A.col(j), v) for j, v in zip(self.pivots, self.vectors))
                and B.rank() == rank and B.row_join(self.A).rank() == rank)


@dataclass(frozen=True, kw_only=True)
class IndependenceVerdict(Step):
    """The vectors (columns of ``matrix``) are independent iff every column holds a pivot."""

    rule: ClassVar[str] = "matrix.independence"
    matrix: ImmutableMatrix
    pivots: tuple[int, ...]
    independent: bool
    variables: tuple[sympy.Symbol, ...] = ()  # the coefficients λ_i, for the text

    def check(self) -> bool:
        rank = self.matrix.rank()
        return len(self.pivots) == rank and self.independent == (rank == self.matrix.cols)


@dataclass(frozen=True, kw_only=True)
class DependencyRelation(Step):
    """Σ coefficients[i] vectors[i] = 0 with not all coefficients 0: the coefficients are the
    kernel vector ``kernel_vector`` times ``factor`` (which clears its fractions)."""

    rule: ClassVar[str] = "matrix.dependency_relation"
    vectors: tuple[ImmutableMatrix, ...]
    kernel_vector: ImmutableMatrix
    factor: sympy.Expr
    coefficients: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        combo = fold(lambda acc, cv: acc + cv[0] * cv[1], zip(self.coefficients, self.vectors),
                     sympy.zeros(self.vectors[0].rows, 1))
        return (any(c != 0 for c in self.coefficients) and self.factor != 0
                and same_matrix(sympy.Matrix(self.coefficients), self.factor * self.kernel_vector)
                and same_matrix(combo, sympy.zeros(combo.rows, 1)))


@dataclass(frozen=True, kw_only=True)
class Coordinates(Step):
    """x = Σ coefficients[i] basis[i], read off the reduced ``[B | x]`` (``rref``)."""

    rule: ClassVar[str] = "matrix.coordinates"
    basis: tuple[ImmutableMatrix, ...]
    x: ImmutableMatrix
    rref: ImmutableMatrix
    coefficients: ImmutableMatrix
    variables: tuple[sympy.Symbol, ...] = ()  # the coordinates α_i, for the text

    def check(self) -> bool:
        k = len(self.basis)
        combo = sympy.Matrix.hstack(*self.basis) * self.coefficients
        return same_matrix(combo, self.x) and same_matrix(self.rref[:k, k], self.coefficients)


@dataclass(frozen=True, kw_only=True)
class MatrixProduct(Step):
    """``left * right = product`` (``names``: how the template calls the factors)."""

    rule: ClassVar[str] = "matrix.product"
    left: ImmutableMatrix
    right: ImmutableMatrix
    product: ImmutableMatrix
    names: tuple[str, str]

    def check(self) -> bool:
        return same_matrix(self.left * self.right, self.product)


@dataclass(frozen=True, kw_only=True)
class ChangeOfBasis(Step):
    """``Ã = T^{-1} A S`` (MML Theorem 2.20): verified as ``T Ã = A S``."""

    rule: ClassVar[str] = "matrix.change_of_basis"
    A: ImmutableMatrix
    S: ImmutableMatrix
    T: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.T * self.result, self.A * self.S)


# ---------------------------------------------------------------- input checks

def _number(value: Any, what: str) -> sympy.Expr:
    """A finite real number (floats become exact rationals), else a TutorError naming ``what``."""
    value = sympy.sympify(value)
    if not isinstance(value, sympy.Expr) or not value.is_number or value.is_real is False \
            or value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise TutorError(f"{what} is not a real number: {value}")
    return sympy.nsimplify(value, rational=True) if value.has(sympy.Float) else value


def _entry(value: Any, what: str) -> sympy.Expr:
    """A finite number or a symbolic expression (for det and inverse)."""
    value = sympy.sympify(value)
    if not isinstance(value, sympy.Expr) or value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise TutorError(f"{what} is not a number or an expression: {value}")
    return sympy.nsimplify(value, rational=True) if value.has(sympy.Float) else value


def _matrix(M: Any, *, numeric: bool = True, what: str = "the matrix") -> ImmutableMatrix:
    M = sympy.Matrix(M)
    if M.rows == 0 or M.cols == 0:
        raise TutorError(f"{what} is empty")
    if M.rows > MAX_DIM or M.cols > MAX_DIM:
        raise TutorError(f"{what} is {M.rows}x{M.cols}; the limit is {MAX_DIM}x{MAX_DIM}")
    check = _number if numeric else _entry
    return ImmutableMatrix(M.rows, M.cols,
                           lambda i, j: check(M[i, j], f"entry ({i + 1},{j + 1}) of {what}"))


def _column(v: Any, what: str) -> ImmutableMatrix:
    """One vector as a column (a row or a column is accepted; a matrix is not)."""
    v = sympy.Matrix(v)
    if v.rows > 1 and v.cols > 1:
        raise TutorError(f"{what} is a {v.rows}x{v.cols} matrix, not a vector")
    return _matrix(v.reshape(len(v), 1), what=what)


def _vectors(vectors: Sequence[Any], what: str) -> tuple[ImmutableMatrix, ...]:
    """Column vectors of one common length, at least one."""
    if not vectors:
        raise TutorError(f"give at least one vector ({what})")
    out = tuple(_column(v, f"vector {k} of {what}") for k, v in enumerate(vectors, 1))
    lengths = sorted({v.rows for v in out})
    if len(lengths) > 1:
        raise TutorError(f"the vectors of {what} have different lengths ({', '.join(map(str, lengths))})")
    return out


def _basis(vectors: Sequence[Any], what: str, dim: int | None = None) -> tuple[ImmutableMatrix, ...]:
    """The vectors of a basis: same length, independent, and ``dim`` of them when given."""
    basis = _vectors(vectors, what)
    n = basis[0].rows
    if dim is not None and (n != dim or len(basis) != dim):
        raise TutorError(f"{what} must be {dim} vectors with {dim} entries each "
                         f"(got {len(basis)} of length {n})")
    if sympy.Matrix.hstack(*basis).rank() < len(basis):
        raise TutorError(f"{what} is not a basis: its vectors are linearly dependent")
    return basis


def _rows_as_vectors(M: sympy.MatrixBase | None) -> list[sympy.Matrix] | None:
    return None if M is None else [sympy.Matrix(M.row(i)).T for i in range(M.rows)]


# ---------------------------------------------------------------- builds and solves

def build_inverse(matrix: Any) -> Problem:
    A = _matrix(matrix, numeric=False)
    if not A.is_square:
        raise TutorError(f"only a square matrix has an inverse; this one is {A.rows}x{A.cols}")
    if A.free_symbols and A.rows > MAX_SYMBOLIC_INVERSE:
        raise TutorError(f"the inverse of a matrix with symbols is limited to "
                         f"{MAX_SYMBOLIC_INVERSE}x{MAX_SYMBOLIC_INVERSE} (this one is {A.rows}x{A.rows})")
    return Problem("inverse", {"A": A})


def solve_inverse(problem: Problem) -> Solution:
    inv = inverse_steps(problem["A"])
    answer = NoneAnswer("singular") if inv.value is None else MatrixAnswer(inv.value)
    return Solution(problem, inv.step.substeps, answer)


_DET_METHODS: dict[str, Callable[[ImmutableMatrix], Any]] = {
    "laplace": lambda A: laplace_steps(A, max_n=MAX_LAPLACE),
    "rows": row_reduction_det_steps,
    "sarrus": sarrus_steps,
}


def build_det(matrix: Any, method: str | None = None) -> Problem:
    A = _matrix(matrix, numeric=False)
    n = A.rows
    if not A.is_square:
        raise TutorError(f"a determinant needs a square matrix; this one is {A.rows}x{A.cols}")
    symbols = len(A.free_symbols)
    method = method or ("laplace" if n <= MAX_LAPLACE or symbols else "rows")
    if method == "sarrus" and n != 3:
        raise TutorError(f"the rule of Sarrus is for 3x3 matrices only; this one is {n}x{n}")
    if method == "rows" and symbols:
        raise TutorError("determinant by row reduction needs numeric entries "
                         "(a symbolic pivot might be zero); use --method laplace")
    limit = MAX_SYMBOLIC_DET if symbols > 1 else MAX_LAPLACE
    if method == "laplace" and n > limit:
        hint = "" if symbols else "; use --method rows"
        raise TutorError(f"Laplace expansion is limited to {limit}x{limit} matrices here "
                         f"(this one is {n}x{n}){hint}")
    return Problem("det", {"A": A, "method": method})


def solve_det(problem: Problem) -> Solution:
    det = _DET_METHODS[problem["method"]](problem["A"])
    return Solution(problem, (det.step,), ExpressionAnswer(det.value))


def build_matrix(kind: str) -> Callable[[Any], Problem]:
    """The build of a kind whose one input is a numeric matrix of any shape."""
    def build(matrix: Any) -> Problem:
        return Problem(kind, {"A": _matrix(matrix)})
    return build


def solve_rank(problem: Problem) -> Solution:
    A = problem["A"]
    red = echelon_reduction(A)
    rank = len(red.pivots)
    steps = (red.step, RankFromPivots(A=A, echelon=red.echelon, pivots=red.pivots, rank=rank))
    return Solution(problem, steps, ExpressionAnswer(sympy.Integer(rank)))


def _lambdas(n: int) -> tuple[sympy.Symbol, ...]:
    return sympy.symbols(f"lambda_1:{n + 1}")


def solve_image(problem: Problem) -> Solution:
    A = problem["A"]
    red = echelon_reduction(A)
    vectors = tuple(ImmutableMatrix(A.col(j)) for j in red.pivots)
    steps = (red.step, ImageBasis(A=A, echelon=red.echelon, pivots=red.pivots, vectors=vectors))
    return Solution(problem, steps, BasisAnswer(vectors))


def build_independence(vectors: Sequence[Any]) -> Problem:
    return Problem("independence", {"vectors": _vectors(vectors, "the vectors")})


def solve_independence(problem: Problem) -> Solution:
    vectors = problem["vectors"]
    A = ImmutableMatrix(sympy.Matrix.hstack(*vectors))
    steps: list[Step] = [ColumnMatrix(name="A", vectors=vectors, matrix=A)]
    red = echelon_reduction(A)
    if len(red.pivots) == A.cols:
        steps += [red.step, IndependenceVerdict(matrix=A, pivots=red.pivots, independent=True,
                                                  variables=_lambdas(A.cols))]
        return Solution(problem, tuple(steps), BooleanAnswer(True))
    red = reduce(A, names=_lambdas(A.cols), to="rref")
    steps += [red.step, IndependenceVerdict(matrix=A, pivots=red.pivots, independent=False,
                                                  variables=_lambdas(A.cols))]
    more, directions = kernel_steps(A, red.rref, red.pivots, _lambdas(A.cols))
    kernel_vector = directions[0]
    factor = sympy.Integer(fold(sympy.ilcm, (sympy.fraction(e)[1] for e in kernel_vector), 1))
    coefficients = tuple(factor * e for e in kernel_vector)
    steps += [*more, DependencyRelation(vectors=vectors, kernel_vector=kernel_vector, factor=factor,
                                        coefficients=coefficients)]
    return Solution(problem, tuple(steps), BooleanAnswer(False, coefficients))


def build_coordinates(x: Any, basis: Sequence[Any]) -> Problem:
    B = _basis(basis, "the basis")
    (v,) = _vectors([x], "the vector x")
    if v.rows != B[0].rows:
        raise TutorError(f"x has {v.rows} entries but the basis vectors have {B[0].rows}")
    if sympy.Matrix.hstack(*B, v).rank() > len(B):
        raise TutorError("x is not in the span of the basis vectors, so it has no coordinates "
                         "in this basis")
    return Problem("coordinates", {"x": v, "basis": B})


def solve_coordinates(problem: Problem) -> Solution:
    x, basis = problem["x"], problem["basis"]
    k = len(basis)
    B = ImmutableMatrix(sympy.Matrix.hstack(*basis))
    names = sympy.symbols(f"alpha_1:{k + 1}")
    red = reduce(B.row_join(x), pivot_cols=k, names=names, to="rref")
    coefficients = ImmutableMatrix(red.rref[:k, k])
    steps = (ColumnMatrix(name="B", vectors=basis, matrix=B), red.step,
             Coordinates(basis=basis, x=x, rref=red.rref, coefficients=coefficients,
                         variables=names))
    return Solution(problem, steps, VectorAnswer(coefficients))


def build_change_of_basis(matrix: Any, B: Any = None, C: Any = None) -> Problem:
    A = _matrix(matrix)
    if B is None and C is None:
        raise TutorError("give a new basis --B of the domain, --C of the codomain, or both")
    m, n = A.shape
    S = _basis(_rows_as_vectors(sympy.Matrix(B)), "B", n) if B is not None else None
    T = _basis(_rows_as_vectors(sympy.Matrix(C)), "C", m) if C is not None else None
    standard = lambda k: tuple(ImmutableMatrix(sympy.eye(k).col(j)) for j in range(k))  # noqa: E731
    return Problem("change_of_basis", {"A": A, "B": S or standard(n), "C": T or standard(m)})


def solve_change_of_basis(problem: Problem) -> Solution:
    A, B, C = problem["A"], problem["B"], problem["C"]
    S = ImmutableMatrix(sympy.Matrix.hstack(*B))
    T = ImmutableMatrix(sympy.Matrix.hstack(*C))
    steps: list[Step] = [ColumnMatrix(name="S", vectors=B, matrix=S),
                         ColumnMatrix(name="T", vectors=C, matrix=T)]
    AS = A
    if S != sympy.eye(S.rows):
        AS = ImmutableMatrix(A * S)
        steps.append(MatrixProduct(left=A, right=S, product=AS, names=("A", "S")))
    result = AS
    if T != sympy.eye(T.rows):
        inv = inverse_steps(T)
        result = ImmutableMatrix(inv.value * AS)
        steps += [inv.step, MatrixProduct(left=inv.value, right=AS, product=result,
                                          names=("T^{-1}", "AS"))]
    steps.append(ChangeOfBasis(A=A, S=S, T=T, result=result))
    return Solution(problem, tuple(steps), MatrixAnswer(result))


# ---------------------------------------------------------------- registration

_MATRIX = Field("matrix", matrix_field, help="the matrix, e.g. '[[1,2],[3,4]]'", positional=True)

register(Kind(name="inverse", topic="matrices", summary="inverse of a square matrix (Gauss-Jordan)",
              fields=(_MATRIX,), build=build_inverse, solve=solve_inverse))
register(Kind(name="det", topic="matrices", summary="determinant of a square matrix",
              fields=(_MATRIX, Field("method", str, help="laplace (n <= 4), rows or sarrus (3x3)",
                                     required=False, choices=tuple(_DET_METHODS))),
              build=build_det, solve=solve_det))
register(Kind(name="rank", topic="matrices", summary="rank of a matrix from its echelon form",
              fields=(_MATRIX,), build=build_matrix("rank"), solve=solve_rank))
register(Kind(name="kernel", topic="matrices", summary="basis of the kernel (null space) of a matrix",
              fields=(_MATRIX,), build=build_matrix("kernel"), solve=solve_kernel))
register(Kind(name="image", topic="matrices", summary="basis of the image (column space) of a matrix",
              fields=(_MATRIX,), build=build_matrix("image"), solve=solve_image))
register(Kind(name="independence", topic="matrices", summary="are these vectors linearly independent?",
              fields=(Field("vectors", vector_field, help="the vectors, e.g. '[1,2,3]'",
                            positional=True, many=True),),
              build=build_independence, solve=solve_independence))
register(Kind(name="coordinates", topic="matrices", summary="coordinates of a vector in a basis",
              fields=(Field("x", vector_field, help="the vector x", positional=True),
                      Field("basis", vector_field, help="the basis vectors", positional=True,
                            many=True)),
              build=build_coordinates, solve=solve_coordinates))
register(Kind(name="change_of_basis", topic="matrices",
              summary="matrix of a linear map in new bases: T^-1 A S",
              fields=(_MATRIX,
                      Field("B", matrix_field, help="new basis of the domain, one vector per inner "
                            "list: '[[1,0],[1,1]]'", required=False),
                      Field("C", matrix_field, help="new basis of the codomain, one vector per "
                            "inner list", required=False)),
              build=build_change_of_basis, solve=solve_change_of_basis))
