"""Yes/no answers, "does not exist" answers, and gradients of a loss (backprop)."""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy

from tutor.checking.grading import reading
from tutor.checking.grading.labelled import read_parts
from tutor.checking.grading.expressions import show
from tutor.checking.grading.matrices import judge_matrix, read_matrix_like, show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong


def compare_boolean(expected: Any, text: str, policy: Policy, vectors: Any = None) -> Verdict:
    """Yes or no; a dependency relation written after "no" (``no, 2v_1 - v_2 = 0``) is
    checked against the problem's ``vectors`` when it is given: a wrong witness is wrong."""
    given, rest = reading.boolean_and_rest(text)
    parsed = "yes" if given else "no"
    if given != expected.value:
        return wrong(parsed, "the answer is the opposite")
    if not given and vectors and "=" in rest:
        return _judge_relation(list(vectors), rest)
    return right(parsed)


_INDEX = re.compile(r"^[A-Za-z]+_\{?(\d+)\}?$")


def _judge_relation(vectors: list[sympy.MatrixBase], text: str) -> Verdict:
    """``c_1 v_1 + ... = 0`` (or ``x_1 - 2x_2 = 0``, ``λ_1 ...``): the coefficients of the
    indexed unknowns, a non-zero combination of the vectors that must give 0."""
    sides = reading.split_top(text, ["="])
    if len(sides) != 2:
        raise reading.ParseError("write the relation as one equation, such as 2v_1 - v_2 = 0")
    combo = sympy.expand(reading.expression(sides[0]) - reading.expression(sides[1]))
    index = {}
    for s in combo.free_symbols:
        m = _INDEX.match(str(s))
        if m is None or not 1 <= int(m.group(1)) <= len(vectors):
            raise reading.ParseError(f"the relation names {s}: write it with v_1 .. v_{len(vectors)}, "
                                     "such as 2v_1 - v_2 = 0")
        index[s] = int(m.group(1)) - 1
    if index and (not combo.is_polynomial(*index) or sympy.Poly(combo, *index).total_degree() > 1) \
            or combo.subs({s: 0 for s in index}) != 0:
        raise reading.ParseError("a dependency relation is a linear combination of the vectors "
                                 "equal to 0, such as 2v_1 - v_2 = 0")
    c = [sum((combo.coeff(s) for s, k in index.items() if k == i), sympy.S.Zero)
         for i in range(len(vectors))]
    parsed = "no, " + " + ".join(f"({show(ci)})·v_{i + 1}" for i, ci in enumerate(c) if ci != 0) + " = 0"
    if all(ci == 0 for ci in c):
        return wrong(parsed, "the relation is trivial: all coefficients are 0", 0.5)
    total = sum((ci * sympy.Matrix(v) for ci, v in zip(c, vectors)), sympy.zeros(vectors[0].rows, 1))
    if any(e != 0 for e in total.applyfunc(sympy.simplify)):
        return wrong(parsed, f"the relation does not hold: the combination is {show_matrix(total)}, not 0", 0.5)
    return right(parsed)


_NO_OPTIMUM = ("infeasible", "unbounded")


def compare_none(expected: Any, text: str, policy: Policy) -> Verdict:
    """"Does not exist"; for an LP the reason is the answer ("infeasible" or "unbounded")."""
    said = " ".join(text.lower().rstrip(".").split())
    named = [w for w in _NO_OPTIMUM if w in said]
    if named and expected.reason in _NO_OPTIMUM:
        if named == [expected.reason]:
            return right(expected.reason)
        return wrong(said[:80], f"the LP is {expected.reason}")
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
