"""The ``system`` kind: a linear system Ax = b, from equations or from a matrix.

This module reads the input (equations in any order of terms, unknowns sorted naturally,
``x_2`` before ``x_10``; or A and b) and registers the kind; the derivation (augmented matrix,
elimination, ranks, the solution set, the substitution check) is :mod:`tutor.linalg.systems`.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.steps import Problem
from tutor.linalg.systems import solve
from tutor.parsing.text import matrix_field, vector_field


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
    rows = [_linear_row(e, unknowns, i) for i, e in enumerate(eqs, 1)]
    if not unknowns and all(r[1] == 0 for r in rows):
        raise TutorError("the equations have no unknowns and all hold: there is nothing to solve "
                         "(type the equations with their unknowns, e.g. x + y = 3)")
    A = sympy.Matrix(len(rows), len(unknowns), [c for r in rows for c in r[0]])
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


def _parse_equation(value: Any) -> Any:
    if isinstance(value, (sympy.Equality, sympy.logic.boolalg.BooleanAtom)):
        return value
    from tutor.parsing.text import parse_equation
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
