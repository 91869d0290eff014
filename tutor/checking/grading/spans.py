"""Subspaces compared as spans: a basis answer, an eigenspace, a kernel.

Two lists of vectors span the same subspace when each given vector lies in the span
of the expected ones, the given ones are independent and there are as many as the
dimension.  When the expected basis is orthonormal (Gram-Schmidt), the given one
must be orthonormal too.  Ranks are exact (``rank(simplify=True)``).
"""
from __future__ import annotations

from typing import Sequence

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.matrices import show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong


def rank(vectors: Sequence[sympy.MatrixBase]) -> int:
    if not vectors:
        return 0
    return sympy.Matrix.hstack(*vectors).rank(simplify=True)


def in_span(v: sympy.MatrixBase, basis: Sequence[sympy.MatrixBase]) -> bool:
    if all(numeric.equal(e, 0) for e in v):
        return True
    return rank(list(basis) + [v]) == rank(basis)


def is_zero(v: sympy.MatrixBase) -> bool:
    return all(numeric.equal(e, 0) for e in v)


def read_vectors(text: str) -> list[sympy.Matrix]:
    """``(1,0), (0,1)``, ``span{(1,0),(0,1)}``, ``\\{(1,0)\\}``, pmatrices separated by commas."""
    t = text.strip()
    for word in ("\\operatorname{span}", "\\text{span}", "\\mathrm{span}", "span"):
        if t.lower().startswith(word.lower()):
            t = t[len(word):].strip()
            break
    box = reading.enclosed(t)
    if box is not None and box[0] == "{":
        t = box[1]
    return [numeric.exact_decimals(reading.vector(piece)[0])[0] for piece in reading.split_top(t, [",", ";"])
            if piece]


def span_feedback(expected: Sequence[sympy.MatrixBase], given: Sequence[sympy.MatrixBase],
                  what: str = "the subspace") -> tuple[list[str], float]:
    """Why ``given`` is not a basis of span(``expected``), and a score (share of good vectors)."""
    dim = rank(expected)
    n = expected[0].rows if expected else (given[0].rows if given else 0)
    feedback: list[str] = []
    if any(v.rows != n for v in given):
        return [f"vectors with {n} entries are expected"], 0.0
    good = 0
    for v in given:
        if is_zero(v):
            feedback.append("the zero vector cannot be in a basis")
        elif not in_span(v, expected):
            feedback.append(f"{show_matrix(v)} is not in {what}")
        else:
            good += 1
    if not feedback and rank(given) < len(given):
        feedback.append("the vectors are linearly dependent")
    if not feedback and len(given) != dim:
        feedback.append(f"{what} has dimension {dim}: {dim} independent vectors are expected, "
                        f"the answer has {len(given)}")
    score = good / max(dim, len(given)) if (dim or given) else 1.0
    return feedback, score


def orthonormal_feedback(vectors: Sequence[sympy.MatrixBase]) -> list[str]:
    out = []
    for i, v in enumerate(vectors):
        if not numeric.equal((v.T * v)[0], 1):
            out.append(f"{show_matrix(v)} does not have length 1")
        for j in range(i):
            if not numeric.equal((vectors[j].T * v)[0], 0):
                out.append(f"vectors {j + 1} and {i + 1} are not orthogonal")
    return out


def compare_basis(expected: Sequence[sympy.MatrixBase], text: str, policy: Policy) -> Verdict:
    """A basis of a subspace; the zero subspace is answered by "{0}", "none" or "empty"."""
    expected = [sympy.Matrix(v) for v in expected]
    if reading.says_none(text) or text.replace(" ", "") in ("{0}", "\\{0\\}", "0"):
        return right("{0}") if not expected else wrong("{0}", "the subspace is not the zero subspace")
    given = read_vectors(text)
    parsed = ", ".join(map(show_matrix, given))
    if not expected:
        return wrong(parsed, "the subspace is {0}: its basis is empty")
    feedback, score = span_feedback(expected, given)
    if not feedback and not orthonormal_feedback(expected):
        feedback = orthonormal_feedback(given)
        score = 0.5 if feedback else score
    return graded(parsed, feedback, score)
