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
from typing import Any, Callable, ClassVar, Iterator, Sequence

import sympy


_UNSET = object()


class Deferred:
    """A value computed on first read, then kept: ``build(*args)``.

    A derivation records many intermediate values that are read only when it is rendered
    or checked; some of them cost more to build than the computation itself (a sympy
    matrix after every row operation, the expression of every minor of a Laplace
    expansion computed in a polynomial ring).  Steps hold such values as ``Deferred``
    in a :class:`LazyField`.

    A ``Deferred`` pickles as its built value: the unset marker is a fresh object in
    another process (an unbuilt value would read back as that bare object), and the
    arguments may be ring elements that sympy cannot pickle.
    """

    __slots__ = ("_build", "_args", "_value")

    def __init__(self, build: Callable[..., Any], *args: Any):
        self._build, self._args, self._value = build, args, _UNSET

    @property
    def value(self) -> Any:
        if self._value is _UNSET:
            self._value, self._args = self._build(*self._args), ()
        return self._value

    def __reduce__(self) -> tuple:
        return Deferred, (_given, self.value)


def _given(value: Any) -> Any:
    """The build of a :class:`Deferred` whose value is already known (an unpickled one)."""
    return value


class MatrixRows(Deferred):
    """A matrix held as its rows of entries, built into a sympy matrix by ``build(rows)``
    on first read.

    A row reduction records the matrix after every operation: building each sympy matrix
    up front was most of the time of an elimination (6x6 inverses).  One ``MatrixRows`` is
    shared by the steps that show the same matrix (one step's ``after`` is the next one's
    ``before``), so it is built at most once.
    """

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[Sequence[Any]], build: Callable[[Any], sympy.ImmutableMatrix]):
        self.rows = tuple(tuple(row) for row in rows)
        super().__init__(build, self.rows)

    def columns(self, start: int) -> "MatrixRows":
        """The block of columns from ``start`` on (the right block of ``[A | B]``)."""
        return MatrixRows([row[start:] for row in self.rows], self._build)


class LazyField:
    """A dataclass field whose value may be given as a :class:`Deferred`.

    Reading the field always gives the value itself (built once, then kept), so
    templates, checks and JSON see an ordinary sympy matrix or expression.  Frozen
    dataclasses set their fields with ``object.__setattr__``, which goes through this
    descriptor's ``__set__``.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_lazy_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:  # no default value: the dataclass field stays required
            raise AttributeError(self.slot)
        value = obj.__dict__[self.slot]
        return value.value if isinstance(value, Deferred) else value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


def stored(obj: Any, name: str) -> Any:
    """The value of ``obj``'s :class:`LazyField` ``name`` as stored (perhaps still
    :class:`Deferred`), to hand on to another step without building it."""
    return obj.__dict__["_lazy_" + name]


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
