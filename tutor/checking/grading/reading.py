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


_WORD_IN_TEXT = re.compile(r"\\(?:text|mathrm|textrm|mbox)\s*\{\s*(or|and)\s*\}")


def prepare(text: str) -> str:
    """Bounded, normalized text: unicode minus signs, LaTeX spacing and ``$`` dropped."""
    if not isinstance(text, str):
        raise ParseError("the answer must be text")
    if len(text) > MAX_CHARS:
        raise ParseError(f"the answer is too long ({len(text)} characters, at most {MAX_CHARS})")
    for k, v in _UNICODE.items():
        text = text.replace(k, v)
    text = _WORD_IN_TEXT.sub(lambda m: f" {m.group(1)} ", text)  # x = 2 \text{ or } x = -2
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
    return t.startswith("\\begin{") or t.replace(" ", "").startswith("[[") or scaled(t)[0] != 1


def unwrap(text: str) -> str:
    """``(\\begin{pmatrix}..\\end{pmatrix})`` (what ``\\left( .. \\right)`` leaves) -> the matrix."""
    box = enclosed(text)
    while box is not None and box[0] in "([" and box[1].strip().startswith("\\begin{"):
        text = box[1].strip()
        box = enclosed(text)
    return text


_IDENTITY = re.compile(r"^(?:I|\\mathbf\{I\}|\\mathbb\{I\})_(?:(\d)|\{(\d)\})$")
_DIAG = re.compile(r"^(?:\\operatorname\{diag\}|\\text\{diag\}|\\mathrm\{diag\}|diag)\s*(\(.*\))$", re.S)


_LITERAL = re.compile(r"(\\begin\{[pbBv]?matrix\}.*\\end\{[pbBv]?matrix\}|\[\s*\[.*\]\s*\])\s*$", re.S)


def scaled(text: str) -> tuple[sympy.Expr, str]:
    """``-\\frac12\\begin{pmatrix}..\\end{pmatrix}``, ``\\frac59 (..)``-style scalar times a matrix
    literal, as (scalar, literal); a bare literal is (1, literal).  The scalar is read by
    ``tutor.parse`` like any expression."""
    t = text.strip()
    m = _LITERAL.search(t)
    prefix = t[:m.start()].strip() if m else ""
    if not m or not prefix or "\\begin" in prefix or prefix.endswith(("=", ",")):
        return sympy.S.One, text
    prefix = re.sub(r"(\\cdot|\*|\\times)$", "", prefix).strip()
    factor = sympy.S.NegativeOne if prefix == "-" else expression(prefix + ("1" if prefix.endswith("-") else ""))
    return factor, m.group(1)


_LIT_START = re.compile(r"\\begin\{([pbBv]?matrix)\}|\[\s*\[")
_POSTFIX = re.compile(r"\s*\^\s*(?:\{\s*(T|\\top|-\s*1|\d+)\s*\}|(T|\\top|-1|\d))")
_MAX_MATRIX_POWER = 9


def _literal_end(text: str, i: int) -> int:
    """The end of the matrix literal that starts at ``i``."""
    env = _LIT_START.match(text, i).group(1)
    if env:
        end = text.find(f"\\end{{{env}}}", i)
        if end < 0:
            raise ParseError(f"missing \\end{{{env}}}")
        return end + len(f"\\end{{{env}}}")
    depth = 0
    for j in range(i, len(text)):
        depth += text[j] == "["
        depth -= text[j] == "]"
        if depth == 0:
            return j + 1
    raise ParseError("missing ']' in a matrix")


def _postfix(m: sympy.Matrix, op: str) -> sympy.Matrix:
    op = op.replace(" ", "")
    if op in ("T", "\\top"):
        return m.T
    if not m.is_square:
        raise ParseError(f"a power of a {m.rows}×{m.cols} matrix: only square matrices have powers")
    if op == "-1":
        if m.det() == 0:
            raise ParseError("the inverse of a singular matrix does not exist")
        return m.inv()
    if int(op) > _MAX_MATRIX_POWER:
        raise ParseError(f"matrix powers up to {_MAX_MATRIX_POWER} are computed; type the value")
    return m ** int(op)


def matrix_arithmetic(text: str) -> sympy.Matrix | None:
    """Sums, differences and products of matrix literals with scalar factors, transposes,
    inverses and small powers: ``[[1,2],[3,4]]^T``, ``A^{-1}`` written out, ``2[[1,0],[0,1]] -
    \\begin{pmatrix}..\\end{pmatrix}``.  None when the text is one bare literal (or none)."""
    terms: list[tuple[int, list]] = []
    sign, factors, scalar, depth, i, literals, extra = 1, [], "", 0, 0, 0, False
    while i < len(text):
        lit = _LIT_START.match(text, i) if depth == 0 else None
        if lit:
            if scalar.strip() and re.sub(r"\\cdot|\\times|\*", "", scalar).strip():
                factors.append(expression(re.sub(r"(\\cdot|\\times|\*)\s*$", "", scalar.strip())))
            scalar = ""
            j = _literal_end(text, i)
            m = sympy.Matrix(parse.parse_matrix(text[i:j]))
            literals += 1
            post = _POSTFIX.match(text, j)
            while post:
                m, j, extra = _postfix(m, post.group(1) or post.group(2)), post.end(), True
                post = _POSTFIX.match(text, j)
            factors.append(m)
            i = j
            continue
        ch = text[i]
        depth += ch in "({"
        depth -= ch in ")}"
        if ch in "+-" and depth == 0 and not scalar.strip():
            if factors:  # the end of a term
                terms.append((sign, factors))
                sign, factors, extra = 1, [], True
            sign *= 1 if ch == "+" else -1
            i += 1
            continue
        scalar += ch
        i += 1
    tail = re.sub(r"^\s*(\\cdot|\\times|\*)", "", scalar).strip()
    if tail:
        if not factors:
            return None  # not a product ending in a scalar: not this form
        factors.append(expression(tail))  # [[..]]^T \cdot \frac{-1}{2}
        extra = True
    if factors:
        terms.append((sign, factors))
    if literals == 0 or not (extra or literals > 1):
        return None
    total = None
    for sgn, fs in terms:
        value = sympy.S.One * sgn
        for f in fs:
            if isinstance(f, sympy.MatrixBase) and isinstance(value, sympy.MatrixBase) and value.cols != f.rows:
                raise ParseError(f"a {value.rows}×{value.cols} matrix times a {f.rows}×{f.cols} matrix")
            value = value * f
        if not isinstance(value, sympy.MatrixBase):
            return None
        if total is not None and total.shape != value.shape:
            raise ParseError("matrices of different sizes are added")
        total = value if total is None else total + value
    return total


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
    computed = matrix_arithmetic(unwrap(text))
    if computed is not None:
        return computed
    factor, literal = scaled(text)
    return factor * sympy.Matrix(parse.parse_matrix(unwrap(literal)))


def value_side(text: str) -> str:
    """``L = [[..]]`` -> ``[[..]]``: the last side of a chain of top-level ``=``."""
    return split_top(text, ["="])[-1].strip()


def vector(text: str) -> tuple[sympy.Matrix, str]:
    """A vector and the shape it was typed as: ``"row"``, ``"column"`` or ``"tuple"``.

    ``(1, 2)`` and ``[1, 2]`` are tuples (fit either shape); a matrix literal with one
    row or one column has that shape; ``(1, 2)^T`` is a column.  A label in front
    (``x = ...``, ``\\alpha = ...``) is dropped.
    """
    factor, t = scaled(unwrap(value_side(text)))
    if factor != 1:
        v, shape = vector(t)
        return factor * v, shape
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


_WORD = re.compile(r"^\s*(\\?[a-z]+|[01])\s*(?:$|[,;:]|\s)(.*)$", re.S)


def boolean(text: str) -> bool:
    """yes/no, true/false; for the independence questions also (linearly) (in)dependent."""
    return boolean_and_rest(text)[0]


def boolean_and_rest(text: str) -> tuple[bool, str]:
    """The yes/no and what follows it (``no, 2v_1 - v_2 = 0`` -> False, ``2v_1 - v_2 = 0``).

    A bare ``1``/``0`` is yes/no only as the whole answer: ``0: 1/2, 1: 1/2`` (a
    distribution) is not an answer to a yes/no question and is refused, not read as "no"."""
    original = text.strip().rstrip("!.")
    t = original.lower()  # the matched prefixes are ASCII: their positions hold in ``original``
    for pattern, value in ((_DEPENDENT, False), (_INDEPENDENT, True)):
        m = pattern.match(t)
        if m:
            return value, original[m.end():].lstrip(" ,;:")
    m = _WORD.match(t)
    if m and (m.group(1) not in "01" or not m.group(2).strip()):
        rest = original[m.start(2):].strip()
        if m.group(1) in _YES:
            return True, rest
        if m.group(1) in _NO:
            return False, rest
    raise ParseError(f"expected yes or no (then, if you like, a reason), not {text[:60]!r}")
