"""Trivial variants: what difficulty 3 must not draw, measured on the problem and its solution.

A hard question is one where the method has to be carried out in full.  A variant is trivial
when its structure lets the student skip the method:

- **separable**: a function of several variables whose mixed second partials are all zero
  (``2x^2 - y + cos(2z - 1)``): its gradient, Hessian, Taylor polynomial, stationary points or
  convexity split into one-variable questions;
- **eigenvalues read off**: a matrix with a row or column that is zero off the diagonal (a
  triangular or diagonal matrix is one): the Laplace expansion along it gives the factor
  ``(a_ii - λ)`` without work; for an SVD the same holds for ``AᵀA``;
- **triangular**: a determinant, inverse, rank, kernel, image or linear system whose matrix is
  already triangular (elimination has nothing to do);
- **short**: a derivation with fewer than half the steps of the kind's typical difficulty-3
  variant (the median over fixed seeds), whatever the reason.
"""
from __future__ import annotations

import functools
import itertools
import random
import statistics
from typing import Callable

import sympy

from tutor import topics
from tutor.core.errors import TutorError

#: kinds whose ``function`` (``outer`` for the chain rule) splits when it is separable
SEPARABLE = frozenset({"gradient", "hessian", "partial", "autodiff", "taylor", "chain", "convexity",
                       "stationary_points"})
READ_OFF = frozenset({"eigen", "diagonalize", "charpoly"})
GRAM = frozenset({"svd", "low_rank"})
TRIANGULAR = frozenset({"det", "inverse", "rank", "kernel", "image", "system", "cholesky"})
#: seeds of the typical variants a step count is compared with
TYPICAL_SEEDS = range(9)


def separable(f: sympy.Expr, variables: tuple[sympy.Symbol, ...]) -> bool:
    """Two or more variables and every mixed second partial zero."""
    used = [v for v in variables if v in f.free_symbols]
    return len(used) >= 2 and all(sympy.simplify(sympy.diff(f, a, b)) == 0
                                  for a, b in itertools.combinations(used, 2))


def read_off(M: sympy.MatrixBase) -> bool:
    """A square matrix with a row or a column that is zero off the diagonal."""
    n = M.rows
    return M.is_square and n > 1 and any(
        all(M[i, j] == 0 for j in range(n) if j != i) or all(M[j, i] == 0 for j in range(n) if j != i)
        for i in range(n))


def triangular(M: sympy.MatrixBase) -> bool:
    """Zero below the diagonal, or above it."""
    return M.is_upper or M.is_lower


def _function(problem) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]] | None:
    inputs = problem.inputs
    f = inputs.get("outer", inputs.get("function"))
    if not isinstance(f, sympy.Expr):
        return None
    variables = inputs.get("variables") or inputs.get("vars") or tuple(sorted(f.free_symbols, key=str))
    return f, tuple(variables)


def _structure(kind: str, problem) -> str | None:
    """Why the structure of ``problem`` makes it trivial, or None."""
    if kind in SEPARABLE and (fv := _function(problem)) and separable(*fv):
        return "a separable function"
    A = problem.inputs.get("A")
    if not isinstance(A, sympy.MatrixBase):
        return None
    if kind in READ_OFF and read_off(A):
        return "an eigenvalue can be read off"
    if kind in GRAM and read_off(A.T * A):
        return "the eigenvalues of AᵀA can be read off"
    if kind in TRIANGULAR and triangular(A):
        return "a triangular matrix"
    return None


@functools.cache
def typical_steps(kind: str) -> float:
    """The median number of steps of the kind's difficulty-3 variants of fixed seeds."""
    make = _raw_generator(kind)
    counts = []
    for seed in TYPICAL_SEEDS:
        try:
            solution = topics.solve(topics.get(kind).make(make(random.Random(seed), 3)))
        except TutorError:
            continue
        counts.append(sum(1 for _ in solution.walk()))
    return statistics.median(counts) if counts else 0


def _raw_generator(kind: str) -> Callable:
    from tutor.exams.generators import raw_generator
    return raw_generator(kind)


def triviality(variant) -> str | None:
    """Why ``variant`` (a :class:`~tutor.exams.generators.Variant`) is trivial, or None."""
    why = _structure(variant.kind, variant.problem)
    if why:
        return why
    if variant.steps < typical_steps(variant.kind) / 2:
        return f"{variant.steps} steps, fewer than half of a typical {typical_steps(variant.kind):g}"
    return None


__all__ = ["triviality", "typical_steps", "separable", "read_off", "triangular"]
