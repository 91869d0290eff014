"""TOML sheets: a title and a list of problems, each a kind and its inputs.

```toml
title = "Lecture 1"
subtitle = "Systems of linear equations"

[[problem]]
kind = "system"
title = "Two equations"          # optional
equations = ["3x + y = 9", "4x - 2y = 5"]
```
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor import topics
from tutor.core.errors import TutorError
from tutor.core.steps import Problem

MAX_SHEET_BYTES = 1_000_000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    subtitle: str
    problems: tuple[Problem, ...]
    titles: tuple[str, ...]


def read_toml(path: Path, what: str, max_bytes: int) -> dict[str, Any]:
    """A user's TOML file (a sheet, an exam spec), bounded in size; every failure is one
    TutorError that names the file as ``what`` ("sheet", "exam spec")."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise TutorError(f"cannot read {what} {path}: {e.strerror}") from None
    if len(raw) > max_bytes:
        raise TutorError(f"{what} {path} is larger than {max_bytes} bytes")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise TutorError(f"{what} {path} is not valid TOML: {e}") from None


def load_sheet(path: str | Path) -> Sheet:
    """Read and validate a sheet; every problem is parsed now, so errors name their problem."""
    path = Path(path)
    return sheet_from_mapping(read_toml(path, "sheet", MAX_SHEET_BYTES), name=path.stem)


def sheet_from_mapping(data: dict[str, Any], *, name: str) -> Sheet:
    entries = data.get("problem", [])
    if not isinstance(entries, list) or not entries:
        raise TutorError(f"sheet {name}: no [[problem]] entries")
    if len(entries) > MAX_PROBLEMS:
        raise TutorError(f"sheet {name}: {len(entries)} problems; at most {MAX_PROBLEMS}")
    problems, titles = [], []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "kind" not in entry:
            raise TutorError(f"sheet {name}, problem {number}: needs a 'kind'")
        inputs = {k: v for k, v in entry.items() if k not in ("kind", "title")}
        try:
            problems.append(topics.get(str(entry["kind"])).make(inputs))
        except TutorError as e:
            raise TutorError(f"sheet {name}, problem {number}: {e}") from None
        titles.append(str(entry.get("title", "")))
    return Sheet(name, str(data.get("title", name)), str(data.get("subtitle", "")),
                 tuple(problems), tuple(titles))
