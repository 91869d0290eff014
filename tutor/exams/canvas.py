"""A Canvas quiz import (QTI 1.2 ``.zip``, as Canvas exports quizzes and text2qti writes them),
one quiz per version, every question graded by Canvas itself.

Canvas's "fill in multiple blanks" compares text, and its numerical question has one box.  So
a question with several numbers (a vector, a matrix, the eigenvalues with their eigenvectors)
is a ``text_only_question`` with the statement and the form the answer must take, followed by
one ``numerical_question`` per number (Moodle's blanks, :func:`tutor.exams.moodle.form`: the
exact decimal with margin 0, or the three-decimal value within 0.0005; its prompt names the
part and the entry) and one ``multiple_choice_question`` per yes/no or outcome choice; the
question's points are split over them (:func:`tutor.exams.packaging.shares`), the worked
solution is the last one's general feedback.  A multiple-choice question (``--multiple-choice``)
is one ``multiple_choice_question``, the mistake each distractor stands for its feedback.
Math is TeX between ``\\(`` and ``\\)``, which Canvas renders with MathJax.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any, Sequence

from tutor.exams import choices
from tutor.exams.generators.forms import answer_text
from tutor.exams.moodle import form, html, numeral, preamble_html
from tutor.exams.packaging import Place, document, figures, manifest, options, places, shares, sub, xml_text
from tutor.rendering import render

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
#: the namespace Canvas's own exports (and text2qti) give IMS Content Packaging 1.1
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_XSD = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
#: where Canvas finds a file of the package from a question's HTML
FILEBASE = "%24IMS-CC-FILEBASE%24/"


def _html(parent: ET.Element, markup: str) -> None:
    """``<material><mattext texttype="text/html">`` with the HTML as escaped text, as Canvas writes it."""
    sub(sub(parent, "material"), "mattext", markup, texttype="text/html")


class _Quiz:
    """One version's ``questestinterop``: items appended in order, figures collected."""

    def __init__(self, exam: Any, ident: str) -> None:
        self.exam = exam
        self.root = document("questestinterop", QTI, QTI_XSD)
        assessment = sub(self.root, "assessment", ident=ident, title=_title(exam))
        field = sub(sub(assessment, "qtimetadata"), "qtimetadatafield")
        sub(field, "fieldlabel", "cc_maxattempts")
        sub(field, "fieldentry", "1")
        self.section = sub(assessment, "section", ident="root_section")
        self.ident = ident
        self.files: dict[str, str] = {}

    def item(self, name: str, title: str, kind: str, points: Decimal, text: str) -> ET.Element:
        item = sub(self.section, "item", ident=f"{self.ident}_{name}", title=title)
        metadata = sub(sub(item, "itemmetadata"), "qtimetadata")
        for label, entry in (("question_type", kind), ("points_possible", str(points)),
                             ("original_answer_ids", ""),
                             ("assessment_question_identifierref", f"{self.ident}_{name}_ref")):
            field = sub(metadata, "qtimetadatafield")
            sub(field, "fieldlabel", label)
            sub(field, "fieldentry", entry)
        _html(sub(item, "presentation"), text)
        return item

    def solution(self, item: ET.Element, question: Any) -> None:
        """The worked solution as the item's general feedback, shown whatever the answer."""
        processing = item.find("resprocessing")
        assert processing is not None
        always = ET.Element("respcondition", {"continue": "Yes"})
        sub(sub(always, "conditionvar"), "other")
        sub(always, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
        processing.insert(1, always)
        stem = f"{self.ident}_q{question.number}"
        markup, pictures = figures(html(render.solution_body(question.variant.solution, "markdown")), stem,
                                   FILEBASE + "images/")
        self.files.update({f"images/{name}": svg for name, svg in pictures.items()})
        _feedback(item, "general_fb", markup)


def _feedback(item: ET.Element, ident: str, markup: str) -> None:
    _html(sub(sub(item, "itemfeedback", ident=ident), "flow_mat"), markup)


def _processing(item: ET.Element) -> ET.Element:
    processing = sub(item, "resprocessing")
    sub(sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    return processing


def _full_marks_if(processing: ET.Element) -> ET.Element:
    """A ``respcondition`` that sets SCORE to 100 (the item's points); the caller fills its condition."""
    condition = sub(processing, "respcondition", **{"continue": "No"})
    variables = sub(condition, "conditionvar")
    sub(condition, "setvar", "100", action="Set", varname="SCORE")
    return variables


def _choice(quiz: _Quiz, item: ET.Element, texts: Sequence[tuple[str, str]], right: str) -> None:
    """A single-answer choice: ``texts`` (ident, HTML), ``right`` the ident of the key."""
    presentation = item.find("presentation")
    assert presentation is not None
    render_choice = sub(sub(presentation, "response_lid", ident="response1", rcardinality="Single"),
                         "render_choice")
    for ident, text in texts:
        _html(sub(render_choice, "response_label", ident=ident), text)
    sub(_full_marks_if(_processing(item)), "varequal", right, respident="response1")


def _numerical(item: ET.Element, value: Any) -> None:
    """One number: the exact decimal with a margin (0 when it ends), as Canvas exports it."""
    presentation = item.find("presentation")
    assert presentation is not None
    fib = sub(sub(presentation, "response_str", ident="response1", rcardinality="Single"), "render_fib",
               fibtype="Decimal")
    sub(fib, "response_label", ident="answer1")
    number, tolerance = numeral(value)
    low, high = Decimal(number) - Decimal(tolerance), Decimal(number) + Decimal(tolerance)
    either = sub(_full_marks_if(_processing(item)), "or")
    sub(either, "varequal", number, respident="response1")
    within = sub(either, "and")
    sub(within, "vargte", _decimal(low), respident="response1")
    sub(within, "varlte", _decimal(high), respident="response1")


def _decimal(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _prompt(question: Any, place: Place) -> str:
    words = render.environment("markdown").get_template("documents/lms_blank.md.j2").render(
        number=question.number, label=place.part.label, shape=place.shape, row=place.row, column=place.column)
    return html(words)


def _question(quiz: _Quiz, question: Any) -> None:
    """One exam question as its Canvas items (see the module's docstring)."""
    sol = question.variant.solution
    title = f"Question {question.number}"
    drawn = choices.question_options(quiz.exam, question)
    f = None if drawn else form(sol.answer)
    statement = html(render.statement_body(sol, "markdown"))
    if drawn:
        item = quiz.item(f"q{question.number}", title, "multiple_choice_question", Decimal(question.points), statement)
        idents = {o.label: f"{quiz.ident}_q{question.number}_{o.label}" for o in drawn}
        key = next(o for o in drawn if o.correct)
        _choice(quiz, item, [(idents[o.label], f"\\({o.text('latex')}\\)") for o in drawn], idents[key.label])
        processing = item.find("resprocessing")
        assert processing is not None
        for o in drawn:
            if o.mistake:
                shown = sub(processing, "respcondition", **{"continue": "Yes"})
                sub(sub(shown, "conditionvar"), "varequal", idents[o.label], respident="response1")
                sub(shown, "displayfeedback", feedbacktype="Response", linkrefid=f"{idents[o.label]}_fb")
        quiz.solution(item, question)
        for o in drawn:
            if o.mistake:
                _feedback(item, f"{idents[o.label]}_fb", html(o.mistake))
        return
    if f is None:
        # no number to ask for (a formula in matrix symbols): Canvas compares the text, as Moodle
        item = quiz.item(f"q{question.number}", title, "short_answer_question", Decimal(question.points), statement)
        presentation = item.find("presentation")
        assert presentation is not None
        sub(sub(sub(presentation, "response_str", ident="response1", rcardinality="Single"), "render_fib"),
             "response_label", ident="answer1", rshuffle="No")
        sub(_full_marks_if(_processing(item)), "varequal", answer_text(sol.answer, "plain"), respident="response1")
        quiz.solution(item, question)
        return
    quiz.item(f"q{question.number}", title, "text_only_question", Decimal(0), preamble_html(question.variant, f))
    found = list(places(f))
    last = None
    for k, (place, points) in enumerate(zip(found, shares(question.points, len(found))), start=1):
        name = f"q{question.number}_{k}"
        if place.blank.choices:
            last = quiz.item(name, f"{title}.{k}", "multiple_choice_question", points, _prompt(question, place))
            labelled = [(f"{quiz.ident}_{name}_{n}", o) for n, o in enumerate(options(place.blank), start=1)]
            right = next(i for i, o in labelled if o == place.blank.choices[0])
            _choice(quiz, last, labelled, right)
        else:
            last = quiz.item(name, f"{title}.{k}", "numerical_question", points, _prompt(question, place))
            _numerical(last, place.blank.value)
    assert last is not None
    quiz.solution(last, question)


def _title(exam: Any) -> str:
    return exam.spec.title + (f", version {exam.label}" if exam.label else "")


def quiz_ident(exam: Any) -> str:
    """A name Canvas keeps for the quiz (an XML ID): the spec's name and title, seed, version."""
    digest = hashlib.sha256(f"{exam.spec.name}\n{exam.spec.title}".encode()).hexdigest()[:8]
    return f"tutor_{digest}_{exam.spec.seed}_{exam.label or 'A'}"


def assessment(exam: Any) -> tuple[str, dict[str, str]]:
    """One version as a QTI 1.2 assessment, and its figures (path in the package -> SVG)."""
    quiz = _Quiz(exam, quiz_ident(exam))
    for question in exam.questions:
        _question(quiz, question)
    return xml_text(quiz.root), quiz.files


def assessment_meta(exam: Any) -> str:
    """The quiz settings Canvas reads beside the QTI (``assessment_meta.xml``, as text2qti writes)."""
    ident = quiz_ident(exam)
    root = document("quiz", CANVAS, CANVAS_XSD, identifier=ident)
    sub(root, "title", _title(exam))
    sub(root, "description", html(exam.spec.instructions) if exam.spec.instructions else "")
    for tag, value in (("shuffle_answers", "false"), ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", f"{exam.total:.1f}"), ("show_correct_answers", "true"),
                       ("allowed_attempts", "1"), ("one_question_at_a_time", "false"), ("cant_go_back", "false"),
                       ("available", "false")):
        sub(root, tag, value)
    assignment = sub(root, "assignment", identifier=f"{ident}_assignment")
    for tag, value in (("title", _title(exam)), ("workflow_state", "unpublished"), ("quiz_identifierref", ident),
                       ("points_possible", f"{exam.total:.1f}"), ("grading_type", "points"),
                       ("submission_types", "online_quiz")):
        sub(assignment, tag, value)
    sub(root, "assignment_group_identifierref", f"{ident}_assignment_group")
    return xml_text(root)


def package(exams: Sequence[Any]) -> dict[str, str]:
    """Every file of the Canvas import, ``imsmanifest.xml`` first: per version a folder with
    the assessment and its ``assessment_meta.xml``; the figures under ``images/``."""
    root, resources = manifest(CP, CP_XSD, f"tutor_manifest_{quiz_ident(exams[0])}", "IMS Content", "1.1.3")
    files: dict[str, str] = {"non_cc_assessments/": ""}
    images: dict[str, str] = {}
    for exam in exams:
        ident = quiz_ident(exam)
        text, pictures = assessment(exam)
        files[f"{ident}/assessment_meta.xml"] = assessment_meta(exam)
        files[f"{ident}/{ident}.xml"] = text
        images.update(pictures)
        resource = sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
        sub(resource, "file", href=f"{ident}/{ident}.xml")
        sub(resource, "dependency", identifierref=f"{ident}_meta")
        meta = sub(resources, "resource", identifier=f"{ident}_meta",
                    type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                    href=f"{ident}/assessment_meta.xml")
        sub(meta, "file", href=f"{ident}/assessment_meta.xml")
    for k, path in enumerate(images, start=1):
        picture = sub(resources, "resource", identifier=f"tutor_image_{k}", type="webcontent", href=path)
        sub(picture, "file", href=path)
    return {"imsmanifest.xml": xml_text(root), **files, **images}


__all__ = ["assessment", "assessment_meta", "package", "quiz_ident", "QTI", "CP"]
