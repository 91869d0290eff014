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


def read_distribution(text: str, expected_values: Any = ()) -> list[tuple[sympy.Expr | None, sympy.Expr, int | None]]:
    """``P(X=0) = 1/4, ...``, ``0: 1/4, ...``, ``p(h1 | D) = 2/3, ...`` or bare probabilities
    in order; values that are names (Bayes' hypotheses) are matched by name.  Each
    probability comes with the decimals typed (``reading.decimal_digits``: the policy needs them)."""
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
        out.append((value, numeric.exact_decimals(reading.expression(prob_text))[0],
                    reading.decimal_digits(prob_text)))
    return out


def probability_name(problem: Any) -> str:
    """How the probabilities are named, a format string for the value: ``p({} | D)`` for
    Bayes' posterior, ``p(x = {} | y = 1)`` for a conditional pmf, else ``P({})``."""
    kind = getattr(problem, "kind", None)
    if kind == "bayes":
        return "p({} | D)"
    if kind == "conditional":
        axis, value, _ = problem["given"]
        return f"p({'y' if axis == 'x' else 'x'} = {{}} | {axis} = {show(value)})"
    return "P({})"


def compare_distribution(expected: Any, text: str, policy: Policy, name: str = "P({})") -> Verdict:
    """``name`` (:func:`probability_name`): the posterior is p(h1 | D), not P(h1)."""
    given = read_distribution(text, expected.values)
    values, probs = list(expected.values), list(expected.probabilities)
    parsed = ", ".join(f"{name.format(show(v))} = {show(p)}" if v is not None else show(p)
                       for v, p, _ in given)
    if any(v is None for v, _, _ in given):
        if len(given) != len(values):
            return graded(parsed, [f"{len(values)} probabilities expected, the answer has {len(given)}"], 0)
        given = [(v, p, d) for v, (_, p, d) in zip(values, given)]
    feedback, good = [], 0
    for v, p in zip(values, probs):
        match = next(((q, d) for w, q, d in given if numeric.equal(w, v)), None)
        if match is None:
            if not numeric.equal(p, 0):
                feedback.append(f"the value {show(v)} is missing")
            else:
                good += 1
            continue
        j = judge(p, match[0], policy, digits=match[1])
        good += j.score
        if not j.ok:
            feedback.append(f"{name.format(show(v))} is wrong" + (f": {j.feedback[0]}" if j.feedback else ""))
    for w, q, _ in given:
        if not any(numeric.equal(w, v) for v in values) and not numeric.equal(q, 0):
            feedback.append(f"{show(w)} is not a possible value")
    total = sum((q for _, q, _ in given), sympy.Integer(0))
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
    note = f": {j.feedback[0]}" if j.feedback else ""
    return ([] if j.ok else [f"{name} is wrong{note}"]), j.score, show(given)


def compare_parts(expected: dict[str, Any], text: str, aliases: dict[str, str], policy: Policy,
                  graded_if_missing: tuple[str, ...] = ()) -> Verdict:
    """Each named part judged; a missing part is unreadable, except those in
    ``graded_if_missing``, which are wrong ("missing") and earn nothing."""
    parts = read_parts(text, list(expected), aliases)
    missing = [n for n in expected if n not in parts and n not in graded_if_missing]
    if missing:
        raise reading.ParseError(f"missing: {', '.join(missing)}")
    feedback, score, shown = [], 0.0, []
    for name, value in expected.items():
        if name not in parts:
            feedback.append(f"{name} is missing")
            continue
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
    return compare_parts({"mean": expected.mean, "variance": expected.variance}, text,
                          _MOMENT_ALIASES, policy)


def compare_gaussian(expected: Any, text: str, policy: Policy) -> Verdict:
    t = text.strip()
    for head in ("\\mathcal{N}", "\\mathcal N", "N"):
        if t.startswith(head) and reading.enclosed(t[len(head):]) is not None:
            t = reading.enclosed(t[len(head):])[1]
            break
    aliases = {"mu": "mean", "e[x]": "mean", "sigma": "cov", "covariance": "cov", "σ": "cov",
               "constant": "c", "z": "c"}
    parts = {"mean": expected.mean, "cov": expected.cov}
    constant = getattr(expected, "constant", None)  # c N(x | mean, cov): a product of densities
    if constant is not None:
        parts["c"] = constant
    return compare_parts(parts, t, aliases, policy, graded_if_missing=("c",))
