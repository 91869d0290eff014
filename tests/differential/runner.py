"""Run the differential test and print a table per kind.

``python -m tests.differential.runner`` (``make difftest``): ``DIFFTEST_COUNT`` problems
(default 2000) spread over every kind, half from the generators and half from
:mod:`.inputs` where it has a source for the kind; ``DIFFTEST_SEED`` (default 20).

Each problem runs in a forked worker with a wall-clock limit (sympy cannot be interrupted
from inside); an overrun counts as slow and the worker is replaced.
"""
from __future__ import annotations

import collections
import multiprocessing
import os
import random
import re
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any

SLOW_SECONDS = 2.0      # the aim for one solve
LIMIT_SECONDS = 60.0    # a worker past this is killed


@dataclass(frozen=True)
class Outcome:
    kind: str
    source: str             # "generator" or "inputs"
    raw: dict
    status: str             # agree, wrong, refused, crashed, unchecked, timeout
    detail: str = ""
    failing_checks: tuple[str, ...] = ()
    seconds: float = 0.0


def judge(kind: str, source: str, raw: dict) -> Outcome:
    """Solve, walk every step check, compare with the oracle (in the calling process)."""
    import tutor
    from tutor.core.errors import TutorError

    from .oracles import ORACLES, Wrong
    start = time.process_time()
    try:
        solution = tutor.solve(kind, **raw)
        failing = tuple(s.rule for s in solution.walk() if not s.check())
    except TutorError as e:
        return Outcome(kind, source, raw, "refused", str(e), seconds=time.process_time() - start)
    except Exception as e:  # noqa: BLE001 (a crash is what we count)
        return Outcome(kind, source, raw, "crashed", f"{type(e).__name__}: {e}"[:300],
                       seconds=time.process_time() - start)
    seconds = time.process_time() - start
    oracle = ORACLES.get(kind)
    if oracle is None:
        return Outcome(kind, source, raw, "unchecked", "", failing, seconds)
    try:
        oracle(raw, solution.answer)
    except Wrong as e:
        return Outcome(kind, source, raw, "wrong", str(e)[:300], failing, seconds)
    except Exception as e:  # noqa: BLE001 (an oracle that cannot read the input)
        return Outcome(kind, source, raw, "unchecked", f"oracle: {type(e).__name__}: {e}"[:200], failing, seconds)
    return Outcome(kind, source, raw, "agree", "", failing, seconds)


def problems(count: int, seed: int, kinds: list[str] | None = None) -> list[tuple[str, str, dict]]:
    """``count`` problems over every kind, round robin: generator draws at difficulties 1-3 and
    independent inputs alternately (generators only where :mod:`.inputs` has no source)."""
    from tutor.exams import generators
    from tutor.topics import all_kinds

    from .inputs import INPUTS
    from .inputs_chapters import SOURCES
    INPUTS = {**INPUTS, **SOURCES}
    rng = random.Random(seed)
    names = sorted(kinds or all_kinds())
    out = []
    for i in range(count):
        kind = names[i % len(names)]
        if kind in INPUTS and (i // len(names)) % 2:
            out.append((kind, "inputs", INPUTS[kind](rng)))
        else:
            out.append((kind, "generator", generators.raw_generator(kind)(rng, 1 + (i // len(names)) % 3)))
    return out


def _serve(conn: Any) -> None:
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            conn.send(judge(*job))
        except Exception:  # noqa: BLE001
            conn.send(Outcome(job[0], job[1], job[2], "crashed", traceback.format_exc()[-300:]))


class _Worker:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()

    def run(self, job: tuple, limit: float) -> Outcome | None:
        self.conn.send(job)
        if self.conn.poll(limit):
            return self.conn.recv()
        self.process.kill()
        self.process.join()
        return None

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(5)


def run(jobs: list[tuple[str, str, dict]], budget: float | None = None, limit: float = LIMIT_SECONDS,
        progress: bool = False) -> list[Outcome]:
    """Judge every job in a forked worker (in order), until ``budget`` seconds of wall clock."""
    import tutor  # noqa: F401 (imported once, before forking)
    from . import oracles  # noqa: F401
    outcomes, start = [], time.monotonic()
    worker = _Worker()
    try:
        for n, job in enumerate(jobs):
            if budget is not None and time.monotonic() - start > budget:
                break
            outcome = worker.run(job, limit)
            if outcome is None:
                outcome = Outcome(job[0], job[1], job[2], "timeout", f"over {limit:.0f} s", seconds=limit)
                worker = _Worker()
            outcomes.append(outcome)
            if progress and n % 100 == 99:
                print(f"  {n + 1} problems, {time.monotonic() - start:.0f} s", file=sys.stderr)
    finally:
        worker.close()
    return outcomes


def _group(message: str) -> str:
    """A refusal message with its numbers and quoted text blanked, to group alike ones."""
    return re.sub(r"'[^']*'|\d+(/\d+)?|\[[^\]]*\]", "…", message)[:90]


def table(outcomes: list[Outcome]) -> str:
    """The summary per kind: agree, wrong, refused, crashed, timeout, unchecked, failing step
    checks, slow (> SLOW_SECONDS CPU); then the refusals grouped and every problem found."""
    rows = collections.defaultdict(collections.Counter)
    for o in outcomes:
        rows[o.kind][o.status] += 1
        rows[o.kind]["checks"] += bool(o.failing_checks)
        rows[o.kind]["slow"] += o.seconds > SLOW_SECONDS
        rows[o.kind]["max_s"] = max(rows[o.kind]["max_s"], round(o.seconds, 1))
    cols = ("agree", "wrong", "refused", "crashed", "timeout", "unchecked", "checks", "slow", "max_s")
    lines = [f"{'kind':22}" + "".join(f"{c:>10}" for c in cols)]
    total = collections.Counter()
    for kind in sorted(rows):
        lines.append(f"{kind:22}" + "".join(f"{rows[kind][c]:>10}" for c in cols))
        for c in cols[:-1]:
            total[c] += rows[kind][c]
    total["max_s"] = max((r["max_s"] for r in rows.values()), default=0)
    lines.append(f"{'TOTAL (' + str(len(outcomes)) + ')':22}" + "".join(f"{total[c]:>10}" for c in cols))
    refusals = collections.Counter((o.kind, _group(o.detail)) for o in outcomes if o.status == "refused")
    if refusals:
        lines += ["", "refused (grouped):"] + [f"  {n:5} {k}: {m}" for (k, m), n in refusals.most_common()]
    bad = [o for o in outcomes if o.status in ("wrong", "crashed", "timeout") or o.failing_checks]
    if bad:
        lines += ["", "problems:"] + [f"  {o.kind} [{o.status}] {o.raw} {o.detail} {o.failing_checks or ''}"
                                      for o in bad]
    slow = sorted((o for o in outcomes if o.seconds > SLOW_SECONDS), key=lambda o: -o.seconds)[:15]
    if slow:
        lines += ["", "slowest:"] + [f"  {o.seconds:6.1f} s {o.kind} {o.raw}" for o in slow]
    return "\n".join(lines)


def main() -> int:
    count = int(os.environ.get("DIFFTEST_COUNT", "2000"))
    seed = int(os.environ.get("DIFFTEST_SEED", "20"))
    budget = float(os.environ["DIFFTEST_BUDGET"]) if os.environ.get("DIFFTEST_BUDGET") else None
    kinds = os.environ.get("DIFFTEST_KINDS", "").split(",") if os.environ.get("DIFFTEST_KINDS") else None
    outcomes = run(problems(count, seed, kinds), budget=budget, progress=True)
    print(table(outcomes))
    bad = sum(o.status in ("wrong", "crashed") or bool(o.failing_checks) for o in outcomes)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
