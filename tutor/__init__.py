"""tutor: a symbolic, step-by-step tutor for the mathematics of machine learning.

Public API::

    import tutor
    sol = tutor.solve("system", equations=["3x + y = 9", "4x - 2y = 5"])
    sol.answer            # a typed answer (tutor.answers)
    tutor.render_solution(sol, "text")
    sheet = tutor.load_sheet("examples/lecture1.toml")
    tutor.render_pdf(sheet, "out/")
"""
from .api import load_sheet, make_problem, render_latex, render_pdf, solve, solve_sheet
from .errors import ParseError, TutorError
from .render import render_solution
from .steps import Problem, Solution, Step

__all__ = [
    "solve", "solve_sheet", "make_problem", "load_sheet", "render_solution", "render_latex", "render_pdf",
    "Problem", "Solution", "Step", "TutorError", "ParseError",
]
__version__ = "0.1.0"
