"""Shared fixtures: the example sheets every kind contributes to."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

import tutor

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@functools.cache
def example_solutions(path: Path) -> list[tutor.Solution]:
    return tutor.solve_sheet(tutor.load_sheet(path))


@pytest.fixture(params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example_sheet(request: pytest.FixtureRequest) -> Path:
    return request.param
