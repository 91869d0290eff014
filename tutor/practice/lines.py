"""One line of the student's working, checked against the step tree.

The candidates are the values the solution's steps hold (every matrix and every expression
of every step and substep: a row-reduced matrix, the characteristic polynomial, one partial
derivative, E[X²], one δ of backprop), each with the top-level step it belongs to.  A line
is read in the sandbox, like an answer, and compared by value, never as a string:

- equal to a candidate: it matches that step (the first in the order of the solution);
- a matrix of the shape of a matrix that is row-reduced in the solution: right when it is
  row-equivalent to it (same reduced echelon form) and in echelon form; row-equivalent but
  not in echelon form is right so far; otherwise the first row that is not a combination of
  the original rows is named as the mistake;
- a polynomial of the degree of one in the solution, in the same variable: the coefficients
  that differ are named;
- otherwise: it matches no step.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sympy

from tutor.checking.check import run_sandboxed
from tutor.checking.grading import reading
from tutor.checking.sandbox import Failure
from tutor.core.errors import ParseError, TutorError
from tutor.core.steps import Solution
from tutor.core.symcheck import same

#: the rule whose ``before`` matrix is row-reduced
REDUCTION = "row.reduction"


@dataclass(frozen=True)
class Candidate:
    """A value held by a step: the top-level step (1-based) it belongs to, the rule of the
    step that holds it, the field's name, and the value; ``listed`` when it is one item of a
    list (a table's values): matched only when no value of a field of its own is."""

    step: int
    rule: str
    field: str
    value: Any
    listed: bool = False


@dataclass(frozen=True)
class LineVerdict:
    """``status``: match, echelon, on_track (right so far), mistake, none (no step matched) or
    unreadable; ``step``/``rule``/``what`` name the matching step; ``row`` a row to work on;
    ``mistake`` the first mistake in words; ``parsed`` how the line was read."""

    status: str
    step: int = 0
    rule: str = ""
    what: str = ""
    row: int = 0
    mistake: str = ""
    parsed: str = ""

    @property
    def right(self) -> bool:
        return self.status in ("match", "echelon", "on_track")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"right": self.right}


def candidates(solution: Solution) -> list[Candidate]:
    """Every matrix and expression the steps hold, in the order of the solution."""
    found: list[Candidate] = []
    seen: set[Any] = set()
    for number, top in enumerate(solution.steps, 1):
        for step in top.walk():
            for f in dataclasses.fields(step):
                if f.name == "substeps":
                    continue
                value = getattr(step, f.name)
                for item in value if isinstance(value, (tuple, list)) else (value,):
                    if isinstance(item, (sympy.MatrixBase, sympy.Expr)):
                        key = (f.name == "before" and step.rule == REDUCTION,
                               isinstance(value, (tuple, list)), item)
                        if key not in seen:
                            seen.add(key)
                            found.append(Candidate(number, step.rule, f.name, item,
                                                   isinstance(value, (tuple, list))))
    return sorted(found, key=lambda c: c.listed)  # stable: the solution's order within each


def check_line(solution: Solution, text: str) -> LineVerdict:
    """Which step of ``solution`` the line ``text`` matches, or its first mistake (sandboxed)."""
    if not isinstance(text, str) or len(text) > reading.MAX_CHARS:
        return LineVerdict("unreadable", mistake=f"a line is text of at most {reading.MAX_CHARS} characters")
    result = run_sandboxed(_line_job, candidates(solution), text)
    if isinstance(result, Failure):
        return LineVerdict("unreadable", mistake=f"could not be checked: {result.reason}")
    return result


# ---------------------------------------------------------------- in the worker

def _plain(value: Any) -> Any:
    """Symbols by name only (the student's ``x`` is the problem's ``x``, whatever its assumptions)."""
    return value.xreplace({s: sympy.Symbol(s.name) for s in value.free_symbols if isinstance(s, sympy.Symbol)})


def _read(text: str) -> Any:
    text = reading.unwrap(reading.value_side(reading.prepare(text)))
    if reading.is_matrix_text(text):
        return reading.matrix(text)
    try:
        return reading.expression(text)
    except ParseError:
        if "," not in text:
            raise
        return reading.vector(text)[0]


def _line_job(found: list[Candidate], text: str) -> LineVerdict:
    try:
        value = _plain(_read(text))
    except (ParseError, TutorError) as e:
        return LineVerdict("unreadable", mistake=str(e))
    shown = str(value.tolist() if isinstance(value, sympy.MatrixBase) else value)
    parsed = shown.replace("**", "^").replace("lambda", "λ")
    return dataclasses.replace(_judge(found, value), parsed=parsed)


def _judge(found: list[Candidate], value: Any) -> LineVerdict:
    for c in found:
        if _equal(_plain(c.value), value):
            return LineVerdict("match", c.step, c.rule, c.field)
    if isinstance(value, sympy.MatrixBase):
        reductions = [c for c in found if c.rule == REDUCTION and c.field == "before"
                      and c.value.shape == value.shape]
        if reductions:  # the one whose row space holds most of the line's rows
            c = max(reductions, key=lambda c: _rows_in_space(_plain(c.value), value))
            return _against_reduction(c, _plain(c.value), value)
    else:
        for c in found:
            verdict = _against_polynomial(c, _plain(c.value), value)
            if verdict is not None:
                return verdict
    return LineVerdict("none")


def _as_matrix(value: Any) -> sympy.Matrix:
    return sympy.Matrix(value) if isinstance(value, sympy.MatrixBase) else sympy.Matrix([[value]])


def _equal(reference: Any, value: Any) -> bool:
    """Equal values; a vector fits a row or a column, a number a 1×1 matrix."""
    a, b = _as_matrix(reference), _as_matrix(value)
    if a.shape != b.shape:
        if 1 not in a.shape or 1 not in b.shape or len(a) != len(b):
            return False
        a, b = a.reshape(len(a), 1), b.reshape(len(b), 1)
    return all(same(x, y) for x, y in zip(a, b))


def _rows_in_space(start: sympy.Matrix, value: sympy.Matrix) -> int:
    rank = start.rank()
    return sum(start.col_join(value[i, :]).rank() == rank for i in range(value.rows))


def _is_echelon(m: sympy.Matrix) -> tuple[bool, int]:
    """Echelon form: each row's leading entry strictly right of the one above, zero rows last;
    else (False, the first row, 1-based, that breaks it)."""
    last = -1
    for i in range(m.rows):
        lead = next((j for j in range(m.cols) if m[i, j] != 0), None)
        if lead is None:
            last = m.cols
            continue
        if lead <= last:
            return False, i + 1
        last = lead
    return True, 0


def _against_reduction(c: Candidate, start: sympy.Matrix, value: sympy.Matrix) -> LineVerdict:
    if start.rref()[0] == value.rref()[0]:
        echelon, row = _is_echelon(value)
        return LineVerdict("echelon" if echelon else "on_track", c.step, c.rule, c.field, row=row)
    rank = start.rank()
    for i in range(value.rows):
        if start.col_join(value[: i + 1, :]).rank() > rank:
            return LineVerdict("mistake", c.step, c.rule, c.field, row=i + 1,
                               mistake=f"row {i + 1} is not a combination of the rows of the matrix "
                                       f"reduced in step {c.step}: a row operation went wrong there")
    return LineVerdict("mistake", c.step, c.rule, c.field,
                       mistake="the rows are combinations of the original rows, but they lose "
                               "some of them: the rank dropped (a row became 0 that should not)")


def _against_polynomial(c: Candidate, reference: Any, value: Any) -> LineVerdict | None:
    """The coefficients that differ, when ``value`` and the candidate are polynomials of the
    same degree > 1 in the same single variable."""
    if isinstance(reference, sympy.MatrixBase) or len(reference.free_symbols) != 1 \
            or reference.free_symbols != value.free_symbols:
        return None
    var = next(iter(reference.free_symbols))
    try:
        p, q = sympy.Poly(reference, var), sympy.Poly(value, var)
    except sympy.PolynomialError:
        return None
    if p.degree() < 2 or p.degree() != q.degree():
        return None
    if q == -p:
        return LineVerdict("match", c.step, c.rule, c.field + " (times −1: det(λI − A) instead of det(A − λI))")
    wrong = [k for k in range(p.degree(), -1, -1) if p.coeff_monomial(var ** k) != q.coeff_monomial(var ** k)]
    name = sympy.pretty(var)
    terms = ", ".join(f"{name}^{k}" if k > 1 else (name if k == 1 else "the constant term") for k in wrong)
    return LineVerdict("mistake", c.step, c.rule, c.field,
                       mistake=f"a polynomial of the right degree, like the {c.field} of step {c.step}, "
                               f"but the coefficients of {terms} are not right")
