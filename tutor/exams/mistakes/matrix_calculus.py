"""Mistakes of gradients in matrix notation (MML 5.5): the layout (the transpose of the
numerator-layout row), a square matrix taken as symmetric (Aᵀ read as A: 2xᵀA for xᵀ(A + Aᵀ)),
and one term of the product rule of a quadratic form left out (xᵀA, or xᵀ for 2xᵀ)."""
from __future__ import annotations

from typing import Any

from sympy import MatrixSymbol, Transpose

from tutor.calculus.matrix_derivatives import _Engine
from tutor.calculus.matrix_expressions import mul, transpose
from tutor.core import answers as A
from tutor.exams.mistakes.registry import mistakes


class _OneTerm(_Engine):
    """The engine with the product rule of uᵀBu cut to the term uᵀB ∂u/∂x (the term
    (Bu)ᵀ ∂u/∂x left out)."""

    def bilinear(self, expr: Any, u: Any, B: Any, v: Any) -> Any:
        if u != v:
            return super().bilinear(expr, u, B, v)
        half = mul(transpose(u), B) if B is not None else transpose(u)
        if u == self.x:
            return self.step(expr, half, "x_T_B_a" if B is not None else "x_T_a")
        sub = self.derive(u)
        return self.step(expr, mul(half, sub.result), "linear_form_left", substeps=(sub,))


def _one_term(inputs: dict[str, Any], key: A.ExpressionAnswer) -> A.Answer | None:
    if isinstance(inputs["wrt"], MatrixSymbol) and not inputs["wrt"].name[0].islower():
        return None  # a trace by a matrix: another engine
    return A.ExpressionAnswer(_OneTerm(inputs["wrt"]).derive(inputs["function"]).result)


def _symmetric(inputs: dict[str, Any], key: A.ExpressionAnswer) -> A.Answer:
    """Every Aᵀ of a square A in the key read as A (A + A collected: 2A)."""
    square = {t: t.arg for t in key.value.atoms(Transpose)
              if isinstance(t.arg, MatrixSymbol) and t.arg.shape[0] == t.arg.shape[1]}
    return A.ExpressionAnswer(key.value.xreplace(square).doit() if square else key.value)


mistakes("matrix_gradient",
         ("the transpose (a column: the denominator layout)", lambda i, k: A.ExpressionAnswer(transpose(k.value))),
         ("a square matrix taken as symmetric (A^T read as A)", _symmetric),
         ("one term of the product rule left out (x^T A for x^T (A + A^T), x^T for 2 x^T)", _one_term))
