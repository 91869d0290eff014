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

A worker is ``python -m tutor.checking.worker`` started with :mod:`subprocess` and talking
over two pipes (pickled ``multiprocessing`` connections).  Not a ``multiprocessing``
start method: ``spawn`` and ``forkserver`` re-run the caller's main script in the
child, which breaks every script without an ``if __name__ == "__main__"`` guard;
``fork`` copies whatever locks the caller's threads hold.  A replacement costs a
cold import (about 1 s); it happens only after an answer was stopped.
:class:`Pool` runs many jobs on N such workers (``ProcessPoolExecutor`` cannot
cancel a running task, hence this small pool of our own).
"""
from __future__ import annotations

import multiprocessing.connection as mpc
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

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


@dataclass(frozen=True)
class Failure:
    """A job that did not finish: ``reason`` says why, in words for a user."""

    reason: str


def _arm_cpu(seconds: int) -> None:
    """Allow ``seconds`` more CPU seconds from now (RLIMIT_CPU counts the whole process life)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def serve(jobs: mpc.Connection, conn: mpc.Connection) -> None:
    """The worker's loop (``python -m tutor.checking.worker``): after a handshake (the parent's
    ``sys.path``, then the limits and a warm-up function), receive ``(function, args)``
    on ``jobs`` and send back ``("ok", value)`` or ``("failed", reason)`` on ``conn``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    sys.path[:0] = [p for p in jobs.recv() if p not in sys.path]
    limits, warmup = jobs.recv()
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
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
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: mpc.Connection | None = None
        self._jobs: mpc.Connection | None = None
        self._ready = False
        self._deadline = 0.0

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
            [sys.executable, "-m", "tutor.checking.worker", str(job_read), str(result_write)],
            pass_fds=(job_read, result_write), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr, env=_child_environment())
        os.close(job_read)
        os.close(result_write)
        self._jobs = mpc.Connection(job_write, readable=False)
        self._conn = mpc.Connection(result_read, writable=False)
        self._jobs.send(list(sys.path))
        self._jobs.send((self.limits, self.warmup))
        self._ready = False

    def _await_ready(self) -> None:
        assert self._conn is not None
        if self._ready:
            return
        if not self._conn.poll(60):
            self.kill()
            raise RuntimeError("the checking worker did not start")
        self._conn.recv()
        self._ready = True

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
    def submit(self, func: Callable[..., Any], *args: Any) -> None:
        """Send a job (``func`` must be importable by name); the clock starts now."""
        if self._process is None:
            self._launch()
        try:
            self._await_ready()
        except (EOFError, OSError):  # it died while starting: one more try, loudly
            self.kill()
            self.start()
        self._deadline = time.monotonic() + self.limits.wall_seconds
        assert self._jobs is not None
        self._jobs.send((func, args))

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

    def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run one job: its value, or a :class:`Failure` within the wall-clock bound."""
        self.submit(func, *args)
        return self.collect()

    def _replace(self) -> str:
        """Kill the worker and launch a new one; the reason the old one stopped."""
        assert self._process is not None
        try:
            code = self._process.wait(0.05)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            reason = f"it took longer than {self.limits.wall_seconds:g} s"
        elif code == -getattr(signal, "SIGXCPU", -1):
            reason = f"it used more than {self.limits.cpu_seconds} s of CPU time"
        elif code == -signal.SIGKILL:
            reason = "it used too much memory or time"
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


def _child_environment() -> dict[str, str]:
    """The caller's environment, with the directory holding this ``tutor`` importable."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([here] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def default_jobs() -> int:
    """The default number of workers: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1
