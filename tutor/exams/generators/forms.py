"""A typed answer written out as a student would type it, plain or LaTeX.

Used to re-check a drawn variant (its own answer, typed in several forms, must pass
the checker), and by exam exports that need the answer as text (Moodle).
"""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy

from tutor.core import answers as A
from tutor.exams.generators.nice import expr_text

FORMS = ("plain", "latex")


def _x(e: Any, form: str) -> str:
    if form == "latex":
        return sympy.latex(e)
    if isinstance(e, sympy.MatrixExpr):  # x^T (A + A^T), as typed: sympy's str is x.T*(A + A.T)
        return re.sub(r"\.T\b", "^T", sympy.sstr(e)).replace("*", " ")
    return expr_text(e)


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


def _projection(a: A.ProjectionAnswer, form: str) -> str:
    label = r"\pi_U(x)" if form == "latex" else "π_U(x)"
    return f"{label} = {_vector(a.value, form)}, d = {_x(a.distance, form)}"


def _solution_set(a: A.SolutionSetAnswer, form: str) -> str:
    if a.particular is None:
        return "no solution"
    text = _tuple(a.variables, form) + " = " + _tuple(a.particular, form)
    for name, d in zip(_PARAMS, a.directions):
        text += f" + {name}" + _tuple(d, form)
    return text


def _cases(a: A.CasesAnswer, form: str) -> str:
    """``a = 1: ...; a = -1: no solution; otherwise: ...`` (:mod:`tutor.checking.grading.cases`);
    a value with its own cases on a second parameter: ``a = 1 and b = 1: ...; a = 1: ...``."""
    parts = []
    for v, case in a.cases:
        head = f"{a.parameter} = {_x(v, form)}"
        if isinstance(case, A.CasesAnswer):
            parts += [f"{head} and {case.parameter} = {_x(w, form)}: {answer_text(inner, form)}"
                      for w, inner in case.cases]
            case = case.generic
        parts.append(f"{head}: {answer_text(case, form)}")
    return "; ".join(parts + [f"otherwise: {answer_text(a.generic, form)}"])


def _basis(a: A.BasisAnswer, form: str) -> str:
    if not a.vectors:
        return "{0}"  # the zero subspace (says_none reads it)
    inner = ", ".join(_tuple(v, form) for v in a.vectors)
    return r"\operatorname{span}\{" + inner + r"\}" if form == "latex" else "span{" + inner + "}"


def _boolean(a: A.BooleanAnswer, form: str) -> str:
    """yes/no; a dependency relation as the witness: ``no, 2v_1 - v_2 = 0``."""
    if a.value or not a.relation:
        return "yes" if a.value else "no"
    combo = sum((c * sympy.Symbol(f"v_{i + 1}") for i, c in enumerate(a.relation)), sympy.S.Zero)
    return f"no, {_x(combo, form)} = 0"


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
    constant = getattr(a, "constant", None)  # c N(x | mean, cov): a product of densities
    return f"mean = {_matrix(a.mean, form)}, cov = {_matrix(a.cov, form)}" + \
        (f", c = {_x(constant, form)}" if constant is not None else "")


def _gradients(a: A.GradientsAnswer, form: str) -> str:
    return "; ".join(f"{name} = {_matrix(v, form)}" for name, v in a.values.items())


def _points(a: A.PointsAnswer, form: str) -> str:
    return "; ".join(f"{_tuple(p.point, form)} {p.nature}" for p in a.points) or "none"


def _iterates(a: A.IteratesAnswer, form: str) -> str:
    return "; ".join(_vector(p, form) for p in a.points)


def _program(a: A.ProgramAnswer, form: str) -> str:
    dual = "dual" if a.kind == "lp" else "multipliers"
    return f"x = {_vector(a.x, form)}; value = {_x(a.value, form)}; {dual} = {_vector(a.multipliers, form)}"


def _estimate(a: A.EstimateAnswer, form: str) -> str:
    values = ", ".join(f"{k.replace('**', '^')} = {_x(v, form)}" for k, v in a.values.items())
    return values if a.posterior is None else f"{values}, posterior = {a.posterior}"


def _pca(a: A.PCAAnswer, form: str) -> str:
    rows = sympy.Matrix.hstack(*a.components).T
    return f"components = {_matrix(rows, form)}, codes = {_matrix(a.codes, form)}"


def _decimal(v: Any, form: str) -> str:
    """A decimal as the JSON writes it, its exponent as a student types one (``5.528*10^(-4)``)."""
    if not isinstance(v, sympy.Float):
        return _x(v, form)
    mantissa, _, exponent = A.decimal_text(v).partition("e")
    if not exponent:
        return mantissa
    return f"{mantissa} \\cdot 10^{{{int(exponent)}}}" if form == "latex" else f"{mantissa}*10^({int(exponent)})"


def _gmm(a: A.GMMAnswer, form: str) -> str:
    return ", ".join(f"{name} = (" + ", ".join(_decimal(v, form) for v in values) + ")"
                     for name, values in (("weights", a.weights), ("means", a.means), ("variances", a.variances)))


def _svm(a: A.SVMAnswer, form: str) -> str:
    w = "" if a.w is None else f"w = {_tuple(a.w, form)}, "
    return w + f"b = {_x(a.b, form)}, support = {{" + ", ".join(str(n + 1) for n in a.support) + "}"


_WRITERS: dict[type, Callable[[Any, str], str]] = {
    A.ExpressionAnswer: lambda a, f: _x(a.value, f),
    A.MatrixAnswer: lambda a, f: _matrix(a.value, f),
    A.VectorAnswer: lambda a, f: _vector(a.value, f),
    A.ProjectionAnswer: _projection,
    A.SolutionSetAnswer: _solution_set,
    A.CasesAnswer: _cases,
    A.BasisAnswer: _basis,
    A.BooleanAnswer: lambda a, f: _boolean(a, f),
    A.NoneAnswer: lambda a, f: "does not exist",
    A.EigenAnswer: _eigen,
    A.DiagonalizationAnswer: _diagonalization,
    A.SVDAnswer: _svd,
    A.DistributionAnswer: _distribution,
    A.MomentsAnswer: _moments,
    A.GaussianAnswer: _gaussian,
    A.GradientsAnswer: _gradients,
    A.PointsAnswer: _points,
    A.IteratesAnswer: _iterates,
    A.ConvexityAnswer: lambda a, f: a.value,
    A.ProgramAnswer: _program,
    A.EstimateAnswer: _estimate,
    A.PCAAnswer: _pca,
    A.GMMAnswer: _gmm,
    A.SVMAnswer: _svm,
}


def answer_text(answer: Any, form: str = "plain") -> str | None:
    """The answer as text in ``form`` (``plain`` or ``latex``); None for an unknown answer type."""
    for cls in type(answer).__mro__:
        if cls in _WRITERS:
            return _WRITERS[cls](answer, form)
    return None
