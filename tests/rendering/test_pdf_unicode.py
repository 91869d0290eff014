"""PDF builds with any title (a Greek letter broke it), pdflatex's reason in the error, and
no stale PDF beside a new .tex after a failed build (issue 19, item 12)."""
from __future__ import annotations

import pytest

from tutor.rendering import render
from tutor.rendering.dialects import DIALECTS

needs_tex = pytest.mark.skipif(not render.tex_available(), reason="pdflatex is not installed")


def test_words_are_escaped_to_what_pdflatex_knows():
    escape = DIALECTS["latex"].escape
    assert escape("α ≤ Σ") == r"\ensuremath{\alpha} \ensuremath{\leq} \ensuremath{\Sigma}"
    assert escape("Ünïcödé — ok") == "Ünïcödé — ok"
    assert escape("中\x01") == r"\texttt{[U+4E2D]} "


@needs_tex
def test_a_title_in_any_script_builds(tmp_path):
    source = render.render_document([], title="Σ-algebras, α ≤ β, Ω — Übung 中文 😀 \u202e", fmt="latex")
    assert render.compile_pdf(source, tmp_path / "t.pdf").stat().st_size > 1000


@needs_tex
def test_a_failed_build_says_why_and_leaves_no_stale_pdf(tmp_path):
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF- an old build")
    with pytest.raises(render.TexFailed) as failure:
        render.compile_pdf("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}", pdf)
    assert "Undefined control sequence" in str(failure.value) and "doc.tex:1:" in str(failure.value)
    assert "old doc.pdf was removed" in str(failure.value) and not pdf.exists()
