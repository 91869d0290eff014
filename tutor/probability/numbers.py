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


class Decimal(sympy.Rational):
    """An exact rational with a terminating decimal expansion, printed as that decimal.

    A decimal the tutor shows (``0.04``) is this exact number (``1/25``): it equals, hashes
    and computes as the Rational, so an answer's value is exact and only its printing is
    decimal (a ``sympy.Float`` built from the text keeps about 10 bits: 0.0400390625).
    """

    __slots__ = ()

    def __new__(cls, p: int, q: int = 1) -> "Decimal":
        obj = sympy.Expr.__new__(cls)
        obj.p, obj.q = int(p), int(q)
        return obj

    def __hash__(self) -> int:
        return hash(sympy.Rational(self.p, self.q))

    @property
    def digits(self) -> str:
        """The decimal expansion: ``-0.125`` for -1/8."""
        q, places = self.q, 0
        while (10**places) % q:
            places += 1
        text = f"{abs(self.p) * 10**places // q:0{places + 1}d}"
        sign = "-" if self.p < 0 else ""
        return f"{sign}{text[:-places]}.{text[-places:]}" if places else f"{sign}{text}"

    @property
    def precedence(self) -> int:
        """Printed like a Float (an atom, ``1.4^2``), not like a fraction (``(7/5)^2``)."""
        from sympy.printing.precedence import PRECEDENCE
        return PRECEDENCE["Add"] if self.p < 0 else PRECEDENCE["Atom"]

    def _sympystr(self, printer: Any) -> str:
        return self.digits

    def _latex(self, printer: Any) -> str:
        return self.digits


def exact(value: Any) -> Any:
    """``value`` with every Float replaced by the rational its decimal digits denote."""
    value = sympy.sympify(value, strict=True) if not isinstance(value, sympy.Basic) else value
    floats = value.atoms(sympy.Float)
    if not floats:
        return value
    return value.xreplace({f: sympy.Rational(str(f)) for f in floats})


def shown(value: Any, decimal: bool) -> Any:
    """How ``value`` is displayed: a decimal when asked and exactly representable, else as is.

    A scalar becomes a :class:`Decimal` (exact).  A matrix (a table in a step) cannot hold
    one: it keeps its entries in a domain and turns them back into plain Rationals, so a
    table's decimal entries are the Floats of the digits shown, for display only (checks
    read them back exactly with :func:`exact`; no answer is such a table)."""
    if not decimal or not isinstance(value, sympy.Basic):
        return value
    if isinstance(value, sympy.MatrixBase):
        def entry(e: sympy.Expr) -> sympy.Expr:
            d = shown(e, decimal)
            return sympy.Float(d.digits, "") if isinstance(d, Decimal) else d
        return sympy.ImmutableMatrix(value.rows, value.cols, [entry(e) for e in value])
    if isinstance(value, sympy.Rational) and not isinstance(value, sympy.Integer):
        q = value.q
        twos = fives = 0
        while q % 2 == 0:
            q, twos = q // 2, twos + 1
        while q % 5 == 0:
            q, fives = q // 5, fives + 1
        if q != 1 or max(twos, fives) > _MAX_DECIMAL_DIGITS:
            return value
        return Decimal(value.p, value.q)
    return value


def same(a: Any, b: Any, positive: bool = True) -> bool:
    """``a`` equals ``b`` exactly (decimals read as rationals): expand, simplify, else sample.

    Symbols are sampled at positive rationals below 1 when ``positive`` (parameters
    of distributions: probabilities, rates, variances), where both sides are defined.
    """
    a, b = exact(sympy.sympify(a, strict=True)), exact(sympy.sympify(b, strict=True))
    if a == b:  # oo == oo: an infinite expectation checks (oo − oo is nan, no comparison)
        return True
    d = a - b
    if d.has(sympy.nan, sympy.zoo):
        return False
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
    if all(a.is_Rational or (a.is_Pow and a.base.is_Rational and a.exp.is_Rational)
           for a in sympy.Mul.make_args(expr)):  # like -3√2/5: factor returns it unchanged, slowly
        return expr
    f = sympy.factor(expr)
    if isinstance(f, sympy.Mul) and f.could_extract_minus_sign():
        for a in f.args:
            if isinstance(a, sympy.Add):
                return (-f / a) * (-a)
    return f
