"""Generators: every registered kind has one, and every variant solves, checks and renders.

The stress test (R/exams' ``stresstest_exercise``) draws a few seeds per kind and
difficulty; each variant must solve, every step must check, the answer must pass the
checker against itself in plain and LaTeX form (inside ``draw``), and both the
statement and the solution must render.  It prints the distribution of the
difficulty metrics (steps, longest number) when run with ``-s``.
"""
from __future__ import annotations

import random
import statistics

import pytest
import sympy

from tutor import topics
from tutor.rendering import render
from tutor.core.errors import TutorError
from tutor.exams.generators import (DIFFICULTIES, GENERATORS, RAW_GENERATORS, draw, generate, metrics,
                              raw_generator)
from tutor.exams.generators import nice
from tutor.exams.generators.systems import parametric
from tutor.checking.grading import compare
from tutor.core.answers import CasesAnswer
from tutor.exams.generators.forms import answer_text

SEEDS = range(4)
ALL_KINDS = sorted(topics.all_kinds())


def test_every_kind_has_a_generator():
    missing = sorted(set(ALL_KINDS) - set(RAW_GENERATORS))
    assert not missing, f"kinds without a generator: {missing}"
    assert set(GENERATORS) == set(RAW_GENERATORS)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_stress(kind):
    report = []
    for difficulty in DIFFICULTIES:
        for seed in SEEDS:
            v = draw(kind, random.Random(seed), difficulty)
            assert all(step.check() for step in v.solution.walk()), (kind, v.raw)
            for fmt in ("latex", "text"):
                assert render.statement_body(v.solution, fmt).strip()
                assert render.solution_body(v.solution, fmt).strip()
            assert answer_text(v.solution.answer) is not None
            # the raw inputs rebuild the same problem (what the key and `generate --format toml` print)
            again = topics.get(kind).make(dict(v.raw))
            assert again.to_json() == v.problem.to_json()
            report.append((difficulty, metrics(v.solution)))
    for d in DIFFICULTIES:
        ms = [m for dd, m in report if dd == d]
        print(f"{kind:22} d={d} steps median {statistics.median(m.steps for m in ms):5.1f} "
              f"max digits {max(m.digits for m in ms)} max denominator {max(m.denominator for m in ms)}")


@pytest.mark.parametrize("kind", ["system", "eigen", "gradient", "expectation", "svd"])
def test_same_seed_same_problem(kind):
    assert generate(kind, 11, 2).to_json() == generate(kind, 11, 2).to_json()
    drawn = {str(generate(kind, seed, 2).to_json()) for seed in range(6)}
    assert len(drawn) > 1


def test_unimodular_inverse_is_integer():
    for seed in range(20):
        M = nice.unimodular(random.Random(seed), 3, mix=2)
        assert abs(M.det()) == 1
        assert all(e.is_integer for e in M.inv())


def test_with_rank_has_the_rank():
    for seed in range(20):
        rng = random.Random(seed)
        r = rng.randint(1, 3)
        assert nice.with_rank(rng, 4, 4, r).rank() == r


def test_eigenvalues_are_the_chosen_ones():
    for seed in range(10):
        rng = random.Random(seed)
        D = sympy.diag(*nice.distinct_ints(rng, 3, 3))
        A = nice.similar_to(rng, D)
        assert all(e.is_integer for e in A)
        assert sorted(A.eigenvals(multiple=True)) == sorted(D[i, i] for i in range(3))


def test_system_outcomes_at_difficulty_3():
    outcomes = set()
    for seed in range(25):
        sol = draw("system", random.Random(seed), 3).solution
        a = sol.answer
        if isinstance(a, CasesAnswer):
            outcomes.add("parameter")
            continue
        outcomes.add("none" if a.particular is None else len(a.directions))
    assert "none" in outcomes and any(isinstance(o, int) and o > 0 for o in outcomes)


def test_parametric_systems_have_small_integer_special_values() -> None:
    """Issue 18: a 2x2 or 3x3 system with a parameter whose special values are small integers;
    checked against sympy: det A(a) vanishes exactly there, and at each special value the case's
    outcome is linsolve's; the answer typed out passes the grader."""
    a = sympy.Symbol("a")
    sizes = set()
    for seed in range(10):
        raw = parametric(random.Random(seed))
        sol = topics.solve(topics.get("system").make(dict(raw)))
        assert all(step.check() for step in sol.walk())
        assert isinstance(sol.answer, CasesAnswer)
        A = sympy.Matrix(sol.problem["A"])
        sizes.add(A.rows)
        roots = {r for r in sympy.solve(A.det(), a) if r.is_real}
        assert roots == {v for v, _ in sol.answer.cases} and all(r.is_integer and abs(r) <= 3 for r in roots)
        for v, case in sol.answer.cases:
            eqs = [(e.lhs - e.rhs).subs(a, v) for e in sol.problem["equations"]]
            found = sympy.linsolve(eqs, list(sol.problem["variables"]))
            assert (case.particular is None) == (found == sympy.EmptySet)
        assert compare(sol.answer, answer_text(sol.answer), sol.problem).correct
    assert sizes == {2, 3}


def test_defective_and_symmetric_at_difficulty_3():
    seen = set()
    for seed in range(20):
        v = draw("diagonalize", random.Random(seed), 3)
        a = v.solution.answer
        seen.add("orthogonal" if v.raw.get("orthogonal") else "defective" if not a.diagonalizable else "plain")
    assert {"orthogonal", "defective"} <= seen


def test_expression_text_reads_back():
    from tutor.parsing.text import parse_expression
    x, y = sympy.symbols("x y")
    for e in (-3 * y**3 * (x + 2), 2 * x * sympy.exp(x * y), sympy.sin(3 * x) ** 2 / (x**2 + 1)):
        assert sympy.simplify(parse_expression(nice.expr_text(e)) - e) == 0


def test_bad_difficulty_and_kind():
    with pytest.raises(TutorError):
        generate("eigen", 1, 4)
    with pytest.raises(TutorError):
        raw_generator("no_such_kind")
