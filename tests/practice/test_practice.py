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


def _steps_holding(solution, value):
    return sorted({c.step for c in lines.candidates(solution)
                   if not isinstance(c.value, sympy.MatrixBase) and c.value == value})


def test_a_small_number_in_many_steps_goes_to_the_step_the_student_is_at_and_says_so():
    """Adversarial: a number held by several steps.  The earliest step from where the student
    is wins (not simply the first in the solution), and the other steps are reported."""
    for kind, seed in (("eigen", 3), ("system", 3), ("gradient", 1), ("det", 2), ("moments", 1)):
        solution = draw.variant(kind, seed, 2).solution
        common = [v for v in range(-3, 4) if len(_steps_holding(solution, v)) >= 2]
        if not common:
            continue
        steps = _steps_holding(solution, common[0])
        for at in range(0, max(steps) + 2):
            verdict = lines.check_line(solution, str(common[0]), at)
            ahead = [s for s in steps if s >= at]
            expected = ahead[0] if ahead else steps[-1]
            assert verdict.status == "match" and verdict.step == expected, (kind, at, steps, verdict)
            assert set(verdict.also) == set(steps) - {expected}
        break
    else:
        pytest.fail("no problem holds a small number in two steps")
    session = Session(kind, seed, 2)
    assert session.check_line(str(common[0])).step == steps[0]
    words = session.line_words(session.check_line(str(common[0])))
    assert "also in step" in words and "the one you are at" in words


def test_the_session_moves_to_the_step_a_line_matched_and_with_the_hints():
    session = Session("gradient", 1, 2)
    assert session.at == 0
    session.check_line("(2y, 2x)")  # the gradient, step 3
    assert session.step == 3 and session.at == 3
    again = Session.from_state(session.state())
    assert again.at == 3
    climber = Session("gradient", 1, 2)
    climber.next_step()
    assert climber.at == climber.taken()[-1].at > 1


def test_values_are_matched_by_type_a_matrix_to_a_matrix_a_number_to_a_number():
    found = [lines.Candidate(1, "r", "m", sympy.ImmutableMatrix([[2]])), lines.Candidate(2, "r", "e", sympy.Integer(2)),
             lines.Candidate(3, "r", "p", sympy.Symbol("x") ** 2 + 2)]
    assert lines._line_job(found, [], [], "2").step == 2
    assert lines._line_job(found, [], [], "[[2]]").step == 1
    assert lines._line_job(found, [], [], "x^2 + 2").step == 3
    assert lines._line_job(found, [], [], "x").status == "none"


def test_a_wrong_gradient_entry_is_named_and_a_partial_for_the_wrong_variable_too():
    session = Session("gradient", 1, 2)
    f, (x, y) = session.solution.problem.inputs["function"], session.solution.problem.inputs["vars"]
    fx, fy = sympy.diff(f, x), sympy.diff(f, y)  # sympy, not the tutor
    text = lambda e: str(e).replace("**", "^")  # noqa: E731
    verdict = session.check_line(f"({text(fx)}, {text(fy + 1)})")
    assert verdict.status == "mistake" and "entry 2 (∂f/∂y)" in verdict.mistake and "other entry is right" in verdict.mistake
    point = session.solution.problem.inputs["at"]
    at_point = [fx.subs(point), fy.subs(point) + 3]
    verdict = session.check_line(f"({at_point[0]}, {at_point[1]})")
    assert verdict.status == "mistake" and "entry 2" in verdict.mistake and "at the point" in verdict.mistake
    verdict = session.check_line(f"∂f/∂y = {text(fx)}")
    assert verdict.status == "mistake" and "this is ∂f/∂x, not ∂f/∂y" in verdict.mistake
    verdict = session.check_line(f"\\partial f / \\partial y = {text(fy)}")
    assert verdict.status == "match" and verdict.rule == "calculus.partial"


def test_moment_confusions_are_named_as_the_first_mistake():
    session = Session("moments", 1, 2)
    rv = session.solution.problem.inputs["rv"]
    mean = sum(v * p for v, p in zip(rv.values, rv.probs))  # by hand, not the tutor
    second = sum(v ** 2 * p for v, p in zip(rv.values, rv.probs))
    assert session.check_line(f"E[X^2] = {second}").status == "match"
    assert "this is E[X], not E[X²]" in session.check_line(f"E[X^2] = {mean}").mistake
    assert "(E[X])², not E[X²]" in session.check_line(f"E(X²) = {mean ** 2}").mistake
    assert "(E[X])², not E[X²]" in session.check_line(f"{mean ** 2}").mistake  # unlabelled too
    assert "the variance is E[X²] − (E[X])²" in session.check_line(f"Var(X) = {second}").mistake
    assert session.check_line(f"Var(X) = {second - mean ** 2}").status == "match"
    assert "not E[X²]" in session.check_line(f"E[X^2] = {second + 7}").mistake
