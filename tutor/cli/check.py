"""The ``check`` and ``grade`` subcommands (wired into ``tutor.cli`` by ``add_parsers``).

Exit codes of ``check``: 0 correct, 1 not correct, 2 the answer or the command could not
be understood (also: the answer could not be checked within the limits).  Of ``grade``:
0 every row has a verdict, 1 some rows could not be checked (the summary says how many),
2 the command could not be carried out.

The checker is imported by the handlers, not here: every command builds this parser.
"""
from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Callable, Sequence

from tutor import topics
from tutor.checking import bounded
from tutor.checking.csvfiles import visible
from tutor.cli.arguments import add_kind_arguments, kind_inputs
from tutor.core.errors import TutorError
from tutor.core.kinds import Kind

if TYPE_CHECKING:
    from tutor.checking.grading.policy import Policy
    from tutor.checking.grading.verdict import Verdict


def add_parsers(subparsers: argparse._SubParsersAction, needed: Sequence[Kind]
                ) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``check`` (with the subcommands of the ``needed`` kinds) and ``grade``; the handlers
    by command name."""
    checker = subparsers.add_parser("check", help="check an answer, with feedback",
                                  description="Check a student's answer to a problem of a kind, "
                                  "or against an expected answer (--expected).")
    _common(checker)
    checker.add_argument("--expected", help="the expected answer, instead of a KIND and its inputs")
    kind_parsers = checker.add_subparsers(dest="kind", metavar="KIND", parser_class=type(checker))
    for kind in needed:
        p = kind_parsers.add_parser(kind.name, help=kind.summary, description=kind.summary)
        add_kind_arguments(p, kind)
        _common(p, suppress=True)

    grade = subparsers.add_parser("grade", help="grade a class's answers from a CSV file",
                                  description="Grade answers.csv (columns student, problem, answer; "
                                  "problem = 1-based number on the sheet or exam) against a sheet, or "
                                  "against an exam's key (--key; a multiple-choice answer may be the "
                                  "option's letter). A wrong answer that is the result of a named "
                                  "mistake is told which; the report counts them per question.")
    grade.add_argument("answers", help="the answers, a CSV file")
    source = grade.add_mutually_exclusive_group(required=True)
    source.add_argument("--sheet", help="the TOML sheet the problems are numbered on")
    source.add_argument("--key", help="an exam's answer key (*-key.json written by tutor exam)")
    grade.add_argument("--report", metavar="FILE", default=None,
                       help="write the teacher's report: per question the share right and the share of "
                       "each named mistake (.md, .csv, .json or .txt)")
    grade.add_argument("-o", "--output", required=True, help="the graded CSV file to write")
    grade.add_argument("--jobs", type=int, default=None, help="parallel workers (default: the cores)")
    grade.add_argument("--decimals", choices=("exact", "rounded"), default=None,
                       help="exact (default): a rounded decimal is not accepted; rounded: it is")
    grade.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="grade on a Dask cluster (tcp://HOST:8786): each worker thread runs one "
                       "sandboxed checker; needs pip install 'tutor[cluster]'")
    return {"check": _cmd_check, "grade": _cmd_grade}


def _common(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    """``--answer``, ``--format`` and ``--decimals``, accepted before or after KIND."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--answer", default=default, help="the student's answer (LaTeX or plain)")
    parser.add_argument("--format", choices=("text", "json"), default=default,
                        help="text (default) or json")
    parser.add_argument("--decimals", choices=("exact", "rounded"), default=default,
                        help="exact (default): a rounded decimal is not accepted; rounded: it is")


def _policy(ns: argparse.Namespace) -> Policy:
    from tutor.checking.grading.policy import Policy

    return Policy(decimals=ns.decimals or "exact")


def _print(verdict: Verdict, fmt: str | None) -> None:
    if fmt == "json":
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
        return
    print({"correct": "correct", "incorrect": "not correct", "unreadable": "not understood",
           "unchecked": "not checked"}[verdict.status] + f" (score {verdict.score:g})")
    print(f"read as: {visible(verdict.parsed)}" if verdict.parsed else "read as: -")
    for line in verdict.feedback:
        print(f"- {visible(line)}")


def _cmd_check(ns: argparse.Namespace) -> int:
    from tutor.checking.check import check_expected, check_solution

    if ns.answer is None:
        raise TutorError("give the answer to check with --answer")
    if ns.kind and ns.expected is not None:
        raise TutorError("give either a KIND with its inputs or --expected, not both")
    if ns.kind:
        kind = topics.get(ns.kind)
        inputs = kind_inputs(kind, ns)
        reference = bounded.run(f"the {kind.name} problem", ns.budget, lambda: topics.solve(kind.name, **inputs))
        verdict = check_solution(reference, ns.answer, policy=_policy(ns))
    elif ns.expected is not None:
        verdict = check_expected(ns.expected, ns.answer, policy=_policy(ns))
    else:
        raise TutorError("give a KIND with its inputs, or --expected TEXT")
    _print(verdict, ns.format)
    return verdict.exit_code


def _cmd_grade(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from tutor.checking import report
    from tutor.checking.check import grade_csv
    from tutor.exams import choices
    from tutor.exams.keys import load_key

    if ns.jobs is not None and not 1 <= ns.jobs <= 64:
        raise TutorError("--jobs must be between 1 and 64")
    if ns.jobs is not None and ns.scheduler is not None:
        raise TutorError("--jobs is for this machine; on a cluster each worker thread runs one checker "
                         "(dask worker --nthreads N)")
    if ns.report is not None and Path(ns.report).suffix.lower() not in report.FORMATS:
        raise TutorError(f"--report {Path(ns.report).name}: name a .md, .csv, .json or .txt file")
    key = load_key(ns.key, ns.budget) if ns.key else None
    grades = grade_csv(ns.answers, ns.sheet, ns.output, ns.jobs, _policy(ns), budget=ns.budget,
                       scheduler=ns.scheduler, questions=key.questions if key else None,
                       named=lambda s: choices.distractors(s.kind, s.problem.inputs, s.answer))
    for number, summary in grades.items():
        if summary.answers:
            print(visible(summary.line(number)))
    questions = report.build(grades, key.labels if key else None)
    for q in questions:
        if q.mistakes or key:
            print(visible(report.line(q)))
    print(f"wrote {ns.output}: {grades.line()}")
    if ns.report is not None:
        title = f"{key.title}: report" if key else f"{Path(ns.sheet).stem}: report"
        print(f"wrote {report.write(ns.report, questions, title)}")
    return 1 if grades.statuses["unchecked"] else 0
