"""The practice model: one seed one problem, the hint ladder, attempts, and lines of working
checked against the step tree (sympy computes every expected value independently)."""
from __future__ import annotations

import io
import json
import random

import numpy as np
import pytest
import sympy

from tutor.cli.main import main
from tutor.cli.practice import practice
from tutor.core.errors import TutorError
from tutor.exams.generators.forms import FORMS, answer_text
from tutor.practice import draw, lines
from tutor.practice.session import Session
from tutor.rendering import render


def test_generate_and_practice_give_the_same_problem_for_a_seed(capsys):
    for seed in (0, 3):
        assert main(["generate", "eigen", "--seed", str(seed), "--format", "json", "--difficulty", "1"]) == 0
        generated = json.loads(capsys.readouterr().out)
        assert Session("eigen", seed, 1).variant.raw == generated["inputs"]
    out = io.StringIO()
    practice(["eigen", "system"], seed=5, count=2, difficulty=1, stdin=io.StringIO(""), stdout=out)
    for i, topic in enumerate(["eigen", "system"]):
        assert main(["generate", topic, "--seed", str(5 + i), "--format", "text", "--difficulty", "1"]) == 0
        assert capsys.readouterr().out in out.getvalue()


def test_a_topic_draws_a_kind_that_has_a_generator():
    assert draw.variant("probability", 4, 1).kind in draw.generators.RAW_GENERATORS


@pytest.mark.parametrize("kind", ["eigen", "system", "variance", "gradient", "inverse", "kernel", "backprop"])
def test_the_ladder_gives_the_method_first_then_purpose_and_step_and_ends_with_the_whole_solution(kind):
    session = Session(kind, 2, 2)
    ladder = session.rungs("text")
    assert ladder[0].level == "method" and ladder[0].text.strip()
    assert [r.level for r in ladder[1:]] == ["purpose", "step"] * ((len(ladder) - 1) // 2)
    shown = "\n".join(r.text for r in ladder if r.level == "step")
    missing = [line for line in render.solution_body(session.solution, "text").splitlines()
               if line.strip() and line not in shown]
    assert not missing  # climbing every rung shows every line of the worked solution
    taken = [session.hint() for _ in ladder]
    assert taken == list(ladder) and session.hints == len(ladder) and session.hint() is None


def test_next_climbs_to_the_next_step_and_counts_the_rungs_on_the_way():
    session = Session("eigen", 3, 1)
    assert [r.level for r in session.next_step()] == ["method", "purpose", "step"]
    assert [r.level for r in session.next_step()] == ["purpose", "step"]
    assert session.hints == 5


def test_a_wrong_attempt_gets_feedback_and_may_be_retried():
    session = Session("system", 3, 1)
    wrong = session.answer("x = 100, y = 100")
    assert not wrong.correct and wrong.feedback
    right = session.answer(answer_text(session.solution.answer, FORMS[0]))
    assert right.correct and session.attempts == 2 and session.solved


def test_the_state_round_trips_and_bad_state_is_one_clear_error():
    session = Session("variance", 1, 2)
    session.hint()
    again = Session.from_state(json.loads(json.dumps(session.state())))
    assert again.state() == session.state() and again.taken() == session.taken()
    for bad in ({"topic": "nonsense"}, {"topic": "eigen", "seed": -1}, {"topic": "eigen", "difficulty": 9},
                {"seed": 1}):
        with pytest.raises(TutorError):
            Session.from_state(bad)


def _latex_free(expr: sympy.Expr) -> str:
    return str(expr).replace("**", "^").replace("lambda", "λ")


def test_a_characteristic_polynomial_line_matches_and_a_wrong_one_names_its_coefficient():
    session = Session("eigen", 3, 1)
    lam = sympy.Symbol("lambda")
    p = session.solution.problem.inputs["A"].as_mutable().charpoly(lam).as_expr()  # det(λI - A)
    for line in (f"p(λ) = {_latex_free(p)}", _latex_free(-p)):
        verdict = session.check_line(line)
        assert verdict.status == "match" and verdict.step == 1, verdict
    verdict = session.check_line(_latex_free(p + 1))
    assert verdict.status == "mistake" and "the constant term" in verdict.mistake
    assert "step 1" in session.line_words(verdict)


def test_row_echelon_lines_are_judged_by_row_equivalence_not_by_string():
    session = Session("system", 3, 2)
    start = session.solution.problem.inputs["A"].row_join(session.solution.problem.inputs["b"]).as_mutable()
    echelon = start.echelon_form()  # sympy's own elimination, not the tutor's
    scaled = echelon.copy()
    scaled[0, :] = 3 * scaled[0, :]
    for matrix in (echelon, scaled, start.rref()[0]):
        verdict = session.check_line(str(matrix.tolist()))
        assert verdict.status in ("echelon", "match") and verdict.right, (matrix, verdict)
    swapped = start.copy()
    swapped.row_swap(0, 1)
    if not swapped.rref()[0] == swapped and swapped.rows > 1:
        assert session.check_line(str(swapped.tolist())).status in ("on_track", "match", "echelon")
    broken = echelon.copy()
    broken[1, broken.cols - 1] += 1
    verdict = session.check_line(str(broken.tolist()))
    assert verdict.status == "mistake" and verdict.row == 2 and not verdict.right


def test_one_gradient_entry_and_the_second_moment_match_their_steps():
    session = Session("gradient", 4, 2)
    f, variables = session.solution.problem.inputs["function"], session.solution.problem.inputs["vars"]
    entry = sympy.diff(f, variables[-1])
    verdict = session.check_line(f"df/d{variables[-1]} = {str(entry).replace('**', '^')}")
    assert verdict.status == "match" and verdict.rule == "calculus.partial", verdict
    session = Session("variance", 4, 2)
    rv, g = session.solution.problem.inputs["rv"], session.solution.problem.inputs["g"]
    second = sum(g.subs(rv.var, v) ** 2 * p for v, p in zip(rv.values, rv.probs))  # E[g(X)^2]
    verdict = session.check_line(f"E[g(X)^2] = {second}")
    assert verdict.status == "match" and verdict.what == "second", verdict


def test_hostile_and_unreadable_lines_get_a_verdict_not_an_exception():
    session = Session("eigen", 3, 1)
    for line in ("x+*", "9^9^9^9^9", "(" * 500, "a" * 5000, ""):
        verdict = session.check_line(line)
        assert verdict.status in ("unreadable", "none", "mistake"), (line, verdict)


def test_the_terminal_transcript_hint_check_wrong_answer_then_right():
    session = Session("system", 7, 1)
    right = answer_text(session.solution.answer, FORMS[0])
    out = io.StringIO()
    commands = f"hint\nnext\ncheck [[1, 0], [0, 1]]\nanswer x = 100, y = 100\n{right}\nquit\n"
    assert practice(["system"], seed=7, count=2, difficulty=1, stdin=io.StringIO(commands), stdout=out) == 0
    text = out.getvalue()
    assert "[hint 1]" in text and "[hint 3]" in text and "Not quite." in text
    assert "Right!" in text and "(hints used: 3, attempts: 2)" in text
    assert text.count("== Problem") == 2  # quit at the second problem


def test_practice_prints_problem_then_solution_without_input():
    out = io.StringIO()
    assert practice(["eigen"], seed=random.Random(1).randrange(100), count=2, difficulty=1,
                    stdin=io.StringIO(""), stdout=out) == 0
    assert out.getvalue().count("-- Solution --") == 2


def test_one_delta_of_backprop_matches_its_step():
    session = Session("backprop", 0, 1)
    p = session.solution.problem.inputs
    assert (p["activation"], p["loss"]) == ("identity", "squared")
    def array(m):
        return np.array(m.tolist(), dtype=float)

    hidden = array(p["W1"]) @ array(p["input"]) + array(p["b1"])  # identity activations
    output = array(p["W2"]) @ hidden + array(p["b2"])
    delta_out = 2 * (output - array(p["target"]))  # L = ||a - t||^2
    delta_hidden = array(p["W2"]).T @ delta_out
    for delta, rule in ((delta_out, "backprop.output_delta"), (delta_hidden, "backprop.hidden_delta")):
        line = "δ = (" + ", ".join(str(int(round(v))) for v in delta.ravel()) + ")"
        verdict = session.check_line(line)
        assert verdict.status == "match" and verdict.step >= 4, (line, verdict)
        assert any(c.rule == rule and c.step == verdict.step for c in lines.candidates(session.solution))
