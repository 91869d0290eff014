"""The solution of a linear system Ax = b by Gaussian elimination, with steps.

The solution follows the lecture (and the MML book, section 2.3): write the
augmented matrix ``[A | b]``, row-reduce it (pivots only in A's columns, see
``tutor.rowreduce``), compare the ranks of A and ``[A | b]``, then either name the
row ``0 = c`` that makes the system inconsistent, read off the unique solution, or
give a particular solution plus a kernel basis found with the book's Minus-1 trick.
A last step substitutes the answer back into the original equations.

Every step is checked with sympy independently of the elimination engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import SolutionSetAnswer
from tutor.linalg.rowreduce import reduce, same_matrix
from tutor.core.steps import Problem, Solution, Step
from tutor.linalg.kernels import PivotAndFreeVariables, minus_one_trick


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class AugmentedMatrix(Step):
    """Reading the equations as ``[A | b]``: row i holds the coefficients of equation i.

    ``equations`` are the originals, ``variables`` the unknowns in column order.
    """

    rule: ClassVar[str] = "system.augmented_matrix"
    equations: tuple[sympy.Eq, ...]
    variables: tuple[sympy.Symbol, ...]
    A: ImmutableMatrix
    b: ImmutableMatrix
    augmented: ImmutableMatrix

    def check(self) -> bool:
        x = sympy.Matrix(len(self.variables), 1, self.variables)  # 0 x 1 when 0 = 4 has no unknowns
        if len(self.equations) != self.A.rows or not same_matrix(self.A.row_join(self.b), self.augmented):
            return False
        residual = self.A * x - self.b
        return all(sympy.expand(eq.lhs - eq.rhs - residual[i]) == 0
                   for i, eq in enumerate(self.equations))


@dataclass(frozen=True, kw_only=True)
class Ranks(Step):
    """rank(A) and rank([A | b]), read off the echelon form (pivots of A; a row 0 = c adds one)."""

    rule: ClassVar[str] = "system.ranks"
    A: ImmutableMatrix
    augmented: ImmutableMatrix
    rank_A: int
    rank_augmented: int

    def check(self) -> bool:
        return self.A.rank(simplify=True) == self.rank_A and \
            self.augmented.rank(simplify=True) == self.rank_augmented


@dataclass(frozen=True, kw_only=True)
class Inconsistent(Step):
    """Row ``row`` (0-based) of the echelon form ``echelon`` reads ``0 = value`` with value != 0."""

    rule: ClassVar[str] = "system.inconsistent"
    echelon: ImmutableMatrix
    row: int
    value: sympy.Expr

    def check(self) -> bool:
        n = self.echelon.cols - 1
        entries = self.echelon.row(self.row)
        return all(sympy.simplify(e) == 0 for e in entries[:n]) and \
            sympy.simplify(entries[n] - self.value) == 0 and sympy.simplify(self.value) != 0


@dataclass(frozen=True, kw_only=True)
class UniqueSolution(Step):
    """Every variable is a pivot variable: the reduced form reads ``variables = values``."""

    rule: ClassVar[str] = "system.unique_solution"
    rref: ImmutableMatrix
    variables: tuple[sympy.Symbol, ...]
    values: ImmutableMatrix

    def check(self) -> bool:
        n = len(self.variables)
        top = self.rref[:n, :]
        return same_matrix(top[:, :n], sympy.eye(n)) and same_matrix(top[:, n], self.values) \
            and all(sympy.simplify(e) == 0 for e in self.rref[n:, :])


@dataclass(frozen=True, kw_only=True)
class ParticularSolution(Step):
    """Free variables set to 0, pivot variables read off the right-hand column: A x_p = b."""

    rule: ClassVar[str] = "system.particular_solution"
    variables: tuple[sympy.Symbol, ...]
    free_variables: tuple[sympy.Symbol, ...]
    A: ImmutableMatrix
    b: ImmutableMatrix
    particular: ImmutableMatrix

    def check(self) -> bool:
        free_zero = all(self.particular[self.variables.index(v)] == 0 for v in self.free_variables)
        return free_zero and same_matrix(self.A * self.particular, self.b)


@dataclass(frozen=True, kw_only=True)
class GeneralSolution(Step):
    """``x = particular + Σ parameters[i] * directions[i]`` (parameters λ_1, λ_2, ...)."""

    rule: ClassVar[str] = "system.general_solution"
    variables: tuple[sympy.Symbol, ...]
    particular: ImmutableMatrix
    directions: tuple[ImmutableMatrix, ...]
    parameters: tuple[sympy.Symbol, ...]
    solution: ImmutableMatrix

    def check(self) -> bool:
        combo = sympy.Matrix(self.particular)
        for lam, v in zip(self.parameters, self.directions, strict=True):
            combo += lam * v
        return same_matrix(combo, self.solution)


@dataclass(frozen=True, kw_only=True)
class SubstitutionCheck(Step):
    """The answer put back into every original equation: the particular solution satisfies
    each; each direction satisfies its homogeneous part (left minus right side at x = 0)."""

    rule: ClassVar[str] = "system.substitution_check"
    equations: tuple[sympy.Eq, ...]
    variables: tuple[sympy.Symbol, ...]
    particular: ImmutableMatrix
    directions: tuple[ImmutableMatrix, ...] = ()

    def check(self) -> bool:
        zero = {v: 0 for v in self.variables}
        for eq in self.equations:
            f = eq.lhs - eq.rhs
            if sympy.simplify(f.subs(dict(zip(self.variables, self.particular)))) != 0:
                return False
            for v in self.directions:
                at_v = f.subs(dict(zip(self.variables, v))) - f.subs(zero)
                if sympy.simplify(at_v) != 0:
                    return False
        return True


# ---------------------------------------------------------------- solving


def solve(problem: Problem) -> Solution:
    """Augmented matrix, elimination, ranks, then the solution set and a substitution check."""
    A, b = problem["A"], problem["b"]
    variables, equations = problem["variables"], problem["equations"]
    m, n = A.shape
    augmented = ImmutableMatrix(A.row_join(b))
    steps: list[Step] = [AugmentedMatrix(equations=equations, variables=variables, A=A, b=b,
                                         augmented=augmented)]
    red = reduce(augmented, pivot_cols=n, names=variables, to="rref")
    zero_rows = [i for i in range(len(red.pivots), m) if red.echelon[i, n] != 0]
    rank_A = len(red.pivots)
    ranks = Ranks(A=A, augmented=augmented, rank_A=rank_A, rank_augmented=rank_A + bool(zero_rows))
    if zero_rows:
        # A teacher stops at the echelon form as soon as a row reads 0 = c.
        row = zero_rows[0]
        steps += [red.forward_only().step, ranks,
                  Inconsistent(echelon=red.echelon, row=row, value=red.echelon[row, n])]
        return Solution(problem, tuple(steps), SolutionSetAnswer(variables, None, ()))

    steps += [red.step, ranks]
    tail, answer = read_solution(A, b, red.rref, red.pivots, variables, equations)
    return Solution(problem, tuple(steps + tail), answer)


def read_solution(A: ImmutableMatrix, b: ImmutableMatrix, rref: ImmutableMatrix, pivots: tuple[int, ...],
                  variables: tuple[sympy.Symbol, ...], equations: tuple[sympy.Eq, ...]
                  ) -> tuple[list[Step], SolutionSetAnswer]:
    """The solution set read off the reduced form of a consistent ``[A | b]``: the unique
    solution, or a particular solution plus the kernel by the Minus-1 trick; then the
    substitution check.  Shared with the generic case of a parametric system."""
    n = A.cols
    rank_A = len(pivots)
    steps: list[Step] = []
    particular = sympy.zeros(n, 1)
    for k, j in enumerate(pivots):
        particular[j] = rref[k, n]
    particular = ImmutableMatrix(particular)
    if len(pivots) == n:
        steps.append(UniqueSolution(rref=rref, variables=variables, values=particular))
        directions: tuple[ImmutableMatrix, ...] = ()
    else:
        free = tuple(v for j, v in enumerate(variables) if j not in pivots)
        trick = minus_one_trick(ImmutableMatrix(rref[:rank_A, :n]), pivots)
        directions = trick.directions
        parameters = sympy.symbols(f"lambda_1:{len(directions) + 1}")
        solution = sympy.Matrix(particular)
        for lam, v in zip(parameters, directions):
            solution += lam * v
        steps += [
            PivotAndFreeVariables(rref=ImmutableMatrix(rref[:, :n]), variables=variables,
                                  pivot_variables=tuple(variables[j] for j in pivots),
                                  free_variables=free),
            ParticularSolution(variables=variables, free_variables=free, A=A, b=b,
                               particular=particular),
            trick,
            GeneralSolution(variables=variables, particular=particular, directions=directions,
                            parameters=parameters, solution=ImmutableMatrix(solution)),
        ]
    steps.append(SubstitutionCheck(equations=equations, variables=variables,
                                   particular=particular, directions=directions))
    return steps, SolutionSetAnswer(variables, particular, directions)
