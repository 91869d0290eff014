"""Answers that are matrix expressions: ``matrix_gradient`` (``2(Ax - b)^T A``).

The answer is read by the problem's own safe reader (:mod:`tutor.matshapes`: lower-case
names are column vectors, upper-case names matrices), with the problem's names fixed to
random concrete sizes.  Both sides are then evaluated with random integer matrices and
the variable as a column of symbols ``x_1..x_n``: the entries are polynomials, so
"equal" is an exact polynomial identity at each draw, not a numeric tolerance.  A wrong
answer that would be right for a symmetric matrix (``2x^T A`` for ``x^T A x``) is named.
"""
from __future__ import annotations

import random
from typing import Any

import sympy
from sympy import MatrixExpr, MatrixSymbol

from tutor.calculus.matrix_derivatives import instance
from tutor.calculus.matrix_expressions import explicit
from tutor.parsing.matrix_expressions import parse_tree, show
from tutor.calculus.matrix_shapes import read
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, right, wrong

DRAWS = 3  # random sizes and entries; equal expressions agree at all of them


def _sizes(values: dict[str, sympy.Matrix]) -> dict[str, tuple[int, ...]]:
    """Concrete sizes for the reader: ``(n,)`` for a vector, ``(m, n)`` for a matrix."""
    return {name: (m.rows,) if name[:1].islower() else m.shape for name, m in values.items()}


def _same(a: sympy.Matrix, b: sympy.Matrix) -> bool:
    return a.shape == b.shape and all(sympy.expand(e) == 0 for e in a - b)


def _symmetrized(values: dict[str, sympy.Matrix], wrt: str) -> dict[str, sympy.Matrix]:
    return {k: (v + v.T if v.is_square and v.rows > 1 and k != wrt else v) for k, v in values.items()}


def _factor_off(want: sympy.Matrix, got: sympy.Matrix) -> str | None:
    """"off by a factor of 2" when the answer is a constant multiple of the derivative."""
    pivot = next((i for i, e in enumerate(got) if sympy.expand(e) != 0), None)
    if pivot is None:
        return None
    ratio = sympy.cancel(want[pivot] / got[pivot])
    if not ratio.is_number or not _same(want, ratio * got):
        return None
    return "sign error" if ratio == -1 else f"off by a factor of {ratio}"


def compare_matrix_expression(expected: MatrixExpr, text: str, policy: Policy, problem: Any) -> Verdict:
    """``expected`` is the derivative found by :mod:`tutor.matdiff`; ``problem`` names the variable."""
    wrt: MatrixSymbol = problem["wrt"]
    parsed = show(parse_tree(text))
    rng = random.Random(0)
    symmetric_only = False
    for _ in range(DRAWS):
        values, sizes, _xs = instance(rng, (expected,), wrt)
        given = read(text, wrt.name, _sizes(values), answer=True)
        unknown = sorted(n.name for n in given.names if n.name not in values)
        if unknown:
            return wrong(parsed, f"{', '.join(unknown)} does not occur in the problem")
        want, got = explicit(expected, values, sizes), explicit(given.expr, values, {})
        if got.shape != want.shape:
            note = (" (a gradient of a scalar is a row vector, 1 × n)" if want.rows == 1 else "")
            what = "the transpose of the expected shape" if got.shape == want.T.shape else "of another shape"
            return wrong(parsed, f"the answer is {got.rows} × {got.cols}, {what}{note}")
        if not _same(want, got):
            symmetric = _symmetrized(values, wrt.name)
            if _same(explicit(expected, symmetric, sizes), explicit(given.expr, symmetric, {})):
                symmetric_only = True
                continue
            return wrong(parsed, _factor_off(want, got) or "not equal to the derivative (checked with random matrices)")
    if symmetric_only:
        return wrong(parsed, "right only for symmetric matrices; the matrices are not assumed symmetric")
    return right(parsed)
