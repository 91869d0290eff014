"""Answers with named parts: ``P = [[..]], D = [[..]]``, ``mean = 1/2, variance = 1/12``.

Parts are cut at top-level ``,``/``;``/``and``; a part ``name = value`` (or
``name: value``) is named, a bare part takes the next unused name in order.
Names are matched case-insensitively after aliases (``\\Sigma`` -> ``S``, ``μ`` ->
``mean``), and ``V^T = ...`` gives ``V`` transposed.
"""
from __future__ import annotations

from typing import Callable, Sequence

from tutor.checking.grading import reading

_STRIP = ("\\mathbf", "\\boldsymbol", "\\mathrm", "\\text", "\\operatorname", "\\mathbb")


def _name(label: str) -> tuple[str, bool]:
    t = label.strip()
    for s in _STRIP:
        t = t.replace(s, "")
    t = t.replace("{", "").replace("}", "").replace("\\", "").replace(" ", "")
    transposed = False
    for mark in ("^T", "^top", "'"):
        if t.endswith(mark):
            t, transposed = t[: -len(mark)], True
    return t.lower(), transposed


def read_parts(text: str, names: Sequence[str], aliases: dict[str, str] | None = None,
               separators: Sequence[str] = (",", ";", " and ", "\n"),
               resolve: Callable[[str], str | None] | None = None) -> dict[str, tuple[str, bool]]:
    """``{name: (value text, transposed)}`` for the expected ``names``; ``resolve`` maps a
    raw label to a name when the aliases are not enough (``\\frac{\\partial L}{\\partial W}``)."""
    aliases = {k.lower(): v for k, v in (aliases or {}).items()}
    known = {n.lower(): n for n in names}
    out: dict[str, tuple[str, bool]] = {}
    for part in reading.split_top(text, separators):
        if not part:
            continue
        pieces = reading.split_top(part, ["="]) if "=" in part else reading.split_top(part, [":"])
        if len(pieces) >= 2:
            key, transposed = _name(pieces[0])
            key = aliases.get(key, key)
            if key not in known and resolve is not None:
                key = (resolve(pieces[0]) or key).lower()
            if key not in known:
                raise reading.ParseError(f"unknown part {pieces[0].strip()!r}: expected "
                                         f"{', '.join(names)}")
            out[known[key]] = (pieces[-1], transposed)
        else:
            free = next((n for n in names if n not in out), None)
            if free is None:
                raise reading.ParseError(f"too many parts: expected {', '.join(names)}")
            out[free] = (part, False)
    return out


def read_matrices(text: str, names: Sequence[str], aliases: dict[str, str] | None = None,
                  reader: Callable[[str], object] = reading.matrix) -> dict[str, object]:
    out = {}
    for name, (value, transposed) in read_parts(text, names, aliases).items():
        m = reader(value)
        out[name] = m.T if transposed else m  # type: ignore[attr-defined]
    missing = [n for n in names if n not in out]
    if missing:
        raise reading.ParseError(f"missing: {', '.join(missing)}")
    return out
