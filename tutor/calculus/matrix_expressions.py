"""Matrix expressions as the matrix-calculus kind writes them, and their explicit values.

sympy's ``+`` and ``*`` on matrix expressions call ``doit()``, which expands
``(Ax - b)^T`` into ``x^T A^T - b^T`` and so loses the shape of the formula a
student wrote.  The builders here (:func:`add`, :func:`mul`, :func:`transpose`)
make unevaluated ``MatAdd``/``MatMul``/``Transpose`` nodes instead, dropping only
zeros, identities and double transposes, and gathering numbers in front.

:class:`Named` prints vectors and matrices bold in LaTeX (MML's convention) and
Greek names as letters in plain text; :class:`SquaredNorm` keeps ``‖e‖²`` and
:class:`KeptTrace` ``tr(M)`` as written (sympy's ``Trace`` is a scalar, not the 1 x 1
matrix expression the products and sums here are made of); :class:`KeptDet` ``det(M)`` and
:class:`KeptLogDet` ``log det(M)`` likewise, :class:`KeptInverse` ``M⁻¹`` (``(M⁻¹)ᵀ`` printed
``M^{-T}``), and :class:`DetFactor` is det(M) as a number in front of a matrix
(``det(X) X^{-T}``, MML (5.101)).

:func:`explicit` is the independent side of every check: it turns a matrix
expression into an explicit sympy ``Matrix`` for concrete sizes and entries.
"""
from __future__ import annotations

from typing import Mapping

import sympy
from sympy import Identity, MatAdd, MatMul, MatrixExpr, MatrixSymbol, Transpose, ZeroMatrix
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

def dimension(name: str) -> sympy.Symbol:
    """A symbolic size such as n in x ∈ R^n."""
    return sympy.Symbol(name, integer=True, positive=True)


def _plain(printer: object) -> bool:
    """True for the tutor's text printer (a StrPrinter subclass), False for ``str()``:
    the answer string stays sympy's (``theta``, ``.T``), the text output reads ``θ``, ``ᵀ``."""
    return isinstance(printer, StrPrinter) and type(printer) is not StrPrinter


class Named(MatrixSymbol):
    """A vector (lower-case name, n x 1) or a matrix (upper-case name)."""

    def _latex(self, printer: object) -> str:
        return r"\boldsymbol{%s}" % sympy.latex(sympy.Symbol(self.name))

    def _sympystr(self, printer: object) -> str:
        return pretty_symbol(self.name) if _plain(printer) else self.name


class KeptTranspose(Transpose):
    """A transpose kept as written: ``(Ax - b)^T`` is not expanded; (X⁻¹)ᵀ is written X^{-T}."""

    def _latex(self, printer: object) -> str:
        if isinstance(self.arg, KeptInverse):
            return self.arg.body_latex(printer) + r"^{-\top}"
        body = printer._print(self.arg)
        return (body if isinstance(self.arg, MatrixSymbol) else r"\left(%s\right)" % body) + r"^{\top}"

    def _sympystr(self, printer: object) -> str:
        if isinstance(self.arg, KeptInverse):
            body = printer.parenthesize(self.arg.arg, sympy.printing.precedence.PRECEDENCE["Pow"])
            return body + ("⁻ᵀ" if _plain(printer) else ".T**(-1)")
        body = printer.parenthesize(self.arg, sympy.printing.precedence.PRECEDENCE["Pow"])
        return body + ("ᵀ" if _plain(printer) else ".T")


class KeptInverse(MatrixExpr):
    """M⁻¹ of a square matrix expression M, kept as written."""

    def __new__(cls, arg: MatrixExpr) -> "KeptInverse":
        return super().__new__(cls, arg)

    @property
    def arg(self) -> MatrixExpr:
        return self.args[0]

    @property
    def shape(self) -> tuple[sympy.Expr, sympy.Expr]:
        return self.arg.shape

    def doit(self, **hints: object) -> sympy.Basic:
        """The inverse of an explicit matrix (a value substituted for the name)."""
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        return arg.inv() if isinstance(arg, sympy.MatrixBase) else KeptInverse(arg)

    def body_latex(self, printer: object) -> str:
        body = printer._print(self.arg)
        return body if isinstance(self.arg, MatrixSymbol) else r"\left(%s\right)" % body

    def _latex(self, printer: object) -> str:
        return self.body_latex(printer) + "^{-1}"

    def _sympystr(self, printer: object) -> str:
        body = printer.parenthesize(self.arg, sympy.printing.precedence.PRECEDENCE["Pow"])
        return body + ("⁻¹" if _plain(printer) else "**(-1)")


class KeptSum(MatAdd):
    """A sum printed in the order it was built (sympy's printers sort the terms of a sum,
    which turns y - Φθ into -Φθ + y)."""

    def _terms(self, printer: object) -> str:
        out = ""
        for k, term in enumerate(self.args):
            text = printer._print(term).strip()
            if k == 0:
                out = text
            elif text.startswith("-"):
                out += " - " + text[1:].lstrip()
            else:
                out += " + " + text
        return out

    _latex = _terms
    _sympystr = _terms


class _ScalarOf(MatrixExpr):
    """A 1 x 1 matrix expression of one matrix expression (its ``arg``)."""

    def __new__(cls, arg: MatrixExpr) -> "_ScalarOf":
        return super().__new__(cls, arg)

    @property
    def arg(self) -> MatrixExpr:
        return self.args[0]

    @property
    def shape(self) -> tuple[int, int]:
        return (sympy.S.One, sympy.S.One)


class SquaredNorm(_ScalarOf):
    """‖e‖² = eᵀe for a column vector e: a 1 x 1 matrix expression."""

    def _latex(self, printer: object) -> str:
        return r"\left\| %s \right\|^{2}" % printer._print(self.arg)

    def _sympystr(self, printer: object) -> str:
        body = printer._print(self.arg)
        return f"‖{body}‖²" if _plain(printer) else f"||{body}||**2"


class KeptTrace(_ScalarOf):
    """tr(M) of a square matrix expression M: a 1 x 1 matrix expression."""

    kept_trace = True  # the templates write ∂tr(M)/∂X without extra parentheses

    def _latex(self, printer: object) -> str:
        return r"\operatorname{tr}\left(%s\right)" % printer._print(self.arg)

    def _sympystr(self, printer: object) -> str:
        return f"tr({printer._print(self.arg)})"


class KeptDet(_ScalarOf):
    """det(M) of a square matrix expression M: a 1 x 1 matrix expression."""

    kept_trace = True  # written ∂det(M)/∂X without extra parentheses, as a trace is

    def _latex(self, printer: object) -> str:
        return r"\det\left(%s\right)" % printer._print(self.arg)

    def _sympystr(self, printer: object) -> str:
        return f"det({printer._print(self.arg)})"


class KeptLogDet(_ScalarOf):
    """log det(M) of a square matrix expression M: a 1 x 1 matrix expression."""

    kept_trace = True

    def _latex(self, printer: object) -> str:
        return r"\log\det\left(%s\right)" % printer._print(self.arg)

    def _sympystr(self, printer: object) -> str:
        body = printer._print(self.arg)
        return f"log det({body})" if _plain(printer) else f"log(det({body}))"


class DetFactor(sympy.Determinant):
    """det(M) as a number: the factor in front of det(X) X^{-T}."""

    def _latex(self, printer: object) -> str:
        return r"\det\left(%s\right)" % printer._print(self.arg)

    def _sympystr(self, printer: object) -> str:
        return f"det({printer._print(self.arg)})"


class Constant(MatrixExpr):
    """A number as a 1 x 1 matrix expression (the 3 in xᵀx + 3), printed as the number."""

    def __new__(cls, value: sympy.Expr) -> "Constant":
        return super().__new__(cls, sympy.sympify(value))

    @property
    def value(self) -> sympy.Expr:
        return self.args[0]

    @property
    def shape(self) -> tuple[int, int]:
        return (sympy.S.One, sympy.S.One)

    def _latex(self, printer: object) -> str:
        return printer._print(self.value)

    def _sympystr(self, printer: object) -> str:
        return printer._print(self.value)


# ---------------------------------------------------------------- builders

def is_zero(e: MatrixExpr) -> bool:
    return isinstance(e, ZeroMatrix)


def add(*terms: MatrixExpr) -> MatrixExpr:
    """The unevaluated sum of the nonzero ``terms`` (flattened); a zero matrix if none."""
    flat: list[MatrixExpr] = []
    for t in terms:
        flat += list(t.args) if isinstance(t, MatAdd) else [t]
    kept = [t for t in flat if not is_zero(t)]
    if not kept:
        return ZeroMatrix(*terms[0].shape)
    return kept[0] if len(kept) == 1 else KeptSum(*kept)


def mul(*factors: sympy.Basic) -> MatrixExpr:
    """The unevaluated product: numbers gathered in front, identities dropped, zero if a
    factor is zero (with the product's shape)."""
    matrices = [f for f in factors if isinstance(f, MatrixExpr)]
    coefficient = sympy.Mul(*(f for f in factors if not isinstance(f, MatrixExpr)))
    flat: list[MatrixExpr] = []
    for f in matrices:
        if isinstance(f, MatMul):
            c, rest = _split(f)
            coefficient *= c
            flat += rest
        else:
            flat.append(f)
    shape = (flat[0].rows, flat[-1].cols)
    if coefficient == 0 or any(is_zero(f) for f in flat):
        return ZeroMatrix(*shape)
    kept = [f for f in flat if not isinstance(f, Identity)] or [Identity(shape[0])]
    if coefficient == 1:
        return kept[0] if len(kept) == 1 else MatMul(*kept)
    return MatMul(coefficient, *kept)


def _split(product: MatMul) -> tuple[sympy.Expr, list[MatrixExpr]]:
    """A ``MatMul``'s number in front and its matrix factors."""
    numbers = [a for a in product.args if not isinstance(a, MatrixExpr)]
    return sympy.Mul(*numbers), [a for a in product.args if isinstance(a, MatrixExpr)]


def transpose(e: MatrixExpr) -> MatrixExpr:
    """eᵀ kept as written (a sum stays (Ax - b)ᵀ); (eᵀ)ᵀ = e, Iᵀ = I, 0ᵀ = 0,
    (c M)ᵀ = c Mᵀ and (A B)ᵀ = Bᵀ Aᵀ (so that products read as in MML)."""
    if isinstance(e, Transpose):
        return e.arg
    if isinstance(e, (Identity, ZeroMatrix)):
        return e.T
    if isinstance(e, MatMul):
        c, rest = _split(e)
        if c != 1:
            return mul(c, transpose(mul(*rest)))
        if len(rest) > 1:
            return mul(*(transpose(f) for f in reversed(rest)))
    return KeptTranspose(e)


def negate(e: MatrixExpr) -> MatrixExpr:
    return mul(-1, e)


# ---------------------------------------------------------------- explicit values

def explicit(e: sympy.Basic, values: Mapping[str, sympy.Matrix],
             sizes: Mapping[sympy.Symbol, int]) -> sympy.Matrix:
    """``e`` as an explicit matrix: each name replaced by ``values[name]``, each symbolic
    size by ``sizes[...]``.  Only the node types of this module and sympy's are read."""
    if isinstance(e, MatrixSymbol):
        return sympy.Matrix(values[e.name])
    if isinstance(e, Constant):
        return sympy.Matrix([[_number(e.value, values, sizes)]])
    if isinstance(e, SquaredNorm):
        v = explicit(e.arg, values, sizes)
        return v.T * v
    if isinstance(e, KeptTrace):
        return sympy.Matrix([[explicit(e.arg, values, sizes).trace()]])
    if isinstance(e, KeptDet):
        return sympy.Matrix([[explicit(e.arg, values, sizes).det()]])
    if isinstance(e, KeptLogDet):
        return sympy.Matrix([[sympy.log(explicit(e.arg, values, sizes).det())]])
    if isinstance(e, KeptInverse):
        M = explicit(e.arg, values, sizes)
        return M.adjugate() / M.det()
    if isinstance(e, Transpose):
        return explicit(e.arg, values, sizes).T
    if isinstance(e, MatAdd):
        parts = [explicit(a, values, sizes) for a in e.args]
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return total
    if isinstance(e, MatMul):
        out: sympy.Basic = sympy.S.One
        for a in e.args:
            out = out * (explicit(a, values, sizes) if isinstance(a, MatrixExpr) else _number(a, values, sizes))
        return sympy.Matrix(out)
    if isinstance(e, Identity):
        return sympy.eye(int(sympy.sympify(e.rows).subs(sizes)))
    if isinstance(e, ZeroMatrix):
        return sympy.zeros(*(int(sympy.sympify(d).subs(sizes)) for d in e.shape))
    raise TypeError(f"cannot evaluate {type(e).__name__}")


def _number(c: sympy.Expr, values: Mapping[str, sympy.Matrix], sizes: Mapping[sympy.Symbol, int]) -> sympy.Expr:
    """A coefficient with each det(M) in it computed."""
    return c.xreplace({d: explicit(d.arg, values, sizes).det() for d in c.atoms(DetFactor)})
