"""The Canvas quiz import (``tutor exam --format canvas``, QTI 1.2): valid against the IMS QTI
ASI 1.2 and Content Packaging 1.1 schemas, and graded right by the response processing it carries.

The grading is this file's own interpreter of the QTI 1.2 rules the export writes
(``respcondition`` in order, ``continue="No"`` stopping at a true one, ``setvar`` Set/Add on
SCORE out of 100; ``varequal``, ``vargte``, ``varlte``, ``and``, ``or``, ``other``), comparing a
``fibtype="Decimal"`` response as a number and a choice by its ident; an item scores
``points_possible`` × SCORE / 100.  The reference numbers are sympy's values of the typed
answers (``tests/exams/test_moodle.py``'s ``_numbers``), not the values written in the items.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sympy
from lxml import etree

from tests.exams.ims import read_zip, schema, validate
from tests.exams.test_moodle import HALVES, _numbers
from tutor.exams import canvas
from tutor.exams import documents as exams

Q = "{%s}" % canvas.QTI
CP = "{%s}" % canvas.CP
META = "{%s}" % canvas.CANVAS


class Item:
    """A Canvas ``item``: its type, points, and the points a response earns."""

    def __init__(self, element: etree._Element) -> None:
        self.el = element
        fields = {f.findtext(Q + "fieldlabel"): f.findtext(Q + "fieldentry") or ""
                  for f in element.iter(Q + "qtimetadatafield")}
        self.type = fields["question_type"]
        self.points = Decimal(fields["points_possible"])
        self.numeric = element.find(f".//{Q}render_fib[@fibtype='Decimal']") is not None
        self.labels = [label.get("ident") for label in element.iter(Q + "response_label")]

    def score(self, response: str | None) -> Decimal:
        score = Decimal(0)
        for condition in self.el.iter(Q + "respcondition"):
            if all(self._true(c, response) for c in condition.find(Q + "conditionvar")):
                for setvar in condition.iter(Q + "setvar"):
                    assert setvar.get("varname") == "SCORE"
                    value = Decimal(setvar.text)
                    score = value if setvar.get("action") == "Set" else score + value
                if condition.get("continue") == "No":
                    break
        return self.points * score / 100

    def _true(self, c, response) -> bool:
        name = etree.QName(c).localname
        if name == "other":
            return True
        if name == "and":
            return all(self._true(x, response) for x in c)
        if name == "or":
            return any(self._true(x, response) for x in c)
        assert c.get("respident") == "response1"
        if response is None:
            return False
        if name == "varequal":
            if self.numeric:
                return Decimal(response) == Decimal(c.text)
            return response.lower() == c.text.lower() if self.type == "short_answer_question" else response == c.text
        assert self.numeric and name in ("vargte", "varlte"), name
        return Decimal(response) >= Decimal(c.text) if name == "vargte" else Decimal(response) <= Decimal(c.text)


def _package(tmp_path, kinds, *, seed=5, difficulty=2, versions=1, multiple_choice=False):
    spec = exams.spec_from_mapping({"title": "Quiz <&> \" '", "seed": seed, "versions": versions,
                                    "difficulty": difficulty, "multiple_choice": multiple_choice,
                                    "instructions": "No calculators & no notes.",
                                    "question": [{"topics": kinds, "count": len(kinds)}]})
    written = exams.write_exam(spec, tmp_path, fmt="canvas")
    assert written[-1].name == f"exam-{seed}-canvas.zip"
    return exams.draw_versions(spec), read_zip(written[-1].read_bytes())


def _quizzes(drawn, files) -> dict[str, etree._Element]:
    """Every XML valid, the manifest listing exactly the files; the assessment of each version."""
    names = list(files)
    assert names[:2] == ["imsmanifest.xml", "non_cc_assessments/"]
    manifest = validate(schema("imscp_v1p1.xsd", canvas.CP), files["imsmanifest.xml"], "imsmanifest.xml")
    listed = {f.get("href") for f in manifest.iter(CP + "file")}
    assert listed == set(names) - {"imsmanifest.xml", "non_cc_assessments/"}
    resources = {r.get("identifier"): r for r in manifest.iter(CP + "resource")}
    qti12 = schema("qtiv1p2/ims_qtiasiv1p2.xsd")
    out = {}
    for exam in drawn:
        ident = canvas.quiz_ident(exam)
        assert resources[ident].get("type") == "imsqti_xmlv1p2"
        assert resources[ident].find(CP + "dependency").get("identifierref") == f"{ident}_meta"
        assert resources[f"{ident}_meta"].get("href") == f"{ident}/assessment_meta.xml"
        meta = etree.fromstring(files[f"{ident}/assessment_meta.xml"])
        assert meta.tag == META + "quiz" and meta.get("identifier") == ident
        assert Decimal(meta.findtext(META + "points_possible")) == exam.total
        assert meta.findtext(f"{META}assignment/{META}quiz_identifierref") == ident
        out[ident] = validate(qti12, files[f"{ident}/{ident}.xml"], ident)
        assert out[ident].find(Q + "assessment").get("ident") == ident
    for name, data in files.items():
        if name.startswith("images/"):
            assert data.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
            assert resources[next(k for k, r in resources.items() if r.get("href") == name)].get("type") == "webcontent"
            assert any(f"{canvas.FILEBASE}{name}".encode() in files[f"{i}/{i}.xml"] for i in out)
    return out


def _items_of(quiz: etree._Element, ident: str, number: int) -> list[Item]:
    own = re.compile(re.escape(f"{ident}_q{number}") + r"(_\d+)?$")
    return [Item(i) for i in quiz.iter(Q + "item") if own.match(i.get("ident"))]


def _grade_open_question(items: list[Item], question) -> None:
    points = Decimal(question.points)
    head, *blanks = items
    assert head.type == "text_only_question" and head.points == 0
    assert sum(b.points for b in blanks) == points
    numeric = [b for b in blanks if b.type == "numerical_question"]
    assert all(b.numeric for b in numeric)
    assert all(b.type in ("numerical_question", "multiple_choice_question") for b in blanks)
    reference: dict[int, str] = {}
    for k, b in enumerate(blanks):
        condition = b.el.find(f".//{Q}respcondition[@continue='No']/{Q}conditionvar")
        reference[k] = condition.find(f".//{Q}varequal").text  # the value written, replaced below
    numbers = _numbers(question.variant.solution.answer)
    if numbers is not None:  # sympy's values, not the items'
        places = [k for k, b in enumerate(blanks) if b.numeric]
        assert len(places) == len(numbers), question.kind
        for k, exact in zip(places, numbers):
            reference[k] = repr(float(sympy.N(exact, 30)))
    assert sum(b.score(reference[k]) for k, b in enumerate(blanks)) == points, question.kind
    assert sum(b.score(None) for b in blanks) == 0
    for k, b in enumerate(blanks):
        assert b.score(reference[k]) == b.points
        if b.numeric:
            _as_canvas_imports_it(b)
            value = Decimal(reference[k])
            assert b.score(str(value + Decimal("0.01"))) == 0
            low = Decimal(b.el.find(f".//{Q}vargte").text)
            high = Decimal(b.el.find(f".//{Q}varlte").text)
            if low < high:  # a value asked to three decimals
                assert high - low == Decimal("0.001")
                assert b.score(f"{value:.3f}") == b.points and b.score(f"{value + Decimal('0.001'):.3f}") == 0
        else:
            assert len(b.labels) >= 2
            assert sorted(b.score(label) for label in b.labels) == [0] * (len(b.labels) - 1) + [b.points]


def _as_canvas_imports_it(b: Item) -> None:
    """Canvas's importer (``Qti::NumericInteraction#get_canvas_answers``) reads an ``or`` of the
    exact value and an ``and`` of bounds as an exact answer with margin = upper bound − exact;
    bounds written with ``vargt`` ending in 5 would be taken for a precision answer instead."""
    [either] = b.el.iter(Q + "or")
    exact = Decimal(either.findtext(Q + "varequal"))
    low, high = Decimal(either.findtext(f"{Q}and/{Q}vargte")), Decimal(either.findtext(f"{Q}and/{Q}varlte"))
    assert high - exact == exact - low and high - exact in (0, Decimal("0.0005"))
    assert next(b.el.iter(Q + "vargt"), None) is None


@pytest.mark.parametrize("difficulty", [1, 3])
@pytest.mark.parametrize("half", [0, 1])
def test_every_question_imports_into_canvas_and_its_reference_answer_scores_full_marks(tmp_path, difficulty, half):
    drawn, files = _package(tmp_path, HALVES[half], difficulty=difficulty)
    quizzes = _quizzes(drawn, files)
    exam = drawn[0]
    ident = canvas.quiz_ident(exam)
    for question in exam.questions:
        items = _items_of(quizzes[ident], ident, question.number)
        if items[0].type == "short_answer_question":  # matrix symbols: the text compared, as in Moodle
            assert question.kind == "matrix_gradient" and len(items) == 1
            written = items[0].el.find(f".//{Q}varequal").text
            assert items[0].score(written.upper()) == question.points
            continue
        _grade_open_question(items, question)


def test_multiple_choice_scores_the_key_only_and_names_the_mistakes(tmp_path):
    kinds = ["det", "inverse", "svd", "variance", "eigen", "system", "derivative", "kernel"]
    drawn, files = _package(tmp_path, kinds, multiple_choice=True, versions=2, seed=4)
    quizzes = _quizzes(drawn, files)
    asked = 0
    for exam in drawn:
        ident = canvas.quiz_ident(exam)
        for question, entry in zip(exam.questions, exams.key(exam)["questions"]):
            if "choices" not in entry:
                continue
            asked += 1
            [item] = _items_of(quizzes[ident], ident, question.number)
            assert item.type == "multiple_choice_question"
            labels = [f"{ident}_q{question.number}_{c['label']}" for c in entry["choices"]]
            assert item.labels == labels  # the drawn order, as the key and the PDF
            for label, choice in zip(labels, entry["choices"]):
                assert item.score(label) == (question.points if choice["correct"] else 0)
                feedback = item.el.find(f"{Q}itemfeedback[@ident='{label}_fb']")
                if choice["mistake"]:
                    assert choice["mistake"] in feedback.findtext(f".//{Q}mattext")
                else:
                    assert choice["answer_text"] == entry["answer_text"] and feedback is None
    assert asked >= 10


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    spec = exams.spec_from_topics(["eigen", "linear_regression", "system"], count=3, seed=8)
    first = exams.write_exam(spec, tmp_path / "a", fmt="canvas")[-1].read_bytes()
    assert exams.write_exam(spec, tmp_path / "b", fmt="canvas")[-1].read_bytes() == first


def test_the_schema_rejects_what_the_export_must_not_write(tmp_path):
    """The validation is not vacuous: an item without its presentation's material in order fails."""
    drawn, files = _package(tmp_path, ["det"])
    ident = canvas.quiz_ident(drawn[0])
    text = files[f"{ident}/{ident}.xml"].decode()
    qti12 = schema("qtiv1p2/ims_qtiasiv1p2.xsd")
    assert qti12.validate(etree.fromstring(text.encode()))
    for broken in (text.replace("<resprocessing>", "<resprocessing><bogus/>", 1),
                   text.replace(f' ident="{ident}"', "", 1)):
        assert not qti12.validate(etree.fromstring(broken.encode()))
