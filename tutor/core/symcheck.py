"""Is ``a`` equal to ``b``?  The independent comparison every calculus step check uses.

Structural ``==`` is too strict and ``simplify(a - b) == 0`` is too slow on the
derivatives of nested expressions, so the test is: structurally equal, or the
expanded difference is 0, or the two agree at several random real points
(high precision, points where either side is undefined or not real are skipped).
Expressions with undefined functions ``f(x)`` cannot be evaluated and are
simplified instead.  Activations (sigmoid, ReLU, ...) are written out first, so a
check never trusts the derivative formulas of :mod:`tutor.mlfunctions`.
"""
from __future__ import annotations

import random

import sympy
from sympy.core.function import AppliedUndef

from tutor.core.functions import to_elementary

_TRIES = 16
_NEEDED = 4


def same(a: sympy.Basic, b: sympy.Basic) -> bool:
    """True when the scalar expressions ``a`` and ``b`` are equal as real functions."""
    if a == b:
        return True
    d = to_elementary(sympy.sympify(a)) - to_elementary(sympy.sympify(b))
    if d == 0:
        return True
    if d.has(AppliedUndef, sympy.Derivative, sympy.Subs):
        return sympy.simplify(sympy.simplify(d).doit()) == 0
    symbols = sorted(d.free_symbols, key=str)
    if not symbols:
        return _close(sympy.N(d, 30), 0, scale=1)
    rng = random.Random(len(symbols) * 7919 + sympy.count_ops(d))
    agreed = 0
    for _ in range(_TRIES):
        point = {s: sympy.Rational(rng.choice((-1, 1)) * rng.randint(150, 2700), 1000) for s in symbols}
        va = _value(a, point)
        vb = _value(b, point)
        if va is None or vb is None:
            continue
        if not _close(va, vb, scale=1 + abs(va)):
            return False
        agreed += 1
        if agreed >= _NEEDED:
            return True
    return agreed > 0 or sympy.simplify(d) == 0


def same_matrix(A: sympy.MatrixBase, B: sympy.MatrixBase) -> bool:
    """Same shape and :func:`same` entries."""
    return A.shape == B.shape and all(same(x, y) for x, y in zip(A, B))


def _value(e: sympy.Basic, point: dict) -> complex | None:
    """``e`` at ``point`` as a real number, or None where it is undefined or not real."""
    try:
        v = complex(sympy.N(to_elementary(sympy.sympify(e)).subs(point), 30))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if v != v or abs(v) == float("inf") or abs(v.imag) > 1e-12 * (1 + abs(v.real)) or abs(v) > 1e12:
        return None
    return v


def _close(x: complex | sympy.Basic, y: complex, scale: float) -> bool:
    try:
        return abs(complex(x) - complex(y)) <= 1e-9 * scale
    except TypeError:
        return False
