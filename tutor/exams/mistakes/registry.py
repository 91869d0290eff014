"""The registry of named mistakes: for each kind, (name, mistake) pairs in the order they are offered.

A mistake takes the problem's parsed inputs and the key, and returns the answer a student gets
who makes it (None: the mistake cannot be made on this variant).  Where the mistake is a wrong
input to a right derivation (a transposed matrix, swapped bases, a forgotten prior), it is the
engine itself, run by :func:`redo` on the perturbed input: no derivation is written twice.
"""
from __future__ import annotations

from typing import Any, Callable

import sympy

from tutor import topics
from tutor.calculus.derivatives import tidy_result
from tutor.core import answers as A
from tutor.core.steps import Problem, Solution

Mistake = Callable[[dict[str, Any], Any], "A.Answer | None"]
MISTAKES: dict[str, tuple[tuple[str, Mistake], ...]] = {}


def mistakes(kind: str, *named: tuple[str, Mistake]) -> None:
    """Register the named mistakes of ``kind`` (a kind has one entry, in one topic module)."""
    if kind in MISTAKES:
        raise ValueError(f"the mistakes of {kind} are registered twice")
    MISTAKES[kind] = named


def redo_solution(kind: str, inputs: dict[str, Any], **changes: Any) -> Solution:
    """The engine's derivation of the problem with ``changes`` made to its inputs (a mistake
    inside one step starts from the steps before it)."""
    return topics.solve(Problem(kind, {**inputs, **changes}))


def redo(kind: str, inputs: dict[str, Any], **changes: Any) -> Any:
    """The engine's answer to the problem with ``changes`` made to its inputs."""
    return redo_solution(kind, inputs, **changes).answer


def matrix(inputs: dict[str, Any], name: str = "A") -> sympy.Matrix:
    return sympy.Matrix(inputs[name])


def tidy(value: sympy.Expr) -> sympy.Expr:
    """A short form of a computed value, as the derivative engine tidies its results (sympy's
    simplify of a long trigonometric expression took a minute)."""
    return tidy_result(sympy.sympify(value, strict=True))


def expression(value: sympy.Expr) -> A.ExpressionAnswer:
    return A.ExpressionAnswer(tidy(value))
