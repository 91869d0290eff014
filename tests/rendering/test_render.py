"""Every example renders in every format; sheets build to PDF when TeX is present."""
from __future__ import annotations

import json
import subprocess

import pytest
import sympy

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
    assert not displays_split_across_pages(pdf_path)


def displays_split_across_pages(pdf_path) -> list[str]:
    """Pages that open with the continuation of a display (``= …``, ``+ …``, ``⇝``): issue 18
    found a characteristic polynomial whose last line went over to the next page."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    openings = [next((line.strip() for line in page.splitlines() if line.strip()), "")
                for page in text.split("\f")[1:]]
    return [f"page {n}: {line}" for n, line in enumerate(openings, start=2)
            if line[:1] in ("=", "+", "−", "-", "⇝")]


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


def _text(kind: str, fmt: str = "text", **inputs) -> str:
    return render.render_solution(tutor.solve(kind, **inputs), fmt)


@pytest.mark.parametrize("kind, inputs, answer", [
    ("gradient", dict(function="x^2 y + e^{x y}", vars="x,y", at="x=1,y=0"), "∇f(1, 0) = [ 0  2 ]"),
    ("jacobian", dict(functions=["r \\cos(t)", "r \\sin(t)"], vars="r,t"), "J = [ cos(t)"),
    ("hessian", dict(function="x^3 y + y^2", vars="x,y"), "H = [ 6x·y  3x^2 ]"),
    ("chain", dict(outer="x_1^2 + 2 x_2", inner=["x_1 = \\sin(t)", "x_2 = \\cos(t)"]), "df/dt = 2·"),
    ("matrix_gradient", dict(expression="\\|y - \\Phi\\theta\\|^2", wrt="theta"), "∂f/∂θ = -2·"),
])
def test_calculus_kinds_close_with_an_answer_line(kind, inputs, answer):
    """Issue 18: gradient, Jacobian, Hessian, chain and matrix_gradient had no "Answer:" line."""
    out = _text(kind, **inputs)
    closing = out[out.rindex("ANSWER:"):]
    assert answer in closing


@pytest.mark.parametrize("kind, inputs, answer", [
    ("gradient", dict(function="5y^2 + \\log(x^2 + 2)", vars="x,y", at="x=1,y=1"), "∇f(1, 1) = [ 2/3  10 ]"),
    ("hessian", dict(function="x^3 y + y^2", vars="x,y", at="x=1,y=2"), "H(1, 2) = [ 12  3 ]"),
])
def test_a_value_at_a_point_is_the_answer_line_once(kind, inputs, answer):
    """The midterm's solutions printed ∇f(1, 1) = [2/3 10] twice: 'At the point', then 'Answer:'."""
    out = _text(kind, **inputs)
    assert out.count(answer) == 1 and "ANSWER: at the point" in out


def test_wording_without_repeats_and_needless_factors():
    """Issue 18: "The mean: The mean:", "6 = 6 = 6 ✓", "B⁻¹ = 1·[...]", "+ (-1)/2! y²"."""
    product = _text("gaussian_product", "markdown", mean1="1, 0", cov1="[[1, 0], [0, 2]]",
                    mean2="0, 1", cov2="[[2, 1], [1, 2]]")
    assert product.count("The mean:") == 1
    check = _text("system", equations=["3x = 6"])
    assert "3·2 = 6    ✓" in check and "= 6 = 6" not in check
    unimodular = _text("gaussian_product", "latex", mean1="1, 0", cov1="[[1, 0], [0, 2]]",
                       mean2="0, 1", cov2="[[2, 1], [1, 1]]")
    assert r"B^{-1} = \left[" in unimodular and r"B^{-1} = 1" not in unimodular
    taylor = _text("taylor", "latex", function="e^x \\cos(y)", vars="x,y", at="x=0,y=0", order=2)
    assert r"- \frac{1}{2!}\,y^{2}" in taylor and r"\frac{-1}" not in taylor
    assert "+ x\n" in _text("taylor", function="e^x \\cos(y)", vars="x,y", at="x=0,y=0", order=2)


def test_plain_text_writes_the_symbols_of_the_page():
    """Issue 18: text output leaked sympy's names (oo, sqrt(pi), factorial(k), pi)."""
    import sympy

    x, k = sympy.symbols("x k")
    assert plain(sympy.oo) == "∞" and plain(-sympy.oo) == "-∞"
    assert plain(sympy.sqrt(sympy.pi)) == "√π" and plain(sympy.sqrt(2) * x) == "√2·x"
    assert plain(sympy.factorial(k)) == "k!" and plain(sympy.factorial(k + 1)) == "(k + 1)!"
    assert plain(1 / sympy.sqrt(x)) == "1/√x"
    sheet = tutor.load_sheet(ROOT / "examples" / "probability.toml")
    text = render.render_document(tutor.solve_sheet(sheet), title=sheet.title, fmt="text")
    import re

    for leak in (r"\boo\b", r"sqrt\(", r"factorial\(", r"\bpi\b"):
        assert not re.search(leak, text), leak


def test_each_eigenspace_named_by_its_eigenvalue_written_once_the_same_way():
    """Issue 18: both eigenspaces were called E_λ; the eigenvalue read (3 - √13)/2 but the
    matrix 1/2 + √13/2."""
    text = _text("diagonalize", matrix="[[2,3],[1,1]]")
    assert "E_((3 - √13)/2)" in text and "E_((3 + √13)/2)" in text and "E_λ" not in text
    assert "(1 + √13)/2" in text and "1/2 + √13/2" not in text


def test_orthogonality_of_the_residual_is_computed_not_asserted():
    """Issue 18: ⟨u, x - π⟩ = 0 was stated without its arithmetic; vectors are bold."""
    text = _text("projection", vectors=["[1,1,1]", "[1,2,2]"])
    assert "⟨ u_1, x - π_U(x) ⟩ = 1·(4/9) + 2·(-1/9) + 2·(-1/9) = 0" in text
    latex = _text("projection", "latex", vectors=["[1,1,1]", "[1,2,2]"])
    assert r"\boldsymbol{u}_1" in latex and r"\pi_U(\boldsymbol{x})" in latex
    assert r"\pi_U(x)" not in latex


def test_the_independence_test_does_not_contradict_itself():
    """Issue 18 (linear-algebra p.8): "The row-echelon form is already reduced" followed by
    "we went on to the reduced row-echelon form"."""
    text = _text("independence", vectors=["[1,2,3]", "[2,4,6]", "[0,1,1]"])
    assert "already reduced" in text and "went on" not in text
    assert "read off the reduced row-echelon form above" in text


def test_a_pmf_does_not_share_its_letter_with_the_parameter_p():
    """Issue 18: the Geometric pmf read p(k) = p(1 - p)^{k-1}, pmf and parameter both p."""
    assert "P(X = k) = p·(1 - p)^(k - 1)" in _text("expectation", distribution="Geometric(p)")
    assert "p(k) = e^(-λ) λ^k/k!" in _text("expectation", distribution="Poisson(\\lambda)")


def test_the_adjoint_bar_covers_the_letter_not_its_index():
    """Issue 18 (calculus p.9-10): \\bar{a_6} put the bar over the index too."""
    sheet = tutor.load_sheet(ROOT / "examples" / "calculus.toml")
    latex = render.render_document(tutor.solve_sheet(sheet), title=sheet.title, fmt="latex")
    assert r"\bar{a}_{6}" in latex and r"\bar{a_{6}}" not in latex


def test_a_sheet_cites_an_svd_it_derived_instead_of_repeating_it():
    """Issue 18: the eigen sheet's rank-1 approximation recomputed the SVD of Problem 9 (and
    ker(AᵀA), which A₁ does not need); on a sheet it cites it, with the same σ₁, u₁, v₁."""
    sheet = tutor.load_sheet(ROOT / "examples" / "eigen.toml")
    solutions = tutor.solve_sheet(sheet)
    kinds = [s.kind for s in solutions]
    svd, low = kinds.index("svd"), kinds.index("low_rank")
    text = render.render_document(solutions, title=sheet.title, fmt="text")
    cited = text.split(f"Problem {low + 1}")[1]
    assert f"was derived in Problem {svd + 1}" in cited and "A^T A" not in cited
    U, S, V = (solutions[svd].answer.U, solutions[svd].answer.S, solutions[svd].answer.V)
    rank_k = next(s for s in solutions[low].walk() if s.rule == "svd.rank_k")
    assert rank_k.sigmas[0] == S[0, 0] and rank_k.us[0] == U[:, 0] and rank_k.vs[0] == V[:, 0]
    alone = tutor.render_solution(solutions[low], "text")
    assert "First the singular value decomposition" in alone and "was derived in" not in alone


def test_plain_text_writes_hats_and_partial_derivatives_as_on_the_page():
    """The models' text output read '^μ = 3/4' and '(∂)/(∂ μ)': μ̂ and ∂/∂μ, as written."""
    text = tutor.render_solution(tutor.solve("mle", model="Bernoulli(mu)", data="1,0,1,1"), "text")
    assert "μ̂ = 3/4" in text and "μ̂_ML = 3/4" in text and "^μ" not in text
    assert "∂/∂μ(-log L(θ))" in text and "∂^2/∂μ^2(-log L(θ))" in text and "(∂)" not in text
    assert plain(tex(r"\frac{\partial f}{\partial x_1}")) == "(∂ f)/(∂ x_1)"  # not a bare operator


def test_plain_text_writes_roots_intervals_and_max_as_on_the_page():
    """sympy's names leaked into the terminal: 'sqrt(1^2 + 1^2)' in a norm, 'Interval(-oo, oo)'
    in a conjugate's domain, 'Max(0, 1 - 2x)' in a hinge loss."""
    import sympy

    x = sympy.Symbol("x")
    text = tutor.render_solution(tutor.solve("norm", vector="[3, 5]"), "text")
    assert "√(3^2 + 5^2) = √(9 + 25) = √34" in text and "sqrt" not in text
    assert plain(sympy.Interval(-sympy.oo, sympy.oo)) == "(-∞, ∞)"
    assert plain(sympy.Interval.Ropen(0, 1)) == "[0, 1)"
    assert plain(sympy.Max(0, 1 - 2 * x)) == "max(0, 1 - 2x)"


@pytest.mark.parametrize("fmt", ["latex", "markdown", "text"])
def test_a_sum_of_numbers_is_written_constant_first_in_every_dialect(fmt):
    """Issue 18: sympy prints √2 + 2 but 2 - √2 (its own sort keys); a sum of numbers is
    written with its rational term first in LaTeX, Markdown and text, a polynomial keeps
    descending powers."""
    dialect = DIALECTS[fmt]
    r2, lam = sympy.sqrt(2), sympy.Symbol("lambda")
    out = {e: dialect.math_text(e) for e in (2 + r2, 2 - r2, 3 + 2 * r2, -1 + r2, lam**2 + 2 * lam + 1)}
    root = "√2" if fmt == "text" else r"\sqrt{2}"
    assert out[2 + r2].startswith("2 + " + root) and out[2 - r2].startswith("2 - " + root)
    assert out[-1 + r2].startswith("-1 + ") and out[3 + 2 * r2].startswith("3 + 2")
    assert out[lam**2 + 2 * lam + 1].replace(" ", "").startswith("λ^2" if fmt == "text" else r"\lambda^{2}")
    text = tutor.render_solution(tutor.solve("eigen", matrix="[[2,1],[1,2]]"), fmt)
    text += tutor.render_solution(tutor.solve("eigen", matrix="[[3,1],[1,1]]"), fmt)
    assert root + " + 2" not in text and "+ 2 +" not in text


def test_a_surd_over_a_denominator_is_one_fraction_everywhere_on_the_page():
    """Issue 18: the eigenvalue read (3 - √13)/2 but the Minus-1 trick's matrix -1/2 + √13/2."""
    for fmt in ("text", "latex"):
        text = tutor.render_solution(tutor.solve("diagonalize", matrix="[[2,3],[1,1]]"), fmt)
        assert "√13/2" not in text and r"\frac{\sqrt{13}}{2}" not in text
    assert plain(sympy.pi / 4 + sympy.Rational(1, 2)) == "1/2 + π/4"  # not algebraic: as sympy writes it
