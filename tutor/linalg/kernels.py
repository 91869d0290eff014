"""The kernel of a matrix, read off its reduced row-echelon form the MML book's way.

Pivot and free variables, then the "Minus-1 trick" (MML section 2.3.3): rows
``[0 ... 0 -1 0 ... 0]`` inserted where pivots are missing make a square matrix whose columns
with -1 on the diagonal form a basis of ker(A).  Shared by every derivation that shows a
kernel: the solution set of a system, the kernel kind, dependency relations, eigenspaces,
orthogonal complements and the completion of an SVD.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import BasisAnswer
from tutor.core.steps import Problem, Solution, Step
from tutor.linalg.rowreduce import ReducedEchelonForm, matrix_rows, reduce, same_matrix, snapshot


@dataclass(frozen=True, kw_only=True)
class PivotAndFreeVariables(Step):
    """The pivot columns of the reduced form name the pivot variables; the rest are free."""

    rule: ClassVar[str] = "system.pivot_free"
    rref: ImmutableMatrix
    variables: tuple[sympy.Symbol, ...]
    pivot_variables: tuple[sympy.Symbol, ...]
    free_variables: tuple[sympy.Symbol, ...]

    def check(self) -> bool:
        n = len(self.variables)
        pivots = tuple(self.variables.index(v) for v in self.pivot_variables)
        free = tuple(v for v in self.variables if v not in self.pivot_variables)
        return free == self.free_variables and \
            ReducedEchelonForm(matrix=self.rref, pivots=pivots, pivot_cols=n).check()


@dataclass(frozen=True, kw_only=True)
class MinusOneTrick(Step):
    """The MML book's Minus-1 trick on the reduced form of A (``rref_A``, its pivots).

    ``square``: the n x n matrix with a row ``[0 .. -1 .. 0]`` inserted for each free
    column, so its diagonal holds 1 (pivots) and -1 (free); ``directions``: its columns
    with -1 on the diagonal, a basis of ker(A) (``free_columns`` are their indices).
    """

    rule: ClassVar[str] = "system.minus_one_trick"
    rref_A: ImmutableMatrix
    pivots: tuple[int, ...]
    square: ImmutableMatrix
    free_columns: tuple[int, ...]
    directions: tuple[ImmutableMatrix, ...]

    def check(self) -> bool:
        n = self.rref_A.cols
        if self.square.shape != (n, n) or len(self.directions) != len(self.free_columns):
            return False
        k = 0
        for j in range(n):
            if j in self.pivots:
                row, k = self.rref_A.row(k), k + 1
                if not same_matrix(self.square.row(j), row) or self.square[j, j] != 1:
                    return False
            elif self.square.row(j) != -sympy.eye(n).row(j):
                return False
        minus = tuple(j for j in range(n) if self.square[j, j] == -1)
        return minus == self.free_columns and all(
            same_matrix(self.square.col(j), v) and same_matrix(self.rref_A * v, sympy.zeros(self.rref_A.rows, 1))
            for j, v in zip(self.free_columns, self.directions))


def minus_one_trick(rref_A: ImmutableMatrix, pivots: tuple[int, ...]) -> MinusOneTrick:
    """The Minus-1 trick step that reads a basis of ker(A) off the reduced form of A.

    Shared: every kind that shows a kernel (system, the matrices kinds, eigenspaces,
    decompositions) reads it the book's way, with the same step and template.
    ``rref_A`` holds the nonzero rows of the reduced form, ``pivots`` their pivot columns.
    """
    n = rref_A.cols
    # built from plain lists of entries: sympy's row/vstack/col cost more than the rest
    # of a 2x2 eigenvalue problem
    reduced = iter(matrix_rows(rref_A))
    minus_one, zero = sympy.S.NegativeOne, sympy.S.Zero
    rows = [next(reduced) if j in pivots else [minus_one if i == j else zero for i in range(n)]
            for j in range(n)]
    free = tuple(j for j in range(n) if j not in pivots)
    return MinusOneTrick(rref_A=rref_A, pivots=pivots, square=snapshot(rows), free_columns=free,
                         directions=tuple(snapshot([[row[j]] for row in rows]) for j in free))


@dataclass(frozen=True, kw_only=True)
class KernelBasis(Step):
    """A basis of ker(A): n - rk(A) independent vectors v with A v = 0 (none: ker A = {0})."""

    rule: ClassVar[str] = "matrix.kernel_basis"
    A: ImmutableMatrix
    vectors: tuple[ImmutableMatrix, ...]
    variables: tuple[sympy.Symbol, ...] = ()  # the names of the unknowns, for the text

    def check(self) -> bool:
        n = self.A.cols
        if len(self.vectors) != n - self.A.rank():
            return False
        if not self.vectors:
            return True
        return (all(same_matrix(self.A * v, sympy.zeros(self.A.rows, 1)) for v in self.vectors)
                and sympy.Matrix.hstack(*self.vectors).rank() == len(self.vectors))


def unknowns(n: int) -> tuple[sympy.Symbol, ...]:
    return sympy.symbols(f"x_1:{n + 1}")


def kernel_steps(A: ImmutableMatrix, rref: ImmutableMatrix, pivots: tuple[int, ...],
                  variables: tuple[sympy.Symbol, ...] | None = None
                  ) -> tuple[list[Step], tuple[ImmutableMatrix, ...]]:
    """Pivot and free variables, then the Minus-1 trick on the nonzero rows of the RREF."""
    variables = variables or unknowns(A.cols)
    free = tuple(v for j, v in enumerate(variables) if j not in pivots)
    trick: MinusOneTrick = minus_one_trick(ImmutableMatrix(rref[:len(pivots), :]), pivots)
    return [PivotAndFreeVariables(rref=rref, variables=variables,
                                  pivot_variables=tuple(variables[j] for j in pivots),
                                  free_variables=free), trick], trick.directions


def solve_kernel(problem: Problem) -> Solution:
    A = problem["A"]
    red = reduce(A, names=unknowns(A.cols), to="ref")
    directions: tuple[ImmutableMatrix, ...] = ()
    if len(red.pivots) == A.cols:  # a pivot in every column: ker A = {0}, no need to go on
        steps: list[Step] = [red.step]
    else:
        red = reduce(A, names=unknowns(A.cols), to="rref")
        more, directions = kernel_steps(A, red.rref, red.pivots)
        steps = [red.step, *more]
    steps.append(KernelBasis(A=A, vectors=directions, variables=unknowns(A.cols)))
    return Solution(problem, tuple(steps), BasisAnswer(directions))
