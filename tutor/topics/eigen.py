"""The eigen kinds: ``charpoly``, ``eigen`` and ``diagonalize`` (MML sections 4.2, 4.4).

This module reads the matrix (square, rational; symbolic entries for the characteristic
polynomial only) and registers the kinds; the derivations are :mod:`tutor.linalg.eigen`.
"""
from __future__ import annotations

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import DiagonalizationAnswer, EigenAnswer, ExpressionAnswer
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.steps import Problem, Solution
from tutor.linalg.eigen import (Defective, Diagonalization, OrthogonalDiagonalization,
                                MAX_NUMERIC, characteristic_polynomial, diagonalization_products, eigen_steps,
                                orthonormal_eigenbasis)
from tutor.linalg.orthonormal import orthonormal_columns
from tutor.linalg.roots import LAMBDA
from tutor.parsing.text import matrix_field

MAX_SYMBOLIC = 3  # symbolic entries: characteristic polynomial only, up to 3x3


def _square_matrix(matrix: sympy.MatrixBase, *, symbolic: bool = False,
                   what: str = "an eigenvalue problem") -> ImmutableMatrix:
    """A square matrix with rational entries (or, with ``symbolic``, any finite real entries)."""
    M = sympy.Matrix(matrix)
    if M.rows == 0 or M.cols == 0:
        raise TutorError("the matrix is empty")
    if M.rows != M.cols:
        raise TutorError(f"{what} needs a square matrix; this one is {M.rows}x{M.cols}")
    exact = M.applyfunc(lambda e: sympy.nsimplify(e, rational=True) if e.has(sympy.Float) else e)
    if all(e.is_Rational for e in exact):
        if M.rows > MAX_NUMERIC:
            raise TutorError(f"{what} is limited to {MAX_NUMERIC}x{MAX_NUMERIC} matrices "
                             f"(this one is {M.rows}x{M.rows})")
        return ImmutableMatrix(exact)
    if any(e.has(sympy.I, sympy.zoo, sympy.oo, sympy.nan) for e in exact):
        raise TutorError("the matrix entries must be finite real numbers")
    if not symbolic:
        raise TutorError(f"{what} needs rational entries (symbolic eigenproblems need case "
                         "distinctions the tutor does not make); charpoly accepts symbols")
    if M.rows > MAX_SYMBOLIC:
        raise TutorError(f"symbolic matrices are limited to {MAX_SYMBOLIC}x{MAX_SYMBOLIC} "
                         f"(this one is {M.rows}x{M.rows}: symbolic 4x4 eigenproblems hang)")
    if LAMBDA in exact.free_symbols:
        raise TutorError("the matrix must not contain lambda, the eigenvalue symbol")
    return ImmutableMatrix(exact)


def _build_charpoly(matrix: sympy.MatrixBase) -> Problem:
    return Problem("charpoly", {"A": _square_matrix(matrix, symbolic=True,
                                                    what="a characteristic polynomial")})


def _build_eigen(matrix: sympy.MatrixBase) -> Problem:
    return Problem("eigen", {"A": _square_matrix(matrix)})


def _build_diagonalize(matrix: sympy.MatrixBase, orthogonal: bool = False) -> Problem:
    A = _square_matrix(matrix, what="diagonalization")
    if orthogonal and A != A.T:
        raise TutorError("--orthogonal needs a symmetric matrix (A = A^T); this one is not")
    return Problem("diagonalize", {"A": A, "orthogonal": bool(orthogonal)})


# ---------------------------------------------------------------- solving

def _solve_charpoly(problem: Problem) -> Solution:
    step = characteristic_polynomial(problem["A"])
    return Solution(problem, (step,), ExpressionAnswer(step.polynomial))


def _solve_eigen(problem: Problem) -> Solution:
    data = eigen_steps(problem["A"])
    return Solution(problem, data.steps, EigenAnswer(data.eigenvalues))


def _solve_diagonalize(problem: Problem) -> Solution:
    A = problem["A"]
    data = eigen_steps(A)
    steps = list(data.steps)
    for ev in data.eigenvalues:
        if ev.geometric_multiplicity < ev.algebraic_multiplicity:
            steps.append(Defective(matrix=A, eigenvalue=ev.value, algebraic=ev.algebraic_multiplicity,
                                   geometric=ev.geometric_multiplicity))
            reason = (f"geometric multiplicity {ev.geometric_multiplicity} < algebraic multiplicity "
                      f"{ev.algebraic_multiplicity} for lambda = {ev.value}")
            return Solution(problem, tuple(steps), DiagonalizationAnswer(False, reason=reason))
    D = ImmutableMatrix(sympy.diag(*[ev.value for ev in data.eigenvalues
                                     for _ in range(ev.algebraic_multiplicity)]))
    if problem["orthogonal"]:
        if not all(r.exact for r in data.roots):
            raise TutorError("an exact orthonormal eigenbasis is not derived here: this matrix has "
                             "eigenvalues that are roots of an irreducible polynomial of degree >= 3, "
                             "not written in radicals ('tutor solve eigen' gives them numerically)")
        columns, ortho = orthonormal_eigenbasis(data)
        Q = ImmutableMatrix(sympy.Matrix.hstack(*columns))
        steps += [*ortho, OrthogonalDiagonalization(matrix=A, Q=Q, D=D, substeps=(orthonormal_columns("Q", Q),))]
        return Solution(problem, tuple(steps), DiagonalizationAnswer(True, P=Q, D=D))
    P = ImmutableMatrix(sympy.Matrix.hstack(*[v for b in data.bases for v in b]))
    AP, PD = diagonalization_products(A, P, D)
    steps.append(Diagonalization(matrix=A, P=P, D=D, AP=AP, PD=PD))
    return Solution(problem, tuple(steps), DiagonalizationAnswer(True, P=P, D=D))


_MATRIX = Field("matrix", matrix_field, help="the square matrix A, e.g. '[[4,2],[1,3]]'",
                positional=True)

register(Kind(name="charpoly", topic="eigen",
              summary="characteristic polynomial det(A - lambda I) by Laplace expansion",
              fields=(_MATRIX,), build=_build_charpoly, solve=_solve_charpoly))
register(Kind(name="eigen", topic="eigen",
              summary="eigenvalues with multiplicities and a basis of each eigenspace",
              fields=(_MATRIX,), build=_build_eigen, solve=_solve_eigen))
register(Kind(name="diagonalize", topic="eigen",
              summary="A = P D P^-1 (or A = Q D Q^T with --orthogonal), or why A is defective",
              fields=(_MATRIX, Field("orthogonal", bool, help="orthonormal eigenbasis (symmetric A)",
                                     required=False, default=False, flag=True)),
              build=_build_diagonalize, solve=_solve_diagonalize))
