"""The QTI 2.1 content package (``tutor exam --format qti``): valid against the IMS schemas, and
graded right by the response processing it carries.

The grading is this file's own small interpreter of the QTI 2.1 rules the export writes
(``responseCondition``/``responseIf``, ``setOutcomeValue``; ``equal`` with ``toleranceMode``
exact or absolute, ``match``, ``stringMatch``, ``sum``, ``variable``, ``correct``,
``baseValue``), read from the IMS specification, exact in decimals.  The reference numbers
are sympy's values of the typed answers (``tests/exams/test_moodle.py``'s ``_numbers``), not
the values written in the items.
"""
from __future__ import annotations

import posixpath
from decimal import Decimal

import pytest
import sympy
from lxml import etree

from tests.exams.ims import read_zip, schema, validate
from tests.exams.test_moodle import HALVES, _numbers
from tutor.exams import documents as exams
from tutor.exams import qti

Q = "{%s}" % qti.QTI
CP = "{%s}" % qti.CP


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


# ---------------------------------------------------------------- a QTI 2.1 response processor

class Item:
    """An ``assessmentItem``: its declarations and the outcome SCORE of a set of responses."""

    def __init__(self, document: etree._Element) -> None:
        self.doc = document
        self.types = {d.get("identifier"): d.get("baseType") for d in document.iter(Q + "responseDeclaration")}
        self.correct = {d.get("identifier"): self._typed(d.findtext(f"{Q}correctResponse/{Q}value"),
                                                          d.get("baseType"))
                        for d in document.iter(Q + "responseDeclaration")}
        self.defaults = {d.get("identifier"): self._typed(d.findtext(f"{Q}defaultValue/{Q}value"), d.get("baseType"))
                         for d in document.iter(Q + "outcomeDeclaration")}

    @staticmethod
    def _typed(text: str | None, base_type: str):
        if text is None:
            return None
        return Decimal(text) if base_type == "float" else text

    def score(self, responses: dict[str, str]) -> Decimal:
        typed = {k: self._typed(v, self.types[k]) for k, v in responses.items()}
        outcomes = dict(self.defaults)
        self._run(self.doc.find(Q + "responseProcessing"), typed, outcomes)
        self.outcomes = outcomes
        return outcomes["SCORE"]

    def _run(self, rules, responses, outcomes) -> None:
        for rule in rules:
            name = _local(rule)
            if name == "setOutcomeValue":
                outcomes[rule.get("identifier")] = self._eval(rule[0], responses, outcomes)
            elif name == "responseCondition":
                for branch in rule:
                    if _local(branch) == "responseElse":
                        self._run(branch, responses, outcomes)
                        break
                    if self._eval(branch[0], responses, outcomes) is True:
                        self._run(branch[1:], responses, outcomes)
                        break
            else:
                raise AssertionError(f"rule not in the export's subset: {name}")

    def _eval(self, e, responses, outcomes):
        name = _local(e)
        if name == "baseValue":
            return self._typed(e.text, e.get("baseType"))
        if name == "variable":
            key = e.get("identifier")
            return responses.get(key) if key in self.types else outcomes[key]
        if name == "correct":
            return self.correct[e.get("identifier")]
        values = [self._eval(child, responses, outcomes) for child in e]
        if any(v is None for v in values):
            return None  # NULL (no response) propagates; a condition on NULL is not true
        if name == "sum":
            return sum(values, Decimal(0))
        if name == "match":
            return values[0] == values[1]
        if name == "stringMatch":
            assert e.get("caseSensitive") == "false"
            return values[0].lower() == values[1].lower()
        if name == "equal":
            x, y = values
            if e.get("toleranceMode") == "exact":
                return x == y
            assert e.get("toleranceMode") == "absolute"
            t = [Decimal(t) for t in e.get("tolerance").split()]
            low, high = t[0], t[-1]
            return x - low <= y <= x + high  # includeLowerBound / includeUpperBound default true
        raise AssertionError(f"expression not in the export's subset: {name}")


# ---------------------------------------------------------------- the package

def _package(tmp_path, kinds, *, seed=5, difficulty=2, versions=1, multiple_choice=False):
    spec = exams.spec_from_mapping({"title": "Quiz <&> \" '", "seed": seed, "versions": versions,
                                    "difficulty": difficulty, "multiple_choice": multiple_choice,
                                    "question": [{"topics": kinds, "count": len(kinds)}]})
    written = exams.write_exam(spec, tmp_path, fmt="qti")
    assert written[-1].name == f"exam-{seed}-qti.zip"
    return exams.draw_versions(spec), read_zip(written[-1].read_bytes())


def _check_package(files: dict[str, bytes]) -> dict[str, etree._Element]:
    """Every XML valid; the manifest lists exactly the files of the zip; returns the documents."""
    names = list(files)
    assert names[0] == "imsmanifest.xml"
    manifest = validate(schema("imscp_v1p1.xsd"), files["imsmanifest.xml"], "imsmanifest.xml")
    listed = {f.get("href") for f in manifest.iter(CP + "file")}
    assert listed == set(names) - {"imsmanifest.xml"}
    resources = {r.get("identifier"): r for r in manifest.iter(CP + "resource")}
    for r in resources.values():
        assert r.get("href") in files
        for d in r.iter(CP + "dependency"):
            assert d.get("identifierref") in resources
    documents = {}
    qti21 = schema("qtiv2p1/imsqti_v2p1.xsd")
    for name, data in files.items():
        if name.endswith(".xml") and name != "imsmanifest.xml":
            documents[name] = validate(qti21, data, name)
            for image in documents[name].iter(Q + "img"):  # a figure's address, from the item's folder
                assert posixpath.join(posixpath.dirname(name), image.get("src")) in files
            kind = "imsqti_test_xmlv2p1" if _local(documents[name]) == "assessmentTest" else "imsqti_item_xmlv2p1"
            assert any(r.get("href") == name and r.get("type") == kind for r in resources.values())
        elif not name.endswith(".xml"):
            assert name.endswith(".svg") and data.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    return documents


def _interactions(doc, tag):
    return [i.get("responseIdentifier") for i in doc.iter(Q + tag)]


def _grade_open_question(item: Item, question) -> None:
    points = Decimal(question.points)
    floats = [k for k, t in item.types.items() if t == "float"]
    choices = [k for k, t in item.types.items() if t == "identifier"]
    assert _interactions(item.doc, "textEntryInteraction") == floats
    assert _interactions(item.doc, "choiceInteraction") == choices
    reference = {k: str(v) for k, v in item.correct.items()}
    numbers = _numbers(question.variant.solution.answer)
    if numbers is not None:  # sympy's values, not the item's
        assert len(numbers) == len(floats), question.kind
        for k, exact in zip(floats, numbers):
            reference[k] = repr(float(sympy.N(exact, 30)))
    assert item.score(reference) == points, question.kind
    assert item.score({}) == 0
    for k in floats:
        value = Decimal(reference[k])
        assert item.score({**reference, k: str(value + Decimal("0.01"))}) < points, (question.kind, k)
        equal = next(e for e in item.doc.iter(Q + "equal") if e[0].get("identifier") == k)
        if equal.get("toleranceMode") == "absolute":
            assert item.score({**reference, k: f"{value:.3f}"}) == points  # three decimals pass
            assert item.score({**reference, k: f"{value + Decimal('0.001'):.3f}"}) < points
        else:
            assert equal.get("toleranceMode") == "exact"
            assert sympy.Rational(str(item.correct[k])) == sympy.nsimplify(sympy.Rational(reference[k]))
    for k in choices:
        interaction = next(i for i in item.doc.iter(Q + "choiceInteraction") if i.get("responseIdentifier") == k)
        others = [c.get("identifier") for c in interaction if c.get("identifier") != item.correct[k]]
        assert others
        for wrong in others:
            assert item.score({**reference, k: wrong}) < points


@pytest.mark.parametrize("difficulty", [1, 3])
@pytest.mark.parametrize("half", [0, 1])
def test_every_question_is_valid_qti_and_its_reference_answer_scores_full_marks(tmp_path, difficulty, half):
    drawn, files = _package(tmp_path, HALVES[half], difficulty=difficulty)
    documents = _check_package(files)
    exam = drawn[0]
    test = documents["A/test.xml"]
    refs = [r.get("href") for r in test.iter(Q + "assessmentItemRef")]
    assert refs == [f"q{q.number}.xml" for q in exam.questions]
    assert test.findtext(f"{Q}outcomeDeclaration[@identifier='MAXSCORE']/{Q}defaultValue/{Q}value") == str(exam.total)
    for question in exam.questions:
        item = Item(documents[f"A/q{question.number}.xml"])
        assert item.defaults["MAXSCORE"] == question.points
        if item.types == {"RESPONSE": "string"}:  # matrix symbols: the text compared, as in Moodle
            assert question.kind == "matrix_gradient"
            assert item.score({"RESPONSE": item.correct["RESPONSE"].upper()}) == question.points
            continue
        _grade_open_question(item, question)


def test_multiple_choice_scores_the_key_only(tmp_path):
    kinds = ["det", "inverse", "svd", "variance", "eigen", "system", "derivative", "kernel"]
    drawn, files = _package(tmp_path, kinds, multiple_choice=True, versions=2, seed=4)
    documents = _check_package(files)
    asked = 0
    for exam in drawn:
        key = exams.key(exam)
        for question, entry in zip(exam.questions, key["questions"]):
            item = Item(documents[f"{exam.label}/q{question.number}.xml"])
            if "choices" not in entry:
                continue
            asked += 1
            right = [c["label"] for c in entry["choices"] if c["correct"]]
            assert [item.correct["RESPONSE"]] == right
            right_option = next(c for c in entry["choices"] if c["correct"])
            assert right_option["answer_text"] == entry["answer_text"]
            shown = [c.get("identifier") for c in item.doc.iter(Q + "simpleChoice")]
            assert shown == [c["label"] for c in entry["choices"]]  # the drawn order, as the key and PDF
            for label, choice in zip(shown, entry["choices"]):
                assert item.score({"RESPONSE": label}) == (question.points if label in right else 0)
                assert item.outcomes["MISTAKE"] == label
                named = item.doc.find(f"{Q}modalFeedback[@outcomeIdentifier='MISTAKE'][@identifier='{label}']")
                assert (named is None) == choice["correct"]
                if named is not None:
                    assert choice["mistake"] in "".join(named.itertext())
    assert asked >= 10


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    first = exams.write_exam(exams.spec_from_topics(["eigen", "pca", "system"], count=3, seed=8), tmp_path / "a",
                             fmt="qti")[-1].read_bytes()
    again = exams.write_exam(exams.spec_from_topics(["eigen", "pca", "system"], count=3, seed=8), tmp_path / "b",
                             fmt="qti")[-1].read_bytes()
    assert first == again


def test_the_schema_rejects_what_the_export_must_not_write(tmp_path):
    """The validation is not vacuous: a float compared by ``match`` and a missing identifier fail."""
    _, files = _package(tmp_path, ["det"])
    text = files["A/q1.xml"].decode()
    assert schema("qtiv2p1/imsqti_v2p1.xsd").validate(etree.fromstring(text.encode()))
    for broken in (text.replace(' identifier="A_q1"', ""), text.replace("<itemBody>", "<itemBody><bogus/>")):
        assert not schema("qtiv2p1/imsqti_v2p1.xsd").validate(etree.fromstring(broken.encode()))


def test_shares_add_up_to_the_points():
    from tutor.exams.packaging import shares
    for points in (0, 1, 7, 10, 12, 1000):
        for n in range(1, 40):
            parts = shares(points, n)
            assert sum(parts) == points and max(parts) - min(parts) <= Decimal("0.01")
