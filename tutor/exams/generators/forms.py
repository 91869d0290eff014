"""A typed answer written out as a student would type it, plain or LaTeX.

Used to re-check a drawn variant (its own answer, typed in several forms, must pass
the checker), and by exam exports that need the answer as text (Moodle).
"""
from __future__ import annotations

from typing import Any, Callable

import sympy

from tutor.core import answers as A
from tutor.exams.generators.nice import expr_text

FORMS = ("plain", "latex")


def _x(e: Any, form: str) -> str:
    return sympy.latex(e) if form == "latex" else expr_text(e)


def _matrix(M: Any, form: str) -> str:
    M = sympy.Matrix(M)
    if form == "latex":
        body = r"\\".join(" & ".join(sympy.latex(e) for e in M.row(i)) for i in range(M.rows))
        return r"\begin{pmatrix}" + body + r"\end{pmatrix}"
    return "[" + ", ".join("[" + ", ".join(expr_text(e) for e in M.row(i)) + "]"
                           for i in range(M.rows)) + "]"


def _tuple(v: Any, form: str) -> str:
    return "(" + ", ".join(_x(e, form) for e in v) + ")"


def _vector(v: Any, form: str) -> str:
    return _matrix(sympy.Matrix(v), form) if form == "latex" else _tuple(v, form)


_PARAMS = ("t", "s", "r", "u", "v")


def _solution_set(a: A.SolutionSetAnswer, form: str) -> str:
    if a.particular is None:
        return "no solution"
    text = _tuple(a.variables, form) + " = " + _tuple(a.particular, form)
    for name, d in zip(_PARAMS, a.directions):
        text += f" + {name}" + _tuple(d, form)
    return text


def _basis(a: A.BasisAnswer, form: str) -> str:
    if not a.vectors:
        return "{0}"  # the zero subspace (says_none reads it)
    inner = ", ".join(_tuple(v, form) for v in a.vectors)
    return r"\operatorname{span}\{" + inner + r"\}" if form == "latex" else "span{" + inner + "}"


def _eigen(a: A.EigenAnswer, form: str) -> str:
    lam = r"\lambda" if form == "latex" else "λ"
    parts = []
    for e in a.eigenvalues:
        mult = f" (multiplicity {e.algebraic_multiplicity})" if e.algebraic_multiplicity > 1 else ""
        parts.append(f"{lam} = {_x(e.value, form)}{mult}: " + ", ".join(_tuple(b, form) for b in e.basis))
    return "; ".join(parts)


def _diagonalization(a: A.DiagonalizationAnswer, form: str) -> str:
    if not a.diagonalizable:
        return "not diagonalizable"
    return f"P = {_matrix(a.P, form)}, D = {_matrix(a.D, form)}"


def _svd(a: A.SVDAnswer, form: str) -> str:
    return f"U = {_matrix(a.U, form)}, S = {_matrix(a.S, form)}, V = {_matrix(a.V, form)}"


def _distribution(a: A.DistributionAnswer, form: str) -> str:
    return ", ".join(f"{_x(v, form)}: {_x(p, form)}" for v, p in zip(a.values, a.probabilities))


def _value(v: Any, form: str) -> str:
    """A number or expression, or a vector/matrix (sample statistics of 2-D data)."""
    if isinstance(v, sympy.MatrixBase):
        return _vector(v, form) if v.cols == 1 else _matrix(v, form)
    return _x(v, form)


def _moments(a: A.MomentsAnswer, form: str) -> str:
    return f"E[X] = {_value(a.mean, form)}, V[X] = {_value(a.variance, form)}"


def _gaussian(a: A.GaussianAnswer, form: str) -> str:
    return f"mean = {_matrix(a.mean, form)}, cov = {_matrix(a.cov, form)}"


def _gradients(a: A.GradientsAnswer, form: str) -> str:
    return "; ".join(f"{name} = {_matrix(v, form)}" for name, v in a.values.items())


_WRITERS: dict[type, Callable[[Any, str], str]] = {
    A.ExpressionAnswer: lambda a, f: _x(a.value, f),
    A.MatrixAnswer: lambda a, f: _matrix(a.value, f),
    A.VectorAnswer: lambda a, f: _vector(a.value, f),
    A.SolutionSetAnswer: _solution_set,
    A.BasisAnswer: _basis,
    A.BooleanAnswer: lambda a, f: "yes" if a.value else "no",
    A.NoneAnswer: lambda a, f: "does not exist",
    A.EigenAnswer: _eigen,
    A.DiagonalizationAnswer: _diagonalization,
    A.SVDAnswer: _svd,
    A.DistributionAnswer: _distribution,
    A.MomentsAnswer: _moments,
    A.GaussianAnswer: _gaussian,
    A.GradientsAnswer: _gradients,
}


def answer_text(answer: Any, form: str = "plain") -> str | None:
    """The answer as text in ``form`` (``plain`` or ``latex``); None for an unknown answer type."""
    for cls in type(answer).__mro__:
        if cls in _WRITERS:
            return _WRITERS[cls](answer, form)
    return None
