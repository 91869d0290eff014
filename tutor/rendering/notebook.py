"""A sheet as a Jupyter notebook ("Code + Paper"), and the Markdown and LaTeX a solution, a
sheet or a verdict shows in Jupyter.

Each problem becomes a Markdown cell (its title, statement and worked solution, the steps in a
collapsible ``<details>``) followed by a code cell that recomputes the result with SymPy alone,
from the problem's inputs, and asserts that it equals the tutor's answer; the notebook needs
only SymPy, so a student can run and vary it in Colab.  The code of each kind is a template
(``templates/notebook/<kind>.py.j2``), written for every kind: it recomputes the answer by
another road than the tutor's steps where one exists (the loss differentiated directly for
backprop, a dual certificate for a linear program, moments for a change of variables); a
template that cannot render a problem (a case it does not know) falls back to a cell with the
problem's inputs, and the tests check that no kind falls back on a generated problem.
"""
from __future__ import annotations

import functools
import keyword
import pprint
from typing import Any, Iterable

import jinja2
import sympy

from tutor.calculus.matrix_expressions import SquaredNorm
from tutor.core.functions import to_elementary
from tutor import topics
from tutor.core.steps import Solution
from tutor.rendering import render

NOTEBOOK_FORMAT = (4, 5)


@functools.cache
def _code_templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("tutor.rendering", "templates/notebook"),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


def _name(symbol: sympy.Symbol) -> str:
    """The Python name of a symbol (``lambda`` is a keyword: ``lambda_``)."""
    name = symbol.name
    return name + "_" if keyword.iskeyword(name) or not name.isidentifier() else name


def _symbols(values: Iterable[Any]) -> list[tuple[str, str]]:
    found: set[sympy.Symbol] = set()
    for value in values:
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else [value]
        for item in items:
            if isinstance(item, sympy.Basic):
                found |= {s for s in item.free_symbols if isinstance(s, sympy.Symbol)}
    return [(_name(s), s.name) for s in sorted(found, key=lambda s: s.name)]


def _literal(value: Any) -> str:
    """Python source for a sympy value, exact (``S(1)/2``, not ``1/2``), with Python names."""
    if isinstance(value, sympy.Basic):
        value = to_elementary(value)  # sigmoid, ReLU, ...: SymPy alone must read the cell
        value = value.replace(lambda e: isinstance(e, SquaredNorm), lambda e: sympy.Transpose(e.arg) * e.arg)
        value = value.xreplace({s: sympy.Symbol(_name(s)) for s in value.free_symbols if isinstance(s, sympy.Symbol)})
    return sympy.sstr(value, sympy_integers=True)


def _matrix_literal(value: Any) -> str:
    """Python source for a scalar function of matrices.  The tutor keeps tr(M), det M and
    log det M as 1 x 1 matrix expressions; SymPy's are scalars, which it cannot add to a 1 x 1
    matrix expression (aᵀX⁻¹b): such a term is written times Identity(1)."""
    terms = value.args if isinstance(value, sympy.MatAdd) else (value,)
    if not any(getattr(t, "kept_trace", False) for t in terms):
        return _literal(value)
    return " + ".join(f"({_literal(t)})*Identity(1)" if getattr(t, "kept_trace", False) else _literal(t)
                      for t in terms)


def code_cell(solution: Solution) -> str:
    """The SymPy code that recomputes and asserts the answer of ``solution``."""
    env = _code_templates()
    inputs = solution.problem.inputs
    header = env.get_template("_header.py.j2").render(symbols=_symbols(list(inputs.values()) + [
        getattr(solution.answer, "value", None)] + list(getattr(solution.answer, "eigenvalues", ()))))
    context = {"p": solution.problem, "s": solution, "lit": _literal, "matrix_lit": _matrix_literal}
    try:
        body = env.get_template(f"{solution.kind}.py.j2").render(context)
    except (jinja2.TemplateNotFound, jinja2.UndefinedError):  # no code for this kind, or this case
        body = env.get_template("_none.py.j2").render(
            context, inputs=pprint.pformat(solution.problem.to_json()["inputs"], width=100, sort_dicts=False))
    return (header + body).strip() + "\n"


def solution_markdown(solution: Solution, title: str = "") -> str:
    """The statement, the worked solution in a collapsible block, and the answer."""
    heading = f"### {title}\n\n" if title else ""
    return (heading + render.statement_body(solution, "markdown") +
            "\n<details><summary>Worked solution</summary>\n\n" +
            render.solution_body(solution, "markdown") + "\n</details>\n")


def solution_latex(solution: Solution, title: str = "") -> str:
    """The statement and the worked solution in the LaTeX dialect (Jupyter's ``text/latex``,
    which nbconvert keeps when a notebook becomes a PDF)."""
    heading = f"\\subsection*{{{title}}}\n" if title else ""
    return heading + render.statement_body(solution, "latex") + "\n\n" + render.solution_body(solution, "latex") + "\n"


def verdict_markdown(verdict: Any) -> str:
    """A verdict (:class:`tutor.checking.grading.verdict.Verdict`) as Markdown."""
    return _display("verdict.md.j2", v=verdict)


def verdict_latex(verdict: Any) -> str:
    """A verdict as LaTeX: the same words, the student's text in ``\\texttt``, escaped."""
    return _display("verdict.tex.j2", v=verdict, tt=_latex_text)


def _solved_sheet(sheet: Any) -> list[tuple[str, Solution]]:
    """Each problem of a sheet with its title (the sheet's own, else its number and kind),
    solved as ``tutor sheet`` solves it: a sheet is the teacher's own input."""
    titles = list(sheet.titles) + [""] * len(sheet.problems)
    return [(f"{n}. {t or p.kind}", topics.solve(p)) for n, (p, t) in enumerate(zip(sheet.problems, titles), 1)]


def sheet_markdown(sheet: Any) -> str:
    """A sheet (:class:`tutor.topics.sheets.Sheet`) as Markdown: its title, then each problem
    as a solution displays itself (the steps collapsible)."""
    head = f"## {sheet.title}\n\n" + (f"{sheet.subtitle}\n\n" if sheet.subtitle else "")
    return head + "\n".join(solution_markdown(solution, f"{title}") for title, solution in _solved_sheet(sheet))


def sheet_latex(sheet: Any) -> str:
    head = f"\\section*{{{_latex_text(sheet.title)}}}\n" + (f"{_latex_text(sheet.subtitle)}\n\n" if sheet.subtitle else "")
    return head + "\n".join(solution_latex(solution, _latex_text(title)) for title, solution in _solved_sheet(sheet))


_LATEX_SPECIAL = {c: "\\" + c for c in "#$%&_{}"} | {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _latex_text(text: str) -> str:
    """Plain text (a student's answer, a title) safe inside LaTeX."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in str(text))


def _display(template: str, **context: Any) -> str:
    return _code_templates().get_template(template).render(**context).strip() + "\n"


def _cell(kind: str, text: str, number: int) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{number}", "metadata": {},
                            "source": text.splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook(solutions: list[Solution], *, title: str, subtitle: str = "",
             titles: Iterable[str] = ()) -> dict[str, Any]:
    """An nbformat 4 notebook: a title cell, then per problem its Markdown and its code."""
    titles = list(titles) + [""] * len(solutions)
    cells = [_cell("markdown", f"# {title}\n" + (f"\n{subtitle}\n" if subtitle else "") +
                   "\nEach problem: the worked solution, then code that recomputes the answer with SymPy "
                   "and checks it. Change the numbers and run it again.\n", 0)]
    for number, (solution, name) in enumerate(zip(solutions, titles), 1):
        heading = f"{number}. {name or solution.kind}"
        cells.append(_cell("markdown", solution_markdown(solution, heading), 2 * number - 1))
        cells.append(_cell("code", code_cell(solution), 2 * number))
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"},
                                         "language_info": {"name": "python"}},
            "nbformat": NOTEBOOK_FORMAT[0], "nbformat_minor": NOTEBOOK_FORMAT[1]}


__all__ = ["notebook", "code_cell", "solution_markdown", "solution_latex", "verdict_markdown", "verdict_latex",
           "sheet_markdown", "sheet_latex"]
