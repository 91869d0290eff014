"""The web app and the JSON API through Starlette's TestClient: a student's practice (hints,
a wrong attempt, a right one), the teacher's exam and grading, the API against tutor's own
Python API and sympy, the token, and the bounds."""
from __future__ import annotations

import base64
import io
import json
import re
import zipfile

import pytest
import sympy

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

import tutor  # noqa: E402
from tutor import topics  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tutor.exams.generators.forms import FORMS, answer_text  # noqa: E402
from tutor.practice.session import Session  # noqa: E402
from tutor.rendering import render  # noqa: E402
from tutor.web.app import create_app  # noqa: E402
from tutor.web.guard import Bounds  # noqa: E402

KEY = b"test-key" * 4


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(key=KEY))


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def _act(client, html: str, action: str, text: str = "") -> str:
    r = client.post("/practice", data={"token": _token(html), "action": action, "text": text})
    assert r.status_code == 200, r.text
    return r.text


def test_a_new_problem_gets_a_seed_link_and_a_seed_link_is_the_generated_problem(client):
    r = client.get("/practice?topic=eigen&difficulty=1", follow_redirects=False)
    assert r.status_code == 303 and re.search(r"seed=\d+", r.headers["location"])
    page = client.get("/practice?topic=system&difficulty=1&seed=7").text
    generated = client.post("/api/generate", json={"kind": "system", "seed": 7, "difficulty": 1}).json()
    assert generated["inputs"] == Session("system", 7, 1).variant.raw
    for line in Session("system", 7, 1).statement("text").splitlines()[2:]:
        assert all(part in page for part in re.findall(r"-?\d+", line))


def test_a_student_solves_after_two_hints_and_one_wrong_attempt(client):
    page = client.get("/practice?topic=system&difficulty=1&seed=7").text
    assert "Worked solution" not in page
    page = _act(client, page, "hint")
    assert "Method" in page and "augmented matrix" in page
    page = _act(client, page, "hint")
    assert "Next step" in page and "Step 1 of" in page
    page = _act(client, page, "answer", "x = 100, y = 100")
    assert "Not quite" in page and "Try again" in page and "Worked solution" not in page
    right = answer_text(Session("system", 7, 1).solution.answer, FORMS[0])
    page = _act(client, page, "answer", right)
    assert "Right!" in page and "Worked solution" in page
    assert "Attempts: 2 · hints: 2" in page


def test_a_line_of_working_is_checked_on_the_page(client):
    session = Session("system", 7, 1)
    start = session.solution.problem.inputs["A"].row_join(session.solution.problem.inputs["b"])
    page = client.get("/practice?topic=system&difficulty=1&seed=7").text
    page = _act(client, page, "check", str(start.as_mutable().echelon_form().tolist()))
    assert "Your line" in page and "Right" in page and "step 2" in page


def test_a_hostile_answer_gets_a_refusal_and_the_page_stays_usable(client):
    page = client.get("/practice?topic=eigen&difficulty=1&seed=3").text
    for hostile in ("9^9^9^9^9^9^9", "(" * 300 + "1" + ")" * 300, "__import__('os').system('echo x')"):
        after = _act(client, page, "answer", hostile)
        assert re.search(r"Could not (read|check)|Not quite", after) and 'name="token"' in after
        assert "echo x" not in re.sub(r"<textarea.*?</textarea>|<code>.*?</code>", "", after, flags=re.S)


def test_the_session_is_in_a_signed_token_any_server_with_the_key_continues_it(client):
    page = _act(client, client.get("/practice?topic=variance&difficulty=1&seed=2").text, "hint")
    other = TestClient(create_app(key=KEY))  # a restarted server
    assert "Method" in _act(other, page, "hint")
    body, mac = _token(page).split(".")
    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["solved"] = True
    fake = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=") + "." + mac
    r = other.post("/practice", data={"token": fake, "action": "hint"})
    assert r.status_code == 400 and "not valid" in r.text
    assert TestClient(create_app(key=b"another")).post(
        "/practice", data={"token": _token(page), "action": "hint"}).status_code == 400


def test_the_preview_says_how_the_answer_was_read_not_whether_it_is_right(client):
    token = _token(client.get("/practice?topic=system&difficulty=1&seed=7").text)
    data = client.post("/practice/preview", json={"token": token, "text": "x = 1/2, y = 3"}).json()
    assert data["readable"] and "1/2" in data["parsed"] and set(data) == {"parsed", "readable", "message"}
    data = client.post("/practice/preview", json={"token": token, "text": "x = ((("}).json()
    assert not data["readable"] and data["message"]


def test_pages_load_math_from_the_package_not_a_cdn(client):
    for path in ("/", "/teacher", "/practice?topic=eigen&difficulty=1&seed=3"):
        html = client.get(path).text
        assert not re.search(r"(src|href)=\"https?://(?!testserver)", html), path
    assert client.get("/static/katex/katex.min.js").status_code == 200
    css = client.get("/static/katex/katex.min.css").text
    for font in re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)[:3]:
        assert client.get("/static/katex/" + font).status_code == 200


def test_api_solve_matches_the_python_api_and_check_agrees_with_sympy(client):
    r = client.post("/api/solve", json={"kind": "det", "inputs": {"matrix": "[[2,1],[7,4]]"}, "format": "json"})
    assert r.status_code == 200
    assert r.json()["solution"]["answer"] == tutor.solve("det", matrix="[[2,1],[7,4]]").to_json()["answer"]
    assert sympy.Matrix([[2, 1], [7, 4]]).det() == 1
    verdict = client.post("/api/check", json={"kind": "det", "inputs": {"matrix": "[[2,1],[7,4]]"},
                                              "answer": "1"}).json()
    assert verdict["correct"] and verdict["status"] == "correct"
    verdict = client.post("/api/check", json={"expected": "x+1", "answer": "(x^2-1)/(x-1)"}).json()
    assert verdict["correct"]
    verdict = client.post("/api/check", json={"expected": "0.3333", "answer": "1/3",
                                              "policy": {"decimals": "rounded"}}).json()
    assert verdict["status"] in ("correct", "incorrect")


def test_api_kinds_generate_and_openapi(client):
    kinds = client.get("/api/kinds").json()
    assert {k["name"] for k in kinds} == set(topics.all_kinds())
    spec = client.get("/api/openapi.json").json()
    assert {"/api/solve", "/api/check", "/api/generate", "/api/kinds"} <= set(spec["paths"])
    a = client.post("/api/generate", json={"topic": "probability", "seed": 11}).json()
    b = client.post("/api/generate", json={"topic": "probability", "seed": 11}).json()
    assert a == b and a["kind"] in {k["name"] for k in kinds if k["topic"] == "probability"}


@pytest.mark.parametrize("body, message", [
    ({"kind": "nope", "inputs": {}}, "unknown kind"),
    ({"kind": "det", "inputs": {"matrix": "[[1,2],[3"}}, ""),
    ({"kind": "det", "inputs": []}, "inputs"),
    ([], "object"),
])
def test_api_errors_are_one_line_json_with_400(client, body, message):
    r = client.post("/api/solve", json=body)
    assert r.status_code == 400 and message in r.json()["error"] and "\n" not in r.json()["error"]
    assert client.post("/api/check", content=b"not json").status_code == 400


def test_bounds_refuse_large_bodies_and_fast_clients():
    small = TestClient(create_app(key=KEY, bounds=Bounds(body=1000, rate=1, burst=3)))
    assert small.post("/api/check", json={"expected": "1", "answer": "1" * 2000}).status_code == 413
    codes = [small.get("/api/kinds").status_code for _ in range(6)]
    assert 429 in codes and codes[0] == 200


def test_teacher_downloads_an_exam_and_grades_a_class(client):
    assert client.get("/teacher").status_code == 200
    r = client.post("/teacher/exam", data={"topics": "inverse", "count": "1", "seed": "5", "versions": "1",
                                           "difficulty": "1", "title": "Quiz"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "exam-5-key.json" in names and "exam-5-moodle.xml" in names and "exam-5.tex" in names
    assert {"exam-5-stack.xml", "exam-5-qti.zip", "exam-5-canvas.zip"} <= set(names)
    if render.tex_available():
        assert "exam-5.pdf" in names and "exam-5-solutions.pdf" in names
    sheet = (ROOT / "examples" / "lecture1.toml").read_text()
    answers = "student,problem,answer\nann,1,x = 2\nbob,1,x = 3\n"
    page = client.post("/teacher/grade", data={"sheet": sheet, "csv": answers}).text
    assert "problem 1: 1/2 right" in page
    graded = base64.b64decode(re.search(r"base64,([^\"]+)\"", page).group(1)).decode()
    assert graded.splitlines()[0].startswith("student,problem,status") and "ann,1,correct" in graded


def test_a_draw_past_its_budget_is_a_clear_error_not_a_hang():
    """Problems are drawn in a sandbox worker within the app's budget: a draw that overruns it
    is stopped, and the page and the API say so in one line (the worker is replaced)."""
    import time

    from tutor.checking.bounded import Budget

    slow = TestClient(create_app(key=KEY, budget=Budget(seconds=0.001)))
    start = time.monotonic()
    r = slow.post("/api/generate", json={"kind": "eigen", "seed": 424242, "difficulty": 2})
    assert r.status_code == 400 and "drawing problem eigen (seed 424242) was stopped" in r.json()["error"]
    assert "longer than 0.001 s" in r.json()["error"]
    r = slow.get("/practice?topic=svd&difficulty=3&seed=424243")
    assert r.status_code == 400 and "was stopped" in r.text and "Start again" in r.text
    assert time.monotonic() - start < 30
    fine = TestClient(create_app(key=KEY, budget=Budget(seconds=60)))
    r = fine.post("/api/generate", json={"kind": "eigen", "seed": 424242, "difficulty": 2})
    assert r.status_code == 200 and r.json()["inputs"] == Session("eigen", 424242, 2).variant.raw


def test_an_exam_stack_cannot_grade_downloads_with_a_note_instead_of_its_stack_file(client):
    r = client.post("/teacher/exam", data={"topics": "matrix_gradient", "count": "1", "seed": "5", "versions": "1",
                                           "difficulty": "1", "title": "Quiz"})
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    names = archive.namelist()
    assert "exam-5-stack.xml" not in names and {"exam-5-moodle.xml", "exam-5-qti.zip", "exam-5-canvas.zip"} <= set(names)
    assert "matrix_gradient" in archive.read("no-stack.txt").decode()
