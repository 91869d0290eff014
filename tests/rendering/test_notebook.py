"""Notebooks ("Code + Paper"): each problem's code recomputes its answer with SymPy alone and
asserts it; a generated notebook runs top to bottom in a fresh kernel; solutions and verdicts
display as Markdown in IPython."""
from __future__ import annotations

import dataclasses
import json

import pytest

import tutor
from tests.conftest import EXAMPLES, ROOT, example_solutions
from tutor.cli.main import main
from tutor.rendering.notebook import code_cell, notebook, solution_markdown


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_code_cell_of_every_example_runs_and_the_known_kinds_assert(path):
    for solution in example_solutions(path):
        code = code_cell(solution)
        exec(compile(code, f"<{solution.kind}>", "exec"), {})  # SymPy alone, nothing of tutor
        assert "tutor" not in code
        if "No SymPy recomputation" not in code:
            assert "assert " in code


@pytest.mark.parametrize("expression", [r"\log\det X + a^T X^{-1} b", r"\operatorname{tr}(A X B)",
                                        r"\operatorname{tr}(X^T A X) + \det X"])
def test_a_gradient_by_a_matrix_is_recomputed_entry_by_entry(expression):
    """tr, det and log det are 1 x 1 matrix expressions to the tutor and scalars to SymPy: the
    cell must still add them to aᵀX⁻¹b, and compare a gradient of the shape of X (was a
    TypeError once the calculus sheet had log det X + aᵀX⁻¹b)."""
    code = code_cell(tutor.solve("matrix_gradient", expression=expression, wrt="X"))
    exec(compile(code, "<matrix_gradient>", "exec"), {})
    assert "zeros(n, n)" in code


def test_a_wrong_answer_fails_its_cell():
    solution = tutor.solve("det", matrix="[[2,1],[7,4]]")
    wrong = dataclasses.replace(solution, answer=dataclasses.replace(solution.answer, value=solution.answer.value + 1))
    exec(code_cell(solution), {})
    with pytest.raises(AssertionError):
        exec(code_cell(wrong), {})


def test_the_notebook_command_writes_nbformat_4_with_markdown_and_code(tmp_path, capsys):
    out = tmp_path / "lecture1.ipynb"
    assert main(["notebook", str(ROOT / "examples" / "lecture1.toml"), "-o", str(out)]) == 0
    document = json.loads(out.read_text())
    assert document["nbformat"] == 4
    kinds = [c["cell_type"] for c in document["cells"]]
    assert kinds[0] == "markdown" and kinds[1:] == ["markdown", "code"] * ((len(kinds) - 1) // 2)
    assert "<details>" in "".join(document["cells"][1]["source"])
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.reads(out.read_text(), as_version=4))


def test_a_generated_notebook_runs_clean_in_a_fresh_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    solutions = example_solutions(ROOT / "examples" / "eigen.toml") + example_solutions(ROOT / "examples" / "lecture1.toml")
    nb = nbformat.reads(json.dumps(notebook(solutions, title="test")), as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    assert all(not any(o.get("output_type") == "error" for o in c.get("outputs", [])) for c in nb.cells)


def test_solutions_and_verdicts_display_as_markdown_in_ipython():
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactiveshell.InteractiveShell.instance()
    tutor._show_in_jupyter()
    solution = tutor.solve("det", matrix="[[2,1],[7,4]]")
    shown = shell.display_formatter.format(solution)[0]
    assert shown["text/markdown"] == solution_markdown(solution)
    verdict = tutor.check("det", "2", matrix="[[2,1],[7,4]]")
    assert "Not quite" in shell.display_formatter.format(verdict)[0]["text/markdown"]


def _one_of_every_kind(seed: int = 1) -> list:
    from tutor import topics
    from tutor.practice import draw

    return [draw.variant(kind, seed, 2).solution for kind in sorted(topics.all_kinds())]


def test_every_kind_gets_a_cell_that_recomputes_and_asserts():
    """No kind is left with an "inputs only" cell: each code cell recomputes the answer with SymPy
    from the inputs and asserts it (run here in-process; the slow test runs them in a kernel)."""
    from tutor import topics

    solutions = _one_of_every_kind()
    assert {s.kind for s in solutions} == set(topics.all_kinds())
    for solution in solutions:
        code = code_cell(solution)
        assert "No SymPy recomputation" not in code and "assert " in code and "tutor" not in code, solution.kind
    for solution in solutions[::6]:  # a sample here; all of them in the slow test
        exec(compile(code_cell(solution), f"<{solution.kind}>", "exec"), {})


@pytest.mark.parametrize("kind", ["lp", "pca", "backprop", "moments", "svd", "kkt"])
def test_a_wrong_answer_fails_the_cell_of_other_kinds_too(kind):
    """The assertions bite: the answer of the next seed's problem is not this problem's answer."""
    from tutor.practice import draw

    solution = draw.variant(kind, 1, 2).solution
    other = next(draw.variant(kind, seed, 2).solution for seed in range(2, 40)
                 if draw.variant(kind, seed, 2).solution.answer != solution.answer)
    with pytest.raises(Exception):  # an assertion, or a shape that does not fit: the cell fails
        exec(code_cell(dataclasses.replace(solution, answer=other.answer)), {})


def test_a_notebook_with_one_problem_of_every_kind_runs_clean_in_a_fresh_kernel():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.reads(json.dumps(notebook(_one_of_every_kind(), title="every kind")), as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    assert all(not any(o.get("output_type") == "error" for o in c.get("outputs", [])) for c in nb.cells)


def test_a_solution_a_sheet_and_a_verdict_display_as_markdown_and_latex_in_ipython():
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    from tutor.rendering.notebook import sheet_markdown, solution_latex, verdict_latex
    from tutor.topics.sheets import load_sheet

    shell = interactiveshell.InteractiveShell.instance()
    tutor._show_in_jupyter()
    solution = tutor.solve("det", matrix="[[2,1],[7,4]]")
    shown = shell.display_formatter.format(solution)[0]
    assert shown["text/latex"] == solution_latex(solution) and "\\begin{" in shown["text/latex"]
    verdict = tutor.check("det", "2", matrix="[[2,1],[7,4]]")
    latex = shell.display_formatter.format(verdict)[0]["text/latex"]
    assert latex == verdict_latex(verdict) and latex.startswith("\\textbf{Not quite.}") and "\\item" in latex
    hostile = tutor.check_expected("1", "x_{#}%$")
    assert "\\#" in shell.display_formatter.format(hostile)[0]["text/latex"] or not hostile.parsed
    sheet = load_sheet(ROOT / "examples" / "lecture1.toml")
    shown = shell.display_formatter.format(sheet)[0]
    assert shown["text/markdown"] == sheet_markdown(sheet) and shown["text/markdown"].startswith(f"## {sheet.title}")
    assert shown["text/markdown"].count("<details>") == len(sheet.problems)
    assert shown["text/latex"].count("\\subsection*") == len(sheet.problems)
