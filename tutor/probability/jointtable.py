"""A joint pmf table of two discrete random variables X and Y, parsed and validated.

The table has one row per value of X and one column per value of Y
(``--joint "[[0.1,0.2],[0.3,0.4]]" --x-values 1,2 --y-values 1,2``).  Entries are
exact numbers in [0, 1] summing to 1 (:func:`tutor.distributions.check_probabilities`
says by how much they are off); the values of each variable are distinct numbers and
there is one per row (column).  A marginal is available as a
:class:`tutor.distributions.RandomVariable`, so the one-variable derivations
(expectation, variance) of :mod:`tutor.topics.probability` are reused unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sympy

from tutor.probability.distributions import RandomVariable, check_probabilities, number
from tutor.core.errors import TutorError
from tutor.probability.inputs import looks_decimal, matrix_input, vector_input
from tutor.probability.numbers import exact, shown

MAX_CELLS = 400   # cells of a joint table (20 x 20)
MAX_SIDE = 40     # values of one variable

SYMBOLS = {"x": sympy.Symbol("x"), "y": sympy.Symbol("y")}
CAPITALS = {"x": sympy.Symbol("X"), "y": sympy.Symbol("Y")}


@dataclass(frozen=True)
class Typed:
    """A parsed input and whether the user typed it with decimals."""

    value: Any
    decimal: bool


def parse_joint(value: Any) -> Typed:
    """The table as rows of exact numbers (probabilities are checked by :func:`build_joint`)."""
    if isinstance(value, Typed):
        return value
    M = matrix_input(value, "the joint table")
    if M.rows * M.cols > MAX_CELLS:
        raise TutorError(f"the joint table has {M.rows * M.cols} cells; at most {MAX_CELLS}")
    entries = [exact(number(e, f"entry ({i + 1}, {j + 1}) of the joint table"))
               for i in range(M.rows) for j, e in enumerate(M.row(i))]
    return Typed(sympy.ImmutableMatrix(M.rows, M.cols, entries), looks_decimal(value))


def parse_values(value: Any) -> Typed:
    """Distinct numbers, e.g. ``1,2,3``: the values of one variable."""
    if isinstance(value, Typed):
        return value
    v = vector_input(value, "the values")
    if len(v) > MAX_SIDE:
        raise TutorError(f"{len(v)} values; at most {MAX_SIDE}")
    values = tuple(exact(number(e, "a value of the variable")) for e in v)
    if len(set(values)) != len(values):
        raise TutorError(f"the values {', '.join(map(str, values))} list a value twice")
    return Typed(values, looks_decimal(value))


@dataclass(frozen=True)
class JointTable:
    """``P[i, j] = p(X = xs[i], Y = ys[j])``, exact; ``decimal``: show decimals."""

    xs: tuple[sympy.Expr, ...]
    ys: tuple[sympy.Expr, ...]
    P: sympy.ImmutableMatrix
    decimal: bool = False

    def values(self, axis: str) -> tuple[sympy.Expr, ...]:
        return self.xs if axis == "x" else self.ys

    @cached_property
    def _lines(self) -> dict[str, list[tuple[sympy.Expr, ...]]]:
        """Rows and columns as tuples, computed once (matrix indexing is slow in sympy)."""
        rows = [tuple(self.P.row(i)) for i in range(self.P.rows)]
        return {"x": rows, "y": list(zip(*rows))}

    def line(self, axis: str, index: int) -> tuple[sympy.Expr, ...]:
        """The probabilities of row ``index`` (axis x) or column ``index`` (axis y)."""
        return self._lines[axis][index]

    @cached_property
    def _marginals(self) -> dict[str, tuple[sympy.Expr, ...]]:
        return {axis: tuple(sum(line, sympy.S.Zero) for line in lines) for axis, lines in self._lines.items()}

    def marginal(self, axis: str) -> tuple[sympy.Expr, ...]:
        return self._marginals[axis]

    def shown(self, value: Any) -> Any:
        return shown(value, self.decimal)

    @property
    def display(self) -> sympy.ImmutableMatrix:
        """The y values on top, then one row of probabilities per x value (for the templates)."""
        return self.shown(sympy.ImmutableMatrix([list(self.ys)] + [list(self.P.row(i)) for i in range(self.P.rows)]))

    def variable(self, axis: str) -> RandomVariable:
        """The marginal of X (axis x) or Y as a pmf table, written with its own letters."""
        return RandomVariable(form="table", var=SYMBOLS[axis], values=self.values(axis),
                              probs=self.marginal(axis), decimal=self.decimal,
                              restore={CAPITALS["x"]: CAPITALS[axis]} if axis == "y" else {})


def build_joint(joint: Typed, x_values: Typed, y_values: Typed) -> JointTable:
    """Sizes agree (one row per x value, one column per y value); the cells form a distribution."""
    P, xs, ys = joint.value, x_values.value, y_values.value
    if P.rows != len(xs):
        raise TutorError(f"the joint table has {P.rows} row(s) but there are {len(xs)} x-values "
                         "(one row per value of X)")
    if P.cols != len(ys):
        raise TutorError(f"the joint table has {P.cols} column(s) but there are {len(ys)} y-values "
                         "(one column per value of Y)")
    names = [f"(x={x}, y={y})" for x in xs for y in ys]
    check_probabilities(list(P), names, "the joint table")
    return JointTable(xs=xs, ys=ys, P=P,
                      decimal=joint.decimal or x_values.decimal or y_values.decimal)
