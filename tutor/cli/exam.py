"""The ``generate``, ``exam`` and ``practice`` commands (argument parsing and printing only).

``tutor.cli`` wires them in with ``COMMANDS.update(cli_exam.add_parsers(sub))``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from typing import Callable, TextIO

from tutor.exams import documents as exams
from tutor.exams import generators
from tutor.rendering import render
from tutor.core.errors import TutorError

Command = Callable[[argparse.Namespace], int]
MAX_COUNT = 50


def _topics(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _pick_kind(word: str, rng: random.Random) -> str:
    """A kind name as it is, or one kind of a topic, drawn."""
    pool = exams.resolve(word)
    return pool[0] if len(pool) == 1 else rng.choice(pool)


def _draw_distinct(word: str, rng: random.Random, difficulty: int, count: int) -> list:
    """``count`` problems of a kind or topic, no two with the same inputs (a few redraws each)."""
    drawn, seen = [], set()
    for _ in range(count):
        for _attempt in range(20):
            kind = _pick_kind(word, rng)
            variant = generators.draw(kind, rng, difficulty)
            key = (kind, json.dumps(variant.raw, sort_keys=True, default=str))
            if key not in seen:
                break
        seen.add(key)
        drawn.append((kind, variant))
    return drawn


def _cmd_generate(ns: argparse.Namespace) -> int:
    if not 1 <= ns.count <= MAX_COUNT:
        raise TutorError(f"--count must be from 1 to {MAX_COUNT}")
    rng = random.Random(ns.seed)
    if ns.count > 1:
        return _generate_sheet(ns, _draw_distinct(ns.kind, rng, ns.difficulty, ns.count))
    kind = _pick_kind(ns.kind, rng)
    variant = generators.draw(kind, rng, ns.difficulty)
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
    if bool(ns.spec) == bool(ns.topics):
        raise TutorError("exam: give either --spec FILE or --topics LIST")
    if ns.spec:
        spec = exams.load_spec(ns.spec)
        overrides = {k: v for k, v in (("seed", ns.seed), ("versions", ns.versions)) if v is not None}
    else:
        spec = exams.spec_from_topics(_topics(ns.topics), count=ns.count, seed=ns.seed or 0,
                                      difficulty=ns.difficulty, title=ns.title)
        overrides = {"versions": ns.versions or 1}
    if ns.cover:
        overrides["cover"] = True
    if overrides.get("versions", 1) not in range(1, exams.MAX_VERSIONS + 1):
        raise TutorError(f"--versions must be from 1 to {exams.MAX_VERSIONS}")
    spec = dataclasses.replace(spec, **overrides)
    if not render.tex_available() and ns.format == "pdf":
        print("tutor: pdflatex not found: writing the .tex files only", file=sys.stderr)
    for path in exams.write_exam(spec, ns.output, fmt=ns.format):
        print(f"wrote {path}")
    return 0


def practice(topics: list[str], *, seed: int, count: int, difficulty: int,
             stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Problems one at a time in the terminal: the statement, an optional answer, then the steps."""
    from tutor.checking.check import check

    spec = exams.spec_from_topics(topics, count=count, seed=seed, difficulty=difficulty)
    exam = exams.draw_exam(spec)
    interactive = stdin.isatty()
    for q in exam.questions:
        stdout.write(f"\n== Problem {q.number} of {len(exam.questions)} ({q.kind}) ==\n\n")
        stdout.write(render.statement_body(q.variant.solution, "text"))
        if interactive:
            stdout.write("\nYour answer (Enter: show the solution, q: quit): ")
            stdout.flush()
            line = stdin.readline()
            if not line or line.strip().lower() in ("q", "quit"):
                return 0
            if line.strip():
                verdict = check(q.kind, line.strip(), **q.variant.raw)
                stdout.write(("Right!" if verdict.correct else "Not quite.") +
                             "".join(f"\n  - {f}" for f in verdict.feedback) + "\n")
        stdout.write("\n-- Solution --\n\n" + render.solution_body(q.variant.solution, "text"))
    return 0


def _cmd_practice(ns: argparse.Namespace) -> int:
    return practice(_topics(ns.topics), seed=ns.seed, count=ns.count, difficulty=ns.difficulty)


def _difficulty(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--difficulty", type=int, choices=generators.DIFFICULTIES, default=2,
                        help="1 easy, 2 medium, 3 hard (default 2)")


def add_parsers(subparsers: argparse._SubParsersAction) -> dict[str, Command]:
    """Add ``generate``, ``exam`` and ``practice`` to the CLI; returns their handlers."""
    gen = subparsers.add_parser("generate", help="draw problems with nice numbers")
    gen.add_argument("kind", help="a kind (eigen, system, ...) or a topic (a kind of it is drawn)")
    gen.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    _difficulty(gen)
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
    _difficulty(exam)
    exam.add_argument("--format", choices=("pdf", "latex", "moodle"), default="pdf",
                      help="pdf (with .tex), latex (.tex only) or moodle (XML quiz import)")
    exam.add_argument("-o", "--output", default="out", help="output directory (default out/)")

    prac = subparsers.add_parser("practice", help="practice problems in the terminal, steps on request")
    prac.add_argument("--topics", required=True, help="kinds and topics, comma-separated")
    prac.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    prac.add_argument("--count", type=int, default=3, help="how many problems (default 3)")
    _difficulty(prac)
    return {"generate": _cmd_generate, "exam": _cmd_exam, "practice": _cmd_practice}
