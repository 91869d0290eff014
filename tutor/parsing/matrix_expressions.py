"""A small safe reader for the language of the matrix-calculus kind.

``x^T A x``, ``\\|Ax - b\\|^2``, ``||Ax-b||^2``, ``(y - \\Phi\\theta)^T(y - \\Phi\\theta)``,
``\\frac12 x'x``: lower-case names (Latin letters, Greek names ``theta``/``\\theta``/``θ``)
are column vectors, upper-case names (``A``, ``\\Phi``, ``Φ``) are matrices; ``^T``,
``^\\top``, ``'`` and ``ᵀ`` transpose; juxtaposition, ``*`` and ``\\cdot`` multiply;
numbers are coefficients; ``‖e‖^2`` is a squared norm; ``tr(X^T A)`` (also
``\\operatorname{tr}``, ``\\mathrm{tr}``, ``trace``) is a trace; ``det(X)`` (``\\det X``) a
determinant, ``log det(X)`` (``\\log\\det X``, ``ln det(X)``) its logarithm; ``X^{-1}``
(``X^-1``, ``inv(X)``) an inverse and ``X^{-T}`` the transpose of the inverse.

``tutor.parse`` reads scalar algebra and knows no transpose, so this module reads
the text itself, token by token, and builds the matrix expressions directly (no
``eval``, no ``sympify``).  Sizes are inferred by unification: each name gets size
variables, products and sums equate them, sizes given by the user fix them; a
contradiction is a one-line :class:`TutorError`.  Unfixed sizes become symbols
(n for the differentiation variable, then m, k, p, ...).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Union

import sympy

from tutor.core.errors import ParseError, TutorError

MAX_LENGTH = 300
MAX_DEPTH = 12
MAX_SIZE = 8

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
          "sigma tau upsilon phi chi psi omega").split()
_GREEK_CAPITALS = "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
_GREEK_WORDS = sorted(_GREEK + _GREEK_CAPITALS, key=len, reverse=True)
SUPPORTED = ("supported: vectors (lower-case) and matrices (upper-case), sums, differences, "
             "products, number coefficients, transposes ^T, inverses ^{-1}, squared norms ||e||^2, "
             "traces tr(...), det(...) and log det(...)")

# ---------------------------------------------------------------- tokens

_SYMBOLIC = [  # (pattern, token kind), tried in order at each position
    (r"\\left\b|\\right\b|\\[,;:! ]|\\quad\b", None),
    (r"\\\||\|\||‖|\\[lr]?Vert\b", "norm"),
    # tr, before the names: a bare "tr"/"trace" only when a parenthesis follows (t r is a product)
    (r"\\(?:operatorname|mathrm|text|textrm|rm)\s*\{\s*(?:tr|Tr|trace)\s*\}|\\(?:tr|Tr)\b"
     r"|(?:trace|tr|Tr)(?=\s*(?:\(|\\left\b))", "trace"),
    (r"\\det\b|\\(?:operatorname|mathrm|text|rm)\s*\{\s*det\s*\}|det(?=\s*(?:\(|\\left\b))", "det"),
    (r"\\(?:log|ln)\b|(?:log|ln)(?=\s*(?:\(|\\left\b|\\det\b|det\b))", "log"),
    (r"inv(?=\s*(?:\(|\\left\b))", "inv"),
    (r"\^\s*(?:\{\s*-\s*(?:T|\\top)\s*\}|-\s*T\b)", "inverse_transpose"),
    (r"\^\s*(?:\{\s*-\s*1\s*\}|-\s*1)|⁻¹", "inverse"),
    (r"\^\s*(?:\{\s*T\s*\}|T|\{\s*\\top\s*\}|\\top\b|\\intercal\b)|'|ᵀ", "transpose"),
    (r"\^\s*(?:2|\{\s*2\s*\})|²", "square"),
    (r"\\[dt]?frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))", "fraction"),
    (r"\d+(?:\.\d+)?", "number"),
    (r"\+", "+"), (r"-|−|–", "-"), (r"\*|\\cdot\b|·", "*"), (r"/", "/"),
    (r"\(", "("), (r"\)", ")"),
]
_SYMBOLIC_RE = [(re.compile(p), kind) for p, kind in _SYMBOLIC]
_WRAPPER_RE = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class Token:
    kind: str  # name, number, norm, trace, transpose, square, + - * / ( ) end
    text: str
    value: Any = None


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``; a character that starts none is a :class:`ParseError`."""
    text = _WRAPPER_RE.sub(r" \1 ", text)
    out: list[Token] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        token, i = _next(text, i)
        if token is not None:
            out.append(token)
    out.append(Token("end", ""))
    return out


def _next(text: str, i: int) -> tuple[Token | None, int]:
    for pattern, kind in _SYMBOLIC_RE:
        m = pattern.match(text, i)
        if m:
            if kind is None:
                return None, m.end()
            if kind == "fraction":
                p, q = (int(next(g for g in pair if g is not None))
                        for pair in (m.groups()[:2], m.groups()[2:]))
                if q == 0:
                    raise ParseError("division by zero in a fraction")
                return Token("number", m.group(0), sympy.Rational(p, q)), m.end()
            if kind == "number":
                return Token("number", m.group(0), sympy.Rational(m.group(0))), m.end()
            return Token(kind, m.group(0)), m.end()
    name, end = _name(text, i)
    if name is None:
        hint = " (only ^T and the square of a norm are supported)" if text[i] == "^" else ""
        raise ParseError(f"cannot read {text[i:i + 12]!r} in the expression{hint}; {SUPPORTED}")
    return Token("name", name), end


def _name(text: str, i: int) -> tuple[str | None, int]:
    """A Greek command (\\theta), a Greek word (theta), a Greek letter (θ) or one Latin letter."""
    if text[i] == "\\":
        m = re.compile(r"\\([A-Za-z]+)").match(text, i)
        if m and m.group(1) in _GREEK_WORDS:
            return m.group(1), m.end()
        return None, i
    for word in _GREEK_WORDS:
        if text.startswith(word, i):
            return word, i + len(word)
    ch = text[i]
    if "a" <= ch.lower() <= "z":
        return ch, i + 1
    described = unicodedata.name(ch, "").split()
    if described[:2] == ["GREEK", "SMALL"] and described[-1].lower() in _GREEK:
        return described[-1].lower(), i + 1
    if described[:2] == ["GREEK", "CAPITAL"] and described[-1].capitalize() in _GREEK_CAPITALS:
        return described[-1].capitalize(), i + 1
    return None, i


# ---------------------------------------------------------------- syntax tree

@dataclass(frozen=True)
class Name:
    name: str

    @property
    def is_vector(self) -> bool:
        return self.name[0].islower()


@dataclass(frozen=True)
class Number:
    value: sympy.Rational


@dataclass(frozen=True)
class Sum:
    terms: tuple["Node", ...]


@dataclass(frozen=True)
class Negative:
    arg: "Node"


@dataclass(frozen=True)
class Product:
    factors: tuple["Node", ...]


@dataclass(frozen=True)
class Transposed:
    arg: "Node"


@dataclass(frozen=True)
class Norm:
    arg: "Node"


@dataclass(frozen=True)
class Trace:
    arg: "Node"


@dataclass(frozen=True)
class Det:
    arg: "Node"


@dataclass(frozen=True)
class LogDet:
    arg: "Node"


@dataclass(frozen=True)
class Inverse:
    arg: "Node"


Node = Union[Name, Number, Sum, Negative, Product, Transposed, Norm, Trace, Det, LogDet, Inverse]
_FUNCTIONS = ("trace", "det", "log", "inv")


class _Parser:
    """Recursive descent: sum := signs product (signs product)*; product := factor+;
    factor := atom ('^T' | '^{-1}' | '^{-T}')*; atom := name | number ['/' number] | '(' sum ')'
    | '‖' sum '‖²' | 'tr' '(' sum ')' | 'inv' '(' sum ')' | 'det' factor | 'log' 'det' factor
    | 'log' '(' 'det' factor ')'."""

    def __init__(self, toks: list[Token]) -> None:
        self.toks, self.i, self.depth, self.in_norm = toks, 0, 0, False

    @property
    def peek(self) -> Token:
        return self.toks[self.i]

    def take(self, kind: str) -> Token:
        tok = self.peek
        if tok.kind != kind:
            if tok.kind == "end":
                raise ParseError(f"the expression ends too early: {kind!r} expected")
            raise ParseError(f"expected {kind!r} but found {tok.text!r} in the expression")
        self.i += 1
        return tok

    def sum(self) -> Node:
        terms: list[Node] = []
        while True:
            negative = self.signs()
            term = self.product()
            terms.append(Negative(term) if negative else term)
            if self.peek.kind not in ("+", "-"):
                return terms[0] if len(terms) == 1 else Sum(tuple(terms))

    def signs(self) -> bool:
        """Consume the signs before a term (``x - -y``); True when they make a minus."""
        negative = False
        while self.peek.kind in ("+", "-"):
            negative ^= self.peek.kind == "-"
            self.i += 1
        return negative

    def product(self) -> Node:
        factors = [self.factor()]
        while True:
            if self.peek.kind == "*":
                self.i += 1
                factors.append(self.factor())
            elif self.peek.kind in ("name", "number", "(", *_FUNCTIONS) or (self.peek.kind == "norm"
                                                              and not self.in_norm):
                factors.append(self.factor())
            else:
                return factors[0] if len(factors) == 1 else Product(tuple(factors))

    def factor(self) -> Node:
        node = self.atom()
        while self.peek.kind in ("transpose", "inverse", "inverse_transpose"):
            kind = self.take(self.peek.kind).kind
            if kind != "transpose":
                node = node.arg if isinstance(node, Inverse) else Inverse(node)
            if kind != "inverse":
                node = node.arg if isinstance(node, Transposed) else Transposed(node)
        if self.peek.kind == "square":
            raise ParseError(f"only a norm can be squared here ({SUPPORTED})")
        return node

    def atom(self) -> Node:
        tok = self.peek
        if tok.kind == "name":
            self.i += 1
            return Name(tok.text)
        if tok.kind == "number":
            self.i += 1
            value = tok.value
            if self.peek.kind == "/":
                self.i += 1
                den = self.take("number").value
                if den == 0:
                    raise ParseError("division by zero in the expression")
                value = value / den
            return Number(value)
        if tok.kind in ("(", "norm"):
            self.i += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise TutorError(f"the expression is nested too deeply (more than {MAX_DEPTH})")
            outer, self.in_norm = self.in_norm, self.in_norm or tok.kind == "norm"
            if tok.kind == "norm" and outer:
                raise ParseError("a norm inside a norm is not supported")
            inner = self.sum()
            self.in_norm = outer
            self.depth -= 1
            if tok.kind == "(":
                self.take(")")
                return inner
            self.take("norm")
            if self.peek.kind != "square":
                raise ParseError(f"a norm must be squared, ||e||^2 ({SUPPORTED})")
            self.i += 1
            return Norm(inner)
        if tok.kind == "trace":
            self.i += 1
            if self.peek.kind != "(":
                raise ParseError(f"{tok.text} needs its argument in parentheses, e.g. tr(X^T A)")
            return Trace(self.atom())
        if tok.kind == "inv":
            self.i += 1
            return Inverse(self.atom())
        if tok.kind == "det":
            self.i += 1
            return Det(self.factor())
        if tok.kind == "log":
            self.i += 1
            inner = self.factor()
            if not isinstance(inner, Det):
                raise ParseError(f"only the logarithm of a determinant is supported, log det(X), "
                                 f"not {tok.text} {show(inner)}")
            return LogDet(inner.arg)
        if tok.kind == "end":
            raise ParseError("the expression ends too early")
        raise ParseError(f"unexpected {tok.text!r} in the expression")


def parse_tree(text: str) -> Node:
    """The syntax tree of ``text`` (bounded in length and depth)."""
    if len(text) > MAX_LENGTH:
        raise TutorError(f"the expression is too long (more than {MAX_LENGTH} characters)")
    if not text.strip():
        raise ParseError("the expression is empty")
    parser = _Parser(tokens(text))
    tree = parser.sum()
    if parser.peek.kind != "end":
        raise ParseError(f"unexpected {parser.peek.text!r} in the expression")
    return tree


def show(node: Node) -> str:
    """The node as plain text, for error messages."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Number):
        return str(node.value)
    if isinstance(node, Sum):
        return " + ".join(show(t) for t in node.terms).replace("+ -", "- ")
    if isinstance(node, Negative):
        return "-" + _grouped(node.arg)
    if isinstance(node, Product):
        return " ".join(_grouped(f) for f in node.factors)
    if isinstance(node, Transposed) and isinstance(node.arg, Inverse):
        return _grouped(node.arg.arg, products=True) + "^-T"
    if isinstance(node, Transposed):
        return _grouped(node.arg, products=True) + "^T"
    if isinstance(node, Trace):
        return f"tr({show(node.arg)})"
    if isinstance(node, Det):
        return f"det({show(node.arg)})"
    if isinstance(node, LogDet):
        return f"log det({show(node.arg)})"
    if isinstance(node, Inverse):
        return _grouped(node.arg, products=True) + "^-1"
    return f"||{show(node.arg)}||^2"


def _grouped(node: Node, products: bool = False) -> str:
    grouped = isinstance(node, (Sum, Negative)) or (products and isinstance(node, Product))
    return f"({show(node)})" if grouped else show(node)
