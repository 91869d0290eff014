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
