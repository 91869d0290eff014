"""The command line as a user meets it: README examples run; mistakes are one line, exit 2."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def readme_commands() -> list[str]:
    """Every command of the README: lines of code blocks (fenced or indented) and code spans
    in table rows that start with ``tutor `` or ``python -c``.  Optional parts written
    ``[--flag ...]`` are left out; templates with ``...`` are not commands."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    lines += re.findall(r"^    (tutor .*)$", text, flags=re.M)
    for row in re.findall(r"^\|.*$", text, flags=re.M):
        lines += [span.replace("\\|", "|") for span in re.findall(r"`(tutor solve [^`]*)`", row)]
    commands = {_without_options(line.split("  #")[0]).strip() for line in lines}
    return sorted(c for c in commands if c.startswith(("tutor ", "python -c")) and "..." not in c)


def _without_options(command: str) -> str:
    """``cmd [--p 1|2] [--inner "[[2,1],[1,2]]"]`` -> ``cmd``: brackets matched, not regexed."""
    while (start := command.find(" [--")) >= 0:
        depth, end = 0, start + 1
        for end in range(start + 1, len(command)):
            depth += {"[": 1, "]": -1}.get(command[end], 0)
            if depth == 0:
                break
        command = command[:start] + command[end + 1:]
    return command


@pytest.mark.parametrize("command", readme_commands())
def test_readme_example_runs(command, tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    argv = shlex.split(command)
    if argv[0] == "tutor":
        proc = run(argv[1:], cwd=tmp_path)
    else:
        proc = subprocess.run([sys.executable, *argv[1:]], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_solve_prints_a_worked_solution():
    proc = run(["solve", "system", "3x + y = 9", "4x - 2y = 5"])
    assert proc.returncode == 0, proc.stderr
    assert "23/10" in proc.stdout and "R_2 ← 3R_2 - 4R_1" in proc.stdout


def test_json_contract():
    proc = run(["solve", "system", "--matrix", "[[1,2,3],[4,5,6],[7,8,9]]", "--rhs", "[1,2,4]",
                "--format", "json"])
    data = json.loads(proc.stdout)
    assert data["kind"] == "system"
    assert data["answer"] == {"type": "solution_set", "variables": ["x_1", "x_2", "x_3"],
                              "particular": None, "directions": []}
    proc = run(["solve", "system", "2x + 4y = 5", "--format", "json"])
    answer = json.loads(proc.stdout)["answer"]
    assert answer["particular"] == ["5/2", "0"] and answer["directions"] == [["2", "-1"]]


@pytest.mark.parametrize("args, fragment", [
    (["solve", "system", "3x + = 9"], ""),
    (["solve", "system", r"\frac{1}{2"], ""),
    (["solve", "system", "x*y = 1"], "not linear"),
    (["solve", "system", "--matrix", "[[1,2],[3]]"], "row"),
    (["solve", "system", "--matrix", "[[1,2],[3,4]]", "--rhs", "[1,2,3]"], "right-hand side"),
    (["solve", "nosuchkind"], "invalid choice"),
    (["solve", "system", "__import__('os').system('id')"], ""),
    (["solve", "system", "9^{9^{9^9}} x = 1"], ""),
    (["solve", "system", "{" * 10000 + "x" + "}" * 10000 + " = 1"], ""),
    (["sheet", "/nonexistent.toml"], "cannot read"),
])
def test_user_mistakes_are_one_line_and_exit_2(args, fragment):
    proc = run(args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr


def test_sheet_without_tex_still_writes_the_tex(tmp_path, monkeypatch):
    from tutor import cli
    from tutor.rendering import render

    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    code = cli.main(["sheet", str(ROOT / "examples" / "lecture1.toml"), "-o", str(tmp_path)])
    assert code == 0
    assert (tmp_path / "lecture1.tex").exists() and not (tmp_path / "lecture1.pdf").exists()
