"""Yes/no answers, "does not exist" answers, and gradients of a loss (backprop)."""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy

from tutor.checking.grading import reading
from tutor.checking.grading.labelled import read_parts
from tutor.checking.grading.matrices import judge_matrix, read_matrix_like, show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong


def compare_boolean(expected: Any, text: str, policy: Policy) -> Verdict:
    given = reading.boolean(text)
    parsed = "yes" if given else "no"
    return right(parsed) if given == expected.value else wrong(parsed, "the answer is the opposite")


def compare_none(expected: Any, text: str, policy: Policy) -> Verdict:
    if reading.says_none(text):
        return right("does not exist")
    return wrong(text[:80], "it does not exist" + (f" ({expected.reason})" if expected.reason else ""))


_TOKEN = re.compile(r"[A-Za-z]+\d*(?:_\{?\w+\}?)?")


def _gradient_name(names: list[str]) -> Callable[[str], str | None]:
    """The parameter a label differentiates by (its last identifier that is a name):
    ``dL/dW1``, ``dL/dW_1``, ``\\frac{\\partial L}{\\partial W_{1}}`` all name ``W1``."""
    plain = {n.replace("_", ""): n for n in names}

    def resolve(label: str) -> str | None:
        tokens = [re.sub(r"[{}_]", "", t) for t in _TOKEN.findall(label.replace("\\partial", " "))]
        hits = [plain[h] for t in tokens for h in (t, t[1:] if t.startswith("d") else "") if h in plain]
        return hits[-1] if hits else None
    return resolve


def compare_gradients(expected: Any, text: str, policy: Policy) -> Verdict:
    """``dL/dW = [[..]]; dL/db = (..)``: each gradient by name; row vs column is named."""
    names = list(expected.values)
    parts = read_parts(text, names, separators=(";", ",", "\n", " and "), resolve=_gradient_name(names))
    feedback, score, shown = [], 0.0, []
    for name in names:
        if name not in parts:
            feedback.append(f"the gradient with respect to {name} is missing")
            continue
        exp = sympy.Matrix(expected.values[name])
        given, typed = read_matrix_like(parts[name][0], exp)
        f, s = judge_matrix(exp, given, policy, typed)
        if f and exp.rows == 1 and exp.cols > 1 and given.shape == exp.T.shape:
            f = [f[0] + " (a gradient is a row vector)"]
        feedback += [f"{name}: {x}" for x in f]
        score += s
        shown.append(f"{name}: {show_matrix(given)}")
    return graded("; ".join(shown), feedback, score / len(names))
