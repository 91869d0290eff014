"""How a problem kind becomes command-line arguments, shared by ``solve`` and ``check``.

Each :class:`~tutor.kinds.Field` of a kind is one argument: positional, a flag, or an
option; a usage error is one line and exit code 2.
"""
from __future__ import annotations

import argparse
from typing import Any, Sequence

from tutor import topics
from tutor.core import kinds

RESERVED = {"format", "output", "help"}


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2, and a word that starts with
    one '-' is an option only if it names one.

    argparse takes words such as ``-2,0,2`` or ``-\\infty,0`` for options unless they
    look like a plain negative number, so ``--x-values -2,0,2`` failed with "expected one
    argument". Negative numbers are everyday input: such a word is a value (a positional or
    an option's argument). Words that start with ``--`` keep argparse's reading, so a
    mistyped ``--optoin`` is still reported.
    """

    def _parse_optional(self, arg_string: str):  # type: ignore[override]
        if (arg_string[:1] == "-" and arg_string[1:2] != "-"
                and arg_string.split("=", 1)[0] not in self._option_string_actions):
            return None
        return super()._parse_optional(arg_string)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def kinds_needed(argv: Sequence[str]) -> list[kinds.Kind]:
    """The kinds whose subcommands the parser must hold: only the kind named by ``solve KIND``
    or ``check KIND`` (so a command imports only that kind's topic module), else every kind
    (for ``--help`` and for the message naming a mistyped kind)."""
    command = next((i for i, word in enumerate(argv) if word in ("solve", "check")), None)
    if command is not None and command + 1 < len(argv) and argv[command + 1] in topics.MODULES:
        return [topics.get(argv[command + 1])]
    return list(topics.all_kinds().values())


def add_kind_arguments(parser: argparse.ArgumentParser, kind: kinds.Kind) -> None:
    """One argument per field of ``kind``; the kind's own names, so a sheet and the CLI agree."""
    for f in kind.fields:
        if f.name in RESERVED:
            raise RuntimeError(f"kind {kind.name}: field name {f.name!r} is reserved")
        if f.positional:
            parser.add_argument(f.name, nargs="*" if f.many else "?", help=f.help, default=None)
        elif f.flag:
            parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name,
                                action="store_true", default=None, help=f.help)
        else:
            parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name, help=f.help,
                                choices=f.choices, default=None,
                                action="append" if f.many else "store")


def kind_inputs(kind: kinds.Kind, ns: argparse.Namespace) -> dict[str, Any]:
    """The fields the user gave, so the kind's own defaults apply to the rest."""
    return {f.name: getattr(ns, f.name) for f in kind.fields
            if getattr(ns, f.name) not in (None, [])}
