"""Mistakes that only the problem can name: what a kind asked for, beyond the answer's type.

The type's comparer judges the answer; when it is not correct, :func:`refine` looks at
the problem once more and replaces the generic feedback with the mistake a student of
that kind makes (a missing 1/det, a gradient not evaluated at the point, ``V[aX + b]``
without the square), or accepts the other convention of the same object (det(λI − A)).
Each hint is checked by recomputing, never guessed from the text.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy

from tutor.checking.grading import numeric, reading
from tutor.checking.grading.expressions import judge, show
from tutor.checking.grading.matrices import read_matrix_like, same
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, right, wrong


def _charpoly(problem: Any, expected: Any, text: str, policy: Policy, v: Verdict) -> Verdict:
    """det(λI − A) = (−1)ⁿ det(A − λI): a valid characteristic polynomial, the same roots."""
    if sympy.Matrix(problem["A"]).rows % 2 == 0:
        return v  # an even size: both conventions are the same polynomial
    given = reading.expression(reading.value_side(text))
    if judge(-expected, given, policy, diagnose_mistake=False).ok:
        return right(v.parsed, "this is det(λI − A), the other sign convention (same roots)")
    return v


def _inverse(problem: Any, expected: Any, text: str, policy: Policy, v: Verdict) -> Verdict:
    """Every entry off by det A: the adjugate without its factor 1/det(A)."""
    det = sympy.Matrix(problem["A"]).det()
    given, _ = read_matrix_like(text, expected)
    if det not in (0, 1) and same(sympy.Matrix(expected) * det, given, policy):
        return wrong(v.parsed, f"every entry is off by a factor of {show(det)}: the factor "
                     f"1/det(A) = {show(1 / det)} is missing", v.score)
    return v


def _at_point(problem: Any, expected: Any, text: str, policy: Policy, v: Verdict) -> Verdict:
    """The derivative right as a function but not evaluated at the point that was asked."""
    at = problem["at"]
    if not at:
        return v
    given, _ = read_matrix_like(text, expected)
    if given.shape != expected.shape and len(given) == len(expected) and 1 in expected.shape:
        given = given.reshape(*expected.shape)  # a gradient typed as a tuple
    names = {str(s): s for s in at}
    point = {s: at[names[str(s)]] for s in given.free_symbols if str(s) in names}
    if point and same(sympy.Matrix(expected), given.subs(point), policy):
        where = ", ".join(f"{k} = {show(val)}" for k, val in at.items())
        return wrong(v.parsed, f"right as a function: now evaluate it at the point ({where})", 0.5)
    return v


def _variance(problem: Any, expected: Any, text: str, policy: Policy, v: Verdict) -> Verdict:
    """``V[aX + b] = a² V[X]``: the answer a·V[X] (or V[X] + b) misses the square (or the
    shift does not matter)."""
    g, k = problem["g"], problem["rv"].var
    if not isinstance(g, sympy.Expr) or not g.is_polynomial(k) or sympy.degree(g, k) != 1:
        return v
    a = g.coeff(k, 1)
    if a in (0, 1, -1):
        return v
    given = numeric.exact_decimals(reading.expression(reading.value_side(text)))[0]
    if judge(expected / a, given, policy, diagnose_mistake=False).ok:
        return wrong(v.parsed, f"V[aX + b] = a²·V[X]: the factor is a² = {show(a**2)}, not a = {show(a)}")
    return v


_HINTS: dict[str, Callable[[Any, Any, str, Policy, Verdict], Verdict]] = {
    "charpoly": _charpoly, "inverse": _inverse, "gradient": _at_point, "hessian": _at_point,
    "variance": _variance,
}


# an answer that leaves the asked computation to the reader: a matrix to the power -1 for an
# inverse (or a change of basis T^{-1} A S) is the question written again, not its answer
_RESTATES = {"inverse": re.compile(r"\^\s*\{?\s*-\s*1"), "change_of_basis": re.compile(r"\^\s*\{?\s*-\s*1")}


def refine(problem: Any, expected: Any, text: str, policy: Policy, verdict: Verdict) -> Verdict:
    """The verdict, with the kind's own mistake named (only for an understood, wrong answer);
    an answer that restates the question is not correct, whatever its value."""
    kind = getattr(problem, "kind", "")
    if kind in _RESTATES and _RESTATES[kind].search(reading.value_side(text)) and verdict.status != "unreadable":
        return wrong(verdict.parsed, "the answer leaves the inverse to be computed (a matrix to the "
                     "power -1): type the entries of the result")
    hint = _HINTS.get(kind)
    if hint is None or verdict.correct or verdict.status != "incorrect":
        return verdict
    return hint(problem, expected, text, policy, verdict)

