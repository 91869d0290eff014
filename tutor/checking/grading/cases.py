"""Answers with case distinctions on a parameter (a linear system with a parameter), checked
case by case.

Typed as cases separated by ``;``, each ``condition: answer``::

    a = 1: infinitely many; a = -1: no solution; otherwise: x = 1/(a+1), y = 1/(a+1)

With two parameters, a case of the first may carry a condition on the second
(``a = 1 and b = 1: infinitely many; a = 1 and b \\neq 1: none; ...``); the cases of one value
of a are graded as the cases of the system with that value.

Conditions: ``a = 1``, ``a = 1 or a = -1``, ``a = \\pm 1``, ``a \\in \\{1, -1\\}``; the general
case ``otherwise`` (``else``, ``all other a``) or ``a \\neq 1, -1`` (``a \\neq 1 and a \\neq -1``,
``a \\notin \\{1, -1\\}``).  Answers: a solution set as a system's answer is typed
(:mod:`solution_sets`), possibly in the parameter, or for a special value only its outcome:
``unique``, ``infinitely many``, ``no solution``.

Graded as a teacher does: the special values must be exactly the right ones (a missing case
and a value that is not special are named), and each case's answer is checked by
substitution: at its value, and for the general case at sample values of the parameter, the
answer must be the solution set of the system there (any parametrization, any equivalent
expression).  The general case must give the solution when it is unique.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import sympy

from tutor.core.answers import CasesAnswer, SolutionSetAnswer
from tutor.core.errors import ParseError, TutorError
from tutor.checking.grading import numeric, reading
from tutor.checking.grading.expressions import show
from tutor.checking.grading.solution_sets import judge_solution, read_solution
from tutor.checking.grading.verdict import Verdict, graded

FORM = ("type the cases separated by ';', each as 'condition: answer', e.g. "
        "'a = 1: infinitely many; a = -1: no solution; otherwise: x = 1/(a+1), y = 1/(a+1)'")

#: Values of the parameter at which the general case is checked (those not special).
SAMPLES = (sympy.Rational(1, 3), sympy.Rational(-7, 2), 5, sympy.Rational(11, 4), -3, 0, 2)
#: Values of a second parameter left free in a case (b in the general case of a).
OTHER_SAMPLES = (sympy.Rational(2, 7), -4, sympy.Rational(9, 5))

_OTHERWISE = re.compile(r"^(otherwise|else|elsewhere|in (all )?other cases|(for )?(all )?other "
                        r"(values( of \w+)?|\w+)|(for )?every other \w+|generic(ally)?|general case)$")
_UNIQUE = re.compile(r"^(a )?(unique( solution)?|(exactly )?one solution)$")
_INFINITE = re.compile(r"^infinitely many( solutions)?$")


@dataclass(frozen=True)
class Case:
    """One case the student typed: ``values`` of the parameter (None: the general case, which
    excludes ``excluded`` when the student listed them) and the answer's text."""

    values: tuple[sympy.Expr, ...] | None
    excluded: tuple[sympy.Expr, ...] | None
    text: str
    rest: str | None = None  # the condition on a second parameter: "b = 1" in "a = 1 and b = 1"


def compare_cases(expected: Any, text: str, problem: Any = None) -> Verdict:
    """``expected`` is a :class:`tutor.core.answers.CasesAnswer` of solution sets (or, for two
    parameters, of answers with their own cases)."""
    a = numeric.plain(expected.parameter)
    cases = read_cases(text, a)
    score, feedback = _grade(expected, cases, a, problem, {})
    parsed = "; ".join(_shown_condition(c, a) + f": {c.text}" for c in cases)
    return graded(parsed, feedback, score)


def _shown_condition(c: Case, a: sympy.Symbol) -> str:
    head = "otherwise" if c.values is None else " or ".join(f"{a} = {show(v)}" for v in c.values)
    return head + (f" and {c.rest}" if c.rest else "")


def _grade(expected: Any, cases: list[Case], a: sympy.Symbol, problem: Any,
           fixed: dict[str, sympy.Expr]) -> tuple[float, list[str]]:
    """The share of the cases right and what is wrong; ``fixed``: the values of parameters
    already set (a case of an outer parameter)."""
    special = dict(expected.cases)
    general = [c for c in cases if c.values is None]
    given = [v for c in cases if c.values is not None for v in c.values]
    feedback: list[str] = []
    if len(general) > 1:
        feedback.append("the general case ('otherwise') is given twice")
    plain = [v for c in cases if c.values is not None and not c.rest for v in c.values]
    for v in [v for k, v in enumerate(plain) if _among(v, plain[:k])]:
        feedback.append(f"{a} = {show(v)} appears in two cases")
    right, items = 0.0, len(special) + 1
    generic_text = general[0].text if general else None
    for v, answer in special.items():
        covering = [c for c in cases if c.values is not None and _among(v, c.values)]
        if not covering:
            if generic_text is not None and _holds(generic_text, a, v, answer, problem, fixed):
                right += 1  # the general answer happens to hold there too
            else:
                feedback.append(f"the case {a} = {show(v)} is missing "
                                f"(there the system has {_outcome(answer)})")
            continue
        if isinstance(answer, CasesAnswer) or any(c.rest for c in covering):
            share, notes = _grade_inner(answer, covering, a, v, problem, fixed)
            right += share
            feedback += [f"{a} = {show(v)}: {n}" for n in notes]
            continue
        note = _judge_case(covering[0].text, a, v, answer, problem, fixed)
        right += note is None
        if note:
            feedback.append(f"{a} = {show(v)}: {note}")
    for v in [v for k, v in enumerate(given) if not _among(v, special) and not _among(v, given[:k])]:
        items += 1
        feedback.append(f"{a} = {show(v)} is not a special value: the general answer holds there")
    if generic_text is None:
        feedback.append(f"the general case ({a} not among {_listed(special)}) is missing")
    else:
        excluded = general[0].excluded
        if excluded is not None and not (all(_among(v, given) for v in excluded)
                                         and all(_among(v, excluded) for v in given)):
            feedback.append(f"the general case excludes {_listed(excluded)}, but the other cases "
                            f"treat {_listed(given)}")
        note = _judge_general(generic_text, a, expected, [*special, *given], problem, fixed)
        right += note is None
        if note:
            feedback.append(f"otherwise: {note}")
    return right / items, feedback


def _grade_inner(answer: Any, covering: list[Case], a: sympy.Symbol, v: sympy.Expr, problem: Any,
                 fixed: dict[str, sympy.Expr]) -> tuple[float, list[str]]:
    """The cases at ``a = v`` on the other parameter (``a = 1 and b = 1: ...``): graded as the
    cases of the system with a = v; a case without a condition on it is its 'otherwise'."""
    b = answer.parameter if isinstance(answer, CasesAnswer) else _other_parameter(covering, problem, a)
    if b is None:
        return 0.0, ["a condition on the other parameter cannot be read"]
    b = numeric.plain(b)
    inner = [_condition(c.rest, b, c.text) if c.rest else Case(None, None, c.text) for c in covering]
    expected = answer if isinstance(answer, CasesAnswer) else CasesAnswer(b, answer, ())
    return _grade(expected, inner, b, _at(problem, a, v), {**fixed, a.name: v})


def _other_parameter(covering: list[Case], problem: Any, a: sympy.Symbol) -> sympy.Symbol | None:
    inputs = getattr(problem, "inputs", None) or {}
    others = [p for p in inputs.get("parameters") or () if p.name != a.name]
    if others:
        return others[0]
    m = next((_LHS.match(c.rest) for c in covering if c.rest and _LHS.match(c.rest)), None)
    return sympy.Symbol(m.group(1)) if m else None


def read_cases(text: str, a: sympy.Symbol) -> list[Case]:
    """The cases of the text, or a ParseError that says what to type."""
    pieces: list[str] = []
    for piece in reading.split_top(text, [";", "\\\\"]):
        if len(reading.split_top(piece, [":"])) < 2 and pieces:
            pieces[-1] += "; " + piece  # a ';' inside one case's answer
        elif piece:
            pieces.append(piece)
    cases = []
    for piece in pieces:
        parts = reading.split_top(piece, [":"])
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ParseError(f"cannot read {piece!r} as a case: {FORM}")
        condition, answer = parts[0], piece[len(parts[0]):].lstrip()[1:].strip()
        own, rest = _split_condition(condition, a)
        case = _condition(own, a, answer)
        cases.append(Case(case.values, case.excluded, case.text, rest))
    if not cases:
        raise ParseError(FORM)
    return cases


_LHS = re.compile(r"^\s*([A-Za-z]\w*)\s*(?:=|≠|∈|∉|!=|\\neq?\b|\\(?:not)?in\b)")


def _split_condition(text: str, a: sympy.Symbol) -> tuple[str, str | None]:
    """``a = 1 and b = 1`` -> (``a = 1``, ``b = 1``): the parts about ``a`` and those about
    another parameter (a part without its own letter continues the one before)."""
    parts = reading.split_top(text, [" and ", "\\land"])
    own: list[str] = []
    rest: list[str] = []
    current = own
    for part in parts:
        m = _LHS.match(part)
        if m:
            current = own if m.group(1) == a.name else rest
        current.append(part)
    return " and ".join(own) or text, " and ".join(rest) or None


def _condition(text: str, a: sympy.Symbol, answer: str) -> Case:
    t = " ".join(text.replace("≠", "\\neq ").replace("∈", "\\in ").replace("∉", "\\notin ")
                 .replace("±", "\\pm ").split())
    t = re.sub(r"^(for|if|when|case)\s+", "", t, flags=re.I)
    if _OTHERWISE.match(t.lower()):
        return Case(None, None, answer)
    for negated, marks in ((True, ("\\neq", "\\ne", "!=", "\\notin")), (False, ("=", "\\in"))):
        pieces = reading.split_top(t, [" and ", "\\land", ",", " or ", "\\lor"])
        values: list[sympy.Expr] = []
        for piece in pieces:
            mark = next((m for m in marks if _has_mark(piece, m)), None)
            if mark is None:
                if not values:
                    break  # not this kind of condition
                values.extend(_values(piece, text))  # a list continued: a \neq 1, -1
                continue
            lhs, rhs = piece.split(mark, 1)
            if numeric.plain(_expr(lhs, text)) != a:
                raise ParseError(f"the condition {text!r} is not about the parameter {a}: {FORM}")
            values.extend(_values(rhs, text))
        else:
            if values:
                unique = tuple(dict.fromkeys(values))
                return Case(None, unique, answer) if negated else Case(unique, None, answer)
    raise ParseError(f"cannot read the condition {text!r}: write {a} = 1, {a} = 1 or {a} = 2, "
                     f"or otherwise; {FORM}")


def _has_mark(piece: str, mark: str) -> bool:
    """``=`` as the equals sign, not inside ``\\neq`` or ``!=``."""
    if mark != "=":
        return mark in piece and not (mark == "\\ne" and "\\neq" in piece and mark != "\\neq")
    return bool(re.search(r"(?<![!<>])=", piece))


def _values(text: str, condition: str) -> list[sympy.Expr]:
    """``1``, ``\\pm 1``, ``\\{1, -1\\}``: numbers."""
    t = text.strip()
    box = reading.enclosed(t)
    items = reading.split_top(box[1], [","]) if box is not None and box[0] == "{" else [t]
    out: list[sympy.Expr] = []
    for item in items:
        item = item.strip()
        signs = (1, -1) if item.startswith("\\pm") else (1,)
        value = _expr(item[3:] if item.startswith("\\pm") else item, condition)
        if not value.is_number or value.is_real is False:
            raise ParseError(f"{show(value)} in the condition {condition!r} is not a real number")
        out.extend(sympy.nsimplify(s * value) for s in signs)
    return out


def _expr(text: str, condition: str) -> sympy.Expr:
    try:
        return reading.expression(text)
    except TutorError as e:
        raise ParseError(f"cannot read the condition {condition!r} ({e}): {FORM}") from None


def _kind(answer: SolutionSetAnswer) -> str:
    if answer.particular is None:
        return "none"
    return "many" if answer.directions else "unique"


def _outcome(answer: Any) -> str:
    if isinstance(answer, CasesAnswer):
        return f"cases on {answer.parameter}"
    return {"none": "no solution", "many": "infinitely many solutions",
            "unique": "a unique solution"}[_kind(answer)]


def _said(text: str) -> str | None:
    """The outcome the text names alone (``unique``, ``infinitely many``, ``no solution``)."""
    t = " ".join(text.lower().split())
    if reading.says_none(t):
        return "none"
    if _INFINITE.match(t):
        return "many"
    return "unique" if _UNIQUE.match(t) else None


def _at(problem: Any, a: sympy.Symbol, v: sympy.Expr) -> Any:
    """The problem with the parameter set to ``v`` (None without a problem: the system is
    then rebuilt from the expected answer)."""
    inputs = getattr(problem, "inputs", None) or {}
    if "A" not in inputs:
        return None
    at = {s: v for s in inputs["A"].free_symbols | inputs["b"].free_symbols if s.name == a.name}
    equations = [sympy.Eq(e.lhs.subs(at), e.rhs.subs(at), evaluate=False) for e in inputs.get("equations") or []]
    others = tuple(p for p in inputs.get("parameters") or () if p.name != a.name)
    return SimpleNamespace(inputs={"A": inputs["A"].subs(at), "b": inputs["b"].subs(at), "equations": equations,
                                   "parameters": others})


def _substituted(answer: SolutionSetAnswer, a: sympy.Symbol, v: sympy.Expr) -> SolutionSetAnswer:
    at = {s: v for s in _symbols(answer) if s.name == a.name}
    if answer.particular is None:
        return answer
    return SolutionSetAnswer(answer.variables, sympy.Matrix(answer.particular).subs(at),
                             tuple(sympy.Matrix(d).subs(at) for d in answer.directions))


def _symbols(answer: SolutionSetAnswer) -> set:
    parts = [] if answer.particular is None else [answer.particular, *answer.directions]
    return set().union(*(sympy.Matrix(m).free_symbols for m in parts)) if parts else set()


def _judge_case(text: str, a: sympy.Symbol, v: sympy.Expr, answer: SolutionSetAnswer, problem: Any,
                fixed: dict[str, sympy.Expr]) -> str | None:
    """None if ``text`` is the solution set at the parameter value ``v``, else what is wrong."""
    said = _said(text)
    if said is not None:
        return None if said == _kind(answer) else f"the system has {_outcome(answer)} there"
    verdict = _judge_text(text, a, v, answer, problem, fixed)
    return None if verdict.correct else "; ".join(verdict.feedback)


def _judge_text(text: str, a: sympy.Symbol, v: sympy.Expr, answer: SolutionSetAnswer,
                problem: Any, fixed: dict[str, sympy.Expr]) -> Verdict:
    """The verdict on ``text`` at ``a = v``; a parameter of the problem still free (b in the
    general case of a) is set to sample values, never read as a parameter of the solution set."""
    inputs = getattr(problem, "inputs", None) or {}
    others = [p for p in inputs.get("parameters") or () if p.name != a.name and p.name not in fixed]
    if others:
        verdict = None
        for k in range(3):
            values = {p: OTHER_SAMPLES[(k + j) % len(OTHER_SAMPLES)] for j, p in enumerate(others)}
            at_problem, at_answer = problem, answer
            for p, t in values.items():
                at_problem, at_answer = _at(at_problem, p, t), _substituted(at_answer, p, t)
            verdict = _judge_one(text, a, v, at_answer, at_problem, {**fixed, **{p.name: t for p, t in values.items()}})
            if not verdict.correct:
                where = ", ".join(f"{p} = {show(t)}" for p, t in values.items())
                return dataclasses.replace(verdict, feedback=[f"with {where}, {f}" for f in verdict.feedback])
        return verdict
    return _judge_one(text, a, v, answer, problem, fixed)


def _judge_one(text: str, a: sympy.Symbol, v: sympy.Expr, answer: SolutionSetAnswer,
               problem: Any, fixed: dict[str, sympy.Expr]) -> Verdict:
    variables = [numeric.plain(x) for x in answer.variables]
    vec = read_solution(text, variables)
    if vec is not None:
        at = {s: fixed[s.name] for s in vec.free_symbols if s.name in fixed}
        vec = vec.subs({**at, a: v})
        if any(e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) for e in vec):
            return graded("", [f"the answer is not defined for {a} = {show(v)}"], 0)
    return judge_solution(answer, vec, _at(problem, a, v))


def _holds(text: str, a: sympy.Symbol, v: sympy.Expr, answer: Any, problem: Any,
           fixed: dict[str, sympy.Expr]) -> bool:
    if isinstance(answer, CasesAnswer):
        return False  # a value whose own cases differ: it must be a case of its own
    if _said(text) is not None:
        return _said(text) == _kind(answer)
    return _judge_text(text, a, v, answer, problem, fixed).correct


def _judge_general(text: str, a: sympy.Symbol, expected: Any, special: list, problem: Any,
                   fixed: dict[str, sympy.Expr]) -> str | None:
    """None if ``text`` is the solution set at sample values of the parameter (none of them
    special), else what is wrong there."""
    generic = expected.generic
    said = _said(text)
    if said is not None:
        if said != _kind(generic):
            return f"the system has {_outcome(generic)} there"
        return None if said != "unique" else "the unique solution is asked for, not only that it exists"
    for t in [t for t in SAMPLES if not _among(t, special)][:3]:
        verdict = _judge_text(text, a, t, _substituted(generic, a, t), problem, fixed)
        if not verdict.correct:
            return f"for {a} = {show(t)}, " + "; ".join(verdict.feedback)
    return None


def _among(v: sympy.Expr, values: Any) -> bool:
    return any(numeric.equal(v, w) for w in values)


def _listed(values: Any) -> str:
    return "{" + ", ".join(show(v) for v in sorted(values, key=sympy.default_sort_key)) + "}"
