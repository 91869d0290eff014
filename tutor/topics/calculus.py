"""Vector calculus (MML chapter 5): derivatives, partials, gradients, Jacobians, Hessians,
the multivariate chain rule and Taylor polynomials, each derived rule by rule.

Single derivatives come from the rule engine (:mod:`tutor.diffsteps`); this module
decides which derivatives a problem needs and how they are put together, in the
book's conventions: the gradient of f: R^n -> R is a 1 x n row vector, a Jacobian
is m x n (numerator layout), the chain rule is a product of Jacobians.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.calculus import inputs as inp
from tutor.core.answers import ExpressionAnswer, MatrixAnswer
from tutor.calculus.multivariate import (MatrixProduct, PartialDerivative, Substitute, Symmetry,
                         check_point, evaluate, jacobian_of, partials, successive, tidy_matrix)
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.functions import to_elementary
from tutor.core.steps import Note, Problem, Solution, Step
from tutor.core.symcheck import same

MAX_ORDER = 6
MAX_TAYLOR_ORDER = 6
# the derivatives a Taylor polynomial needs, C(n + k, k) - 1 for n variables and order k: what
# a worked solution can show (order 6 in 2 variables, 4 in 3; each is a derivation of its own)
MAX_TAYLOR_DERIVATIVES = 34
MAX_HESSIAN_VARIABLES = 4
MAX_JACOBIAN_ENTRIES = 16


def _absent(functions: Sequence[sympy.Expr], variables: Sequence[Symbol]) -> list[Step]:
    """A note for each variable that occurs in none of the functions (its partials are 0)."""
    free = set().union(*(f.free_symbols for f in functions))
    return [Note(key="variable_absent", values={"variable": v}) for v in variables if v not in free]


def _held_constant(function: sympy.Expr, variables: Sequence[Symbol]) -> list[Step]:
    """A note naming the other symbols of f, constants while differentiating."""
    others = sorted(function.free_symbols - set(variables), key=lambda s: s.name)
    return [Note(key="held_constant", values={"symbols": tuple(others)})] if others else []


# ---------------------------------------------------------------- derivative, partial

def build_derivative(function: sympy.Expr, wrt: tuple[Symbol, ...] | None, order: int | None
                     ) -> Problem:
    (var,) = _one_variable(function, wrt)
    return Problem("derivative", {"function": function, "wrt": var, "order": order or 1})


def _one_variable(function: sympy.Expr, wrt: tuple[Symbol, ...] | None) -> tuple[Symbol]:
    if wrt:
        if len(wrt) != 1:
            raise TutorError("an ordinary derivative has one variable; use the partial kind for more")
        return (wrt[0],)
    free = sorted(function.free_symbols, key=lambda s: s.name)
    if len(free) != 1:
        raise TutorError("say which variable to differentiate with respect to: --wrt x")
    return (free[0],)


def solve_derivative(problem: Problem) -> Solution:
    """One derivation per order, each differentiating the previous result."""
    f, x, n = problem["function"], problem["wrt"], problem["order"]
    steps: list[Step] = _absent([f], [x]) + _held_constant(f, [x])
    steps += successive(f, [x] * n)
    return Solution(problem, tuple(steps), ExpressionAnswer(steps[-1].result))


def build_partial(function: sympy.Expr, wrt: tuple[Symbol, ...]) -> Problem:
    if not wrt:
        raise TutorError("say which variables to differentiate with respect to: --wrt x,y")
    if len(wrt) > MAX_ORDER:
        raise TutorError(f"at most {MAX_ORDER} differentiations")
    return Problem("partial", {"function": function, "wrt": tuple(wrt)})


def solve_partial(problem: Problem) -> Solution:
    """∂/∂x first, then ∂/∂y of the result, ...: the mixed partial in the order given."""
    f, wrt = problem["function"], problem["wrt"]
    steps: list[Step] = _absent([f], sorted(set(wrt), key=wrt.index))
    steps += successive(f, wrt)
    return Solution(problem, tuple(steps), ExpressionAnswer(steps[-1].result))


# ---------------------------------------------------------------- gradient, jacobian, hessian

def build_gradient(function: sympy.Expr, vars: tuple[Symbol, ...] | None,
                   at: dict[Symbol, sympy.Expr] | None) -> Problem:
    variables = inp.variables_of([function], vars)
    if at is not None:
        check_point(at, variables)
    return Problem("gradient", {"function": function, "vars": variables, "at": at})


def _evaluated(f: sympy.Expr, M: ImmutableMatrix, at: dict | None) -> tuple[ImmutableMatrix, list[Step]]:
    """``M`` at the point ``at`` (when given and possible) and the steps that say so."""
    if at is None:
        return M, []
    value, steps = evaluate(f, M, at)
    return (M if value is None else ImmutableMatrix(value)), steps


def solve_gradient(problem: Problem) -> Solution:
    """Each partial derivative, assembled as a row vector, evaluated at the point if given."""
    f, variables, at = problem["function"], problem["vars"], problem["at"]
    first = partials(f, variables)
    J = jacobian_of("gradient", [f], variables, [first])
    value, at_steps = _evaluated(f, J.matrix, at)
    steps = _absent([f], variables) + _held_constant(f, variables) + first + [J] + at_steps
    return Solution(problem, tuple(steps), MatrixAnswer(value))


def build_jacobian(functions: list[sympy.Expr], vars: tuple[Symbol, ...] | None) -> Problem:
    if not functions:
        raise TutorError("give the component functions f_1, ..., f_m")
    variables = inp.variables_of(functions, vars)
    if len(functions) * len(variables) > MAX_JACOBIAN_ENTRIES:
        raise TutorError(f"the Jacobian would have more than {MAX_JACOBIAN_ENTRIES} entries")
    return Problem("jacobian", {"functions": tuple(functions), "vars": variables})


def solve_jacobian(problem: Problem) -> Solution:
    """Row i holds the gradient of f_i: one partial derivative per entry, m x n."""
    fs, variables = problem["functions"], problem["vars"]
    rows = [partials(f, variables) for f in fs]
    J = jacobian_of("jacobian", fs, variables, rows)
    steps = _absent(fs, variables) + [p for row in rows for p in row] + [J]
    return Solution(problem, tuple(steps), MatrixAnswer(J.matrix))


def build_hessian(function: sympy.Expr, vars: tuple[Symbol, ...] | None,
                  at: dict[Symbol, sympy.Expr] | None) -> Problem:
    variables = inp.variables_of([function], vars)
    if len(variables) > MAX_HESSIAN_VARIABLES:
        raise TutorError(f"a Hessian of at most {MAX_HESSIAN_VARIABLES} variables")
    if at is not None:
        check_point(at, variables)
    return Problem("hessian", {"function": function, "vars": variables, "at": at})


def solve_hessian(problem: Problem) -> Solution:
    """First partials, then second partials of each; the mixed ones are derived once when
    they agree (symmetry, checked), else every entry is derived."""
    f, variables, at = problem["function"], problem["vars"], problem["at"]
    n = len(variables)
    first = partials(f, variables)
    symmetric = Symmetry(function=f, variables=variables)
    mirror = symmetric.check()
    second: dict[tuple[int, int], PartialDerivative] = {}
    for i, j in itertools.product(range(n), repeat=2):
        if not mirror or i <= j:
            second[i, j] = partials(f, [variables[j]], (variables[i],), first[i].result)[0]
    rows = [[second[min(i, j), max(i, j)] if mirror else second[i, j] for j in range(n)]
            for i in range(n)]
    H = jacobian_of("hessian", [p.result for p in first], variables, rows)
    value, at_steps = _evaluated(f, H.matrix, at)
    steps = _absent([f], variables) + first + list(second.values()) \
        + ([symmetric] if mirror and n > 1 else []) + [H] + at_steps
    return Solution(problem, tuple(steps), MatrixAnswer(value))


# ---------------------------------------------------------------- chain rule

@dataclass(frozen=True, kw_only=True)
class InnerFunctions(Step):
    """The outer function's variables as functions of ``parameters``: x_i = x_i(t)."""

    rule: ClassVar[str] = "calculus.inner_functions"
    outer: sympy.Expr
    definitions: dict[Symbol, sympy.Expr]
    parameters: tuple[Symbol, ...]

    def check(self) -> bool:
        params = set(self.parameters)
        return all(e.free_symbols <= params for e in self.definitions.values())


def _definition(value: Any) -> tuple[Symbol, sympy.Expr]:
    """``x_1 = t^2`` (text or an equation) as (x_1, t^2)."""
    if isinstance(value, sympy.Equality):
        eq = value
    else:
        from tutor.parsing.text import parse_equation
        eq = parse_equation(str(value))
        if not isinstance(eq, sympy.Equality):
            raise TutorError(f"an inner function is written 'x_1 = ...', not {value!r}")
    lhs = inp.function(eq.lhs)
    if not isinstance(lhs, Symbol):
        raise TutorError(f"the left side of an inner function must be a variable, not {eq.lhs}")
    return lhs, inp.function(eq.rhs)


def build_chain(outer: sympy.Expr, inner: list[tuple[Symbol, sympy.Expr]]) -> Problem:
    if not inner:
        raise TutorError("give one definition per inner variable, e.g. 'x_1 = t^2'")
    definitions = dict(inner)
    if len(definitions) != len(inner):
        raise TutorError("an inner variable is defined twice")
    missing = sorted(s.name for s in outer.free_symbols - set(definitions))
    if missing:
        raise TutorError(f"no definition for {', '.join(missing)} (write e.g. '{missing[0]} = t^2')")
    xs = tuple(definitions)
    params = tuple(sorted(set().union(*(e.free_symbols for e in definitions.values())),
                          key=lambda s: s.name))
    if set(params) & set(xs):
        raise TutorError("an inner function uses an outer variable; define each x_i in terms of t")
    if not params:
        raise TutorError("the inner functions have no parameters (such as t)")
    if len(params) > 3 or len(xs) > 4:
        raise TutorError("at most 4 inner variables and 3 parameters")
    return Problem("chain", {"outer": outer, "inner": definitions, "variables": xs,
                             "parameters": params})


def solve_chain(problem: Problem) -> Solution:
    """df/dt = (∂f/∂x)(∂x/∂t): the 1 x n gradient times the n x k Jacobian, then substituted."""
    f, definitions = problem["outer"], problem["inner"]
    xs, ts = problem["variables"], problem["parameters"]
    outer_partials = partials(f, xs)
    df_dx = jacobian_of("gradient", [f], xs, [outer_partials])
    inner_rows = [partials(definitions[x], ts) for x in xs]
    dx_dt = jacobian_of("jacobian", [definitions[x] for x in xs], ts, inner_rows)
    product = ImmutableMatrix(df_dx.matrix * dx_dt.matrix)
    substituted = product.subs(definitions)
    tidy, tidy_steps = tidy_matrix(ImmutableMatrix(substituted))
    steps: list[Step] = [InnerFunctions(outer=f, definitions=definitions, parameters=ts)]
    steps += outer_partials + [df_dx] + [p for row in inner_rows for p in row] + [dx_dt]
    steps += [MatrixProduct(left=df_dx.matrix, right=dx_dt.matrix, product=product),
              Substitute(before=product, substitutions=definitions, after=substituted)]
    steps += tidy_steps
    answer = ExpressionAnswer(tidy[0]) if tidy.shape == (1, 1) else MatrixAnswer(tidy)
    return Solution(problem, tuple(steps), answer)


# ---------------------------------------------------------------- Taylor

@dataclass(frozen=True, kw_only=True)
class TaylorPolynomial(Step):
    """T_k(x) = Σ_{|α| ≤ k} ∂^α f(x0)/α! (x - x0)^α: each derivative of T at x0 up to order k
    equals that of f (the property that defines the Taylor polynomial)."""

    rule: ClassVar[str] = "calculus.taylor_polynomial"
    function: sympy.Expr
    variables: tuple[Symbol, ...]
    point: dict[Symbol, sympy.Expr]
    order: int
    terms: tuple[sympy.Expr, ...]
    polynomial: sympy.Expr

    def check(self) -> bool:
        f, T = to_elementary(self.function), self.polynomial
        if not same(sympy.Add(*self.terms), T):
            return False
        for k in range(self.order + 1):
            for alpha in itertools.combinations_with_replacement(self.variables, k):
                df = sympy.diff(f, *alpha) if alpha else f
                dT = sympy.diff(T, *alpha) if alpha else T
                if not same(df.subs(self.point), dT.subs(self.point)):
                    return False
        shifted = T.subs({v: v + self.point[v] for v in self.variables})
        return sympy.Poly(sympy.expand(shifted), *self.variables).total_degree() <= self.order


def build_taylor(function: sympy.Expr, vars: tuple[Symbol, ...] | None,
                 at: dict[Symbol, sympy.Expr] | None, order: int | None) -> Problem:
    variables = inp.variables_of([function], vars)
    if len(variables) > 3:
        raise TutorError("a Taylor polynomial in at most 3 variables")
    if at is None:
        raise TutorError("give the expansion point, e.g. --at x=1,y=0")
    check_point(at, variables)
    needed = math.comb(len(variables) + (order or 2), order or 2) - 1
    if needed > MAX_TAYLOR_DERIVATIVES:
        raise TutorError(f"order {order} in {len(variables)} variables needs {needed} partial "
                         f"derivatives; at most {MAX_TAYLOR_DERIVATIVES}: lower the order")
    return Problem("taylor", {"function": function, "vars": variables, "at": at,
                              "order": order or 2})


def solve_taylor(problem: Problem) -> Solution:
    f, variables, x0, K = problem["function"], problem["vars"], problem["at"], problem["order"]
    steps: list[Step] = []
    f0, f0_steps = evaluate(f, f, x0)
    if f0 is None:
        raise TutorError("f is not defined (or has a corner) at the expansion point")
    steps += f0_steps
    terms: list[sympy.Expr] = [f0] if f0 != 0 else []
    derived: dict[tuple[Symbol, ...], PartialDerivative] = {}
    for k in range(1, K + 1):
        for alpha in itertools.combinations_with_replacement(variables, k):
            parent = derived.get(alpha[:-1])
            step = partials(f, [alpha[-1]], alpha[:-1], parent.result if parent else f)[0]
            derived[alpha] = step
            value, at_steps = evaluate(f, step.result, x0)
            if value is None:
                raise TutorError(f"the derivative of order {k} has no value at the expansion point")
            steps += [step] + at_steps
            counts = [alpha.count(v) for v in variables]
            multiplicity = math.factorial(k) // math.prod(math.factorial(c) for c in counts)
            power = sympy.Mul(*((v - x0[v]) ** c for v, c in zip(variables, counts)))
            coefficient = value * multiplicity / math.factorial(k)
            if coefficient == 1:
                terms.append(power)
            elif coefficient != 0:  # a number is kept apart from (x - x0)^α: sympy would expand it
                factors = power.args if power.is_Mul else (power,)
                terms.append(sympy.Mul(coefficient, *factors, evaluate=not coefficient.is_Rational))
    polynomial = sympy.Add(*terms)
    steps.append(TaylorPolynomial(function=f, variables=variables, point=x0, order=K,
                                  terms=tuple(terms), polynomial=polynomial))
    return Solution(problem, tuple(steps), ExpressionAnswer(polynomial))


# ---------------------------------------------------------------- registration

def _order(value: Any) -> int:
    return inp.order(value, MAX_ORDER)


def _taylor_order(value: Any) -> int:
    return inp.order(value, MAX_TAYLOR_ORDER)


_FUNCTION = Field("function", inp.function, "the function f, e.g. 'x^2 \\sin(y)'", positional=True)
_VARS = Field("vars", inp.symbols, "the variables in order, e.g. x,y (default: all, by name)",
              required=False)
_AT = Field("at", inp.point, "a point, e.g. x=1,y=2", required=False)

register(Kind(
    name="derivative", topic="calculus", summary="derivative of f(x), rule by rule",
    fields=(_FUNCTION,
            Field("wrt", inp.symbols, "the variable, e.g. x (default: the only one)", required=False),
            Field("order", _order, f"the order, 1 to {MAX_ORDER} (default 1)", required=False)),
    build=build_derivative, solve=solve_derivative,
))
register(Kind(
    name="partial", topic="calculus", summary="partial derivative, mixed partials in the order given",
    fields=(_FUNCTION, Field("wrt", inp.differentiations, "the variables in order, e.g. x,y (x,x: the second partial in x)")),
    build=build_partial, solve=solve_partial,
))
register(Kind(
    name="gradient", topic="calculus", summary="gradient of f: R^n -> R as a 1 x n row vector",
    fields=(_FUNCTION, _VARS, _AT), build=build_gradient, solve=solve_gradient,
))
register(Kind(
    name="jacobian", topic="calculus", summary="Jacobian of f: R^n -> R^m (m x n)",
    fields=(Field("functions", inp.function, "the components f_1 ... f_m", positional=True,
                  many=True), _VARS),
    build=build_jacobian, solve=solve_jacobian,
))
register(Kind(
    name="hessian", topic="calculus", summary="Hessian of f: R^n -> R (n x n)",
    fields=(_FUNCTION, _VARS, _AT), build=build_hessian, solve=solve_hessian,
))
register(Kind(
    name="chain", topic="calculus", summary="multivariate chain rule as a product of Jacobians",
    fields=(Field("outer", inp.function, "the outer function f(x_1, ..., x_n)", positional=True),
            Field("inner", _definition, "one definition per inner variable, 'x_1 = t^2'",
                  positional=True, many=True)),
    build=build_chain, solve=solve_chain,
))
register(Kind(
    name="taylor", topic="calculus", summary=f"Taylor polynomial of f at a point (order up to {MAX_TAYLOR_ORDER})",
    fields=(_FUNCTION, _VARS, Field("at", inp.point, "the expansion point, e.g. x=1,y=0"),
            Field("order", _taylor_order, f"the order, 1 to {MAX_TAYLOR_ORDER} (default 2)",
                  required=False)),
    build=build_taylor, solve=solve_taylor,
))
