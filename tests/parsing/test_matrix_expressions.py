"""The matrix-calculus reader: the spellings of the trace (issue 18)."""
from __future__ import annotations

import pytest

from tutor.core.errors import ParseError
from tutor.parsing.matrix_expressions import Name, Product, Trace, Transposed, parse_tree, show


@pytest.mark.parametrize("text", ["tr(X^T A)", "\\operatorname{tr}(X^T A)", "\\mathrm{tr}(X^\\top A)",
                                  "trace(X'A)", "\\operatorname{tr}\\left(X^T A\\right)", "\\tr(Xᵀ A)",
                                  "\\operatorname{trace}(X^T A)"])
def test_the_spellings_of_the_trace(text: str) -> None:
    assert parse_tree(text) == Trace(Product((Transposed(Name("X")), Name("A"))))
    assert show(parse_tree(text)) == "tr(X^T A)"


def test_t_r_without_parentheses_stays_a_product() -> None:
    assert parse_tree("t r") == Product((Name("t"), Name("r")))


def test_a_trace_needs_parentheses() -> None:
    with pytest.raises(ParseError, match="parentheses"):
        parse_tree("\\operatorname{tr} X")
