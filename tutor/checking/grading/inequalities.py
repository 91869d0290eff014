"""Inequalities in one variable, compared as the real solution sets they describe.

``x > 2`` ≡ ``2 < x``; ``x^2 > 4`` ≡ ``x > 2 or x < -2``; ``1 < x < 5`` ≡ ``x > 1 and x < 5``
(as STACK's AlgEquiv compares them).  The sides are read by ``tutor.parse`` (which itself
refuses ``<`` inside an expression); the relations and the words ``and``/``or`` are read
here.  Only when the teacher's expected answer is an inequality (``check --expected``).
"""
from __future__ import annotations

import re

import sympy

from tutor.checking.grading import reading
from tutor.checking.grading.verdict import Verdict, right, wrong

_RELATION = re.compile(r"\\leq?(?![a-z])|\\geq?(?![a-z])|\\lt(?![a-z])|\\gt(?![a-z])|<=|>=|≤|≥|<|>")
_OPS = {"<": sympy.Lt, ">": sympy.Gt, "<=": sympy.Le, ">=": sympy.Ge, "≤": sympy.Le, "≥": sympy.Ge,
        "\\lt": sympy.Lt, "\\gt": sympy.Gt, "\\le": sympy.Le, "\\leq": sympy.Le, "\\ge": sympy.Ge,
        "\\geq": sympy.Ge}


def has_inequality(text: str) -> bool:
    return bool(_RELATION.search(text))


def _chain(text: str) -> sympy.Basic:
    """``a < b <= c`` -> (a < b) ∧ (b <= c); ``x = 2`` (an equation among them) as Eq."""
    sides = _RELATION.split(text)
    ops = _RELATION.findall(text)
    if not ops:
        parts = reading.split_top(text, ["="])
        if len(parts) != 2:
            raise reading.ParseError(f"an inequality such as x > 2 was expected, not {text.strip()!r}")
        return sympy.Eq(reading.expression(parts[0]), reading.expression(parts[1]))
    values = [reading.expression(s) for s in sides]
    return sympy.And(*(_OPS[op](a, b) for op, a, b in zip(ops, values, values[1:])))


def read(text: str) -> sympy.Basic:
    """``... or ...`` of ``... and ...`` (also ``,``) of chains."""
    alternatives = reading.split_top(text, [" or ", "\\lor", "\\vee"])
    return sympy.Or(*(sympy.And(*(_chain(c) for c in reading.split_top(a, [" and ", "\\land", "\\wedge", ","])))
                      for a in alternatives))


def _solution_set(condition: sympy.Basic, x: sympy.Symbol) -> sympy.Set:
    real = sympy.Symbol(x.name, real=True)
    return condition.subs(x, real).as_set() if condition not in (sympy.true, sympy.false) else \
        (sympy.S.Reals if condition == sympy.true else sympy.S.EmptySet)


def compare_inequalities(expected_text: str, text: str) -> Verdict:
    expected, given = read(expected_text), read(text)
    symbols = {s.name for s in expected.free_symbols | given.free_symbols}
    parsed = sympy.sstr(given)
    if len(symbols) != 1:
        return wrong(parsed, "inequalities in one variable are compared; this answer has "
                     f"{len(symbols)} variables")
    x = sympy.Symbol(symbols.pop())
    mine = {s: x for s in expected.free_symbols | given.free_symbols}
    e, g = (_solution_set(c.subs(mine), x) for c in (expected, given))
    if e == g or sympy.Complement(e, g) == sympy.S.EmptySet and sympy.Complement(g, e) == sympy.S.EmptySet:
        return right(parsed)
    return wrong(parsed, f"a different set: the answer describes {g}, not {e}")
