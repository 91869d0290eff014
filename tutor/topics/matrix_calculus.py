"""Gradients of vector and matrix expressions (MML 5.5): ``matrix_gradient``.

``tutor solve matrix_gradient "\\|Ax - b\\|^2" --wrt x``: lower-case names are column
vectors, upper-case names matrices, sizes symbolic (x ∈ R^n, A ∈ R^{m x n}) or given
with ``--dims x=3,A=2x3``.  A scalar may also be differentiated with respect to a matrix
(``tutor solve matrix_gradient "tr(X^T A X)" --wrt X``, :mod:`tutor.calculus.trace_derivatives`):
the derivative has the shape of X.  The derivation names the identity used at each step and
the shape of each derivative, in MML's numerator layout (∂f/∂x is 1 x n for a
scalar f).  The reading is :mod:`tutor.matparse` / :mod:`tutor.matshapes`, the rules
:mod:`tutor.matdiff`.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import MatrixExpr, MatrixSymbol
from sympy.matrices.exceptions import ShapeError

from tutor.core.answers import ExpressionAnswer
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.calculus.matrix_derivatives import derive, instance, is_matrix
from tutor.calculus.matrix_expressions import explicit
from tutor.calculus.matrix_shapes import parse_sizes, read
from tutor.calculus.trace_derivatives import derive_by_matrix
from tutor.core.steps import Note, Problem, Solution, Step


@dataclass(frozen=True, kw_only=True)
class MatrixShapes(Step):
    """The sizes of the names and of the expression (``names`` in order of appearance):
    checked by evaluating the expression at random sizes, which fails on a mismatch."""

    rule: ClassVar[str] = "matrix.shapes"
    expr: MatrixExpr
    names: tuple[MatrixSymbol, ...]
    wrt: MatrixSymbol

    def check(self) -> bool:
        rng = random.Random(zlib.crc32(str(self.expr).encode()))
        values, sizes, _ = instance(rng, (self.expr,), self.wrt)
        try:
            value = explicit(self.expr, values, sizes)
        except ShapeError:
            return False
        expected = tuple(int(sympy.sympify(d).subs(sizes)) for d in self.expr.shape)
        return value.shape == expected


def build(expression: str, wrt: str, dims: dict[str, tuple[int, ...]] | None) -> Problem:
    names = [t for t in wrt.replace(",", " ").split()]
    if len(names) != 1:
        raise TutorError("differentiate with respect to one vector or matrix, e.g. --wrt x or --wrt X")
    reading = read(expression, _wrt_name(names[0]), dims)
    return Problem("matrix_gradient", {"function": reading.expr, "wrt": reading.wrt,
                                       "names": reading.names, "absent": reading.absent})


def _wrt_name(text: str) -> str:
    """The variable as the expression's reader names it (``\\theta``, ``θ`` -> theta)."""
    from tutor.parsing.matrix_expressions import tokens

    toks = tokens(text)
    if len(toks) != 2 or toks[0].kind != "name":
        raise TutorError(f"--wrt names one vector or matrix, such as x, theta or X, not {text!r}")
    return toks[0].text


def solve(problem: Problem) -> Solution:
    f, x = problem["function"], problem["wrt"]
    steps: list[Step] = [MatrixShapes(expr=f, names=problem["names"], wrt=x)]
    if problem["absent"]:
        steps.append(Note(key="variable_absent", values={"variable": x}))
    derivation = (derive_by_matrix if is_matrix(x) else derive)(f, x)
    steps.append(derivation)
    return Solution(problem, tuple(steps), ExpressionAnswer(derivation.result))


def _expression(value: Any) -> str:
    if not isinstance(value, str):
        raise TutorError("the expression is text, such as 'x^T A x'")
    return value


register(Kind(
    name="matrix_gradient", topic="calculus",
    summary="gradient of a vector/matrix expression (x^T A x, ||Ax - b||^2, tr(X^T A X)) by MML's identities",
    fields=(
        Field("expression", _expression, "e.g. 'x^T A x', '||Ax - b||^2' or 'tr(X^T A X)' (lower case: "
              "vectors, upper case: matrices)", positional=True),
        Field("wrt", str, "the vector or matrix to differentiate with respect to, e.g. x, theta or X"),
        Field("dims", parse_sizes, "sizes, e.g. x=3,A=2x3 (default: symbolic)", required=False),
    ),
    build=build, solve=solve,
))
