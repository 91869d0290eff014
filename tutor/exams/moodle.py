"""Moodle XML that a stock Moodle (no plug-ins) grades right: every question is a Cloze.

Moodle's ``shortanswer`` compares text, so a correct matrix typed with other spacing, or an
eigenvector at another scale, would be marked wrong.  Here every number of an answer is
its own ``NUMERICAL`` blank (``{1:NUMERICAL:=value:tolerance}``), laid out as the vector or
matrix it belongs to, and a yes/no or exists/does-not-exist part is a ``MULTICHOICE``
blank.  Where an answer is not unique (an eigenvector's scale, a kernel basis, the signs
of an SVD), the question states the form the solver itself produces, in the book's
conventions (the Minus-1 trick, integer eigenvectors with positive first nonzero entry,
...), so the key, the worked solution and the blanks agree.

Numbers: a rational with a terminating decimal is exact (tolerance 0); any other value
(1/3, a surd, e^2) is asked to three decimals and accepted within 0.0005 of the exact
value; the question says so.  An answer that still contains variables (a derivative) is
asked as its values at stated points; a polynomial as its coefficients.
"""
from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

import sympy

from tutor.core import answers as A
from tutor.exams import choices
from tutor.exams.generators.forms import answer_text
from tutor.optimization.convexity import VERDICTS
from tutor.rendering import render
from tutor.rendering.canvas import is_picture
from tutor.topics.gaussians import ScaledGaussianAnswer
from tutor.topics.transforms import DensityAnswer

#: accepted distance from the exact value when the decimal does not terminate (three decimals)
TOLERANCE = "0.0005"

#: the points where a symbolic answer is evaluated, tried in turn until every value is real
_POINTS = (sympy.Integer(1), sympy.Integer(2), sympy.Rational(1, 2), sympy.Integer(3), sympy.Integer(-1))

#: characters with a meaning inside a Cloze answer; a backslash quotes them
_CLOZE_SPECIAL = re.compile(r'([\\}#~/"])')


def cloze_escape(text: str) -> str:
    """Quote the characters that end or split a Cloze alternative (``} # ~ / " \\``)."""
    return _CLOZE_SPECIAL.sub(r"\\\1", text)


# ---------------------------------------------------------------- blanks

@dataclass(frozen=True)
class Blank:
    """One gap: a real number (``NUMERICAL``) or a choice whose first option is right."""

    value: sympy.Expr | None = None
    choices: tuple[str, ...] = ()

    def cloze(self) -> str:
        if self.choices:
            right, *wrong = (cloze_escape(c) for c in self.choices)
            return "{1:MULTICHOICE:=" + "~".join([right, *wrong]) + "}"
        number, tolerance = numeral(self.value)
        return f"{{1:NUMERICAL:={number}:{tolerance}}}"


def numeral(value: sympy.Expr) -> tuple[str, str]:
    """The decimal Moodle stores and its tolerance: exact (0) when the decimal terminates."""
    value = sympy.nsimplify(value) if isinstance(value, sympy.Float) else sympy.sympify(value)
    if value.is_Rational:
        q = int(value.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            exact = Decimal(int(value.p)) / Decimal(int(value.q))
            return format(exact.normalize(), "f"), "0"
    number = complex(sympy.N(value, 15))
    if number.imag:
        raise ValueError(f"not a real number: {value}")
    return f"{number.real:.6f}", TOLERANCE


@dataclass(frozen=True)
class Part:
    """A labelled group of blanks: one row for a number or a row vector, a grid for a matrix."""

    label: str  # LaTeX, may be empty
    rows: tuple[tuple[Blank, ...], ...]


def _numbers(label: str, M: Any) -> Part:
    M = sympy.Matrix(M)
    return Part(label, tuple(tuple(Blank(M[i, j]) for j in range(M.cols)) for i in range(M.rows)))


def _number(label: str, value: Any) -> Part:
    return Part(label, ((Blank(sympy.sympify(value)),),))


def _choice(label: str, right: str, *wrong: str) -> Part:
    return Part(label, ((Blank(choices=(right, *wrong)),),))


def _free(answer: A.Answer) -> list[sympy.Symbol]:
    found: set[sympy.Symbol] = set()
    for value in _values(answer):
        found |= sympy.sympify(value).free_symbols
    return sorted(found, key=str)


def _values(answer: A.Answer) -> list[Any]:
    if isinstance(answer, (A.MatrixAnswer, A.VectorAnswer, A.ExpressionAnswer)):
        return [answer.value]
    if isinstance(answer, A.GradientsAnswer):
        return list(answer.values.values())
    return []


@dataclass(frozen=True)
class Form:
    """How a question asks for its answer: the parts of blanks and what the student must know."""

    parts: tuple[Part, ...]
    coefficients_of: str = ""  # LaTeX of the variable whose powers are asked (a polynomial)
    points: tuple[str, ...] = ()  # LaTeX of the points where a symbolic answer is evaluated
    cases_of: str = ""  # LaTeX "a = 2": a parametric system's ordinary value asked after its special ones


def _polynomial(value: sympy.Expr) -> Form | None:
    symbols = sorted(value.free_symbols, key=str)
    if len(symbols) != 1 or not value.is_polynomial(symbols[0]):
        return None
    x = symbols[0]
    coefficients = sympy.Poly(value, x).all_coeffs()
    degree = len(coefficients) - 1
    parts = tuple(_number(_power(x, degree - k), c) for k, c in enumerate(coefficients))
    return Form(parts, coefficients_of=sympy.latex(x))


def _power(x: sympy.Symbol, n: int) -> str:
    return "1" if n == 0 else sympy.latex(x ** n)


def _real_at(values: list[Any], point: dict[sympy.Symbol, sympy.Expr]) -> bool:
    for v in values:
        for e in (sympy.Matrix(v) if isinstance(v, sympy.MatrixBase) else [v]):
            number = complex(sympy.N(sympy.sympify(e).subs(point), 15))
            if number.imag or number.real != number.real or abs(number.real) == float("inf"):
                return False
    return True


def _at_points(answer: A.Answer, label: str, how_many: int) -> Form | None:
    """A symbolic answer asked as its values at ``how_many`` stated points where it is real."""
    symbols = _free(answer)
    values = _values(answer)
    if not symbols or any(sympy.sympify(v).atoms(sympy.MatrixSymbol) for v in values):
        return None  # no variables, or matrix symbols (x^T A): no numbers to ask for
    parts: list[Part] = []
    points: list[str] = []
    for c in _POINTS:
        point = {s: c + k for k, s in enumerate(symbols)}
        if not _real_at(values, point):
            continue
        where = ", ".join(f"{sympy.latex(s)} = {sympy.latex(v)}" for s, v in point.items())
        points.append(where)
        for v in values:
            at = sympy.Matrix(v).subs(point) if isinstance(v, sympy.MatrixBase) else sympy.sympify(v).subs(point)
            parts.append(_numbers(f"{label}\\big|_{{{where}}}", at) if isinstance(at, sympy.MatrixBase)
                         else _number(f"{label}\\big|_{{{where}}}", at))
        if len(points) == how_many:
            return Form(tuple(parts), points=tuple(points))
    return None


def form(answer: A.Answer) -> Form | None:
    """The Cloze parts of an answer, or None when a stock Moodle cannot grade it."""
    if isinstance(answer, DensityAnswer):
        # the formula where the density is positive, then the ends of that interval
        inner = (form(A.ExpressionAnswer(answer.value)) if answer.value.free_symbols
                 else Form((_number("", answer.value),)))
        if inner is None or not (answer.lower.is_finite and answer.upper.is_finite):
            return None
        return Form(inner.parts + (_number("a", answer.lower), _number("b", answer.upper)),
                    inner.coefficients_of, inner.points)
    if isinstance(answer, A.ExpressionAnswer):
        value = answer.value
        if not getattr(value, "free_symbols", None):
            return Form((_number("", value),))
        return _polynomial(value) or _at_points(answer, r"\text{answer}", 2)
    if isinstance(answer, (A.MatrixAnswer, A.GradientsAnswer)):
        if _free(answer):
            return _at_points(answer, r"\text{answer}", 1)
        if isinstance(answer, A.GradientsAnswer):
            return Form(tuple(_numbers(rf"\frac{{\partial L}}{{\partial {_name(n)}}}", v)
                              for n, v in answer.values.items()))
        return Form((_numbers("", answer.value),))
    if isinstance(answer, A.VectorAnswer):
        return Form((_numbers("", sympy.Matrix(answer.value).T),))
    if isinstance(answer, A.SolutionSetAnswer):
        return _solution_set(answer)
    if isinstance(answer, A.CasesAnswer):
        return _cases(answer)
    if isinstance(answer, A.BasisAnswer):
        return Form(tuple(_numbers(rf"\boldsymbol{{b}}_{{{k}}}", sympy.Matrix(v).T)
                          for k, v in enumerate(answer.vectors, start=1)))
    if isinstance(answer, A.BooleanAnswer):
        return Form((_choice("", "yes" if answer.value else "no", "no" if answer.value else "yes"),))
    if isinstance(answer, A.NoneAnswer):
        return Form((_choice("", "does not exist", "exists"),))
    if isinstance(answer, A.EigenAnswer):
        parts = []
        for k, e in enumerate(answer.eigenvalues, start=1):
            parts += [_number(rf"\lambda_{{{k}}}", e.value),
                      _number(rf"\text{{algebraic multiplicity of }}\lambda_{{{k}}}", e.algebraic_multiplicity),
                      _number(rf"\text{{geometric multiplicity of }}\lambda_{{{k}}}", e.geometric_multiplicity)]
            parts += [_numbers(rf"\boldsymbol{{v}}_{{{k}{j if len(e.basis) > 1 else ''}}}", sympy.Matrix(b).T)
                      for j, b in enumerate(e.basis, start=1)]
        return Form(tuple(parts))
    if isinstance(answer, A.DiagonalizationAnswer):
        if not answer.diagonalizable:
            return Form((_choice("", "not diagonalizable", "diagonalizable"),))
        return Form((_choice("", "diagonalizable", "not diagonalizable"), _numbers("P", answer.P),
                     _numbers("D", answer.D)))
    if isinstance(answer, A.SVDAnswer):
        return Form((_numbers("U", answer.U), _numbers(r"\Sigma", answer.S), _numbers("V", answer.V)))
    if isinstance(answer, A.DistributionAnswer):
        return Form(tuple(_number(f"P(X = {sympy.latex(v)})" if sympy.sympify(v).is_number else rf"P(\text{{{v}}})", p)
                          for v, p in zip(answer.values, answer.probabilities)))
    if isinstance(answer, A.MomentsAnswer):
        return Form(tuple(_numbers(label, v) if isinstance(v, sympy.MatrixBase) else _number(label, v)
                          for label, v in ((r"\mathbb{E}[X]", answer.mean), (r"\mathbb{V}[X]", answer.variance))))
    if isinstance(answer, A.PointsAnswer):
        return Form(tuple(part for k, p in enumerate(sorted(answer.points, key=_coordinates), start=1)
                          for part in _optimum(k, p)))
    if isinstance(answer, A.IteratesAnswer):
        return Form(tuple(part for k, (x, f) in enumerate(zip(answer.points, answer.values))
                          for part in (_numbers(rf"\boldsymbol{{x}}_{{{k}}}", sympy.Matrix([x])),
                                       _number(rf"f(\boldsymbol{{x}}_{{{k}}})", f))))
    if isinstance(answer, A.ConvexityAnswer):
        return Form((_choice("", answer.value, *(w for w in VERDICTS if w != answer.value)),))
    if isinstance(answer, A.ProgramAnswer):
        # the optimal value is unique; the optimal point only of a QP (Q positive definite)
        value = _number(r"\text{the optimal value}", answer.value)
        return Form((value,) if answer.kind == "lp" else
                    (_numbers(r"\boldsymbol{x}^*", sympy.Matrix([answer.x])), value))
    if isinstance(answer, A.EstimateAnswer):
        return Form(tuple(_number(_parameter(name), v) for name, v in answer.values.items()))
    if isinstance(answer, A.PCAAnswer):
        # the variances are unique; the axes only up to sign (and the codes with them)
        return Form(tuple(_number(rf"\lambda_{{{k}}}", v) for k, v in enumerate(answer.variances, start=1))
                    + (_number(r"\text{the average squared reconstruction error}", answer.error),))
    if isinstance(answer, A.GMMAnswer):
        return Form(tuple(_number(rf"{name}_{{{k}}}", v)
                          for name, values in ((r"\pi", answer.weights), (r"\mu", answer.means),
                                               (r"\sigma^2", answer.variances))
                          for k, v in enumerate(values, start=1)))
    if isinstance(answer, A.SVMAnswer):
        w = () if answer.w is None else (_numbers(r"\boldsymbol{w}", sympy.Matrix(answer.w).T),)
        return Form(w + (_number("b", answer.b),))
    if isinstance(answer, A.GaussianAnswer):
        parts = (_numbers(r"\boldsymbol{\mu}", sympy.Matrix(answer.mean).T), _numbers(r"\Sigma", answer.cov))
        if isinstance(answer, ScaledGaussianAnswer):
            parts += (_number("c", answer.constant),)
        return Form(parts)
    return None


#: the natures of a candidate point of an optimization problem
NATURES = ("minimum", "maximum", "saddle", "inconclusive", "candidate")


def _coordinates(p: A.OptimumPoint) -> tuple[float, ...]:
    """The order the question asks the points in: increasing first coordinate, then the next."""
    return tuple(float(sympy.N(c)) for c in p.point)


def _optimum(k: int, p: A.OptimumPoint) -> tuple[Part, ...]:
    return (_numbers(rf"\boldsymbol{{x}}_{{{k}}}", sympy.Matrix([p.point])),
            _number(rf"f(\boldsymbol{{x}}_{{{k}}})", p.value),
            _choice(rf"\text{{nature of }}\boldsymbol{{x}}_{{{k}}}", p.nature,
                    *(n for n in NATURES if n != p.nature)))


def _parameter(name: str) -> str:
    """LaTeX of a parameter as sympy prints it (``mu``, ``lambda``, ``sigma**2``)."""
    base, _, power = name.partition("**")
    latex = sympy.latex(sympy.Symbol(base))
    return f"{latex}^{{{power}}}" if power else latex


def _name(n: str) -> str:
    match = re.fullmatch(r"([A-Za-z]+)(\d*)", n)
    return f"{match.group(1)}_{{{match.group(2)}}}" if match and match.group(2) else n


_OUTCOMES = ("no solution", "exactly one solution", "infinitely many solutions")


def _solution_set(answer: A.SolutionSetAnswer) -> Form:
    """The outcome as a choice, then the particular solution and the directions, if any."""
    outcome = 0 if answer.particular is None else 2 if answer.directions else 1
    choice = _choice("", _OUTCOMES[outcome], *(o for k, o in enumerate(_OUTCOMES) if k != outcome))
    if answer.particular is None:
        return Form((choice,))
    parts = [choice, _numbers(r"\boldsymbol{x}_p", sympy.Matrix(answer.particular).T)]
    parts += [_numbers(rf"\boldsymbol{{d}}_{{{k}}}", sympy.Matrix(d).T)
              for k, d in enumerate(answer.directions, start=1)]
    return Form(tuple(parts))


def _cases(answer: A.CasesAnswer) -> Form | None:
    """A system with a parameter a: its special values in increasing order, each with the
    outcome and solution of the system at that value, then the same at one stated ordinary value
    (the general solution is a formula in a, which a blank cannot take).  Cases on a second
    parameter have no such form."""
    answers = [answer.generic, *(a for _, a in answer.cases)]
    values = [v for v, _ in answer.cases]
    if not all(isinstance(a, A.SolutionSetAnswer) for a in answers) or not all(v.is_real for v in values):
        return None
    a = sympy.latex(answer.parameter)
    parts: list[Part] = []
    for k, (v, case) in enumerate(sorted(answer.cases, key=lambda c: float(sympy.N(c[0]))), start=1):
        at = rf"{a}_{{{k}}}"
        parts += [_number(at, v), *(Part(rf"{at}:\ {p.label}", p.rows) for p in _solution_set(case).parts)]
    ordinary = next(p for p in _POINTS if p not in values)
    generic = answer.generic
    at_ordinary = dataclasses.replace(
        generic, particular=None if generic.particular is None else generic.particular.subs(answer.parameter, ordinary),
        directions=tuple(d.subs(answer.parameter, ordinary) for d in generic.directions))
    parts += [Part(rf"{a} = {sympy.latex(ordinary)}:\ {p.label}", p.rows) for p in _solution_set(at_ordinary).parts]
    return Form(tuple(parts), cases_of=rf"{a} = {sympy.latex(ordinary)}")


# ---------------------------------------------------------------- HTML

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def html(markdown: str) -> str:
    """Markdown -> HTML paragraphs with MathJax delimiters (Moodle's TeX filter); a picture
    (an SVG as the canvas writes it, checked) stays markup."""
    text = _DISPLAY.sub(lambda m: r"\[" + m.group(1).strip() + r"\]", markdown)
    text = _INLINE.sub(lambda m: r"\(" + m.group(1) + r"\)", text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(p if is_picture(p) else f"<p>{_bold(_escape_html(p))}</p>" for p in paragraphs)


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MATH = re.compile(r"(\\\(.*?\\\)|\\\[.*?\\\])", re.S)
_STRONG = re.compile(r"\*\*(.+?)\*\*", re.S)


def _bold(text: str) -> str:
    """Markdown's **bold** as <strong>, outside the math (where ** is no markup)."""
    pieces = _MATH.split(text)
    return "".join(p if k % 2 else _STRONG.sub(r"<strong>\1</strong>", p) for k, p in enumerate(pieces))


def _grid(part: Part) -> str:
    """A part as HTML: its label, then its blanks in a table shaped as the vector or matrix."""
    label = f"\\({part.label} = \\)" if part.label else ""
    if len(part.rows) == 1 and len(part.rows[0]) == 1:
        return f"<p>{_escape_html(label)} {part.rows[0][0].cloze()}</p>"
    rows = "".join("<tr>" + "".join(f"<td>{b.cloze()}</td>" for b in row) + "</tr>" for row in part.rows)
    return (f'<table class="tutor-answer"><tr><td>{_escape_html(label)}</td><td>'
            f'<table class="tutor-matrix">{rows}</table></td></tr></table>')


def _precise(f: Form) -> bool:
    """Whether some blank needs three decimals (a non-terminating value)."""
    return any(b.choices == () and numeral(b.value)[1] != "0" for p in f.parts for row in p.rows for b in row)


def preamble_html(variant: Any, f: Form) -> str:
    """The statement and the form the answer must take (templates/documents/moodle_form.md.j2):
    what every LMS export (Moodle, QTI, Canvas) shows before the blanks."""
    sol = variant.solution
    note = render.environment("markdown").get_template("documents/moodle_form.md.j2").render(
        kind=variant.kind, orthogonal=bool(variant.raw.get("orthogonal")), coefficients_of=f.coefficients_of,
        points=f.points, cases_of=f.cases_of, decimals=_precise(f))
    return html(render.statement_body(sol, "markdown")) + html(note)


def question_html(variant: Any, f: Form) -> str:
    """The statement, the form the answer must take, the blanks."""
    return preamble_html(variant, f) + "".join(_grid(p) for p in f.parts)


# ---------------------------------------------------------------- XML

def text_element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element whose text sits in a ``<text>`` element, as Moodle's question XML has it."""
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        ET.SubElement(el, "text").text = text
    return el


def _shortanswer(question: ET.Element, sol: Any) -> None:
    """The fallback for an answer no Cloze can hold (a matrix-calculus formula): text compared."""
    question.set("type", "shortanswer")
    ET.SubElement(question, "usecase").text = "0"
    text_element(question, "answer", answer_text(sol.answer, "plain"), fraction="100", format="moodle_auto_format")


def multichoice_question(quiz: ET.Element, exam: Any, q: Any, options: Sequence[choices.Option]) -> None:
    """A ``multichoice`` question (one right option, in the drawn order); each wrong option's
    feedback names the mistake it stands for."""
    sol = q.variant.solution
    question = ET.SubElement(quiz, "question", type="multichoice")
    text_element(question, "name", f"{exam.stem} Q{q.number}: {q.title or q.kind}")
    text_element(question, "questiontext", html(render.statement_body(sol, "markdown")), format="html")
    text_element(question, "generalfeedback", html(render.solution_body(sol, "markdown")), format="html")
    ET.SubElement(question, "defaultgrade").text = str(q.points)
    ET.SubElement(question, "penalty").text = "0.3333333"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "single").text = "true"
    ET.SubElement(question, "shuffleanswers").text = "0"  # the drawn order, as in the key and the PDF
    ET.SubElement(question, "answernumbering").text = "abc"
    for o in options:
        answer = text_element(question, "answer", _escape_html(f"\\({o.text('latex')}\\)"),
                      fraction="100" if o.correct else "0", format="html")
        text_element(answer, "feedback", _escape_html(o.mistake or "Right."), format="html")


def moodle_xml(exams: Sequence[Any]) -> str:
    """A Moodle quiz import: one category per version, one Cloze question per variant.

    The worked solution is the general feedback; ElementTree escapes every string for XML,
    :func:`cloze_escape` every choice for the Cloze syntax.
    """
    quiz = ET.Element("quiz")
    for exam in exams:
        category = ET.SubElement(quiz, "question", type="category")
        text_element(category, "category", f"$course$/{exam.spec.title}" + (f"/Version {exam.label}" if exam.label else ""))
        for q in exam.questions:
            sol = q.variant.solution
            options = choices.question_options(exam, q)
            if options:
                multichoice_question(quiz, exam, q, options)
                continue
            f = form(sol.answer)
            question = ET.SubElement(quiz, "question", type="cloze")
            text_element(question, "name", f"{exam.stem} Q{q.number}: {q.title or q.kind}")
            text = question_html(q.variant, f) if f else html(render.statement_body(sol, "markdown"))
            text_element(question, "questiontext", text, format="html")
            text_element(question, "generalfeedback", html(render.solution_body(sol, "markdown")), format="html")
            ET.SubElement(question, "defaultgrade").text = str(q.points)
            if f is None:
                _shortanswer(question, sol)
            else:
                ET.SubElement(question, "penalty").text = "0.3333333"
                ET.SubElement(question, "hidden").text = "0"
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


__all__ = ["Blank", "Part", "Form", "form", "numeral", "cloze_escape", "html", "preamble_html", "question_html",
           "moodle_xml", "TOLERANCE"]
