"""Vectors, matrices and labelled tables as the joint-distribution and Gaussian kinds read them.

Everything goes through :mod:`tutor.parse` (``to_vector``, ``to_matrix``): no text reaches
``sympify``.  A single number is accepted where a vector or a matrix is expected, as the
1-dimensional case (``--mean 0 --cov 1``).  :func:`looks_decimal` remembers whether the
user typed decimals, since :mod:`tutor.parse` reads ``0.1`` exactly as ``1/10`` and the
issue asks for decimal input to be shown as decimals again.
"""
from __future__ import annotations

import re
from typing import Any

import sympy

from tutor.core.errors import TutorError
from tutor.parsing.text import to_expression, to_matrix, to_vector

MAX_DIM = 6        # size of a Gaussian: 2^6 principal minors, 6x6 inverses stay fast
MAX_ENTRIES = 1200  # entries of one matrix input (a data set of 200 points in 6 dimensions)

_DECIMAL = re.compile(r"(?<![\w.])\d*\.\d")


def looks_decimal(raw: Any) -> bool:
    """True when the raw input (text, or nested lists of numbers/text) contains a decimal."""
    if isinstance(raw, float):
        return True
    if isinstance(raw, str):
        return bool(_DECIMAL.search(raw))
    if isinstance(raw, (list, tuple)):
        return any(looks_decimal(r) for r in raw)
    return isinstance(raw, sympy.Float)


def _scalar(value: Any, what: str) -> sympy.Expr | None:
    """The value as one expression when it is a lone number/expression, else None."""
    if isinstance(value, sympy.MatrixBase) or isinstance(value, (list, tuple)):
        return None
    try:
        return to_expression(value)
    except TutorError:
        return None


def vector_input(value: Any, what: str) -> sympy.Matrix:
    """A column vector; a single expression is the 1-vector."""
    try:
        v = to_vector(value)
    except TutorError as e:
        one = _scalar(value, what)
        if one is None:
            raise TutorError(f"{what}: {e}") from None
        v = sympy.Matrix([one])
    _check_entries(v, what)
    return v


def matrix_input(value: Any, what: str) -> sympy.Matrix:
    """A matrix written as rows; a single expression is the 1x1 matrix."""
    try:
        M = to_matrix(value)
    except TutorError as e:
        one = _scalar(value, what)
        if one is None:
            raise TutorError(f"{what}: {e}") from None
        M = sympy.Matrix([[one]])
    _check_entries(M, what)
    return M


def _check_entries(M: sympy.MatrixBase, what: str) -> None:
    if M.rows * M.cols > MAX_ENTRIES:
        raise TutorError(f"{what} has {M.rows * M.cols} entries; at most {MAX_ENTRIES}")
    for e in M:
        if e.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan) or e.is_real is False:
            raise TutorError(f"{what}: the entry {e} is not a finite real number")
