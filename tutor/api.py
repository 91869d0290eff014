"""The Python API: the same operations as the command line, on Python values."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor import topics
from tutor.rendering import render
from tutor.topics.sheets import Sheet, load_sheet
from tutor.core.steps import Problem, Solution


def make_problem(kind: str, **inputs: Any) -> Problem:
    """Parse and validate the inputs of a kind (strings, numbers, lists or sympy objects)."""
    return topics.make(kind, **inputs)


def solve(kind: str | Problem, **inputs: Any) -> Solution:
    """Solve a problem with steps: ``solve('system', equations=['3x=6']).answer``."""
    return topics.solve(kind, **inputs)


def solve_sheet(sheet: Sheet) -> list[Solution]:
    return sheet.solve()


def render_latex(sheet: Sheet | Solution) -> str:
    """A LaTeX document: the worked solutions of a sheet, or of one solution."""
    if isinstance(sheet, Solution):
        return render.render_solution(sheet, "latex")
    return render.render_document(solve_sheet(sheet), title=sheet.title, subtitle=sheet.subtitle,
                                  titles=sheet.titles, fmt="latex")


def render_pdf(sheet: Sheet | Solution, out_dir: str | Path, name: str | None = None) -> tuple[Path, Path | None]:
    """Write ``<name>.tex`` and compile ``<name>.pdf``; the PDF is None when TeX is missing."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = name or (sheet.name if isinstance(sheet, Sheet) else "solution")
    tex_path = out_dir / f"{name}.tex"
    source = render_latex(sheet)
    tex_path.write_text(source, encoding="utf-8")
    if not render.tex_available():
        return tex_path, None
    return tex_path, render.compile_pdf(source, out_dir / f"{name}.pdf")


__all__ = ["make_problem", "solve", "solve_sheet", "load_sheet", "render_latex", "render_pdf"]
