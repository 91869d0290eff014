"""What the API runs in the sandbox worker: everything that reads text sent over HTTP.

A teacher's inputs are parsed and solved here too (not only a student's answer): over the
network nobody is trusted, so a problem that would take minutes to solve is stopped by the
worker's bounds like a hostile answer.  Each job returns a value or a :class:`Refusal`.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from tutor import topics
from tutor.checking import grading
from tutor.checking.check import policy_for
from tutor.checking.grading.policy import Policy
from tutor.core.errors import TutorError
from tutor.core.steps import Solution
from tutor.rendering import render


@dataclass(frozen=True)
class Refusal:
    """A request the tutor cannot serve, in one line for the client (HTTP 400)."""

    reason: str


@functools.lru_cache(maxsize=512)
def _solved(kind: str, inputs: str) -> Solution:
    """Solved once per worker: a class checks many answers to one problem."""
    return topics.solve(topics.get(kind).make(json.loads(inputs)))


def solved(kind: str, inputs: dict[str, Any]) -> Solution:
    return _solved(kind, json.dumps(inputs, sort_keys=True))


def solve_job(kind: str, inputs: dict[str, Any], fmt: str) -> Any:
    try:
        solution = solved(kind, inputs)
        if fmt == "json":
            return {"kind": kind, "solution": solution.to_json()}
        return {"kind": kind, "answer": solution.answer.to_json(),
                "statement": render.statement_body(solution, fmt),
                "solution": render.solution_body(solution, fmt)}
    except TutorError as e:
        return Refusal(str(e))


def check_job(kind: str, inputs: dict[str, Any], answer: str, policy: Policy) -> Any:
    try:
        solution = solved(kind, inputs)
    except TutorError as e:
        return Refusal(str(e))
    return grading.compare(solution.answer, answer, solution.problem, policy_for(kind, policy))
