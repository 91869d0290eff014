"""One line of the student's working, checked against the step tree.

The candidates are the values the solution's steps hold (every matrix and every expression
of every step and substep: a row-reduced matrix, the characteristic polynomial, one partial
derivative, E[X²], one δ of backprop), each with the top-level step it belongs to.  A line
is read in the sandbox, like an answer, and compared by value, never as a string:

- equal to a candidate of its type (a matrix to a matrix, a vector to a row or a column, an
  expression to an expression): it matches that step.  A value held by several steps (a
  small number like 2 is everywhere) is given to the student's natural next step: the earliest
  step from where the student is (the last step matched, or reached by the hints), else the
  latest one before it; the other steps holding it are reported too (``also``), never hidden;
- labelled with a quantity the solution names (``df/dy = ...``, ``E[X^2] = ...``, ``Var(X) =
  ...``): judged as that quantity, and a wrong value that is another one (∂f/∂x for ∂f/∂y,
  E[X] or (E[X])² for E[X²], E[X²] for the variance) is named as the first mistake;
- a vector of the length of a gradient: the entries that are wrong are named;
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
    ``mistake`` the first mistake in words; ``parsed`` how the line was read; ``also`` the other
    steps that hold the same value (an honest "this could be step 2 or step 5")."""

    status: str
    step: int = 0
    rule: str = ""
    what: str = ""
    row: int = 0
    mistake: str = ""
    parsed: str = ""
    also: tuple[int, ...] = ()

    @property
    def right(self) -> bool:
        return self.status in ("match", "echelon", "on_track")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"right": self.right}


def candidates(solution: Solution) -> list[Candidate]:
    """Every matrix and expression the steps hold, in the order of the solution (not a bare
    variable: ``x`` is the name a step differentiates by, never a line of working)."""
    found: list[Candidate] = []
    seen: set[Any] = set()
    for number, top in enumerate(solution.steps, 1):
        for step in top.walk():
            for f in dataclasses.fields(step):
                if f.name == "substeps":
                    continue
                value = getattr(step, f.name)
                for item in value if isinstance(value, (tuple, list)) else (value,):
                    if isinstance(item, (sympy.MatrixBase, sympy.Expr)) and not isinstance(item, sympy.Symbol):
                        key = (f.name == "before" and step.rule == REDUCTION,
                               isinstance(value, (tuple, list)), item)
                        if key not in seen:
                            seen.add(key)
                            found.append(Candidate(number, step.rule, f.name, item,
                                                   isinstance(value, (tuple, list))))
    return sorted(found, key=lambda c: c.listed)  # stable: the solution's order within each


@dataclass(frozen=True)
class Named:
    """A quantity the solution names, for a line that says what it is (``E[X^2] = 13/3``):
    how it is written (``title``), the labels a student may give it (normalized by
    :func:`_label`), its value and step, and the values it is confused with, each with the
    words that name the confusion."""

    title: str
    labels: tuple[str, ...]
    value: Any
    step: int
    rule: str
    field: str
    lookalikes: tuple[tuple[Any, str], ...] = ()


@dataclass(frozen=True)
class Gradient:
    """A gradient of the solution (a 1 × n Jacobian), and its value at the point if the
    solution evaluates it: a vector line of length n is checked entry by entry."""

    step: int
    titles: tuple[str, ...]
    symbolic: Any
    evaluated: Any = None
    evaluated_step: int = 0


def _moments(number: int, step: Any) -> list[Named]:
    q = str(step.quantity).replace("**", "^").replace(" ", "")
    y = q if len(q) == 1 else f"({q})"
    mean, second, variance = step.mean, step.second, step.result
    e1, e2, var = f"E[{q}]", f"E[{y}²]", f"Var({q})"
    return [
        Named(e1, (f"e[{q}]", "e[g(x)]", "e[y]", "μ", "mu", "mean"), mean, number, step.rule, "mean",
              ((second, f"this is {e2}, not {e1}"),)),
        Named(e2, (f"e[{y}^2]", "e[g(x)^2]", "e[y^2]"), second, number, step.rule,
              "second", ((mean, f"this is {e1}, not {e2}"),
                         (mean ** 2, f"this is ({e1})², not {e2}: square each value first, then weight it "
                                     "by its probability"))),
        Named(var, (f"var[{q}]", f"v[{q}]", "var[g(x)]", "var[y]", "σ^2", "sigma^2", "variance"), variance,
              number, step.rule, "result",
              ((second, f"this is {e2}; the variance is {e2} − ({e1})²"),
               (second - mean, f"this is {e2} − {e1}: the variance subtracts the square of the mean, ({e1})²"),
               (mean ** 2 - second, f"this is ({e1})² − {e2}: the other way round"),
               (mean, f"this is {e1}, not the variance"))),
    ]


def _gradient_names(number: int, step: Any, partials: dict[str, int]) -> list[Named]:
    entries = list(step.matrix)
    names = [v.name for v in step.variables]
    found = []
    for k, (v, e) in enumerate(zip(names, entries)):
        others = tuple((o, f"this is ∂f/∂{w}, not ∂f/∂{v}") for j, (w, o) in enumerate(zip(names, entries))
                       if j != k)
        found.append(Named(f"∂f/∂{v}", (f"df/d{v}", f"f_{v}", f"d/d{v}", f"d/d{v}f", f"f'_{v}"), e,
                           partials.get(v, number), "calculus.partial" if v in partials else step.rule, "result",
                           others + ((-e, f"∂f/∂{v} with the wrong sign"),)))
    return found


def named(solution: Solution) -> tuple[list[Named], list[Gradient]]:
    """The quantities a line may be labelled with (moments, partial derivatives), and the
    gradients whose entries a vector line is checked against."""
    quantities: list[Named] = []
    gradients: list[Gradient] = []
    partials: dict[str, int] = {}
    for number, top in enumerate(solution.steps, 1):
        for step in top.walk():
            if step.rule == "calculus.partial" and len(step.variables) == 1:
                partials.setdefault(step.variables[0].name, number)
            elif step.rule == "var.formula":
                quantities += _moments(number, step)
            elif step.rule == "calculus.jacobian_matrix" and step.matrix.rows == 1:
                quantities += _gradient_names(number, step, partials)
                gradients.append(Gradient(number, tuple(f"∂f/∂{v.name}" for v in step.variables), step.matrix))
            elif step.rule == "calculus.evaluate" and gradients and isinstance(step.after, sympy.MatrixBase) \
                    and step.after.shape == gradients[-1].symbolic.shape and gradients[-1].evaluated is None:
                gradients[-1] = dataclasses.replace(gradients[-1], evaluated=step.after, evaluated_step=number)
    return quantities, gradients


def check_line(solution: Solution, text: str, at: int = 0) -> LineVerdict:
    """Which step of ``solution`` the line ``text`` matches, or its first mistake (sandboxed).

    ``at`` is the step the student is at (the last one matched, or reached by the hints): of
    the steps holding the line's value, the earliest from there on is chosen."""
    if not isinstance(text, str) or len(text) > reading.MAX_CHARS:
        return LineVerdict("unreadable", mistake=f"a line is text of at most {reading.MAX_CHARS} characters")
    quantities, gradients = named(solution)
    result = run_sandboxed(_line_job, candidates(solution), quantities, gradients, text, at)
    if isinstance(result, Failure):
        return LineVerdict("unreadable", mistake=f"could not be checked: {result.reason}")
    return result


# ---------------------------------------------------------------- in the worker

def _plain(value: Any) -> Any:
    """Symbols by name only (the student's ``x`` is the problem's ``x``, whatever its assumptions)."""
    return value.xreplace({s: sympy.Symbol(s.name) for s in value.free_symbols if isinstance(s, sympy.Symbol)})


def _label(text: str) -> str:
    """A label as a student writes it, normalized: ``\\partial f/\\partial y``, ``∂f/∂y`` and
    ``df / dy`` are one label; ``E(X²)``, ``E[X^2]`` and ``\\mathbb{E}[X^2]`` another."""
    t = text.lower().replace("\\partial", "d").replace("∂", "d").replace("²", "^2").replace("**", "^")
    for word in ("\\mathbb", "\\mathrm", "\\operatorname", "\\left", "\\right", "\\", "{", "}", " "):
        t = t.replace(word, "")
    return t.replace("(", "[").replace(")", "]").replace("\\sigma", "σ").replace("\\mu", "μ")


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


def _line_job(found: list[Candidate], quantities: list[Named], gradients: list[Gradient],
              text: str, at: int = 0) -> LineVerdict:
    try:
        value = _plain(_read(text))
        sides = reading.split_top(reading.prepare(text), ["="])
    except (ParseError, TutorError) as e:
        return LineVerdict("unreadable", mistake=str(e))
    shown = str(value.tolist() if isinstance(value, sympy.MatrixBase) else value)
    parsed = shown.replace("**", "^").replace("lambda", "λ")
    labels = {_label(side) for side in sides[:-1]}
    claimed = next((q for q in quantities if labels & set(map(_label, q.labels))), None)
    verdict = _claimed(claimed, value) if claimed else None
    return dataclasses.replace(verdict or _judge(found, quantities, gradients, value, at), parsed=parsed)


def _claimed(q: Named, value: Any) -> LineVerdict:
    """A line that says which quantity it is: right, a named confusion, or wrong."""
    if _equal(_plain(q.value), value):
        return LineVerdict("match", q.step, q.rule, q.field)
    for other, words in q.lookalikes:
        if _equal(_plain(other), value):
            return LineVerdict("mistake", q.step, q.rule, q.field, mistake=words)
    return LineVerdict("mistake", q.step, q.rule, q.field,
                       mistake=f"this is not {q.title} (step {q.step}): work it out again")


def _typed(reference: Any, value: Any) -> bool:
    """Of one type: both matrices (a vector fits a row or a column) or both expressions; a number
    matches a 1 × 1 matrix only when no value of its own type does."""
    return isinstance(reference, sympy.MatrixBase) == isinstance(value, sympy.MatrixBase)


def _nearest(matches: list[Candidate], at: int) -> list[Candidate]:
    """The matches in the order of preference: the earliest step from ``at`` on, then the
    latest before it; a field of a step before an item of a table."""
    return sorted(matches, key=lambda c: (c.step < at, c.step if c.step >= at else -c.step, c.listed))


def _judge(found: list[Candidate], quantities: list[Named], gradients: list[Gradient], value: Any,
           at: int) -> LineVerdict:
    equal = [c for c in found if _equal(_plain(c.value), value)]
    matches = _nearest([c for c in equal if _typed(c.value, value)] or equal, at)  # 1×1 δ = (10) last
    if matches:
        best = matches[0]
        also = tuple(sorted({c.step for c in matches} - {best.step}))
        return LineVerdict("match", best.step, best.rule, best.field, also=also)
    for g in gradients:
        verdict = _against_gradient(g, value)
        if verdict is not None:
            return verdict
    for q in quantities:  # an unlabelled confusion: (E[X])² where E[X²] was meant
        for other, words in q.lookalikes:
            if not isinstance(value, sympy.MatrixBase) and _equal(_plain(other), value) \
                    and not any(_equal(_plain(p.value), value) for p in quantities):
                return LineVerdict("mistake", q.step, q.rule, q.field, mistake=words)
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


def _against_gradient(g: Gradient, value: Any) -> LineVerdict | None:
    """A vector of the gradient's length: the entries that differ from the gradient (or from
    its value at the point, when the line has no variables)."""
    if not isinstance(value, sympy.MatrixBase) or 1 not in value.shape or len(value) != len(g.titles):
        return None
    symbolic = bool(value.free_symbols) or g.evaluated is None
    reference, step = (g.symbolic, g.step) if symbolic else (g.evaluated, g.evaluated_step)
    wrong = [k for k in range(len(value)) if not _equal(_plain(reference[k]), value[k])]
    if not wrong:
        return None
    which = ", ".join(f"{k + 1} ({g.titles[k]})" for k in wrong)
    right = len(value) - len(wrong)
    return LineVerdict("mistake", step, "calculus.jacobian_matrix" if symbolic else "calculus.evaluate",
                       "matrix" if symbolic else "after", row=wrong[0] + 1,
                       mistake=f"{'entries' if len(wrong) > 1 else 'entry'} {which} of the gradient"
                               f"{' at the point' if not symbolic else ''} "
                               f"{'are' if len(wrong) > 1 else 'is'} not right"
                               f"{'; the other ' + ('entry is' if right == 1 else 'entries are') + ' right' if right else ''}")


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
