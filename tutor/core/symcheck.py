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

import functools
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
    if not symbols:  # each side on its own: evalf of a difference that is exactly 0 raises its
        # precision again and again to find a relative accuracy it cannot (13 s for one backprop check)
        va, vb = _value(a, {}), _value(b, {})
        if va is not None and vb is not None:
            return _close(va, vb, scale=1 + abs(va))
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
    """``e`` at ``point`` as a real number, or None where it is undefined or not real.

    The point's coordinates go in as 50-digit floats, not as the exact rationals: sympy
    evaluates an exact rational to a rational power exactly, factoring its numerator and
    denominator (``exp(c log(t² + 2))`` is ``(t² + 2)^c``; a chain-rule check spent 27 s in
    one primality test).  A float that lands exactly on a pole gives ``zoo``/``nan`` as the
    exact value would; near it the value is large and skipped."""
    floats = {s: sympy.Float(v, 50) for s, v in point.items()}
    try:
        v = complex(sympy.N(to_elementary(sympy.sympify(e)).xreplace(floats), 30))
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


def is_zero(e: sympy.Basic) -> bool:
    """``e`` is 0.  With symbols: by ``simplify``.  A number: exactly when it is built from
    rationals and one ``CRootOf`` root (reduction modulo the root's polynomial), else at high
    precision (:func:`numerically_zero`): ``simplify`` cannot decide roots of irreducible
    polynomials or nested radicals and takes seconds to tens of seconds to fail."""
    e = sympy.sympify(e)
    if e == 0:
        return True
    if e.free_symbols:
        return sympy.simplify(e) == 0
    by_root = zero_with_root(e)
    if by_root is not None:
        return by_root
    return numerically_zero(e)


def zero_with_root(e: sympy.Expr) -> bool | None:
    """Whether the number ``e``, built from rationals and one root ``r = CRootOf(p, k)`` (every
    entry of ``AP − PD`` for one eigenvalue), is 0; None for any other number.

    ``e`` is then a rational function of ``r``, 0 exactly when its numerator is divisible by
    ``p``, which sympy keeps irreducible (a CRootOf holds the irreducible factor its root
    belongs to)."""
    roots = e.atoms(sympy.CRootOf)
    if len(roots) != 1:
        return None
    r = roots.pop()
    t = sympy.Dummy("t")
    num, den = sympy.fraction(sympy.together(e.xreplace({r: t})))
    p = sympy.Poly(r.poly.as_expr().subs(r.poly.gen, t), t, domain=sympy.QQ)
    try:
        top, bottom = sympy.Poly(num, t, domain=sympy.QQ), sympy.Poly(den, t, domain=sympy.QQ)
    except (sympy.PolynomialError, sympy.CoercionFailed):
        return None  # other irrationals beside the root
    return top.rem(p).is_zero if not bottom.rem(p).is_zero else None


def numerically_zero(e: sympy.Expr, digits: int = 100) -> bool:
    """The number ``e`` vanishes to ``digits − 20`` digits when evaluated to ``digits`` (roots
    ``CRootOf`` by :func:`root_value`): an algebraic number of the size a tutor meets that is
    not 0 is far larger, so this decides the equalities of step checks."""
    return abs(approximate(e, digits)) < sympy.Float(10, digits) ** (20 - digits)


def sign(e: sympy.Basic) -> int:
    """The sign (-1, 0, 1) of a real number: 0 by :func:`is_zero`, else the sign of its value at
    50 digits.  ``e > 0`` on a value of a ``CRootOf`` root (a KKT case of a quadratic over a disk)
    asks sympy for minimal polynomials of sums of roots, which took minutes."""
    e = sympy.sympify(e)
    if e.is_Rational:
        return int(sympy.sign(e))
    if is_zero(e):
        return 0
    values = {r: root_value(r, 50) for r in e.atoms(sympy.CRootOf)}
    return 1 if sympy.re(sympy.N(e.xreplace(values), 50)) > 0 else -1


def nonsingular(M: sympy.MatrixBase) -> bool:
    """``det M ≠ 0``.  With symbols: by ``simplify``.  A matrix of numbers: its determinant at 50
    digits is not negligible against Hadamard's bound (the product of the column norms); a
    symbolic determinant of a 5×5 matrix of nested radicals takes minutes."""
    if M.free_symbols:
        return sympy.simplify(M.det()) != 0
    import mpmath

    values = {r: root_value(r, 60) for r in M.atoms(sympy.CRootOf)}
    with mpmath.workdps(60):
        A = mpmath.matrix([[sympy.sympify(e).xreplace(values)._to_mpmath(mpmath.mp.prec) for e in M.row(i)]
                           for i in range(M.rows)])
        bound = mpmath.fprod(mpmath.norm(A[:, j]) for j in range(A.cols))
        return bound > 0 and abs(mpmath.det(A)) > mpmath.mpf(10) ** -40 * bound


def approximate(e: sympy.Basic, digits: int = 15) -> sympy.Basic:
    """``sympy.N(e, digits)`` with each ``CRootOf`` valued by :func:`root_value`: sympy's own
    evalf of a complex root refines its isolating rectangle by bisection, seconds per root
    for a quartic (an eigen problem ran past 60 s in those refinements alone)."""
    roots = e.atoms(sympy.CRootOf)
    if not roots:
        return sympy.N(e, digits)
    return sympy.N(e.xreplace({r: root_value(r, digits) for r in roots}), digits)


@functools.lru_cache(maxsize=256)
def root_value(r: sympy.CRootOf, digits: int) -> sympy.Expr:
    """``r`` to ``digits`` digits: all roots of its polynomial by ``mpmath.polyroots``, the one in
    ``r``'s isolating interval picked (milliseconds; ``r.evalf(100)`` of a complex root refines
    its rectangle by bisection and takes seconds)."""
    import mpmath

    box = r._get_interval()
    corners = (box.a, box.b, 0, 0) if r.is_real else (box.ax, box.bx, box.ay, box.by)
    with mpmath.workdps(digits + 20):
        lo_re, hi_re, lo_im, hi_im = (mpmath.mpf(sympy.Rational(c).p) / sympy.Rational(c).q for c in corners)
        zs = mpmath.polyroots([int(c) for c in r.poly.all_coeffs()], maxsteps=400, extraprec=4 * digits)
        slack = mpmath.mpf(10) ** -(digits // 2)
        inside = [z for z in zs if lo_re - slack <= mpmath.re(z) <= hi_re + slack
                  and lo_im - slack <= mpmath.im(z) <= hi_im + slack]
        if len(inside) != 1:
            return r.evalf(digits)
        z = inside[0]
        re, im = sympy.Float(mpmath.re(z), digits + 10), sympy.Float(mpmath.im(z), digits + 10)
    return re if r.is_real else re + sympy.I * im
