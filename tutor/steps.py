"""The step model: what was done, as data.

A derivation is a list of :class:`Step` objects.  Each concrete step is a small
frozen dataclass (in the style of ``sympy/integrals/manualintegrate.py``) that
records the objects before and after and the rule's own data (rows, factor,
pivot, ...).  The *words* live in the templates; a step only says *what* was done.

Every step can check itself: :meth:`Step.check` recomputes its "after" from its
"before" with sympy, independently of the solver that produced it.  The test
suite walks every step tree and calls it, so a solver cannot invent a step.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

import sympy


class MatrixRows:
    """A matrix held as its rows of entries, turned into a sympy matrix on first use.

    A row reduction records the matrix after every operation, and most of those
    matrices are never read unless the derivation is rendered or checked: building
    each sympy matrix up front was most of the time of an elimination (6x6 inverses).
    One ``MatrixRows`` is shared by the steps that show the same matrix (one step's
    ``after`` is the next one's ``before``), so it is built at most once.
    """

    __slots__ = ("rows", "_build", "_matrix")

    def __init__(self, rows: list[list[Any]], build: Any):
        self.rows = tuple(tuple(row) for row in rows)
        self._build = build
        self._matrix: sympy.ImmutableMatrix | None = None

    @property
    def matrix(self) -> sympy.ImmutableMatrix:
        if self._matrix is None:
            self._matrix = self._build([list(row) for row in self.rows])
        return self._matrix

    def columns(self, start: int) -> "MatrixRows":
        """The block of columns from ``start`` on (the right block of ``[A | B]``)."""
        return MatrixRows([row[start:] for row in self.rows], self._build)


class MatrixField:
    """A dataclass field whose value is a sympy matrix, which may be given as :class:`MatrixRows`.

    Reading the field always gives the matrix (built once, then kept), so templates,
    checks and JSON see an ordinary ``ImmutableMatrix``.  Frozen dataclasses set their
    fields with ``object.__setattr__``, which goes through this descriptor's ``__set__``.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_matrix_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:  # no default value: the dataclass field stays required
            raise AttributeError(self.slot)
        value = obj.__dict__[self.slot]
        return value.matrix if isinstance(value, MatrixRows) else value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


def stored_matrix(obj: Any, name: str) -> Any:
    """The value of ``obj``'s :class:`MatrixField` ``name`` as stored (perhaps still
    :class:`MatrixRows`), to hand on to another step without building it."""
    return obj.__dict__["_matrix_" + name]


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step of a derivation.

    Subclasses set ``rule`` (a stable machine-readable name such as
    ``row.swap``), add their own fields, and implement :meth:`check`.
    """

    rule: ClassVar[str] = "step"
    substeps: tuple["Step", ...] = ()

    def check(self) -> bool:
        """True when this step's result follows from its inputs (verified with sympy)."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to check itself")

    def walk(self) -> Iterator["Step"]:
        """This step and all its substeps, depth first."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``rule``, the step's own fields, then ``substeps``."""
        out: dict[str, Any] = {"rule": self.rule}
        for f in dataclasses.fields(self):
            if f.name != "substeps":
                out[f.name] = to_jsonable(getattr(self, f.name))
        out["substeps"] = [s.to_json() for s in self.substeps]
        return out


@dataclass(frozen=True, kw_only=True)
class Note(Step):
    """A statement that derives nothing (a remark, an assumption, a heading).

    It carries a ``key`` that its template turns into words, and optional ``values``.
    It is trivially valid; use it sparingly: anything that computes is a real step.
    """

    rule: ClassVar[str] = "note"
    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def check(self) -> bool:
        return True


@dataclass(frozen=True, kw_only=True)
class NoStepsKnown(Step):
    """An honest fallback: the tutor has no rule for this case; the result is sympy's."""

    rule: ClassVar[str] = "no_steps_known"
    expression: Any
    result: Any
    reason: str = ""

    def check(self) -> bool:
        return True


@dataclass(frozen=True)
class Problem:
    """A kind plus its typed, already parsed inputs (sympy objects)."""

    kind: str
    inputs: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.inputs[name]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "inputs": {k: to_jsonable(v) for k, v in self.inputs.items()}}


@dataclass(frozen=True)
class Solution:
    """The result of solving a problem: the derivation and a typed answer."""

    problem: Problem
    steps: tuple[Step, ...]
    answer: Any  # an tutor.answers.Answer

    @property
    def kind(self) -> str:
        return self.problem.kind

    def walk(self) -> Iterator[Step]:
        """Every step of the derivation, depth first."""
        for s in self.steps:
            yield from s.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "inputs": self.problem.to_json()["inputs"],
            "answer": self.answer.to_json(),
            "steps": [s.to_json() for s in self.steps],
        }


def to_jsonable(value: Any) -> Any:
    """sympy objects and containers -> JSON values; every number/expression as ``str()``."""
    if isinstance(value, Step):
        return value.to_json()
    if isinstance(value, sympy.MatrixBase):
        return [[str(e) for e in value.row(i)] for i in range(value.rows)]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return str(value)
