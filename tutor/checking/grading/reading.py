"""Reading a student's text into the pieces an answer type needs, through ``tutor.parse`` only.

``tutor.parse`` reads one expression, equation or matrix (LaTeX or plain, with its
own size limits); this module finds the *structure* around those pieces: top-level
lists ``a, b; c``, brackets, ``or`` between equations, ``λ=3: (1,1)`` labels, words
such as "no solution".  Splitting happens on the raw text at bracket depth 0, so
``\\frac{1}{2}, 3`` is two items and ``f(x, y)`` is one.
"""
from __future__ import annotations

import re
from typing import Sequence

import sympy

from tutor.parsing import text as parse
from tutor.core.errors import ParseError

MAX_CHARS = 4000
MAX_DEPTH = 40
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}
# only what the *structure* needs (minus signs cut sums of vectors, ᵀ marks a column);
# tutor.parse itself reads λ, π, ·, ², √ and the rest
_UNICODE = {"−": "-", "–": "-", "ᵀ": "^T", "∅": "\\emptyset", "\u00a0": " "}
# a row break ``\\`` is matched first and kept, so that ``\\ -5`` is not read as ``\`` + ``\ ``
_SPACING = re.compile(r"\\\\|\\[,;:! ]|\\q?quad\b|\\left\b|\\right\b|\\displaystyle\b|\$|\\\(|\\\)|\\\[|\\\]")


def prepare(text: str) -> str:
    """Bounded, normalized text: unicode minus signs, LaTeX spacing and ``$`` dropped."""
    if not isinstance(text, str):
        raise ParseError("the answer must be text")
    if len(text) > MAX_CHARS:
        raise ParseError(f"the answer is too long ({len(text)} characters, at most {MAX_CHARS})")
    for k, v in _UNICODE.items():
        text = text.replace(k, v)
    text = _SPACING.sub(lambda m: m.group(0) if m.group(0) == "\\\\" else " ", text)
    text = text.strip().rstrip(".").strip()
    depth = 0
    for ch in text:
        depth += ch in _OPEN
        depth -= ch in _CLOSE
        if depth > MAX_DEPTH:
            raise ParseError(f"the answer is nested too deeply (more than {MAX_DEPTH} brackets)")
    if not text:
        raise ParseError("the answer is empty")
    return text


def split_top(text: str, separators: Sequence[str]) -> list[str]:
    """``text`` cut at the separators that sit outside every bracket (longest first)."""
    seps = sorted(separators, key=len, reverse=True)
    parts, depth, start, i = [], 0, 0, 0
    in_env = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("\\begin{", i):
            in_env += 1
        elif text.startswith("\\end{", i):
            in_env -= 1
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif depth == 0 and in_env == 0:
            sep = next((s for s in seps if text.startswith(s, i) and _word_ok(text, i, s)), None)
            if sep is not None:
                parts.append(text[start:i].strip())
                i += len(sep)
                start = i
                continue
        i += 1
    parts.append(text[start:].strip())
    return parts


def _word_ok(text: str, i: int, sep: str) -> bool:
    """A word separator (``or``) only as a whole word; ``\\lor`` not inside ``\\lorem``."""
    if not sep[-1].isalpha():
        return True
    before = text[i - 1] if i else " "
    after = text[i + len(sep)] if i + len(sep) < len(text) else " "
    return not after.isalpha() and (sep[0] == "\\" or not (before.isalpha() or before == "\\"))


def enclosed(text: str) -> tuple[str, str] | None:
    """``(kind, inside)`` when one pair of brackets encloses the whole text:
    kind ``"("``, ``"["`` or ``"{"`` (``\\{ \\}`` and ``\\langle \\rangle`` read as ``{`` and ``(``)."""
    t = text.strip()
    for open_, close, kind in (("\\{", "\\}", "{"), ("\\langle", "\\rangle", "(")):
        if t.startswith(open_) and t.endswith(close):
            inner = t[len(open_):-len(close)]
            if _balanced(inner):
                return kind, inner
    if len(t) >= 2 and t[0] in _OPEN and t[-1] == _OPEN[t[0]] and _balanced(t[1:-1]):
        return t[0], t[1:-1]
    return None


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in _OPEN
        depth -= ch in _CLOSE
        if depth < 0:
            return False
    return depth == 0


_DECIMAL = re.compile(r"(?<![\w.])\d*\.(\d+)")


def decimal_digits(text: str) -> int | None:
    """The fewest digits after the point among the decimals typed (``tutor.parse`` reads
    ``0.33`` as the exact 33/100, so the rounding is only visible in the text)."""
    found = [len(m.group(1)) for m in _DECIMAL.finditer(text)]
    return min(found) if found else None


def expression(text: str) -> sympy.Expr:
    """One scalar expression."""
    return parse.parse_expression(text)


def is_matrix_text(text: str) -> bool:
    t = text.strip()
    return t.startswith("\\begin{") or t.startswith("[[") or t.replace(" ", "").startswith("[[")


def unwrap(text: str) -> str:
    """``(\\begin{pmatrix}..\\end{pmatrix})`` (what ``\\left( .. \\right)`` leaves) -> the matrix."""
    box = enclosed(text)
    while box is not None and box[0] in "([" and box[1].strip().startswith("\\begin{"):
        text = box[1].strip()
        box = enclosed(text)
    return text


_IDENTITY = re.compile(r"^(?:I|\\mathbf\{I\}|\\mathbb\{I\})_(?:(\d)|\{(\d)\})$")
_DIAG = re.compile(r"^(?:\\operatorname\{diag\}|\\text\{diag\}|\\mathrm\{diag\}|diag)\s*(\(.*\))$", re.S)


def matrix(text: str) -> sympy.Matrix:
    """A matrix typed as LaTeX (``pmatrix``, ``bmatrix``), as nested lists ``[[1,2],[3,4]]``
    or as a diagonal matrix ``diag(1, 3)``, or the identity with its size ``I_2``; a label
    in front (``L = ...``, ``A^{-1} = ...``) is dropped."""
    text = value_side(text)
    identity = _IDENTITY.match(text)
    if identity:
        return sympy.eye(int(identity.group(1) or identity.group(2)))
    if text in ("I", "\\mathbb{1}", "\\mathbf{I}"):
        raise ParseError("write the size of the identity matrix, such as I_2")
    diagonal = _DIAG.match(text)
    if diagonal:
        box = enclosed(diagonal.group(1))
        if box is not None:
            return sympy.diag(*(expression(t) for t in split_top(box[1], [","])))
    return sympy.Matrix(parse.parse_matrix(unwrap(text)))


def value_side(text: str) -> str:
    """``L = [[..]]`` -> ``[[..]]``: the last side of a chain of top-level ``=``."""
    return split_top(text, ["="])[-1].strip()


def vector(text: str) -> tuple[sympy.Matrix, str]:
    """A vector and the shape it was typed as: ``"row"``, ``"column"`` or ``"tuple"``.

    ``(1, 2)`` and ``[1, 2]`` are tuples (fit either shape); a matrix literal with one
    row or one column has that shape; ``(1, 2)^T`` is a column.  A label in front
    (``x = ...``, ``\\alpha = ...``) is dropped.
    """
    t = unwrap(value_side(text))
    transposed = False
    for mark in ("^{T}", "^T", "^{\\top}", "^\\top", "'"):
        if t.endswith(mark):
            t, transposed = t[: -len(mark)].strip(), True
            break
    if is_matrix_text(t):
        m = matrix(t)
        if m.rows != 1 and m.cols != 1:
            raise ParseError(f"a vector was expected, not a {m.rows}×{m.cols} matrix")
        if transposed:
            m = m.T
        return (m.T if m.rows == 1 else m), ("row" if m.rows == 1 and m.cols > 1 else "column")
    box = enclosed(t)
    items = split_top(box[1], [",", ";"]) if box else split_top(t, [",", ";"])
    if len(items) < 2 and box is None:
        raise ParseError(f"a vector was expected, such as (1, 2): could not read {text!r}")
    entries = [expression(i) for i in items]
    return sympy.Matrix(entries), ("column" if transposed else "tuple")


def items(text: str) -> tuple[str, list[str]]:
    """A list or set: ``("ordered" | "set", item texts)``; a bare ``a, b`` is ordered."""
    box = enclosed(text)
    if box is not None:
        kind, inner = box
        return ("set" if kind == "{" and text.strip().startswith("\\{") or
                kind == "{" and "," in inner else "ordered"), split_top(inner, [","])
    return "ordered", split_top(text, [",", ";"])


_NONE_WORDS = re.compile(r"^(no( real)? solutions?|none|no|not solvable|inconsistent|"
                         r"empty( set)?|\\emptyset|\\varnothing|\{\s*\}|\\\{\s*\\\})$", re.I)


def says_none(text: str) -> bool:
    """The student claims that there is nothing (no solution, empty set, does not exist)."""
    t = " ".join(text.lower().replace("does not exist", "none").split())
    t = re.sub(r"^(x|s|l|the solution set)\s*=\s*", "", t)
    return bool(_NONE_WORDS.match(t)) or t in {"there is no solution", "no inverse",
                                              "not invertible", "singular"}


_YES = {"yes", "true", "y", "t", "1", "correct", "\\top"}
_NO = {"no", "false", "n", "f", "0", "\\bot"}


_DEPENDENT = re.compile(r"^(not (linearly )?independent|(linearly )?dependent)\b")
_INDEPENDENT = re.compile(r"^(linearly )?independent\b")


def boolean(text: str) -> bool:
    """yes/no, true/false; for the independence questions also (linearly) (in)dependent."""
    t = text.strip().lower().rstrip("!.")
    if _DEPENDENT.match(t):
        return False
    if _INDEPENDENT.match(t):
        return True
    first = t.split()[0].rstrip(",;:") if t.split() else ""
    if first in _YES:
        return True
    if first in _NO:
        return False
    raise ParseError(f"expected yes or no, not {text!r}")
