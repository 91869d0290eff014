"""The JSON API for other systems (an LMS plug-in, a grading script, a notebook).

``POST /api/solve {kind, inputs, format}``, ``POST /api/check {kind, inputs, answer, policy}``
or ``{expected, answer, policy}``, ``POST /api/generate {kind|topic, seed, difficulty}``,
``GET /api/kinds``, ``GET /api/openapi.json``.  Stateless: any number of server processes
can answer.  Errors are ``{"error": "one line"}`` with 400 (bad request), 413, 429.
"""
from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tutor import topics
from tutor.checking.check import check_expected, run_sandboxed
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import unchecked
from tutor.checking.sandbox import Failure
from tutor.core.errors import TutorError
from tutor.practice import draw
from tutor.rendering import render
from tutor.web import jobs
from tutor.web.openapi import DESCRIPTION


async def body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or TutorError."""
    try:
        data = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise TutorError("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise TutorError("the request body must be a JSON object")
    return data


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise TutorError(f"'{name}' must be a string")
    return value


def _kind(data: dict[str, Any]) -> str:
    kind = _text(data, "kind")
    topics.get(kind)  # an unknown kind: the registry's one-line error
    return kind


def _inputs(data: dict[str, Any]) -> dict[str, Any]:
    inputs = data.get("inputs", {})
    if not isinstance(inputs, dict):
        raise TutorError("'inputs' must be an object: {field: value}")
    return inputs


def _policy(data: dict[str, Any]) -> Policy:
    raw = data.get("policy") or {}
    if not isinstance(raw, dict):
        raise TutorError("'policy' must be an object: {decimals, up_to_constant}")
    try:
        return Policy(decimals=raw.get("decimals", "exact"), up_to_constant=bool(raw.get("up_to_constant", False)))
    except (TypeError, ValueError) as e:
        raise TutorError(str(e)) from None


def _sandboxed(job: Any, *args: Any) -> Any:
    result = run_sandboxed(job, *args)
    if isinstance(result, jobs.Refusal):
        raise TutorError(result.reason)
    return result


async def solve(request: Request) -> JSONResponse:
    data = await body(request)
    fmt = data.get("format", "markdown")
    if fmt not in render.FORMATS:
        raise TutorError(f"'format' must be one of {', '.join(render.FORMATS)}")
    result = await run_in_threadpool(_sandboxed, jobs.solve_job, _kind(data), _inputs(data), fmt)
    if isinstance(result, Failure):
        raise TutorError(f"could not be solved within the bounds: {result.reason}")
    return JSONResponse(result)


async def check(request: Request) -> JSONResponse:
    data = await body(request)
    answer, policy = _text(data, "answer"), _policy(data)
    if "expected" in data:
        verdict = await run_in_threadpool(check_expected, _text(data, "expected"), answer, policy=policy)
    else:
        result = await run_in_threadpool(_sandboxed, jobs.check_job, _kind(data), _inputs(data), answer, policy)
        verdict = unchecked(result.reason) if isinstance(result, Failure) else result
    return JSONResponse(verdict.to_json())


async def generate(request: Request) -> JSONResponse:
    data = await body(request)
    word = data.get("kind", data.get("topic"))
    seed, difficulty = data.get("seed", 0), data.get("difficulty", 2)
    if not isinstance(word, str):
        raise TutorError("give 'kind' or 'topic' as a string")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise TutorError("'seed' must be a whole number from 0 to 2^63 - 1")
    if difficulty not in (1, 2, 3):
        raise TutorError("'difficulty' must be 1, 2 or 3")
    variant = await run_in_threadpool(draw.variant, word, seed, difficulty, request.app.state.budget)
    return JSONResponse({"kind": variant.kind, "seed": seed, "difficulty": difficulty, "inputs": variant.raw,
                         "statement": render.statement_body(variant.solution, "markdown"),
                         "answer": variant.solution.answer.to_json()})


async def kinds(request: Request) -> JSONResponse:
    return JSONResponse([{"name": k.name, "topic": k.topic, "summary": k.summary,
                          "fields": [{"name": f.name, "help": f.help, "required": f.required}
                                     for f in k.fields]}
                         for k in sorted(topics.all_kinds().values(), key=lambda k: (k.topic, k.name))])


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(DESCRIPTION)


ROUTES = [
    Route("/api/solve", solve, methods=["POST"]),
    Route("/api/check", check, methods=["POST"]),
    Route("/api/generate", generate, methods=["POST"]),
    Route("/api/kinds", kinds, methods=["GET"]),
    Route("/api/openapi.json", openapi, methods=["GET"]),
]
