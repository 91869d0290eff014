"""Grading a class too big for one machine on a Dask cluster (``tutor grade --scheduler``).

The client (``tutor grade``) reads the answer file and sends it as chunks of rows, one
task per chunk; each task runs on a worker the same grading loop as the local path,
:func:`tutor.checking.check.grade_rows`, with a sandboxed checker of its own (one per
worker thread, started once and kept: ``dask worker --nthreads N`` runs N checkers).
Results come back in completion order and are written in input order, so the graded
file is byte for byte the one the local path writes.

Bounded memory for millions of rows: at most :data:`WINDOW_PER_THREAD` chunks per worker
thread are submitted and not yet written, and a chunk is forgotten once written.

A worker that dies (killed, out of memory) loses its chunks; the scheduler runs them again
elsewhere (and ``retries`` covers a task that raised).  Every chunk has a key made of the
run's token and its number, so a chunk run again is the same task: its rows are written once.

Dask is optional (``pip install 'tutor[cluster]'``) and imported only here, only with
``--scheduler``.
"""
from __future__ import annotations

import atexit
import itertools
import threading
import uuid
from typing import Any, Iterable, Iterator

from tutor.checking import csvfiles, sandbox
from tutor.checking.check import Target, _InOrder, _warmup, grade_rows
from tutor.checking.grading.verdict import Verdict
from tutor.core.errors import TutorError

CHUNK_ROWS = 2_000
MAX_ROWS = 10_000_000  # a cluster's file; one machine stops at csvfiles.MAX_ROWS
WINDOW_PER_THREAD = 2
RETRIES = 3
CONNECT_SECONDS = 10


# ---------------------------------------------------------------- on a worker

_lock = threading.Lock()
_idle: dict[sandbox.Limits, list[sandbox.Pool]] = {}


def _borrow(limits: sandbox.Limits) -> sandbox.Pool:
    """A warm one-checker pool of this worker process (started on first use, kept for the
    next chunks: a cold start costs about a second)."""
    with _lock:
        pools = _idle.setdefault(limits, [])
        if pools:
            return pools.pop()
    return sandbox.Pool(1, limits, _warmup).__enter__()


def _give_back(limits: sandbox.Limits, pool: sandbox.Pool) -> None:
    with _lock:
        _idle[limits].append(pool)


@atexit.register
def _close_pools() -> None:
    with _lock:
        pools = [p for ps in _idle.values() for p in ps]
        _idle.clear()
    for pool in pools:
        pool.close()


def grade_chunk(rows: list[csvfiles.Row], problems: list[Target], limits: sandbox.Limits
                ) -> list[tuple[int | None, Verdict]]:
    """The task: ``(problem number, verdict)`` of each row of a chunk, in the chunk's order."""
    out: list[Any] = [None] * len(rows)
    pool = _borrow(limits)
    try:
        for index, _, number, verdict in grade_rows(rows, problems, pool):
            out[index] = (number, verdict)
    finally:
        _give_back(limits, pool)
    return out


# ---------------------------------------------------------------- on the client

def _client(scheduler: Any) -> tuple[Any, bool]:
    """A client of ``scheduler`` (an address, or a client already: kept open), and whether
    it is ours to close."""
    try:
        import distributed
    except ImportError:
        raise TutorError("--scheduler needs Dask: pip install 'tutor[cluster]' "
                         "(or 'dask[distributed]')") from None
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    try:
        return distributed.Client(scheduler, timeout=CONNECT_SECONDS), True
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        reason = " ".join(str(e).split()) or type(e).__name__
        raise TutorError(f"cannot reach the Dask scheduler {scheduler!r}: {reason[:200]}") from None


def graded(rows: Iterable[csvfiles.Row], problems: list[Target], limits: sandbox.Limits,
           scheduler: Any) -> Iterator[tuple[csvfiles.Row, int | None, Verdict]]:
    """``(row, problem number, verdict)`` for every row, in input order, graded on the cluster
    in chunks of :data:`CHUNK_ROWS` rows."""
    client, ours = _client(scheduler)
    from distributed import as_completed

    try:
        threads = max(1, sum(client.nthreads().values()))
        window = max(2, WINDOW_PER_THREAD * threads)
        run = uuid.uuid4().hex
        chunks = enumerate(_batches(rows, CHUNK_ROWS))
        sent: dict[Any, tuple[int, list[csvfiles.Row]]] = {}  # by future
        done: list[tuple[csvfiles.Row, int | None, Verdict]] = []
        ordered = _InOrder(lambda chunk, results: done.extend(
            (row, number, verdict) for row, (number, verdict) in zip(chunk, results)))
        pending = as_completed()

        def submit() -> bool:
            for n, chunk in itertools.islice(chunks, 1):
                future = client.submit(grade_chunk, chunk, problems, limits,
                                       key=f"tutor-grade-{run}-{n}", retries=RETRIES)
                sent[future] = (n, chunk)
                pending.add(future)
                return True
            return False

        while len(sent) < window and submit():
            pass
        for future in pending:
            n, chunk = sent.pop(future)
            try:
                results = future.result()
            except Exception as e:
                raise TutorError(f"the cluster could not grade rows {chunk[0].line} to {chunk[-1].line} "
                                 f"of the file: {type(e).__name__}: {str(e)[:200]}") from None
            future.release()
            ordered.put(n, chunk, results)
            while len(sent) + len(ordered.waiting) < window and submit():  # workers busy while we write
                pass
            yield from done
            done.clear()
    finally:
        if ours:
            client.close()


def _batches(rows: Iterable[csvfiles.Row], size: int) -> Iterator[list[csvfiles.Row]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
