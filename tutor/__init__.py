"""tutor: a symbolic, step-by-step tutor for the mathematics of machine learning.

Public API::

    import tutor
    sol = tutor.solve("system", equations=["3x + y = 9", "4x - 2y = 5"])
    sol.answer            # a typed answer (tutor.answers)
    tutor.render_solution(sol, "text")
    sheet = tutor.load_sheet("examples/lecture1.toml")
    tutor.render_pdf(sheet, "out/")
    tutor.check("system", "x = 2", equations=["3x = 6"]).correct   # True
    tutor.generate("eigen", seed=7, difficulty=2)                   # a Problem with nice numbers
"""
from tutor.api import load_sheet, make_problem, render_latex, render_pdf, solve, solve_sheet
from tutor.checking.check import check, check_expected
from tutor.core.errors import ParseError, TutorError
from tutor.exams.generators import generate
from tutor.rendering.render import render_solution
from tutor.core.steps import Problem, Solution, Step

__all__ = [
    "solve", "solve_sheet", "check", "check_expected", "generate", "make_problem", "load_sheet", "render_solution", "render_latex", "render_pdf",
    "Problem", "Solution", "Step", "TutorError", "ParseError",
]
__version__ = "0.1.0"
