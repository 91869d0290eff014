"""The ``generate`` and ``exam`` commands (argument parsing and printing only).

``tutor.cli`` wires them in with ``COMMANDS.update(cli_exam.add_parsers(sub))``.  The exam
modules are imported by the handlers, not here: every command builds this parser, and only
these two need the generators.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Callable

from tutor.core.errors import TutorError
from tutor.exams import DIFFICULTIES

Command = Callable[[argparse.Namespace], int]


class _MultipleChoice(argparse.Action):
    """``--multiple-choice``, a flag whose help lists the kinds of the mistake catalogue, read
    from the registry only when the help is shown (importing it costs every command 0.2 s)."""

    def __init__(self, option_strings: list[str], dest: str, **_: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=False)

    @property
    def help(self) -> str:  # type: ignore[override]
        from tutor.exams.mistakes import MISTAKES

        return ("multiple choice where the kind has named mistakes (" + ", ".join(sorted(MISTAKES))
                + "): each distractor the result of one mistake, redone from the question's inputs; other "
                "kinds, and variants with fewer than two distinct mistakes, stay open")

    @help.setter
    def help(self, _: object) -> None:
        """argparse sets help in __init__; the property computes it."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        setattr(namespace, self.dest, True)
MAX_COUNT = 50


def _topics(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _draw_distinct(word: str, seed: int, difficulty: int, count: int) -> list:
    """``count`` problems of a kind or topic, no two with the same inputs: the problems of the
    seeds ``seed``, ``seed + 1``, ... (as ``tutor practice`` numbers them), a seed skipped when its
    problem repeats an earlier one (a bounded number of times)."""
    from tutor.practice import draw

    drawn, seen = [], set()
    for s in range(seed, seed + 20 * count):
        variant = draw.variant(word, s, difficulty)
        key = (variant.kind, json.dumps(variant.raw, sort_keys=True, default=str))
        if key not in seen:
            seen.add(key)
            drawn.append((variant.kind, variant))
            if len(drawn) == count:
                break
    return drawn


def _cmd_generate(ns: argparse.Namespace) -> int:
    from tutor.exams import documents as exams
    from tutor.practice import draw
    from tutor.rendering import render

    if not 1 <= ns.count <= MAX_COUNT:
        raise TutorError(f"--count must be from 1 to {MAX_COUNT}")
    if ns.count > 1:
        return _generate_sheet(ns, _draw_distinct(ns.kind, ns.seed, ns.difficulty, ns.count))
    variant = draw.variant(ns.kind, ns.seed, ns.difficulty)
    kind = variant.kind
    if ns.format == "toml":
        text = exams.sheet_toml(kind, variant.raw, f"{kind}, seed {ns.seed}, difficulty {ns.difficulty}")
    elif ns.format == "json":
        text = json.dumps({"kind": kind, "seed": ns.seed, "difficulty": ns.difficulty, "inputs": variant.raw,
                           "answer": variant.solution.answer.to_json()}, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render.statement_body(variant.problem, ns.format)
    sys.stdout.write(text)
    return 0


def _generate_sheet(ns: argparse.Namespace, drawn: list) -> int:
    """Several drawn problems: one TOML sheet, a JSON list, or an exercise sheet (statements)."""
    from tutor.exams import documents as exams
    from tutor.rendering import render

    title = f"{ns.count} {ns.kind} problems, seed {ns.seed}, difficulty {ns.difficulty}"
    if ns.format == "toml":
        text = exams.problems_toml([(kind, v.raw) for kind, v in drawn], title)
    elif ns.format == "json":
        text = json.dumps([{"kind": kind, "seed": ns.seed, "difficulty": ns.difficulty,
                            "inputs": v.raw, "answer": v.solution.answer.to_json()}
                           for kind, v in drawn], indent=2, ensure_ascii=False) + "\n"
    else:
        text = render.render_document([v.solution for _, v in drawn], title=title, fmt=ns.format,
                                      with_solutions=False)
    sys.stdout.write(text)
    return 0


def _cmd_exam(ns: argparse.Namespace) -> int:
    from tutor.exams import documents as exams
    from tutor.rendering import render

    if bool(ns.spec) == bool(ns.topics):
        raise TutorError("exam: give either --spec FILE or --topics LIST")
    # validated before use, whichever way the spec comes (--seed=-5 with --spec was not,
    # and --versions 0 silently became 1)
    if ns.seed is not None and not 0 <= ns.seed <= exams.MAX_SEED:
        raise TutorError(f"--seed must be from 0 to {exams.MAX_SEED}, not {ns.seed}")
    if ns.versions is not None and not 1 <= ns.versions <= exams.MAX_VERSIONS:
        raise TutorError(f"--versions must be from 1 to {exams.MAX_VERSIONS}, not {ns.versions}")
    if ns.spec:
        spec = exams.load_spec(ns.spec)
    else:
        spec = exams.spec_from_topics(_topics(ns.topics), count=ns.count, seed=ns.seed or 0,
                                      difficulty=ns.difficulty, title=ns.title)
    overrides = {k: v for k, v in (("seed", ns.seed), ("versions", ns.versions)) if v is not None}
    if ns.cover:
        overrides["cover"] = True
    if ns.multiple_choice:
        overrides["multiple_choice"] = True
    spec = dataclasses.replace(spec, **overrides)
    if not render.tex_available() and ns.format == "pdf":
        print("tutor: pdflatex or TikZ not found: writing the .tex files only", file=sys.stderr)
    for path in exams.write_exam(spec, ns.output, fmt=ns.format):
        print(f"wrote {path}")
    return 0


def add_difficulty(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--difficulty", type=int, choices=DIFFICULTIES, default=2,
                        help="1 easy, 2 medium, 3 hard (default 2)")


def add_parsers(subparsers: argparse._SubParsersAction) -> dict[str, Command]:
    """Add ``generate`` and ``exam`` to the CLI; returns their handlers."""
    gen = subparsers.add_parser("generate", help="draw problems with nice numbers")
    gen.add_argument("kind", help="a kind (eigen, system, ...) or a topic (a kind of it is drawn)")
    gen.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    add_difficulty(gen)
    gen.add_argument("--count", type=int, default=1,
                     help=f"how many problems, all different (default 1, at most {MAX_COUNT})")
    gen.add_argument("--format", choices=("toml", "json", "text", "markdown", "latex"), default="toml",
                     help="toml: a sheet for `tutor sheet`; json: inputs and answer; others: the statement")

    exam = subparsers.add_parser("exam", help="exam PDF + solutions PDF + answer key from random variants")
    exam.add_argument("--topics", help="kinds and topics, comma-separated: systems,inverse,eigen,...")
    exam.add_argument("--spec", help="an exam spec in TOML (see docs/exams.md)")
    exam.add_argument("--count", type=int, default=8, help="questions with --topics (default 8)")
    exam.add_argument("--seed", type=int, default=None, help="random seed (default: the spec's, or 0)")
    exam.add_argument("--versions", type=int, default=None, help="versions A, B, ... (default 1)")
    exam.add_argument("--title", default="Exam", help="title with --topics (default: Exam)")
    exam.add_argument("--cover", action="store_true", help="a cover page with the points table")
    exam.add_argument("--multiple-choice", action=_MultipleChoice)
    add_difficulty(exam)
    exam.add_argument("--format", choices=("pdf", "latex", "moodle", "stack", "qti", "canvas"), default="pdf",
                      help="pdf (with .tex), latex (.tex only), moodle (XML quiz import: Cloze questions "
                           "a stock Moodle grades), stack (XML for Moodle's STACK plug-in: graded by property), "
                           "qti (QTI 2.1 content package .zip) or canvas (Canvas QTI 1.2 quiz import .zip)")
    exam.add_argument("-o", "--output", default="out", help="output directory (default out/)")

    return {"generate": _cmd_generate, "exam": _cmd_exam}
