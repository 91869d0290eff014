"""Reading the inputs of the calculus kinds: functions, variables, points, small integers.

All text goes through :mod:`tutor.parse` (never ``sympify``).  On top of it this
module makes every symbol real (calculus here is real analysis: ``|x|' = sign x``),
turns ``sigmoid(x)``, ``relu(x)``, ... into the activations of
:mod:`tutor.mlfunctions`, and bounds the sizes that would make sympy slow.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import sympy
from sympy import Symbol

from tutor.calculus.derivatives import real_symbols
from tutor.core.errors import TutorError
from tutor.core.functions import adopt_ml_functions, adopt_written_out

MAX_OPS = 150
MAX_VARIABLES = 6


_NAMES_ACTIVATION = re.compile(r"sigmoid|relu|softplus")
_SIGMA_CALL = re.compile(r"(\\sigma|σ|(?<![\\\w])sigma)\s*(?=(\\left\s*)?\()")
_ACTIVATION_WORD = re.compile(r"\b(sigmoid|relu|softplus)\b", re.IGNORECASE)


def activation_names(text: str) -> str:
    """σ(x), \\sigma(x) and sigma(x) as sigmoid(x) (in ML a σ applied to an argument is the
    logistic function, not a factor σ), and ReLU / Sigmoid in any case as the parser's
    lower-case names."""
    text = _SIGMA_CALL.sub(r"\\operatorname{sigmoid}", text)
    return _ACTIVATION_WORD.sub(lambda m: m.group(1).lower(), text)


def function(value: Any) -> sympy.Expr:
    """A function of real variables, from text, a number or a sympy expression."""
    if isinstance(value, sympy.Basic):
        expr = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        expr = sympy.nsimplify(value, rational=True)
    else:
        from tutor.parsing.text import parse_expression
        text = activation_names(str(value))
        expr = parse_expression(text)
        if isinstance(expr, sympy.Expr) and _NAMES_ACTIVATION.search(text):
            expr = adopt_written_out(expr)
    if not isinstance(expr, sympy.Expr):
        raise TutorError(f"not a function: {value}")
    if sympy.count_ops(expr) > MAX_OPS:
        raise TutorError(f"the function is too large (more than {MAX_OPS} operations)")
    return real_symbols(adopt_ml_functions(expr))[0]


def symbols(value: Any, repeats: bool = False) -> tuple[Symbol, ...]:
    """Variables ``x,y`` (text or a list), as real symbols, at most :data:`MAX_VARIABLES`;
    with ``repeats`` a name may come again (:func:`differentiations`)."""
    if isinstance(value, (list, tuple)):
        found = [s for v in value for s in symbols(v, repeats)]
    elif isinstance(value, Symbol):
        found = [value]
    else:
        from tutor.parsing.text import parse_symbols
        found = list(parse_symbols(str(value), repeats=repeats))
    if len(found) > MAX_VARIABLES:
        raise TutorError(f"at most {MAX_VARIABLES} variables, got {len(found)}")
    return tuple(Symbol(s.name, real=True) for s in found)


def differentiations(value: Any) -> tuple[Symbol, ...]:
    """The variables of a partial derivative in order, a name repeated for a higher
    derivative in it: ``x,x`` is ∂²f/∂x², ``x,y,x`` is ∂³f/∂x∂y∂x."""
    return symbols(value, repeats=True)


def point(value: Any) -> dict[Symbol, sympy.Expr]:
    """A point ``x=1,y=2`` (text or a mapping of names to values), keyed by real symbols."""
    if isinstance(value, dict):
        pairs = dict(value)
    else:
        from tutor.parsing.text import parse_assignments
        pairs = dict(parse_assignments(str(value)))
    return {Symbol(str(k), real=True): function(v) for k, v in pairs.items()}


def order(value: Any, limit: int) -> int:
    """A whole number from 1 to ``limit``."""
    try:
        n = int(str(value).strip())
    except ValueError:
        raise TutorError(f"the order must be a whole number, not {value!r}") from None
    if not 1 <= n <= limit:
        raise TutorError(f"the order must be between 1 and {limit}, not {n}")
    return n


def variables_of(exprs: Sequence[sympy.Expr], given: Sequence[Symbol] | None) -> tuple[Symbol, ...]:
    """The given variables, or else every free symbol of the expressions in name order."""
    if given:
        if len(set(given)) != len(given):
            raise TutorError("a variable is listed twice")
        return tuple(given)
    found = sorted(set().union(*(e.free_symbols for e in exprs)), key=lambda s: s.name)
    if not found:
        raise TutorError("the function has no variables; name them with --vars")
    if len(found) > MAX_VARIABLES:
        raise TutorError(f"at most {MAX_VARIABLES} variables, got {len(found)}")
    return tuple(found)
