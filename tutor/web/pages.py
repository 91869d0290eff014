"""The HTML pages: the student's practice and the teacher's exam and grading.

A practice page carries its session as a signed token in a hidden field, so every button is
an ordinary form post (it works without JavaScript and with the keyboard alone); the
JavaScript only typesets the math (KaTeX, shipped) and previews how the answer is read.
"""
from __future__ import annotations

import base64
import dataclasses
import io
import random
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tutor import topics
from tutor.checking.check import check_solution, grade_csv
from tutor.core.errors import TutorError
from tutor.exams import documents as exams
from tutor.exams import generators
from tutor.practice.session import Session
from tutor.rendering import render
from tutor.web import tokens
from tutor.web.jsonapi import body
from tutor.web.markup import to_html

ACTIONS = ("answer", "check", "hint", "next", "solution")
MAX_EXAM_QUESTIONS = 40


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, template, {"error": None, **context},
                                                        status_code=status)


async def index(request: Request) -> Response:
    kinds = [k for k in topics.all_kinds().values() if k.name in generators.RAW_GENERATORS]
    groups = sorted({k.topic for k in kinds})
    choices = [(g, sorted((k for k in kinds if k.topic == g), key=lambda k: k.name)) for g in groups]
    return page(request, "index.html.j2", choices=choices)


def _int(value: Any, name: str, default: int | None = None) -> int:
    text = str(value if value is not None else "").strip()
    if not text and default is not None:
        return default
    if not text.isdigit() or len(text) > 19:
        raise TutorError(f"{name} must be a whole number")
    return int(text)


def _link(request: Request, session: Session, seed: int | None = None) -> str:
    return str(request.url_for("practice").include_query_params(
        topic=session.topic, seed=session.seed if seed is None else seed, difficulty=session.difficulty))


async def practice(request: Request) -> Response:
    """A new problem: with a seed (a shared link), or a random one (redirected to its link)."""
    q = request.query_params
    topic, difficulty = q.get("topic", ""), _int(q.get("difficulty"), "the difficulty", 2)
    if not q.get("seed"):
        url = request.url_for("practice").include_query_params(
            topic=topic, difficulty=difficulty, seed=random.randrange(10**6))
        return RedirectResponse(str(url), status_code=303)
    session = await run_in_threadpool(lambda: Session(topic, _int(q.get("seed"), "the seed"), difficulty,
                                                      budget=request.app.state.budget))
    return await _show(request, session)


async def practice_act(request: Request) -> Response:
    form = await request.form()
    session = await run_in_threadpool(Session.from_state, tokens.unsign(str(form.get("token", "")),
                                                                        request.app.state.key),
                                      request.app.state.budget)
    action, text = str(form.get("action", "")), str(form.get("text", ""))
    if action not in ACTIONS:
        raise TutorError(f"unknown action {action!r}")
    feedback = await run_in_threadpool(_act, session, action, text)
    return await _show(request, session, feedback, text if action in ("answer", "check") else "")


def _act(session: Session, action: str, text: str) -> dict[str, Any] | None:
    if action == "hint":
        return None if session.hint("markdown") else {
            "title": "No more hints", "tone": "info", "lines": ["That was the whole solution."]}
    if action == "next":
        return None if session.next_step("markdown") else {
            "title": "No more steps", "tone": "info", "lines": ["That was the whole solution."]}
    if action == "solution":
        session.revealed = True  # the page renders the worked solution itself, as HTML
        return None
    if not text.strip():
        return {"title": "Type something first", "tone": "info", "lines": []}
    if action == "check":
        verdict = session.check_line(text)
        return {"title": "Your line", "tone": "good" if verdict.right else "bad",
                "parsed": verdict.parsed, "lines": [session.line_words(verdict).strip()]}
    verdict = session.answer(text)
    title = {"correct": "Right!", "incorrect": "Not quite", "unreadable": "Could not read your answer",
             "unchecked": "Could not check your answer"}[verdict.status]
    return {"title": title, "tone": "good" if verdict.correct else "bad", "parsed": verdict.parsed,
            "lines": verdict.feedback + ([] if verdict.correct or verdict.status != "incorrect"
                                         else ["Try again, or ask for a hint."])}


async def _show(request: Request, session: Session, feedback: dict[str, Any] | None = None,
                text: str = "") -> Response:
    def build() -> dict[str, Any]:
        finished = session.finished
        return {
            "session": session, "feedback": feedback, "text": text, "finished": finished,
            "example": session.example_answer(),
            "statement": to_html(session.statement("markdown")),
            "taken": [(r, to_html(r.text)) for r in session.taken("markdown")],
            "total": len(session.rungs("markdown")),
            "solution": to_html(render.solution_body(session.solution, "markdown")) if finished else "",
        }
    context = await run_in_threadpool(build)
    return page(request, "practice.html.j2", token=tokens.sign(session.state(), request.app.state.key),
                link=_link(request, session), next_link=_link(request, session, (session.seed + 1) % 2**63),
                **context)


async def preview(request: Request) -> JSONResponse:
    """How the answer is read (the checker's ``parsed``), not whether it is right."""
    data = await body(request)
    session = await run_in_threadpool(Session.from_state, tokens.unsign(str(data.get("token", "")),
                                                                        request.app.state.key),
                                      request.app.state.budget)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return JSONResponse({"parsed": "", "readable": False, "message": ""})
    verdict = await run_in_threadpool(check_solution, session.solution, text)
    if verdict.status == "unreadable":
        return JSONResponse({"parsed": verdict.parsed, "readable": False, "message": verdict.feedback[0]})
    return JSONResponse({"parsed": verdict.parsed, "readable": verdict.status != "unchecked", "message": ""})


async def teacher(request: Request) -> Response:
    return page(request, "teacher.html.j2", topic_names=exams.topic_names(), tex=render.tex_available(),
                max_versions=exams.MAX_VERSIONS)


def _exam_zip(spec: exams.ExamSpec) -> bytes:
    """The PDFs, keys and every LMS export; STACK's when it can grade every question, else a
    note saying which question it cannot (the others are all written)."""
    with tempfile.TemporaryDirectory(prefix="tutor-exam-") as tmp:
        try:  # one draw of the versions for every format
            paths = exams.write_exam(spec, tmp, fmt=("pdf", "moodle", "stack", "qti", "canvas"))
        except TutorError as e:  # STACK refused a question (anything else is refused again below)
            paths = exams.write_exam(spec, tmp, fmt=("pdf", "moodle", "qti", "canvas"))
            paths.append(Path(tmp, "no-stack.txt"))
            paths[-1].write_text(f"No STACK export: {e}\n", encoding="utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(set(paths)):
                z.write(path, Path(path).name)
        return buffer.getvalue()


async def teacher_exam(request: Request) -> Response:
    form = await request.form()
    count = _int(form.get("count"), "the number of questions", 5)
    versions = _int(form.get("versions"), "the number of versions", 1)
    if not 1 <= count <= MAX_EXAM_QUESTIONS or not 1 <= versions <= exams.MAX_VERSIONS:
        raise TutorError(f"from 1 to {MAX_EXAM_QUESTIONS} questions and 1 to {exams.MAX_VERSIONS} versions")
    spec = exams.spec_from_topics(str(form.get("topics", "")).split(","), count=count,
                                  seed=_int(form.get("seed"), "the seed", 0),
                                  difficulty=_int(form.get("difficulty"), "the difficulty", 2),
                                  title=str(form.get("title", "Exam"))[:200] or "Exam")
    spec = dataclasses.replace(spec, versions=versions)
    data = await run_in_threadpool(_exam_zip, spec)
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="exam-{spec.seed}.zip"'})


def _grade(sheet: str, answers: str) -> tuple[str, int, list[str]]:
    with tempfile.TemporaryDirectory(prefix="tutor-grade-") as tmp:
        sheet_path, in_path, out_path = Path(tmp, "sheet.toml"), Path(tmp, "answers.csv"), Path(tmp, "graded.csv")
        sheet_path.write_text(sheet, encoding="utf-8")
        in_path.write_text(answers, encoding="utf-8")
        summaries = grade_csv(in_path, sheet_path, out_path, jobs=1)
        graded = out_path.read_text(encoding="utf-8")
    return graded, graded.count("\n") - 1, [s.line(n) for n, s in sorted(summaries.items())]


async def teacher_grade(request: Request) -> Response:
    form = await request.form()
    graded, rows, summary = await run_in_threadpool(_grade, str(form.get("sheet", "")), str(form.get("csv", "")))
    return page(request, "graded.html.j2", rows=rows, summary=summary,
                csv_b64=base64.b64encode(graded.encode()).decode())


ROUTES = [
    Route("/", index, name="index"),
    Route("/practice", practice, name="practice", methods=["GET"]),
    Route("/practice", practice_act, name="practice_act", methods=["POST"]),
    Route("/practice/preview", preview, name="preview", methods=["POST"]),
    Route("/teacher", teacher, name="teacher"),
    Route("/teacher/exam", teacher_exam, name="teacher_exam", methods=["POST"]),
    Route("/teacher/grade", teacher_grade, name="teacher_grade", methods=["POST"]),
]
