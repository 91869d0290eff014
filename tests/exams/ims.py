"""The IMS schemas of tests/data/ims (see its README) and the packages' files, for the QTI and
Canvas export tests."""
from __future__ import annotations

import functools
import zipfile
from io import BytesIO
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "ims"


@functools.cache
def schema(relative: str, namespace: str | None = None) -> etree.XMLSchema:
    """An XSD of tests/data/ims; ``namespace``: the same schema bound to another namespace (Canvas
    writes IMS CP 1.1 in its Common Cartridge namespace, with imscp_v1p1.xsd as its location)."""
    path = SCHEMAS / relative
    if namespace is None:
        return etree.XMLSchema(etree.parse(str(path)))
    text = path.read_text(encoding="utf-8")
    original = etree.parse(str(path)).getroot().get("targetNamespace")
    retargeted = text.replace(f'"{original}"', f'"{namespace}"')
    return etree.XMLSchema(etree.fromstring(retargeted.encode("utf-8"), base_url=str(path)))


def validate(xsd: etree.XMLSchema, text: str | bytes, name: str) -> etree._Element:
    document = etree.fromstring(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert xsd.validate(document), f"{name}: {xsd.error_log.last_error}"
    return document


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}
