"""The checking worker under attack: planted modules, concurrent callers, limits and deaths
(issue 19, items 1, 3 and 4)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import tutor
from tutor.checking import sandbox

from tests.conftest import ROOT

# Every module the worker tries to import, the failed tries too (gmpy2, flint, ...):
# found with an audit hook in a process that starts as the worker does.
_PROBE = textwrap.dedent("""
    import sys
    names = set()
    sys.addaudithook(lambda event, args: event == "import" and names.add(args[0].partition(".")[0]))
    import importlib, json
    sys.path[:0] = json.loads(sys.argv[1])
    importlib.import_module(sys.argv[2])
    from tutor.checking.check import _warmup, _expected_job
    from tutor.checking.grading.policy import DEFAULT
    _warmup()
    for answer in ("[1, 2]", "x = 2, y = 3", "\\\\begin{pmatrix}1&2\\\\end{pmatrix}", "0.5", "{1, 2}"):
        _expected_job("x", answer, DEFAULT)
    print(" ".join(sorted(names)))
""")


def _worker_imports() -> list[str]:
    command = sandbox._command()
    out = subprocess.run([sys.executable, "-I", "-c", _PROBE, *command[4:6]],
                         capture_output=True, text=True, check=True, cwd="/").stdout
    return [n for n in out.split() if n.isidentifier() and n != "tutor"]


_TEACHER = textwrap.dedent("""
    import sys
    from tutor.cli.main import main
    codes = [main(["check", "--expected", "x + 1", "--answer", "1 + x"]),
             main(["check", "system", "3x = 6", "--answer", "x = 5"]),
             main(["grade", "answers.csv", "--sheet", sys.argv[1], "-o", "graded.csv", "--jobs", "1"])]
    print(codes)
""")


def test_modules_planted_where_the_teacher_grades_are_not_imported(tmp_path):
    """A folder of submissions holding a file for every module the worker imports: none
    runs, and the checks are right (a planted module that re-exports the real one would
    otherwise run silently)."""
    names = _worker_imports()
    assert {"random", "fractions", "sympy", "mpmath", "gmpy2"} <= set(names)
    folder, marks, bin_dir = tmp_path / "submissions", tmp_path / "marks", tmp_path / "bin"
    for d in (folder, marks, bin_dir):
        d.mkdir()
    for name in names:
        (folder / f"{name}.py").write_text(f"open({str(marks / name)!r}, 'w').close()\n")
    (folder / "answers.csv").write_text("student,problem,answer\nada,1,x = 2\nbob,1,x = 3\n")
    script = bin_dir / "tutor_script.py"  # like the installed console script: its own folder first
    script.write_text(_TEACHER)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(script), str(ROOT / "examples" / "lecture1.toml")],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == "[0, 1, 0]", done.stdout + done.stderr
    assert sorted(os.listdir(marks)) == []
    graded = (folder / "graded.csv").read_text().splitlines()
    assert [line.split(",")[3] for line in graded[1:]] == ["yes", "no"]


def test_the_import_path_sent_to_the_worker_leaves_out_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", str(tmp_path), "relative/dir"] + sys.path)
    sent = sandbox._importable_paths()
    assert "" not in sent and str(tmp_path) not in sent and "relative/dir" not in sent


def test_the_worker_starts_isolated_with_a_clean_environment(monkeypatch):
    monkeypatch.setenv("PYTHONSTARTUP", "/nonexistent")
    monkeypatch.setenv("SECRET_TOKEN", "x")
    command = sandbox._command("1", "2")
    assert command[1] == "-I" and sandbox.WORKER_MODULE in command and command[-2:] == ["1", "2"]
    env = sandbox._child_environment()
    assert "SECRET_TOKEN" not in env and "PYTHONSTARTUP" not in env and "PYTHONPATH" not in env
    assert json.loads(json.dumps(env)) == env


def _expect(i: int) -> tuple[str, str, bool]:
    """Problem i: the expected answer, a student's answer, whether it is right."""
    right = i % 2 == 0
    return f"x + {i}", f"{i} + x" if right else f"x + {i + 1}", right


def test_checks_from_many_threads_get_their_own_verdicts():
    """80 checks from 16 threads, right and wrong answers interleaved: no verdict crosses
    (a single shared worker without a lock crossed 32 of 80)."""
    from concurrent.futures import ThreadPoolExecutor

    cases = [_expect(i) for i in range(80)]
    with ThreadPoolExecutor(16) as pool:
        verdicts = list(pool.map(lambda c: tutor.check_expected(c[0], c[1]), cases))
    assert [v.correct for v in verdicts] == [right for _, _, right in cases]


def test_checks_of_a_kind_from_many_threads_get_their_own_verdicts():
    """tutor.check solves in the calling thread, then checks in a borrowed worker."""
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> bool:
        answer = f"x = {i}" if i % 3 == 0 else f"x = {i + 1}"
        return tutor.check("system", answer, equations=[f"2x = {2 * i}"]).correct

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(one, range(12))) == [i % 3 == 0 for i in range(12)]


def test_checks_from_coroutines_get_their_own_verdicts():
    import asyncio

    cases = [_expect(i) for i in range(40)]

    async def main():
        return await asyncio.gather(*(tutor.check_expected_async(e, a) for e, a, _ in cases))

    verdicts = asyncio.run(main())
    assert [v.correct for v in verdicts] == [right for _, _, right in cases]


def _hard_memory_limit(limit: int):
    def apply() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def test_checks_and_solves_under_a_hard_memory_limit_below_the_worker_s():
    """``ulimit -v 1800000``: every check exited 3 'internal error: EOFError' (the worker
    raised its own limit above the hard one and died)."""
    code = ("from tutor.cli import main; import sys; "
            "sys.exit(main(['check', '--expected', 'x + 1', '--answer', '1 + x']) + "
            "10 * main(['solve', 'det', '[[1, 2], [3, 4]]']))")
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          cwd="/", capture_output=True, text=True, timeout=300,
                          preexec_fn=_hard_memory_limit(1_800_000 * 1024))
    assert done.returncode == 0, done.stderr
    assert "correct (score 1)" in done.stdout and "-2" in done.stdout


def test_a_worker_killed_while_warming_up_is_started_again():
    worker = sandbox.Worker(sandbox.Limits(wall_seconds=5), _warm)
    try:
        worker._launch()
        os.kill(worker.pid, 9)
        assert worker.run(_upper, "fine") == "FINE"
        assert worker.restarts == 1
    finally:
        worker.close()


def test_a_worker_that_died_while_idle_is_started_again():
    """An API worker that died idle made every later check raise BrokenPipeError."""
    import time

    worker = sandbox.Worker(sandbox.Limits(wall_seconds=5), _warm)
    try:
        assert worker.run(_upper, "a") == "A"
        os.kill(worker.pid, 9)
        time.sleep(0.2)
        assert worker.run(_upper, "b") == "B"
    finally:
        worker.close()


def test_a_worker_killed_from_outside_is_not_blamed_on_the_answer():
    worker = sandbox.Worker(sandbox.Limits(wall_seconds=5), _warm)
    try:
        worker.submit(_sleep, 3)
        os.kill(worker.pid, 9)
        outcome = worker.collect()
        assert isinstance(outcome, sandbox.Failure) and "killed from outside" in outcome.reason
        assert worker.run(_upper, "c") == "C"
    finally:
        worker.close()


def _upper(text: str) -> str:
    return text.upper()


def _sleep(seconds: float) -> None:
    import time
    time.sleep(seconds)


def _warm() -> None:
    """The warm-up: unpickling it imports this module before any job's clock starts."""
