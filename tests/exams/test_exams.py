"""Exams: spec validation, drawing per version, documents, key, Moodle XML, reproducibility."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET


import pytest

from tutor import api
from tutor.exams import documents as exams
from tutor import topics
from tutor.rendering import render
from tutor.cli.practice import practice
from tutor.core.errors import TutorError
from tutor.checking.grading import compare

from tests.conftest import ROOT, widest_overfull_line

EXAMPLE = ROOT / "examples" / "exams" / "midterm.toml"


def _spec(**kw):
    return exams.spec_from_topics(kw.pop("topics", ["systems", "inverse", "eigen", "gradient", "expectation"]),
                                  count=kw.pop("count", 8), seed=kw.pop("seed", 42), **kw)


def test_topics_and_kinds_resolve():
    assert exams.resolve("inverse") == ("inverse",)
    matrices = exams.resolve("matrices")
    assert "inverse" in matrices and "det" in matrices
    assert all(topics.get(k).topic == "matrices" for k in matrices)
    with pytest.raises(TutorError, match="unknown topic or kind"):
        exams.resolve("astrology")


def test_count_is_spread_over_the_topics():
    spec = _spec()
    assert [e.count for e in spec.entries] == [2, 2, 2, 1, 1]
    exam = exams.draw_exam(spec)
    assert [q.number for q in exam.questions] == list(range(1, 9))
    assert {q.kind for q in exam.questions[:2]} <= set(exams.resolve("systems"))


def test_no_two_variants_identical_and_versions_differ():
    spec = exams.spec_from_mapping({"seed": 3, "versions": 3, "question": [{"topics": ["det"], "count": 6}]})
    versions = exams.draw_versions(spec)
    for exam in versions:
        signatures = [q.variant.signature for q in exam.questions]
        assert len(set(signatures)) == len(signatures)
    assert len({tuple(q.variant.signature for q in e.questions) for e in versions}) == 3
    assert [e.label for e in versions] == ["A", "B", "C"]


def test_topic_draws_a_mix_of_its_kinds():
    spec = exams.spec_from_mapping({"seed": 1, "question": [{"topics": ["geometry"], "count": 5}]})
    assert len({q.kind for q in exams.draw_exam(spec).questions}) == 5


def test_same_seed_same_tex_and_other_seed_other_tex():
    a, b = exams.draw_exam(_spec()), exams.draw_exam(_spec())
    assert exams.exam_tex(a) == exams.exam_tex(b)
    assert exams.solutions_tex(a) == exams.solutions_tex(b)
    assert exams.key_json(a) == exams.key_json(b)
    assert exams.exam_tex(exams.draw_exam(_spec(seed=43))) != exams.exam_tex(a)


def test_exam_document_has_the_parts_of_an_exam():
    spec = exams.spec_from_mapping({"title": "Quiz & Co", "course": "MML 100%", "date": "today",
                                    "instructions": "No $ signs", "cover": True, "seed": 5,
                                    "question": [{"topics": ["inverse"], "count": 2, "points": 7}]})
    tex = exams.exam_tex(exams.draw_exam(spec))
    assert r"Quiz \& Co" in tex and r"MML 100\%" in tex and r"No \$ signs" in tex
    assert "Name:" in tex and "Student ID:" in tex and r"\pointstable" in tex
    assert tex.count(r"\question{") == 2 and r"\question{1}{7}" in tex and r"\answerspace{" in tex
    assert "Solution" not in tex


def test_solutions_follow_the_exam_numbering():
    exam = exams.draw_exam(_spec(count=3, topics=["det"]))
    tex = exams.solutions_tex(exam)
    for q in exam.questions:
        assert f"Question {q.number}" in tex
        assert render.solution_body(q.variant.solution, "latex").strip()[:40] in tex


def test_key_grades_without_regenerating():
    exam = exams.draw_exam(_spec())
    data = json.loads(exams.key_json(exam))
    assert data["seed"] == 42 and len(data["questions"]) == 8
    for q, entry in zip(exam.questions, data["questions"]):
        assert entry["kind"] == q.kind and entry["answer"] == q.variant.solution.answer.to_json()
        rebuilt = api.solve(entry["kind"], **entry["inputs"])  # the key's inputs alone
        assert rebuilt.answer.to_json() == entry["answer"]
        assert compare(rebuilt.answer, entry["answer_text"], rebuilt.problem).correct


def test_moodle_xml_is_well_formed_and_escaped():
    spec = exams.spec_from_mapping({"title": "A <b>&</b> quiz", "seed": 2, "versions": 2,
                                    "question": [{"topics": ["det", "rank"], "count": 2},
                                                 {"topics": ["inverse"], "count": 1}]})
    xml = exams.moodle_xml(exams.draw_versions(spec))
    root = ET.fromstring(xml)
    questions = root.findall("question")
    categories = [q for q in questions if q.get("type") == "category"]
    assert len(categories) == 2 and "A <b>&</b> quiz" in categories[0].find("category/text").text
    real = [q for q in questions if q.get("type") != "category"]
    assert len(real) == 6
    types = {q.get("type") for q in real}
    assert "numerical" in types and "shortanswer" in types  # det/rank numbers, inverse a matrix
    for q in real:
        assert q.find("questiontext/text").text.startswith("<p>")
        assert q.find("answer/text").text


def test_write_exam_pdf_is_byte_identical(tmp_path):
    if not render.tex_available():
        pytest.skip("no pdflatex")
    spec = _spec(count=3, topics=["system", "eigen", "expectation"])
    first = exams.write_exam(spec, tmp_path / "a")
    second = exams.write_exam(spec, tmp_path / "b")
    names = sorted(p.name for p in first)
    assert names == ["exam-42-key.json", "exam-42-solutions.pdf", "exam-42-solutions.tex",
                     "exam-42.pdf", "exam-42.tex"]
    for p, q in zip(sorted(first), sorted(second)):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_write_moodle(tmp_path):
    paths = exams.write_exam(_spec(count=2, topics=["det"]), tmp_path, fmt="moodle")
    assert sorted(p.name for p in paths) == ["exam-42-key.json", "exam-42-moodle.xml"]


def test_example_midterm_spec():
    spec = exams.load_spec(EXAMPLE)
    assert spec.versions == 2 and spec.cover and sum(e.count for e in spec.entries) == 7
    exam = exams.draw_exam(spec, 1)
    assert exam.label == "B" and exam.total == 12 + 16 + 14 + 20 + 10


@pytest.mark.parametrize("data, message", [
    ({}, "no \\[\\[question\\]\\]"),
    ({"question": [{"count": 1}]}, "topics"),
    ({"question": [{"topics": ["nope"]}]}, "unknown topic or kind"),
    ({"question": [{"topics": ["det"], "count": 0}]}, "count"),
    ({"question": [{"topics": ["det"], "count": 61}]}, "count"),
    ({"difficulty": 4, "question": [{"topics": ["det"]}]}, "difficulty"),
    ({"versions": 27, "question": [{"topics": ["det"]}]}, "versions"),
    ({"colour": "red", "question": [{"topics": ["det"]}]}, "unknown key"),
    ({"question": [{"topics": ["det"], "points": "ten"}]}, "points"),
])
def test_bad_specs(data, message):
    with pytest.raises(TutorError, match=message):
        exams.spec_from_mapping(data)


def test_bad_spec_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("title = ", encoding="utf-8")
    with pytest.raises(TutorError, match="not valid TOML"):
        exams.load_spec(bad)
    with pytest.raises(TutorError, match="cannot read"):
        exams.load_spec(tmp_path / "missing.toml")


def test_generate_toml_is_a_sheet(tmp_path):
    from tutor.exams.generators import draw
    import random
    v = draw("system", random.Random(7), 2)
    path = tmp_path / "g.toml"
    path.write_text(exams.sheet_toml("system", v.raw), encoding="utf-8")
    sheet = api.load_sheet(path)
    assert sheet.problems[0].to_json() == v.problem.to_json()


def test_practice_prints_problem_then_solution():
    out = io.StringIO()
    assert practice(["eigen"], seed=3, count=2, difficulty=1, stdin=io.StringIO(""), stdout=out) == 0
    text = out.getvalue()
    assert text.count("== Problem") == 2 and text.index("Find the eigenvalues") < text.index("-- Solution --")


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex not installed")
@pytest.mark.parametrize("seed", [1, 2])
def test_hard_solutions_of_every_topic_stay_within_the_margins(seed, tmp_path):
    """Difficulty 3 draws the longest derivations (chain rules of two parameters, 4x4 SVDs)."""
    exam = exams.draw_exam(exams.spec_from_topics(exams.topic_names(), count=14, seed=seed, difficulty=3))
    render.compile_pdf(exams.solutions_tex(exam), tmp_path / "s.pdf", log_path=tmp_path / "s.log")
    assert widest_overfull_line(tmp_path / "s.log") < 10
