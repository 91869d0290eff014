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
    """argparse, but a usage error is one line and exit code 2, and a value may start with '-'.

    argparse reads any word that starts with '-' (other than a plain negative number) as an
    option, so ``--start "[-3,-1]"`` fails with "expected one argument" and a function
    ``"-x^2+y"`` is an "unrecognized argument".  A word that names no option of this parser
    gets a leading space, which argparse reads as a value and our parsers skip.  Only the
    innermost parser does this: a parser with subcommands does not know its subcommands'
    options.
    """

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        if args is not None and not self._subparsers:
            args = [" " + a if self._is_value(a) else a for a in args]
        return super().parse_known_args(args, namespace)

    def _is_value(self, word: str) -> bool:
        if not word.startswith("-") or word == "--":
            return False
        name = word.split("=", 1)[0]
        options = self._option_string_actions
        return name not in options and not (
            name.startswith("--") and any(o.startswith(name) for o in options))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        """An option's value may start with '-' (``--x -1,0,1``, ``--data "-3,1"``): argparse
        would take it for an option, so it is glued to its option (``--x=-1,0,1``) first."""
        if args is not None:
            args = glue_values(self, list(args))
        return super().parse_known_args(args, namespace)


def glue_values(parser: argparse.ArgumentParser, args: list[str]) -> list[str]:
    """``--opt value`` -> ``--opt=value`` where ``--opt`` takes one value and ``value`` starts
    with '-' but is not an option of this parser."""
    takes_value = {s for a in parser._actions if a.nargs is None and a.option_strings
                   for s in a.option_strings}
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in takes_value and i + 1 < len(args) and args[i + 1].startswith("-") \
                and args[i + 1] not in parser._option_string_actions and args[i + 1] != "--":
            out.append(f"{a}={args[i + 1]}")
            i += 2
            continue
        out.append(a)
        if a == "--":
            out.extend(args[i + 1:])
            break
        i += 1
    return out


def kinds_needed(argv: Sequence[str]) -> list[kinds.Kind]:
    """The kinds whose subcommands the parser must hold: only the kind named by ``solve KIND``
    or ``check KIND`` (so a command imports only that kind's topic module), else every kind
    (for ``--help`` and for the message naming a mistyped kind)."""
    if len(argv) >= 2 and argv[0] in ("solve", "check") and argv[1] in topics.MODULES:
        return [topics.get(argv[1])]
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
