"""Grading on a Dask cluster (issue 17): rows/s for 100,000 answers with the local pool
(``--jobs 2``) and on a LocalCluster of two worker processes, one thread (one sandboxed
checker) each, on this machine.  The same two cores either way: the figure is the cost of
the cluster's plumbing (chunks sent, results gathered, rows put back in order), not a
speed-up; a real cluster adds machines.  Needs ``pip install 'tutor[cluster]'``."""
from __future__ import annotations

import logging
import sys

from bench.bench_check import batch
from bench.common import table

ANSWERS = 100_000


def main(n: int = ANSWERS) -> None:
    try:
        import distributed
    except ImportError:
        print("skipped: needs pip install 'tutor[cluster]'")
        return
    rows = []
    seconds, _ = batch(n, jobs=2)
    rows.append(("local pool, --jobs 2", n, f"{seconds:.1f}", f"{n / seconds:.0f}"))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        seconds, _ = batch(n, scheduler=client)
    rows.append(("LocalCluster, 2 workers x 1 thread", n, f"{seconds:.1f}", f"{n / seconds:.0f}"))
    table(("grade", "answers", "seconds", "rows/s"), rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ANSWERS)
