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
    if box is not None and (box[0] == "{" or t.startswith("\\langle") or box[0] == "[" and _is_list(box[1])):
        t = box[1]  # \{..\}, ⟨..⟩ (a span), [(1,2), (1,3)] (a list of vectors)
    return [numeric.exact_decimals(reading.vector(piece)[0])[0]
            for piece in reading.split_top(t, [",", ";", " and "]) if piece]


def _is_list(inner: str) -> bool:
    """``(1,2), (1,3)`` inside brackets: every item a vector in parentheses or a matrix
    environment (``[[1,2],[1,3]]`` stays a matrix: rows or columns? it is not guessed)."""
    items = [i.strip() for i in reading.split_top(inner, [","])]
    return all(i.startswith("\\begin") or i.startswith("(") and reading.enclosed(i) is not None for i in items)


def span_feedback(expected: Sequence[sympy.MatrixBase], given: Sequence[sympy.MatrixBase],
                  what: str = "the subspace") -> tuple[list[str], float]:
    """Why ``given`` is not a basis of span(``expected``), and a score (share of good vectors)."""
    dim = rank(expected)
    n = expected[0].rows if expected else (given[0].rows if given else 0)
    feedback: list[str] = []
    if any(v.rows != n for v in given):
        return [f"vectors with {n} entries are expected"], 0.0
    good = []
    for v in given:
        if is_zero(v):
            feedback.append("the zero vector cannot be in a basis")
        elif not in_span(v, expected):
            feedback.append(f"{show_matrix(v)} is not in {what}")
        else:
            good.append(v)
    if not feedback and rank(given) < len(given):
        feedback.append(f"the vectors are linearly dependent: they span a subspace of dimension "
                        f"{rank(given)}, {what} has dimension {dim}")
    if not feedback and len(given) != dim:
        feedback.append(f"{what} has dimension {dim}: {dim} independent vectors are expected, "
                        f"the answer has {len(given)}")
    # credit for the part of the space spanned (a dependent vector adds nothing)
    score = rank(good) / max(dim, len(given)) if (dim or given) else 1.0
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


def gram_schmidt_feedback(vectors: Sequence[sympy.MatrixBase], inner: sympy.MatrixBase | None,
                          unit: bool) -> list[str]:
    """Why vectors are not what Gram-Schmidt gives: orthogonal under the inner product
    ``inner`` (None: the dot product), of length 1 when ``unit``."""
    def dot(u: sympy.MatrixBase, v: sympy.MatrixBase) -> sympy.Expr:
        return (u.T * (sympy.Matrix(inner) if inner is not None else sympy.eye(u.rows)) * v)[0]
    out = [f"{show_matrix(v)} does not have length 1" for v in vectors if unit and not numeric.equal(dot(v, v), 1)]
    return out + [f"vectors {j + 1} and {i + 1} are not orthogonal" for i, v in enumerate(vectors)
                  for j in range(i) if not numeric.equal(dot(vectors[j], v), 0)]


def compare_basis(expected: Sequence[sympy.MatrixBase], text: str, policy: Policy,
                  gram_schmidt: tuple[sympy.MatrixBase | None, bool] | None = None,
                  guess_orthonormal: bool = False) -> Verdict:
    """A basis of a subspace; the zero subspace is answered by "{0}", "none" or "empty".
    ``gram_schmidt`` (the inner product's matrix, normalized): the basis must also be
    orthogonal (orthonormal), as Gram-Schmidt makes it (any such basis of the span is right).
    ``guess_orthonormal``: the problem is unknown (an answer checked against a typed expected
    one), so an orthonormal expected basis asks for an orthonormal answer; with the problem
    known, only Gram-Schmidt does (a kernel whose reference basis happens to be (-1, 0, 0)
    accepts (-2, 0, 0))."""
    expected = [sympy.Matrix(v) for v in expected]
    if reading.says_none(text) or text.replace(" ", "") in ("{0}", "\\{0\\}", "0"):
        return right("{0}") if not expected else wrong("{0}", "the subspace is not the zero subspace")
    given = read_vectors(text)
    parsed = ", ".join(map(show_matrix, given))
    if not expected:
        return wrong(parsed, "the subspace is {0}: its basis is empty")
    feedback, score = span_feedback(expected, given)
    if not feedback and gram_schmidt is not None:
        feedback = gram_schmidt_feedback(given, *gram_schmidt)
        score = 0.5 if feedback else score
    elif not feedback and guess_orthonormal and not orthonormal_feedback(expected):
        feedback = orthonormal_feedback(given)
        score = 0.5 if feedback else score
    return graded(parsed, feedback, score)
