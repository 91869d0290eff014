"""Continuous optimization (MML chapter 7): stationary points, gradient descent, Lagrange
multipliers, KKT conditions, convexity, linear and quadratic programs, convex conjugates.

Thin: the fields of each kind, ``build`` (validation), ``solve`` (the engine in
:mod:`tutor.optimization` and the typed answer) and the registration.
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy
from sympy import Symbol

from .. import calcinputs as inp
from ..answers import OptimumPoint, PointsAnswer
from ..errors import TutorError
from ..kinds import Field, Kind, register
from ..steps import Problem, Solution
from ..optimization import stationary

MAX_VARIABLES = 3


def _variables(exprs: Sequence[sympy.Expr], given: Sequence[Symbol] | None) -> tuple[Symbol, ...]:
    variables = inp.variables_of(exprs, given)
    if len(variables) > MAX_VARIABLES:
        raise TutorError(f"at most {MAX_VARIABLES} variables")
    return variables


def _coords(point: dict, variables: Sequence[Symbol]) -> tuple[sympy.Expr, ...]:
    return tuple(point[v] for v in variables)


# ---------------------------------------------------------------- stationary points

def build_stationary(function: sympy.Expr, vars: tuple[Symbol, ...] | None) -> Problem:
    variables = _variables([function], vars)
    extra = function.free_symbols - set(variables)
    if extra:
        raise TutorError(f"{', '.join(sorted(map(str, extra)))} is not a variable: name all with --vars")
    return Problem("stationary_points", {"function": function, "vars": variables})


def solve_stationary(problem: Problem) -> Solution:
    f, variables = problem["function"], problem["vars"]
    steps, verdicts = stationary.stationary_points(f, variables)
    points = tuple(OptimumPoint(_coords(c.point, variables), c.value, c.nature) for c in verdicts)
    return Solution(problem, tuple(steps), PointsAnswer(variables, points))


# ---------------------------------------------------------------- registration

_FUNCTION = Field("function", inp.function, "the function f, e.g. 'x^2 + xy + y^2'", positional=True)
_VARS = Field("vars", inp.symbols, "the variables in order, e.g. x,y (default: all, by name)",
              required=False)

register(Kind(
    name="stationary_points", topic="optimization",
    summary="stationary points of f and their nature (Hessian test, higher order)",
    fields=(_FUNCTION, _VARS), build=build_stationary, solve=solve_stationary,
))
