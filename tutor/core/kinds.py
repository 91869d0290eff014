"""The registry of problem kinds.

A kind (``system``, ``eigen``, ``gradient``, ...) is registered once by its
topic module (:mod:`tutor.topics`) and brings: its input fields (names, how each is parsed from
text), ``build`` (validate the parsed inputs into a :class:`Problem`),
``solve`` (a :class:`Solution` with steps) and a template
(``templates/kinds/<name>.j2``).  The CLI, TOML sheets and the Python API all
go through the same :class:`Field` specs, so an input is parsed the same way
everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from tutor.core.errors import TutorError
from tutor.core.steps import Problem, Solution


@dataclass(frozen=True)
class Field:
    """One input of a kind.

    ``parse`` turns the raw value (a string from the CLI or TOML, or a Python
    value) into a sympy object; it raises :class:`TutorError` on bad input.
    ``positional`` inputs are CLI arguments (``many``: one or more of them);
    the others are ``--options``.  ``flag``: a boolean switch.
    """

    name: str
    parse: Callable[[Any], Any]
    help: str = ""
    positional: bool = False
    many: bool = False
    required: bool = True
    default: Any = None
    flag: bool = False
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    topic: str
    summary: str
    fields: tuple[Field, ...]
    solve: Callable[[Problem], Solution]
    build: Callable[..., Problem] | None = None
    generate: Callable[..., Problem] | None = None
    template: str = ""

    def make(self, raw: dict[str, Any]) -> Problem:
        """Parse raw inputs (strings, numbers, lists) and build the problem."""
        known = {f.name for f in self.fields}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise TutorError(
                f"{self.name}: unknown input {', '.join(unknown)} (expected: {', '.join(sorted(known))})"
            )
        parsed: dict[str, Any] = {}
        for f in self.fields:
            value = raw.get(f.name)
            if value is None or (f.many and value == []):
                if f.required:
                    raise TutorError(f"{self.name}: missing input '{f.name}' ({f.help})")
                parsed[f.name] = f.default
                continue
            if f.flag:
                parsed[f.name] = bool(value)
            elif f.many:
                if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
                    value = [value]
                parsed[f.name] = [f.parse(v) for v in value]
            else:
                if f.choices is not None and value not in f.choices:
                    raise TutorError(
                        f"{self.name}: {f.name} must be one of {', '.join(f.choices)}, not {value!r}"
                    )
                parsed[f.name] = f.parse(value)
        if self.build is not None:
            return self.build(**parsed)
        return Problem(self.name, parsed)

    @property
    def template_name(self) -> str:
        return self.template or f"kinds/{self.name}.j2"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in _KINDS:
        raise RuntimeError(f"kind {kind.name!r} registered twice")
    _KINDS[kind.name] = kind
    return kind


def registered() -> dict[str, Kind]:
    """The kinds registered so far: those of the topic modules imported so far.

    Loading the topic modules is the registry's user's business (:func:`tutor.topics.get`,
    :func:`tutor.topics.all_kinds`): the core knows no topic.
    """
    return dict(_KINDS)


def identity(value: Any) -> Any:
    return value


def text_choice(value: Any) -> str:
    return str(value)
