"""The size and form of a drawn problem: what two versions of one exam question must share.

Versions of a question are fair only when they ask the same thing at the same size: a 3×3
eigenproblem in version A and a 2×2 in version B are not one question.  The form is read from
the raw inputs (the text a sheet would hold) and from the shape of the answer, so it needs no
knowledge of the kind:

- which inputs are given (a ``method``, an ``at`` point, a ``distribution`` or a ``pmf``);
- the shape of every matrix and the length of every vector, list and comma list;
- the number of variables of a function or of a list of equations;
- a one-word option (``sarrus``, ``reverse``, ``relu``) and a distribution family
  (``Uniform(0, 2)`` -> ``Uniform``) as they are;
- the shape of the answer, every value left out: how many eigenvalues and eigenvectors, free
  directions of a solution set, stationary points, support vectors.

Numbers, signs and the letters chosen are not part of the form: they are what a version varies.
"""
from __future__ import annotations

import re
from typing import Any

from tutor.probability.distributions import split_top

Form = tuple[Any, ...]

_OPTION = re.compile(r"[a-z][a-z_]+")
_FAMILY = re.compile(r"\\?([A-Z][A-Za-z]*)\(")
#: a variable: one letter with an optional numeric subscript, not part of a longer name
_VARIABLE = re.compile(r"(?<![A-Za-z\\_])([A-Za-z](?:_\{?\d+\}?)?)(?![A-Za-z(_])")


def variables(text: str) -> frozenset[str]:
    """The one-letter variables of an expression or equation typed as text."""
    return frozenset(m.group(1).replace("{", "").replace("}", "") for m in _VARIABLE.finditer(text))


def text_form(text: str) -> Form:
    """The form of one raw text input (see the module's docstring)."""
    s = text.strip()
    if s.startswith("[[") and s.endswith("]]"):
        rows = split_top(s[1:-1], ",")
        return ("matrix", len(rows), len(split_top(rows[0].strip()[1:-1], ",")))
    if s.startswith("[") and s.endswith("]"):
        return ("vector", len(split_top(s[1:-1], ",")))
    if _OPTION.fullmatch(s):
        return ("option", s)
    family = _FAMILY.match(s)
    if family and s.endswith(")"):
        return ("family", family.group(1))
    items = split_top(s, ",")
    if len(items) > 1:
        return ("items", len(items))
    return ("text", len(variables(s)))


def raw_form(raw: dict[str, Any]) -> Form:
    """The form of a problem's raw inputs: each key with the form of its value."""
    def of(value: Any) -> Any:
        if isinstance(value, bool) or isinstance(value, int):
            return value
        if isinstance(value, (list, tuple)):
            if all(isinstance(v, str) and text_form(v)[0] == "text" for v in value):
                return ("list", len(value), len(frozenset().union(*(variables(v) for v in value))))
            return ("list", tuple(of(v) for v in value))
        return text_form(str(value))
    return tuple((key, of(raw[key])) for key in sorted(raw))


def answer_form(answer_json: Any) -> Any:
    """The shape of an answer's JSON: keys and list lengths kept, every value replaced by ``*``."""
    if isinstance(answer_json, dict):
        return tuple((k, v if k == "type" else answer_form(v)) for k, v in sorted(answer_json.items()))
    if isinstance(answer_json, list):
        return tuple(answer_form(v) for v in answer_json)
    return "*"


__all__ = ["Form", "raw_form", "answer_form", "text_form", "variables"]
