"""Matrices and vectors: shape first, then entries.

Feedback names the shape ("a 3×1 column is expected, the answer is a 1×3 row"),
the transpose, two swapped rows, a sign flipped everywhere, or the wrong entries by
position (1-based).  Partial credit: the share of right entries.
A vector typed as a tuple ``(1, 2, 3)`` fits a row or a column; a matrix literal
with one row (``[[1, 2, 3]]``) is a row and is not a column.
"""
from __future__ import annotations

from typing import Sequence

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.expressions import judge, show
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong


def shape(m: sympy.MatrixBase) -> str:
    if m.cols == 1 and m.rows > 1:
        return f"{m.rows}×1 column"
    if m.rows == 1 and m.cols > 1:
        return f"1×{m.cols} row"
    return f"{m.rows}×{m.cols} matrix"


def show_matrix(m: sympy.MatrixBase) -> str:
    if m.cols == 1:
        return "(" + ", ".join(show(e) for e in m) + ")"
    return "[" + ", ".join("[" + ", ".join(show(e) for e in m.row(i)) + "]" for i in range(m.rows)) + "]"


def wrong_entries(expected: sympy.MatrixBase, given: sympy.MatrixBase,
                  policy: Policy, digits: int | None = None) -> tuple[list[tuple[int, int]], list[str]]:
    """The positions (0-based) of wrong entries of two matrices of one shape, and any
    policy notes (a rounded decimal)."""
    sampler = numeric.Sampler(set().union(*(e.free_symbols for e in expected)) |
                              set().union(*(e.free_symbols for e in given)))
    bad, notes = [], []
    for i in range(expected.rows):
        for j in range(expected.cols):
            jd = judge(expected[i, j], given[i, j], policy, sampler, diagnose_mistake=False, digits=digits)
            if not jd.ok:
                bad.append((i, j))
                notes += [f for f in jd.feedback if f.startswith("exact value") and f not in notes]
    return bad, notes


def same(expected: sympy.MatrixBase, given: sympy.MatrixBase, policy: Policy) -> bool:
    return expected.shape == given.shape and not wrong_entries(expected, given, policy)[0]


def _positions(bad: Sequence[tuple[int, int]], column: bool) -> str:
    names = [str(i + 1) if column else f"({i + 1},{j + 1})" for i, j in bad]
    if len(names) > 6:
        names = names[:6] + ["..."]
    word = "entry" if len(bad) == 1 else "entries"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{word} {listed} {'is' if len(bad) == 1 else 'are'} wrong"


def judge_matrix(expected: sympy.MatrixBase, given: sympy.MatrixBase, policy: Policy,
                 typed: str = "matrix", digits: int | None = None) -> tuple[list[str], float]:
    """Feedback and score of ``given`` against ``expected``; ``typed`` is how a vector was
    written (``"tuple"`` fits any vector shape); ``digits`` as in ``judge``."""
    if typed == "tuple" and 1 in expected.shape and len(given) == len(expected):
        given = given.reshape(*expected.shape)
    if given.shape != expected.shape:
        if given.shape == expected.T.shape and same(expected.T, given, policy):
            if 1 in expected.shape:
                return [f"a {shape(expected)} is expected, the answer is a {shape(given)}"], 0.5
            return ["this is the transpose of the expected matrix"], 0.0
        return [f"a {shape(expected)} is expected, the answer is a {shape(given)}"], 0.0
    bad, notes = wrong_entries(expected, given, policy, digits)
    if not bad:
        return [], 1.0
    score = 1 - len(bad) / len(expected)
    if expected.rows == expected.cols > 1 and not same(expected, expected.T, policy) \
            and same(expected.T, given, policy):
        return ["this is the transpose of the expected matrix"], 0.0
    rows = sorted({i for i, _ in bad})
    if len(rows) == 2 and expected.cols > 1:
        swapped = given.copy()
        swapped.row_swap(*rows)
        if same(expected, swapped, policy):
            return [f"rows {rows[0] + 1} and {rows[1] + 1} are swapped"], score
    if len(bad) == len(expected) > 1 and same(-expected, given, policy):
        return ["sign error: every entry has the opposite sign"], score
    if len(bad) == 1:
        i, j = bad[0]
        sampler = numeric.Sampler(expected[i, j].free_symbols | given[i, j].free_symbols)
        detail = judge(expected[i, j], given[i, j], policy, sampler).feedback
        column = expected.cols == 1
        return [_positions(bad, column) + (f" ({detail[0]})" if detail else "")] + notes, score
    return [_positions(bad, expected.cols == 1)] + notes, score


def read_matrix_like(text: str, expected: sympy.MatrixBase) -> tuple[sympy.Matrix, str]:
    """The student's matrix, or vector (with the shape it was typed as) when one is expected."""
    if 1 in expected.shape and expected.shape != (1, 1):
        column, typed = reading.vector(text)
        return (column.T if typed == "row" else column), typed
    if expected.shape == (1, 1) and not reading.is_matrix_text(text):
        return sympy.Matrix([[reading.expression(text)]]), "matrix"  # a 1x1 result typed as a number
    return reading.matrix(text), "matrix"


def compare_matrix(expected: sympy.MatrixBase, text: str, policy: Policy) -> Verdict:
    given, typed = read_matrix_like(text, expected)
    feedback, score = judge_matrix(sympy.Matrix(expected), given, policy, typed, reading.decimal_digits(text))
    return graded(show_matrix(given), feedback, score)


def compare_vector(expected: sympy.MatrixBase, text: str, policy: Policy) -> Verdict:
    """A column vector; a vector typed as a tuple fits."""
    given, typed = reading.vector(text)
    parsed = show_matrix(given)
    if typed == "row":
        if len(given) == len(expected) and same(sympy.Matrix(expected), given, policy):
            return wrong(f"[{parsed}]", f"a {shape(expected)} is expected, the answer is a "
                         f"1×{len(given)} row", 0.5)
    feedback, score = judge_matrix(sympy.Matrix(expected), given, policy, "tuple", reading.decimal_digits(text))
    return graded(parsed, feedback, score) if feedback else right(parsed)
