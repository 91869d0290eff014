"""Checking answers: one answer (``check``, ``check_expected``) or a whole class (``grade_csv``).

The reference answer is computed here, in the calling process, exactly as
``tutor solve`` computes it (the problem's inputs come from the teacher).  The
student's text is parsed and compared only inside a :mod:`tutor.checking.sandbox` worker,
bounded in size (here, before it is sent), time, CPU and memory; an answer that
exhausts a bound gets the verdict "could not be checked: <reason>".

CSV format (``docs/checking.md``): input columns ``student``, ``problem`` (1-based
index into the sheet's problems) and ``answer``; output columns ``student``,
``problem``, ``status``, ``correct``, ``score``, ``feedback`` (``" | "``-joined),
``parsed``, ``answer``, one output row per input row, in input order.
"""
from __future__ import annotations

import asyncio
import atexit
import collections
import contextlib
import dataclasses
import itertools
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tutor import topics
from tutor.checking import bounded, csvfiles, grading, sandbox
from tutor.core.errors import TutorError
from tutor.checking.grading.policy import DEFAULT, Policy
from tutor.checking.grading.reading import MAX_CHARS
from tutor.checking.grading.verdict import Verdict, unchecked, unreadable
from tutor.core.steps import Solution
from tutor.topics.sheets import load_sheet

__all__ = ["Verdict", "Policy", "Question", "check", "check_solution", "check_expected", "check_async",
           "check_expected_async", "grade_csv", "policy_for", "run_sandboxed", "NAMED_MISTAKE"]

MAX_ECHO = 1000  # characters of feedback and of the parsed form in a grade sheet's cell
_UP_TO_CONSTANT = ("integral", "antiderivative", "primitive")


def policy_for(kind: str, policy: Policy | None = None) -> Policy:
    """The kind's policy: antiderivatives are equal up to a constant."""
    policy = policy or DEFAULT
    if any(word in kind for word in _UP_TO_CONSTANT) and not policy.up_to_constant:
        return Policy(policy.decimals, up_to_constant=True)
    return policy


# ---------------------------------------------------------------- jobs (run in the worker)

#: the feedback line that names the mistake a wrong answer is the result of
NAMED_MISTAKE = "the result of a known mistake: "


def _compare_job(reference: Any, problem: Any, text: str, policy: Policy,
                 named: tuple[tuple[str, Any], ...] = ()) -> Verdict:
    """The verdict; a wrong answer that the checker finds equal to the result of a named
    mistake (``named``: name and answer) says which, first."""
    verdict = grading.compare(reference, text, problem, policy)
    if verdict.status != "incorrect":
        return verdict
    for name, answer in named:
        if grading.compare(answer, text, problem, policy).correct:
            return dataclasses.replace(verdict, feedback=[NAMED_MISTAKE + name, *verdict.feedback])
    return verdict


def _expected_job(expected: str, text: str, policy: Policy) -> Verdict:
    return grading.compare_expected(expected, text, policy)


def _warmup() -> None:
    """Parse and compare once so that the first real answer is not slowed by lazy set-up."""
    grading.compare_expected("\\frac{x^2-1}{x-1}", "x+1")


# ---------------------------------------------------------------- one answer

class _Workers:
    """The API's workers, safe to share between threads: each call borrows an idle worker
    (one is started when none is idle, up to the number of cores; then callers wait), so
    two threads never read each other's verdicts from one pipe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[sandbox.Worker] = []
        self._slots = threading.BoundedSemaphore(_pool_size())

    @contextlib.contextmanager
    def borrow(self) -> Iterator[sandbox.Worker]:
        with self._slots:
            with self._lock:
                worker = self._idle.pop() if self._idle else sandbox.Worker(sandbox.Limits(), _warmup)
            try:
                yield worker
            finally:
                with self._lock:
                    self._idle.append(worker)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()

    def run(self, func: Callable[..., Any], *args: Any, bound: sandbox.Bound | None = None) -> Any:
        with self.borrow() as worker:
            return worker.run(func, *args, bound=bound)


def _pool_size() -> int:
    """At most one worker per core, or ``TUTOR_CHECK_WORKERS`` (a web server's setting)."""
    try:
        return max(1, min(16, int(os.environ[WORKERS_VARIABLE])))
    except (KeyError, ValueError):
        return sandbox.default_jobs()


#: sandbox workers shared by the threads of one process (a web server's): TUTOR_CHECK_WORKERS
WORKERS_VARIABLE = "TUTOR_CHECK_WORKERS"
_workers = _Workers()
atexit.register(_workers.close)


def run_sandboxed(job: Callable[..., Any], *args: Any, bound: sandbox.Bound | None = None) -> Any:
    """``job(*args)`` in a borrowed sandbox worker (``job`` importable by name), within the
    worker's limits or within ``bound`` (a :class:`~tutor.checking.bounded.Budget`): its value,
    or a :class:`~tutor.checking.sandbox.Failure`; callers from several threads wait for a free
    one."""
    return _workers.run(job, *args, bound=bound)


def _too_big(text: Any, what: str = "the answer") -> Verdict | None:
    if not isinstance(text, str):
        return unreadable(f"{what} must be text, not {type(text).__name__}")
    if len(text) > MAX_CHARS:
        return unreadable(f"{what} is too long ({len(text)} characters, at most {MAX_CHARS})")
    return None


def _outcome(result: Any) -> Verdict:
    return unchecked(result.reason) if isinstance(result, sandbox.Failure) else result


def check(kind: str, answer_text: str, *, policy: Policy | None = None, **inputs: Any) -> Verdict:
    """Check a student's answer to the problem ``kind(**inputs)``."""
    return check_solution(topics.solve(kind, **inputs), answer_text, policy=policy)


def check_solution(solution: Solution, answer_text: str, *, policy: Policy | None = None) -> Verdict:
    """Check a student's answer against a problem solved already (one solve for many
    answers; the benchmark times the check alone)."""
    return _too_big(answer_text) or _outcome(_workers.run(
        _compare_job, solution.answer, solution.problem, answer_text,
        policy_for(solution.kind, policy)))


def check_expected(expected_text: str, answer_text: str, *, policy: Policy | None = None) -> Verdict:
    """Check a student's answer against an expected answer typed by the teacher."""
    expected_bad = _too_big(expected_text, "the expected answer")
    bad = _too_big(answer_text) or (expected_bad and unreadable(expected_bad.feedback[0]))
    return bad or _outcome(_workers.run(_expected_job, expected_text, answer_text,
                                                policy or DEFAULT))


async def check_async(kind: str, answer_text: str, *, policy: Policy | None = None,
                      **inputs: Any) -> Verdict:
    """:func:`check` for a coroutine (a web server): it runs in a thread, the event loop
    keeps serving meanwhile."""
    return await asyncio.to_thread(check, kind, answer_text, policy=policy, **inputs)


async def check_expected_async(expected_text: str, answer_text: str, *,
                               policy: Policy | None = None) -> Verdict:
    """:func:`check_expected` for a coroutine, in a thread like :func:`check_async`."""
    return await asyncio.to_thread(check_expected, expected_text, answer_text, policy=policy)


# ---------------------------------------------------------------- a class

@dataclass
class ProblemSummary:
    """How a class did on one problem."""

    answers: int = 0
    right: int = 0
    mistakes: collections.Counter = field(default_factory=collections.Counter)
    named: collections.Counter = field(default_factory=collections.Counter)  # by named mistake
    unread: int = 0  # not understood or not checked

    def line(self, number: int, top: int = 3) -> str:
        common = "; ".join(f"{m} ({n})" for m, n in self.mistakes.most_common(top))
        return f"problem {number}: {self.right}/{self.answers} right" + \
            (f"; most common mistakes: {common}" if common else "")


class Grades(dict[int, ProblemSummary]):
    """The summaries by problem number, and how many rows ended in each status: a grade
    sheet with rows that could not be checked must say so."""

    def __init__(self, problems: int) -> None:
        super().__init__({n: ProblemSummary() for n in range(1, problems + 1)})
        self.statuses: collections.Counter[str] = collections.Counter()

    def add(self, number: int | None, verdict: Verdict) -> None:
        self.statuses[verdict.status] += 1
        if number is not None:
            s = self[number]
            s.answers += 1
            s.right += verdict.correct
            s.unread += verdict.status in ("unreadable", "unchecked")
            s.mistakes.update(_mistake_key(f) for f in verdict.feedback
                              if not verdict.correct and not f.startswith(NAMED_MISTAKE))
            s.named.update(f[len(NAMED_MISTAKE):] for f in verdict.feedback
                           if not verdict.correct and f.startswith(NAMED_MISTAKE))

    def line(self) -> str:
        words = {"correct": "correct", "incorrect": "not correct", "unreadable": "not understood",
                 "unchecked": "not checked (limits or a failed check)"}
        counts = ", ".join(f"{self.statuses[s]} {w}" for s, w in words.items() if self.statuses[s])
        return f"{sum(self.statuses.values())} rows: {counts or 'none'}"


def _mistake_key(feedback: str) -> str:
    """Feedback without its particulars, so that equal mistakes are counted together."""
    head = feedback.split(":")[0]
    return head if len(head) < 80 else head[:77] + "..."


class _Progress:
    """A one-line count on stderr, only when stderr is a terminal (rows are streamed: their
    number is not known beforehand)."""

    def __init__(self) -> None:
        self.done = 0
        self.on = sys.stderr.isatty()

    def step(self, last: bool = False) -> None:
        self.done += 0 if last else 1
        if self.on and (last or self.done % 25 == 0):
            sys.stderr.write(f"\rgrading: {self.done} rows" + ("\n" if last else ""))
            sys.stderr.flush()


def _problem_number(text: str, count: int) -> int | None:
    """The row's problem, 1 to ``count``; ASCII digits only (``²`` and ``①`` are digits to
    ``str.isdigit`` and not to ``int``)."""
    text = text.strip()
    if re.fullmatch(r"[0-9]{1,6}", text) and 1 <= int(text) <= count:
        return int(text)
    return None


def _refuse_overwriting(in_path: Path, out_path: Path) -> None:
    same = out_path.exists() and in_path.exists() and os.path.samefile(in_path, out_path)
    if same or out_path.resolve() == in_path.resolve():
        raise TutorError(f"-o {out_path} is the answer file itself: write the grades elsewhere")


class _InOrder:
    """Verdicts arrive in completion order; rows are written in input order, each as soon
    as every row before it is written (only the rows waiting for a slower one are held)."""

    def __init__(self, emit: Callable[..., None]) -> None:
        self.emit = emit
        self.next = 0
        self.waiting: dict[int, tuple[Any, ...]] = {}

    def put(self, index: int, *item: Any) -> None:
        """Item ``index`` (the arguments of ``emit``): emitted now, or once its predecessors are."""
        self.waiting[index] = item
        while self.next in self.waiting:
            self.emit(*self.waiting.pop(self.next))
            self.next += 1


@dataclass(frozen=True)
class Question:
    """A problem a class answered: its solution, the named mistakes a wrong answer is matched
    against (name, the mistake's answer), and, for multiple choice, each option's text by its
    letter (a row that answers ``b`` is graded as if it had typed option (b))."""

    solution: Solution
    named: tuple[tuple[str, Any], ...] = ()
    letters: dict[str, str] = field(default_factory=dict)


#: what a row of a problem is checked against: (reference answer, problem, policy, named
#: mistakes, option texts by letter)
Target = tuple[Any, Any, Policy, tuple[tuple[str, Any], ...], dict[str, str]]


def targets(questions: list[Solution] | list[Question], policy: Policy | None = None) -> list[Target]:
    """What the rows of each problem (a sheet's solutions, or questions) are checked against, in order."""
    out: list[Target] = []
    for q in questions:
        q = q if isinstance(q, Question) else Question(q)
        sol = q.solution
        out.append((sol.answer, sol.problem, policy_for(sol.kind, policy), q.named, q.letters))
    return out


def chosen_letter(text: str, letters: dict[str, str]) -> str | None:
    """The option a multiple-choice answer names: ``b``, ``B``, ``(b)``, ``b)`` or ``b.``."""
    word = text.strip().strip("().").lower()
    return word if word in letters else None


def grade_rows(rows: Iterable[csvfiles.Row], problems: list[Target], pool: sandbox.Pool
               ) -> Iterator[tuple[int, csvfiles.Row, int | None, Verdict]]:
    """``(index, row, problem number, verdict)`` for every row, in completion order: a row
    that cannot be graded as it is (unreadable, no such problem, too long) at once, the
    others by the pool's sandboxed checkers.  The one grading loop of a class, run by the
    local ``grade`` on the whole file and by a cluster's workers on each chunk."""
    in_flight: dict[int, tuple[int, csvfiles.Row, int]] = {}  # by job number
    job_numbers = itertools.count()
    screened: list[tuple[int, csvfiles.Row, int | None, Verdict]] = []

    def work() -> Iterator[tuple[Any, ...]]:
        for index, row in enumerate(rows):
            number = _problem_number(row.problem, len(problems))
            bad = (row.defect and unreadable(row.defect)) or (number is None and unreadable(
                f"no problem {csvfiles.cut(row.problem, 20)!r} on the sheet (1 to {len(problems)})"))
            bad = bad or _too_big(row.answer)
            if bad:
                screened.append((index, row, number, bad))
                continue
            assert number is not None
            in_flight[next(job_numbers)] = (index, row, number)
            reference, problem, policy, named, letters = problems[number - 1]
            letter = chosen_letter(row.answer, letters) if letters else None
            yield reference, problem, letters[letter] if letter else row.answer, policy, named

    for job, result in pool.run_all(_compare_job, work()):
        yield from screened
        screened.clear()
        index, row, number = in_flight.pop(job)
        yield index, row, number, _outcome(result)
    yield from screened


def grade_csv(in_path: str | Path, sheet_path: str | Path | None, out_path: str | Path,
              jobs: int | None = None, policy: Policy | None = None,
              limits: sandbox.Limits = sandbox.Limits(),
              budget: bounded.Budget | None = None, scheduler: Any = None, *,
              questions: list[Question] | None = None,
              named: Callable[[Solution], Iterable[tuple[str, Any]]] | None = None) -> Grades:
    """Grade every row of ``in_path`` against the sheet (solved within ``budget``, if given),
    or against ``questions`` (an exam's key); write ``out_path``, one row per input row,
    streamed; the summaries.  ``named(solution)``: the named mistakes of a sheet's problem, so
    that a wrong answer equal to one's result is told which.  With ``scheduler``
    (a Dask scheduler's address, or a ``distributed.Client``) chunks of rows are graded by
    the cluster's workers instead of ``jobs`` local checkers (:mod:`tutor.checking.cluster`)."""
    in_path, out_path = Path(in_path), Path(out_path)
    _refuse_overwriting(in_path, out_path)
    if questions is None:
        questions = [Question(sol, tuple(named(sol)) if named else ())
                     for sol in bounded.solve_sheet(load_sheet(sheet_path), budget)]
    problems = targets(questions, policy)
    grades, progress = Grades(len(problems)), _Progress()
    max_rows = csvfiles.MAX_ROWS
    if scheduler is not None:
        from tutor.checking import cluster

        max_rows = cluster.MAX_ROWS

    with csvfiles.answer_rows(in_path, max_rows) as rows, csvfiles.graded_writer(out_path) as write:
        def emit(row: csvfiles.Row, number: int | None, v: Verdict) -> None:
            grades.add(number, v)
            write({"student": csvfiles.cell(row.student, MAX_ECHO), "problem": csvfiles.cell(row.problem, 20),
                   "status": v.status, "correct": "yes" if v.correct else "no", "score": f"{v.score:g}",
                   "feedback": csvfiles.cell(" | ".join(v.feedback), MAX_ECHO),
                   "parsed": csvfiles.cell(v.parsed, MAX_ECHO), "answer": csvfiles.cell(row.answer, MAX_CHARS)})
            progress.step()

        if scheduler is None:
            ordered = _InOrder(emit)
            with sandbox.Pool(jobs or sandbox.default_jobs(), limits, _warmup) as pool:
                for index, row, number, verdict in grade_rows(rows, problems, pool):
                    ordered.put(index, row, number, verdict)
        else:
            for row, number, verdict in cluster.graded(rows, problems, limits, scheduler):
                emit(row, number, verdict)
    progress.step(last=True)
    return grades
