"""Distributions, moments and Gaussians: the same support and probabilities, the same
parameters.  Each value or parameter is one share of the credit."""
from __future__ import annotations

import re
from typing import Any

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.expressions import judge, show
from tutor.checking.grading.labelled import read_parts
from tutor.checking.grading.matrices import judge_matrix, read_matrix_like, show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded

_PROB = re.compile(r"^\s*(?:P|p|\\Pr|\\mathbb\{P\}|Pr)\s*\(\s*(?:[A-Za-z]\s*=\s*)?(.*?)"
                   r"(?:\s*(?:\||\\mid)[^()]*)?\)\s*$")


def _label(text: str) -> str:
    """A hypothesis name as typed (``h_1``, ``\\text{rain}``) reduced to compare with ``h1``, ``rain``."""
    return re.sub(r"\\(?:text|mathrm|operatorname)|[{}_\s$]", "", text)


def _value(text: str, names: dict[str, sympy.Symbol]) -> sympy.Expr:
    """A value of the distribution: one of the named hypotheses, else a number."""
    named = names.get(_label(text))
    return named if named is not None else numeric.exact_decimals(reading.expression(text))[0]


def read_distribution(text: str, expected_values: Any = ()) -> list[tuple[sympy.Expr | None, sympy.Expr]]:
    """``P(X=0) = 1/4, ...``, ``0: 1/4, ...``, ``p(h1 | D) = 2/3, ...`` or bare probabilities
    in order; values that are names (Bayes' hypotheses) are matched by name."""
    names = {_label(str(v)): v for v in expected_values if isinstance(v, sympy.Symbol)}
    box = reading.enclosed(text)
    if box is not None and box[0] == "{":
        text = box[1]
    out = []
    for part in reading.split_top(text, [",", ";", "\n"]):
        if not part:
            continue
        eq = reading.split_top(part, ["="])
        colon = reading.split_top(part, [":"])
        if len(eq) == 2 and _PROB.match(eq[0]):
            value_text, prob_text = _PROB.match(eq[0]).group(1), eq[1]
        elif len(colon) == 2:
            value_text, prob_text = colon
        else:
            value_text, prob_text = None, part
        value = None if value_text is None else _value(value_text, names)
        out.append((value, numeric.exact_decimals(reading.expression(prob_text))[0]))
    return out


def compare_distribution(expected: Any, text: str, policy: Policy) -> Verdict:
    given = read_distribution(text, expected.values)
    values, probs = list(expected.values), list(expected.probabilities)
    parsed = ", ".join(f"P({show(v)}) = {show(p)}" if v is not None else show(p) for v, p in given)
    if any(v is None for v, _ in given):
        if len(given) != len(values):
            return graded(parsed, [f"{len(values)} probabilities expected, the answer has {len(given)}"], 0)
        given = [(v, p) for v, (_, p) in zip(values, given)]
    feedback, good = [], 0
    for v, p in zip(values, probs):
        match = next((q for w, q in given if numeric.equal(w, v)), None)
        if match is None:
            if not numeric.equal(p, 0):
                feedback.append(f"the value {show(v)} is missing")
            else:
                good += 1
            continue
        j = judge(p, match, policy)
        good += j.ok
        if not j.ok:
            feedback.append(f"P({show(v)}) is wrong" + (f": {j.feedback[0]}" if j.feedback else ""))
    for w, q in given:
        if not any(numeric.equal(w, v) for v in values) and not numeric.equal(q, 0):
            feedback.append(f"{show(w)} is not a possible value")
    total = sum((q for _, q in given), sympy.Integer(0))
    if feedback and not numeric.equal(total, 1):
        feedback.append(f"the probabilities add up to {show(total)}, not 1")
    return graded(parsed, feedback, good / max(1, len(values)))


def _part(expected: Any, text: str, name: str, policy: Policy) -> tuple[list[str], float, str]:
    """One parameter (a scalar or a matrix) judged: feedback, score, how it was read."""
    if isinstance(expected, sympy.MatrixBase):
        given, typed = read_matrix_like(text, expected)
        feedback, score = judge_matrix(sympy.Matrix(expected), given, policy, typed,
                                       reading.decimal_digits(text))
        return [f"{name}: {f}" for f in feedback], score, show_matrix(given)
    given = reading.expression(text)
    j = judge(numeric.basic(expected), given, policy, digits=reading.decimal_digits(text))
    note = j.feedback[0] if j.feedback else "wrong"
    return ([] if j.ok else [f"{name} is wrong: {note}"]), float(j.ok), show(given)


def _compare_parts(expected: dict[str, Any], text: str, aliases: dict[str, str], policy: Policy) -> Verdict:
    parts = read_parts(text, list(expected), aliases)
    missing = [n for n in expected if n not in parts]
    if missing:
        raise reading.ParseError(f"missing: {', '.join(missing)}")
    feedback, score, shown = [], 0.0, []
    for name, value in expected.items():
        f, s, p = _part(value, parts[name][0], name, policy)
        feedback += f
        score += s
        shown.append(f"{name} = {p}")
    return graded(", ".join(shown), feedback, score / len(expected))


_MOMENT_ALIASES = {"e": "mean", "e[x]": "mean", "ex": "mean", "mu": "mean", "expectation": "mean",
                   "expectedvalue": "mean", "v": "variance", "v[x]": "variance", "var": "variance",
                   "var[x]": "variance", "sigma^2": "variance", "cov": "variance",
                   "covariance": "variance", "cov[x]": "variance", "e(x)": "mean", "var(x)": "variance",
                   "v(x)": "variance", "μ": "mean", "σ^2": "variance", "variance": "variance"}


def compare_moments(expected: Any, text: str, policy: Policy) -> Verdict:
    return _compare_parts({"mean": expected.mean, "variance": expected.variance}, text,
                          _MOMENT_ALIASES, policy)


def compare_gaussian(expected: Any, text: str, policy: Policy) -> Verdict:
    t = text.strip()
    for head in ("\\mathcal{N}", "\\mathcal N", "N"):
        if t.startswith(head) and reading.enclosed(t[len(head):]) is not None:
            t = reading.enclosed(t[len(head):])[1]
            break
    aliases = {"mu": "mean", "e[x]": "mean", "sigma": "cov", "covariance": "cov", "σ": "cov"}
    return _compare_parts({"mean": expected.mean, "cov": expected.cov}, t, aliases, policy)
