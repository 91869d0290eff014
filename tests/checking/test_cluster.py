"""``tutor grade --scheduler``: a Dask LocalCluster of two worker processes grades a class
exactly as the local pool does (the same bytes), keeps every row once and in order, and
survives a worker killed in the middle of the run."""
from __future__ import annotations

import csv
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tutor.checking import check, cluster
from tutor.cli.main import main

distributed = pytest.importorskip("distributed")

SHEET = """
title = "cluster"
[[problem]]
kind = "system"
equations = ["3x + y = 9", "4x - 2y = 5"]
[[problem]]
kind = "system"
equations = ["2x + 4y - z = 5", "x - y + z = 1"]
"""
ANSWERS = {"1": ["x = 23/10, y = 21/10", "(2, 3)", "(2.3, 2.1)", "=cmd|' /C calc'!A0", "x^{x^{x^{x}}}"],
           "2": ["(x,y,z) = (2, 1, 0) + t(-3, 4, 5)", "(2, 1, 0)", "no solution", ""],
           "7": ["x = 1"], "one": ["x = 1"]}  # no problem 7 nor "one": graded unreadable at once


def _class(d: Path, n: int) -> tuple[Path, Path]:
    (d / "s.toml").write_text(SHEET)
    problems = list(ANSWERS)
    with (d / "a.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "problem", "answer"])
        for i in range(n):
            problem = problems[i % 7 % len(problems)]
            texts = ANSWERS[problem]
            w.writerow([f"s{i}", problem, texts[i // 7 % len(texts)]])
    return d / "a.csv", d / "s.toml"


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as local, distributed.Client(local) as c:
        yield c


@pytest.fixture(scope="module")
def graded_locally(tmp_path_factory):
    d = tmp_path_factory.mktemp("local")
    answers, sheet = _class(d, 1_500)
    check.grade_csv(answers, sheet, d / "g.csv", jobs=2)
    return answers, sheet, (d / "g.csv").read_bytes()


def test_the_cluster_writes_the_local_bytes(client, graded_locally, tmp_path, monkeypatch):
    answers, sheet, local = graded_locally
    monkeypatch.setattr(cluster, "CHUNK_ROWS", 64)  # many chunks, finishing out of order
    grades = check.grade_csv(answers, sheet, tmp_path / "g.csv", scheduler=client)
    assert (tmp_path / "g.csv").read_bytes() == local
    with (tmp_path / "g.csv").open(newline="", encoding="utf-8") as f:
        students = [r["student"] for r in csv.DictReader(f)]
    assert students == [f"s{i}" for i in range(1_500)]  # every row once, in input order
    assert sum(grades.statuses.values()) == 1_500 and grades.statuses["unreadable"] >= 400


def test_a_worker_killed_mid_run_loses_no_row(client, graded_locally, tmp_path, monkeypatch):
    answers, sheet, local = graded_locally
    monkeypatch.setattr(cluster, "CHUNK_ROWS", 150)
    pids = client.run(os.getpid)
    step = check._Progress.step
    killed = []

    def step_and_kill(self, last=False):
        """Once the first chunk is written, kill a worker while it grades a chunk."""
        step(self, last)
        deadline = time.monotonic() + 30
        while self.done == 150 and not killed and time.monotonic() < deadline:
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])
            time.sleep(0.01)

    monkeypatch.setattr(check._Progress, "step", step_and_kill)
    check.grade_csv(answers, sheet, tmp_path / "g.csv", scheduler=client)
    assert killed and (tmp_path / "g.csv").read_bytes() == local
    assert client.run_on_scheduler(_lost_chunks)  # the victim's chunk was run again
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in client.run(os.getpid).values()  # the nanny started a new one


def _lost_chunks(dask_scheduler) -> list[str]:
    """The chunks (running, or done and not yet fetched) lost with a worker found dead."""
    return sorted({str(t.key) for t in dask_scheduler.transition_log
                   if str(t.key).startswith("tutor-grade-") and t.start in ("processing", "memory")
                   and t.stimulus_id.startswith("handle-worker-cleanup")})


def test_the_command_line(client, graded_locally, tmp_path, capsys):
    answers, sheet, local = graded_locally
    address = client.scheduler.address
    code = main(["grade", str(answers), "--sheet", str(sheet), "-o", str(tmp_path / "g.csv"),
                 "--scheduler", address])
    assert code == (1 if b",unchecked," in local else 0)  # as locally
    assert (tmp_path / "g.csv").read_bytes() == local
    assert "1500 rows" in capsys.readouterr().out


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense"])
def test_a_bad_scheduler_address_is_one_line(address, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    answers, sheet = _class(tmp_path, 3)
    assert main(["grade", str(answers), "--sheet", str(sheet), "-o", str(tmp_path / "g.csv"),
                 "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tutor: error: cannot reach the Dask scheduler") and err.count("\n") == 1
    assert "Traceback" not in err and not (tmp_path / "g.csv").exists()


def test_without_dask_the_error_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    answers, sheet = _class(tmp_path, 3)
    assert main(["grade", str(answers), "--sheet", str(sheet), "-o", str(tmp_path / "g.csv"),
                 "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "pip install 'tutor[cluster]'" in capsys.readouterr().err


def test_jobs_and_scheduler_together_are_refused(tmp_path, capsys):
    answers, sheet = _class(tmp_path, 3)
    assert main(["grade", str(answers), "--sheet", str(sheet), "-o", str(tmp_path / "g.csv"),
                 "--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--nthreads" in capsys.readouterr().err
