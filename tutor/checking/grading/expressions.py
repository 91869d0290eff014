"""Scalars: equality by policy, and the name of the usual mistake when they differ.

Shared by every answer type: a matrix entry, an eigenvalue, a probability are all
judged by :func:`judge`.  Also the forms a teacher may type as the expected answer
(``check --expected``): equations compared as solution sets (``x^2 = 4`` equals
``x = 2 or x = -2``), lists ordered, sets unordered.
"""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Sequence

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong

MAX_TERMS = 12


@dataclass
class Judgement:
    """Equal or not, with the mistakes found (words) and a score for this one value."""

    ok: bool
    feedback: list[str] = field(default_factory=list)
    score: float = 0.0


def show(expr: sympy.Basic) -> str:
    """How we read a value, as plain text (``(2/3)*x``, not ``2*x/3``, is sympy's own)."""
    return sympy.sstr(expr, full_prec=False)


def judge(expected: sympy.Expr, given: sympy.Expr, policy: Policy,
          sampler: numeric.Sampler | None = None, diagnose_mistake: bool = True,
          digits: int | None = None) -> Judgement:
    """Compare one value with the expected one (policies in :mod:`tutor.grading.policy`).

    ``digits``: the decimals typed in the answer's text (see ``reading.decimal_digits``).
    """
    expected = numeric.exact_decimals(numeric.plain(expected))[0]  # a reference 4.96 is 124/25
    given = numeric.plain(given)
    exact, float_digits = numeric.exact_decimals(given)
    digits = float_digits if digits is None else digits
    sampler = sampler or numeric.Sampler(expected.free_symbols | exact.free_symbols)
    if numeric.equal(expected, exact, sampler):
        return Judgement(True, score=1.0)
    # a number: half a unit of its last digit; an expression: two units at each sampled point
    units = 2.0 if exact.free_symbols else 0.5
    if digits is not None and numeric.agree(sampler.values(expected), sampler.values(exact),
                                            rel=units * 10.0 ** -digits * (1 + 1e-9)) is True:
        if policy.decimals == "rounded":
            return Judgement(True, score=1.0)
        return Judgement(False, [f"exact value expected: {show(given)} is a rounded decimal"], 0.5)
    if policy.up_to_constant and _constant_difference(expected, exact, sampler) is not None:
        return Judgement(True, score=1.0)
    feedback = diagnose(expected, exact, sampler) if diagnose_mistake else []
    return Judgement(False, feedback)


def _constant_difference(expected: sympy.Expr, given: sympy.Expr,
                         sampler: numeric.Sampler) -> complex | None:
    d = numeric.combine((1, -1), (sampler.values(given), sampler.values(expected)))
    real = [v for v in d[0] if v is not None]
    if len(real) >= numeric.NEEDED and all(abs(v - real[0]) <= 1e-9 * max(1, abs(real[0])) for v in real):
        return real[0]
    return None


def _same(values: numeric.Values, target: numeric.Values) -> bool:
    return numeric.agree(values, target) is True


def diagnose(expected: sympy.Expr, given: sympy.Expr, sampler: numeric.Sampler) -> list[str]:
    """Name the usual mistake that turns ``expected`` into ``given``; [] when none fits."""
    r, s = sampler.values(expected), sampler.values(given)
    if _same(s, numeric.combine((-1,), (r,))):
        return ["sign error: the answer has the opposite sign"]
    for factor, words in ((2, "2 (twice the expected value)"), (sympy.Rational(1, 2), "1/2 (half the expected value)"),
                          (-2, "-2"), (sympy.Rational(-1, 2), "-1/2")):
        if _same(s, numeric.combine((complex(factor),), (r,))):
            return [f"off by a factor of {words}"]
    extra = given.free_symbols - expected.free_symbols
    if extra:
        return [f"the answer contains {', '.join(sorted(map(str, extra)))}, which the expected answer does not"]
    terms = sympy.Add.make_args(sympy.expand(expected))
    if 1 < len(terms) <= MAX_TERMS:
        for t in terms:
            vt = sampler.values(t)
            if _same(s, numeric.combine((1, -1), (r, vt))):
                return [f"a term is missing: {show(t)}"]
            if _same(s, numeric.combine((1, -2), (r, vt))):
                return [f"sign error in the term {show(t)}"]
    given_terms = sympy.Add.make_args(sympy.expand(given))
    if 1 < len(given_terms) <= MAX_TERMS:
        for t in given_terms:
            if _same(numeric.combine((1, -1), (s, sampler.values(t))), r):
                return [f"a term should not be there: {show(t)}"]
    if expected.free_symbols:
        c = _constant_difference(expected, given, sampler)
        if c is not None:
            return [f"off by the constant {_number(c)}"]
        missing = _missing_factor(expected, given)
        if missing is not None:
            return [f"a factor {show(missing)} is missing (the inner derivative of the chain rule?)"]
    return []


def _missing_factor(expected: sympy.Expr, given: sympy.Expr) -> sympy.Expr | None:
    """``q`` when ``given · q = expected`` and q is made of factors of ``expected``."""
    if given == 0:
        return None
    q = sympy.cancel(expected / given)
    if not q.free_symbols or q.has(sympy.Float):
        return None
    have = collections.Counter(sympy.Mul.make_args(expected))
    need = collections.Counter(f for f in sympy.Mul.make_args(q) if not f.is_number)
    return q if all(have[f] >= n for f, n in need.items()) else None


def _number(c: complex) -> str:
    value = c.real if abs(c.imag) < 1e-12 else c
    return show(sympy.nsimplify(value, rational=True, tolerance=1e-9)) if isinstance(value, float) else str(value)


# ---------------------------------------------------------------- whole answers

def compare_expression(expected: sympy.Expr, text: str, policy: Policy) -> Verdict:
    """A single scalar answer; ``E[X] = 1``, ``rank A = 2``, ``f'(x) = 2x`` are judged by their
    last side (the value a label is set equal to)."""
    if not isinstance(expected, sympy.Equality):
        text = reading.value_side(text)
    given = reading.expression(text)
    j = judge(expected, given, policy, digits=reading.decimal_digits(text))
    if j.ok:
        return right(show(given))
    return wrong(show(given), j.feedback or ["not equal to the expected value"], j.score)


def compare_sequence(expected: Sequence[sympy.Expr], texts: Sequence[str], policy: Policy,
                     ordered: bool, what: str = "value") -> Verdict:
    """A list (order matters) or a set (it does not); one point of credit per item."""
    given = [reading.expression(t) for t in texts]
    parsed = ("(" if ordered else "{") + ", ".join(map(show, given)) + (")" if ordered else "}")
    if len(given) != len(expected):
        return wrong(parsed, f"{len(expected)} {what}s expected, the answer has {len(given)}",
                     _matched(expected, given) / max(len(expected), len(given)))
    if ordered:
        feedback, good = [], 0
        for k, (e, g, t) in enumerate(zip(expected, given, texts), 1):
            j = judge(e, g, policy, digits=reading.decimal_digits(t))
            good += j.ok
            if not j.ok:
                feedback.append(f"{what} {k} is wrong" + (f": {j.feedback[0]}" if j.feedback else ""))
        if feedback and _matched(expected, given) == len(expected):
            feedback = ["the right values in the wrong order"]
        return graded(parsed, feedback, good / len(expected))
    good = _matched(expected, given)
    return graded(parsed, [] if good == len(expected) else
                  [f"{len(expected) - good} of the {what}s are wrong"], good / len(expected))


def _matched(expected: Sequence[sympy.Expr], given: Sequence[sympy.Expr]) -> int:
    """How many given values can be paired with distinct expected ones (equality is transitive)."""
    left = list(expected)
    count = 0
    for g in given:
        for i, e in enumerate(left):
            if numeric.equal(e, numeric.exact_decimals(g)[0]):
                del left[i]
                count += 1
                break
    return count


# ---------------------------------------------------------------- equations as solution sets

def read_equations(text: str) -> list[list[sympy.Expr]]:
    """``a = b, c = d or e = f`` -> alternatives of conjunctions of ``lhs - rhs``."""
    out = []
    for alternative in reading.split_top(text, [" or ", "\\lor", "\\vee", "||"]):
        conj = []
        for piece in reading.split_top(alternative, [",", ";", " and ", "\\land", "\\wedge", "&&"]):
            sides = reading.split_top(piece, ["="])
            if len(sides) != 2:
                raise reading.ParseError(f"an equation a = b was expected, not {piece!r}")
            conj.append(reading.expression(sides[0]) - reading.expression(sides[1]))
        out.append(conj)
    return out


def solutions(system: list[list[sympy.Expr]], symbols: list[sympy.Symbol]) -> list[dict] | None:
    """All solutions (a union over the alternatives), or None when sympy gives no finite list."""
    found: list[dict] = []
    for conj in system:
        sols = sympy.solve(conj, symbols, dict=True)
        if any(set(s) != set(symbols) for s in sols):
            return None
        found += sols
    return found


def compare_equations(expected_text: str, text: str, policy: Policy) -> Verdict:
    """Equations compared by their real solution sets."""
    expected, given = read_equations(expected_text), read_equations(text)
    parsed = " or ".join(", ".join(f"{show(e)} = 0" for e in conj) for conj in given)
    symbols = sorted({numeric.plain(s) for conj in expected + given for e in conj
                      for s in numeric.plain(e).free_symbols}, key=str)
    expected = [[numeric.plain(e) for e in c] for c in expected]
    given = [[numeric.exact_decimals(numeric.plain(e))[0] for e in c] for c in given]
    if len(expected) == len(given) == 1 and len(expected[0]) == len(given[0]) == 1:
        if _proportional(expected[0][0], given[0][0]):
            return right(parsed)
    sol_e, sol_g = solutions(expected, symbols), solutions(given, symbols)
    if sol_e is None or sol_g is None:
        return wrong(parsed, "the equations could not be compared as solution sets")
    real_e, real_g = _real_points(sol_e, symbols), _real_points(sol_g, symbols)
    missing = [p for p in real_e if not any(_same_point(p, q) for q in real_g)]
    extra = [q for q in real_g if not any(_same_point(p, q) for p in real_e)]
    feedback = []
    if missing:
        feedback.append("solutions missing: " + "; ".join(_show_point(p, symbols) for p in missing))
    if extra:
        feedback.append("not solutions: " + "; ".join(_show_point(q, symbols) for q in extra))
    score = (len(real_e) - len(missing)) / max(1, len(real_e) + len(extra))
    return graded(parsed, feedback, score if feedback else 1.0)


def _proportional(a: sympy.Expr, b: sympy.Expr) -> bool:
    """``a = 0`` and ``b = 0`` are the same equation when b = c·a for a constant c ≠ 0."""
    if a == 0 or b == 0:
        return a == b
    q = sympy.cancel(b / a)
    return not q.free_symbols and q != 0


def _real_points(sols: list[dict], symbols: list[sympy.Symbol]) -> list[tuple]:
    out = []
    for s in sols:
        point = tuple(s[x] for x in symbols)
        if all(numeric.equal(sympy.im(v), 0) for v in point):
            if not any(_same_point(point, q) for q in out):
                out.append(point)
    return out


def _same_point(p: tuple, q: tuple) -> bool:
    return all(numeric.equal(a, b) for a, b in zip(p, q))


def _show_point(p: tuple, symbols: list[sympy.Symbol]) -> str:
    return ", ".join(f"{x} = {show(v)}" for x, v in zip(symbols, p))
