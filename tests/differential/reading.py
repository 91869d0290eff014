"""The raw inputs read independently of the tutor's parser (test-only, trusted text we drew)."""
from __future__ import annotations

from typing import Any

import sympy
from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication_application,
                                        parse_expr, standard_transformations)

_TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)
_NAMES = {"lambda": sympy.Symbol("lambda"), "E": sympy.E, "I": sympy.I, "pi": sympy.pi,
          "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)), "softplus": lambda x: sympy.log(1 + sympy.exp(x)),
          "relu": lambda x: sympy.Max(0, x), "abs": sympy.Abs, "ln": sympy.log}


def expr(text: Any) -> sympy.Expr:
    """An expression, with real symbols (as the tutor's calculus reads them)."""
    if isinstance(text, (int, float)):
        return sympy.nsimplify(text, rational=True)
    e = parse_expr(str(text).replace("\\", ""), local_dict=dict(_NAMES), transformations=_TRANSFORMS)
    e = sympy.nsimplify(e, rational=True) if e.has(sympy.Float) else e
    return e.xreplace({s: sympy.Symbol(s.name, real=True) for s in e.free_symbols})


def matrix(text: Any) -> sympy.Matrix:
    """A matrix ``[[1,2],[3,4]]`` (a list of rows), or a vector ``[1,2]`` as a column."""
    value = text if isinstance(text, (list, tuple)) else parse_expr(str(text), transformations=_TRANSFORMS)
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in value]
    return sympy.Matrix([[expr(e) if isinstance(e, str) else sympy.nsimplify(e, rational=True) for e in r]
                         for r in rows])


def vector(text: Any) -> sympy.Matrix:
    if isinstance(text, str) and not text.strip().startswith("["):
        text = "[" + text + "]"
    return matrix(text)


def columns(vectors: Any) -> sympy.Matrix:
    """The vectors (a list of texts) as the columns of one matrix."""
    return sympy.Matrix.hstack(*[vector(v) for v in vectors])

