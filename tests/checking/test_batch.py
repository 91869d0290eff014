"""Batch grading and the check/grade commands: one output row per input row (also for a
hostile answer or a bad row), atomic output, summaries, exit codes and the JSON form."""
from __future__ import annotations

import csv
import json

import pytest

from tutor.checking.check import grade_csv
from tutor import cli
from tutor.checking import grading

from tests.conftest import example_solutions

SHEET = """
title = "Homework"
[[problem]]
kind = "system"
equations = ["3x + y = 9", "4x - 2y = 5"]
[[problem]]
kind = "system"
equations = ["2x + 4y = 5"]
"""

ROWS = [
    ("ann", "1", "x = 23/10, y = 21/10"),
    ("bob", "1", "(2, 3)"),
    ("cat", "2", "(x, y) = (1/2, 1) + t(-2, 1)"),
    ("dan", "2", "(1/2, 1)"),
    ("eve", "1", "((a+b+c+d+f)^{40}, 1)"),
    ("fay", "3", "(1, 1)"),
    ("gus", "x", "(1, 1)"),
    ("hal", "1", "\\frac{1}{"),
    ("ida", "1", ""),
    ("jon", "2", "x" * 100_000),
    ("kim", "1", "(23/10, 21/10)"),
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    d = tmp_path_factory.mktemp("grade")
    (d / "hw.toml").write_text(SHEET)
    with (d / "answers.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "problem", "answer"])
        w.writerows(ROWS)
    summaries = grade_csv(d / "answers.csv", d / "hw.toml", d / "graded.csv", jobs=2)
    with (d / "graded.csv").open(newline="") as f:
        return d, summaries, list(csv.DictReader(f))


def test_every_row_gets_exactly_one_output_row(graded):
    d, _, out = graded
    assert [r["student"] for r in out] == [r[0] for r in ROWS]
    status = {r["student"]: r["status"] for r in out}
    assert status == {"ann": "correct", "bob": "incorrect", "cat": "correct", "dan": "incorrect",
                      "eve": "unchecked", "fay": "unreadable", "gus": "unreadable", "hal": "unreadable",
                      "ida": "unreadable", "jon": "unreadable", "kim": "correct"}
    assert not [p for p in d.iterdir() if p.name.endswith(".tmp")]


def test_feedback_and_summary(graded):
    _, summaries, out = graded
    bob = next(r for r in out if r["student"] == "bob")
    assert "fails equation" in bob["feedback"] and bob["parsed"] == "(2, 3)" and bob["correct"] == "no"
    assert summaries[1].right == 2 and summaries[1].answers == 6
    assert "problem 2: 1/3 right" in summaries[2].line(2)


def _run(argv):
    return cli.main(argv)


@pytest.mark.parametrize("argv, code", [
    (["check", "system", "3x + y = 9", "4x - 2y = 5", "--answer", "x = \\frac{23}{10}, y = \\frac{21}{10}"], 0),
    (["check", "system", "2x + 4y = 5", "--answer", "(x, y) = (1/2, 1) + t(-2, 1)"], 0),
    (["check", "system", "2x + 4y = 5", "--answer", "(1, 1)"], 1),
    (["check", "--expected", "\\frac{x^2-1}{x-1}", "--answer", "x+1"], 0),
    (["check", "--expected", "1/3", "--answer", "0.33"], 1),
    (["check", "--expected", "1/3", "--answer", "0.33", "--decimals", "rounded"], 0),
    (["check", "--expected", "x", "--answer", "\\frac{1}{"], 2),
])
def test_check_command_exit_codes(argv, code, capsys):
    assert _run(argv) == code


def test_check_json(capsys):
    _run(["check", "--expected", "x^2+3x", "--answer", "x^2-3x", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["correct"] is False and data["status"] == "incorrect"
    assert set(data) == {"correct", "score", "feedback", "parsed", "status"}
    assert "sign error" in data["feedback"][0]


def test_grade_command(graded, capsys):
    d, _, _ = graded
    assert _run(["grade", str(d / "answers.csv"), "--sheet", str(d / "hw.toml"), "-o", str(d / "g2.csv"),
                 "--jobs", "1"]) == 0
    assert "problem 1: 2/6 right" in capsys.readouterr().out


def test_every_example_answer_type_has_a_comparison(example_sheet):
    """Every kind in the examples is covered through its answer type."""
    for sol in example_solutions(example_sheet):
        assert grading.comparer_for(sol.answer) is not None, (sol.kind, type(sol.answer))
