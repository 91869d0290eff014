"""A class's answer file read as Excel writes it, and ``graded.csv`` safe to open.

Reading: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8" starts with one),
comma-, semicolon- or tab-separated (Excel writes ``;`` where the decimal mark is a
comma), header names matched without case or surrounding spaces; row by row, so a
class is never held in memory.  A row that cannot be read as it is (an invalid UTF-8
byte, a NUL, a broken quote) is still a :class:`Row`, with its ``defect``, and gets an
output row with a status: one bad cell never costs the other rows.

Writing: every cell goes through :func:`cell`.  A cell that a spreadsheet would run as
a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; OWASP's
list) gets a leading ``'``, and so does one that starts with ``'`` itself: the raw text
is always the cell without its first character when that is a ``'``.  Control and
bidirectional characters (``U+202E`` turns ``yes`` into ``sey``) are written as visible
``\\u202e`` escapes, and long echoes are cut with a note of their full length.
"""
from __future__ import annotations

import contextlib
import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from tutor.core import atomic
from tutor.core.errors import TutorError

IN_COLUMNS = ("student", "problem", "answer")
OUT_COLUMNS = ("student", "problem", "status", "correct", "score", "feedback", "parsed", "answer")
MAX_ROWS = 200_000
MAX_FILE_BYTES = 256 * 1024 ** 2
_DELIMITERS = (",", ";", "\t")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
# C0 and C1 controls (tab kept), and the bidirectional marks, embeddings, overrides and isolates
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BAD_BYTES = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of invalid UTF-8


@dataclass(frozen=True)
class Row:
    """One input row: its cells (``""`` when missing) and why it cannot be graded, if so."""

    line: int
    student: str = ""
    problem: str = ""
    answer: str = ""
    defect: str = ""


def visible(text: str) -> str:
    """Control and bidirectional characters as ``\\uXXXX``, so that what is shown is what was typed."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, with the full length said when cut."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def cell(text: str, limit: int | None = None) -> str:
    """A cell safe to open in a spreadsheet (see the module's docstring)."""
    text = visible(text if limit is None else cut(text, limit))
    return "'" + text if text.startswith(_FORMULA_START) else text


@contextlib.contextmanager
def answer_rows(path: Path, max_rows: int = MAX_ROWS) -> Iterator[Iterator[Row]]:
    """The rows of an answer file, read lazily, at most ``max_rows`` of them (a cluster takes
    more than one machine); a file without the needed columns is refused."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TutorError(f"{path} is larger than {MAX_FILE_BYTES // 1024 ** 2} MB")
        f = path.open(newline="", encoding="utf-8-sig", errors="surrogateescape")
    except OSError as e:
        raise TutorError(f"cannot read {path}: {e.strerror}") from None
    with f:
        header = f.readline()
        delimiter = max(_DELIMITERS, key=header.count)
        f.seek(0)  # the decoder starts again, and drops the byte-order mark again
        csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
        reader = csv.reader(f, delimiter=delimiter)
        try:
            names = [_repair(n).strip().lower() for n in next(reader, [])]
        except csv.Error as e:
            raise TutorError(f"{path}: the header cannot be read: {e}") from None
        missing = [c for c in IN_COLUMNS if c not in names]
        if missing:
            raise TutorError(f"{path}: missing column(s) {', '.join(missing)} "
                             f"(expected {', '.join(IN_COLUMNS)})")
        yield _rows(reader, [names.index(c) for c in IN_COLUMNS], path, max_rows)


def _rows(reader: Any, columns: list[int], path: Path, max_rows: int) -> Iterator[Row]:
    count = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield Row(reader.line_num, defect=f"the row cannot be read as CSV ({e})")
            continue
        count += 1
        if count > max_rows:
            raise TutorError(f"{path}: more than {max_rows} rows")
        if not fields:  # a blank line
            continue
        cells = [fields[i] if i < len(fields) else "" for i in columns]
        bad = any(_BAD_BYTES.search(c) for c in cells)
        yield Row(reader.line_num, *map(_repair, cells),
                  defect="the row is not valid UTF-8 (save the file as CSV UTF-8)" if bad else "")


def _repair(text: str) -> str:
    """Invalid UTF-8 bytes as U+FFFD, as every reader shows them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@contextlib.contextmanager
def graded_writer(path: Path) -> Iterator[Callable[[dict[str, str]], None]]:
    """A function that writes one output row (cells made safe by the caller), streamed to a
    private temporary file that becomes ``path`` at the end."""
    with atomic.replacing(path) as f:
        writer = csv.DictWriter(f, OUT_COLUMNS)
        writer.writeheader()
        yield writer.writerow
