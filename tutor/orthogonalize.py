"""Gram-Schmidt and normalization of real vectors, as checked steps.

Orthogonal diagonalization needs an orthonormal basis inside each repeated
eigenspace, and the SVD needs one for the completion of U.  The orthogonal
vectors are kept unnormalized until the end, as a teacher does, so square roots
appear only in the last step.

Why not :mod:`tutor.gramschmidt` (the ``gram_schmidt`` kind): there the process
is the exercise, shown in full for any inner product (every coefficient as a
fraction of two inner products, dependent vectors reported, norms as substeps,
a final Gram-matrix check).  Here it is a substep of a larger derivation: the
standard dot product, independent inputs, one compact step per vector that
changes, entries in this module's :func:`tidy` form.  The two step families have
their own rules and templates, and the eigen and SVD solutions (text and JSON)
are written in these.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from .rowreduce import same_matrix
from .steps import Step

__all__ = ["GramSchmidt", "Normalize", "gram_schmidt", "normalize", "tidy"]


def tidy(e: sympy.Expr) -> sympy.Expr:
    """An entry in a teacher's form: surds with rational denominators, simplified."""
    return e if e.is_Rational else sympy.radsimp(sympy.simplify(e))


def _dot(u: sympy.MatrixBase, v: sympy.MatrixBase) -> sympy.Expr:
    return (u.T * v)[0]


@dataclass(frozen=True, kw_only=True)
class GramSchmidt(Step):
    """``result = vector - Σ coefficients[k] * previous[k]`` with ``coefficients[k] =
    <vector, previous[k]> / <previous[k], previous[k]>``; ``result`` is orthogonal to each
    of ``previous`` (the orthogonal vectors found so far)."""

    rule: ClassVar[str] = "orthogonal.gram_schmidt"
    vector: ImmutableMatrix
    previous: tuple[ImmutableMatrix, ...]
    coefficients: tuple[sympy.Expr, ...]
    result: ImmutableMatrix

    def check(self) -> bool:
        combo = sympy.Matrix(self.vector)
        for c, u in zip(self.coefficients, self.previous, strict=True):
            if sympy.simplify(c - _dot(self.vector, u) / _dot(u, u)) != 0:
                return False
            combo -= c * u
        return same_matrix(combo, self.result) and any(sympy.simplify(e) != 0 for e in self.result) \
            and all(sympy.simplify(_dot(self.result, u)) == 0 for u in self.previous)


@dataclass(frozen=True, kw_only=True)
class Normalize(Step):
    """``result = vector / norm`` with ``norm = sqrt(<vector, vector>)``."""

    rule: ClassVar[str] = "orthogonal.normalize"
    vector: ImmutableMatrix
    norm: sympy.Expr
    result: ImmutableMatrix

    def check(self) -> bool:
        return sympy.simplify(self.norm**2 - _dot(self.vector, self.vector)) == 0 and \
            bool(sympy.simplify(self.norm) > 0) and same_matrix(self.result * self.norm, self.vector)


def gram_schmidt(vectors: Sequence[sympy.MatrixBase],
                 previous: Sequence[sympy.MatrixBase] = ()) -> tuple[list[ImmutableMatrix], list[Step]]:
    """Orthogonal (unnormalized) vectors spanning the same space as ``vectors``, made orthogonal
    also to the already orthogonal ``previous``; one step per vector that changes."""
    done = [ImmutableMatrix(u) for u in previous]
    out, steps = [], []
    for v in vectors:
        v = ImmutableMatrix(v)
        coefficients = tuple(tidy(_dot(v, u) / _dot(u, u)) for u in done)
        if all(c == 0 for c in coefficients):
            w = v
        else:
            w = ImmutableMatrix((sympy.Matrix(v) - sum(
                (c * u for c, u in zip(coefficients, done)), sympy.zeros(v.rows, 1))).applyfunc(tidy))
            steps.append(GramSchmidt(vector=v, previous=tuple(done), coefficients=coefficients, result=w))
        done.append(w)
        out.append(w)
    return out, steps


def normalize(v: sympy.MatrixBase) -> Normalize:
    """The unit vector of ``v``."""
    v = ImmutableMatrix(v)
    norm = tidy(sympy.sqrt(_dot(v, v)))
    return Normalize(vector=v, norm=norm, result=ImmutableMatrix((v / norm).applyfunc(tidy)))
