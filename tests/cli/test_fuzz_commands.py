"""Fuzz every command line command and every kind's fields (issue 19): whatever the input,
a run ends with exit code 0, 1 or 2 and at most one line of error, never a traceback or
exit 3, within its time budget; the figures (inputs tried, clean refusals, the slowest
run, the most memory a solving child used) are written to ``$TUTOR_FUZZ_REPORT`` when set.

A fixed budget for CI: derandomized (the same inputs every run), a few hundred runs in
about two minutes on two cores.  Solves run with ``--time-limit 4 --memory-limit 1024``.
"""
from __future__ import annotations

import collections
import csv
import io
import json
import os
import resource
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.cli.test_exit_codes import VALID
from tutor import topics
from tutor.cli.main import main

TIME_LIMIT, MEMORY_MB = 4, 1024
SLACK = 4.0  # fork, a checking worker's start and the answer's own 2 s, on a loaded machine
SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KINDS = sorted(topics.all_kinds())

HOSTILE = ["(a+b+c+d)^{300}", "9^{9^{9^9}}", "(10^{50})^{100} x", "\\frac{1}{0}", "x" * 6000, "{" * 60,
           "[[1, 2], [3]]", "[[(1+\\sqrt{2})^{300}, 1], [1, 2]]", "sin(sin(sin(sin(sin(sin(sin(sin(x))))))))",
           "", " ", "=", "x = 1 = 2", "²", "①", "\u202e", "\x00", "λ", "Poisson(5)", "X^{1000}",
           "e^{x y z}", "\\sqrt{-1}", "0", "-0", "1e400", "nan", "oo", "[[1e-300]]", "\\det", "x'",
           "=HYPERLINK(\"x\")", "9" * 70, "[" * 30 + "]" * 30]
TOML_VALUES = st.one_of(st.integers(-10 ** 20, 10 ** 20), st.floats(allow_nan=True), st.booleans(),
                        st.lists(st.integers(-5, 5), max_size=4),
                        st.lists(st.lists(st.integers(-5, 5), min_size=1, max_size=3), max_size=3),
                        st.dictionaries(st.sampled_from("abxy"), st.integers(-3, 3), max_size=2),
                        st.sampled_from(HOSTILE), st.text(max_size=20))

STATS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
CEILINGS = {"seconds": 0.0, "child_max_rss_mb": 0.0}


def _run(argv: list[str], bound: float) -> int:
    """One in-process run of the command line; asserts the contract and keeps the figures."""
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    stdin, sys.stdin = sys.stdin, io.StringIO("")  # practice reads the student's lines: none
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["--time-limit", str(TIME_LIMIT), "--memory-limit", str(MEMORY_MB), *argv])
        except SystemExit as e:  # argparse's usage errors
            code = e.code
        finally:
            sys.stdin = stdin
    elapsed = time.monotonic() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    CEILINGS["seconds"] = max(CEILINGS["seconds"], elapsed)
    CEILINGS["child_max_rss_mb"] = max(CEILINGS["child_max_rss_mb"], rss)
    STATS[argv[0]][code] += 1
    message = err.getvalue()
    STATS["stopped by the budget"][argv[0]] += "is too big" in message
    assert code in (0, 1, 2), (argv, code, message)
    assert "Traceback" not in message and "internal error" not in message, (argv, message)
    assert elapsed < bound, (argv, elapsed)
    if code == 2:
        assert message.strip().count("\n") <= 1 or message.startswith("usage:"), (argv, message)
    return code


def _argv(kind: str, values: dict[str, object]) -> list[str]:
    """The kind's fields as command-line arguments (positional, flags, options)."""
    spec = topics.get(kind)
    argv: list[str] = []
    for field in spec.fields:
        if field.name not in values:
            continue
        value = values[field.name]
        if field.flag:
            argv += [f"--{field.name.replace('_', '-')}"] if value else []
            continue
        items = value if isinstance(value, list) and field.many else [value]
        texts = [v if isinstance(v, str) else json.dumps(v) for v in items]
        if field.positional:
            argv += ["--", *texts] if any(t.startswith("-") for t in texts) else texts
        else:
            for t in texts:
                argv.append(f"--{field.name.replace('_', '-')}={t}")
    return argv


@st.composite
def kind_inputs(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """A kind and its inputs: valid ones from the examples, some fields replaced or dropped."""
    kind = draw(st.sampled_from(KINDS))
    values = dict(VALID.get(kind, {}))
    for field in topics.get(kind).fields:
        choice = draw(st.integers(0, 5))
        if choice == 0:
            values.pop(field.name, None)
        elif choice == 1:
            values[field.name] = draw(TOML_VALUES)
        elif choice == 2 and isinstance(values.get(field.name), str):
            text = values[field.name]
            cut = draw(st.integers(0, len(text)))
            values[field.name] = text[:cut] + draw(st.sampled_from(HOSTILE[:12] + ["^", "{", "\\"])) + text[cut:]
    return kind, values


@settings(max_examples=120, **SETTINGS)
@given(kind_inputs(), st.sampled_from(["text", "latex", "json", "markdown"]))
@example(("autodiff", {"function": "sin(sin(sin(sin(sin(sin(sin(sin(x))))))))", "at": "x = 1"}), "text")
@example(("inverse", {"matrix": "[[(1+\\sqrt{2})^{300}, 1], [1, (1+\\sqrt{3})^{300}]]"}), "latex")
def test_fuzz_solve(case, fmt):
    """Two runs known to need the budget (autodiff of 8 nested sin, the inverse of surd powers)
    with the drawn ones."""
    kind, values = case
    _run(["solve", kind, *_with_options(_argv(kind, values), "--format", fmt)], TIME_LIMIT + SLACK)


def _with_options(argv: list[str], *options: str) -> list[str]:
    """``options`` added before a ``--`` (after it every word is positional)."""
    at = argv.index("--") if "--" in argv else len(argv)
    return [*argv[:at], *options, *argv[at:]]


@settings(max_examples=60, **SETTINGS)
@given(kind_inputs(), st.sampled_from(HOSTILE + ["x = 2", "(1, 2)", "[[1, 0], [0, 1]]", "1/2"]))
def test_fuzz_check(case, answer):
    kind, values = case
    _run(["check", kind, *_with_options(_argv(kind, values), f"--answer={answer}")], TIME_LIMIT + 2 + SLACK)


@settings(max_examples=30, **SETTINGS)
@given(st.sampled_from(HOSTILE + ["x + 1"]), st.sampled_from(HOSTILE + ["1 + x"]),
       st.sampled_from(["exact", "rounded"]))
def test_fuzz_check_expected(expected, answer, decimals):
    _run(["check", f"--expected={expected}", f"--answer={answer}", "--decimals", decimals], 2 + SLACK)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


@settings(max_examples=14, **SETTINGS)
@given(kind_inputs(), st.lists(st.tuples(st.sampled_from(["1", "2", "0", "²", "x", ""]),
                                         st.sampled_from(HOSTILE + ["x = 2", "(1, 2)"])), max_size=4))
def test_fuzz_sheet_and_grade(tmp_path_factory, case, rows):
    kind, values = case
    d = tmp_path_factory.mktemp("fuzz")
    entries = "".join(f"{k} = {_toml(v)}\n" for k, v in values.items())
    (d / "s.toml").write_text(f'title = "Fuzz α"\n[[problem]]\nkind = "{kind}"\n{entries}'
                              '[[problem]]\nkind = "system"\nequations = ["x = 2"]\n', encoding="utf-8")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["student", "problem", "answer"]] + [["s", p, a] for p, a in rows])
    (d / "a.csv").write_text(buffer.getvalue(), encoding="utf-8", errors="surrogateescape")
    _run(["sheet", str(d / "s.toml"), "-o", str(d / "out"), "--format", "text"], 2 * TIME_LIMIT + SLACK)
    _run(["grade", str(d / "a.csv"), "--sheet", str(d / "s.toml"), "-o", str(d / "g.csv"), "--jobs", "1"],
         2 * TIME_LIMIT + len(rows) * 2 + 2 * SLACK)


@settings(max_examples=16, **SETTINGS)
@given(st.sampled_from(KINDS + ["linear-algebra", "nonsense", ""]), st.integers(-3, 2 ** 64),
       st.integers(-1, 4), st.integers(-1, 3), st.sampled_from(["Exam", "Mid\x01term", "α ≤ β", ""]),
       st.sampled_from(["latex", "moodle", "stack", "qti", "canvas"]))
def test_fuzz_generate_and_exam(tmp_path_factory, topic, seed, count, versions, title, fmt):
    d = tmp_path_factory.mktemp("exam")
    _run(["generate", topic, "--seed", str(seed), "--format", "json"], 60)
    _run(["exam", "--topics", topic, "--seed", str(seed), "--count", str(count), "--versions", str(versions),
          "--title", title, "--format", fmt, "-o", str(d)], 120)


@settings(max_examples=6, **SETTINGS)
@given(st.sampled_from(KINDS + ["calculus", "nonsense"]), st.integers(-3, 10 ** 6), st.integers(-1, 3))
def test_fuzz_practice(topic, seed, count):
    _run(["practice", "--topics", topic, "--seed", str(seed), "--count", str(count)], 60)


def test_fuzz_kinds():
    assert _run(["kinds"], 30) == 0


@pytest.fixture(scope="module", autouse=True)
def report():
    """The figures of this module's runs, for the issue's closing note."""
    yield
    path = os.environ.get("TUTOR_FUZZ_REPORT")
    if path:
        runs = {k: v for k, v in STATS.items() if k != "stopped by the budget"}
        total = sum(sum(c.values()) for c in runs.values())
        refusals = sum(c[2] for c in runs.values())
        with open(path, "w") as f:
            json.dump({"runs": total, "clean_refusals_exit_2": refusals,
                       "by_command": {k: dict(v) for k, v in STATS.items()}, **CEILINGS}, f, indent=2)
