"""A table of hand-written [expected, answer, verdict] rows covering the documented
policies (docs/checking.md).  The comparison runs in-process here (benign inputs); the
sandboxed path is exercised by a few rows through ``tutor.check.check_expected``."""
from __future__ import annotations

import pytest

from tutor.checking import grading
from tutor.checking.check import check_expected
from tutor.checking.grading.policy import Policy

C, W, U = "correct", "incorrect", "unreadable"

# (expected, answer, status, feedback fragment or "")
ROWS = [
    # equal forms: algebra
    ("\\frac{x^2-1}{x-1}", "x+1", C, ""),
    ("x+1", "1+x", C, ""),
    ("(x+1)^2", "x^2+2x+1", C, ""),
    ("x^2+2x+1", "(x+1)(x+1)", C, ""),
    ("x^2-1", "(x-1)(x+1)", C, ""),
    ("\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}", C, ""),
    ("2x", "x+x", C, ""),
    ("2x", "2*x", C, ""),
    ("2x", "2 \\cdot x", C, ""),
    ("2x", "2·x", C, ""),
    ("x^2", "x²", C, ""),
    ("x^3", "x³", C, ""),
    ("-x", "−x", C, ""),
    ("\\frac{23}{10}", "23/10", C, ""),
    ("\\frac{23}{10}", "2.3", C, ""),
    ("5/2", "2.5", C, ""),
    ("1/2", "0.5", C, ""),
    ("3/4", "0.75", C, ""),
    ("\\frac{1}{2}", "\\frac{2}{4}", C, ""),
    ("\\frac12", "1/2", C, ""),
    ("\\sqrt{8}", "2\\sqrt{2}", C, ""),
    ("\\sqrt{12}", "2\\sqrt{3}", C, ""),
    ("\\frac{1}{\\sqrt{2}}", "\\frac{\\sqrt{2}}{2}", C, ""),
    ("(1+\\sqrt{2})^2", "3+2\\sqrt{2}", C, ""),
    ("\\sin(x)^2+\\cos(x)^2", "1", C, ""),
    ("\\sin(2x)", "2\\sin(x)\\cos(x)", C, ""),
    ("\\cos(2x)", "\\cos(x)^2-\\sin(x)^2", C, ""),
    ("\\cos(2x)", "1-2\\sin(x)^2", C, ""),
    ("e^{x+y}", "e^x e^y", C, ""),
    ("e^{2x}", "(e^x)^2", C, ""),
    ("\\ln(xy)", "\\ln(x)+\\ln(y)", C, ""),
    ("\\ln(x^2)", "2\\ln(x)", C, ""),
    ("\\exp(\\ln(x))", "x", C, ""),
    ("|x|", "\\sqrt{x^2}", C, ""),
    ("\\sqrt{x^2}", "|x|", C, ""),
    ("|x|", "x", W, ""),
    ("\\pi", "π", C, ""),
    ("2\\pi", "2π", C, ""),
    ("\\frac{\\pi}{4}", "\\pi/4", C, ""),
    ("\\frac{\\pi}{4}", "0.785", W, "exact value expected"),
    ("\\sqrt{2}", "1.414", W, "exact value expected"),
    ("\\sqrt{2}", "1.41421356", W, "exact value expected"),
    ("x y", "y x", C, ""),
    ("2xy", "2yx", C, ""),
    ("x^2 y", "y x^2", C, ""),
    ("\\frac{x}{2}", "0.5x", C, ""),
    ("\\frac{2}{3}x", "2/3x", C, ""),
    ("\\frac{2x}{3}", "\\frac{2}{3} x", C, ""),
    ("x_1 + x_2", "x_{1} + x_{2}", C, ""),
    ("a+b+c", "c+b+a", C, ""),
    ("0", "0", C, ""),
    ("0", "x-x", C, ""),
    ("1", "\\frac{x}{x}", C, ""),
    ("10", "2 \\cdot 5", C, ""),
    ("-3", "-3", C, ""),
    ("-3", "3", W, "sign error"),
    ("4", "-4", W, "sign error"),
    ("2x+1", "-2x-1", W, "sign error"),
    ("x-y", "y-x", W, "sign error"),
    ("\\frac{1}{x^2}", "-\\frac{1}{x^2}", W, "sign error"),
    # factors
    ("2x", "4x", W, "factor of 2"),
    ("2x", "x", W, "factor of 1/2"),
    ("6", "3", W, "factor of 1/2"),
    ("6", "12", W, "factor of 2"),
    ("x^2/2", "x^2", W, "factor of 2"),
    ("3x^2", "-6x^2", W, "factor of -2"),
    ("2x \\cos(x^2)", "\\cos(x^2)", W, "factor 2*x is missing"),
    ("3(2x+1)^2 \\cdot 2", "3(2x+1)^2", W, "factor of 1/2"),
    ("\\cos(x) e^{\\sin(x)}", "e^{\\sin(x)}", W, "is missing"),
    # terms
    ("x^2+3x", "x^2", W, "term is missing: 3*x"),
    ("x^2+3x+2", "x^2+3x", W, "term is missing: 2"),
    ("x^2+3x+2", "3x+2", W, "term is missing: x**2"),
    ("x^2+3x", "x^2-3x", W, "sign error in the term 3*x"),
    ("x^2-2x+5", "x^2+2x+5", W, "sign error in the term"),
    ("x^2", "x^2+1", W, "should not be there"),
    ("x^2+1", "x^2+2", W, ""),
    ("\\sin(x)", "\\cos(x)", W, ""),
    ("x^3", "3x^2", W, ""),
    ("e^x", "e^{-x}", W, ""),
    ("x+1", "x+y", W, "contains y"),
    ("x", "y", W, "contains y"),
    # decimals
    ("1/3", "0.33", W, "exact value expected"),
    ("1/3", "0.333", W, "exact value expected"),
    ("1/3", "0.3", W, "exact value expected"),
    ("2/3", "0.67", W, "exact value expected"),
    ("2/3", "0.66", W, ""),
    ("1/3", "0.4", W, ""),
    ("1/7", "0.142857", W, "exact value expected"),
    ("\\frac{x}{3}", "0.333x", W, "exact value expected"),
    ("124/25", "4.96", C, ""),
    ("4.96", "124/25", C, ""),
    ("0.25", "1/4", C, ""),
    # equations as solution sets
    ("x^2 = 4", "x = 2 or x = -2", C, ""),
    ("x^2 = 4", "x = -2 \\lor x = 2", C, ""),
    ("x^2 = 4", "x = 2", W, "solutions missing"),
    ("x = 2", "x^2 = 4", W, "not solutions"),
    ("(x-2)^2 = 0", "x = 2", C, ""),
    ("x = 2", "(x-2)^2 = 0", C, ""),
    ("x = 2", "2x = 4", C, ""),
    ("x = 2", "x - 2 = 0", C, ""),
    ("x = 2", "x = 3", W, "solutions missing"),
    ("2x + 1 = 5", "x = 2", C, ""),
    ("x^2 - 5x + 6 = 0", "x = 2 or x = 3", C, ""),
    ("x^2 - 5x + 6 = 0", "x = 3 or x = 2", C, ""),
    ("x^2 - 5x + 6 = 0", "x = 3", W, "solutions missing: x = 2"),
    ("y = 2x + 1", "2x - y + 1 = 0", C, ""),
    ("y = 2x + 1", "y - 1 = 2x", C, ""),
    ("y = 2x + 1", "y = 2x - 1", W, ""),
    ("x = 1, y = 2", "y = 2, x = 1", C, ""),
    ("x = 1, y = 2", "x = 1, y = 3", W, ""),
    ("x + y = 3, x - y = 1", "x = 2, y = 1", C, ""),
    ("x^2 = -1", "x = 1", W, "not solutions"),
    # lists and sets
    ("(1, 2, 3)", "(1, 2, 3)", C, ""),
    ("(1, 2, 3)", "[1, 2, 3]", C, ""),
    ("(1, 2, 3)", "1, 2, 3", C, ""),
    ("(1, 2, 3)", "(3, 2, 1)", W, "wrong order"),
    ("(1, 2, 3)", "(1, 2)", W, "3 values expected"),
    ("(1, 2, 3)", "(1, 2, 4)", W, "value 3 is wrong"),
    ("(1, 2)", "(1, -2)", W, "value 2 is wrong: sign error"),
    ("(\\frac{1}{2}, 1)", "(0.5, 1)", C, ""),
    ("(x, 2x)", "(x, x+x)", C, ""),
    ("\\{1, 2, 3\\}", "\\{3, 1, 2\\}", C, ""),
    ("\\{1, 2, 3\\}", "\\{1, 2\\}", W, "3 values expected"),
    ("\\{1, 2, 3\\}", "\\{1, 2, 4\\}", W, "1 of the values are wrong"),
    ("\\{-1, 1\\}", "\\{1, -1\\}", C, ""),
    ("\\{\\sqrt{2}, -\\sqrt{2}\\}", "\\{-\\sqrt{2}, \\sqrt{2}\\}", C, ""),
    # matrices and vectors
    ("[[1,2],[3,4]]", "[[1,2],[3,4]]", C, ""),
    ("[[1,2],[3,4]]", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", C, ""),
    ("[[1,2],[3,4]]", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", C, ""),
    ("[[1,2],[3,4]]", "[[1, 2], [3, 4.0]]", C, ""),
    ("[[1,2],[3,4]]", "[[1,3],[2,4]]", W, "transpose"),
    ("[[1,2],[3,4]]", "[[3,4],[1,2]]", W, "rows 1 and 2 are swapped"),
    ("[[1,2],[3,4]]", "[[1,2],[3,5]]", W, "entry (2,2) is wrong"),
    ("[[1,2],[3,4]]", "[[1,2],[-3,4]]", W, "entry (2,1) is wrong (sign error"),
    ("[[1,2],[3,4]]", "[[0,2],[3,0]]", W, "entries (1,1) and (2,2) are wrong"),
    ("[[1,2],[3,4]]", "[[-1,-2],[-3,-4]]", W, "every entry has the opposite sign"),
    ("[[1,2],[3,4]]", "[[1,2,0],[3,4,0]]", W, "2×2 matrix is expected"),
    ("[[1,2,3]]", "[[1],[2],[3]]", W, "1×3 row is expected"),
    ("[[1,2,3],[4,5,6]]", "[[1,4],[2,5],[3,6]]", W, "transpose"),
    ("[[1],[2],[3]]", "(1, 2, 3)", C, ""),
    ("[[1],[2],[3]]", "\\begin{pmatrix}1\\\\2\\\\3\\end{pmatrix}", C, ""),
    ("[[1],[2],[3]]", "[[1,2,3]]", W, "3×1 column is expected, the answer is a 1×3 row"),
    ("[[1],[2],[3]]", "(1, 2, 3)^T", C, ""),
    ("[[1],[2],[3]]", "(1, 2, 4)", W, "entry 3 is wrong"),
    ("[[1],[2],[3]]", "(1, 2)", W, "3×1 column is expected"),
    ("[[x],[2x]]", "(x, x+x)", C, ""),
    ("[[\\frac{1}{3}],[1]]", "(0.33, 1)", W, "exact value expected"),
    # unreadable
    ("x+1", "\\frac{1}{", U, ""),
    ("x+1", "", U, "empty"),
    ("x+1", "   ", U, "empty"),
    ("[[1,2],[3,4]]", "[[1,2],[3]]", U, ""),
    ("x = 2", "x", U, "equation"),
]


def test_the_table_is_big_enough():
    assert len(ROWS) >= 150


@pytest.mark.parametrize("expected, answer, status, fragment", ROWS,
                         ids=[f"{i}:{r[0]}|{r[1]}" for i, r in enumerate(ROWS)])
def test_row(expected, answer, status, fragment):
    v = grading.compare_expected(expected, answer)
    assert v.status == status, v
    assert v.correct == (status == C)
    assert 0 <= v.score <= 1 and (v.score == 1) == v.correct
    if fragment:
        assert any(fragment in f for f in v.feedback), v.feedback


def test_rounded_decimals_policy():
    rounded = Policy(decimals="rounded")
    assert grading.compare_expected("1/3", "0.33", rounded).correct
    assert grading.compare_expected("\\sqrt{2}", "1.414", rounded).correct
    assert not grading.compare_expected("1/3", "0.4", rounded).correct


def test_sandboxed_rows_agree():
    for expected, answer, status, _ in ROWS[::15]:
        assert check_expected(expected, answer).status == status
