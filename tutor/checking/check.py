"""Checking answers: one answer (``check``, ``check_expected``) or a whole class (``grade_csv``).

The reference answer is computed here, in the calling process, exactly as
``tutor solve`` computes it (the problem's inputs come from the teacher).  The
student's text is parsed and compared only inside a :mod:`tutor.sandbox` worker,
bounded in size (here, before it is sent), time, CPU and memory; an answer that
exhausts a bound gets the verdict "could not be checked: <reason>".

CSV format (``docs/checking.md``): input columns ``student``, ``problem`` (1-based
index into the sheet's problems) and ``answer``; output columns ``student``,
``problem``, ``status``, ``correct``, ``score``, ``feedback`` (``" | "``-joined),
``parsed``, ``answer``, one output row per input row, in input order.
"""
from __future__ import annotations

import atexit
import collections
import csv
import os
import queue
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from tutor import topics
from tutor.checking import grading
from tutor.checking import sandbox
from tutor.core.errors import TutorError
from tutor.checking.grading.policy import DEFAULT, Policy
from tutor.checking.grading.reading import MAX_CHARS
from tutor.checking.grading.verdict import Verdict, unchecked, unreadable
from tutor.core.steps import Solution
from tutor.topics.sheets import load_sheet

__all__ = ["Verdict", "Policy", "check", "check_solution", "check_expected", "grade_csv", "policy_for",
           "run_sandboxed"]

IN_COLUMNS = ("student", "problem", "answer")
OUT_COLUMNS = ("student", "problem", "status", "correct", "score", "feedback", "parsed", "answer")
MAX_ROWS = 200_000
_UP_TO_CONSTANT = ("integral", "antiderivative", "primitive")


def policy_for(kind: str, policy: Policy | None = None) -> Policy:
    """The kind's policy: antiderivatives are equal up to a constant."""
    policy = policy or DEFAULT
    if any(word in kind for word in _UP_TO_CONSTANT) and not policy.up_to_constant:
        return Policy(policy.decimals, up_to_constant=True)
    return policy


# ---------------------------------------------------------------- jobs (run in the worker)

def _compare_job(reference: Any, problem: Any, text: str, policy: Policy) -> Verdict:
    return grading.compare(reference, text, problem, policy)


def _expected_job(expected: str, text: str, policy: Policy) -> Verdict:
    return grading.compare_expected(expected, text, policy)


def _warmup() -> None:
    """Parse and compare once so that the first real answer is not slowed by lazy set-up."""
    grading.compare_expected("\\frac{x^2-1}{x-1}", "x+1")


# ---------------------------------------------------------------- one answer

_idle: "queue.SimpleQueue[sandbox.Worker] | None" = None
_start_lock = threading.Lock()
#: sandbox workers shared by the threads of one process (a web server's): TUTOR_CHECK_WORKERS
WORKERS_VARIABLE = "TUTOR_CHECK_WORKERS"


def _pool_size() -> int:
    try:
        return max(1, min(16, int(os.environ.get(WORKERS_VARIABLE, "1"))))
    except ValueError:
        return 1


def _idle_workers() -> "queue.SimpleQueue[sandbox.Worker]":
    """The idle workers, started on first use: one for a command, ``TUTOR_CHECK_WORKERS`` for
    a server whose requests check in parallel."""
    global _idle
    with _start_lock:
        if _idle is None:
            _idle = queue.SimpleQueue()
            for _ in range(_pool_size()):
                worker = sandbox.Worker(sandbox.Limits(), _warmup)
                atexit.register(worker.close)
                _idle.put(worker)
    return _idle


def run_sandboxed(job: Any, *args: Any) -> Any:
    """``job(*args)`` in an idle sandbox worker (``job`` importable by name): its value, or a
    :class:`~tutor.checking.sandbox.Failure`; callers from several threads wait for a free one."""
    idle = _idle_workers()
    worker = idle.get()
    try:
        return worker.run(job, *args)
    finally:
        idle.put(worker)


def _too_big(text: Any) -> Verdict | None:
    if not isinstance(text, str):
        return unreadable("the answer must be text")
    if len(text) > MAX_CHARS:
        return unreadable(f"the answer is too long ({len(text)} characters, at most {MAX_CHARS})")
    return None


def _outcome(result: Any) -> Verdict:
    return unchecked(result.reason) if isinstance(result, sandbox.Failure) else result


def check(kind: str, answer_text: str, *, policy: Policy | None = None, **inputs: Any) -> Verdict:
    """Check a student's answer to the problem ``kind(**inputs)``."""
    return check_solution(topics.solve(kind, **inputs), answer_text, policy=policy)


def check_solution(solution: Solution, answer_text: str, *, policy: Policy | None = None) -> Verdict:
    """Check a student's answer against a problem solved already (one solve for many
    answers; the benchmark times the check alone)."""
    return _too_big(answer_text) or _outcome(run_sandboxed(
        _compare_job, solution.answer, solution.problem, answer_text,
        policy_for(solution.kind, policy)))


def check_expected(expected_text: str, answer_text: str, *, policy: Policy | None = None) -> Verdict:
    """Check a student's answer against an expected answer typed by the teacher."""
    bad = _too_big(answer_text) or (_too_big(expected_text) and unreadable("the expected answer is too long"))
    return bad or _outcome(run_sandboxed(_expected_job, expected_text, answer_text,
                                                policy or DEFAULT))


# ---------------------------------------------------------------- a class

@dataclass
class ProblemSummary:
    """How a class did on one problem."""

    answers: int = 0
    right: int = 0
    mistakes: collections.Counter = field(default_factory=collections.Counter)

    def line(self, number: int, top: int = 3) -> str:
        common = "; ".join(f"{m} ({n})" for m, n in self.mistakes.most_common(top))
        return f"problem {number}: {self.right}/{self.answers} right" + \
            (f"; most common mistakes: {common}" if common else "")


def _mistake_key(feedback: str) -> str:
    """Feedback without its particulars, so that equal mistakes are counted together."""
    head = feedback.split(":")[0]
    return head if len(head) < 80 else head[:77] + "..."


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in IN_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise TutorError(f"{path}: missing column(s) {', '.join(missing)} "
                                 f"(expected {', '.join(IN_COLUMNS)})")
            rows = []
            for row in reader:
                rows.append({c: (row.get(c) or "") for c in IN_COLUMNS})
                if len(rows) > MAX_ROWS:
                    raise TutorError(f"{path}: more than {MAX_ROWS} rows")
            return rows
    except OSError as e:
        raise TutorError(f"cannot read {path}: {e.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise TutorError(f"{path} is not a readable UTF-8 CSV file: {e}") from None


def _write_atomically(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, OUT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.on = sys.stderr.isatty() and total > 0

    def step(self) -> None:
        self.done += 1
        if self.on and (self.done == self.total or self.done % 25 == 0):
            filled = 30 * self.done // self.total
            sys.stderr.write(f"\rgrading [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def grade_csv(in_path: str | Path, sheet_path: str | Path, out_path: str | Path,
              jobs: int | None = None, policy: Policy | None = None,
              limits: sandbox.Limits = sandbox.Limits()) -> dict[int, ProblemSummary]:
    """Grade every row of ``in_path`` against the sheet; write ``out_path``; per-problem summaries."""
    sheet = load_sheet(sheet_path)
    solutions = sheet.solve()
    rows = _read_rows(Path(in_path))
    verdicts: list[Verdict | None] = [None] * len(rows)
    work: list[tuple[int, tuple[Any, ...]]] = []
    for i, row in enumerate(rows):
        number = row["problem"].strip()
        if not number.isdigit() or not 1 <= int(number) <= len(solutions):
            verdicts[i] = unreadable(f"no problem {number!r} on the sheet (1 to {len(solutions)})")
            continue
        bad = _too_big(row["answer"])
        if bad is not None:
            verdicts[i] = bad
            continue
        sol = solutions[int(number) - 1]
        work.append((i, (sol.answer, sol.problem, row["answer"], policy_for(sol.kind, policy))))
    progress = _Progress(len(rows))
    for _ in range(len(rows) - len(work)):
        progress.step()
    with sandbox.Pool(jobs or sandbox.default_jobs(), limits, _warmup) as pool:
        for k, result in pool.run_all(_compare_job, (args for _, args in work)):
            verdicts[work[k][0]] = _outcome(result)
            progress.step()
    summaries: dict[int, ProblemSummary] = {n: ProblemSummary() for n in range(1, len(solutions) + 1)}
    out = []
    for row, v in zip(rows, verdicts):
        assert v is not None
        number = row["problem"].strip()
        if number.isdigit() and int(number) in summaries:
            s = summaries[int(number)]
            s.answers += 1
            s.right += v.correct
            s.mistakes.update(_mistake_key(f) for f in v.feedback if not v.correct)
        out.append({"student": row["student"], "problem": number, "status": v.status,
                    "correct": "yes" if v.correct else "no", "score": f"{v.score:g}",
                    "feedback": " | ".join(v.feedback), "parsed": v.parsed, "answer": row["answer"]})
    _write_atomically(Path(out_path), out)
    return summaries
