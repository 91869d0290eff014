"""Outputs are written through a private temporary file and a rename: a symlink planted in
a shared output directory is replaced, never followed (issue 19, item 6), and a path that
cannot be written is one line and exit code 2 (item 10)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tutor.core import atomic
from tutor.cli.main import main
from tutor.core.errors import TutorError

from tests.conftest import ROOT


def _plant(link: Path, victim: Path) -> None:
    victim.write_text("the victim's data\n")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim)


def test_a_symlink_at_the_output_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    out = tmp_path / "out"
    _plant(out / "lecture1.txt", victim)
    assert main(["sheet", str(ROOT / "examples" / "lecture1.toml"), "-o", str(out), "--format", "text"]) == 0
    assert victim.read_text() == "the victim's data\n"
    assert not (out / "lecture1.txt").is_symlink() and "3x" in (out / "lecture1.txt").read_text()


@pytest.mark.parametrize("name", ["lecture1.tex", "lecture1.pdf.part", "x-key.json", "graded.csv"])
def test_no_predictable_name_is_followed(tmp_path, name):
    victim = tmp_path / "victim.txt"
    _plant(tmp_path / "out" / name, victim)
    target = tmp_path / "out" / name.removesuffix(".part")
    atomic.write_text(target, "new\n")
    atomic.copy_file(Path(__file__), target.with_suffix(".pdf"))
    assert victim.read_text() == "the victim's data\n"
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


def test_concurrent_writers_of_one_file_never_mix(tmp_path):
    target = tmp_path / "doc.txt"
    texts = [f"{i}\n" * 20000 for i in range(8)]
    threads = [threading.Thread(target=atomic.write_text, args=(target, t)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text() in texts
    assert sorted(os.listdir(tmp_path)) == ["doc.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "doc.txt"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic.replacing(target) as f:
            f.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old\n" and sorted(os.listdir(tmp_path)) == ["doc.txt"]


def test_final_files_get_the_usual_mode(tmp_path):
    target = atomic.write_text(tmp_path / "doc.txt", "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~atomic._UMASK


@pytest.mark.parametrize("command", [
    ["solve", "det", "[[1, 2], [3, 4]]", "-o", "{dir}"],
    ["solve", "det", "[[1, 2], [3, 4]]", "-o", "/proc/version/x.txt"],
    ["solve", "det", "[[1, 2], [3, 4]]", "-o", "{dir}/a-file.txt/x.txt"],
    ["sheet", str(ROOT / "examples" / "lecture1.toml"), "-o", "{dir}/a-file.txt", "--format", "text"],
    ["grade", str(ROOT / "examples" / "lecture1-answers.csv"), "--sheet",
     str(ROOT / "examples" / "lecture1.toml"), "-o", "{dir}"],
])
def test_an_output_that_cannot_be_written_is_one_line(tmp_path, capsys, command):
    (tmp_path / "a-file.txt").write_text("x")
    code = main([c.replace("{dir}", str(tmp_path)) for c in command])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("tutor: error: cannot write") and err.count("\n") == 1, err


def test_atomic_errors_are_tutor_errors(tmp_path):
    with pytest.raises(TutorError, match="cannot write"):
        atomic.write_text(tmp_path, "x")
