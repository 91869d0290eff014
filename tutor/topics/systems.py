"""The ``system`` kind: a linear system Ax = b, from equations or from a matrix.

This module reads the input (equations in any order of terms, unknowns sorted naturally,
``x_2`` before ``x_10``; or A and b) and registers the kind; the derivation (augmented matrix,
elimination, ranks, the solution set, the substitution check) is :mod:`tutor.linalg.systems`.

``--unknowns x,y`` names the unknowns: any other letter is a parameter (``x + a y = 1``; two at
most, ``x + a y = b``), and the system is solved with case distinctions on it
(:mod:`tutor.linalg.parametric`).  Without
the option every letter is an unknown, and a product such as ``a y`` is refused with what
to type.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.steps import Problem
from tutor.core.steps import Solution
from tutor.linalg import parametric, systems
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


def _polynomial(value: Any, parameters: Sequence[sympy.Symbol], what: str) -> sympy.Expr:
    """A polynomial in the ``parameters`` with rational coefficients (a coefficient of a
    parametric system), else a TutorError naming ``what``."""
    value = sympy.expand(sympy.nsimplify(value, rational=True) if value.has(sympy.Float) else value)
    if not value.free_symbols <= set(parameters) or not value.is_polynomial(*parameters) or \
            not all(c.is_Rational for c in sympy.Poly(value, *parameters).coeffs()):
        named = " and ".join(map(str, parameters))
        raise TutorError(f"{what} is {value}, not a polynomial in the parameter{'s' if len(parameters) > 1 else ''} "
                         f"{named} (multiply the equation by its denominator)")
    return value


def _linear_row(eq: sympy.Eq, unknowns: Sequence[sympy.Symbol], position: int,
                parameters: Sequence[sympy.Symbol] = ()) -> tuple[list[sympy.Expr], sympy.Expr]:
    """The coefficients and right-hand side of one equation, or a TutorError if not linear;
    with ``parameters``, coefficients are polynomials in them."""
    f = sympy.expand(eq.lhs - eq.rhs)
    for term in sympy.Add.make_args(f):
        if any(sympy.diff(term, v).has(*unknowns) for v in unknowns):
            raise TutorError(f"equation {position} is not linear in {', '.join(map(str, unknowns))}: "
                             f"{term}{_parameter_hint(term, unknowns) if not parameters else ''}")
    if not parameters:
        coefficients = [_number(f.coeff(v), f"a coefficient of equation {position}") for v in unknowns]
        constant = _number(f.subs({v: 0 for v in unknowns}), f"the constant of equation {position}")
    else:
        coefficients = [_polynomial(f.coeff(v), parameters, f"the coefficient of {v} in equation {position}")
                        for v in unknowns]
        constant = _polynomial(f.subs({v: 0 for v in unknowns}), parameters,
                               f"the constant of equation {position}")
    return coefficients, -constant


_UNKNOWN_LETTERS = "xyzw"


def _parameter_hint(term: sympy.Expr, symbols: Sequence[sympy.Symbol]) -> str:
    """What to type when a product of letters such as ``a y`` may mean a parameter a."""
    candidates = sorted(term.free_symbols, key=lambda s: (s.name[:1] in _UNKNOWN_LETTERS, _natural_key(s)))
    if len(candidates) < 2 or candidates[0].name[:1] in _UNKNOWN_LETTERS:
        return ""
    parameter = candidates[0]
    rest = ",".join(str(s) for s in symbols if s != parameter)
    return f"; if {parameter} is a parameter, add --unknowns {rest}"


def _from_equations(equations: Sequence[Any], given: Sequence[sympy.Symbol] | None = None
                    ) -> tuple[sympy.Matrix, sympy.Matrix, tuple, tuple, tuple]:
    eqs = tuple(_as_equation(e, i) for i, e in enumerate(equations, 1))
    letters = set().union(*(e.free_symbols for e in eqs))
    unknowns = tuple(given) if given else tuple(sorted(letters, key=_natural_key))
    parameters = tuple(sorted(letters - set(unknowns), key=_natural_key))
    if len(parameters) > 2:
        raise TutorError(f"{', '.join(map(str, parameters))} are not unknowns: two parameters at most "
                         "are supported (add the others to --unknowns)")
    rows = [_linear_row(e, unknowns, i, parameters) for i, e in enumerate(eqs, 1)]
    if not unknowns and all(r[1] == 0 for r in rows):
        raise TutorError("the equations have no unknowns and all hold: there is nothing to solve "
                         "(type the equations with their unknowns, e.g. x + y = 3)")
    A = sympy.Matrix(len(rows), len(unknowns), [c for r in rows for c in r[0]])
    b = sympy.Matrix([r[1] for r in rows])
    return A, b, unknowns, eqs, parameters


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
          rhs: sympy.MatrixBase | None = None, unknowns: Sequence[sympy.Symbol] | None = None) -> Problem:
    """A system from equations (``3x + y = 9``, ...) or from a matrix A and optional b (default 0);
    ``unknowns``: the letters solved for, any other letter of the equations is a parameter."""
    if equations and matrix is not None:
        raise TutorError("give either equations or a matrix, not both")
    parameters: tuple = ()
    if equations:
        if rhs is not None:
            raise TutorError("a right-hand side goes with a matrix, not with equations")
        A, b, variables, eqs, parameters = _from_equations(equations, unknowns)
    elif matrix is not None:
        if unknowns:
            raise TutorError("--unknowns goes with equations; a matrix's unknowns are x_1, x_2, ...")
        A, b, variables, eqs = _from_matrix(sympy.Matrix(matrix), rhs)
    else:
        raise TutorError("give the equations of the system, or its matrix")
    inputs = {"A": ImmutableMatrix(A), "b": ImmutableMatrix(b), "variables": variables, "equations": eqs}
    if parameters:
        inputs["parameter"] = parameters[0]
        inputs["parameters"] = parameters
    return Problem("system", inputs)


def solve(problem: Problem) -> Solution:
    """With a parameter, by case distinctions; else the numeric derivation."""
    return (parametric.solve if "parameter" in problem.inputs else systems.solve)(problem)


def _unknowns(value: Any) -> list[sympy.Symbol]:
    if isinstance(value, (list, tuple)):
        value = ",".join(map(str, value))
    from tutor.parsing.text import parse_symbols
    return parse_symbols(str(value))


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
        Field("unknowns", _unknowns, help="the unknowns, e.g. x,y (default: every letter); another "
              "letter is a parameter, solved with case distinctions", required=False),
    ),
    build=build,
    solve=solve,
))
