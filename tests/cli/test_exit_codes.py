"""Exit code 2, one line, where the user's input is at fault (issue 19, item 10): a TOML or
API value of the wrong type for any field of any kind, an ASCII-only output encoding."""
from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tomllib
from fractions import Fraction

import pytest

from tests.conftest import ROOT
from tutor import topics
from tutor.core.errors import TutorError

#: a value of every TOML type, and shapes that trip readers of lists
WRONG_TYPES = [5, 2.5, -1, 0, 10 ** 30, float("inf"), float("nan"), True, "", "x", {"a": 1}, {1: 2},
               [], [[]], [1, 2], [[1, 2], [3]], [[1, 2], [3, 4]], ["x", 3], [True], [{"a": 1}],
               [[{"a": 1}]], datetime.date(2020, 1, 1), datetime.time(1, 2), [datetime.date(2020, 1, 1)],
               Fraction(1, 3)]


def _valid_inputs() -> dict[str, dict]:
    """One valid set of inputs per kind, from the example sheets (else empty)."""
    found: dict[str, dict] = {}
    for path in sorted((ROOT / "examples").rglob("*.toml")):
        for entry in tomllib.loads(path.read_text()).get("problem", []):
            if isinstance(entry, dict) and "kind" in entry:
                found.setdefault(entry["kind"], {k: v for k, v in entry.items() if k not in ("kind", "title")})
    return found


VALID = _valid_inputs()


@pytest.mark.parametrize("kind", sorted(topics.all_kinds()))
def test_a_value_of_the_wrong_type_is_a_clear_refusal(kind):
    """Every field of the kind, given each wrong type in otherwise valid inputs: a problem or
    a TutorError, never another exception (backprop's W1 = 5 was a TypeError, exit 3)."""
    spec = topics.get(kind)
    for field in spec.fields:
        for value in WRONG_TYPES:
            try:
                spec.make(dict(VALID.get(kind, {}), **{field.name: value}))
            except (TutorError, RecursionError):
                pass


def test_every_kind_has_valid_inputs_to_vary():
    assert sorted(set(topics.all_kinds()) - set(VALID)) == []


def test_an_ascii_only_output_is_written_with_escapes():
    done = subprocess.run([sys.executable, "-m", "tutor", "solve", "eigen", "[[2, 1], [1, 2]]"],
                          env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="ascii"),
                          capture_output=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert b"\\u" in done.stdout and done.stdout.isascii()
