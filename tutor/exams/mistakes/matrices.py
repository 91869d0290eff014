"""Mistakes of the matrix chapter: determinants, inverses, rank, kernel, image, coordinates, bases."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import matrix, mistakes, redo


def permanent(M: sympy.Matrix) -> sympy.Expr:
    """The Laplace expansion with every sign taken +."""
    if M.rows == 1:
        return M[0, 0]
    return sum(M[0, j] * permanent(M.minor_submatrix(0, j)) for j in range(M.cols))


def _if_swapped(inputs: dict[str, Any], key: A.ExpressionAnswer) -> A.Answer | None:
    """-det: only a mistake a student can make when the elimination must swap rows."""
    return A.ExpressionAnswer(-key.value) if matrix(inputs)[0, 0] == 0 else None


mistakes("det",
         ("every sign of the Laplace expansion taken +", lambda i, k: A.ExpressionAnswer(permanent(matrix(i)))),
         ("the product of the diagonal, as if the matrix were triangular",
          lambda i, k: A.ExpressionAnswer(sympy.prod(matrix(i).diagonal()))),
         ("the sign change of a row swap forgotten", _if_swapped))

mistakes("inverse",
         ("the cofactors not transposed (the transpose of the inverse)",
          lambda i, k: A.MatrixAnswer(k.value.T)),
         ("the adjugate not divided by the determinant",
          lambda i, k: A.MatrixAnswer(matrix(i).adjugate())),
         ("the reciprocal of each entry", lambda i, k: A.MatrixAnswer(matrix(i).applyfunc(lambda e: 1 / e))))


def _nonzero_rows(M: sympy.Matrix) -> int:
    return sum(1 for r in range(M.rows) if any(M.row(r)))


mistakes("rank",
         ("the nonzero rows of A counted before elimination", lambda i, k: A.ExpressionAnswer(
             sympy.Integer(_nonzero_rows(matrix(i))))),
         ("the dimension of the kernel (n - rank) given for the rank",
          lambda i, k: A.ExpressionAnswer(matrix(i).cols - k.value)),
         ("the number of columns (every column taken as a pivot column)",
          lambda i, k: A.ExpressionAnswer(sympy.Integer(matrix(i).cols))))


def _kernel_plus_one(inputs: dict[str, Any]) -> A.Answer:
    """The Minus-1 trick done with +1: the free variable set to 1 but the pivot entries of the
    reduced row echelon form copied without their sign change."""
    return A.BasisAnswer(plus_one_kernel(matrix(inputs)))


def plus_one_kernel(M: sympy.Matrix) -> tuple[sympy.Matrix, ...]:
    """The vectors of the Minus-1 trick with +1 on the free variable and the RREF's entries unsigned."""
    R, pivots = M.rref()
    vectors = []
    for f in (j for j in range(M.cols) if j not in pivots):
        v = sympy.zeros(M.cols, 1)
        v[f] = 1
        for row, p in enumerate(pivots):
            v[p] = R[row, f]
        vectors.append(v)
    return tuple(vectors)


def _pivot_columns(inputs: dict[str, Any], of_echelon_form: bool) -> A.Answer:
    M = matrix(inputs)
    R, pivots = M.rref()
    source = R if of_echelon_form else M
    return A.BasisAnswer(tuple(source[:, p] for p in pivots))


def _row_space(inputs: dict[str, Any]) -> A.Answer:
    R, pivots = matrix(inputs).rref()
    return A.BasisAnswer(tuple(R[r, :].T for r in range(len(pivots))))


mistakes("kernel",
         ("the Minus-1 trick done with +1 (the signs of the pivot entries not changed)",
          lambda i, k: _kernel_plus_one(i)),
         ("the pivot columns of A (a basis of the image, not the kernel)",
          lambda i, k: _pivot_columns(i, of_echelon_form=False)))

mistakes("image",
         ("the pivot columns of the reduced row echelon form instead of those of A",
          lambda i, k: _pivot_columns(i, of_echelon_form=True)),
         ("the nonzero rows of the reduced row echelon form (a basis of the row space)",
          lambda i, k: _row_space(i)))


def _basis_matrix(inputs: dict[str, Any]) -> sympy.Matrix:
    return sympy.Matrix.hstack(*inputs["basis"])


mistakes("coordinates",
         ("the basis vectors taken as the rows of B (B^T c = x solved)",
          lambda i, k: A.VectorAnswer(_basis_matrix(i).T.solve(sympy.Matrix(i["x"])))),
         ("B x computed instead of B^-1 x (the change of coordinates the wrong way)",
          lambda i, k: A.VectorAnswer(_basis_matrix(i) * sympy.Matrix(i["x"]))))

mistakes("change_of_basis",
         ("the two bases swapped (C^-1 ... B read the other way)",
          lambda i, k: redo("change_of_basis", i, B=i["C"], C=i["B"])),
         ("the inverse taken of the wrong basis matrix (C A B^-1 for C^-1 A B)",
          lambda i, k: A.MatrixAnswer(sympy.Matrix.hstack(*i["C"]) * matrix(i)
                                      * sympy.Matrix.hstack(*i["B"]).inv())),
         ("the inverse forgotten (C A B for C^-1 A B)",
          lambda i, k: A.MatrixAnswer(sympy.Matrix.hstack(*i["C"]) * matrix(i) * sympy.Matrix.hstack(*i["B"]))))

__all__ = ["permanent", "plus_one_kernel"]
