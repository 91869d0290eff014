"""The simplex method and the LPs whose feasible set contains a line, against scipy's linprog
(HiGHS) on random problems and on the classic hand-picked cases: Beale's cycling example,
phase I, infeasible, unbounded, degenerate, ties, a lineality space with and without slope."""
from __future__ import annotations

import dataclasses
import random

import pytest
import sympy

import tutor
from tutor.optimization import lp, simplex
from tutor.rendering.render import render_solution

from tests.conftest import solved

scipy_optimize = pytest.importorskip("scipy.optimize")


def _linprog(A, b, c):
    """linprog's status and value; HiGHS's presolve reports some unbounded LPs as infeasible
    (the origin satisfies Ax <= b and it still says so), so "infeasible" is asked again with
    the objective 0."""
    def run(cost):
        return scipy_optimize.linprog(cost, A_ub=A, b_ub=b, bounds=[(None, None)] * len(c), method="highs")
    res = run(c)
    if res.status == 2 and run([0] * len(c)).status == 0:
        return "unbounded", None
    return {0: "optimal", 2: "infeasible", 3: "unbounded"}[res.status], res.fun


def _agrees(A, b, c):
    """The tutor's LP against linprog: status, value, a feasible x, a dual certificate."""
    steps, (status, x, value, lam) = lp.solve_lp(sympy.Matrix(A), sympy.Matrix(b), sympy.Matrix(c))
    assert all(s.check() for s in steps), [s.rule for s in steps if not s.check()]
    want, fun = _linprog(A, b, c)
    assert status == want, (A, b, c)
    if status == "optimal":
        M, bv, cv = sympy.Matrix(A), sympy.Matrix(b), sympy.Matrix(c)
        assert all(v <= 0 for v in M * x - bv) and (cv.T * x)[0] == value
        assert all(v >= 0 for v in lam) and (M.T * lam + cv).is_zero_matrix and -(bv.T * lam)[0] == value
        assert abs(float(value) - fun) < 1e-7
    return steps, status


def _random(rng, n):
    m = rng.randint(1, n + 3)
    A = [[rng.randint(-3, 3) for _ in range(n)] for _ in range(m)]
    b = [rng.choice([0, 0, rng.randint(-4, 6)]) for _ in range(m)]  # zeros: degenerate vertices
    for j in range(n):
        if rng.random() < 0.7:
            A.append([-1 if k == j else 0 for k in range(n)])
            b.append(0)
    return A, b, [rng.randint(-3, 3) for _ in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_simplex_against_linprog(seed):
    rng = random.Random(seed)
    seen = set()
    for _ in range(15):
        A, b, c = _random(rng, rng.choice([3, 4]))
        steps, status = _agrees(A, b, c)
        seen.add(status)
        assert any(s.rule == "optimization.simplex_form" for s in steps) or steps[0].rule == "optimization.lp_lineality"
    assert seen  # every status occurs over the seeds (counted in the note)


@pytest.mark.parametrize("seed", range(15))
def test_rank_deficient_against_linprog(seed):
    """A column a combination of others (the feasible set contains a line), the cost along it
    zero or not."""
    rng = random.Random(100 + seed)
    for _ in range(10):
        n = rng.choice([2, 3, 4])
        A, b, c = _random(rng, n - 1)
        A = [row + [sum(row[:2])] for row in A]
        c = c + [sum(c[:2]) if rng.random() < 0.6 else rng.randint(-3, 3)]
        steps, _ = _agrees(A, b, c)
        assert steps[0].rule == "optimization.lp_lineality"


def test_beale_cycling_example_terminates():
    """Dantzig's rule cycles on Beale's LP; Bland's rule after the degenerate pivots does not."""
    r = sympy.Rational
    A = sympy.Matrix([[r(1, 4), -8, -1, 9], [r(1, 2), -12, -r(1, 2), 3], [0, 0, 1, 0]]).col_join(-sympy.eye(4))
    b, c = [0, 0, 1, 0, 0, 0, 0], [-r(3, 4), 20, -r(1, 2), 6]
    steps, status = _agrees(A.tolist(), b, c)
    pivots = [s for s in steps if s.rule == "optimization.simplex_pivot"]
    assert status == "optimal" and any(p.choice == "bland" for p in pivots) and any(p.degenerate for p in pivots)


def test_phase_one_and_the_dual_from_the_final_tableau():
    sol = solved("lp", c="[1,2,3]", A="[[1,1,1],[-1,0,0],[0,-1,0],[0,0,-1],[-1,-1,0],[1,0,2]]",
                 b="[4,0,0,0,-1,5]")
    assert sol.answer.to_json() == {"type": "lp", "x": ["1", "0", "0"], "value": "1",
                                    "dual": ["0", "0", "1", "3", "1", "0"]}
    phases = [s.phase for s in sol.steps if s.rule == "optimization.simplex_start"]
    assert phases == [1, 2]
    text = render_solution(sol, "text")
    assert "Phase I".upper() in text and "[1]" in text and "simplex method".upper() in text
    assert r"\boxed{1}" in render_solution(sol, "latex") and r"\hline" in render_solution(sol, "markdown")


def test_infeasible_by_phase_one_has_a_farkas_certificate():
    sol = solved("lp", c="[1,1,1]", A="[[1,1,1],[-1,-1,-1],[-1,0,0],[0,-1,0],[0,0,-1]]", b="[1,-2,0,0,0]")
    assert sol.answer.to_json() == {"type": "none", "reason": "infeasible"}
    farkas = sol.steps[-1]
    assert farkas.rule == "optimization.lp_farkas" and farkas.check()


def test_unbounded_by_the_ratio_test():
    sol = solved("lp", c="[1,1,1]", A="[[1,0,0],[0,1,0],[0,0,1]]", b="[1,1,1]")
    assert sol.answer.to_json() == {"type": "none", "reason": "unbounded"}
    assert [s.rule for s in sol.steps][-2:] == ["optimization.simplex_unbounded", "optimization.lp_ray"]


def test_a_line_with_slope_is_unbounded_with_its_direction():
    sol = solved("lp", c="[1,1]", A="[[1,1]]", b="[1]")  # refused before: A has rank 1
    assert sol.answer.to_json() == {"type": "none", "reason": "unbounded"}
    ray = sol.steps[-1]
    assert ray.rule == "optimization.lp_ray" and list(ray.direction) == [-1, 1] or ray.slope < 0
    sol = solved("lp", c="[1,1,0]", A="[[1,1,0],[-1,-1,0]]", b="[4,-5]")
    assert sol.answer.to_json() == {"type": "none", "reason": "infeasible"}  # the slope needs a point


def test_a_flat_line_is_solved_on_the_quotient():
    sol = solved("lp", c="[1,1,2]", A="[[-1,0,-1],[0,-1,-1],[1,1,2]]", b="[0,0,6]")
    got = sol.answer.to_json()
    assert got["type"] == "lp" and got["value"] == "0"
    text = render_solution(sol, "text")
    assert "whole face containing these lines" in text


def test_no_variable_left():
    assert tutor.solve("lp", c="[0,0,0]", A="[[0,0,0]]", b="[1]").answer.to_json()["value"] == "0"
    assert tutor.solve("lp", c="[1,0,0]", A="[[0,0,0]]", b="[1]").answer.to_json()["reason"] == "unbounded"
    assert tutor.solve("lp", c="[0,0,0]", A="[[0,0,0]]", b="[-1]").answer.to_json()["reason"] == "infeasible"


def test_a_forged_pivot_fails_its_check():
    A, b, c = (sympy.ImmutableMatrix(v) for v in ([[1, 1, 1], [1, 0, 2]], [4, 5], [-1, -2, -3]))
    steps, _ = simplex.solve(A, b, c)
    pivot = next(s for s in steps if s.rule == "optimization.simplex_pivot")
    assert pivot.check()
    assert not dataclasses.replace(pivot, entering=pivot.entering - 1).check()
    assert not dataclasses.replace(pivot, after=pivot.before).check()
    form = steps[0]
    assert form.check() and not dataclasses.replace(form, c=sympy.ImmutableMatrix([1, 2, 3])).check()


def test_ties_in_the_ratio_test_go_to_the_smallest_basic_variable():
    steps, status = _agrees([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]],
                            [2, 2, 1, 1, 0, 0, 0], [-1, 0, 0])
    first = next(s for s in steps if s.rule == "optimization.simplex_pivot")
    assert status == "optimal" and first.leaving == 0


def test_an_artificial_left_basic_at_zero_is_driven_out():
    steps, status = _agrees([[2, 1, 1], [-2, 1, 0], [-1, 0, 0], [0, -1, 0], [0, 0, -1]], [1, -1, 0, 0, 0], [1, 0, -1])
    drive = [s for s in steps if getattr(s, "choice", None) == "artificial"]
    assert status == "optimal" and len(drive) == 1 and drive[0].check() and drive[0].degenerate
