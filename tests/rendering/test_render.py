"""Every example renders in every format; sheets build to PDF when TeX is present."""
from __future__ import annotations

import json

import pytest

import tutor
from tutor.rendering import render
from tutor.rendering.dialects import DIALECTS, RowNote, plain, tex

from tests.conftest import ROOT, example_solutions, widest_overfull_line


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex", "json"])
def test_every_example_renders(example_sheet, fmt):
    for sol in example_solutions(example_sheet):
        out = render.render_solution(sol, fmt)
        assert out.strip()
        if fmt == "json":
            data = json.loads(out)
            assert {"kind", "answer", "steps"} <= set(data)
            assert all("rule" in s and "substeps" in s for s in data["steps"])
        if fmt == "text":
            assert "\\frac" not in out and "\\left" not in out, out


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex not installed")
def test_every_example_sheet_builds_to_pdf_within_the_margins(example_sheet, tmp_path):
    sheet = tutor.load_sheet(example_sheet)
    pdf_path = render.compile_pdf(tutor.render_latex(sheet), tmp_path / "sheet.pdf",
                                  log_path=tmp_path / "sheet.log")
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert widest_overfull_line(tmp_path / "sheet.log") < 10


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex not installed")
def test_pdf_is_reproducible(tmp_path):
    sol = tutor.solve("system", equations=["3x + y = 9", "4x - 2y = 5"])
    a = render.compile_pdf(render.render_solution(sol, "latex"), tmp_path / "a.pdf").read_bytes()
    b = render.compile_pdf(render.render_solution(sol, "latex"), tmp_path / "b.pdf").read_bytes()
    assert a == b


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex not installed")
def test_tex_that_loops_is_stopped(tmp_path):
    source = r"\documentclass{article}\begin{document}\def\x{\x}\x\end{document}"
    with pytest.raises(render.TexFailed):
        render.compile_pdf(source, tmp_path / "loop.pdf", timeout=3)


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex not installed")
def test_tex_cannot_read_arbitrary_files(tmp_path):
    source = r"\documentclass{article}\begin{document}\input{/etc/hostname}\end{document}"
    with pytest.raises(render.TexFailed):
        render.compile_pdf(source, tmp_path / "x.pdf", timeout=20)


@pytest.mark.parametrize("text, expected", [
    ("a_b & c", r"a\_b \& c"),
    ("50% of $x", r"50\% of \$x"),
    ("{~^\\}", r"\{\textasciitilde{}\textasciicircum{}\textbackslash{}\}"),
])
def test_latex_escapes_user_words(text, expected):
    assert DIALECTS["latex"].finalize(text) == expected


def test_text_dialect_draws_matrices_with_notes():
    import sympy

    M = sympy.Matrix([[3, 1, 9], [4, -2, 5]])
    out = DIALECTS["text"].dm(DIALECTS["text"].matrix(M, bar=2, notes=[RowNote(1, tex(r"R_2 \leftarrow 3R_2 - 4R_1"))]))
    assert "[ 3   1  |  9 ]" in out and "R_2 ← 3R_2 - 4R_1" in out
    assert plain(sympy.Symbol("lambda") ** 2) == "λ^2"


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex not installed")
def test_render_pdf_writes_tex_and_pdf(tmp_path):
    tex_path, pdf_path = tutor.render_pdf(tutor.load_sheet(ROOT / "examples" / "lecture1.toml"), tmp_path)
    assert tex_path.read_text().startswith("\\documentclass") and pdf_path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("exists", [True, False])
def test_templates_from_the_bytecode_cache_render_the_same(tmp_path, monkeypatch, exists):
    """Templates compiled in one run and loaded in the next give the same text; a cache
    directory that cannot be written to only means compiling again, never an error."""
    directory = tmp_path / ("cache" if exists else "missing")
    if exists:
        directory.mkdir()
    monkeypatch.setattr(render, "_compiled_templates", lambda: render._CompiledTemplates(str(directory)))
    sol = tutor.solve("det", matrix="[[1,2],[3,4]]")
    try:
        render.environment.cache_clear()
        compiled = render.render_solution(sol, "latex")
        assert any(directory.iterdir()) if exists else not directory.exists()
        render.environment.cache_clear()
        assert render.render_solution(sol, "latex") == compiled
    finally:
        render.environment.cache_clear()
