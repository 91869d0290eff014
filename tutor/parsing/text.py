"""Untrusted text -> sympy objects, safely and within limits.

Safety: no text ever reaches ``eval``/``exec``/``sympify``/``parse_expr``.
A small tokenizer and a recursive-descent parser build sympy objects with
sympy's constructors (``Integer``, ``Rational``, ``Symbol``, ``Add``, ``Mul``,
``Pow`` and an allowlist of functions).

Two input languages, one grammar
--------------------------------
Text containing a backslash, ``{``, ``}`` or ``&`` is read as LaTeX, anything
else as plain text.  Both are tokenized into the same token stream and parsed
by the same grammar, so the same mathematics gives the same sympy object
(``\\frac{1}{2}x_{1}`` and ``1/2 x_1`` are both ``Rational(1, 2)*Symbol('x_1')``).

Why not latex2sympy2_extended: measured here, its parse time grows
exponentially with nesting (4 levels of ``[(`` 0.2-1.1 s, 20 nested braces
about 2 s, 30 nested braces more than 100 s), it computes while parsing
(``\\binom``, ``vmatrix``, mixed numbers ``2\\frac12`` -> 5/2), reads ``\\log``
as base 10, ``(1,2)`` as an interval and ``1,2,2`` as a set.  The parser here is
linear in the input, rejects what it does not know with a one-line message,
and needs no global state.

Policies (what a student's text means)
--------------------------------------
* Implicit multiplication: ``3x``, ``2(x+1)``, ``x y``, ``\\frac{1}{2}x``,
  ``x^2\\frac{1}{2}``; a number before a numeric fraction (``2\\frac{1}{2}``: a mixed
  number or a product?) is refused.  A run of letters that is not a
  known word is split into single letters: ``xy`` -> x*y, ``2xy`` -> 2*x*y.
  Known words (function names, greek letter names, ``pi``, ``oo``, ``inf``,
  ``infinity``) are taken longest-first, so ``theta`` and ``sqrtx`` work.
  A run of two or more letters directly followed by ``(`` that does not end
  in a known function is rejected (``det(A)`` -> "unknown function 'det'").
  A number can not follow another factor without an operator (``2 3``,
  ``x2`` and ``(x+1)2`` are rejected: ambiguous).
* Implicit multiplication binds like ``*`` and ``/`` (left to right):
  ``2/3x`` = (2/3)*x, ``1/2x`` = x/2 (the student reading).
  ``-x^2`` = -(x^2); ``2^3^2`` = 2^(3^2) (right associative).
* A function without parentheses takes the following product of factors up
  to the next ``+ - * / =`` or function name: ``\\sin 2x`` = sin(2x),
  ``\\sin x \\cos x`` = sin(x)*cos(x), ``\\ln x + 1`` = ln(x) + 1.
  ``\\sin^2 x`` = sin(x)^2, ``\\sin^{-1} x`` = asin(x).
* ``e`` is Euler's number, ``i`` the imaginary unit, ``pi``/``π`` is pi,
  ``oo``/``inf``/``infinity``/``∞``/``\\infty`` is infinity.  With a subscript
  they are ordinary names (``e_1``, ``i_2``).  Capital ``E``, ``I`` are names.
  In a matrix or vector whose entries are all different letters (``[[h, i], [j, k]]``)
  a lone ``e`` or ``i`` is a name too; alone among names otherwise it is refused.
* ``log`` and ``\\log`` are natural (MML convention), ``log(x, b)``,
  ``\\log_{b} x`` and ``log_2(x)`` have base b; ``ln`` is natural.
* Subscripts are part of a name: ``x_1``, ``x_{1}`` and ``x_{ 1 }`` are all
  ``Symbol('x_1')``; ``x_{ij}`` and plain ``x_ij`` are ``Symbol('x_ij')``;
  ``x_{\\theta}`` is ``Symbol('x_theta')``.  An unbraced letter subscript in LaTeX
  is one letter (``x_ij`` in LaTeX is x_i*j, as TeX typesets it); an unbraced
  digit subscript is the whole digit run in both languages (``x_12`` is x_12).
  Greek names are spelled out: ``\\lambda``, ``lambda``, ``λ`` are all
  ``Symbol('lambda')``.
* Decimals are exact: ``0.25`` -> 1/4.  No floats are ever produced.
* sympy's automatic evaluation applies (``2\\cdot\\frac12`` -> 1, ``sqrt(8)``
  -> 2*sqrt(2)); Symbols carry no assumptions.
* ``^T``/``^\\top`` transposes a matrix or vector; on a scalar it is rejected.
* The imaginary unit is accepted in algebraic expressions (``1 + 2i``,
  ``|3+4i|``, ``sqrt(-1)``) but not inside exp, log, trigonometric and the
  ML functions, nor in an exponent of e: sympy's automatic evaluation of
  those on complex constants can take seconds.
* ``\\max``/``\\min`` of two or more real arguments (the hinge loss ``\\max(0, 1 - x)``).
* Computed only for literal numbers (else refused): ``\\binom{n}{k}``
  (n <= 1000), ``n!`` (n <= 100).  ``\\sec``, ``\\csc``, ``\\cot`` and their inverses are read;
  ``x^2_i`` is ``x_i^2``; ``x_{i,j}`` and ``a_{n+1}`` are names.
* Refused because they would be misread (``_MISREADINGS``; the message says what to type):
  ``\\frac{d}{dx}``, ``\\frac{dy}{dx}``, ``dy/dx``, ``f(x)``/``p(x)`` (a function, not a
  product), ``E[X]``, a number before a fraction, ``\\mathrm{d}x``, a LaTeX double superscript
  ``x^{a}^{b}``, a function argument running on into a root, fraction or ``e^`` (``\\sin x\\sqrt2``).
* Rejected with a message: commands that compute (``\\det``,
  ``vmatrix``, ``\\sum``, ``\\int``, ``\\operatorname{rank}``, ...), ``!!``,
  inequalities, sets, ``±``, unknown LaTeX commands, a matrix inside an
  expression, division by zero.
"""

from __future__ import annotations

import decimal
import fractions
import math
import numbers
import re
from dataclasses import dataclass

import sympy
from sympy import (
    Abs, Add, E, Eq, I, Integer, Max, Min, Mul, Pow, Rational, Symbol, acos, acot, acsc, asec,
    asin, atan, cos, cosh, cot, csc, exp, log, nan, oo, pi, sec, sin, sinh, tan, tanh, zoo,
)

from tutor.core.errors import ParseError

__all__ = [
    "Limits", "LIMITS", "parse_expression", "parse_equation", "parse_relation",
    "parse_matrix", "parse_vector", "parse_symbols", "parse_assignments",
    "to_expression", "to_matrix", "to_vector", "matrix_field", "vector_field",
]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one parse may cost; each has its own error message."""

    max_length: int = 5000      # characters of input
    max_depth: int = 40         # nesting of ( [ { brackets
    max_digits: int = 60        # digits in one number literal
    max_exponent: int = 1000    # |exponent| of a power of numbers
    max_nodes: int = 2000       # sympy tree size of the result
    max_power_nesting: int = 5  # x^{x^{x^...}} towers
    max_expanded_terms: int = 5000  # terms of the expression multiplied out: (a+b+c+d)^{300}
                                    # has 4.6 million, and a determinant of it ran out of memory


LIMITS = Limits()

# The size (in bits) a number may reach, built from a power or given as a Python int,
# Fraction or sympy number: keeps chains such as (10^60)^1000)^1000 from computing a
# huge integer, and stays under Python's limit for printing an int (4,300 digits, about
# 14,280 bits: (10^{50})^{100} x passed the old 200,000-bit cap and its derivative
# ended in "Exceeds the limit (4300 digits) for integer string conversion", exit 3).
_MAX_POWER_BITS = 14_000
# Nesting of primaries (brackets, fractions, function arguments) in the parser:
# keeps the recursion far from Python's limit.
_MAX_PARSER_NESTING = 120

# ---------------------------------------------------------------------------
# vocabulary

_ONE_ARG = {
    "sqrt": None, "exp": exp, "ln": log, "sin": sin, "cos": cos, "tan": tan,
    "asin": asin, "arcsin": asin, "acos": acos, "arccos": acos, "atan": atan,
    "arctan": atan, "sinh": sinh, "cosh": cosh, "tanh": tanh, "abs": Abs, "Abs": Abs,
    "sec": sec, "csc": csc, "cot": cot, "asec": asec, "arcsec": asec,
    "acsc": acsc, "arccsc": acsc, "acot": acot, "arccot": acot,
    "sigmoid": None, "relu": None, "softplus": None,
}
_FUNCTIONS = set(_ONE_ARG) | {"log", "max", "min"}
_MAX_FACTORIAL = 100   # n! and \\binom{n}{k} of literal integers up to this size are computed
_MAX_BINOMIAL = 1000
_INVERSE_TRIG = {"sin": "asin", "cos": "acos", "tan": "atan", "sec": "asec", "csc": "acsc", "cot": "acot"}
_ARC = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsec": "asec", "arccsc": "acsc",
        "arccot": "acot"}

_GREEK = [
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
    "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho",
    "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi",
    "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
    "Upsilon", "Phi", "Psi", "Omega",
]
_CONST_WORDS = {"pi": pi, "oo": oo, "inf": oo, "infinity": oo}
_WORDS = sorted(set(_FUNCTIONS) | set(_GREEK) | set(_CONST_WORDS), key=len, reverse=True)

_UNICODE_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
    "ϵ": "epsilon", "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta",
    "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi",
    "Π": "Pi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
_UNICODE_OPS = {
    "−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "∙": "*", "÷": "/",
}
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5",
                 "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}
_SPACES = " \t\r\n\u00a0\u2009\u202f\u2002\u2003"

# LaTeX commands
_TEX_SKIP = {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "thinspace",
             "negthinspace", "medspace", "negmedspace", "thickspace", "negthickspace",
             "enspace", "enskip",
             "textstyle", "left", "right", "bigl", "bigr", "Bigl", "Bigr",
             "big", "Big", "biggl", "biggr", "bigg", "Bigg"}
_TEX_OPS = {"cdot": "*", "times": "*", "ast": "*", "div": "/",
            "lvert": "|", "rvert": "|", "vert": "|"}
_TEX_FUNCS = {"sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh",
              "cosh", "tanh", "exp", "ln", "log", "max", "min", "sec", "csc", "cot", "arcsec", "arccsc", "arccot"}
_TEX_COMPUTING = {"choose", "det", "sum", "prod",
                  "int", "iint", "oint", "lim", "partial",
                  "nabla", "gcd", "deg", "dim", "ker", "Pr", "sup", "inf"}
_OPERATOR_NAME_COMMANDS = {"operatorname", "mathrm", "mathit", "rm", "text",
                           "textrm", "mathnormal"}
_COMPUTING_WORDS = {"rank", "det", "tr", "trace", "diag", "span", "dim",
                    "ker", "null", "argmax", "argmin"}
_MATRIX_ENVS = {"matrix", "pmatrix", "bmatrix", "Bmatrix", "smallmatrix"}


def _fail(message: str) -> None:
    raise ParseError(message)


def _snippet(text: str, n: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


# ---------------------------------------------------------------------------
# limits checked before tokenizing


def _check_text(text, limits: Limits) -> str:
    if not isinstance(text, str):
        _fail(f"expected text, got {type(text).__name__}")
    if len(text) > limits.max_length:
        _fail(f"input is {len(text)} characters long; the limit is {limits.max_length}")
    if not text.strip():
        _fail("empty input")
    depth = 0
    for pos, c in enumerate(text):
        if c in "([{":
            depth += 1
            if depth > limits.max_depth:
                _fail(f"brackets nested more than {limits.max_depth} deep at position {pos}")
        elif c in ")]}":
            depth = max(0, depth - 1)
    return text


# ---------------------------------------------------------------------------
# tokens


class _Tok:
    __slots__ = ("kind", "text", "pos", "value")

    def __init__(self, kind, text, pos, value=None):
        self.kind, self.text, self.pos, self.value = kind, text, pos, value

    def __repr__(self):  # pragma: no cover - debugging aid
        return f"_Tok({self.kind!r}, {self.text!r}, {self.pos})"


def _describe(tok: _Tok) -> str:
    if tok.kind == "eof":
        return "end of input"
    return f"'{tok.text}' at position {tok.pos}"


def _atom_for(piece: str, sub: str | None):
    if sub is not None:
        return Symbol(f"{piece}_{sub}")
    if piece == "e":
        return E
    if piece == "i":
        return I
    if piece in _CONST_WORDS:
        return _CONST_WORDS[piece]
    return Symbol(piece)


def _split_letters(run: str) -> list[str]:
    """Greedy longest-first split of a letter run into known words and letters."""
    pieces, k = [], 0
    while k < len(run):
        for w in _WORDS:
            if run.startswith(w, k):
                pieces.append(w)
                k += len(w)
                break
        else:
            pieces.append(run[k])
            k += 1
    return pieces


class _Lexer:
    def __init__(self, text: str, limits: Limits, latex: bool):
        self.s, self.limits, self.latex = text, limits, latex
        self.i = 0
        self.toks: list[_Tok] = []

    def add(self, kind, text, pos, value=None):
        self.toks.append(_Tok(kind, text, pos, value))

    def run(self) -> list[_Tok]:
        s = self.s
        while self.i < len(s):
            c, pos = s[self.i], self.i
            if c in _SPACES:
                self.i += 1
            elif c.isdigit() and c.isascii() or (c == "." and self.i + 1 < len(s) and s[self.i + 1].isdigit()):
                self.number()
            elif (c.isascii() and c.isalpha()) or c in _UNICODE_GREEK:
                self.letters()
            elif c == "\\":
                self.command()
            elif c == "*" and s.startswith("**", self.i):
                self.add("^", "**", pos)
                self.i += 2
            elif c in "+-*/^=,()[]{}|&":
                self.add(c, c, pos)
                self.i += 1
            elif c in _UNICODE_OPS:
                op = _UNICODE_OPS[c]
                self.add(op, c, pos)
                self.i += 1
            elif c in _SUPERSCRIPTS:
                j = self.i
                while j < len(s) and s[j] in _SUPERSCRIPTS:
                    j += 1
                self.add("^", c, pos)
                self.add("num", "".join(_SUPERSCRIPTS[ch] for ch in s[self.i:j]), pos)
                self.i = j
            elif c == "√":
                self.add("func", "sqrt", pos)
                self.i += 1
            elif c == "∞":
                self.add("atom", c, pos, oo)
                self.i += 1
            elif c in "<>≤≥≠":
                _fail(f"inequalities are not accepted ('{c}' at position {pos}); only '=' is")
            elif c in "±∓":
                _fail(f"'{c}' at position {pos} is not accepted; give each value separately")
            elif c == "!":
                self.add("!", c, pos)
                self.i += 1
            else:
                _fail(f"unexpected character '{c}' at position {pos}")
        self.add("eof", "", len(s))
        return self.toks

    def number(self):
        s, start = self.s, self.i
        j = start
        while j < len(s) and s[j].isascii() and s[j].isdigit():
            j += 1
        if j < len(s) and s[j] == "." and j + 1 < len(s) and s[j + 1].isascii() and s[j + 1].isdigit():
            j += 1
            while j < len(s) and s[j].isascii() and s[j].isdigit():
                j += 1
        elif j < len(s) and s[j] == "." and not (j + 1 < len(s) and s[j + 1] == "."):
            j += 1  # "3." is 3
        text = s[start:j]
        if j + 1 < len(s) and s[j] in "eE" and (s[j + 1].isdigit() or (s[j + 1] in "+-" and s[j + 2:j + 3].isdigit())):
            _fail(f"scientific notation at position {start} is not accepted; write {text}*10^...")
        ndigits = sum(ch.isdigit() for ch in text)
        if ndigits > self.limits.max_digits:
            _fail(f"the number at position {start} has {ndigits} digits; "
                  f"the limit is {self.limits.max_digits}")
        self.add("num", text, start)
        self.i = j

    def subscript(self) -> str | None:
        """Reads '_...' at self.i if present; returns the normalized subscript."""
        s = self.s
        if self.i >= len(s) or s[self.i] != "_":
            return None
        pos = self.i
        j = self.i + 1
        while j < len(s) and s[j] in " \t":
            j += 1
        if j < len(s) and s[j] == "{":
            k = s.find("}", j)
            if k < 0:
                _fail(f"missing '}}' after the subscript at position {pos}")
            inner = s[j + 1:k]
            if "{" in inner:
                _fail(f"unsupported subscript at position {pos}")
            norm = self.sub_text(inner, pos)
            self.i = k + 1
            return norm
        if j < len(s) and s[j].isascii() and s[j].isdigit():
            k = j
            while k < len(s) and s[k].isascii() and s[k].isdigit():
                k += 1
            self.i = k
            return s[j:k]
        if j < len(s) and s[j].isascii() and s[j].isalpha():
            k = j + 1
            if not self.latex:
                while k < len(s) and s[k].isascii() and s[k].isalnum():
                    k += 1
            self.i = k
            return s[j:k]
        if j < len(s) and s[j] in _UNICODE_GREEK:
            self.i = j + 1
            return _UNICODE_GREEK[s[j]]
        if j < len(s) and s[j] == "\\":
            k = j + 1
            while k < len(s) and s[k].isascii() and s[k].isalpha():
                k += 1
            name = s[j + 1:k]
            if name in _GREEK or name == "pi":
                self.i = k
                return name
        _fail(f"expected a subscript after '_' at position {pos}")

    def sub_text(self, inner: str, pos: int) -> str:
        out, k = [], 0
        while k < len(inner):
            ch = inner[k]
            if ch in _SPACES:
                k += 1
            elif ch.isascii() and ch.isalnum() or ch in ",+-" and out and k + 1 < len(inner):
                out.append(ch)  # x_{i,j}, a_{n+1}, a_{n-1}: one name each
                k += 1
            elif ch in _UNICODE_GREEK:
                out.append(_UNICODE_GREEK[ch])
                k += 1
            elif ch == "\\" and inner[k + 1:k + 2] in (",", ";", "!", " "):
                k += 2
            elif ch == "\\":
                m = k + 1
                while m < len(inner) and inner[m].isascii() and inner[m].isalpha():
                    m += 1
                name = inner[k + 1:m]
                if name not in _GREEK and name != "pi":
                    _fail(f"unsupported subscript '{{{_snippet(inner, 20)}}}' at position {pos}")
                out.append(name)
                k = m
            else:
                _fail(f"unsupported subscript '{{{_snippet(inner, 20)}}}' at position {pos}")
        if not out:
            _fail(f"empty subscript at position {pos}")
        return "".join(out)

    def letters(self):
        s, start = self.s, self.i
        j = start
        units: list[tuple[str, int, bool]] = []  # (text, pos, is_greek_char)
        while j < len(s) and ((s[j].isascii() and s[j].isalpha()) or s[j] in _UNICODE_GREEK):
            if s[j] in _UNICODE_GREEK:
                units.append((_UNICODE_GREEK[s[j]], j, True))
                j += 1
            else:
                k = j
                while k < len(s) and s[k].isascii() and s[k].isalpha():
                    k += 1
                units.append((s[j:k], j, False))
                j = k
        self.i = j
        pieces: list[tuple[str, int]] = []
        for text, pos, greek in units:
            if greek:
                pieces.append((text, pos))
            else:
                off = 0
                for p in _split_letters(text):
                    pieces.append((p, pos + off))
                    off += len(p)
        run = s[start:j]
        if run.endswith("atan") and re.match(r"2\s*\(", s[j:]):  # not atan(2(y, x)), a "vector" in atan
            _fail(f"atan2 at position {j - 4} is not accepted: write atan(y/x) (the angle when x > 0)")
        if len(run) >= 2 and j < len(s) and s[j] == "(" and pieces[-1][0] not in _FUNCTIONS:
            _fail(f"unknown function '{run}' at position {start}"
                  + ("" if run in _COMPUTING_WORDS else f" (for a product write {'*'.join(run)}(...))"))
        sub = self.subscript()
        for n, (p, pos) in enumerate(pieces):
            last = n == len(pieces) - 1
            self.emit_word(p, pos, sub if last else None)

    def emit_word(self, word: str, pos: int, sub: str | None):
        if word in _FUNCTIONS:
            if sub is not None:
                if word != "log":
                    _fail(f"a subscript on '{word}' at position {pos} is not accepted")
                self.add("func", word, pos, sub)
            else:
                self.add("func", word, pos)
        else:
            self.add("atom", word + ("" if sub is None else "_" + sub), pos, _atom_for(word, sub))

    def command(self):
        s, pos = self.s, self.i
        j = pos + 1
        if j >= len(s):
            _fail(f"a lone backslash at position {pos}")
        if not (s[j].isascii() and s[j].isalpha()):
            c = s[j]
            self.i = j + 1
            if c == "\\":
                self.add("rowsep", "\\\\", pos)
            elif c in ",;:! ":
                pass
            elif c in "{}":
                _fail(f"sets ('\\{c}' at position {pos}) are not accepted")
            elif c == "|":
                _fail(f"norms ('\\|' at position {pos}) are not accepted; type the value")
            else:
                _fail(f"unexpected '\\{c}' at position {pos}")
            return
        k = j
        while k < len(s) and s[k].isascii() and s[k].isalpha():
            k += 1
        name = s[j:k]
        self.i = k
        if name in _TEX_SKIP:
            if name in ("left", "right") or name.startswith(("big", "Big")):
                m = k
                while m < len(s) and s[m] in " \t":
                    m += 1
                if m < len(s) and s[m] == ".":
                    self.i = m + 1
            return
        if name in _TEX_OPS:
            self.add(_TEX_OPS[name], "\\" + name, pos)
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            self.add("frac", "\\" + name, pos)
        elif name in ("binom", "dbinom", "tbinom"):
            self.add("binom", "\\" + name, pos)
        elif name in ("max", "min"):
            self.add("func", name, pos)
        elif name == "sqrt":
            self.add("sqrt", "\\sqrt", pos)
        elif name in _TEX_FUNCS:
            sub = self.subscript()
            if sub is not None and name != "log":
                _fail(f"a subscript on '\\{name}' at position {pos} is not accepted")
            self.add("func", _ARC.get(name, name), pos, sub)
        elif name in _GREEK or name == "pi":
            sub = self.subscript()
            self.add("atom", "\\" + name, pos, _atom_for(name, sub))
        elif name == "infty":
            self.add("atom", "\\infty", pos, oo)
        elif name == "top":
            self.add("top", "\\top", pos)
        elif name in ("begin", "end"):
            env = self.braced_word(pos, name)
            if env in ("vmatrix", "Vmatrix"):
                _fail(f"a determinant ({env}) is not accepted in an answer; type the value")
            if env not in _MATRIX_ENVS:
                _fail(f"the environment '{env}' at position {pos} is not accepted")
            self.add(name, f"\\{name}{{{env}}}", pos, env)
        elif name in _OPERATOR_NAME_COMMANDS:
            word = self.braced_word(pos, name, allow_space=True)
            if name.startswith("text") and word not in _FUNCTIONS:
                _fail(f"'\\{name}' at position {pos} is not accepted")
            if word in _COMPUTING_WORDS:
                _fail(f"\\{name}{{{word}}} is not accepted in an answer; type the value")
            word = _ARC.get(word, word)
            if word in _FUNCTIONS:
                sub = self.subscript()
                if sub is not None and word != "log":
                    _fail(f"a subscript on '{word}' at position {pos} is not accepted")
                self.add("func", word, pos, sub)
            elif len(word) == 1 or word in _GREEK or word in _CONST_WORDS:
                self.emit_word(word, pos, self.subscript())
            else:
                _fail(f"unknown function '{word}' at position {pos}")
        elif name in _TEX_COMPUTING:
            _fail(f"\\{name} is not accepted in an answer; type the value")
        elif name in ("le", "leq", "ge", "geq", "lt", "gt", "neq", "ne", "leqslant", "geqslant"):
            _fail(f"inequalities are not accepted ('\\{name}' at position {pos}); only '=' is")
        elif name in ("pm", "mp"):
            _fail(f"'\\{name}' at position {pos} is not accepted; give each value separately")
        elif name in ("cdots", "dots", "ldots", "vdots", "ddots"):
            _fail(f"'\\{name}' at position {pos} is not accepted; write every entry")
        else:
            _fail(f"unknown LaTeX command '\\{name}' at position {pos}")

    def braced_word(self, pos: int, cmd: str, allow_space: bool = False) -> str:
        s, j = self.s, self.i
        while j < len(s) and s[j] in " \t":
            j += 1
        if j >= len(s) or s[j] != "{":
            _fail(f"expected '{{' after '\\{cmd}' at position {pos}")
        k = s.find("}", j)
        if k < 0:
            _fail(f"missing '}}' after '\\{cmd}' at position {pos}")
        word = s[j + 1:k].strip()
        ok = word and all(ch.isascii() and (ch.isalpha() or (allow_space and ch == " ")) for ch in word)
        if not ok and word.rstrip("*").isalpha():
            word, ok = word.rstrip("*"), True
        if not ok:
            _fail(f"unexpected '{_snippet(s[j:k + 1], 20)}' after '\\{cmd}' at position {pos}")
        self.i = k + 1
        return word


# ---------------------------------------------------------------------------
# parsed values that are not scalars


class _Seq:
    """A bracketed list [..] or a parenthesized tuple (a, b, ...)."""

    __slots__ = ("items", "pos", "brackets", "transposed")

    def __init__(self, items, pos, brackets):
        self.items, self.pos, self.brackets, self.transposed = items, pos, brackets, False


class _Mat:
    __slots__ = ("rows", "pos", "transposed")

    def __init__(self, rows, pos):
        self.rows, self.pos, self.transposed = rows, pos, False


class _Rel:
    __slots__ = ("lhs", "rhs", "pos")

    def __init__(self, lhs, rhs, pos):
        self.lhs, self.rhs, self.pos = lhs, rhs, pos


_OPEN_CLOSE = {"(": ")", "[": "]", "{": "}"}


class _Parser:
    def __init__(self, toks: list[_Tok], limits: Limits, latex: bool):
        self.toks, self.k, self.limits, self.latex = toks, 0, limits, latex
        self.nesting = 0
        self.tower = 0
        self.abs_depth = 0

    # -- token helpers
    def peek(self, n: int = 0) -> _Tok:
        return self.toks[min(self.k + n, len(self.toks) - 1)]

    def take(self) -> _Tok:
        t = self.toks[self.k]
        if t.kind != "eof":
            self.k += 1
        return t

    def accept(self, kind: str) -> _Tok | None:
        if self.peek().kind == kind:
            return self.take()
        return None

    def expect(self, kind: str, what: str | None = None) -> _Tok:
        t = self.peek()
        if t.kind != kind:
            _fail(f"expected '{what or kind}' but found {_describe(t)}")
        return self.take()

    # -- scalars and checks
    def scalar(self, v, pos: int):
        while isinstance(v, _Seq) and len(v.items) == 1 and not v.transposed:
            v = v.items[0]
        if isinstance(v, (_Seq, _Mat)):
            _fail(f"a vector or matrix at position {pos} can not be used in an expression")
        if isinstance(v, _Rel):
            _fail(f"unexpected '=' at position {v.pos}")
        return v

    def power(self, base, ex, pos: int):
        if base.is_number and ex.is_number:
            if ex.is_Rational:
                if abs(ex.p) > self.limits.max_exponent or ex.q > self.limits.max_exponent:
                    _fail(f"the exponent {_snippet(ex, 20)} at position {pos} is too large; "
                          f"the limit is {self.limits.max_exponent}")
                bits = max([max(r.p.bit_length(), r.q.bit_length()) for r in base.atoms(Rational)] or [1])
                if bits * abs(ex.p) > _MAX_POWER_BITS:
                    _fail(f"the power at position {pos} is too large a number")
        if base is E and ex.has(I):
            _fail(f"the imaginary unit i in an exponent of e at position {pos} is not accepted")
        if base == 0 and ex.is_negative:
            _fail(f"division by zero at position {pos}")
        return Pow(base, ex)

    # -- grammar
    def top(self):
        items = [self.relation()]
        while self.accept(","):
            items.append(self.relation())
        t = self.peek()
        if t.kind != "eof":
            _fail(f"unexpected {_describe(t)}")
        return items

    def relation(self):
        lhs = self.expr()
        t = self.accept("=")
        if not t:
            return lhs
        rhs = self.expr()
        if self.peek().kind == "=":
            _fail(f"more than one '=' (second at position {self.peek().pos})")
        return _Rel(lhs, rhs, t.pos)

    def expr(self):
        t0 = self.peek()
        first = self.signed()
        if self.peek().kind not in ("+", "-"):
            return first
        terms = [self.scalar(first, t0.pos)]
        while self.peek().kind in ("+", "-"):
            op = self.take()
            t = self.peek()
            v = self.scalar(self.signed(), t.pos)
            terms.append(v if op.kind == "+" else -v)
        return Add(*terms)

    def signed(self):
        """A term with leading unary signs: -x^2 = -(x^2)."""
        neg, pos = False, self.peek().pos
        while self.peek().kind in ("+", "-"):
            if self.take().kind == "-":
                neg = not neg
        v = self.term()
        if neg:
            return -self.scalar(v, pos)
        return v

    def starts_factor(self, t: _Tok) -> bool:
        if t.kind in ("num", "atom", "func", "sqrt", "frac", "(", "[", "{", "begin"):
            return True
        return t.kind == "|" and self.abs_depth == 0

    def term(self):
        t0 = self.peek()
        first = self.power_factor()
        nxt = self.peek()
        if nxt.kind not in ("*", "/") and not self.starts_factor(nxt):
            return first
        factors = [self.scalar(first, t0.pos)]
        while True:
            t = self.peek()
            if t.kind in ("*", "/"):
                self.take()
                neg = False
                while self.peek().kind in ("+", "-"):  # 2*-3
                    if self.take().kind == "-":
                        neg = not neg
                vt = self.peek()
                v = self.scalar(self.power_factor(), vt.pos)
                if neg:
                    v = -v
                if t.kind == "/":
                    if v == 0:
                        _fail(f"division by zero at position {t.pos}")
                    v = Pow(v, -1)
                factors.append(v)
            elif self.starts_factor(t):
                if t.kind == "num":
                    _fail(f"missing operator before {_describe(t)}")
                factors.append(self.scalar(self.power_factor(), t.pos))
            else:
                break
        return Mul(*factors)

    def power_factor(self):
        base_tok = self.peek()
        base = self.primary()
        while self.peek().kind == "!":
            bang = self.take()
            if not (getattr(base, "is_Integer", False) and 0 <= base <= _MAX_FACTORIAL):
                _fail(f"a factorial at position {bang.pos} is computed only for a whole number up to "
                      f"{_MAX_FACTORIAL}; type the value")
            base = sympy.factorial(base)
            if self.peek().kind == "!":
                _fail(f"'!!' at position {bang.pos} is ambiguous (a double factorial?); type the value")
        t = self.peek()
        if t.kind != "^":
            return base
        self.take()
        if self.is_transpose():
            if not isinstance(base, (_Seq, _Mat)) or (isinstance(base, _Seq) and base.brackets == "("
                                                    and len(base.items) == 1):
                _fail(f"'^T' (transpose) at position {t.pos} is only accepted on a matrix or vector")
            base.transposed = not base.transposed
            return base
        base = self.scalar(base, base_tok.pos)
        self.tower += 1
        if self.tower > self.limits.max_power_nesting:
            _fail(f"powers nested more than {self.limits.max_power_nesting} deep at position {t.pos}")
        neg = False
        while self.peek().kind in ("+", "-"):
            if self.take().kind == "-":
                neg = not neg
        ex_tok = self.peek()
        # in LaTeX an exponent is one group or token (TeX's rule): x^{a}^{b} is then caught below
        ex = self.scalar(self.primary() if self.latex else self.power_factor(), ex_tok.pos)
        if self.latex and self.peek().kind == "^":
            # x^{a}^{b}: TeX's "double superscript" error; (x^a)^b or x^{a^b}?
            _fail(f"a double superscript at position {self.peek().pos}: write (x^{{a}})^{{b}} or x^{{a^{{b}}}}")
        self.tower -= 1
        return self.power(base, -ex if neg else ex, t.pos)

    def is_transpose(self) -> bool:
        t = self.peek()
        if t.kind == "top" or (t.kind == "atom" and t.text == "T"):
            self.take()
            return True
        if t.kind == "{":
            t1, t2 = self.peek(1), self.peek(2)
            if (t1.kind == "top" or (t1.kind == "atom" and t1.text == "T")) and t2.kind == "}":
                self.k += 3
                return True
        return False

    def primary(self):
        self.nesting += 1
        if self.nesting > _MAX_PARSER_NESTING:
            _fail("the expression is nested too deeply")
        try:
            return self._primary()
        finally:
            self.nesting -= 1

    def _primary(self):
        t = self.take()
        k = t.kind
        if k == "num":
            return _number(t.text)
        if k == "atom":
            return t.value
        if k == "func":
            return self.function(t)
        if k == "sqrt":
            return self.latex_sqrt(t)
        if k == "binom":
            n, r = (self.scalar(self.frac_arg(t), t.pos) for _ in range(2))
            if not (n.is_Integer and r.is_Integer and 0 <= r and 0 <= n <= _MAX_BINOMIAL):
                _fail(f"\\binom at position {t.pos} is computed only for whole numbers up to "
                      f"{_MAX_BINOMIAL}; type the value")
            return sympy.binomial(n, r)
        if k == "frac":
            num = self.scalar(self.frac_arg(t), t.pos)
            den = self.scalar(self.frac_arg(t), t.pos)
            if den == 0:
                _fail(f"division by zero at position {t.pos}")
            return num * Pow(den, -1)
        if k in ("(", "["):
            saved, self.abs_depth = self.abs_depth, 0
            items = [self.expr()]
            while self.accept(","):
                items.append(self.expr())
            self.abs_depth = saved
            self.expect(_OPEN_CLOSE[k])
            if k == "(" and len(items) == 1:
                return items[0]
            return _Seq(items, t.pos, k)
        if k == "{":
            saved, self.abs_depth = self.abs_depth, 0
            v = self.expr()
            self.abs_depth = saved
            if self.peek().kind == ",":
                _fail(f"sets ('{{...,...}}' at position {t.pos}) are not accepted")
            self.expect("}")
            return v
        if k == "|":
            self.abs_depth += 1
            v = self.scalar(self.expr(), t.pos)
            self.abs_depth -= 1
            self.expect("|")
            return Abs(v)
        if k == "begin":
            return self.matrix(t)
        if k == "eof":
            _fail("unexpected end of input")
        _fail(f"unexpected {_describe(t)}")

    def frac_arg(self, frac: _Tok):
        t = self.peek()
        if t.kind == "{":
            self.take()
            v = self.expr()
            self.expect("}")
            return v
        if t.kind == "num":  # \frac12: one digit per argument, as TeX reads it
            self.take()
            if len(t.text) > 1:
                self.toks.insert(self.k, _Tok("num", t.text[1:], t.pos + 1))
            return _number(t.text[0])
        if t.kind == "atom":
            self.take()
            return t.value
        what = "two arguments" if frac.kind == "frac" else "an argument"
        _fail(f"'{frac.text}' at position {frac.pos} needs {what} in braces")

    def latex_sqrt(self, t: _Tok):
        index = Integer(2)
        if self.peek().kind == "[":
            self.take()
            index = self.scalar(self.expr(), t.pos)
            self.expect("]")
            if index == 0:
                _fail(f"a root of index 0 at position {t.pos}")
        nxt = self.peek()
        if nxt.kind in ("{", "("):
            self.take()
            v = self.expr()
            self.expect(_OPEN_CLOSE[nxt.kind])
        else:
            v = self.frac_arg(t)
        return self.power(self.scalar(v, t.pos), Pow(index, -1), t.pos)

    def function(self, t: _Tok):
        name = t.text
        outer_power = None
        if self.peek().kind == "^":
            caret = self.take()
            neg = False
            while self.peek().kind in ("+", "-"):
                if self.take().kind == "-":
                    neg = not neg
            et = self.peek()
            if et.kind == "{":
                self.take()
                ex = self.scalar(self.expr(), et.pos)
                self.expect("}")
            elif et.kind in ("num", "atom", "("):
                ex = self.scalar(self.primary(), et.pos)
            else:
                _fail(f"expected an exponent after {_describe(caret)}")
            if neg:
                ex = -ex
            if ex == -1:
                if name not in _INVERSE_TRIG:
                    _fail(f"'{name}^{{-1}}' at position {t.pos} is not accepted")
                name = _INVERSE_TRIG[name]
            else:
                outer_power = (ex, caret.pos)
        nxt = self.peek()
        if nxt.kind == "(" or (nxt.kind == "{" and self.latex):
            self.take()
            saved, self.abs_depth = self.abs_depth, 0
            args = [self.scalar(self.expr(), nxt.pos)]
            while self.accept(","):
                args.append(self.scalar(self.expr(), nxt.pos))
            self.abs_depth = saved
            self.expect(_OPEN_CLOSE[nxt.kind])
        else:
            args = [self.function_chain(t)]
        v = self.apply(name, t, args)
        if outer_power is not None:
            v = self.power(v, outer_power[0], outer_power[1])
        return v

    def function_chain(self, f: _Tok):
        """Argument of a function written without parentheses: \\sin 2x."""
        neg = False
        while self.peek().kind in ("+", "-"):
            if self.take().kind == "-":
                neg = not neg
        t = self.peek()
        if not self.starts_factor(t):
            _fail(f"'{f.text}' at position {f.pos} needs an argument")
        factors = [self.scalar(self.power_factor(), t.pos)]
        while True:
            t = self.peek()
            if t.kind in ("func", "num") or not self.starts_factor(t):
                break
            factor = self.scalar(self.power_factor(), t.pos)
            if t.kind != "atom" or t.value is E:
                # \sin x\sqrt{2}, \sin x e^{x}: sin(x)·√2 or sin(x√2)? a reader cannot know
                _fail(f"'{f.text} ...' at position {f.pos}: the argument is ambiguous; write "
                      f"parentheses, such as {f.text.lstrip(chr(92))}(x) {_snippet(t.text, 12)}... or "
                      f"{f.text.lstrip(chr(92))}(x {_snippet(t.text, 12)}...)")
            factors.append(factor)
        v = Mul(*factors)
        return -v if neg else v

    def apply(self, name: str, t: _Tok, args: list):
        n = len(args)
        if name not in ("abs", "sqrt") and any(arg.has(I) for arg in args):
            # sympy's automatic evaluation of transcendental functions of
            # complex constants can take seconds (measured: 9 s for a log)
            _fail(f"the imaginary unit i inside {name}(...) at position {t.pos} is not accepted")
        if name == "log":
            if t.value is not None:
                if n != 1:
                    _fail(f"log_{t.value} at position {t.pos} takes 1 argument, got {n}")
                base = _number(t.value) if t.value.isdigit() else Symbol(t.value)
                args = [args[0], base]
                n = 2
            if n == 1:
                return log(args[0])
            if n == 2:
                if args[1] == 1 or args[1] == 0:
                    _fail(f"log base {args[1]} at position {t.pos} is not accepted")
                return log(args[0], args[1])
            _fail(f"log at position {t.pos} takes 1 or 2 arguments, got {n}")
        if name in ("max", "min"):  # the hinge loss max(0, 1 - x); ReLU is max(0, x)
            if n < 2:
                _fail(f"{name} at position {t.pos} takes 2 or more arguments, got {n}")
            try:
                return (Max if name == "max" else Min)(*args)
            except ValueError:  # max(0, I): not comparable
                _fail(f"{name} at position {t.pos} needs real arguments")
        if n != 1:
            _fail(f"{name} at position {t.pos} takes 1 argument, got {n}")
        x = args[0]
        if name == "sqrt":
            return self.power(x, Rational(1, 2), t.pos)
        if name == "sigmoid":
            return 1 / (1 + exp(-x))
        if name == "relu":
            try:
                return Max(0, x)
            except ValueError:  # Max(0, I): not comparable
                _fail(f"relu at position {t.pos} needs a real argument")
        if name == "softplus":
            return log(1 + exp(x))
        return _ONE_ARG[name](x)

    def matrix(self, begin: _Tok):
        rows: list[list] = [[]]
        while True:
            t = self.peek()
            if t.kind == "end":
                self.take()
                if t.value != begin.value:
                    _fail(f"'\\end{{{t.value}}}' at position {t.pos} does not match "
                          f"'\\begin{{{begin.value}}}'")
                break
            if t.kind == "eof":
                _fail(f"missing '\\end{{{begin.value}}}' for the matrix at position {begin.pos}")
            saved, self.abs_depth = self.abs_depth, 0
            cell = self.scalar(self.expr(), t.pos)
            self.abs_depth = saved
            rows[-1].append(cell)
            sep = self.peek()
            if sep.kind == "&":
                self.take()
                if self.peek().kind in ("rowsep", "end"):
                    _fail(f"empty matrix entry after '&' at position {sep.pos}")
            elif sep.kind == "rowsep":
                self.take()
                if self.peek().kind != "end":
                    rows.append([])
            elif sep.kind != "end":
                _fail(f"expected '&', '\\\\' or '\\end{{{begin.value}}}' but found {_describe(sep)}")
        if not rows[0]:
            _fail(f"empty matrix at position {begin.pos}")
        return _Mat(rows, begin.pos)


def _number(text: str):
    if "." in text:
        whole, frac = text.split(".", 1)
        return Rational(int((whole or "0") + frac) if (whole or frac) else 0, 10 ** len(frac))
    return Integer(int(text))


# ---------------------------------------------------------------------------
# driver


# Notations that the grammar would read with a meaning the writer did not intend: each is
# refused with what to type instead (a refusal is better than a guess).
_D = r"(?:\\mathrm\s*\{\s*d\s*\}|\\operatorname\s*\{\s*d\s*\}|d|\\partial\s*)"
_MISREADINGS = [
    (re.compile(r"\\[dtc]?frac\s*\{\s*" + _D + r"\s*(?:\^\s*\{?\s*\d+\s*\}?)?[^{}]*\}\s*\{\s*" + _D
                + r"\s*[A-Za-z\\]"),
     "a derivative written as \\frac{d}{dx} (or \\frac{dy}{dx}) is not read as an answer: "
     "type the derivative itself, such as 2x"),
    (re.compile(r"\\(?:mathrm|operatorname)\s*\{\s*d\s*\}"),
     "a differential (\\mathrm{d}x) is not read in an answer: type the value"),
    (re.compile(r"(?<![A-Za-z\\])d\s*(?:\^\s*\d+\s*)?[A-Za-z]?\s*/\s*d\s*[A-Za-z](?![A-Za-z])"),
     "dy/dx is not read as a fraction: type the derivative itself, such as 2x"),
    (re.compile(r"(?<![A-Za-z\\])(?:E|V|Var|Cov|\\mathbb\s*\{\s*[EV]\s*\}|\\operatorname\s*\{\s*(?:E|Var|Cov)\s*\})\s*\["),
     "E[X] (an expectation or variance) is not read as a product: type its value, "
     "or label it: E[X] = 1/2"),
    (re.compile(r"(?<![\w.\\}^_])\d+\s*\\[dt]?frac\s*(?:\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d\d)"),
     "a number before a fraction (2\\frac{1}{2}) is ambiguous: write 2 + \\frac{1}{2} for a mixed "
     "number or 2 \\cdot \\frac{1}{2} for a product"),
]
# a function letter applied to an argument: f(x), g(t), p(x), P(A) (p(1-p) stays a product)
_APPLICATION = re.compile(r"(?<![A-Za-z\\_])(?:[fghFGH]\s*'*\s*\(|[pqP]\s*\(\s*[A-Za-z]\s*\))")
# x^2_i -> x_i^2 (superscript first, as TeX allows); x _i -> x_i
_SUP_SUB = re.compile(r"([A-Za-z])(\s*\^\s*(?:\{[^{}]*\}|\w))\s*(_\s*(?:\{[^{}]*\}|\w))")
_SPACE_SUB = re.compile(r"([A-Za-z])\s+_")


def _normalized(text: str) -> str:
    """Equivalent spellings brought to the one the grammar reads, and notations that would
    be misread refused (see :data:`_MISREADINGS`)."""
    for pattern, message in _MISREADINGS:
        if pattern.search(text):
            _fail(message)
    found = _APPLICATION.search(text)
    if found:
        name = found.group(0).split("(")[0].strip()
        _fail(f"{name}(...) is read as a function, not a product: type the function's value "
              f"(or {name}*(...) for a product)")
    text = _SPACE_SUB.sub(r"\1_", text)
    return _SUP_SUB.sub(r"\1\3\2", text)


def _parse(text, limits: Limits) -> list:
    """Parses text into a list of top-level comma-separated items."""
    text = _normalized(_check_text(text, limits))
    latex = any(c in text for c in "\\{}&")
    try:
        toks = _Lexer(text, limits, latex).run()
        return _Parser(toks, limits, latex).top()
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(f"the expression is nested too deeply: {_snippet(text)!r}") from None
    except MemoryError:  # over a memory budget: the caller says so (not "could not read")
        raise
    except Exception as exc:  # sympy can raise assorted errors on odd input
        raise ParseError(f"could not read {_snippet(text)!r} (internal error: {type(exc).__name__})") from None


def _finish(obj, limits: Limits):
    """Final checks on a sympy result: defined, small enough."""
    items = [obj] if not isinstance(obj, sympy.MatrixBase) else list(obj)
    count = 0
    for item in items:
        if item.has(zoo, nan):
            _fail("the expression is undefined (division by zero or oo - oo)")
        terms = expanded_terms(item, limits.max_expanded_terms)
        if terms > limits.max_expanded_terms:
            _fail(f"the expression is too large multiplied out (more than {limits.max_expanded_terms} "
                  "terms): write it with smaller powers")
        for node in sympy.preorder_traversal(item):
            count += 1
            if count > limits.max_nodes:
                _fail(f"the expression is too large (more than {limits.max_nodes} parts)")
            if node.is_Rational:
                _check_size(node.p, node.q)
    return obj


def expanded_terms(expr: sympy.Basic, cap: int) -> int:
    """How many terms ``expr`` has when multiplied out (an upper bound, at most ``cap + 1``):
    a sum adds, a product multiplies, a power ``(t_1 + ... + t_k)^n`` has C(n + k - 1, k - 1).
    One cheap pass over the tree, so an input whose solving would expand it is refused first."""
    if expr.is_Add:
        return min(cap + 1, sum(expanded_terms(a, cap) for a in expr.args))
    if expr.is_Mul:
        total = 1
        for a in expr.args:
            total = min(cap + 1, total * expanded_terms(a, cap))
        return total
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 1:
        k = expanded_terms(expr.base, cap)
        return 1 if k == 1 else min(cap + 1, math.comb(int(expr.exp) + k - 1, k - 1))
    return 1


def _check_size(*integers: int) -> None:
    """Every number small enough to compute with and to print (see ``_MAX_POWER_BITS``)."""
    if any(abs(n).bit_length() > _MAX_POWER_BITS for n in integers):
        _fail(f"a number has more than {int(_MAX_POWER_BITS * 0.30103)} digits")


def _one(items: list, what: str):
    if len(items) != 1:
        _fail(f"expected {what}, got {len(items)} items separated by commas")
    return items[0]


def _as_expr(v, limits: Limits):
    if isinstance(v, _Rel):
        _fail(f"expected an expression, found '=' at position {v.pos}")
    while isinstance(v, _Seq) and len(v.items) == 1 and not v.transposed:
        v = v.items[0]  # [x] and [(x)] used as brackets
    if isinstance(v, (_Seq, _Mat)):
        _fail("expected a single expression, found a vector or matrix")
    return _finish(v, limits)


def _guard(fn):
    """Turns any non-ParseError escaping a public function into a ParseError."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ParseError:
            raise
        except RecursionError:
            raise ParseError("the input is nested too deeply") from None
        except MemoryError:  # over a memory budget: the caller says so (not "could not read")
            raise
        except Exception as exc:
            raise ParseError(f"could not read {_snippet(args[0] if args else '')!r} "
                             f"(internal error: {type(exc).__name__})") from None
    return wrapper


@_guard
def parse_expression(text: str, *, limits: Limits = LIMITS) -> sympy.Expr:
    """One scalar expression: "3x+y", "\\frac{1}{2}x_1", "sqrt(2)/2"."""
    return _as_expr(_one(_parse(text, limits), "one expression"), limits)


@_guard
def parse_equation(text: str, *, limits: Limits = LIMITS) -> sympy.Equality:
    """One equation: "3x + y = 9" -> Eq(3*x + y, 9) (never evaluated to True/False)."""
    v = _one(_parse(text, limits), "one equation")
    if not isinstance(v, _Rel):
        _fail("expected an equation with '='")
    return _equation(v, limits)


def _equation(v: _Rel, limits: Limits) -> sympy.Equality:
    lhs, rhs = _as_expr(v.lhs, limits), _as_expr(v.rhs, limits)
    return _finish(Eq(lhs, rhs, evaluate=False), limits)


@_guard
def parse_relation(text: str, *, limits: Limits = LIMITS):
    """An expression or an equation, whichever the text is."""
    v = _one(_parse(text, limits), "one expression or equation")
    if isinstance(v, _Rel):
        return _equation(v, limits)
    return _as_expr(v, limits)


def _rows_of(v) -> list[list] | None:
    """Rows of a matrix-like parsed value, or None if it is not one."""
    while isinstance(v, _Seq) and len(v.items) == 1 and isinstance(v.items[0], _Mat) and not v.transposed:
        v = v.items[0]
    if isinstance(v, _Mat):
        rows = v.rows
    elif isinstance(v, _Seq) and v.items and all(isinstance(r, _Seq) for r in v.items):
        if any(r.transposed for r in v.items):
            _fail("'^T' inside a matrix is not accepted")
        rows = [r.items for r in v.items]
    else:
        return None
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            _fail(f"row {n} has {len(row)} {'entry' if len(row) == 1 else 'entries'}, row 1 has {len(rows[0])}")
    for row in rows:
        for cell in row:
            if isinstance(cell, (_Seq, _Mat, _Rel)):
                _fail("a matrix entry must be a single expression")
    return rows


_BARE_LETTER = {E: "e", I: "i"}
_BARE_ADVICE = {"e": "exp(1) for Euler's number, or a name with a subscript such as e_1",
                "i": "1i for the imaginary unit, or a name with a subscript such as i_1"}


def _bare_letters_as_names(cells: list, text: str) -> list:
    """A lone ``e`` or ``i`` among names: a name when every entry is a different letter.

    ``[[h, i], [j, k]]`` and ``[a, b, c, d, e]`` are matrices of names, where reading ``i``
    as the imaginary unit would be a silent surprise. Next to other names but not in such a
    matrix (``[[x, e], [e, x]]``) the letter is ambiguous: refused, saying what to type.
    Among numbers (``[[1, i], [-i, 1]]``) it keeps its meaning, as everywhere else.
    """
    lone = {c for c in cells if c in _BARE_LETTER
            and re.search(r"(?<![A-Za-z{\\])" + _BARE_LETTER[c] + r"(?![A-Za-z_])", text)}
    if not lone or not any(isinstance(c, Symbol) for c in cells):
        return cells
    if all(isinstance(c, Symbol) or c in lone for c in cells) and len(set(cells)) == len(cells):
        return [Symbol(_BARE_LETTER[c]) if c in lone else c for c in cells]
    letter = _BARE_LETTER[min(lone, key=str)]
    _fail(f"'{letter}' stands alone among names in this matrix: is it a name or a number? "
          f"Write {_BARE_ADVICE[letter]}")


def _build_matrix(rows, transposed: bool, limits: Limits) -> sympy.Matrix:
    m = sympy.Matrix(rows)
    if transposed:
        m = m.T
    return _finish(m, limits)


@_guard
def parse_matrix(text: str, *, limits: Limits = LIMITS) -> sympy.Matrix:
    """"[[1,2],[3,4]]", "[[1/2, x],[0,1]]", LaTeX pmatrix/bmatrix/matrix; "^T" transposes."""
    v = _one(_parse(text, limits), "one matrix")
    rows = _rows_of(v)
    if rows is None:
        _fail("expected a matrix written as rows, e.g. [[1, 2], [3, 4]] or \\begin{pmatrix}1 & 2\\\\ 3 & 4\\end{pmatrix}")
    width = len(rows[0])
    cells = _bare_letters_as_names([c for row in rows for c in row], text)
    rows = [cells[k:k + width] for k in range(0, len(cells), width)]
    return _build_matrix(rows, getattr(v, "transposed", False), limits)


@_guard
def parse_vector(text: str, *, limits: Limits = LIMITS) -> sympy.Matrix:
    """A column vector (n x 1) from "[1,2,3]", "(1,2,3)", "1,2,3", a pmatrix column or row."""
    items = _parse(text, limits)
    if len(items) > 1:
        entries = items
    else:
        v = items[0]
        rows = _rows_of(v)
        if rows is not None:
            if len(rows) == 1:
                entries = rows[0]
            elif all(len(r) == 1 for r in rows):
                entries = [r[0] for r in rows]
            else:
                _fail(f"expected a vector, got a {len(rows)}x{len(rows[0])} matrix")
        elif isinstance(v, _Seq):
            entries = v.items
        else:
            _fail("expected a vector, e.g. [1, 2, 3] or (1, 2, 3)")
    for e in entries:
        if isinstance(e, (_Seq, _Mat, _Rel)):
            _fail("a vector entry must be a single expression")
    return _finish(sympy.Matrix(_bare_letters_as_names(list(entries), text)), limits)


def _names(items: list) -> list:
    out = []
    for v in items:
        if isinstance(v, _Seq) and not v.transposed:
            out.extend(v.items)
        else:
            out.append(v)
    return out


def _as_symbol(v, what: str = "a name") -> Symbol:
    if isinstance(v, Symbol):
        return v
    if v is E:
        _fail("'e' is Euler's number, not a name")
    if v is I:
        _fail("'i' is the imaginary unit, not a name")
    shown = "a list" if isinstance(v, (_Seq, _Mat)) else ("an equation" if isinstance(v, _Rel) else f"'{v}'")
    _fail(f"expected {what}, got {shown} (names are one letter or a greek letter, "
          "optionally with a subscript, e.g. x_1)")


@_guard
def parse_symbols(text: str, *, limits: Limits = LIMITS, repeats: bool = False) -> list[Symbol]:
    """"x,y", "x_1, x_2", "(x, y)", "\\theta" -> [Symbol, ...]; rejects non-names, and a name
    listed twice unless ``repeats`` (the order of a partial derivative: ``x,x`` is ∂²/∂x²)."""
    out: list[Symbol] = []
    for v in _names(_parse(text, limits)):
        s = _as_symbol(v)
        if s in out and not repeats:
            _fail(f"'{s}' is listed twice")
        out.append(s)
    return out


@_guard
def parse_assignments(text: str, *, limits: Limits = LIMITS) -> dict[Symbol, sympy.Expr]:
    """"x=1, y=2", "x_1 = -1/2", "(x, y) = (23/10, 21/10)" -> {Symbol: Expr}."""
    out: dict[Symbol, sympy.Expr] = {}
    for v in _parse(text, limits):
        if not isinstance(v, _Rel):
            _fail("expected assignments like x = 1, y = 2")
        if isinstance(v.lhs, _Seq) or isinstance(v.rhs, _Seq):
            lhs = v.lhs.items if isinstance(v.lhs, _Seq) else [v.lhs]
            rhs = v.rhs.items if isinstance(v.rhs, _Seq) else [v.rhs]
            if len(lhs) != len(rhs):
                _fail(f"{len(lhs)} names but {len(rhs)} values")
            pairs = list(zip(lhs, rhs))
        else:
            pairs = [(v.lhs, v.rhs)]
        for name, value in pairs:
            s = _as_symbol(name, "a name on the left of '='")
            if s in out:
                _fail(f"'{s}' is assigned twice")
            out[s] = _as_expr(value, limits)
    return out


# ---------------------------------------------------------------------------
# Python values (API calls, TOML sheets)


def _exact(value, limits: Limits):
    if isinstance(value, bool):
        _fail(f"expected a number or expression, got {value!r}")
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            _fail(f"expected an expression, got {type(value).__name__}")
        for r in value.atoms(Rational):
            _check_size(r.p, r.q)
        return value
    if isinstance(value, int):
        if value.bit_length() > limits.max_digits * 3.33 + 4:
            _fail(f"the integer has more than {limits.max_digits} digits")
        return Integer(value)
    if isinstance(value, fractions.Fraction):
        _check_size(value.numerator, value.denominator)
        return Rational(value.numerator, value.denominator)
    if isinstance(value, (float, decimal.Decimal)):
        d = decimal.Decimal(repr(value)) if isinstance(value, float) else value
        if not d.is_finite():
            _fail(f"expected a finite number, got {value!r}")
        if len(d.as_tuple().digits) > limits.max_digits or abs(d.adjusted()) > limits.max_exponent:
            _fail(f"the number {value!r} has too many digits")
        p, q = d.as_integer_ratio()
        return Rational(p, q)
    if isinstance(value, numbers.Rational):
        _check_size(int(value.numerator), int(value.denominator))
        return Rational(int(value.numerator), int(value.denominator))
    if isinstance(value, str):
        return parse_expression(value, limits=limits)
    _fail(f"expected a number or expression, got {type(value).__name__}")


@_guard
def to_expression(value, *, limits: Limits = LIMITS) -> sympy.Expr:
    """int, Fraction, float (exact: 0.1 -> 1/10), sympy Expr (unchanged) or str."""
    return _exact(value, limits)


@_guard
def to_matrix(value, *, limits: Limits = LIMITS) -> sympy.Matrix:
    """A list of rows, a string, or a sympy Matrix."""
    if isinstance(value, sympy.MatrixBase):
        return sympy.Matrix(value)
    if isinstance(value, str):
        return parse_matrix(value, limits=limits)
    if isinstance(value, (list, tuple)):
        if not value or not all(isinstance(r, (list, tuple)) for r in value):
            _fail("expected a matrix as a list of rows, e.g. [[1, 2], [3, 4]]")
        for n, row in enumerate(value[1:], start=2):
            if len(row) != len(value[0]):
                _fail(f"row {n} has {len(row)} {'entry' if len(row) == 1 else 'entries'}, row 1 has {len(value[0])}")
        if not value[0]:
            _fail("empty matrix")
        return _finish(sympy.Matrix([[_exact(c, limits) for c in row] for row in value]), limits)
    _fail(f"expected a matrix, got {type(value).__name__}")


@_guard
def to_vector(value, *, limits: Limits = LIMITS) -> sympy.Matrix:
    """A list, a string or a sympy Matrix (one row or one column) -> column vector."""
    if isinstance(value, sympy.MatrixBase):
        if value.cols == 1:
            return sympy.Matrix(value)
        if value.rows == 1:
            return sympy.Matrix(value.T)
        _fail(f"expected a vector, got a {value.rows}x{value.cols} matrix")
    if isinstance(value, str):
        return parse_vector(value, limits=limits)
    if isinstance(value, (list, tuple)):
        if not value:
            _fail("empty vector")
        entries = [v[0] if isinstance(v, (list, tuple)) and len(v) == 1 else v for v in value]
        if any(isinstance(v, (list, tuple)) for v in entries):
            _fail("expected a flat list of vector entries")
        return _finish(sympy.Matrix([_exact(v, limits) for v in entries]), limits)
    _fail(f"expected a vector, got {type(value).__name__}")


def matrix_field(value: object) -> sympy.MatrixBase:
    """The parser of a kind's matrix input.

    A sympy matrix (given through the Python API, or made by a generator) is ours
    and passes unchanged, immutable or not; text and lists are untrusted and go
    through :func:`to_matrix`.
    """
    if isinstance(value, sympy.MatrixBase):
        return value
    return to_matrix(value)


def vector_field(value: object) -> sympy.MatrixBase:
    """The parser of a kind's vector input: :func:`matrix_field` for vectors.

    A sympy matrix passes unchanged (a row stays a row: the kind decides), anything
    else goes through :func:`to_vector` and becomes a column.
    """
    if isinstance(value, sympy.MatrixBase):
        return value
    return to_vector(value)
