"""A QTI 2.1 content package (``.zip``): every question an ``assessmentItem`` the LMS grades itself.

The blanks are Moodle's (:func:`tutor.exams.moodle.form`): a ``textEntryInteraction`` with a
``float`` response per number, compared by ``<equal toleranceMode="exact">`` when its decimal
ends and ``toleranceMode="absolute"`` within 0.0005 of the three-decimal value otherwise; a
``choiceInteraction`` per yes/no or outcome choice (its options in alphabetical order); a
multiple-choice question (``--multiple-choice``) one ``choiceInteraction`` with the options in
the drawn order.  Each right blank adds its share of the question's points to ``SCORE``
(:func:`tutor.exams.packaging.shares`), so a fully right answer scores the points.  Math is
TeX between ``\\(`` and ``\\)`` (MathJax, as the Moodle export), the worked solution a
``modalFeedback`` (in a multiple-choice question also the mistake a wrong option stands for).
One ``assessmentTest`` per version lists its items; ``imsmanifest.xml``
(IMS Content Packaging 1.1) lists the tests, the items and their figures.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any, Sequence

from tutor.exams import choices
from tutor.exams.generators.forms import answer_text
from tutor.exams.moodle import Form, form, html, numeral, preamble_html
from tutor.exams.packaging import document, figures, manifest, options, places, shares, sub, xml_text
from tutor.rendering import render

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"


def _xhtml(parent: ET.Element, markup: str) -> None:
    """Append the blocks of tutor's HTML (paragraphs of escaped text, ``<img>``) to ``parent``."""
    parent.extend(ET.fromstring(f"<div>{markup}</div>"))


def _declare(item: ET.Element, identifier: str, base_type: str, correct: str | None,
             cardinality: str = "single") -> None:
    declaration = sub(item, "responseDeclaration", identifier=identifier, cardinality=cardinality,
                       baseType=base_type)
    if correct is not None:
        sub(sub(declaration, "correctResponse"), "value", correct)


def _outcome(item: ET.Element, identifier: str, base_type: str, default: str | None = None) -> None:
    declaration = sub(item, "outcomeDeclaration", identifier=identifier, cardinality="single", baseType=base_type)
    if default is not None:
        sub(sub(declaration, "defaultValue"), "value", default)


def _add_if(processing: ET.Element, condition: ET.Element, score: Decimal) -> None:
    """``if condition: SCORE = SCORE + score``."""
    branch = sub(sub(processing, "responseCondition"), "responseIf")
    branch.append(condition)
    total = sub(sub(branch, "setOutcomeValue", identifier="SCORE"), "sum")
    sub(total, "variable", identifier="SCORE")
    sub(total, "baseValue", str(score), baseType="float")


def _compare(response: str, value: Any) -> ET.Element:
    """The response within the Moodle blank's tolerance of its decimal (exact when it ends)."""
    number, tolerance = numeral(value)
    equal = (ET.Element("equal", toleranceMode="exact") if tolerance == "0" else
             ET.Element("equal", toleranceMode="absolute", tolerance=tolerance))
    sub(equal, "variable", identifier=response)
    sub(equal, "baseValue", number, baseType="float")
    return equal


def _matches(response: str) -> ET.Element:
    match = ET.Element("match")
    sub(match, "variable", identifier=response)
    sub(match, "correct", identifier=response)
    return match


def _choice_interaction(parent: ET.Element, response: str, labelled: Sequence[tuple[str, str]]) -> None:
    interaction = sub(parent, "choiceInteraction", responseIdentifier=response, shuffle="false", maxChoices="1")
    for identifier, text in labelled:
        sub(interaction, "simpleChoice", text, identifier=identifier)


def _label(part_label: str) -> str:
    return f"\\({part_label} = \\)" if part_label else ""


def _blanks(item: ET.Element, body: ET.Element, processing: ET.Element, f: Form, points: int) -> None:
    """One interaction per blank, laid out as Moodle lays them out, and its scoring rule."""
    found = list(places(f))
    share = dict(zip((id(p) for p in found), shares(points, len(found))))
    grids: dict[int, ET.Element] = {}
    for k, place in enumerate(found, start=1):
        response = f"RESPONSE_{k}"
        blank = place.blank
        if blank.choices:
            labelled = [(f"C{k}_{n}", o) for n, o in enumerate(options(blank), start=1)]
            right = next(i for i, o in labelled if o == blank.choices[0])
            _declare(item, response, "identifier", right)
            if place.part.label:
                sub(body, "p", _label(place.part.label))
            _choice_interaction(body, response, labelled)
            _add_if(processing, _matches(response), share[id(place)])
            continue
        _declare(item, response, "float", numeral(blank.value)[0])
        if place.shape == "single":
            cell = sub(body, "p", _label(place.part.label) + " " if place.part.label else None)
        else:
            if id(place.part) not in grids:
                outer = sub(sub(sub(body, "table", **{"class": "tutor-answer"}), "tbody"), "tr")
                sub(outer, "td", _label(place.part.label))
                grids[id(place.part)] = sub(sub(sub(outer, "td"), "table", **{"class": "tutor-matrix"}), "tbody")
            grid = grids[id(place.part)]
            if place.column == 1:
                sub(grid, "tr")
            cell = sub(grid[-1], "td")
        sub(cell, "textEntryInteraction", responseIdentifier=response, expectedLength="12")
        _add_if(processing, _compare(response, blank.value), share[id(place)])


def item(exam: Any, question: Any, identifier: str) -> tuple[str, dict[str, str]]:
    """One question as an ``assessmentItem`` and the figures of its feedback (name -> SVG)."""
    sol = question.variant.solution
    title = f"{exam.spec.title} Q{question.number}: {question.title or question.kind}"
    root = document("assessmentItem", QTI, QTI_XSD, identifier=identifier, title=title, adaptive="false",
                 timeDependent="false")
    body = ET.Element("itemBody")
    processing = ET.Element("responseProcessing")
    drawn = choices.question_options(exam, question)
    f = None if drawn else form(sol.answer)
    if drawn:
        key = next(o for o in drawn if o.correct)
        _declare(root, "RESPONSE", "identifier", key.label)
        _xhtml(body, html(render.statement_body(sol, "markdown")))
        _choice_interaction(body, "RESPONSE", [(o.label, f"\\({o.text('latex')}\\)") for o in drawn])
        _add_if(processing, _matches("RESPONSE"), Decimal(question.points))
    elif f is None:
        # no number to ask for (a formula in matrix symbols): the text is compared, as in Moodle
        _declare(root, "RESPONSE", "string", answer_text(sol.answer, "plain"))
        _xhtml(body, html(render.statement_body(sol, "markdown")))
        sub(sub(body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="40")
        same = ET.Element("stringMatch", caseSensitive="false")
        sub(same, "variable", identifier="RESPONSE")
        sub(same, "correct", identifier="RESPONSE")
        _add_if(processing, same, Decimal(question.points))
    else:
        _xhtml(body, preamble_html(question.variant, f))
        _blanks(root, body, processing, f, question.points)
    _outcome(root, "SCORE", "float", "0")
    _outcome(root, "MAXSCORE", "float", str(question.points))
    _outcome(root, "FEEDBACK", "identifier")
    if drawn:
        _outcome(root, "MISTAKE", "identifier")
    root.append(body)
    root.append(processing)
    shown = sub(processing, "setOutcomeValue", identifier="FEEDBACK")
    sub(shown, "baseValue", "SOLUTION", baseType="identifier")
    solution, files = figures(html(render.solution_body(sol, "markdown")), f"q{question.number}-solution")
    feedback = sub(root, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier="SOLUTION", showHide="show",
                    title="Worked solution")
    _xhtml(feedback, solution)
    if drawn:
        _mistakes(root, processing, drawn)
    return xml_text(root), files


def _mistakes(root: ET.Element, processing: ET.Element, drawn: Sequence[choices.Option]) -> None:
    """MISTAKE is the chosen option; a wrong option's feedback names the mistake it stands for."""
    sub(sub(processing, "setOutcomeValue", identifier="MISTAKE"), "variable", identifier="RESPONSE")
    for o in drawn:
        if o.mistake:
            _xhtml(sub(root, "modalFeedback", outcomeIdentifier="MISTAKE", identifier=o.label, showHide="show"),
                   html(o.mistake))


def _folder(exam: Any) -> str:
    return exam.label or "A"


def test(exam: Any, items: Sequence[str]) -> str:
    """One version as an ``assessmentTest``: its items in order, SCORE the sum of theirs."""
    v = _folder(exam)
    title = exam.spec.title + (f", version {exam.label}" if exam.label else "")
    root = document("assessmentTest", QTI, QTI_XSD, identifier=f"test_{v}", title=title)
    _outcome(root, "SCORE", "float", "0")
    _outcome(root, "MAXSCORE", "float", str(exam.total))
    part = sub(root, "testPart", identifier=f"part_{v}", navigationMode="nonlinear", submissionMode="simultaneous")
    section = sub(part, "assessmentSection", identifier=f"section_{v}", title=title, visible="true")
    for identifier, q in zip(items, exam.questions):
        sub(section, "assessmentItemRef", identifier=identifier, href=f"q{q.number}.xml")
    total = sub(sub(sub(root, "outcomeProcessing"), "setOutcomeValue", identifier="SCORE"), "sum")
    sub(total, "testVariables", variableIdentifier="SCORE")
    return xml_text(root)


def package(exams: Sequence[Any]) -> dict[str, str]:
    """Every file of the content package, ``imsmanifest.xml`` first: per version ``V/test.xml``,
    ``V/qN.xml`` and the figures of the worked solutions beside them."""
    files: dict[str, str] = {}
    root, resources = manifest(CP, CP_XSD, f"MANIFEST_{exams[0].spec.seed}", "QTIv2.1 Package", "1.0.0")
    for exam in exams:
        v = _folder(exam)
        identifiers = [f"{v}_q{q.number}" for q in exam.questions]
        files[f"{v}/test.xml"] = test(exam, identifiers)
        resource = sub(resources, "resource", identifier=f"test_{v}", type="imsqti_test_xmlv2p1", href=f"{v}/test.xml")
        sub(resource, "file", href=f"{v}/test.xml")
        for identifier in identifiers:
            sub(resource, "dependency", identifierref=identifier)
        for identifier, q in zip(identifiers, exam.questions):
            text, pictures = item(exam, q, identifier)
            href = f"{v}/q{q.number}.xml"
            files[href] = text
            resource = sub(resources, "resource", identifier=identifier, type="imsqti_item_xmlv2p1", href=href)
            sub(resource, "file", href=href)
            for name, svg in pictures.items():
                files[f"{v}/{name}"] = svg
                sub(resource, "file", href=f"{v}/{name}")
    return {"imsmanifest.xml": xml_text(root), **files}


__all__ = ["item", "test", "package", "QTI", "CP"]
