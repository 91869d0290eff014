"""The OpenAPI 3.1 description of the JSON API (served at ``/api/openapi.json``)."""
from __future__ import annotations

from importlib import metadata
from typing import Any


def _version() -> str:
    try:
        return metadata.version("tutor")
    except metadata.PackageNotFoundError:  # run from a source tree
        return "unreleased"


def _post(summary: str, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return {"post": {
        "summary": summary,
        "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
        "responses": {
            "200": {"description": "done", "content": {"application/json": {"schema": response}}},
            "400": {"description": "a bad request, in one line", "content": {"application/json": {"schema": _ERROR}}},
            "413": {"description": "the request is too large"},
            "429": {"description": "too many requests from this client"},
        }}}


_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_INPUTS = {"type": "object", "description": "the kind's fields (GET /api/kinds), as strings, numbers or lists: "
           "{\"matrix\": \"[[2,1],[1,2]]\"}", "additionalProperties": True}
_POLICY = {"type": "object", "properties": {
    "decimals": {"enum": ["exact", "rounded"], "default": "exact"},
    "up_to_constant": {"type": "boolean", "default": False}}}
_VERDICT = {"type": "object", "properties": {
    "correct": {"type": "boolean"}, "score": {"type": "number", "minimum": 0, "maximum": 1},
    "feedback": {"type": "array", "items": {"type": "string"}},
    "parsed": {"type": "string", "description": "how the answer was read"},
    "status": {"enum": ["correct", "incorrect", "unreadable", "unchecked"]}}}

DESCRIPTION: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "tutor", "version": _version(),
             "description": "Step-by-step worked solutions and answer checking for the mathematics of "
                            "machine learning. Stateless: every request stands alone."},
    "paths": {
        "/api/solve": _post(
            "Solve a problem with steps",
            {"type": "object", "required": ["kind", "inputs"], "properties": {
                "kind": {"type": "string"}, "inputs": _INPUTS,
                "format": {"enum": ["markdown", "latex", "text", "json"], "default": "markdown"}}},
            {"type": "object", "properties": {"kind": {"type": "string"}, "statement": {"type": "string"},
                                              "solution": {}, "answer": {"type": "object"}}}),
        "/api/check": _post(
            "Check an answer: to a problem (kind, inputs) or against an expected answer",
            {"oneOf": [
                {"type": "object", "required": ["kind", "inputs", "answer"], "properties": {
                    "kind": {"type": "string"}, "inputs": _INPUTS, "answer": {"type": "string"},
                    "policy": _POLICY}},
                {"type": "object", "required": ["expected", "answer"], "properties": {
                    "expected": {"type": "string"}, "answer": {"type": "string"}, "policy": _POLICY}}]},
            _VERDICT),
        "/api/generate": _post(
            "Draw a problem with nice numbers: the same seed gives the same problem as `tutor generate`",
            {"type": "object", "properties": {
                "kind": {"type": "string"}, "topic": {"type": "string"},
                "seed": {"type": "integer", "minimum": 0, "default": 0},
                "difficulty": {"enum": [1, 2, 3], "default": 2}}},
            {"type": "object", "properties": {
                "kind": {"type": "string"}, "seed": {"type": "integer"}, "difficulty": {"type": "integer"},
                "inputs": _INPUTS, "statement": {"type": "string"}, "answer": {"type": "object"}}}),
        "/api/kinds": {"get": {"summary": "The problem kinds and their fields", "responses": {"200": {
            "description": "the kinds", "content": {"application/json": {"schema": {"type": "array", "items": {
                "type": "object", "properties": {"name": {"type": "string"}, "topic": {"type": "string"},
                                                 "summary": {"type": "string"}, "fields": {"type": "array"}}}}}}}}}},
    },
}
