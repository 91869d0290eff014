"""Checking a student's answer against a typed reference answer.

:data:`COMPARERS` maps each :mod:`tutor.answers` class to the function that reads
the student's text for that type, compares it and names the mistake; a kind added
later is covered by its answer type (a new answer type adds one entry here).
:func:`compare` is the entry point; :func:`compare_expected` handles a teacher's
expected answer given as text.  Everything here may be slow or blow up on hostile
input: it is meant to run inside :mod:`tutor.sandbox`.
"""
from __future__ import annotations

from typing import Any, Callable

from sympy import MatrixExpr

from tutor.core import answers
from tutor.core.errors import TutorError
from tutor.checking.grading import hints, inequalities, reading
from tutor.checking.grading.cases import compare_cases
from tutor.checking.grading.decompositions import compare_diagonalization, compare_svd
from tutor.checking.grading.eigen import compare_eigen
from tutor.checking.grading.expressions import compare_equations, compare_expression, compare_sequence
from tutor.checking.grading.matrix_expressions import compare_matrix_expression
from tutor.checking.grading.matrices import compare_matrix, compare_vector
from tutor.checking.grading.optimization import compare_convexity, compare_iterates, compare_points, compare_program
from tutor.checking.grading.models import compare_estimate, compare_gmm, compare_pca, compare_svm
from tutor.checking.grading.policy import DEFAULT, Policy
from tutor.checking.grading.projections import compare_projection
from tutor.checking.grading.probability import compare_distribution, compare_gaussian, compare_moments, probability_name
from tutor.checking.grading.simple import compare_boolean, compare_gradients, compare_none
from tutor.checking.grading.solution_sets import compare_solution_set
from tutor.checking.grading.spans import compare_basis
from tutor.checking.grading.verdict import Verdict, unchecked, unreadable, wrong

Comparer = Callable[[Any, str, Policy, Any], Verdict]

COMPARERS: dict[type, Comparer] = {
    answers.ExpressionAnswer: lambda a, t, p, problem: (
        compare_matrix_expression(a.value, t, p, problem) if isinstance(a.value, MatrixExpr)
        else compare_expression(a.value, t, p)),
    answers.MatrixAnswer: lambda a, t, p, _: compare_matrix(a.value, t, p),
    answers.VectorAnswer: lambda a, t, p, _: compare_vector(a.value, t, p),
    answers.ProjectionAnswer: lambda a, t, p, _: compare_projection(a, t, p),
    answers.SolutionSetAnswer: lambda a, t, p, problem: compare_solution_set(a, t, p, problem),
    answers.CasesAnswer: lambda a, t, p, problem: compare_cases(a, t, problem),
    answers.BasisAnswer: lambda a, t, p, problem: compare_basis(a.vectors, t, p, _gram_schmidt(problem),
                                                                guess_orthonormal=problem is None),
    answers.BooleanAnswer: lambda a, t, p, problem: compare_boolean(a, t, p, _input(problem, "vectors")),
    answers.NoneAnswer: lambda a, t, p, _: compare_none(a, t, p),
    answers.EigenAnswer: lambda a, t, p, _: compare_eigen(a, t, p),
    answers.DiagonalizationAnswer: lambda a, t, p, problem: compare_diagonalization(
        a, t, p, orthogonal=_flag(problem, "orthogonal")),
    answers.SVDAnswer: lambda a, t, p, _: compare_svd(a, t, p),
    answers.GaussianAnswer: lambda a, t, p, _: compare_gaussian(a, t, p),
    answers.DistributionAnswer: lambda a, t, p, problem: compare_distribution(a, t, p, probability_name(problem)),
    answers.MomentsAnswer: lambda a, t, p, _: compare_moments(a, t, p),
    answers.GradientsAnswer: lambda a, t, p, _: compare_gradients(a, t, p),
    answers.PointsAnswer: lambda a, t, p, _: compare_points(a, t, p),
    answers.IteratesAnswer: lambda a, t, p, problem: compare_iterates(a, t, p, problem),
    answers.ConvexityAnswer: lambda a, t, p, _: compare_convexity(a, t, p),
    answers.ProgramAnswer: lambda a, t, p, problem: compare_program(a, t, p, problem),
    answers.EstimateAnswer: lambda a, t, p, _: compare_estimate(a, t, p),
    answers.PCAAnswer: lambda a, t, p, problem: compare_pca(a, t, p, problem),
    answers.GMMAnswer: lambda a, t, p, _: compare_gmm(a, t, p),
    answers.SVMAnswer: lambda a, t, p, _: compare_svm(a, t, p),
}

def _gram_schmidt(problem: Any) -> tuple[Any, bool] | None:
    """A Gram-Schmidt problem's inner product and whether it normalizes; None for other bases."""
    if getattr(problem, "kind", None) != "gram_schmidt":
        return None
    return problem.inputs.get("A"), bool(problem.inputs.get("normalize"))


def _input(problem: Any, name: str) -> Any:
    """An input of the problem, or None (no problem given, as for ``--expected``)."""
    try:
        return problem[name]
    except (TypeError, KeyError):
        return None


def _flag(problem: Any, name: str) -> bool:
    return bool(_input(problem, name))


# answer types for which "there is none" is itself a possible right answer
_NONE_MEANINGFUL = (answers.NoneAnswer, answers.SolutionSetAnswer, answers.DiagonalizationAnswer,
                    answers.BasisAnswer, answers.BooleanAnswer, answers.PointsAnswer)


def comparer_for(reference: Any) -> Comparer | None:
    for cls in type(reference).__mro__:
        if cls in COMPARERS:
            return COMPARERS[cls]
    return None


def _guarded(run: Callable[[], Verdict]) -> Verdict:
    """Reading errors are "unreadable" verdicts, never exceptions."""
    try:
        return run()
    except TutorError as e:
        return unreadable(str(e))
    except RecursionError:
        return unreadable("the answer is nested too deeply")
    except (ValueError, TypeError, ArithmeticError, AttributeError, IndexError, KeyError) as e:
        return unreadable(f"could not read the answer ({type(e).__name__})")


def compare(reference: Any, text: str, problem: Any = None, policy: Policy = DEFAULT) -> Verdict:
    """The verdict on ``text`` as an answer whose right value is ``reference``."""
    comparer = comparer_for(reference)
    if comparer is None:
        return unchecked(f"no comparison for answers of type {type(reference).__name__}")

    def run() -> Verdict:
        t = reading.prepare(text)
        if not isinstance(reference, _NONE_MEANINGFUL) and reading.says_none(t):
            return wrong("does not exist", "it exists: an answer is expected")
        verdict = comparer(reference, t, policy, problem)
        value = getattr(reference, "value", None)
        return verdict if value is None else hints.refine(problem, value, t, policy, verdict)
    return _guarded(run)


def expected_form(text: str) -> str:
    """How a teacher's expected answer is read: ``matrix``, ``equations``, ``set``, ``list``
    or ``expression``."""
    if reading.is_matrix_text(text):
        return "matrix"
    if inequalities.has_inequality(text):
        return "inequalities"
    if len(reading.split_top(text, ["="])) > 1:
        return "equations"
    box = reading.enclosed(text)
    if box is not None and box[0] == "{" and text.lstrip().startswith("\\{"):
        return "set"
    if box is not None and box[0] in "([" and len(reading.split_top(box[1], [","])) > 1:
        return "list"
    if len(reading.split_top(text, [","])) > 1:
        return "list"
    return "expression"


def compare_expected(expected_text: str, text: str, policy: Policy = DEFAULT) -> Verdict:
    """Compare with an expected answer the teacher typed (read by the same rules)."""
    try:
        expected = reading.prepare(expected_text)
        form = expected_form(expected)
    except TutorError as e:
        return unreadable(f"the expected answer: {e}")

    def run() -> Verdict:
        t = reading.prepare(text)
        if form == "matrix":
            m = reading.matrix(expected)
            return compare_vector(m, t, policy) if m.cols == 1 else compare_matrix(m, t, policy)
        if form == "inequalities" or form == "equations" and inequalities.has_inequality(t):
            return inequalities.compare_inequalities(expected, t)
        if form == "equations":
            return compare_equations(expected, t, policy)
        if form in ("set", "list"):
            _, items = reading.items(expected)
            values = [reading.expression(i) for i in items]
            kind, given = reading.items(t)
            return compare_sequence(values, given, policy, ordered=form == "list")
        return compare_expression(reading.expression(expected), t, policy)
    try:
        reading.expression(expected) if form == "expression" else None
    except TutorError as e:
        return unreadable(f"the expected answer: {e}")
    return _guarded(run)


__all__ = ["COMPARERS", "compare", "compare_expected", "Verdict", "Policy", "DEFAULT"]
