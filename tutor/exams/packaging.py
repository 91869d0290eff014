"""What the QTI 2.1 and the Canvas (QTI 1.2) packages share: a reproducible zip, the points of a
question split over its blanks, figures as files, the order of a choice's options, and the
XML documents' elements.

The blanks themselves are :func:`tutor.exams.moodle.form`'s (one per number, one per choice), so
the three LMS exports ask for the same numbers with the same tolerances.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Iterator, Mapping

from tutor.core import atomic
from tutor.exams.moodle import Blank, Form, Part


XSI = "http://www.w3.org/2001/XMLSchema-instance"


def document(tag: str, namespace: str, schema: str, **attrs: str) -> ET.Element:
    """A document element with its namespace and schema location as attributes (ElementTree's
    prefix registry is global; the Moodle and Canvas exports need other default namespaces)."""
    return ET.Element(tag, {"xmlns": namespace, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{namespace} {schema}",
                            **attrs})


def xml_text(element: ET.Element) -> str:
    """The document, indented, with its XML declaration."""
    ET.indent(element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode") + "\n"


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element with its text and attributes."""
    el = ET.SubElement(parent, tag, attrs)
    el.text = text
    return el


def manifest(namespace: str, schema: str, identifier: str, kind: str, version: str
             ) -> tuple[ET.Element, ET.Element]:
    """An IMS Content Packaging manifest with its metadata (``kind``, ``version``) and an empty
    organization: the manifest and its ``resources`` element, to be filled."""
    root = document("manifest", namespace, schema, identifier=identifier)
    metadata = sub(root, "metadata")
    sub(metadata, "schema", kind)
    sub(metadata, "schemaversion", version)
    sub(root, "organizations")
    return root, sub(root, "resources")

#: every entry of a package gets this date, so the same seed gives the same bytes
_EPOCH = (1980, 1, 1, 0, 0, 0)

#: a picture as :func:`tutor.exams.moodle.html` passes it through (an SVG of tutor's canvas)
_PICTURE = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', re.S)


def zip_bytes(files: Mapping[str, str | bytes]) -> bytes:
    """A zip of ``files`` (name -> text or bytes; a name ending in ``/`` is a folder) in the
    given order, with fixed dates and modes: the same files give the same bytes."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 if name.endswith("/") else 0o100644) << 16
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def write_zip(path: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write a package atomically (never through a planted symlink), like every exam output."""
    with atomic.replacing(path, binary=True) as f:
        f.write(zip_bytes(files))
    return path


def shares(points: int, n: int) -> tuple[Decimal, ...]:
    """``points`` split over ``n`` blanks in hundredths that add up to exactly ``points``
    (10 over 3: 3.34, 3.33, 3.33): an LMS that sums the blanks gives the question's points."""
    cents = points * 100
    return tuple(Decimal(cents // n + (k < cents % n)) / 100 for k in range(n))


@dataclass(frozen=True)
class Place:
    """One blank of a form, where it sits: its part and its row and column there (from 1)."""

    part: Part
    row: int
    column: int
    blank: Blank

    @property
    def shape(self) -> str:
        """``single`` (one number), ``row`` (a row vector) or ``grid`` (a matrix)."""
        rows = self.part.rows
        return "single" if len(rows) == 1 and len(rows[0]) == 1 else "row" if len(rows) == 1 else "grid"


def places(f: Form) -> Iterator[Place]:
    """Every blank of a form, in reading order (part by part, row by row)."""
    for part in f.parts:
        for i, row in enumerate(part.rows, start=1):
            for j, blank in enumerate(row, start=1):
                yield Place(part, i, j, blank)


def options(blank: Blank) -> tuple[str, ...]:
    """A choice's options in alphabetical order: the Cloze lists the right one first, which an
    LMS that shows the order as written would give away."""
    return tuple(sorted(blank.choices))


def figures(html: str, stem: str, href: str = "") -> tuple[str, dict[str, str]]:
    """Each picture of ``html`` as a file ``stem-k.svg`` shown by an ``<img src="href + name">``
    (QTI's XHTML has no inline SVG; Canvas strips it); the caller places the files."""
    files: dict[str, str] = {}

    def picture(match: re.Match[str]) -> str:
        name = f"{stem}-{len(files) + 1}.svg"
        files[name] = match.group(0)
        return f'<p><img src="{href}{name}" alt="figure {len(files)}"/></p>'

    return _PICTURE.sub(picture, html), files


__all__ = ["zip_bytes", "write_zip", "shares", "Place", "places", "options", "figures"]
