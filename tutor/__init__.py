"""tutor: a symbolic, step-by-step tutor for the mathematics of machine learning.

Public API::

    import tutor
    sol = tutor.solve("system", equations=["3x + y = 9", "4x - 2y = 5"])
    sol.answer            # a typed answer (tutor.core.answers)
    tutor.render_solution(sol, "text")
    sheet = tutor.load_sheet("examples/lecture1.toml")
    tutor.render_pdf(sheet, "out/")
    tutor.check("system", "x = 2", equations=["3x = 6"]).correct   # True (thread-safe;
    await tutor.check_async(...)                                    # from a coroutine)
    tutor.generate("eigen", seed=7, difficulty=2)                   # a Problem with nice numbers

The names are loaded on first use: a script that only solves does not pay for the checker,
the exam generators or the renderer.  The layout of the package: docs/architecture.md.
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

#: each public name and the module it comes from
_EXPORTS = {
    "solve": "tutor.api", "solve_sheet": "tutor.api", "make_problem": "tutor.api",
    "load_sheet": "tutor.api", "render_latex": "tutor.api", "render_pdf": "tutor.api",
    "check": "tutor.checking.check", "check_expected": "tutor.checking.check",
    "check_async": "tutor.checking.check", "check_expected_async": "tutor.checking.check",
    "generate": "tutor.exams.generators",
    "render_solution": "tutor.rendering.render",
    "Problem": "tutor.core.steps", "Solution": "tutor.core.steps", "Step": "tutor.core.steps",
    "TutorError": "tutor.core.errors", "ParseError": "tutor.core.errors",
}

__all__ = list(_EXPORTS)
__version__ = "0.1.0"


def _show_in_jupyter() -> None:
    """In IPython/Jupyter, a Solution, a Sheet and a Verdict display themselves: as Markdown (the
    steps collapsible) and as LaTeX (``text/latex``: what nbconvert keeps for a PDF).

    Registered with IPython's display formatters by the classes' names, so that ``import tutor``
    imports neither them nor the renderer (and the core classes need not import the renderer,
    which ranks above them): the text is made when something is displayed.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    shown = {("tutor.core.steps", "Solution"): "solution", ("tutor.topics.sheets", "Sheet"): "sheet",
             ("tutor.checking.grading.verdict", "Verdict"): "verdict"}
    for (module, name), what in shown.items():
        for mime, suffix in (("text/markdown", "markdown"), ("text/latex", "latex")):
            formatters[mime].for_type_by_name(module, name, _renderer(f"{what}_{suffix}"))


def _renderer(function: str) -> Callable[[Any], str]:
    def render(value: Any) -> str:
        return getattr(importlib.import_module("tutor.rendering.notebook"), function)(value)
    return render


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tutor' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


_show_in_jupyter()
