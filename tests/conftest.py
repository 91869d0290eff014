"""Shared fixtures and helpers: the example sheets every kind contributes to, and
:func:`solved`, the solve-check-render round every topic's tests start from."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import settings

import tutor
from tutor.rendering.render import render_solution

ROOT = Path(__file__).resolve().parent.parent
# the same examples on every run: a property test may not pass on one machine and fail on CI
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.load_profile("deterministic")

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def solved(kind: str, **inputs) -> tutor.Solution:
    """``tutor.solve(kind, **inputs)`` with every step checked and every output format rendered."""
    sol = tutor.solve(kind, **inputs)
    assert all(s.check() for s in sol.walk()), [s.rule for s in sol.walk() if not s.check()]
    for fmt in ("text", "markdown", "latex", "json"):
        assert render_solution(sol, fmt)
    return sol


@functools.cache
def example_solutions(path: Path) -> list[tutor.Solution]:
    return tutor.solve_sheet(tutor.load_sheet(path))


@pytest.fixture(params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example_sheet(request: pytest.FixtureRequest) -> Path:
    return request.param


def widest_overfull_line(log_path: Path) -> float:
    """How far (pt) the widest line of a compiled document runs past the margin; 0 if none."""
    text = log_path.read_text(errors="replace")
    return max((float(pt) for pt in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide", text)), default=0.0)
