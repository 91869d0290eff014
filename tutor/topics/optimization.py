"""Continuous optimization (MML chapter 7): stationary points, gradient descent, Lagrange
multipliers, KKT conditions, convexity, linear and quadratic programs, convex conjugates.

Thin: the fields of each kind, ``build`` (validation), ``solve`` (the engine in
:mod:`tutor.optimization` and the typed answer) and the registration.
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy
from sympy import Symbol

from tutor.calculus import inputs as inp
from tutor.core.answers import (ConjugateAnswer, ConvexityAnswer, IteratesAnswer, NoneAnswer,
                                OptimumPoint, PointsAnswer, ProgramAnswer)
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.steps import Problem, Solution
from tutor.optimization import (conjugates, convexity, descent, kkt, lagrange, lp, qp, relations,
                                stationary)
from tutor.parsing.text import matrix_field, to_expression, vector_field

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


# ---------------------------------------------------------------- gradient descent

def _count(value: Any) -> int:
    return inp.order(value, descent.MAX_ITERATIONS)


def _number(value: Any) -> sympy.Expr:
    v = to_expression(value)
    if not v.is_number or not v.is_real:
        raise TutorError(f"expected a real number, got {value!r}")
    return sympy.nsimplify(v) if v.is_Float else v


def build_descent(function: sympy.Expr | None, vars: tuple[Symbol, ...] | None,
                  A: sympy.Matrix | None, b: sympy.Matrix | None, start: sympy.Matrix,
                  step: sympy.Expr, iterations: int | None, momentum: sympy.Expr | None) -> Problem:
    if (function is None) == (A is None):
        raise TutorError("give either the function f or the quadratic's --A and --b")
    if A is not None:
        if b is None:
            raise TutorError("a quadratic f = 1/2 x^T A x - b^T x needs --b too")
        if not A.is_square or A.rows != b.rows or A.rows > MAX_VARIABLES:
            raise TutorError(f"A must be n x n and b of length n, n at most {MAX_VARIABLES}")
        if not A.is_symmetric():
            raise TutorError("A must be symmetric (f = 1/2 x^T A x - b^T x)")
        if any(not e.is_number for e in list(A) + list(b)):
            raise TutorError("A and b must be numbers")
        variables = vars or tuple(Symbol(f"x_{i + 1}", real=True) for i in range(A.rows))
        if len(variables) != A.rows:
            raise TutorError(f"{A.rows} variables are needed, got {len(variables)}")
        function = descent.quadratic_function(A, b, variables)
    else:
        variables = _variables([function], vars)
    if start.rows != len(variables) or any(not _number(c) == c for c in start):
        raise TutorError(f"the start is a point of {len(variables)} numbers, e.g. [3, 1]")
    if step <= 0:
        raise TutorError("the step size must be positive")
    return Problem("gradient_descent", {
        "function": function, "vars": variables, "A": A, "b": b, "start": start,
        "step": step, "iterations": iterations or 3, "momentum": momentum or sympy.S.Zero})


def solve_descent(problem: Problem) -> Solution:
    i = problem.inputs
    steps, iterates = descent.descend(i["function"], i["vars"], i["start"], i["step"],
                                      i["iterations"], i["momentum"])
    points = (tuple(i["start"]),) + tuple(tuple(s.after) for s in iterates)
    values = (descent.tidy(i["function"].xreplace(dict(zip(i["vars"], i["start"])))),) \
        + tuple(s.value for s in iterates)
    return Solution(problem, tuple(steps), IteratesAnswer(points, values))


# ---------------------------------------------------------------- convexity

def _check_domain(domain: tuple | None, variables: Sequence[Symbol]) -> tuple:
    domain = tuple(domain or ())
    for r in domain:
        if not r.free_symbols <= set(variables):
            raise TutorError(f"the domain names {', '.join(map(str, r.free_symbols - set(variables)))}, "
                             "which is not a variable")
    return domain


def build_convexity(function: sympy.Expr, vars: tuple[Symbol, ...] | None, domain: tuple | None
                    ) -> Problem:
    variables = _variables([function], vars)
    return Problem("convexity", {"function": function, "vars": variables,
                                 "domain": _check_domain(domain, variables)})


def solve_convexity(problem: Problem) -> Solution:
    steps, verdict = convexity.convexity(problem["function"], problem["vars"], problem["domain"])
    return Solution(problem, tuple(steps), ConvexityAnswer(verdict))


# ---------------------------------------------------------------- Lagrange multipliers

MAX_CONSTRAINTS = 2


def build_lagrange(function: sympy.Expr, constraint: list[relations.Constraint],
                   vars: tuple[Symbol, ...] | None, goal: str | None) -> Problem:
    if not constraint:
        raise TutorError("give at least one --constraint, e.g. 'x + y = 10'")
    if len(constraint) > MAX_CONSTRAINTS:
        raise TutorError(f"at most {MAX_CONSTRAINTS} constraints")
    if any(not c.equality for c in constraint):
        raise TutorError("Lagrange multipliers take equality constraints; for <= and >= use the kkt kind")
    variables = _variables([function] + [c.g for c in constraint], vars)
    if len(constraint) >= len(variables):
        raise TutorError("fewer constraints than variables are needed")
    return Problem("lagrange", {"function": function, "constraints": tuple(constraint),
                                "vars": variables, "goal": goal or "both"})


def solve_lagrange(problem: Problem) -> Solution:
    variables, goal = problem["vars"], problem["goal"]
    steps, found = lagrange.solve_lagrange(problem["function"], problem["constraints"], variables)
    wanted = {"both": None, "min": "minimum", "max": "maximum"}[goal]
    points = tuple(OptimumPoint(_coords(p, variables), v, n, ms) for p, ms, v, n in found
                   if wanted is None or n == wanted)
    if wanted and not points:
        return Solution(problem, tuple(steps), NoneAnswer(f"no global {wanted}"))
    return Solution(problem, tuple(steps), PointsAnswer(variables, points))


# ---------------------------------------------------------------- KKT

def build_kkt(function: sympy.Expr, constraint: list[relations.Constraint],
              vars: tuple[Symbol, ...] | None) -> Problem:
    if not constraint:
        raise TutorError("give at least one --constraint, e.g. 'x + y <= 2'")
    variables = _variables([function] + [c.g for c in constraint], vars)
    return Problem("kkt", {"function": function, "constraints": tuple(constraint), "vars": variables})


def solve_kkt(problem: Problem) -> Solution:
    variables = problem["vars"]
    steps, found = kkt.solve_kkt(problem["function"], problem["constraints"], variables)
    points = tuple(OptimumPoint(_coords(p, variables), v, n, ms) for p, ms, v, n in found)
    return Solution(problem, tuple(steps), PointsAnswer(variables, points))


# ---------------------------------------------------------------- linear and quadratic programs

MAX_PROGRAM_VARIABLES = 4


def _numbers(name: str, M: sympy.MatrixBase) -> sympy.Matrix:
    if any(not e.is_number or not e.is_real for e in M):
        raise TutorError(f"the entries of {name} must be real numbers")
    return sympy.Matrix(M.applyfunc(lambda e: sympy.nsimplify(e) if e.is_Float else e))


def _program(A: sympy.Matrix, b: sympy.Matrix, c: sympy.Matrix) -> tuple[sympy.Matrix, ...]:
    A, b, c = _numbers("A", A), _numbers("b", b), _numbers("c", c)
    if b.cols != 1 or c.cols != 1:
        raise TutorError("b and c are vectors")
    if A.rows != b.rows:
        raise TutorError(f"A has {A.rows} rows (constraints) but b has {b.rows} entries")
    if A.cols != c.rows:
        raise TutorError(f"A has {A.cols} columns (variables) but c has {c.rows} entries")
    if A.cols > MAX_PROGRAM_VARIABLES:
        raise TutorError(f"at most {MAX_PROGRAM_VARIABLES} variables")
    return A, b, c


def build_lp(c: sympy.Matrix, A: sympy.Matrix, b: sympy.Matrix) -> Problem:
    A, b, c = _program(A, b, c)
    return Problem("lp", {"c": c, "A": A, "b": b})


def solve_lp(problem: Problem) -> Solution:
    steps, (status, x, value, lam) = lp.solve_lp(problem["A"], problem["b"], problem["c"])
    if status != "optimal":
        return Solution(problem, tuple(steps), NoneAnswer(status))
    return Solution(problem, tuple(steps), ProgramAnswer("lp", tuple(x), value, tuple(lam)))


def build_qp(Q: sympy.Matrix, c: sympy.Matrix, A: sympy.Matrix, b: sympy.Matrix) -> Problem:
    A, b, c = _program(A, b, c)
    Q = _numbers("Q", Q)
    if Q.shape != (c.rows, c.rows) or not Q.is_symmetric():
        raise TutorError(f"Q must be a symmetric {c.rows} x {c.rows} matrix")
    return Problem("qp", {"Q": Q, "c": c, "A": A, "b": b})


def solve_qp(problem: Problem) -> Solution:
    steps, (x, value, lam) = qp.solve_qp(problem["Q"], problem["c"], problem["A"], problem["b"])
    return Solution(problem, tuple(steps), ProgramAnswer("qp", tuple(x), value, tuple(lam)))


# ---------------------------------------------------------------- convex conjugate

def build_conjugate(function: sympy.Expr, var: tuple[Symbol, ...] | None, domain: tuple | None) -> Problem:
    variables = inp.variables_of([function], var)
    if len(variables) != 1:
        raise TutorError("a conjugate is derived here for a function of one variable: name it with --var")
    if conjugates.S in function.free_symbols:
        raise TutorError("s is the conjugate's variable: write f in another letter")
    return Problem("convex_conjugate", {"function": function, "var": variables[0],
                                        "domain": _check_domain(domain, variables)})


def solve_conjugate(problem: Problem) -> Solution:
    steps, value, dom = conjugates.conjugate(problem["function"], problem["var"], problem["domain"])
    return Solution(problem, tuple(steps), ConjugateAnswer(value, dom))


# ---------------------------------------------------------------- registration

_FUNCTION = Field("function", inp.function, "the function f, e.g. 'x^2 + xy + y^2'", positional=True)
_VARS = Field("vars", inp.symbols, "the variables in order, e.g. x,y (default: all, by name)",
              required=False)

register(Kind(
    name="stationary_points", topic="optimization",
    summary="stationary points of f and their nature (Hessian test, higher order)",
    fields=(_FUNCTION, _VARS), build=build_stationary, solve=solve_stationary,
))

_DOMAIN = Field("domain", relations.domain, "where f is considered, e.g. 'x > 0' (default: all reals)",
                required=False)

register(Kind(
    name="convexity", topic="optimization",
    summary="convex, concave, strictly, or neither: the Hessian's principal minors on the domain",
    fields=(_FUNCTION, _VARS, _DOMAIN), build=build_convexity, solve=solve_convexity,
))
register(Kind(
    name="lagrange", topic="optimization",
    summary="extrema under equality constraints with Lagrange multipliers",
    fields=(_FUNCTION,
            Field("constraint", relations.constraint, "a constraint 'lhs = rhs' (repeat for more)",
                  many=True),
            _VARS,
            Field("goal", str, "min, max or both (default: both)", required=False,
                  choices=("min", "max", "both"))),
    build=build_lagrange, solve=solve_lagrange,
))
register(Kind(
    name="kkt", topic="optimization",
    summary="minimum under inequality constraints: KKT conditions, case by case",
    fields=(_FUNCTION,
            Field("constraint", relations.constraint,
                  "a constraint 'lhs <= rhs', 'lhs >= rhs' or 'lhs = rhs' (repeat for more)", many=True),
            _VARS),
    build=build_kkt, solve=solve_kkt,
))
_PROGRAM = (Field("A", matrix_field, "the constraint matrix A of Ax <= b"),
            Field("b", vector_field, "the right-hand side b of Ax <= b"))
register(Kind(
    name="lp", topic="optimization",
    summary="linear program min c^T x s.t. Ax <= b: vertices (2-D) or simplex tableaux, optimum, dual",
    fields=(Field("c", vector_field, "the cost vector c of min c^T x"),) + _PROGRAM,
    build=build_lp, solve=solve_lp,
))
register(Kind(
    name="qp", topic="optimization",
    summary="quadratic program min 1/2 x^T Q x + c^T x s.t. Ax <= b: active sets, dual",
    fields=(Field("Q", matrix_field, "the positive definite matrix Q"),
            Field("c", vector_field, "the vector c of the linear term")) + _PROGRAM,
    build=build_qp, solve=solve_qp,
))
register(Kind(
    name="convex_conjugate", topic="optimization",
    summary="convex conjugate f*(s) = sup_x (s x - f(x)) and where it is finite",
    fields=(_FUNCTION, Field("var", inp.symbols, "the variable, e.g. x (default: the only one)",
                             required=False), _DOMAIN),
    build=build_conjugate, solve=solve_conjugate,
))
register(Kind(
    name="gradient_descent", topic="optimization",
    summary="gradient descent (with momentum) in exact arithmetic; f = 1/2 x^T A x - b^T x",
    fields=(Field("function", inp.function, "the function f (or give --A and --b)",
                  positional=True, required=False), _VARS,
            Field("A", matrix_field, "the symmetric matrix A of f = 1/2 x^T A x - b^T x",
                  required=False),
            Field("b", vector_field, "the vector b of f = 1/2 x^T A x - b^T x", required=False),
            Field("start", vector_field, "the starting point x_0, e.g. [3, 1]"),
            Field("step", _number, "the step size γ, e.g. 1/10"),
            Field("iterations", _count, f"how many steps, 1 to {descent.MAX_ITERATIONS} (default 3)",
                  required=False),
            Field("momentum", _number, "the momentum α (MML 7.11), e.g. 1/2", required=False)),
    build=build_descent, solve=solve_descent,
))
