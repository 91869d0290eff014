"""Numbers of the probability kinds: exact arithmetic, decimal display, equality checks.

Probabilities typed as decimals (``0.1``) are computed exactly from their rational
value (``1/10``), so sums come out exact; a value is *shown* as a decimal again
when the input was decimal and the value has a terminating expansion (``13/10`` ->
``1.3``; ``1/3`` stays a fraction).  Step checks compare with :func:`same`, which
reads shown decimals back as exact rationals first.
"""
from __future__ import annotations

import random
from typing import Any

import sympy

_MAX_DECIMAL_DIGITS = 12


def exact(value: Any) -> Any:
    """``value`` with every Float replaced by the rational its decimal digits denote."""
    value = sympy.sympify(value) if not isinstance(value, sympy.Basic) else value
    floats = value.atoms(sympy.Float)
    if not floats:
        return value
    return value.xreplace({f: sympy.Rational(str(f)) for f in floats})


def shown(value: Any, decimal: bool) -> Any:
    """How ``value`` is displayed: a decimal when asked and exactly representable, else as is."""
    if not decimal or not isinstance(value, sympy.Basic):
        return value
    if isinstance(value, sympy.Rational) and not isinstance(value, sympy.Integer):
        q = value.q
        twos = fives = 0
        while q % 2 == 0:
            q, twos = q // 2, twos + 1
        while q % 5 == 0:
            q, fives = q // 5, fives + 1
        digits = max(twos, fives)
        if q != 1 or digits > _MAX_DECIMAL_DIGITS:
            return value
        text = f"{abs(value.p) * 10**digits // value.q:0{digits + 1}d}"
        sign = "-" if value < 0 else ""
        return sympy.Float(f"{sign}{text[:-digits]}.{text[-digits:]}", "")
    if isinstance(value, sympy.MatrixBase):
        return value.applyfunc(lambda e: shown(e, decimal))
    return value


def same(a: Any, b: Any, positive: bool = True) -> bool:
    """``a`` equals ``b`` exactly (decimals read as rationals): expand, simplify, else sample.

    Symbols are sampled at positive rationals below 1 when ``positive`` (parameters
    of distributions: probabilities, rates, variances), where both sides are defined.
    """
    d = exact(sympy.sympify(a)) - exact(sympy.sympify(b))
    if d == 0 or sympy.expand(d) == 0:
        return True
    symbols = sorted(d.free_symbols, key=str)
    if not symbols:
        return sympy.simplify(d) == 0 or abs(sympy.N(d, 40)) < sympy.Float(10) ** -30
    rng = random.Random(17)
    agreed = 0
    for _ in range(12):
        point = {s: sympy.Rational(rng.randint(11, 89), 100) if positive
                 else sympy.Rational(rng.randint(-300, 300), 100) for s in symbols}
        try:
            v = complex(sympy.N(d.subs(point), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if v != v:  # nan: undefined at this point
            continue
        if abs(v) > 1e-20:
            return False
        agreed += 1
        if agreed >= 4:
            return True
    return agreed > 0 or sympy.simplify(d) == 0


def same_matrix(A: sympy.MatrixBase, B: sympy.MatrixBase) -> bool:
    """Same shape and :func:`same` entries."""
    return A.shape == B.shape and all(same(x, y) for x, y in zip(A, B))


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """Factored, with a leading minus sign absorbed into a factor: ``μ(1 − μ)``, not ``−μ(μ − 1)``."""
    f = sympy.factor(expr)
    if isinstance(f, sympy.Mul) and f.could_extract_minus_sign():
        for a in f.args:
            if isinstance(a, sympy.Add):
                return (-f / a) * (-a)
    return f
