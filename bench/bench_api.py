"""The HTTP API under load: ``/api/check`` from 8 concurrent clients against ``tutor serve``.

Goal (issue 16): p50 <= 50 ms and p99 <= 300 ms, >= 150 checks/s sustained for 60 s with no
error and no growth in memory.  The server runs in its own process (``tutor serve --rate 0``
on a free port); the clients are threads with keep-alive connections sending classroom
answers (expressions, matrices, a system's solution set) in turn.  ``TUTOR_BENCH_SECONDS``
sets the run's length (default 60).  Wall-clock figures: the machine's other load counts.

Memory: one request in four is a problem never seen before (a new determinant, a new
expected answer), so the caches of the server and of its workers fill up as they would with a
class; the resident memory of the server and of its sandbox workers is sampled every
``TUTOR_BENCH_SAMPLE`` seconds (default: a twelfth of the run) and printed as a series, with the
growth over the second half of the run, which is the "levels off" figure (goal: within 5 %).
"""
from __future__ import annotations

import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

CLIENTS = 8
REQUESTS = [
    {"expected": "\\frac{x^2-1}{x-1}", "answer": "x+1"},
    {"expected": "(x+1)^3", "answer": "x^3+3x^2+3x+1"},
    {"expected": "x^2+3x", "answer": "x^2-3x"},
    {"expected": "[[1,2],[3,4]]", "answer": "[[1,3],[2,4]]"},
    {"expected": "1/3", "answer": "0.33"},
    {"kind": "system", "inputs": {"equations": ["3x + y = 9", "4x - 2y = 5"]}, "answer": "x = 23/10, y = 21/10"},
    {"kind": "det", "inputs": {"matrix": "[[2,1],[7,4]]"}, "answer": "1"},
    {"kind": "eigen", "inputs": {"matrix": "[[2,1],[1,2]]"}, "answer": "λ=3: (1,1); λ=1: (1,-1)"},
]
_fresh = itertools.count(1)  # next() is atomic under the GIL: one number per request


def _request(k: int) -> dict[str, object]:
    """The k-th request: classroom answers, and every fourth one a problem never seen before."""
    if k % 4 == 3:
        n = next(_fresh)
        if n % 2:
            return {"kind": "det", "inputs": {"matrix": f"[[{n},1],[7,4]]"}, "answer": str(4 * n - 7)}
        return {"expected": f"x^2+{n}x", "answer": f"x(x+{n})"}
    return REQUESTS[k % len(REQUESTS)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_of(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kib(pid: int) -> tuple[int, int]:
    """Resident memory of the server and of its children (the sandbox workers), in KiB."""
    try:
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
    except OSError:
        children = []
    return _rss_of(pid), sum(_rss_of(c) for c in children)


def _sample(pid: int, stop: float, every: float, series: list[tuple[float, int, int]]) -> None:
    """(seconds since the start, server KiB, workers KiB) every ``every`` seconds until ``stop``."""
    start = time.monotonic()
    while True:
        series.append((time.monotonic() - start, *_rss_kib(pid)))
        if time.monotonic() + every > stop:
            return
        time.sleep(every)


def memory_report(series: list[tuple[float, int, int]]) -> list[str]:
    """The series as lines, and the growth over the run and over its second half."""
    lines = ["memory over time (MiB):     t   server  workers    total"]
    lines += [f"{'':26}{t:5.0f}  {s / 1024:7.1f}  {w / 1024:7.1f}  {(s + w) / 1024:7.1f}" for t, s, w in series]
    total = [s + w for _, s, w in series]
    middle = total[len(total) // 2]
    lines.append(f"server memory (with its workers) {total[0] / 1024:.0f} MiB -> {total[-1] / 1024:.0f} MiB; "
                 f"second half {middle / 1024:.1f} -> {total[-1] / 1024:.1f} MiB "
                 f"({100 * (total[-1] - middle) / middle:+.1f} %, goal within 5 %)")
    return lines


def _wait_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/kinds")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _client(port: int, stop: float, offset: int, latencies: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    k = offset
    while time.monotonic() < stop:
        body = json.dumps(_request(k))
        k += 1
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/check", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            data = json.loads(response.read())
            if response.status != 200 or data.get("status") == "unchecked":
                errors.append(f"{response.status}: {data}")
        except (OSError, http.client.HTTPException, ValueError) as e:
            errors.append(repr(e))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        latencies.append(time.perf_counter() - start)


def main() -> None:
    seconds = float(os.environ.get("TUTOR_BENCH_SECONDS", "60"))
    port = _free_port()
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    server = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port), "--rate", "0"],
                              env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_up(port)
        warm = [threading.Thread(target=_client, args=(port, time.monotonic() + 3, i, [], []))
                for i in range(CLIENTS)]  # every request type, every worker started and warm
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        latencies: list[float] = []
        errors: list[str] = []
        series: list[tuple[float, int, int]] = []
        stop = time.monotonic() + seconds
        every = float(os.environ.get("TUTOR_BENCH_SAMPLE", seconds / 12))
        threads = [threading.Thread(target=_client, args=(port, stop, i, latencies, errors)) for i in range(CLIENTS)]
        threads.append(threading.Thread(target=_sample, args=(server.pid, stop, every, series)))
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        series.append((elapsed, *_rss_kib(server.pid)))
    finally:
        server.terminate()
        server.wait(10)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan")
    print(f"{CLIENTS} clients, {seconds:g} s: {len(latencies)} checks, {len(latencies) / elapsed:.0f} checks/s "
          f"(goal >= 150), errors {len(errors)} (goal 0)")
    print(f"latency p50 {1000 * statistics.median(latencies):.1f} ms (goal <= 50), p99 {1000 * p99:.1f} ms "
          f"(goal <= 300)")
    print("\n".join(memory_report(series)))
    for e in errors[:3]:
        print("  error:", e)


if __name__ == "__main__":
    main()
