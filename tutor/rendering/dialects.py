"""Output dialects: how words and formulas are written in LaTeX, Markdown and plain text.

A kind's template is written once, in words plus calls such as ``\\VAR{m(x)}``
(inline math), ``\\VAR{dm(...)}`` (display math) or ``\\VAR{augmented(...)}``.
Each dialect supplies those calls for its format, so LaTeX, Markdown and the
terminal share one template per kind and cannot drift apart.

Math is given as sympy objects or as :class:`Math` formulas built with ``tex()``
from sympy objects and small LaTeX fragments written by us (``R_2 \\leftarrow``);
the text dialect turns the few LaTeX commands we use into unicode.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import sympy
from markupsafe import Markup
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from tutor.linalg.roots import shown


class Raw(Markup):
    """Text already in the target format: the template engine does not escape it.

    It is a ``markupsafe.Markup`` so that Jinja (run with autoescape on) passes it,
    and the output of template macros, through untouched; everything else goes
    through :meth:`Dialect.finalize`, which escapes for the output format.
    """


class Math(tuple):
    """A formula made of parts: sympy objects, and strings that are LaTeX written by us.

    Each dialect prints the parts its own way (the text dialect prints sympy objects
    with its own printer and turns our LaTeX fragments into unicode), so a formula
    is built once in a template and reads well in every format.
    """


def tex(*parts: Any) -> Math:
    """A formula from parts: ``tex("R_2 \\leftarrow ", factor, "R_1")``."""
    return Math(parts)


def constant_first(terms: list) -> list:
    """The terms of a sum of numbers with the rational one first: ``2 + √2`` as ``2 - √2`` is
    written (sympy orders ``√2 + 2`` but ``2 - √2``, by its own sort keys); a sum with
    symbols keeps sympy's order (descending powers)."""
    if not any(t.free_symbols for t in terms):
        return sorted(terms, key=lambda t: not t.is_Rational)  # stable: the rest keeps its order
    return terms


class _LatexPrinter(LatexPrinter):
    """sympy's LaTeX printer with the constant of a sum of numbers first, and a sum of algebraic
    numbers over a common denominator as one fraction (:func:`roots.shown`): ``(1 + √13)/2``
    wherever it appears, in a matrix as in the eigenvalue it came from."""

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list:
        return constant_first(super()._as_ordered_terms(expr, order))

    def _print_Add(self, expr: Any, order: Any = None) -> str:  # noqa: N802 (sympy's naming)
        one = shown(expr) if not expr.free_symbols and expr.is_algebraic else expr
        return super()._print_Add(expr, order) if one is expr else self._print(one)


def latex(obj: Any) -> str:
    """sympy's LaTeX, with our conventions (``\\log`` for the natural log, as MML writes it;
    the constant of a sum of numbers first, :func:`constant_first`)."""
    if isinstance(obj, Math):
        return "".join(latex(p) for p in obj)
    if isinstance(obj, str):
        return obj
    if isinstance(obj, bool):
        return r"\text{" + ("true" if obj else "false") + "}"
    return _LatexPrinter({"ln_notation": False}).doprint(obj)


class _PlainPrinter(StrPrinter):
    """``str()`` as a student reads it: ``x^2``, unicode Greek letters and subscripts."""

    def _print_Symbol(self, expr: sympy.Symbol) -> str:  # noqa: N802 (sympy's naming)
        return pretty_symbol(expr.name)

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list:
        return constant_first(super()._as_ordered_terms(expr, order))

    def _print_Add(self, expr: Any, order: Any = None) -> str:  # noqa: N802 (as in LaTeX)
        one = shown(expr) if not expr.free_symbols and expr.is_algebraic else expr
        return super()._print_Add(expr, order) if one is expr else self._print(one)

    def _print_ImaginaryUnit(self, expr: Any) -> str:  # noqa: N802
        return "i"

    def _print_MatrixBase(self, expr: sympy.MatrixBase) -> str:  # noqa: N802
        if expr.cols == 1:
            return "(" + ", ".join(self._print(e) for e in expr) + ")ᵀ"
        return "[" + ", ".join(
            "[" + ", ".join(self._print(e) for e in expr.row(i)) + "]" for i in range(expr.rows)
        ) + "]"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Exp1(self, expr: Any) -> str:  # noqa: N802
        return "e"

    # the page's symbols, not sympy's names: ∞, π, k!, √2 (were oo, pi, factorial(k), sqrt(2))
    def _print_Infinity(self, expr: Any) -> str:  # noqa: N802
        return "∞"

    def _print_NegativeInfinity(self, expr: Any) -> str:  # noqa: N802
        return "-∞"

    def _print_Pi(self, expr: Any) -> str:  # noqa: N802
        return "π"

    def _print_Interval(self, expr: Any) -> str:  # noqa: N802: (-∞, ∞), [0, 1), as on the page
        left = "(" if expr.left_open else "["
        right = ")" if expr.right_open else "]"
        return f"{left}{self._print(expr.start)}, {self._print(expr.end)}{right}"

    def _print_Reals(self, expr: Any) -> str:  # noqa: N802
        return "ℝ"

    def _print_Max(self, expr: Any) -> str:  # noqa: N802: max(0, 1 - 2x), as LaTeX's \max
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr: Any) -> str:  # noqa: N802
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_factorial(self, expr: Any) -> str:
        arg = expr.args[0]
        text = self._print(arg)
        return f"{text}!" if arg.is_Atom else f"({text})!"

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:  # noqa: N802
        if expr.exp in (sympy.S.Half, -sympy.S.Half):
            text = self._print(expr.base)
            root = f"√{text}" if expr.base.is_Atom else f"√({text})"
            return root if expr.exp > 0 else f"1/{root}"
        if expr.exp.is_Integer and expr.exp < -1:  # 1/λ^2, as written, not λ^(-2)
            return "1/" + self._print_Pow(sympy.Pow(expr.base, -expr.exp), rational)
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_exp(self, expr: Any) -> str:
        """``e^x``, ``e^(x^2)``: as on the page, not sympy's ``exp(x)``."""
        arg = expr.args[0]
        text = self._print(arg)
        return f"e^{text}" if arg.is_Symbol or (arg.is_Integer and arg >= 0) else f"e^({text})"


def plain(obj: Any) -> str:
    if isinstance(obj, _Block):
        return str(obj)
    if isinstance(obj, Math):
        return "".join(plain(p) for p in _hats_joined(list(obj)))
    if isinstance(obj, str):
        return tex_to_plain(obj)
    if isinstance(obj, bool):
        return "true" if obj else "false"
    text = _PlainPrinter().doprint(obj).replace("**", "^")
    return _NUMBER_TIMES_NAME.sub(r"\1", text).replace("*", "·")


def _hats_joined(parts: list) -> list:
    """``tex("\\hat{", μ, "} = ", v)`` as one piece ``μ̂``: the hat is around a separate part."""
    out: list = []
    for part in parts:
        if isinstance(part, str) and part.startswith("}") and len(out) >= 2 \
                and isinstance(out[-2], str) and out[-2].endswith("\\hat{") and isinstance(out[-1], sympy.Symbol):
            symbol = out.pop()
            out[-1] = out[-1][:-len("\\hat{")]
            out += [_Block(plain(symbol) + "\u0302"), part[1:]]
        else:
            out.append(part)
    return out


_NUMBER_TIMES_NAME = re.compile(r"(?<![\w.^/√])(\d+)\*(?=[^\W\d]\w*(?![\w(]))")


_TEX_WORDS = {
    r"\leftarrow": "←", r"\rightarrow": "→", r"\Rightarrow": "⇒", r"\rightsquigarrow": "⇝",
    r"\cdot": "·", r"\times": "×", r"\neq": "≠", r"\leq": "≤", r"\geq": "≥", r"\le": "≤", r"\ge": "≥",
    r"\in": "∈",
    r"\notin": "∉",
    r"\quad": "  ", r"\qquad": "    ", r"\,": " ", r"\;": " ", r"\ldots": "…",
    r"\dots": "…", r"\cdots": "⋯", r"\infty": "∞", r"\partial": "∂", r"\nabla": "∇",
    r"\mathbb{R}": "ℝ", r"\top": "T", r"\sum": "Σ", r"\det": "det", r"\operatorname{rk}": "rk",
    r"\operatorname{rank}": "rank", r"\ker": "ker", r"\left": "", r"\right": "", r"\\": "; ",
    r"\int": "∫", r"\sim": "~", r"\to": "→",
    r"\mid": "|", r"\checkmark": "✓", r"\emptyset": "∅", r"\{": "\x00", r"\}": "\x01", r"\ ": " ",
    r"\leftrightarrow": "↔", r"\mapsto": "↦", r"\approx": "≈", r"\pm": "±", r"\sqrt": "√",
    r"\langle": "⟨", r"\rangle": "⟩", r"\|": "‖", r"\perp": "⊥", r"^{\circ}": "°",
}
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
          "tau upsilon phi chi psi omega").split()
_TEX_WORDS.update({"\\" + name: pretty_symbol(name) for name in _GREEK})
_TEX_WORDS.update({"\\" + name.capitalize(): pretty_symbol(name.capitalize()) for name in _GREEK})
_TEX_WORDS.update({r"\varepsilon": "ε", r"\varphi": "φ", r"\tilde": "~", r"\hat": "^",
                   r"\bar": "‾", r"\lVert": "‖", r"\rVert": "‖", r"\circ": "∘"})
_TEX_WORD_RE = re.compile("|".join(re.escape(k) for k in sorted(_TEX_WORDS, key=len, reverse=True)))


_HAT_RE = re.compile(r"\\hat\{(\\[A-Za-z]+|[A-Za-z])\}")
_PARTIAL_RE = re.compile(r"\\frac\{\\partial(?:\^\{?(\d)\}?)?\}\{\\partial\s*\(?(\\?[A-Za-z_{}\d]+?)\)?(?:\^\{?\d\}?)?\}")


def _partial(m: re.Match) -> str:
    order = f"^{m.group(1)}" if m.group(1) else ""
    return f"∂{order}/∂{m.group(2)}{order}"


def tex_to_plain(fragment: str) -> str:
    """The LaTeX fragments our templates write, in unicode (``\\frac{a}{b}`` -> ``(a)/(b)``)."""
    out = _HAT_RE.sub(lambda m: m.group(1) + "\u0302", fragment)  # μ̂, not ^μ
    out = _PARTIAL_RE.sub(_partial, out)  # ∂/∂μ and ∂^2/∂μ^2, not (∂)/(∂ μ)
    out = _TEX_WORD_RE.sub(lambda m: _TEX_WORDS[m.group(0)], out)
    out = re.sub(r"\\frac(\d)(\d)", r"\1/\2", out)
    previous = None
    while out != previous:  # innermost groups first, so nested fractions and scripts unfold
        previous = out
        out = re.sub(r"\\(?:text|mathrm|operatorname|mathbf|boldsymbol)\{([^{}]*)\}", r"\1", out)
        out = re.sub(r"_\{([^{}]*)\}", lambda m: "_" + _group(m.group(1)), out)
        out = re.sub(r"\^\{([^{}]*)\}", lambda m: "^" + _group(m.group(1)), out)
        out = re.sub(r"√\{([^{}]*)\}", lambda m: "√" + _group(m.group(1)), out)
        out = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}",
                     lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", out)
    out = re.sub(r"\\([A-Za-z]+)", r"\1", out)
    return out.replace("{", "").replace("}", "").replace("\x00", "{").replace("\x01", "}")


def _group(script: str) -> str:
    """A sub- or superscript in plain text: ``x_1``, ``(-1)^(i+j)``."""
    return script if re.fullmatch(r"√?[\w.']*", script) else f"({script})"


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_SPECIALS_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIALS))
# Characters pdflatex's utf8 inputenc with T1 fonts does not know (a Greek letter in a
# title broke the build): Greek and common math signs as math macros, anything else beyond
# Latin Extended-A and the usual punctuation as its code point, control characters as spaces.
_UNICODE_MACROS = dict(zip(
    "αβγδεζηθικλμνξπρςστυφχψωϵϑϕΓΔΘΛΞΠΣΥΦΨΩ≤≥≠≈∞−√∈∉⊂⊆∪∩→←↔⇒⇔∀∃∂∇∑∏∫",
    r"\alpha \beta \gamma \delta \varepsilon \zeta \eta \theta \iota \kappa \lambda \mu \nu \xi \pi "
    r"\rho \varsigma \sigma \tau \upsilon \varphi \chi \psi \omega \epsilon \vartheta \phi \Gamma \Delta "
    r"\Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega \leq \geq \neq \approx \infty - \surd \in "
    r"\notin \subset \subseteq \cup \cap \to \leftarrow \leftrightarrow \Rightarrow \Leftrightarrow "
    r"\forall \exists \partial \nabla \sum \prod \int".split()))
_GREEK_AS_LATIN = dict(zip("οΑΒΕΖΗΙΚΜΝΟΡΤΧ", "oABEZHIKMNOPTX"))
_T1_PUNCTUATION = set("–—‘’‚“”„†‡•…‰‹›€™")
_LATEX_UNKNOWN_RE = re.compile("[^\n\t\x20-\x7e\xa0-\u017f]")


def _latex_unicode(ch: str) -> str:
    if ch in _UNICODE_MACROS:
        return rf"\ensuremath{{{_UNICODE_MACROS[ch]}}}"
    if ch in _GREEK_AS_LATIN or ch in _T1_PUNCTUATION:
        return _GREEK_AS_LATIN.get(ch, ch)
    if ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0:
        return " "
    return rf"\texttt{{[U+{ord(ch):04X}]}}"
_MARKDOWN_SPECIALS_RE = re.compile(r"([\\`*_{}\[\]<>#|$])")


@dataclass(frozen=True)
class RowNote:
    """Words written beside one row of a displayed matrix (a row operation)."""

    row: int
    text: Math


class Dialect:
    """The LaTeX dialect; the others override what differs."""

    name = "latex"

    def escape(self, text: str) -> str:
        text = _LATEX_SPECIALS_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)
        return _LATEX_UNKNOWN_RE.sub(lambda m: _latex_unicode(m.group()), text)

    def finalize(self, value: Any) -> Any:
        """What ``\\VAR{value}`` prints: markup as is, words escaped, objects as inline math."""
        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return Raw(self.escape(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return Raw(str(value))
        return self.m(value)

    # -- math -------------------------------------------------------------
    def math_text(self, obj: Any) -> str:
        return latex(obj)

    def m(self, *parts: Any) -> Raw:
        return Raw("$" + "".join(self.math_text(p) for p in parts) + "$")

    def dm(self, *parts: Any) -> Raw:
        return Raw("\n\\[\n" + "".join(self.math_text(p) for p in parts) + "\n\\]\n")

    def lines(self, rows: Iterable[Sequence[Any]]) -> Raw:
        """Display math on several lines, aligned at the first ``&``-separated part."""
        body = " \\\\\n".join(" & ".join(self.math_text(p) for p in row) for row in rows)
        return Raw("\n\\begin{align*}\n" + body + "\n\\end{align*}\n")

    def scheme(self, rows: Sequence[Sequence[Any]]) -> Raw:
        """A division scheme (Horner's): a rule after the first column and above the last row;
        ``None`` is an empty cell."""
        cols = "r|" + "r" * (len(rows[0]) - 1)
        body = [" & ".join("" if c is None else self.math_text(c) for c in row) for row in rows]
        table = " \\\\ ".join(body[:-1]) + " \\\\ \\hline " + body[-1]
        return self.dm("\\begin{array}{" + cols + "} " + table + " \\end{array}")

    # -- words ------------------------------------------------------------
    def em(self, text: str) -> Raw:
        return Raw(r"\emph{" + self.escape(text) + "}")

    def strong(self, text: str) -> Raw:
        return Raw(r"\textbf{" + self.escape(text) + "}")

    def heading(self, text: str) -> Raw:
        return Raw("\n\\paragraph{" + self.escape(text) + "}\n")

    def items(self, entries: Iterable[Any]) -> Raw:
        body = "".join("  \\item " + str(self.finalize(e)) + "\n" for e in entries)
        return Raw("\n\\begin{itemize}\n" + body + "\\end{itemize}\n") if body else Raw("")

    # -- matrices -----------------------------------------------------------
    def matrix_tex(self, M: sympy.MatrixBase, bar: int | None = None,
                   notes: Sequence[RowNote] = ()) -> str:
        """A matrix in brackets; ``bar``: a vertical bar before that column (``[A | b]``).

        ``notes`` are written beside the rows they concern, in a second array whose
        rows carry an invisible copy of the matrix row so that heights line up.
        """
        cols = "r" * M.cols if bar is None else "r" * bar + "|" + "r" * (M.cols - bar)
        # an entry such as 1/2 + √13/2 as one fraction, (1 + √13)/2, as the eigenvalue is written
        rows = [[latex(shown(e)) for e in M.row(i)] for i in range(M.rows)]
        body = r" \\ ".join(" & ".join(r) for r in rows)
        out = r"\left[\begin{array}{" + cols + "}" + body + r"\end{array}\right]"
        if notes:
            by_row = {n.row: n.text for n in notes}
            side = r" \\ ".join(
                r"\vphantom{" + "".join(rows[i]) + "}" + latex(by_row.get(i, "")) for i in range(M.rows)
            )
            out += r"\begin{array}{l}" + side + r"\end{array}"
        return out

    def matrix(self, M: sympy.MatrixBase, bar: int | None = None,
               notes: Sequence[RowNote] = ()) -> Math:
        return Math((self.matrix_tex(M, bar, notes),))

    def tableau(self, T: sympy.MatrixBase, heads: Sequence[Any], labels: Sequence[Any],
                pivot: tuple[int, int] | None = None) -> Math:
        """A simplex tableau: the column names over it, the basic variable left of each row, a
        rule above the last row (the reduced costs) and before the last column (the right-hand
        side); the pivot entry boxed."""
        def cell(i: int, j: int) -> str:
            text = latex(shown(T[i, j]))
            return r"\boxed{" + text + "}" if (i, j) == pivot else text
        head = " & ".join([""] + [latex(h) for h in heads] + [r"\bar{b}"])
        rows = [" & ".join([latex(labels[i]) if i < len(labels) else r"\bar{c}"] + [cell(i, j) for j in range(T.cols)])
                for i in range(T.rows)]
        body = (r" \\ ".join(rows[:-1]) + r" \\ \hline " if rows[:-1] else "") + rows[-1]
        cols = "c|" + "r" * (T.cols - 1) + "|r"
        return Math((r"\begin{array}{" + cols + "}" + head + r" \\ \hline " + body + r"\end{array}",))


class MarkdownDialect(Dialect):
    """Markdown with ``$...$`` math (MathJax/KaTeX read the same LaTeX as the PDF)."""

    name = "markdown"

    def escape(self, text: str) -> str:
        return _MARKDOWN_SPECIALS_RE.sub(r"\\\1", text)

    def dm(self, *parts: Any) -> Raw:
        return Raw("\n$$\n" + "".join(self.math_text(p) for p in parts) + "\n$$\n")

    def lines(self, rows: Iterable[Sequence[Any]]) -> Raw:
        body = " \\\\\n".join(" & ".join(self.math_text(p) for p in row) for row in rows)
        return Raw("\n$$\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n$$\n")

    def em(self, text: str) -> Raw:
        return Raw("*" + self.escape(text) + "*")

    def strong(self, text: str) -> Raw:
        return Raw("**" + self.escape(text) + "**")

    def heading(self, text: str) -> Raw:
        return Raw("\n**" + self.escape(text) + "**\n\n")

    def items(self, entries: Iterable[Any]) -> Raw:
        return Raw("\n" + "".join("- " + str(self.finalize(e)) + "\n" for e in entries) + "\n")


class TextDialect(Dialect):
    """Plain terminal text: unicode formulas, matrices drawn with brackets."""

    name = "text"

    def escape(self, text: str) -> str:
        return text

    def math_text(self, obj: Any) -> str:
        return plain(obj)

    def m(self, *parts: Any) -> Raw:
        return Raw("".join(self.math_text(p) for p in parts))

    def dm(self, *parts: Any) -> Raw:
        return Raw("\n" + _indent(self._hjoin(parts)) + "\n")

    def _hjoin(self, parts: Sequence[Any]) -> str:
        """Parts side by side; a drawn matrix spans several lines, the rest is centred on it."""
        blocks = [
            (self.matrix_block(p) if isinstance(p, sympy.MatrixBase) else self.math_text(p)).split("\n")
            for p in _hats_joined(list(_flatten(parts)))
        ]
        height = max((len(b) for b in blocks), default=1)
        out = [""] * height
        for b in blocks:
            width = max(len(line) for line in b)
            top = (height - len(b)) // 2
            for i in range(height):
                j = i - top
                out[i] += (b[j] if 0 <= j < len(b) else "").ljust(width)
        return "\n".join(line.rstrip() for line in out)

    def lines(self, rows: Iterable[Sequence[Any]]) -> Raw:
        drawn = [self._hjoin(_spaced(row)) for row in rows]
        sep = "\n\n" if any("\n" in d for d in drawn) else "\n"
        return Raw("\n" + _indent(sep.join(drawn)) + "\n")

    def scheme(self, rows: Sequence[Sequence[Any]]) -> Raw:
        cells = [["" if c is None else self.math_text(c) for c in row] for row in rows]
        widths = [max(len(row[j]) for row in cells) for j in range(len(cells[0]))]
        drawn = [row[0].rjust(widths[0]) + " | " + "  ".join(c.rjust(w) for c, w in zip(row[1:], widths[1:]))
                 for row in cells]
        drawn.insert(len(drawn) - 1, "-" * max(len(d) for d in drawn))
        return Raw("\n" + _indent("\n".join(drawn)) + "\n")

    def em(self, text: str) -> Raw:
        return Raw(text)

    def strong(self, text: str) -> Raw:
        return Raw(text.upper() if len(text) < 20 else text)

    def heading(self, text: str) -> Raw:
        return Raw("\n" + text + "\n" + "-" * len(text) + "\n")

    def items(self, entries: Iterable[Any]) -> Raw:
        return Raw("\n" + "".join("  * " + str(self.finalize(e)) + "\n" for e in entries))

    def matrix_block(self, M: sympy.MatrixBase, bar: int | None = None,
                     notes: Sequence[RowNote] = ()) -> str:
        cells = [[plain(shown(e)) for e in M.row(i)] for i in range(M.rows)]
        widths = [max((len(cells[i][j]) for i in range(M.rows)), default=0) for j in range(M.cols)]
        by_row = {n.row: plain(n.text) for n in notes}
        out = []
        for i, row in enumerate(cells):
            parts = [c.rjust(w) for c, w in zip(row, widths)]
            if bar is not None:
                parts.insert(bar, "|")
            line = "[ " + "  ".join(parts) + " ]"
            if i in by_row:
                line += "   " + by_row[i]
            out.append(line)
        return "\n".join(out)

    def matrix(self, M: sympy.MatrixBase, bar: int | None = None,
               notes: Sequence[RowNote] = ()) -> Math:
        return Math((_Block(self.matrix_block(M, bar, notes)),))

    def tableau(self, T: sympy.MatrixBase, heads: Sequence[Any], labels: Sequence[Any],
                pivot: tuple[int, int] | None = None) -> Math:
        cells = [[""] + [plain(h) for h in heads] + ["b̄"]]
        for i in range(T.rows):
            row = [plain(shown(T[i, j])) for j in range(T.cols)]
            if pivot and pivot[0] == i:
                row[pivot[1]] = "[" + row[pivot[1]] + "]"
            cells.append([plain(labels[i]) if i < len(labels) else "c̄"] + row)
        widths = [max(_width(r[j]) for r in cells) for j in range(len(cells[0]))]

        def line(r: list[str]) -> str:
            parts = [" " * (w - _width(c)) + c for c, w in zip(r, widths)]
            return " | ".join([parts[0], "  ".join(parts[1:-1]), parts[-1]])
        rule = "-" * _width(line(cells[0]))
        drawn = [line(cells[0]), rule] + [line(r) for r in cells[1:-1]] + ([rule] if len(cells) > 2 else []) \
            + [line(cells[-1])]
        return Math((_Block("\n".join(drawn)),))


def _width(text: str) -> int:
    """The columns a text takes in a terminal: a combining mark (the bar of b̄) takes none."""
    return sum(not unicodedata.combining(ch) for ch in text)


class _Block(str):
    """A multi-line text block (a drawn matrix): printed as is by the text dialect."""


def _spaced(cells: Sequence[Any]) -> list[Any]:
    """Aligned cells side by side need a space between them in plain text."""
    out: list[Any] = []
    for k, cell in enumerate(cells):
        out += [" ", cell] if k else [cell]
    return out


def _flatten(parts: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for p in parts:
        out.extend(_flatten(p) if isinstance(p, Math) else [p])
    return out


def _indent(body: str) -> str:
    return "\n".join("    " + line if line else line for line in body.split("\n"))


DIALECTS: dict[str, Dialect] = {d.name: d for d in (Dialect(), MarkdownDialect(), TextDialect())}
