"""Constraints and domains as a course writes them: ``x + y <= 2``, ``x^2 + y^2 = 1``,
``x >= 0``, ``x > 0``.

The parser of the tutor reads expressions and equations only (a student's answer is never an
inequality); a constraint is split here at its one relation sign and each side goes through
the parser.  The conventions of MML 7.2 are stated once: ``lhs = rhs`` and ``lhs <= rhs``
mean g(x) = lhs - rhs (= 0, <= 0), ``lhs >= rhs`` means g(x) = rhs - lhs <= 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy

from tutor.calculus import inputs as calcinputs
from tutor.core.errors import TutorError

_SIGNS = [("<=", "<="), ("≤", "<="), ("\\leqslant", "<="), ("\\leq", "<="), ("\\le", "<="),
          (">=", ">="), ("≥", ">="), ("\\geqslant", ">="), ("\\geq", ">="), ("\\ge", ">="),
          ("<", "<"), ("\\lt", "<"), (">", ">"), ("\\gt", ">"), ("=", "=")]
_SPLIT = re.compile("|".join(re.escape(s) + (r"(?![a-zA-Z])" if s[0] == "\\" else "")
                             for s, _ in _SIGNS))


@dataclass(frozen=True)
class Constraint:
    """g(x) = 0 (``equality``) or g(x) <= 0, read from ``text`` (lhs, sign, rhs)."""

    lhs: sympy.Expr
    sign: str
    rhs: sympy.Expr
    g: sympy.Expr

    @property
    def equality(self) -> bool:
        return self.sign == "="


def split(text: str) -> tuple[sympy.Expr, str, sympy.Expr]:
    """``lhs sign rhs`` with exactly one relation sign; each side parsed as a function."""
    found = list(_SPLIT.finditer(text))
    if len(found) != 1:
        raise TutorError(f"a constraint has one relation sign (=, <=, >=), got {text!r}")
    sign = dict(_SIGNS)[found[0].group()]
    left, right = text[:found[0].start()], text[found[0].end():]
    return calcinputs.function(left), sign, calcinputs.function(right)


def constraint(value: Any) -> Constraint:
    """A constraint ``lhs = rhs``, ``lhs <= rhs`` or ``lhs >= rhs`` (strict signs refused:
    the feasible set of an optimization problem is closed)."""
    if isinstance(value, Constraint):
        return value
    lhs, sign, rhs = split(str(value))
    if sign in ("<", ">"):
        raise TutorError(f"a constraint uses =, <= or >= (a closed feasible set), not {sign!r}")
    g = rhs - lhs if sign == ">=" else lhs - rhs
    return Constraint(lhs, sign, rhs, sympy.expand(g))


def _unchained(part: str) -> list[str]:
    """``0 <= x <= 1`` as its two conditions ``0 <= x`` and ``x <= 1``; one condition as is."""
    found = list(_SPLIT.finditer(part))
    if len(found) != 2:
        return [part]
    first, second = found
    middle = part[first.end():second.start()]
    return [part[:second.start()], middle + part[second.start():]]


def domain(value: Any) -> tuple[sympy.core.relational.Relational, ...]:
    """A domain ``x > 0``, ``x > 0, y >= 1`` (comma or 'and' between conditions) or
    ``0 <= x <= 1``, as relations ``expression > 0`` / ``>= 0`` of one variable each."""
    if isinstance(value, (list, tuple)):
        return tuple(r for v in value for r in domain(v))
    out = []
    for part in [c for p in re.split(r",|\band\b|\\land|∧", str(value)) for c in _unchained(p)]:
        if not part.strip():
            continue
        lhs, sign, rhs = split(part)
        if sign == "=":
            raise TutorError(f"a domain is given by inequalities (x > 0), not {part.strip()!r}")
        rel = {"<": sympy.StrictLessThan, "<=": sympy.LessThan,
               ">": sympy.StrictGreaterThan, ">=": sympy.GreaterThan}[sign](lhs, rhs)
        if len(rel.free_symbols) != 1:
            raise TutorError(f"each condition of a domain names one variable: {part.strip()!r}")
        out.append(rel)
    if not out:
        raise TutorError("an empty domain")
    return tuple(out)


def interval_of(rels: tuple, var: sympy.Symbol) -> sympy.Set:
    """The set of values of ``var`` allowed by the conditions that name it (Reals if none)."""
    s: sympy.Set = sympy.S.Reals
    for r in rels:
        if r.free_symbols == {var}:
            s = s.intersect(sympy.solveset(r, var, sympy.S.Reals))
    return s


def contains(rels: tuple, point: dict) -> bool:
    """True when the point satisfies every condition (exact where sympy can decide)."""
    for r in rels:
        v = r.subs(point)
        if v is not sympy.true and bool(v) is not True:
            return False
    return True
