"""Run untrusted work (parsing and comparing a student's answer) in a killable worker.

Why a process: sympy cannot be interrupted from inside.  ``9^{9^{9^9}}`` parses in
microseconds and then a power or ``simplify`` never returns; ``signal.alarm`` fires
late (a big-integer power ignored it for seconds) and a thread cannot be stopped at
all.  So every job runs in a persistent worker process that

- lives under ``resource.setrlimit``: address space (``memory_bytes``, a
  ``MemoryError`` inside the job) and CPU seconds (re-armed before each job; the
  kernel kills the worker with SIGXCPU when a job overruns), and
- is watched by the parent with a wall-clock timeout (``Connection.poll``): on
  timeout the parent kills it and starts a fresh one; the job's outcome is a
  :class:`Failure` with a reason a user can read, and the next job runs normally.

A worker is ``python -I`` running :mod:`tutor.checking.worker`, started with :mod:`subprocess`
and talking over two pipes (pickled ``multiprocessing`` connections).  Isolated, in a
fixed working directory (the root), with a clean environment: ``python -m`` would put
the current directory first on ``sys.path``, and a ``random.py`` among the student
submissions where a teacher runs ``tutor grade`` would run as the teacher.  Not a ``multiprocessing``
start method: ``spawn`` and ``forkserver`` re-run the caller's main script in the
child, which breaks every script without an ``if __name__ == "__main__"`` guard;
``fork`` copies whatever locks the caller's threads hold.  A replacement costs a
cold import (about 1 s); it happens only after an answer was stopped.
:class:`Pool` runs many jobs on N such workers (``ProcessPoolExecutor`` cannot
cancel a running task, hence this small pool of our own).
"""
from __future__ import annotations

import json
import math
import multiprocessing.connection as mpc
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Protocol

from tutor.core.errors import TutorError

try:  # Unix only; elsewhere the wall-clock timeout is the only guard
    import resource
except ImportError:  # pragma: no cover
    resource = None  # type: ignore[assignment]

@dataclass(frozen=True)
class Limits:
    """Bounds of one job: wall-clock seconds (parent side), CPU seconds and memory (worker side).

    1.8 s of wall clock leaves room to kill the worker inside the promised 2 s.
    """

    wall_seconds: float = 1.8
    cpu_seconds: int = 2
    memory_bytes: int = 2 * 1024 ** 3


class WorkerUnavailable(TutorError):
    """No checking process could be started (one line, exit code 2)."""


class Bound(Protocol):
    """One job's own bounds instead of the worker's :class:`Limits` (a
    :class:`tutor.checking.bounded.Budget`): wall-clock and CPU seconds, and memory on top of
    what the worker holds already.  Drawing a problem may take seconds where checking an answer
    takes milliseconds."""

    seconds: float
    memory_bytes: int


@dataclass(frozen=True)
class Failure:
    """A job that did not finish: ``reason`` says why, in words for a user."""

    reason: str


def set_soft_limit(which: int, soft: int) -> None:
    """Set a soft limit, never above the hard one: raising it past the limit the user set
    (``ulimit -v``) fails, and a worker that failed so answered every check with EOFError."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _arm_cpu(seconds: int) -> None:
    """Allow ``seconds`` more CPU seconds from now (RLIMIT_CPU counts the whole process life)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    set_soft_limit(resource.RLIMIT_CPU, int(usage.ru_utime + usage.ru_stime) + seconds + 1)


def address_space() -> int:
    """Bytes of address space this process holds already (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _arm(limits: Limits, bound: tuple[int, int] | None) -> None:
    """The next job's CPU seconds and address space: the worker's limits, or the job's own
    ``(cpu seconds, bytes on top of what the worker holds)``."""
    if bound is None:
        _arm_cpu(limits.cpu_seconds)
        set_soft_limit(resource.RLIMIT_AS, limits.memory_bytes)
    else:
        _arm_cpu(bound[0])
        set_soft_limit(resource.RLIMIT_AS, address_space() + bound[1])


def serve(jobs: mpc.Connection, conn: mpc.Connection) -> None:
    """The worker's loop (:mod:`tutor.checking.worker`): after a handshake (the limits and a
    warm-up function), receive ``(function, args)`` on ``jobs`` and send back
    ``("ok", value)`` or ``("failed", reason)`` on ``conn``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    limits, warmup = jobs.recv()
    if resource is not None:
        set_soft_limit(resource.RLIMIT_AS, limits.memory_bytes)
    if warmup is not None:
        warmup()
    conn.send(("ready", None))
    while True:
        try:
            message = jobs.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        func, args, bound = message
        if resource is not None:
            _arm(limits, bound)
        restart = False
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except MemoryError:
            reply, restart = ("failed", "the answer needs too much memory"), True
        except RecursionError:  # sympy's own recursion, not necessarily the text's nesting
            reply = ("failed", "checking it recursed too deeply (the answer or its comparison is too complex)")
        except Exception as e:  # a bug in a comparison: reported, the worker lives on
            reply = ("failed", f"internal error ({type(e).__name__}: {e})"[:300])
        try:
            conn.send(reply)
        except Exception as e:  # an unpicklable result is a bug, still one reply
            conn.send(("failed", f"internal error (result not sendable: {type(e).__name__})"))
        if restart:
            return


class Worker:
    """One persistent worker process; :meth:`run` never raises for what a job does."""

    def __init__(self, limits: Limits = Limits(), warmup: Callable[[], Any] | None = None) -> None:
        self.limits = limits
        self.warmup = warmup
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: mpc.Connection | None = None
        self._jobs: mpc.Connection | None = None
        self._ready = False
        self._deadline = 0.0
        self._wall = limits.wall_seconds

    # -- life cycle
    def start(self) -> None:
        """Start the process and wait until it has warmed up (not counted in any job's time)."""
        self._launch()
        self._await_ready()

    def _launch(self) -> None:
        """Start the process without waiting for it (a replacement warms up meanwhile)."""
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        stderr = None if os.environ.get("TUTOR_DEBUG") else subprocess.DEVNULL
        self._process = subprocess.Popen(
            _command(str(job_read), str(result_write)), cwd=os.path.abspath(os.sep),
            pass_fds=(job_read, result_write), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr, env=_child_environment())
        os.close(job_read)
        os.close(result_write)
        self._jobs = mpc.Connection(job_write, readable=False)
        self._conn = mpc.Connection(result_read, writable=False)
        self._jobs.send((self.limits, self.warmup))
        self._ready = False

    def _await_ready(self, tries: int = 3) -> None:
        """Wait for the warm-up; a worker that dies meanwhile (killed, out of memory) is
        started again, and only a worker that cannot start at all is an error."""
        assert self._conn is not None
        for attempt in range(tries):
            if self._ready:
                return
            try:
                if self._conn.poll(60):
                    self._conn.recv()
                    self._ready = True
                    return
                reason = "it did not answer within 60 s"
            except (EOFError, OSError):
                reason = f"it stopped (exit code {self._exit_code()})"
            self.kill()
            if attempt + 1 < tries:
                self.restarts += 1
                self._launch()
        raise WorkerUnavailable(f"the checking process could not start: {reason}")

    def _exit_code(self) -> int | None:
        assert self._process is not None
        try:
            return self._process.wait(1)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """Stop the process now (SIGKILL): a job in sympy cannot be asked to stop."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait(5)
        for c in (self._conn, self._jobs):
            if c is not None:
                c.close()
        self._process = self._conn = self._jobs = None

    def close(self) -> None:
        """Ask the worker to exit, killing it if it does not."""
        if self._jobs is not None and self._process is not None:
            try:
                self._jobs.send(None)
                self._process.wait(1)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # -- jobs
    def submit(self, func: Callable[..., Any], *args: Any, bound: Bound | None = None) -> None:
        """Send a job (``func`` must be importable by name), bounded by the worker's limits or
        by ``bound``; the clock starts now.  A worker that died while idle is started again
        first (it raised BrokenPipeError forever)."""
        if self._process is not None and self._ready and self._process.poll() is not None:
            self.kill()
        if self._process is None:
            self._launch()
        self._await_ready()
        wall = self.limits.wall_seconds if bound is None else bound.seconds
        message = (func, args, None if bound is None else (math.ceil(bound.seconds), bound.memory_bytes))
        self._wall = wall
        self._deadline = time.monotonic() + wall
        assert self._jobs is not None
        try:
            self._jobs.send(message)
        except OSError:  # it died between the check and the send
            self.kill()
            self.start()
            self._deadline = time.monotonic() + wall
            self._jobs.send(message)

    @property
    def connection(self) -> mpc.Connection:
        assert self._conn is not None
        return self._conn

    @property
    def deadline(self) -> float:
        return self._deadline

    def collect(self) -> Any:
        """The outcome of the submitted job once it is ready or overdue: a value or a :class:`Failure`.

        A worker that died or overran is killed at once and replaced.
        """
        assert self._conn is not None and self._process is not None
        remaining = max(0.0, self._deadline - time.monotonic())
        try:
            if self._conn.poll(remaining):
                status, value = self._conn.recv()
                if self._process.poll() is not None or status == "failed" and "memory" in str(value):
                    self._replace()
                return value if status == "ok" else Failure(value)
        except (EOFError, OSError):
            pass
        return Failure(self._replace())

    def run(self, func: Callable[..., Any], *args: Any, bound: Bound | None = None) -> Any:
        """Run one job: its value, or a :class:`Failure` within the wall-clock bound."""
        self.submit(func, *args, bound=bound)
        return self.collect()

    def _replace(self) -> str:
        """Kill the worker and launch a new one; the reason the old one stopped."""
        assert self._process is not None
        try:
            code = self._process.wait(0.05)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            reason = f"it took longer than {self._wall:g} s"
        elif code == -getattr(signal, "SIGXCPU", -1):
            reason = f"it used more than {self.limits.cpu_seconds} s of CPU time"
        elif code == -signal.SIGKILL:
            reason = "the checking process was killed from outside (SIGKILL), perhaps for want of memory"
        else:
            reason = f"the checking process stopped (exit code {code})"
        self.kill()
        self.restarts += 1
        self._launch()  # the replacement warms up while the caller reads this verdict
        return reason


class Pool:
    """N workers running jobs in parallel; every job gets exactly one outcome."""

    def __init__(self, size: int, limits: Limits = Limits(),
                 warmup: Callable[[], Any] | None = None) -> None:
        self.workers = [Worker(limits, warmup) for _ in range(max(1, size))]

    def __enter__(self) -> "Pool":
        for w in self.workers:
            w.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        for w in self.workers:
            w.close()

    @property
    def restarts(self) -> int:
        return sum(w.restarts for w in self.workers)

    def run_all(self, func: Callable[..., Any], jobs: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        """``(index, outcome)`` for every job's arguments, in completion order."""
        pending = iter(enumerate(jobs))
        idle = list(self.workers)
        busy: dict[mpc.Connection, tuple[Worker, int]] = {}
        exhausted = False
        while True:
            while idle and not exhausted:
                try:
                    index, args = next(pending)
                except StopIteration:
                    exhausted = True
                    break
                worker = idle.pop()
                worker.submit(func, *args)
                busy[worker.connection] = (worker, index)
            if not busy:
                return
            timeout = max(0.0, min(w.deadline for w, _ in busy.values()) - time.monotonic())
            ready = set(mpc.wait(list(busy), timeout))
            now = time.monotonic()
            for conn, (worker, index) in list(busy.items()):
                if conn in ready or worker.deadline <= now:
                    del busy[conn]
                    outcome = worker.collect()
                    idle.append(worker)
                    yield index, outcome


WORKER_MODULE = __name__.rpartition(".")[0] + ".worker"  # next to this module, wherever it moves
_BOOT = ("import sys, json, importlib; sys.path[:0] = json.loads(sys.argv[1]); "
         "importlib.import_module(sys.argv[2]).main(sys.argv[3:])")
_INHERITED = ("TUTOR_DEBUG", "SYMPY_GROUND_TYPES", "SYMPY_USE_CACHE", "SYMPY_CACHE_SIZE", "TMPDIR",
              "LANG", "LC_ALL", "LC_CTYPE")


def _command(*args: str) -> list[str]:
    """The worker's command line: isolated Python (``-I``: no current directory, no user
    site, no ``PYTHON*`` variables), whose import path is set before anything is imported:
    the directory holding this ``tutor``, then the caller's path without its current
    directory (where the caller found sympy, and the jobs' functions)."""
    package = sys.modules[__name__.partition(".")[0]]
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(package.__file__ or "")))
    return [sys.executable, "-I", "-c", _BOOT, json.dumps([package_parent, *_importable_paths()]),
            WORKER_MODULE, *args]


def _importable_paths() -> list[str]:
    """The caller's import path for the jobs' functions, without its current directory
    (``python -m`` and ``python -c`` put it there: the folder of submissions being graded)."""
    here = os.getcwd()
    return [p for p in sys.path if os.path.isabs(p) and os.path.abspath(p) != here]


def _child_environment() -> dict[str, str]:
    """A clean environment: only what the sympy the worker imports must agree on with the
    caller's (ground types, cache), the locale, ``TMPDIR`` and ``TUTOR_DEBUG``."""
    return {k: v for k, v in os.environ.items() if k in _INHERITED}


def default_jobs() -> int:
    """The default number of workers: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1
