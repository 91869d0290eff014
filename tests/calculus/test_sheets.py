"""The calculus worked solutions read as a teacher writes them (rendered text, not only steps)."""
from __future__ import annotations

import sympy
from sympy import exp, log, sin

import tutor
from tutor.rendering import render
from tutor.calculus.inputs import function
from tutor.calculus.derivatives import ChainRule, ProductRule, diff_steps
from tutor.core.functions import relu, sigmoid

x, y, r, t = sympy.symbols("x y r t", real=True)


def text(kind: str, **inputs) -> str:
    sol = tutor.solve(kind, **inputs)
    assert all(st.check() for st in sol.walk())
    return render.render_solution(sol, "text")


def test_activations_written_as_in_ml_are_read_as_activations() -> None:
    assert function(r"\ln(\sigma(x))") == log(sigmoid(x))
    assert function(r"\mathrm{ReLU}(2x-1)") == relu(2 * x - 1)
    assert function("σ(x)^2") == sigmoid(x) ** 2
    # written out by the student: kept as written (the quotient rule applies)
    assert function(r"\frac{1}{1+e^{-x}}") == 1 / (1 + exp(-x))
    assert function(r"\sigma x") == sympy.Symbol("sigma", real=True) * x


def test_trivial_steps_are_one_line() -> None:
    out = text("derivative", function=x ** 2 * sin(3 * x))
    assert "d/dx (3x) = 3" in out
    assert "3 · d/dx" not in out and "· 1 =" not in out
    assert out.count("3x^2·cos(3x) + 2x·sin(3x)") == 2  # the last line and the answer, no "So ..."


def test_chain_letter_does_not_clash_with_product_letters() -> None:
    tree = diff_steps(x ** 2 * sin(exp(3 * x)), x)
    assert isinstance(tree, ProductRule)
    chains = [s for s in tree.walk() if isinstance(s, ChainRule)]
    assert chains and all(c.u.name not in ("u", "v") for c in chains)
    assert len({c.u.name for c in chains}) == len(chains)


def test_rule_formula_is_filled_in_before_the_result() -> None:
    out = text("derivative", function=exp(x) / (1 + x ** 2))
    assert "(e^x · (x^2 + 1) - e^x · 2x)/(x^2 + 1)^2" in out
    assert "(x - 1)^2" in out  # factored, as a teacher would


def test_gradient_and_jacobian_name_their_entries() -> None:
    out = text("gradient", function=x ** 2 * y, vars=[x, y], at={"x": 1, "y": 2})
    assert "∇f = [∂f/∂x  ∂f/∂y]" in out and "∇f(1, 2)" in out
    sol = tutor.solve("jacobian", functions=[r * sympy.cos(t), r * sin(t)], vars=[r, t])
    tex = render.render_solution(sol, "latex")
    assert r"\boldsymbol{x}" not in tex  # no vector x that the problem never defined


def test_taylor_terms_are_written_before_they_are_added() -> None:
    sol = tutor.solve("taylor", function=exp(x) * sympy.cos(y), vars=[x, y],
                      at={"x": 0, "y": 0}, order=2)
    assert all(st.check() for st in sol.walk())
    out = render.render_solution(sol, "text")
    assert "1x" not in out
    assert "= 1 + x + x^2/2 - y^2/2" in out


def test_chain_rule_scalar_result_is_not_a_matrix() -> None:
    out = text("chain", outer=x ** 2 + 2 * y,
               inner=[sympy.Eq(x, sin(t)), sympy.Eq(y, sympy.cos(t))])
    assert "df/dt = 2·(cos(t) - 1)·sin(t)" in out
