"""Rendering: Jinja templates -> LaTeX, Markdown, plain text; LaTeX -> PDF.

Each kind has one template, ``templates/kinds/<kind>.j2``, that defines two
macros, ``statement(problem)`` and ``solution(solution)``.  The words are in the
template; the formulas come from the dialect's calls (``m``, ``dm``, ``matrix``,
...), so one template serves every output format.  Documents (a sheet, an exam)
have one template per format in ``templates/documents/``.

Delimiters are ``\\BLOCK{...}`` and ``\\VAR{...}`` so that templates stay
readable as LaTeX; comments are ``((# ... #))``.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import jinja2
import sympy

from tutor import topics
from tutor.core import atomic
from tutor.core.symcheck import approximate
from tutor.rendering import pictures
from tutor.rendering.dialects import DIALECTS, Math, Raw, RowNote, tex
from tutor.core.errors import TutorError
from tutor.rendering.rows import transitions
from tutor.core.steps import Solution

FORMATS = ("latex", "markdown", "text", "json")
_DOCUMENT_SUFFIX = {"latex": "tex", "markdown": "md", "text": "txt"}


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once per machine, not once per run: compiling the 63 templates of
    one dialect takes about 1.5 s, most of a short ``tutor solve`` or ``tutor exam``.

    In the user's own cache directory (``$XDG_CACHE_HOME/tutor/templates``, else
    ``~/.cache/tutor/templates``), not Jinja's default in the shared temporary directory,
    where a planted symlink redirected it (and its target was chmod'ed) and a planted file
    disabled it (1.7 s per run).  An entry is keyed by the template's source checksum and
    the Python version, so an edited template is compiled again."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a cache that cannot be written only costs the next run a compile
            pass


def template_cache_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tutor" / "templates"


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """The cache, or None (compile every run) when its directory is not a real directory
    of this user's, private to them."""
    directory = template_cache_directory()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077
    return _CompiledTemplates(str(directory)) if private else None


@functools.cache
def environment(dialect_name: str) -> jinja2.Environment:
    """The Jinja environment of one output dialect (cached: templates compile once)."""
    dialect = DIALECTS[dialect_name]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tutor.rendering", "templates"),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string="((#",
        comment_end_string="#))",
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=True,  # with finalize: dialect escaping for values, macro output untouched
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=dialect.finalize,
        extensions=["jinja2.ext.do"],
        bytecode_cache=_compiled_templates(),
    )
    env.globals.update(
        dialect=dialect.name,
        pictures=pictures,
        m=dialect.m,
        dm=dialect.dm,
        lines=dialect.lines,
        scheme=dialect.scheme,
        em=dialect.em,
        strong=dialect.strong,
        heading=dialect.heading,
        items=dialect.items,
        matrix=dialect.matrix,
        tableau=dialect.tableau,
        tex=tex,
        RowNote=RowNote,
        raw=Raw,
        transitions=transitions,
        substituted=substituted,
        in_order=in_order,
        joined=joined,
        signed=signed,
        lincomb=lincomb,
        column=column,
        coefficient=coefficient,
        dot_terms=dot_terms,
        adjoint=adjoint,
        zip=zip,
        enumerate=enumerate,
    )
    env.filters["ordinal"] = _ordinal
    env.filters["commas"] = _commas
    env.filters["readable"] = readable
    env.tests["unreadable"] = unreadable
    return env


def unreadable(value: Any) -> bool:
    """An exact number too long to read: a quotient of sums of many powers of e (an RBF SVM's
    dual variables, hundreds of terms for 8 points)."""
    return isinstance(value, sympy.Basic) and len(value.atoms(sympy.exp)) > 12


def readable(value: Any) -> Any:
    """``value`` with every unreadable number in it to 10 significant digits (the exact value
    stays in the answer and the JSON); in a function of x, each term's number part."""
    if not unreadable(value):
        return value
    if not value.free_symbols:
        return sympy.Float(approximate(value, 10), 10)
    parts = []
    for term in sympy.Add.make_args(value):
        number, rest = term.as_independent(*value.free_symbols)
        parts.append(readable(number) * rest)
    return sympy.Add(*parts)


def substituted(expr: Any, variables: Sequence[Any], values: Iterable[Any]) -> Math:
    """``expr`` with the values put in, term by term, not evaluated.

    ``3x + y`` at (23/10, 21/10) reads ``3 \\cdot \\frac{23}{10} + \\frac{21}{10}``, in the
    order of the original terms, so that a student can redo the arithmetic of a check.
    """
    import sympy

    mapping = {v: sympy.UnevaluatedExpr(x) for v, x in zip(variables, values)}
    parts: list[Any] = []
    for k, term in enumerate(expr.as_ordered_terms()):
        negative = term.could_extract_minus_sign()
        with sympy.evaluate(False):
            body = (-term if negative else term).xreplace(mapping)
        if isinstance(body, sympy.UnevaluatedExpr) and body.args[0].could_extract_minus_sign():
            negative, body = not negative, sympy.UnevaluatedExpr(-body.args[0])
        parts.append(("-" if negative else "") if k == 0 else (" - " if negative else " + "))
        parts.append(body)
    return Math(parts)


def in_order(expr: Any, variables: Sequence[Any]) -> Math:
    """A linear expression with its terms in the order of the unknowns, then the constant:
    ``x + ay`` (sympy's order of terms puts ``ay`` first, the parameter's letter before x)."""
    import sympy

    expr = sympy.expand(expr)
    constant = expr.subs({v: 0 for v in variables})
    parts: list[Any] = []
    for c, v in [(expr.coeff(v), v) for v in variables] + [(constant, None)]:
        if c == 0:
            continue
        negative = c.could_extract_minus_sign() and not isinstance(c, sympy.Add)  # (1 - a)x as written
        magnitude = -c if negative else c
        parts.append(("-" if negative else "") if not parts else (" - " if negative else " + "))
        if v is None:
            parts.append(magnitude)
        elif magnitude == 1:
            parts.append(v)
        else:
            parts += ["\\left(", magnitude, "\\right)", v] if isinstance(magnitude, sympy.Add) \
                else [magnitude, "{}", v]
    return Math(parts or [sympy.S.Zero])


def joined(items: Iterable[Any], sep: str = ", ") -> Math:
    """Formulas side by side with a LaTeX separator between them: ``x, y, z``."""
    parts: list[Any] = []
    for k, item in enumerate(items):
        parts += [sep, item] if k else [item]
    return Math(parts)


def signed(terms: Iterable[Any]) -> Math:
    """Numbers added up as written: ``-1 - 9 - 15 - 7`` (a negative term's sign joins the
    sum, no ``+ (-9)``)."""
    parts: list[Any] = []
    for t in terms:
        negative = t.could_extract_minus_sign()
        parts += [(" - " if parts else "-") if negative else (" + " if parts else ""), -t if negative else t]
    return Math(parts or [0])


def lincomb(first: Any, coefficients: Sequence[Any], vectors: Sequence[Any]) -> Math:
    """``first + c_1 v_1 + c_2 v_2 + ...`` with the vectors shown as matrices."""
    parts: list[Any] = [first] if first is not None else []
    for c, v in zip(coefficients, vectors):
        negative = getattr(c, "could_extract_minus_sign", lambda: False)()
        sign = (" - " if parts else "-") if negative else (" + " if parts else "")
        parts += [sign, -c if negative else c, v]
    return Math(parts)


def dot_terms(u: Any, v: Any) -> Math:
    """``u_1 v_1 + u_2 v_2 + ...`` written out, not evaluated: the arithmetic of a dot
    product, so that a claimed 0 (an orthogonality check) can be followed."""
    import sympy

    slots = sympy.symbols(f"_s0:{len(v)}")
    with sympy.evaluate(False):
        expr = sympy.Add(*(sympy.Mul(a, s) for a, s in zip(u, slots) if a != 0))
    return substituted(expr, slots, list(v)) if expr != 0 else Math([sympy.S.Zero])


def adjoint(name: Any) -> Math:
    """The adjoint of a variable, ``\\bar{a}_6`` for ``a_6`` (the bar over the letter, not over
    the letter and its index as ``\\bar{a_6}`` would put it)."""
    import sympy

    base, _, index = str(name).partition("_")
    if not index:
        return tex("\\bar{", name, "}")
    return tex("\\bar{", sympy.Symbol(base), "}_{", index.strip("{}"), "}")


def coefficient(c: Any) -> Any:
    """A scalar written before a matrix or vector: nothing for 1 and a sign for -1, so a
    teacher's ``B^{-1} = [...]`` is not printed ``1 \\cdot [...]``."""
    if c == 1:
        return tex("")
    if c == -1:
        return tex("-")
    return c


def column(items: Iterable[Any]) -> Any:
    """A column vector of the items (e.g. the unknowns, to write ``x = (x, y)``)."""
    import sympy

    return sympy.ImmutableMatrix(list(items))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _commas(words: Sequence[Any], last: str = "and") -> list[Any] | str:
    """``[a, b, c]`` -> ``"a, b and c"`` for words; sympy objects are joined by the template."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def _kind_module(kind_name: str, dialect_name: str) -> Any:
    kind = topics.get(kind_name)
    return environment(dialect_name).get_template(kind.template_name).module


def statement_body(solution_or_problem: Any, fmt: str = "latex") -> str:
    problem = getattr(solution_or_problem, "problem", solution_or_problem)
    return collapse_blank_lines(str(_kind_module(problem.kind, fmt).statement(problem)))


def solution_body(solution: Solution, fmt: str = "latex", *, cited: int | None = None) -> str:
    """The worked solution; ``cited`` is the number of an earlier problem of the same sheet whose
    whole derivation this one begins with (its template cites it instead of repeating it)."""
    module = _kind_module(solution.kind, fmt)
    body = module.solution(solution, cited=cited) if cited else module.solution(solution)
    return collapse_blank_lines(str(body))


# A kind whose derivation begins with another kind's whole derivation of the same matrix: on a
# sheet that derived it already, the later problem cites it ("the SVD of A was found in Problem 9").
_BEGINS_WITH = {"low_rank": "svd"}


def _cited(solutions: Sequence[Solution], index: int) -> int | None:
    """The number (1-based) of the earlier problem that problem ``index`` may cite, if any."""
    solution = solutions[index]
    kind = _BEGINS_WITH.get(solution.kind)
    return next((j + 1 for j, earlier in enumerate(solutions[:index])
                 if earlier.kind == kind and earlier.problem["A"] == solution.problem["A"]), None)


def collapse_blank_lines(text: str) -> str:
    """Collapse runs of blank lines that template control flow leaves behind (every
    rendered document goes through here, the exams' too)."""
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip("\n").rstrip() + "\n"


@dataclass(frozen=True)
class Item:
    """One problem of a document, rendered."""

    title: str
    statement: str
    solution: str | None


def render_solution(solution: Solution, fmt: str = "text") -> str:
    """One worked solution as a standalone piece of text in the given format."""
    if fmt == "json":
        return json.dumps(solution.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "latex":
        return render_document([solution], title="Worked solution", fmt="latex")
    return statement_body(solution, fmt) + "\n" + solution_body(solution, fmt)


def render_document(solutions: Iterable[Solution], *, title: str, fmt: str = "latex",
                    subtitle: str = "", titles: Sequence[str] | None = None,
                    template: str = "sheet", with_solutions: bool = True) -> str:
    """A worked-solution sheet: title, then each problem with its worked solution (or, with
    ``with_solutions=False``, an exercise sheet: the problems only)."""
    if fmt not in _DOCUMENT_SUFFIX:
        raise TutorError(f"unknown document format {fmt!r}; use one of {', '.join(_DOCUMENT_SUFFIX)}")
    solutions = list(solutions)
    titles = list(titles) if titles else [""] * len(solutions)
    cite = template == "sheet"  # the problems of a sheet are read in order; an exam's are not
    items = [
        Item(t, Raw(statement_body(s, fmt)),
             Raw(solution_body(s, fmt, cited=_cited(solutions, i) if cite else None))
             if with_solutions else None)
        for i, (s, t) in enumerate(zip(solutions, titles))
    ]
    env = environment(fmt)
    doc = env.get_template(f"documents/{template}.{_DOCUMENT_SUFFIX[fmt]}.j2")
    return collapse_blank_lines(doc.render(title=title, subtitle=subtitle, items=items))


# -- PDF --------------------------------------------------------------------------


class TexMissing(TutorError):
    """No LaTeX compiler on this machine: the ``.tex`` is written, the PDF is not."""


class TexFailed(TutorError):
    """pdflatex ran and failed (or timed out)."""


def write_output(path: Path, text: str) -> Path:
    """Write one output file (a .tex, a key, a Markdown sheet), creating its folder,
    atomically and never through a planted symlink (:mod:`tutor.atomic`); a failure is
    one TutorError that names the file."""
    return atomic.write_text(path, text)


def tex_available() -> bool:
    """pdflatex and TikZ (the pictures need it): a TeX Live without texlive-pictures would
    fail on every sheet with a picture, so it counts as no TeX, and the .tex is still written."""
    if shutil.which("pdflatex") is None or shutil.which("kpsewhich") is None:
        return False
    found = subprocess.run(["kpsewhich", "tikz.sty"], capture_output=True, text=True, timeout=30)
    return bool(found.stdout.strip())


def compile_pdf(tex_source: str, pdf_path: Path | str, *, timeout: float = 60.0,
                log_path: Path | str | None = None) -> Path:
    """Compile LaTeX to PDF in a private temporary directory, hardened.

    ``-no-shell-escape`` (Debian's default is *restricted* shell escape, not off),
    ``openin_any=p``/``openout_any=p`` (no reading of arbitrary files),
    ``-halt-on-error`` and a wall-clock timeout that kills the whole process group
    (``\\def\\x{\\x}\\x`` loops forever otherwise).  ``SOURCE_DATE_EPOCH`` fixed, so the
    same source gives a byte-identical PDF.  ``log_path`` keeps pdflatex's log (the tests
    read it for lines that run past the margin).
    """
    pdf_path = Path(pdf_path)
    if not tex_available():
        raise TexMissing("pdflatex or TikZ not found: wrote the .tex only (`make tex` installs TeX Live with TikZ)")
    env = dict(os.environ, openin_any="p", openout_any="p", SOURCE_DATE_EPOCH="0",
               FORCE_SOURCE_DATE="1", TEXMFOUTPUT="")
    with tempfile.TemporaryDirectory(prefix="tutor-tex-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "doc.tex").write_text(tex_source, encoding="utf-8")
        env["HOME"] = tmp  # keep font caches out of the user's home
        cmd = ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", "doc.tex"]
        try:
            for _ in range(3):
                log = _run_tex(cmd, tmpdir, env, timeout)
                if "Rerun to get" not in log and "Label(s) may have changed" not in log:
                    break
        except TexFailed as e:  # no stale PDF beside the new .tex, as if it were built from it
            if pdf_path.is_symlink() or pdf_path.exists():
                pdf_path.unlink()
                raise TexFailed(f"{e} (the old {pdf_path.name} was removed)") from None
            raise
        atomic.copy_file(tmpdir / "doc.pdf", pdf_path)
        if log_path is not None:
            atomic.copy_file(tmpdir / "doc.log", Path(log_path))
    return pdf_path


# pdflatex's reasons: "! ..." lines, and with -file-line-error "./doc.tex:17: ..." ones
_TEX_ERROR = re.compile(r"!|(\./)?doc\.tex:\d+:")


def _run_tex(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TexFailed(f"pdflatex did not finish within {timeout:g} s") from None
    text = out.decode("utf-8", "replace")
    if proc.returncode != 0 or not (cwd / "doc.pdf").exists():
        errors = [line for line in text.splitlines() if _TEX_ERROR.match(line)]
        raise TexFailed("pdflatex failed: " + ("; ".join(errors[:3]) or "see the .tex"))
    return text
