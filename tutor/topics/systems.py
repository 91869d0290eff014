"""The ``system`` kind: solve a linear system Ax = b by Gaussian elimination.

The solution follows the lecture (and the MML book, section 2.3): write the
augmented matrix ``[A | b]``, row-reduce it (pivots only in A's columns, see
``tutor.rowreduce``), compare the ranks of A and ``[A | b]``, then either name the
row ``0 = c`` that makes the system inconsistent, read off the unique solution, or
give a particular solution plus a kernel basis found with the book's Minus-1 trick.
A last step substitutes the answer back into the original equations.

Every step is checked with sympy independently of the elimination engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from ..answers import SolutionSetAnswer
from ..errors import TutorError
from ..kinds import Field, Kind, register
from ..parse import matrix_field, vector_field
from ..rowreduce import ReducedEchelonForm, matrix_rows, reduce, same_matrix, snapshot
from ..steps import Problem, Solution, Step


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
        x = sympy.Matrix(self.variables)
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


# ---------------------------------------------------------------- building

_NAME = re.compile(r"^(.*?)_?\{?(\d+)\}?$")


def _natural_key(symbol: sympy.Symbol) -> tuple[str, int, str]:
    """x < y < z; x_2 < x_10 by numeric subscript; plain names before subscripted ones."""
    m = _NAME.match(symbol.name)
    if m and m.group(1):
        return (m.group(1), int(m.group(2)), symbol.name)
    return (symbol.name, -1, symbol.name)


def _number(value: Any, what: str) -> sympy.Expr:
    """A finite number (floats become exact rationals), else a TutorError naming ``what``."""
    value = sympy.sympify(value)
    if not value.is_number or value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) \
            or value.is_real is False:
        raise TutorError(f"{what} is not a real number: {value}")
    return sympy.nsimplify(value, rational=True) if value.has(sympy.Float) else value


def _as_equation(value: Any, position: int) -> sympy.Eq:
    """An equation as given; an equation that sympy already decided (``3 = 3``) is refused."""
    if isinstance(value, sympy.Equality):
        return value
    if value in (sympy.true, sympy.false):
        raise TutorError(f"equation {position} has no unknowns (it reads {'true' if value else 'false'})")
    raise TutorError(f"equation {position} is not an equation: {value}")


def _linear_row(eq: sympy.Eq, unknowns: Sequence[sympy.Symbol], position: int
                ) -> tuple[list[sympy.Expr], sympy.Expr]:
    """The coefficients and right-hand side of one equation, or a TutorError if not linear."""
    f = sympy.expand(eq.lhs - eq.rhs)
    for term in sympy.Add.make_args(f):
        if any(sympy.diff(term, v).has(*unknowns) for v in unknowns):
            raise TutorError(f"equation {position} is not linear: {term}")
    coefficients = [_number(f.coeff(v), f"a coefficient of equation {position}") for v in unknowns]
    constant = _number(f.subs({v: 0 for v in unknowns}), f"the constant of equation {position}")
    return coefficients, -constant


def _from_equations(equations: Sequence[Any]) -> tuple[sympy.Matrix, sympy.Matrix, tuple, tuple]:
    eqs = tuple(_as_equation(e, i) for i, e in enumerate(equations, 1))
    unknowns = tuple(sorted(set().union(*(e.free_symbols for e in eqs)), key=_natural_key))
    if not unknowns:
        raise TutorError("the equations have no unknowns")
    rows = [_linear_row(e, unknowns, i) for i, e in enumerate(eqs, 1)]
    A = sympy.Matrix([r[0] for r in rows])
    b = sympy.Matrix([r[1] for r in rows])
    return A, b, unknowns, eqs


def _from_matrix(matrix: sympy.MatrixBase, rhs: sympy.MatrixBase | None
                 ) -> tuple[sympy.Matrix, sympy.Matrix, tuple, tuple]:
    if matrix.rows == 0 or matrix.cols == 0:
        raise TutorError("the matrix is empty")
    A = sympy.Matrix(matrix.rows, matrix.cols,
                     lambda i, j: _number(matrix[i, j], f"matrix entry ({i + 1},{j + 1})"))
    if rhs is None:
        b = sympy.zeros(A.rows, 1)
    else:
        entries = list(rhs)
        if len(entries) != A.rows:
            raise TutorError(f"the right-hand side has {len(entries)} entries "
                             f"but the matrix has {A.rows} rows")
        b = sympy.Matrix([_number(e, f"right-hand side entry {i}") for i, e in enumerate(entries, 1)])
    x = sympy.symbols(f"x_1:{A.cols + 1}")
    eqs = tuple(sympy.Eq((A.row(i) * sympy.Matrix(x))[0], b[i], evaluate=False) for i in range(A.rows))
    return A, b, x, eqs


def build(equations: Sequence[Any] | None = None, matrix: sympy.MatrixBase | None = None,
          rhs: sympy.MatrixBase | None = None) -> Problem:
    """A system from equations (``3x + y = 9``, ...) or from a matrix A and optional b (default 0)."""
    if equations and matrix is not None:
        raise TutorError("give either equations or a matrix, not both")
    if equations:
        if rhs is not None:
            raise TutorError("a right-hand side goes with a matrix, not with equations")
        A, b, variables, eqs = _from_equations(equations)
    elif matrix is not None:
        A, b, variables, eqs = _from_matrix(sympy.Matrix(matrix), rhs)
    else:
        raise TutorError("give the equations of the system, or its matrix")
    return Problem("system", {"A": ImmutableMatrix(A), "b": ImmutableMatrix(b),
                              "variables": variables, "equations": eqs})


# ---------------------------------------------------------------- solving

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
    rref = red.rref
    particular = sympy.zeros(n, 1)
    for k, j in enumerate(red.pivots):
        particular[j] = rref[k, n]
    particular = ImmutableMatrix(particular)
    if len(red.pivots) == n:
        steps.append(UniqueSolution(rref=rref, variables=variables, values=particular))
        directions: tuple[ImmutableMatrix, ...] = ()
    else:
        free = tuple(v for j, v in enumerate(variables) if j not in red.pivots)
        trick = minus_one_trick(ImmutableMatrix(rref[:rank_A, :n]), red.pivots)
        directions = trick.directions
        parameters = sympy.symbols(f"lambda_1:{len(directions) + 1}")
        solution = sympy.Matrix(particular)
        for lam, v in zip(parameters, directions):
            solution += lam * v
        steps += [
            PivotAndFreeVariables(rref=ImmutableMatrix(rref[:, :n]), variables=variables,
                                  pivot_variables=tuple(variables[j] for j in red.pivots),
                                  free_variables=free),
            ParticularSolution(variables=variables, free_variables=free, A=A, b=b,
                               particular=particular),
            trick,
            GeneralSolution(variables=variables, particular=particular, directions=directions,
                            parameters=parameters, solution=ImmutableMatrix(solution)),
        ]
    steps.append(SubstitutionCheck(equations=equations, variables=variables,
                                   particular=particular, directions=directions))
    return Solution(problem, tuple(steps), SolutionSetAnswer(variables, particular, directions))


# ---------------------------------------------------------------- registration

def _parse_equation(value: Any) -> Any:
    if isinstance(value, (sympy.Equality, sympy.logic.boolalg.BooleanAtom)):
        return value
    from ..parse import parse_equation
    return parse_equation(value)


register(Kind(
    name="system",
    topic="systems",
    summary="solve a linear system Ax = b by Gaussian elimination",
    fields=(
        Field("equations", _parse_equation, help="the equations, e.g. '3x + y = 9'",
              positional=True, many=True, required=False),
        Field("matrix", matrix_field, help="the coefficient matrix A (instead of equations)",
              required=False),
        Field("rhs", vector_field, help="the right-hand side b (default: 0)", required=False),
    ),
    build=build,
    solve=solve,
))
