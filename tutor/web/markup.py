"""The Markdown dialect's text (``$...$`` math, ``**bold**``, ``- `` lists, paragraphs) as
HTML, with the math left as ``$...$`` / ``$$...$$`` for KaTeX's auto-render in the browser.

Only what :class:`tutor.rendering.dialects.MarkdownDialect` writes is read; everything is
HTML-escaped first, so no text of a problem or an answer becomes markup, except a block that is
one picture as the canvas writes it (checked element by element, attribute by attribute).
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

from tutor.rendering.canvas import is_picture

_MATH = re.compile(r"(\$\$.*?\$\$|\$[^$]*\$)", re.S)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def _inline(text: str) -> str:
    out = []
    for k, piece in enumerate(_MATH.split(text)):
        if k % 2:  # math: escaped for HTML, read by KaTeX as it is
            out.append(html.escape(piece, quote=False))
        else:
            words = html.escape(piece, quote=False)
            words = _STRONG.sub(r"<strong>\1</strong>", words)
            words = _EM.sub(r"<em>\1</em>", words)
            out.append(_ESCAPED.sub(r"\1", words))
    return "".join(out)


def _blocks(text: str) -> list[str]:
    """Paragraphs split at blank lines, a ``$$`` display kept whole."""
    blocks, current, in_display = [], [], False
    for line in text.splitlines():
        if line.strip() == "$$":
            in_display = not in_display
        if not line.strip() and not in_display:
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def to_html(markdown: str) -> Markup:
    parts = []
    for block in _blocks(markdown):
        stripped = block.strip()
        if stripped.startswith("$$") and stripped.endswith("$$") and stripped.count("$$") == 2:
            parts.append(f'<div class="display">{html.escape(stripped, quote=False)}</div>')
        elif is_picture(stripped):
            parts.append(f'<div class="picture">{stripped}</div>')
        elif all(line.startswith("- ") for line in stripped.splitlines()):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in stripped.splitlines())
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(stripped)}</p>")
    return Markup("\n".join(parts))
