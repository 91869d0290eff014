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

Workers are forked from a ``forkserver`` that has already imported sympy and the
tutor, so a replacement is ready in milliseconds rather than the ~1 s of a cold
import.  :class:`Pool` runs many jobs on N such workers (``ProcessPoolExecutor``
cannot cancel a running task, hence this small pool of our own).
"""
from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection as mpc
import os
import signal
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

try:  # Unix only; elsewhere the wall-clock timeout is the only guard
    import resource
except ImportError:  # pragma: no cover
    resource = None  # type: ignore[assignment]

PRELOAD = ("sympy", "tutor", "tutor.parse", "tutor.grading", "tutor.check")


@dataclass(frozen=True)
class Limits:
    """Bounds of one job: wall-clock seconds (parent side), CPU seconds and memory (worker side).

    1.8 s of wall clock leaves room to kill the worker inside the promised 2 s.
    """

    wall_seconds: float = 1.8
    cpu_seconds: int = 2
    memory_bytes: int = 2 * 1024 ** 3


@dataclass(frozen=True)
class Failure:
    """A job that did not finish: ``reason`` says why, in words for a user."""

    reason: str


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([m for m in PRELOAD if _importable(m)])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def _arm_cpu(seconds: int) -> None:
    """Allow ``seconds`` more CPU seconds from now (RLIMIT_CPU counts the whole process life)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _serve(conn: mpc.Connection, limits: Limits, warmup: Callable[[], Any] | None) -> None:
    """The worker's loop: receive ``(function, args)``, send back ``("ok", value)`` or a reason."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    if warmup is not None:
        warmup()
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        func, args = message
        if resource is not None:
            _arm_cpu(limits.cpu_seconds)
        restart = False
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except MemoryError:
            reply, restart = ("failed", "the answer needs too much memory"), True
        except RecursionError:
            reply = ("failed", "the answer is nested too deeply")
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
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: mpc.Connection | None = None
        self._deadline = 0.0

    # -- life cycle
    def start(self) -> None:
        """Start the process and wait until it has warmed up (not counted in any job's time)."""
        ctx = _context()
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.limits, self.warmup), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        if not parent.poll(60):
            self.kill()
            raise RuntimeError("the checking worker did not start")
        parent.recv()

    def kill(self) -> None:
        """Stop the process now (SIGKILL): a job in sympy cannot be asked to stop."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
            self._process.close()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        """Ask the worker to exit, killing it if it does not."""
        if self._conn is not None and self._process is not None:
            try:
                self._conn.send(None)
                self._process.join(1)
            except (OSError, ValueError):
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
    def submit(self, func: Callable[..., Any], *args: Any) -> None:
        """Send a job (``func`` must be importable by name); the clock starts now."""
        if self._process is None:
            self.start()
        self._deadline = time.monotonic() + self.limits.wall_seconds
        assert self._conn is not None
        self._conn.send((func, args))

    @property
    def connection(self) -> mpc.Connection:
        assert self._conn is not None
        return self._conn

    @property
    def deadline(self) -> float:
        return self._deadline

    def collect(self) -> Any:
        """The outcome of the submitted job once it is ready or overdue: a value or a :class:`Failure`.

        A worker that died or overran is killed at once and replaced on the next job.
        """
        assert self._conn is not None and self._process is not None
        remaining = max(0.0, self._deadline - time.monotonic())
        try:
            if self._conn.poll(remaining):
                status, value = self._conn.recv()
                if not self._process.is_alive() or status == "failed" and "memory" in str(value):
                    self._replace()
                return value if status == "ok" else Failure(value)
        except (EOFError, OSError):
            pass
        return Failure(self._replace())

    def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run one job: its value, or a :class:`Failure` within the wall-clock bound."""
        self.submit(func, *args)
        return self.collect()

    def _replace(self) -> str:
        """Kill the worker (a new one starts with the next job); the reason the old one stopped."""
        assert self._process is not None
        self._process.join(0.05)
        code = self._process.exitcode
        if code is None:
            reason = f"it took longer than {self.limits.wall_seconds:g} s"
        elif code == -getattr(signal, "SIGXCPU", -1):
            reason = f"it used more than {self.limits.cpu_seconds} s of CPU time"
        elif code == -signal.SIGKILL:
            reason = "it used too much memory or time"
        else:
            reason = f"the checking process stopped (exit code {code})"
        self.kill()
        self.restarts += 1  # the replacement starts with the next job
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


def default_jobs() -> int:
    """The default number of workers: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1
