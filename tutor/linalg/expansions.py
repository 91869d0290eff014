"""Arithmetic written out but not yet done: ``1·4 + (-2)·5``, ``sqrt(1^2 + 3^2)``, ``|-2|``.

A teacher writes the definition applied term by term before evaluating it.  sympy
evaluates (``Abs(-2)`` is 2 at once) or reorders (an unevaluated ``Add`` prints its
terms in its own order), so the steps of the geometry kinds record such
expansions with these small objects instead.  Each one knows its :meth:`value`
(the arithmetic done by sympy, used by the step checks) and prints itself through
sympy's LaTeX and string printers (``_latex`` / ``_sympystr``), so the dialects
show it like any other formula, in the order given.
"""
from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter


def value(term: Any) -> sympy.Expr:
    """The evaluated value of a term: an expansion's value, or the sympy object itself."""
    return term.value() if isinstance(term, Expansion) else sympy.sympify(term, strict=True)


def _needs_parens(term: Any, printer: Any, factor: bool = True) -> bool:
    """A factor or base is bracketed when it is negative or a sum (or, in plain text, a
    fraction or product); a term of a sum (``factor`` False) only when it is negative."""
    if isinstance(term, Expansion):
        return factor and isinstance(term, (Sum, Product))
    if isinstance(term, sympy.MatrixBase):
        return False
    term = sympy.sympify(term, strict=True)
    if term.could_extract_minus_sign():
        return True
    if not factor:
        return False
    if term.is_Add:
        return True
    plain = not isinstance(printer, LatexPrinter)
    return plain and (term.is_Mul or (term.is_Rational and not term.is_Integer))


def _wrapped(term: Any, printer: Any, factor: bool = True) -> str:
    text = printer._print(term)
    if not _needs_parens(term, printer, factor):
        return text
    if isinstance(printer, LatexPrinter):
        return r"\left(" + text + r"\right)"
    return "(" + text + ")"


class Expansion:
    """Base class: a formula printed as written, with a value computed on demand."""

    def value(self) -> sympy.Expr:
        raise NotImplementedError


@dataclass(frozen=True)
class Sum(Expansion):
    """``t_1 + t_2 + ...`` in the given order (a negative number term is bracketed)."""

    terms: tuple[Any, ...]

    def value(self) -> sympy.Expr:
        values = [value(t) for t in self.terms]
        return functools.reduce(operator.add, values) if values else sympy.S.Zero

    def _print(self, printer: Any) -> str:
        """Terms joined by ``+``; a scaled vector with a negative scalar reads ``- c v``."""
        out = ""
        for i, t in enumerate(self.terms):
            if isinstance(t, Scaled) and sympy.sympify(value(t.scalar), strict=True).could_extract_minus_sign():
                out += (" - " if i else "-") + printer._print(Scaled(-value(t.scalar), t.vector))
            else:
                out += (" + " if i else "") + _wrapped(t, printer, factor=False)
        return out or "0"

    _latex = _print
    _sympystr = _print


@dataclass(frozen=True)
class Product(Expansion):
    """``f_1 · f_2 · ...``; negative or compound factors in brackets."""

    factors: tuple[Any, ...]

    def value(self) -> sympy.Expr:
        return sympy.Mul(*(value(f) for f in self.factors))

    def _latex(self, printer: Any) -> str:
        return r" \cdot ".join(_wrapped(f, printer) for f in self.factors)

    def _sympystr(self, printer: Any) -> str:
        return "·".join(_wrapped(f, printer) for f in self.factors)


@dataclass(frozen=True)
class Power(Expansion):
    """``base^exponent`` with the base bracketed when needed: ``(-2)^2``."""

    base: Any
    exponent: int

    def value(self) -> sympy.Expr:
        return value(self.base) ** self.exponent

    def _bare(self) -> bool:
        base = self.base
        return not isinstance(base, Expansion) and (
            sympy.sympify(base, strict=True).is_Symbol or (sympy.sympify(base, strict=True).is_Integer and base >= 0))

    def _latex(self, printer: Any) -> str:
        base = printer._print(self.base)
        if not self._bare():
            base = r"\left(" + base + r"\right)"
        return base + "^{" + str(self.exponent) + "}"

    def _sympystr(self, printer: Any) -> str:
        base = printer._print(self.base)
        return (base if self._bare() else "(" + base + ")") + "^" + str(self.exponent)


@dataclass(frozen=True)
class Abs(Expansion):
    """``|x|`` before the absolute value is taken."""

    term: Any

    def value(self) -> sympy.Expr:
        return sympy.Abs(value(self.term))

    def _latex(self, printer: Any) -> str:
        return r"\left|" + printer._print(self.term) + r"\right|"

    def _sympystr(self, printer: Any) -> str:
        return "|" + printer._print(self.term) + "|"


@dataclass(frozen=True)
class Sqrt(Expansion):
    """``sqrt(...)`` of an expansion."""

    term: Any

    def value(self) -> sympy.Expr:
        return sympy.sqrt(value(self.term))

    def _latex(self, printer: Any) -> str:
        return r"\sqrt{" + printer._print(self.term) + "}"

    def _sympystr(self, printer: Any) -> str:
        return "√(" + printer._print(self.term) + ")"  # the page's root, as the text dialect writes √2


@dataclass(frozen=True)
class Max(Expansion):
    """``max{t_1, t_2, ...}``."""

    terms: tuple[Any, ...]

    def value(self) -> sympy.Expr:
        return sympy.Max(*(value(t) for t in self.terms))

    def _latex(self, printer: Any) -> str:
        return r"\max\left\{" + ", ".join(printer._print(t) for t in self.terms) + r"\right\}"

    def _sympystr(self, printer: Any) -> str:
        return "max(" + ", ".join(printer._print(t) for t in self.terms) + ")"


@dataclass(frozen=True)
class Fraction(Expansion):
    """``numerator / denominator`` as a fraction bar, before it is reduced."""

    numerator: Any
    denominator: Any

    def value(self) -> sympy.Expr:
        return value(self.numerator) / value(self.denominator)

    def _latex(self, printer: Any) -> str:
        return r"\frac{" + printer._print(self.numerator) + "}{" + printer._print(self.denominator) + "}"

    def _sympystr(self, printer: Any) -> str:
        return _wrapped(self.numerator, printer) + "/" + _wrapped(self.denominator, printer)


@dataclass(frozen=True)
class Scaled(Expansion):
    """``c v``: a scalar times a vector (or number), the scalar bracketed when negative."""

    scalar: Any
    vector: Any

    def value(self) -> sympy.Expr:
        return value(self.scalar) * value(self.vector)

    def _latex(self, printer: Any) -> str:
        return _wrapped(self.scalar, printer) + " " + printer._print(self.vector)

    def _sympystr(self, printer: Any) -> str:
        return _wrapped(self.scalar, printer) + "·" + printer._print(self.vector)


@dataclass(frozen=True)
class Equalities(Expansion):
    """``a = b = c``: the same quantity in successive forms; ``None`` and a form printed
    exactly like the one before it are left out, so no line reads ``sqrt(14) = sqrt(14)``."""

    forms: tuple[Any, ...]

    def value(self) -> sympy.Expr:
        return value(self.forms[-1])

    def _joined(self, printer: Any) -> str:
        texts: list[str] = []
        for form in self.forms:
            if form is None:
                continue
            text = printer._print(form)
            if not texts or texts[-1] != text:
                texts.append(text)
        return " = ".join(texts)

    _latex = _joined
    _sympystr = _joined


def dot(x: sympy.MatrixBase, y: sympy.MatrixBase) -> Sum:
    """``x_1 y_1 + x_2 y_2 + ...`` written out (the dot product of two columns)."""
    return Sum(tuple(Product((a, b)) for a, b in zip(x, y)))
