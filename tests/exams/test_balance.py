"""Balanced exam versions (issue 18): the versions of one question are the same kind and size,
their worked solutions within ±20% as long; the same seed gives byte-identical documents.

The size is checked here on the parsed problems (sympy shapes, numbers of variables), not with
the raw-text reading the drawing uses; the length is the number of steps of ``solution.walk()``.
"""
from __future__ import annotations

import random

import pytest
import sympy

from tutor.core.errors import TutorError
from tutor.exams import balance
from tutor.exams import documents as exams

from tests.conftest import ROOT

MIDTERM = ROOT / "examples" / "exams" / "midterm.toml"


def _size(value):
    """The size of one parsed input, independently of tutor.exams.generators.sizes."""
    if isinstance(value, sympy.MatrixBase):
        return ("matrix", value.shape)
    if isinstance(value, sympy.Expr):
        return ("variables", len(value.free_symbols))
    if isinstance(value, (tuple, list)):
        return ("list", len(value))
    if isinstance(value, dict):
        return ("dict", len(value))
    return type(value).__name__


def _steps(variant) -> int:
    return sum(1 for _ in variant.solution.walk())


def assert_balanced(versions):
    for questions in zip(*(e.questions for e in versions)):
        where = f"question {questions[0].number}"
        assert len({q.kind for q in questions}) == 1, where
        sizes = [{k: _size(v) for k, v in q.variant.problem.inputs.items()} for q in questions]
        assert all(s == sizes[0] for s in sizes), (where, sizes)
        assert len({q.variant.form for q in questions}) == 1, where
        steps = [_steps(q.variant) for q in questions]
        assert max(steps) <= 1.2 * min(steps), (where, steps)
        assert len({q.variant.signature for q in questions}) == len(questions), where


def test_step_counts_within_a_fifth_of_each_other():
    assert balance.balanced([10, 12]) and not balance.balanced([10, 13])
    assert balance.step_range([6]) == (5, 7)  # exact: 6 / 1.2 is 5, not 5.000000000000001
    assert balance.step_range([10, 12]) == (10, 12)
    for steps in ([5], [21, 24], [46, 44, 40]):
        low, high = balance.step_range(steps)
        assert balance.balanced(list(steps) + [low]) and balance.balanced(list(steps) + [high])
        assert not balance.balanced(list(steps) + [low - 1]) and not balance.balanced(list(steps) + [high + 1])


def test_midterm_versions_are_balanced():
    """Before: Q4 a 3x3 eigenproblem in A (46 steps), a 2x2 in B (21); Q7 a correlation (16) in A,
    an affine Gaussian (3) in B."""
    spec = exams.load_spec(MIDTERM)
    versions = exams.draw_versions(spec)
    assert_balanced(versions)
    eigen = [e.questions[3].variant.problem["A"].shape for e in versions]
    assert eigen[0] == eigen[1]


def _random_spec(seed: int) -> exams.ExamSpec:
    rng = random.Random(seed)
    words = exams.topic_names() + ["eigen", "det", "system", "gradient", "svd", "partial", "expectation"]
    entries = [{"topics": rng.sample(words, rng.randint(1, 2)), "count": rng.randint(1, 2),
                "difficulty": rng.randint(1, 3)} for _ in range(3)]
    return exams.spec_from_mapping({"seed": seed, "versions": rng.randint(2, 3), "question": entries})


@pytest.mark.parametrize("seed", range(12))
def test_random_specs_are_balanced(seed):
    assert_balanced(exams.draw_versions(_random_spec(seed)))


def test_a_topic_question_asks_the_same_kind_in_every_version():
    spec = exams.spec_from_mapping({"seed": 5, "versions": 4, "question": [{"topics": ["probability"], "count": 3}]})
    versions = exams.draw_versions(spec)
    assert_balanced(versions)
    assert len({q.kind for q in versions[0].questions}) == 3  # still a mix within one version


def test_same_seed_same_bytes():
    spec = exams.load_spec(MIDTERM)
    first, second = exams.draw_versions(spec), exams.draw_versions(spec)
    for a, b in zip(first, second):
        assert exams.exam_tex(a) == exams.exam_tex(b)
        assert exams.solutions_tex(a) == exams.solutions_tex(b)
        assert exams.key_json(a) == exams.key_json(b)
    assert exams.draw_exam(spec, 1).questions == first[1].questions


def test_an_impossible_balance_is_refused_naming_the_question():
    """lagrange at difficulty 1 has six variants (x*y on x + y = c): nine different versions of
    one question cannot be drawn."""
    spec = exams.spec_from_mapping({"seed": 1, "versions": 9, "question": [
        {"topics": ["det"]}, {"topics": ["lagrange"], "difficulty": 1}]})
    with pytest.raises(TutorError, match=r"question 2: could not draw 9 different versions of lagrange"):
        exams.draw_versions(spec)


def test_draw_exam_refuses_a_version_the_spec_does_not_have():
    with pytest.raises(TutorError, match="version 2"):
        exams.draw_exam(exams.spec_from_mapping({"versions": 2, "question": [{"topics": ["det"]}]}), 2)
