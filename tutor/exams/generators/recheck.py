"""Re-check a drawn variant: its own answer, typed in every form, must pass the checker.

This runs the comparers of :mod:`tutor.grading` in this process: the text is ours
(written from the answer), not a student's, so it needs no sandbox.  A variant whose
answer the checker cannot read back would be a question nobody could answer right.
"""
from __future__ import annotations

import sympy

from tutor.checking import grading
from tutor.checking.check import policy_for
from tutor.core.steps import Solution
from tutor.exams.generators.forms import FORMS, answer_text


def passes_itself(solution: Solution) -> bool:
    """True when every written form of the answer is graded correct.

    Symbolic matrix expressions (``x^T (A + A^T)``) have no reader in the checker yet:
    such answers are trusted to the solver and its step checks.
    """
    if isinstance(getattr(solution.answer, "value", None), sympy.MatrixExpr):
        return True
    for form in FORMS:
        text = answer_text(solution.answer, form)
        if text is None:
            return False
        verdict = grading.compare(solution.answer, text, solution.problem, policy_for(solution.kind))
        if not verdict.correct:
            return False
    return True
