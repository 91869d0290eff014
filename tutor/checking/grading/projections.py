"""An orthogonal projection answered with its distance: ``π_U(x) = (5, 2, -1), d = \\sqrt{6}``.

The projection is judged as a vector; the distance d(x, U), when it is given, as a
scalar (both are what the worked solution ends with).  A bare vector is the projection.
"""
from __future__ import annotations

import re
from typing import Any

from tutor.checking.grading import reading
from tutor.checking.grading.expressions import judge, show
from tutor.checking.grading.labelled import read_parts
from tutor.checking.grading.matrices import compare_vector
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded

# d, d(x, U), dist(x, U), \operatorname{dist}, \|x - \pi_U(x)\|, ||x - p||: the distance
_DISTANCE = re.compile(r"^\s*(\\operatorname\{dist\}|\\mathrm\{d\}|dist|d|distance)\s*(\(.*\))?\s*$"
                       r"|\\\||\|\|", re.S)


def _part(label: str) -> str:
    return "d" if _DISTANCE.search(label) else "projection"


def compare_projection(expected: Any, text: str, policy: Policy) -> Verdict:
    if len(reading.split_top(text, ["="])) == 1:
        return compare_vector(expected.value, text, policy)
    parts = read_parts(text, ["projection", "d"], resolve=_part)
    if "d" not in parts:
        return compare_vector(expected.value, parts["projection"][0], policy)
    if "projection" not in parts:
        raise reading.ParseError("the projection is missing: write π_U(x) = (..), d = ..")
    vector = compare_vector(expected.value, parts["projection"][0], policy)
    d_text = parts["d"][0]
    d = reading.expression(d_text)
    j = judge(expected.distance, d, policy, digits=reading.decimal_digits(d_text))
    feedback = list(vector.feedback) + ([] if j.ok else [
        "the distance d(x, U) is wrong" + (f": {j.feedback[0]}" if j.feedback else "")])
    score = (vector.score + (1.0 if j.ok else j.score)) / 2
    return graded(f"π_U(x) = {vector.parsed}, d = {show(d)}", feedback, score)
