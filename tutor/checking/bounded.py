"""Solving within a budget of time and memory: a teacher's input can be too big to solve.

Why a forked child: sympy cannot be interrupted from inside (a big-integer power holds
the GIL and ignores alarms for seconds), and a 3×3 determinant of ``(a+b+c+d)^{300}``
entries grows past 4 GB.  :func:`run` forks the command-line process (everything is
imported already, so it costs milliseconds, not the second a fresh interpreter needs),
runs the work in the child under ``RLIMIT_AS`` (never above the hard limit the user
set) and ``RLIMIT_CPU``, and waits with a wall-clock deadline; an overrun is killed and
becomes one :class:`TooBig` error (exit 2) that names the problem.  Only the command
line forks: it has one thread, so no lock is copied held.  Elsewhere (Windows, or no
budget) the work runs in the calling process.

The budget is ``--time-limit``/``--memory-limit`` or ``TUTOR_TIME_LIMIT`` (seconds) and
``TUTOR_MEMORY_LIMIT`` (megabytes); 20 s and 2048 MB by default.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from tutor import topics
from tutor.core.errors import TutorError
from tutor.core.steps import Solution
from tutor.topics.sheets import Sheet
from tutor.checking.sandbox import address_space, set_soft_limit

try:
    import resource
except ImportError:  # pragma: no cover
    resource = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Budget:
    """Wall-clock seconds and address-space bytes for one solve."""

    seconds: float = 20.0
    memory_bytes: int = 2048 * 1024 ** 2

    @classmethod
    def from_settings(cls, seconds: float | None = None, megabytes: int | None = None) -> "Budget":
        """The command line's options, else the environment's, else the defaults."""
        seconds = seconds if seconds is not None else _number("TUTOR_TIME_LIMIT", cls.seconds)
        megabytes = megabytes if megabytes is not None else _number("TUTOR_MEMORY_LIMIT", 2048)
        if not 0 < seconds <= 86_400:
            raise TutorError(f"the time limit must be between 0 and 86400 seconds, not {seconds:g}")
        if not 64 <= megabytes <= 1 << 22:
            raise TutorError(f"the memory limit must be between 64 and 4194304 MB, not {megabytes:g}")
        return cls(float(seconds), int(megabytes) * 1024 ** 2)

    def describe(self) -> str:
        return f"{self.seconds:g} s and {self.memory_bytes // 1024 ** 2} MB"


def _number(variable: str, default: float) -> float:
    text = os.environ.get(variable)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise TutorError(f"{variable} must be a number, not {text[:40]!r}") from None


def solve_sheet(sheet: Sheet, budget: Budget | None) -> list[Solution]:
    """Every problem of the sheet solved, each within the budget; an error names the problem."""
    return [run(f"problem {n} ({p.kind}) of sheet {sheet.name}", budget, topics.solve, p)
            for n, p in enumerate(sheet.problems, start=1)]


class TooBig(TutorError):
    """The work did not fit its budget."""


def run(what: str, budget: Budget | None, func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)``, in a child bounded by ``budget``; ``what`` names the work in the
    error ("problem 2 (determinant)").  ``func``'s own TutorError is raised here as is."""
    if budget is None or not hasattr(os, "fork") or resource is None:
        return func(*args)
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child; its outcome is what the tests check)
        os.close(read_end)
        _child(write_end, budget, func, args)
    os.close(write_end)
    try:
        data, timed_out = _read_until(read_end, time.monotonic() + budget.seconds)
    finally:
        os.close(read_end)
        os.kill(pid, signal.SIGKILL)  # done or overdue; a finished child is a zombie, unharmed
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise TooBig(f"{what} is too big: solving it took longer than {budget.seconds:g} s "
                     "(raise the limit with --time-limit)")
    if not data:
        raise TooBig(f"{what} is too big: {_death(status, budget)}")
    outcome, value = pickle.loads(data)
    if outcome == "ok":
        return value
    if outcome == "memory":
        raise TooBig(f"{what} is too big: solving it needed more than "
                     f"{budget.memory_bytes // 1024 ** 2} MB of memory (raise the limit with --memory-limit)")
    if outcome == "recursion":
        raise TooBig(f"{what} is too big: solving it recursed too deeply (the expressions grew too large)")
    if outcome == "digits":
        raise TooBig(f"{what} is too big: a number in its solution has more than "
                     f"{sys.get_int_max_str_digits()} digits")
    if outcome == "error":
        raise value
    if os.environ.get("TUTOR_DEBUG"):
        sys.stderr.write(value[1])
    raise RuntimeError(value[0])


def _child(write_end: int, budget: Budget, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run the work under the limits and send ``(outcome, value)``; never returns."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # on top of what the fork inherits: a test run or a notebook holding numpy, scipy and a
        # browser driver has most of a gigabyte before the solve begins
        set_soft_limit(resource.RLIMIT_AS, address_space() + budget.memory_bytes)
        set_soft_limit(resource.RLIMIT_CPU, int(budget.seconds) + 2)
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except MemoryError:
            reply = ("memory", None)
        except RecursionError:
            reply = ("recursion", None)
        except TutorError as e:
            reply = ("error", e)
        except ValueError as e:  # a number past Python's int-to-string limit, else a bug
            reply = ("digits", None) if "integer string conversion" in str(e) else \
                ("bug", (f"ValueError: {e}", traceback.format_exc()))
        except Exception as e:
            reply = ("bug", (f"{type(e).__name__}: {e}", traceback.format_exc()))
        try:
            data = pickle.dumps(reply)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception as e:  # an error class that does not pickle keeps its words
            data = pickle.dumps(("error", TutorError(str(reply[1]))) if reply[0] == "error" else
                                ("bug", (f"result not sendable: {type(e).__name__}: {e}", "")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """All the child writes, or what came before the deadline and True."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return b"", True
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _death(status: int, budget: Budget) -> str:
    """Why a child that sent nothing stopped, in words."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == getattr(signal, "SIGXCPU", None):
            return f"solving it used more than {budget.seconds:g} s of CPU time"
        if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
            return (f"solving it stopped ({signal.Signals(sig).name}), most likely out of its "
                    f"{budget.memory_bytes // 1024 ** 2} MB of memory")
        return f"solving it was stopped from outside ({signal.Signals(sig).name})"
    return f"solving it stopped unexpectedly (exit code {os.WEXITSTATUS(status)})"
