"""Fuzz: random strings and random LaTeX fragments never raise and never exceed the
time bound (they run through the sandbox, as a student's answer does)."""
from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.core import answers
from tutor.checking import grading
from tutor.checking.check import check_expected

BOUND = 2.0 + 0.8  # the bound, plus the wait for a replaced worker on a loaded machine
FRAGMENTS = ["x", "y", "2", "0.5", "-", "+", "^", "_", "{", "}", "(", ")", "[", "]", ",", ";", "=",
             ":", "\\frac", "\\sqrt", "\\cdot", "\\lambda", "\\pi", "\\sin", "\\log", "\\{", "\\}",
             "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", " or ", "t", "λ", "−", "·", "²", "|",
             "\\left(", "\\right)", "e", "i", "!", "'", "\"", "\\int", "dx", "\\binom", "9^{9^"]
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _bounded(expected: str, text: str) -> None:
    start = time.monotonic()
    v = check_expected(expected, text)
    assert time.monotonic() - start < BOUND
    assert v.status in ("correct", "incorrect", "unreadable", "unchecked")
    assert 0 <= v.score <= 1


@SETTINGS
@given(st.text(max_size=60))
def test_random_strings(text):
    _bounded("x + 1", text)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
def test_random_latex_fragments(text):
    _bounded("(1, 2)", text)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(FRAGMENTS[:40]), max_size=10).map("".join))
def test_every_answer_type_reads_fragments_without_raising(text):
    """In-process (no sandbox): reading errors are verdicts, never exceptions."""
    import sympy
    refs = [answers.SolutionSetAnswer(sympy.symbols("x y"), sympy.Matrix([1, 2]), ()),
            answers.EigenAnswer((answers.Eigenvalue(sympy.Integer(1), 1, 1, (sympy.Matrix([1, 0]),)),)),
            answers.MatrixAnswer(sympy.eye(2)), answers.DistributionAnswer((0, 1), (sympy.S.Half,) * 2)]
    if "9^{9^" in text or "\\binom" in text:
        return
    for ref in refs:
        assert grading.compare(ref, text).status in ("correct", "incorrect", "unreadable")
