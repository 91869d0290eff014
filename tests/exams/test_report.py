"""The teacher's report of a multiple-choice exam graded with ``tutor grade --key``: a synthetic
class whose choices are known, letter by letter, gives back its own shares ("58% right; 34%
chose the transpose; 8% ..."); a typed answer equal to a distractor's value counts as that
mistake; an open question's wrong answer is told which named mistake it is."""
from __future__ import annotations

import csv
import json

import pytest

from tests.cli.test_cli import run
from tutor.checking import report
from tutor.checking.check import NAMED_MISTAKE, grade_csv
from tutor.exams import choices, documents as exams
from tutor.exams.keys import load_key


@pytest.fixture(scope="module")
def exam_key(tmp_path_factory):
    d = tmp_path_factory.mktemp("exam")
    spec = exams.spec_from_mapping({"seed": 3, "multiple_choice": True, "question": [
        {"topics": ["inverse", "bayes", "covariance"], "count": 3}]})
    exam = exams.draw_exam(spec)
    path = d / "key.json"
    path.write_text(exams.key_json(exam))
    return path, json.loads(path.read_text())


def _class(key):
    """50 students per multiple-choice question: 29 the key (58%), 17 the first distractor (34%),
    4 the second (8%), the second's choosers typing its value instead of its letter."""
    rows, expected = [], {}
    for q in key["questions"]:
        if "choices" not in q:
            continue
        right = next(c for c in q["choices"] if c["correct"])
        first, second = [c for c in q["choices"] if not c["correct"]][:2]
        answers = [f"({right['label']})"] * 29 + [first["label"].upper()] * 17 + [second["answer_text"]] * 4
        rows += [(f"s{n}", q["number"], a) for n, a in enumerate(answers)]
        expected[q["number"]] = (first, second)
    return rows, expected


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "problem", "answer"])
        w.writerows(rows)


def test_the_report_gives_back_the_class_shares(exam_key, tmp_path):
    path, key = exam_key
    rows, expected = _class(key)
    assert len(expected) >= 2  # the seed's questions offer choices
    _write(tmp_path / "a.csv", rows)
    k = load_key(path)
    grades = grade_csv(tmp_path / "a.csv", None, tmp_path / "g.csv", jobs=2, questions=k.questions)
    built = {q.question: q for q in report.build(grades, k.labels)}
    for number, (first, second) in expected.items():
        q = built[number]
        assert (q.answers, q.right, q.right_percent, q.other_wrong, q.not_understood) == (50, 29, 58.0, 0, 0)
        assert [(m.mistake, m.label, m.count, m.percent) for m in q.mistakes] == [
            (first["mistake"], first["label"], 17, 34.0), (second["mistake"], second["label"], 4, 8.0)]
        assert report.line(q) == (f"Q{number}: 58% right (29/50); 34% chose ({first['label']}) {first['mistake']}; "
                                  f"8% chose ({second['label']}) {second['mistake']}")
    graded = list(csv.DictReader(open(tmp_path / "g.csv", encoding="utf-8")))
    assert [r["answer"] for r in graded] == [a for _, _, a in rows]  # the letters as the students gave them
    assert all(r["feedback"].startswith(NAMED_MISTAKE) for r in graded if r["correct"] == "no")


def test_report_files_markdown_csv_json(exam_key, tmp_path):
    path, key = exam_key
    rows, expected = _class(key)
    _write(tmp_path / "a.csv", rows)
    out = run(["grade", str(tmp_path / "a.csv"), "--key", str(path), "-o", str(tmp_path / "g.csv"),
               "--report", str(tmp_path / "r.md"), "--jobs", "2"])
    assert out.returncode == 0, out.stderr
    number = min(expected)
    first = expected[number][0]
    assert f"Q{number}: 58% right (29/50); 34% chose ({first['label']}) {first['mistake']}" in out.stdout
    md = (tmp_path / "r.md").read_text()
    assert f"| ({first['label']}) | {report._cell(first['mistake'])} | 17 | 34% |" in md
    q = next(q for q in report.build(grade_csv(tmp_path / "a.csv", None, tmp_path / "g2.csv", jobs=2,
                                               questions=load_key(path).questions), load_key(path).labels)
             if q.question == number)
    assert json.loads(report.render([q], "json"))["questions"][0]["mistakes"][0]["percent"] == 34.0
    table = list(csv.DictReader(report.render([q], "csv").splitlines()))
    assert [(r["outcome"], r["option"], r["students"]) for r in table][:2] == [
        ("right", "", "29"), (first["mistake"], first["label"], "17")]
    bad = run(["grade", str(tmp_path / "a.csv"), "--key", str(path), "-o", str(tmp_path / "g.csv"),
               "--report", str(tmp_path / "r.pdf")])
    assert bad.returncode == 2 and "name a .md, .csv, .json or .txt file" in bad.stderr


def test_an_open_question_names_the_mistake_of_a_wrong_answer(tmp_path):
    (tmp_path / "s.toml").write_text('title = "t"\n[[problem]]\nkind = "inverse"\nmatrix = "[[2, 1], [7, 4]]"\n')
    _write(tmp_path / "a.csv", [("s1", 1, "[[4, -7], [-1, 2]]"), ("s2", 1, "[[4, -1], [-7, 2]]"),
                                ("s3", 1, "[[1, 2], [3, 4]]")])
    grades = grade_csv(tmp_path / "a.csv", tmp_path / "s.toml", tmp_path / "g.csv", jobs=1,
                       named=lambda s: choices.distractors(s.kind, s.problem.inputs, s.answer))
    feedback = [r["feedback"] for r in csv.DictReader(open(tmp_path / "g.csv", encoding="utf-8"))]
    assert feedback[0].startswith(NAMED_MISTAKE + "the cofactors not transposed")  # the transpose of the inverse
    assert feedback[1] == ""  # the inverse itself (det 1)
    assert not feedback[2].startswith(NAMED_MISTAKE)  # wrong, but no named mistake's result
    q, = report.build(grades)
    assert report.line(q).startswith("Q1: 33.3% right (1/3); 33.3% made the mistake: the cofactors not transposed")
