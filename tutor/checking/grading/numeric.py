"""Are two expressions equal?  By evaluation at random points, symbolically where that fails.

Policy (docs/checking.md): ``a`` equals ``b`` when both agree, to 9 significant
digits, at every random *real* point where both are real and finite (at least 3
such points; exact rational points, 30-digit evaluation): so ``|x|`` equals ``sqrt(x^2)``, and ``log(x^2)`` equals ``2 log(x)``
on the common real domain x > 0.  Where fewer than 3 real points are defined for
both, complex points decide (principal branches); where no point is defined for
both, the difference must expand/cancel or ``simplify`` to 0.  Evaluation comes
first because it is fast and bounded on answers that are big but legal (``expand``
of ``(a+b+c+d+f)^40`` alone takes seconds).  A :class:`Sampler` evaluates at
one fixed set of points, so the candidate mistakes of a diagnosis (``-r``, ``2r``,
``r`` minus a term, ...) are compared on values already computed.
"""
from __future__ import annotations

import random
from typing import Iterable, Sequence

import sympy

REAL_POINTS = 8
COMPLEX_POINTS = 4
NEEDED = 3
REL_TOL = 1e-9
DIGITS = 30

Values = tuple[tuple[complex | None, ...], tuple[complex | None, ...]]


def plain(expr: sympy.Basic) -> sympy.Basic:
    """Symbols by name only (``x`` real from one parser equals plain ``x`` from another)."""
    atoms = getattr(expr, "free_symbols", set())
    mapping = {s: sympy.Symbol(s.name) for s in atoms
               if isinstance(s, sympy.Symbol) and s != sympy.Symbol(s.name)}
    return expr.xreplace(mapping) if mapping else expr


class Sampler:
    """The values of expressions at a fixed set of random points (seeded: deterministic)."""

    def __init__(self, symbols: Iterable[sympy.Symbol], seed: int = 7) -> None:
        self.symbols = sorted({sympy.Symbol(s.name) for s in symbols}, key=str)
        rng = random.Random(seed)

        def number(positive: bool = False) -> sympy.Rational:
            return sympy.Rational((1 if positive else rng.choice((-1, 1))) * rng.randint(150, 2700), 1000)

        count = REAL_POINTS if self.symbols else 1
        # half the points positive in every coordinate: the common domain of log, sqrt, x^y
        self.real = [{s: number(k % 2 == 0) for s in self.symbols} for k in range(count)]
        self.complex = [{s: number() + sympy.I * number() for s in self.symbols}
                        for _ in range(COMPLEX_POINTS if self.symbols else 0)]
        self._cache: dict[sympy.Basic, Values] = {}

    def values(self, expr: sympy.Basic) -> Values:
        expr = plain(basic(expr))
        if expr not in self._cache:
            self._cache[expr] = (tuple(_at(expr, p) for p in self.real),
                                 tuple(_at(expr, p) for p in self.complex))
        return self._cache[expr]


def basic(value: sympy.Basic | int) -> sympy.Basic:
    """Our own numbers (never user text) as sympy objects."""
    return sympy.Integer(value) if isinstance(value, int) else value


def _at(expr: sympy.Basic, point: dict[sympy.Symbol, sympy.Expr]) -> complex | None:
    try:
        value = complex(expr.evalf(DIGITS, subs=point) if point else expr.evalf(DIGITS))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None
    if value != value or abs(value) == float("inf"):  # nan, inf
        return None
    return value


def _close(u: complex, v: complex, rel: float) -> bool:
    return abs(u - v) <= rel * max(1.0, abs(u), abs(v))


def agree(u: Values, v: Values, rel: float = REL_TOL) -> bool | None:
    """True/False from the sampled values; None when no point is defined for both."""
    real = [(a, b) for a, b in zip(u[0], v[0]) if a is not None and b is not None
            and abs(a.imag) <= REL_TOL * max(1.0, abs(a)) and abs(b.imag) <= REL_TOL * max(1.0, abs(b))]
    needed = NEEDED if len(u[0]) > 1 else 1
    pairs = real if len(real) >= needed else \
        [(a, b) for a, b in zip(u[1], v[1]) if a is not None and b is not None] or real
    if not pairs:
        return None
    return all(_close(a, b, rel) for a, b in pairs)


def combine(coefficients: Sequence[complex], values: Sequence[Values]) -> Values:
    """The values of a linear combination, from the values of its parts."""
    def mix(parts: Sequence[complex | None]) -> complex | None:
        if any(p is None for p in parts):
            return None
        return sum(c * p for c, p in zip(coefficients, parts))  # type: ignore[misc]
    return (tuple(mix(ps) for ps in zip(*(v[0] for v in values))),
            tuple(mix(ps) for ps in zip(*(v[1] for v in values))))


def exactly_zero(d: sympy.Expr) -> bool:
    """A cheap exact proof that ``d`` is 0 (never a proof that it is not)."""
    if d == 0:
        return True
    if d.has(sympy.Float):
        return False
    e = sympy.expand(d)
    if e == 0:
        return True
    symbols = e.free_symbols
    return bool(symbols) and e.is_rational_function(*symbols) and sympy.cancel(e) == 0


def equal(a: sympy.Basic, b: sympy.Basic, sampler: Sampler | None = None) -> bool:
    """Equal by the policy above; undecidable numerically: ``simplify`` decides."""
    a, b = plain(basic(a)), plain(basic(b))
    if a == b:
        return True
    sampler = sampler or Sampler(a.free_symbols | b.free_symbols)
    verdict = agree(sampler.values(a), sampler.values(b))
    if verdict is None:
        return exactly_zero(a - b) or sympy.simplify(a - b) == 0
    return verdict


def exact_decimals(expr: sympy.Basic) -> tuple[sympy.Basic, int | None]:
    """Each decimal replaced by the exact fraction it spells (0.33 -> 33/100), and the
    fewest digits after the point among them (None: no decimal in ``expr``)."""
    floats = expr.atoms(sympy.Float)
    if not floats:
        return expr, None
    mapping, digits = {}, []
    for f in floats:
        text = repr(float(f))
        if "e" in text or "inf" in text or "nan" in text:
            text = str(f)
        mapping[f] = sympy.Rational(text)
        digits.append(len(text.split(".")[1].rstrip("0")) if "." in text else 0)
    return expr.xreplace(mapping), min(digits)
