"""Every step of every example derivation verifies itself with sympy."""
from __future__ import annotations

import dataclasses
import pickle

import tutor
from tutor import topics
from tutor.rendering.render import render_solution
from tutor.core.steps import Step

from tests.conftest import example_solutions


def _all_step_classes(cls: type = Step) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _all_step_classes(sub)
    return out


def test_every_step_of_every_example_checks(example_sheet):
    for number, sol in enumerate(example_solutions(example_sheet), start=1):
        for step in sol.walk():
            assert step.check(), f"{example_sheet.stem} problem {number}: {step.rule} does not check"


def test_every_example_solution_pickles(example_sheet):
    """Values a step holds unbuilt (Deferred: row reduction matrices, Laplace minors in QQ[λ])
    pickle as what they build, not as the unset marker or as sympy ring elements: every step
    of the copy still checks and the copy renders.  Solved afresh: checking or rendering
    builds every value (the cached solutions have been)."""
    for number, sol in enumerate(tutor.solve_sheet(tutor.load_sheet(example_sheet)), start=1):
        again = pickle.loads(pickle.dumps(sol))
        assert all(step.check() for step in again.walk()), f"{example_sheet.stem} problem {number}"
        assert render_solution(again, "text")


def test_every_step_class_can_check_itself_and_is_frozen():
    topics.all_kinds()  # import every topic
    leaves = {cls for cls in _all_step_classes() if not cls.__subclasses__()}
    for cls in leaves:
        assert cls.check is not Step.check, f"{cls.__name__} has no check()"
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls.__name__
        assert cls.rule != Step.rule, f"{cls.__name__} has no rule name"


def test_every_kind_has_an_example():
    from tests.conftest import EXAMPLES

    covered = {sol.kind for path in EXAMPLES for sol in example_solutions(path)}
    missing = set(topics.all_kinds()) - covered
    assert not missing, f"kinds without an example in examples/: {sorted(missing)}"
