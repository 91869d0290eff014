"""Parametric systems (one parameter a, unknowns named with --unknowns) against sympy: for
many values of a, including every exceptional one, the case that covers the value gives the
solution set that ``sympy.linsolve`` finds for the system with a substituted."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
import sympy
from sympy import Matrix, Rational

import tutor
from tutor.core.answers import CasesAnswer
from tutor.core.errors import TutorError
from tutor.rendering import render

a = sympy.Symbol("a")


def solve(equations: list[str], unknowns: str):
    sol = tutor.solve("system", equations=equations, unknowns=unknowns)
    bad = [st.rule for st in sol.walk() if not st.check()]
    assert not bad, f"steps that do not check: {bad}"
    assert isinstance(sol.answer, CasesAnswer)
    return sol


def case_at(answer: CasesAnswer, t: sympy.Expr):
    for value, case in answer.cases:
        if sympy.simplify(value - t) == 0:
            return case, {}
    return answer.generic, {answer.parameter: t}


def agrees_with_linsolve(sol, t: sympy.Expr) -> None:
    """The covering case's set is linsolve's at a = t: empty together, else the same dimension,
    the particular point solves the substituted equations and each direction the homogeneous ones."""
    xs = list(sol.problem["variables"])
    eqs = [sympy.expand((e.lhs - e.rhs).subs(a, t)) for e in sol.problem["equations"]]
    oracle = sympy.linsolve(eqs, xs)
    case, at = case_at(sol.answer, t)
    if oracle == sympy.EmptySet:
        assert case.particular is None, (t, case)
        return
    assert case.particular is not None, (t, oracle)
    (point,) = oracle
    assert len(case.directions) == len(set().union(*(sympy.sympify(c).free_symbols for c in point)) & set(xs))
    p = [sympy.simplify(sympy.sympify(v).subs(at)) for v in case.particular]
    assert all(sympy.simplify(e.subs(dict(zip(xs, p)))) == 0 for e in eqs), (t, p)
    homogeneous = [e - e.subs({x: 0 for x in xs}) for e in eqs]
    for d in case.directions:
        v = [sympy.sympify(c).subs(at) for c in d]
        assert all(sympy.simplify(h.subs(dict(zip(xs, v)))) == 0 for h in homogeneous)
    if case.directions:
        assert Matrix.hstack(*(Matrix(d).subs(at) for d in case.directions)).rank() == len(case.directions)


def values_to_try(sol, rng: random.Random) -> list[sympy.Expr]:
    exceptional = [v for v, _ in sol.answer.cases]
    return exceptional + list(range(-3, 4)) + [Rational(rng.randint(-20, 20), rng.randint(1, 9)) for _ in range(4)]


def _linear(rng: random.Random) -> str:
    """An entry: a number, or c·a + d (a parameter that enters linearly)."""
    c, d = rng.randint(-2, 2), rng.randint(-3, 3)
    return f"({c}a + {d})" if rng.random() < 0.4 and c else f"({d})"


def random_system(rng: random.Random, m: int, n: int) -> tuple[list[str], str]:
    names = "xyz"[:n]
    while True:
        rows = []
        for _ in range(m):
            terms = " + ".join(f"{_linear(rng)}{v}" for v in names)
            rows.append(f"{terms} = {_linear(rng)}")
        if any("a" in r for r in rows):
            return rows, ",".join(names)


@pytest.mark.parametrize("seed", range(24))
def test_random_parametric_systems_agree_with_linsolve_at_every_value(seed: int) -> None:
    rng = random.Random(seed)
    m, n = [(2, 2), (2, 3), (3, 2), (3, 3)][seed % 4]
    equations, unknowns = random_system(rng, m, n)
    try:
        sol = solve(equations, unknowns)
    except TutorError as e:  # a cubic pivot whose roots sympy cannot write: refused, said so
        assert "cannot be written exactly" in str(e)
        return
    for t in values_to_try(sol, rng):
        agrees_with_linsolve(sol, t)


def test_the_book_example_has_three_cases() -> None:
    sol = solve(["x + a y = 1", "a x + y = 1"], "x,y")
    answer = sol.answer
    assert [v for v, _ in answer.cases] == [-1, 1]
    assert [sympy.simplify(v - 1 / (a + 1)) for v in answer.generic.particular] == [0, 0]
    minus_one, one = (c for _, c in answer.cases)
    assert minus_one.particular is None
    assert one.particular is not None and len(one.directions) == 1
    text = render.render_solution(sol, "text")
    assert "1 - a^2 = (1 - a)·(a + 1), which is zero for a = -1 and a = 1" in text
    assert "a ∉ {-1, 1}: the unique solution (x, y) = (1/(a + 1), 1/(a + 1))" in text
    assert "a = -1: no solution" in text and "a = 1: infinitely many solutions" in text
    latex = render.render_solution(sol, "latex")
    assert "\\notin" in latex and "R_{2} / \\left(1 - a^{2}\\right)" in latex


def test_a_zero_row_in_the_parameter_is_a_case() -> None:
    answer = solve(["x + y = 1", "x + y = a"], "x,y").answer
    assert answer.generic.particular is None
    assert [v for v, _ in answer.cases] == [1] and answer.cases[0][1].directions


def test_a_pivot_without_real_roots_makes_no_case() -> None:
    sol = solve(["x + y = 1", "x + (a^2 + 2) y = 0"], "x,y")
    assert sol.answer.cases == () and sol.answer.generic.particular is not None
    assert "zero for no real a" in render.render_solution(sol, "text")


def test_json_form_of_the_cases() -> None:
    data = solve(["a x = 1"], "x").answer.to_json()
    assert data["type"] == "cases" and data["parameter"] == "a"
    assert data["generic"]["except"] == ["0"] and data["generic"]["answer"]["particular"] == ["1/a"]
    assert data["cases"] == [{"value": "0", "answer": {"type": "solution_set", "variables": ["x"],
                                                        "particular": None, "directions": []}}]


@pytest.mark.parametrize("equations, unknowns, words", [
    (["x + a y = 1", "a x + y = 1"], None, "not linear in a, x, y: a\\*y; if a is a parameter, add --unknowns x,y"),
    (["x + a y = b", "x - y = c"], "x,y", "two parameters at most"),
    (["x/a + y = 1", "x - y = 1"], "x,y", "not a polynomial in the parameter a"),
    (["x + y = 1", "x + (a^5 - a) y = 2"], "x,y", "cannot be written exactly"),
    (["x y = 1"], "x,y", "not linear in x, y"),
])
def test_bad_input_is_one_clear_error(equations, unknowns, words) -> None:
    with pytest.raises(TutorError, match=words):
        tutor.solve("system", equations=equations, unknowns=unknowns)


def test_cli_solves_and_check_asks_for_the_cases() -> None:
    run = subprocess.run([sys.executable, "-m", "tutor", "solve", "system", "x + a y = 1", "a x + y = 1",
                          "--unknowns", "x,y"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "a = -1: no solution" in run.stdout
    refused = subprocess.run([sys.executable, "-m", "tutor", "solve", "system", "x + a y = 1", "a x + y = 1"],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "--unknowns x,y" in refused.stderr
    verdict = tutor.check("system", "(x, y) = (1/(a+1), 1/(a+1))", equations=["x + a y = 1", "a x + y = 1"],
                          unknowns="x,y")
    # an answer without its cases is refused with what to type (tests/checking/test_cases.py grades cases)
    assert verdict.status == "unreadable" and "'condition: answer'" in " ".join(verdict.feedback)


# ---------------------------------------------------------------- two parameters

b_ = sympy.Symbol("b")


def _covering(answer, point: dict) -> tuple:
    """The solution set that covers ``point`` (values of a and b), with the point substituted."""
    while isinstance(answer, CasesAnswer):
        p = next(s for s in point if s.name == answer.parameter.name)
        answer = next((case for v, case in answer.cases if sympy.simplify(v - point[p]) == 0), answer.generic)
    return answer


@pytest.mark.parametrize("equations, unknowns", [
    (["x + a y = b", "a x + y = 1"], "x,y"),
    (["x + y + z = b", "x + a y + z = 1", "x + y + a z = 1"], "x,y,z"),
    (["a x + 2y = b", "2x + a y = 2"], "x,y"),
])
def test_two_parameters_agree_with_linsolve_on_a_grid(equations, unknowns) -> None:
    """Issue 18: cases on a, and inside each special value of a its own cases on b; at every
    point of a grid that contains every special value, the covering case is linsolve's set."""
    sol = solve(equations, unknowns)
    xs = list(sol.problem["variables"])
    a_values = [v for v, _ in sol.answer.cases] + [-2, 0, Rational(1, 2), 3]
    b_values = [v for _, case in sol.answer.cases if isinstance(case, CasesAnswer) for v, _ in case.cases]
    b_values += [-2, 0, Rational(5, 3)]
    for s in a_values:
        for t in b_values:
            point = {a: s, b_: t}
            eqs = [sympy.expand((e.lhs - e.rhs).subs(point)) for e in sol.problem["equations"]]
            oracle = sympy.linsolve(eqs, xs)
            case = _covering(sol.answer, point)
            subs = {sym: val for sym, val in point.items()}
            if oracle == sympy.EmptySet:
                assert case.particular is None, (point, case)
                continue
            assert case.particular is not None, (point, oracle)
            p = [sympy.simplify(sympy.sympify(v).subs(subs)) for v in case.particular]
            assert all(sympy.simplify(e.subs(dict(zip(xs, p)))) == 0 for e in eqs), (point, p)
            (found,) = oracle
            free = set().union(*(sympy.sympify(c).free_symbols for c in found)) & set(xs)
            assert len(case.directions) == len(free), (point, case)


def test_two_parameters_render_and_refuse_what_ties_them() -> None:
    sol = solve(["x + a y = b", "a x + y = 1"], "x,y")
    text = render.render_solution(sol, "text")
    assert "keeping a and b as letters" in text and "It still has the parameter b" in text
    assert "a = 1: (b = 1: infinitely many solutions" in text
    with pytest.raises(TutorError, match="together"):
        tutor.solve("system", equations=["x + a y = b", "b x + y = 1"], unknowns="x,y")
    with pytest.raises(TutorError, match="two parameters at most"):
        tutor.solve("system", equations=["x + a y = b", "x + y = c", "x = 1"], unknowns="x,y")
