"""Timing helpers shared by the benchmarks: best-of-k CPU time, and a printed table."""
from __future__ import annotations

import time
from typing import Callable, Iterable, Sequence

from sympy.core.cache import clear_cache


def best_time(fn: Callable[[], object], repeat: int = 3,
              also_clear: Callable[[], None] | None = None) -> float:
    """The best of ``repeat`` runs, in seconds of CPU time (the least disturbed one).

    CPU time of this process, not wall-clock time: every benchmark here is single-threaded
    and CPU-bound, and other load on the machine then does not count.

    sympy's cache is cleared before each run (and ``also_clear`` called, for the tutor's
    own caches): otherwise the second run of the same computation is a cache lookup, which
    flatters whichever side ran it before.
    """
    best = float("inf")
    for _ in range(repeat):
        clear_cache()
        if also_clear is not None:
            also_clear()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"
