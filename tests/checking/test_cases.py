"""Grading answers with case distinctions (a linear system with a parameter, issue 18).

The right answers are written from sympy alone (the special values are the real roots of
det A(a), each case's set is ``sympy.linsolve`` of the substituted system, the general one
linsolve's with a kept symbolic) and must pass in several forms; mutants (a missing case, a
wrong value, a wrong outcome, a wrong solution) must fail, naming the mistake."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
import sympy

import tutor
from tutor.checking.grading import compare

a = sympy.Symbol("a")
EQUATIONS = ["x + a y = 1", "a x + y = 1"]


def _solution() -> tutor.core.steps.Solution:
    return tutor.solve("system", equations=EQUATIONS, unknowns="x,y")


def grade(text: str, equations: list[str] = EQUATIONS, unknowns: str = "x,y"):
    sol = tutor.solve("system", equations=equations, unknowns=unknowns)
    return compare(sol.answer, text, sol.problem)


@pytest.mark.parametrize("text", [
    "a = 1: infinitely many; a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)",
    "a = -1: no solution; a = 1: x = 1 - y; otherwise: (x, y) = (1/(1+a), 1/(a+1))",
    "a = 1: (x, y) = (0, 1) + t(1, -1); a = -1: no solution; a \\neq 1, -1: x = 1/(a+1), y = (a-1)/(a^2-1)",
    "a = 1: infinitely many solutions; a = -1: none; a \\notin \\{1, -1\\}: x = \\frac{1}{a+1}, y = \\frac{1}{a+1}",
    "for a = 1: infinitely many; if a = -1: no solution; else: x = y = ... ".replace("x = y = ... ", "x = 1/(a+1), y = 1/(a+1)"),
])
def test_right_forms_pass(text: str) -> None:
    verdict = grade(text)
    assert verdict.correct, verdict


@pytest.mark.parametrize("text, mistake", [
    ("a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)", "the case a = 1 is missing"),
    ("a = 2: infinitely many; a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)", "the case a = 1 is missing"),
    ("a = 1: none; a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)", "a = 1: the system has infinitely many"),
    ("a = 1: x = 2 - y; a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)", "a = 1: (x, y) = (2, 0) fails"),
    ("a = 1: infinitely many; a = -1: none; otherwise: x = 1/(a+1), y = 1/(a-1)", "otherwise: for a = 1/3"),
    ("a = 1: infinitely many; a = -1: none; a = 0: x = 1, y = 1; otherwise: x = 1/(a+1), y = 1/(a+1)",
     "a = 0 is not a special value"),
    ("a = 1: infinitely many; a = -1: none", "the general case"),
    ("a = 1: infinitely many; a = -1: none; otherwise: unique", "the unique solution is asked for"),
    ("a = 1: infinitely many; a = -1: none; a \\neq 1: x = 1/(a+1), y = 1/(a+1)", "the general case excludes"),
])
def test_mutants_fail_and_name_the_mistake(text: str, mistake: str) -> None:
    verdict = grade(text)
    assert not verdict.correct and verdict.status == "incorrect", verdict
    assert any(mistake in f for f in verdict.feedback), verdict.feedback


@pytest.mark.parametrize("text", ["hello", "a = 1 infinitely many", "b = 1: none; otherwise: none",
                                  "a = x: none; otherwise: none"])
def test_malformed_answers_say_what_to_type(text: str) -> None:
    verdict = grade(text)
    assert verdict.status == "unreadable", verdict
    assert "condition" in verdict.feedback[0] or "type the cases" in verdict.feedback[0]


def test_the_command_line_grades_cases() -> None:
    base = [sys.executable, "-m", "tutor", "check", "system", *EQUATIONS, "--unknowns", "x,y", "--answer"]
    ok = subprocess.run(base + ["a = 1: infinitely many; a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run(base + ["a = -1: none; otherwise: x = 1/(a+1), y = 1/(a+1)"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "the case a = 1 is missing" in bad.stdout
    unread = subprocess.run(base + ["whatever"], capture_output=True, text=True, timeout=120)
    assert unread.returncode == 2 and "condition: answer" in unread.stdout + unread.stderr


# ---------------------------------------------------------------- random systems against sympy

def _random_square(rng: random.Random, n: int) -> list[str]:
    names = "xyz"[:n]
    while True:
        A = sympy.Matrix(n, n, lambda i, j: rng.randint(-3, 3) + (rng.choice([-1, 1]) * a if rng.random() < 0.3 else 0))
        b = sympy.Matrix(n, 1, lambda i, j: rng.randint(-3, 3) + (a if rng.random() < 0.2 else 0))
        det = sympy.expand(A.det())
        if det.has(a) and sympy.Poly(det, a).degree() <= 2:
            return [f"{sympy.sstr(sum(A[i, j] * sympy.Symbol(names[j]) for j in range(n)))} = {sympy.sstr(b[i])}"
                    for i in range(n)]


def _set_text(eqs: list[sympy.Expr], xs: list[sympy.Symbol]) -> str:
    solutions = sympy.linsolve(eqs, xs)
    if solutions == sympy.EmptySet:
        return "no solution"
    (point,) = solutions
    return ", ".join(f"{x} = {sympy.sstr(sympy.simplify(v))}" for x, v in zip(xs, point))


def _oracle(equations: list[str], n: int) -> tuple[str, list[sympy.Expr]]:
    """The right answer, from sympy: the real roots of det A(a), linsolve at each of them and
    with a symbolic."""
    xs = list(sympy.symbols("x y z"[: 2 * n - 1]))
    sides = [e.split("=") for e in equations]
    eqs = [sympy.sympify(l) - sympy.sympify(r) for l, r in sides]
    A, _ = sympy.linear_eq_to_matrix(eqs, xs)
    special = sorted({r for r in sympy.solve(A.det(), a) if r.is_real}, key=float)
    parts = [f"a = {sympy.sstr(v)}: {_set_text([e.subs(a, v) for e in eqs], xs)}" for v in special]
    return "; ".join(parts + [f"otherwise: {_set_text(eqs, xs)}"]), special


@pytest.mark.parametrize("seed", range(8))
def test_random_systems_right_answers_pass_and_mutants_fail(seed: int) -> None:
    rng = random.Random(seed)
    n = 2 if seed % 2 == 0 else 3
    equations = _random_square(rng, n)
    unknowns = ",".join("xyz"[:n])
    text, special = _oracle(equations, n)
    verdict = grade(text, equations, unknowns)
    assert verdict.correct, (equations, text, verdict)
    cases = text.split("; ")
    # a missing case (only when the general answer fails there, else it is no mistake)
    for k in range(len(special)):
        dropped = grade("; ".join(cases[:k] + cases[k + 1:]), equations, unknowns)
        assert not dropped.correct and any("is missing" in f for f in dropped.feedback), (text, dropped)
    # a wrong value: the first special value moved off every special value
    if special:
        moved = special[0] + 7
        mutant = text.replace(f"a = {sympy.sstr(special[0])}:", f"a = {sympy.sstr(moved)}:", 1)
        assert not grade(mutant, equations, unknowns).correct, mutant
    # a wrong general solution: x shifted by 1
    general = cases[-1]
    if "x = " in general:
        mutant = "; ".join(cases[:-1] + [general.replace("x = ", "x = 1 + ", 1)])
        assert not grade(mutant, equations, unknowns).correct, mutant
    # a wrong outcome for a special value
    for k, v in enumerate(special):
        claim = "infinitely many" if "no solution" in cases[k] else "no solution"
        mutant = "; ".join(cases[:k] + [f"a = {sympy.sstr(v)}: {claim}"] + cases[k + 1:])
        assert not grade(mutant, equations, unknowns).correct, mutant


# ---------------------------------------------------------------- two parameters

TWO = ["x + a y = b", "a x + y = 1"]
GENERAL = "otherwise: x = (b-a)/(1-a^2), y = (1 - a b)/(1 - a^2)"


@pytest.mark.parametrize("text", [
    "a = 1 and b = 1: infinitely many; a = 1 and b \\neq 1: none; a = -1 and b = -1: infinitely many; "
    "a = -1 and b \\neq -1: no solution; otherwise: x = (a-b)/(a^2-1), y = (a b - 1)/(a^2 - 1)",
    "a = 1 and b = 1: x = 1 - y; a = 1: none; a = -1 and b = -1: (x, y) = (-1, 0) + t(1, 1); "
    "a = -1: no solution; " + GENERAL,
])
def test_two_parameters_right_forms_pass(text: str) -> None:
    verdict = grade(text, TWO)
    assert verdict.correct, verdict


@pytest.mark.parametrize("text, mistake", [
    ("a = 1: none; a = -1: none; " + GENERAL, "a = 1: the case b = 1 is missing"),
    ("a = 1 and b = 1: x = 2 - y; a = 1: none; a = -1 and b = -1: infinitely many; a = -1: none; " + GENERAL,
     "a = 1: b = 1: (x, y) = (2, 0) fails"),
    ("a = 1 and b = 2: infinitely many; a = 1: none; a = -1 and b = -1: infinitely many; a = -1: none; " + GENERAL,
     "a = 1: b = 2 is not a special value"),
    ("a = 1 and b = 1: infinitely many; a = 1: none; a = -1 and b = -1: infinitely many; a = -1: none; "
     "otherwise: x = (a+b)/(a^2-1), y = (a b - 1)/(a^2 - 1)", "otherwise: for a = 1/3, with b = "),
    ("a = 1 and b = 1: infinitely many; a = 1: none; " + GENERAL, "the case a = -1 is missing"),
])
def test_two_parameters_mutants_fail(text: str, mistake: str) -> None:
    verdict = grade(text, TWO)
    assert not verdict.correct and verdict.status == "incorrect", verdict
    assert any(mistake in f for f in verdict.feedback), verdict.feedback


def test_two_parameter_answers_written_out_pass_their_grader() -> None:
    from tutor.exams.generators.forms import answer_text
    sol = tutor.solve("system", equations=TWO, unknowns="x,y")
    for form in ("plain", "latex"):
        text = answer_text(sol.answer, form)
        assert "a = 1 and b = 1:" in text.replace("- ", "-") or "a = 1 and b = 1" in text, text
        assert compare(sol.answer, text, sol.problem).correct, text
