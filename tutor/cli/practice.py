"""``tutor practice``: problems one at a time in the terminal, on the practice model.

Commands at the prompt: ``hint`` (the next rung of the ladder), ``next`` (up to the next
step itself), ``check LINE`` (one line of your working), ``answer TEXT`` (or just the text:
an attempt; a wrong one may be tried again), ``solution`` (the whole worked solution, then
the next problem), ``quit``.  At the end of the input (a pipe, Ctrl-D) the worked solution is
printed and the next problem follows, so ``tutor practice ... < /dev/null`` prints a sheet.
Problem ``i`` (from 0) is ``tutor generate TOPIC --seed SEED+i``.
"""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Callable, TextIO

from tutor.cli.exam import add_difficulty
from tutor.core.errors import TutorError

if TYPE_CHECKING:
    from tutor.practice.session import Session

Command = Callable[[argparse.Namespace], int]
HELP = ("commands: hint | next | check LINE | answer TEXT (or just TEXT) | solution | quit\n")


def practice(topics: list[str], *, seed: int, count: int, difficulty: int,
             stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Practice ``count`` problems; problem ``i`` is drawn from topic ``i mod len(topics)``."""
    from tutor.practice.session import Session  # the generators: only for this command

    if not topics:
        raise TutorError("practice: give at least one topic or kind")
    interactive = stdin.isatty()
    for i in range(count):
        session = Session(topics[i % len(topics)], seed + i, difficulty)
        stdout.write(f"\n== Problem {i + 1} of {count} ({session.kind}, seed {seed + i}) ==\n\n")
        stdout.write(session.statement("text"))
        stdout.write(f"\nAn answer is typed like this (to another problem): {session.example_answer()}\n" + HELP)
        if not _one_problem(session, stdin, stdout, interactive):
            return 0
    return 0


def _one_problem(session: "Session", stdin: TextIO, stdout: TextIO, interactive: bool) -> bool:
    """Run the prompt for one problem; False when the student quits."""
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        raw = stdin.readline()
        if not raw:
            stdout.write("\n-- Solution --\n\n" + session.worked_solution("text"))
            return True
        word, _, rest = raw.strip().partition(" ")
        word, rest = word.lower(), rest.strip()
        if word in ("q", "quit", "exit"):
            return False
        if word in ("hint", "h", "next", "n"):
            first = session.hints + 1
            rungs = session.next_step("text") if word in ("next", "n") else \
                [r for r in [session.hint("text")] if r is not None]
            for number, rung in enumerate(rungs, first):
                stdout.write(f"[hint {number}] {rung.text}")
            if not rungs:
                stdout.write("No more hints: that was the whole solution. Type your answer, or solution.\n")
        elif word == "check":
            stdout.write(session.line_words(session.check_line(rest)) if rest else "check what? check LINE\n")
        elif word in ("solution", "show", "s"):
            stdout.write("\n-- Solution --\n\n" + session.worked_solution("text"))
            return True
        elif word in ("help", "?", ""):
            stdout.write(HELP)
        else:
            verdict = session.answer(rest if word == "answer" else raw.strip())
            stdout.write(("Right!" if verdict.correct else "Not quite.") +
                         "".join(f"\n  - {f}" for f in verdict.feedback) + "\n")
            if verdict.correct:
                stdout.write(f"(hints used: {session.hints}, attempts: {session.attempts})\n")
                return True


def _cmd_practice(ns: argparse.Namespace) -> int:
    topics = [t.strip() for t in ns.topics.split(",") if t.strip()]
    return practice(topics, seed=ns.seed, count=ns.count, difficulty=ns.difficulty)


def add_parsers(subparsers: argparse._SubParsersAction) -> dict[str, Command]:
    """Add ``practice`` to the CLI; returns its handler."""
    prac = subparsers.add_parser("practice", help="practice problems in the terminal: hints, "
                                 "your lines checked, steps on request")
    prac.add_argument("--topics", required=True, help="kinds and topics, comma-separated")
    prac.add_argument("--seed", type=int, default=0, help="random seed (default 0): problem i is "
                      "`tutor generate TOPIC --seed SEED+i`")
    prac.add_argument("--count", type=int, default=3, help="how many problems (default 3)")
    add_difficulty(prac)
    return {"practice": _cmd_practice}
