"""Mistakes of the eigen chapter: characteristic polynomial, eigenvectors, diagonalization."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.matrices import permanent
from tutor.exams.mistakes.registry import matrix, mistakes


def _charpoly(inputs: dict[str, Any], key: A.ExpressionAnswer, how: str) -> A.Answer:
    """det(A - λI) expanded with one slip: every cofactor sign + or λ added.  (det(λI - A) is
    the other convention, accepted by the checker: not a mistake.)"""
    lam, = key.value.free_symbols
    M = matrix(inputs)
    shifted = M - lam * sympy.eye(M.rows)
    value = {"permanent": lambda: permanent(shifted),
             "plus": lambda: (M + lam * sympy.eye(M.rows)).det()}[how]()
    return A.ExpressionAnswer(sympy.expand(value))


mistakes("charpoly",
         ("every sign of the Laplace expansion taken +", lambda i, k: _charpoly(i, k, "permanent")),
         ("λ added on the diagonal (det(A + λI))", lambda i, k: _charpoly(i, k, "plus")))


def _scaled(v: sympy.Matrix) -> sympy.Matrix:
    """The key's eigenvector form: integer entries, no common factor, positive first nonzero entry."""
    denominators = sympy.ilcm(*(sympy.fraction(sympy.nsimplify(e))[1] for e in v))
    w = v * denominators
    common = sympy.igcd(0, *(int(e) for e in w if e != 0))  # igcd wants two numbers; (0, a) is |a|
    w = w / common
    return -w if next(e for e in w if e != 0) < 0 else w


def _transpose_eigenvectors(inputs: dict[str, Any], key: A.EigenAnswer) -> A.Answer | None:
    """The eigenvectors of A^T (rows and columns confused), with the right eigenvalues."""
    M = matrix(inputs)
    if any(not e.value.is_rational for e in key.eigenvalues):
        return None  # integer scaling needs rational eigenvectors
    values = []
    for e in key.eigenvalues:
        basis = tuple(_scaled(v) for v in (M.T - e.value * sympy.eye(M.rows)).nullspace())
        values.append(A.Eigenvalue(e.value, e.algebraic_multiplicity, len(basis), basis))
    return A.EigenAnswer(tuple(values))


def _rotated_eigenvectors(key: A.EigenAnswer) -> A.Answer | None:
    """Each eigenspace's basis written beside the next eigenvalue (eigenvectors swapped)."""
    spaces = key.eigenvalues
    if len(spaces) < 2:
        return None
    return A.EigenAnswer(tuple(A.Eigenvalue(e.value, e.algebraic_multiplicity, nxt.geometric_multiplicity, nxt.basis)
                               for e, nxt in zip(spaces, spaces[1:] + spaces[:1])))


mistakes("eigen",
         ("the eigenvectors of A^T instead of A (rows and columns confused)",
          lambda i, k: _transpose_eigenvectors(i, k)),
         ("the eigenvectors swapped between the eigenvalues", lambda i, k: _rotated_eigenvectors(k)))


def _diagonal_mistake(key: A.DiagonalizationAnswer, which: str) -> A.Answer | None:
    if not key.diagonalizable:
        return None
    if which == "inverse":
        return A.DiagonalizationAnswer(True, key.P.inv(), key.D)
    if which == "reversed":  # P's columns in the opposite order to D's eigenvalues
        return A.DiagonalizationAnswer(True, key.P[:, ::-1], key.D)
    return A.DiagonalizationAnswer(True, key.P.T, key.D)


mistakes("diagonalize",
         ("P^-1 given for P (A = P^-1 D P read the wrong way)", lambda i, k: _diagonal_mistake(k, "inverse")),
         ("P's columns not in the order of D's eigenvalues", lambda i, k: _diagonal_mistake(k, "reversed")),
         ("the eigenvectors written as the rows of P", lambda i, k: _diagonal_mistake(k, "transpose")))
