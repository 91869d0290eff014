"""The command line (values that start with '-', refusals), the checker's feedback and the
generators of the optimization kinds."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

import tutor
from tutor.checking import grading
from tutor.cli import main
from tutor.exams.generators import draw

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)


def answer(capsys, *args: str) -> dict:
    assert main(["solve", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["answer"]


def test_values_starting_with_minus(capsys):
    got = answer(capsys, "gradient_descent", "--A", "[[2,1],[1,20]]", "--b", "[5,3]", "--start", "[-3,-1]",
                 "--step", "1/20", "--iterations", "2")
    assert got["points"][0] == ["-3", "-1"] and len(got["points"]) == 3
    got = answer(capsys, "stationary_points", "-x^2+y^2", "--vars", "x,y")
    assert got["points"][0]["nature"] == "saddle"
    got = answer(capsys, "lp", "--c", "-1,-1", "--A", "[[1,0],[0,1],[-1,0],[0,-1]]", "--b", "[1,2,0,0]")
    assert got == {"type": "lp", "x": ["1", "2"], "value": "-3", "dual": ["1", "1", "0", "0"]}


def test_every_issue_invocation_runs(capsys):
    cases = [
        ["stationary_points", "x^3 + 6x^2 - 3x - 5"],
        ["gradient_descent", "x^2 + 10y^2", "--vars", "x,y", "--start", "[3,1]", "--step", "1/10",
         "--iterations", "3", "--momentum", "1/2"],
        ["lagrange", "xy", "--constraint", "x + y = 10", "--vars", "x,y", "--goal", "max"],
        ["kkt", "(x-2)^2 + (y-1)^2", "--constraint", "x + y <= 2", "--constraint", "x >= 0", "--vars", "x,y"],
        ["convexity", "x^2 + xy + y^2", "--vars", "x,y", "--domain", "x > 0"],
        ["qp", "--Q", "[[2,1],[1,4]]", "--c", "[5,3]", "--A", "[[1,0],[-1,0],[0,1],[0,-1]]", "--b", "[1,1,1,1]"],
        ["convex_conjugate", "\\frac12 x^2", "--var", "x"],
    ]
    for args in cases:
        assert answer(capsys, *args)["type"]


@pytest.mark.parametrize("args, message", [
    (["lagrange", "xy", "--constraint", "x + y <= 10"], "kkt"),
    (["stationary_points", "sin(x)"], "polynomial"),
    (["qp", "--Q", "[[0,0],[0,1]]", "--c", "[1,1]", "--A", "[[1,1]]", "--b", "[1]"], "positive definite"),
    (["kkt", "x^2", "--constraint", "x < 1"], "closed"),
])
def test_refusals_are_one_line(args, message):
    r = run("solve", *args)
    assert r.returncode == 2 and message in r.stderr and r.stderr.count("\n") == 1


def test_infeasible_lp_is_an_answer(capsys):
    got = answer(capsys, "lp", "--c", "[1,1]", "--A", "[[1,0],[-1,0],[0,1]]", "--b", "[1,-2,0]")
    assert got == {"type": "none", "reason": "infeasible"}


def _verdict(kind, text, **inputs):
    sol = tutor.solve(kind, **inputs)
    return grading.compare(sol.answer, text, sol.problem)


def test_points_feedback():
    inputs = dict(function="x^3 - 3x")
    assert _verdict("stationary_points", "(1) min; (-1) max", **inputs).correct
    v = _verdict("stationary_points", "x = 1 minimum", **inputs)
    assert not v.correct and any("(-1) is missing" in f for f in v.feedback)
    v = _verdict("stationary_points", "(1) max; (-1) max; (2) min", **inputs)
    assert any("not a maximum" in f for f in v.feedback) and any("(2) is not one of" in f for f in v.feedback)


def test_iterates_feedback():
    inputs = dict(function="x^2 + 10y^2", vars="x,y", start="[3,1]", step="1/10", iterations=2)
    assert _verdict("gradient_descent", "(12/5, -1); (48/25, 1)", **inputs).correct
    v = _verdict("gradient_descent", "(18/5, 3); (48/25, 1)", **inputs)
    assert v.feedback == ["x_1 is wrong: a sign error in the update, it is x_{k+1} = x_k - γ ∇f(x_k)^T (downhill)"]


def test_program_and_convexity_feedback():
    lp = dict(c="[-1,-1]", A="[[1,1],[-1,0],[0,-1]]", b="[2,0,0]")  # every point of an edge is optimal
    assert _verdict("lp", "x = (1, 1)", **lp).correct and _verdict("lp", "x = (0, 2)", **lp).correct
    assert not _verdict("lp", "x = (0, 1)", **lp).correct
    assert _verdict("convexity", "strictly convex", function="x^2 + y^2").correct
    assert _verdict("convexity", "convex", function="x^2 + y^2").score == 0.5


@pytest.mark.parametrize("kind", ["stationary_points", "gradient_descent", "lagrange", "kkt", "lp", "qp",
                                  "convexity", "convex_conjugate"])
def test_generators_draw_checked_variants(kind):
    for difficulty in (1, 2, 3):
        v = draw(kind, random.Random(difficulty * 11), difficulty)
        assert all(s.check() for s in v.solution.walk())


def test_an_lp_without_optimum_is_checked_by_its_reason():
    inputs = dict(c="[1,1]", A="[[1,0],[-1,0],[0,1]]", b="[1,-2,0]")
    assert _verdict("lp", "infeasible", **inputs).correct
    assert _verdict("lp", "The LP is infeasible.", **inputs).correct
    v = _verdict("lp", "unbounded", **inputs)
    assert not v.correct and v.feedback == ["the LP is infeasible"]
