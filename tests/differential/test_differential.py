"""The differential test in CI: a fixed seed and a budget; and the comparisons themselves
tested on altered answers (a transpose, swapped columns, a 1e-8 change) that they must flag."""
from __future__ import annotations

import dataclasses
import os

import pytest
import sympy

from .oracles import flagged, solved
from .runner import problems, run, table

#: Wall-clock seconds for the CI run (about 2-3 minutes with the rest of the suite's load).
BUDGET = float(os.environ.get("DIFFTEST_CI_BUDGET", "150"))


@pytest.mark.differential
def test_every_kind_agrees_with_an_independent_computation() -> None:
    """Problems of every kind (generators and independent inputs, seed 20) until the budget:
    no wrong answer, no crash, no failing step check, nothing past the worker's limit."""
    outcomes = run(problems(47 * 16, seed=20), budget=BUDGET)
    assert len({o.kind for o in outcomes}) >= 47 or len(outcomes) >= 47, table(outcomes)
    bad = [o for o in outcomes if o.status in ("wrong", "crashed", "timeout") or o.failing_checks]
    assert not bad, table(outcomes)


def _nudge(M: sympy.Matrix) -> sympy.Matrix:
    """The matrix with its first nonzero entry changed by 1e-8 (relative)."""
    M = sympy.Matrix(M)
    k = next(i for i, e in enumerate(M) if e != 0)
    M[k] = M[k] * (1 + sympy.Rational(1, 10**8))
    return M


def test_the_comparisons_flag_altered_answers() -> None:
    raw, ans = solved("inverse", matrix="[[2, 1, 0], [1, 3, 1], [0, 1, 4]]")
    assert not flagged("inverse", raw, ans)
    raw, ans = solved("inverse", matrix="[[1, 2], [3, 5]]")
    assert flagged("inverse", raw, dataclasses.replace(ans, value=ans.value.T))
    assert flagged("inverse", raw, dataclasses.replace(ans, value=_nudge(ans.value)))

    raw, ans = solved("diagonalize", matrix="[[2, 1], [1, 3]]")
    assert not flagged("diagonalize", raw, ans)
    swapped = ans.P[:, ::-1]
    assert flagged("diagonalize", raw, dataclasses.replace(ans, P=swapped))
    assert flagged("diagonalize", raw, dataclasses.replace(ans, P=_nudge(ans.P)))
    assert flagged("diagonalize", raw, dataclasses.replace(ans, diagonalizable=False))

    raw, ans = solved("svd", matrix="[[1, 2], [2, 1]]")
    assert not flagged("svd", raw, ans)
    assert flagged("svd", raw, dataclasses.replace(ans, U=ans.U.T))
    assert flagged("svd", raw, dataclasses.replace(ans, V=ans.V[:, ::-1]))
    assert flagged("svd", raw, dataclasses.replace(ans, S=_nudge(ans.S)))

    raw, ans = solved("eigen", matrix="[[2, 1], [0, 3]]")
    assert not flagged("eigen", raw, ans)
    first, second = ans.eigenvalues
    assert flagged("eigen", raw, dataclasses.replace(ans, eigenvalues=(
        dataclasses.replace(first, basis=second.basis), dataclasses.replace(second, basis=first.basis))))
    assert flagged("eigen", raw, dataclasses.replace(ans, eigenvalues=(
        dataclasses.replace(first, value=first.value * (1 + sympy.Rational(1, 10**8))), second)))
    # an eigenvector at another scale is still right
    assert not flagged("eigen", raw, dataclasses.replace(ans, eigenvalues=(
        dataclasses.replace(first, basis=(-3 * first.basis[0],)), second)))

    raw, ans = solved("kernel", matrix="[[1, 2, 3], [2, 4, 6]]")
    assert not flagged("kernel", raw, ans)
    assert flagged("kernel", raw, dataclasses.replace(ans, vectors=ans.vectors[:1]))
    assert flagged("kernel", raw, dataclasses.replace(ans, vectors=(_nudge(ans.vectors[0]), ans.vectors[1])))
    # another basis of the same kernel is right
    u, v = ans.vectors
    assert not flagged("kernel", raw, dataclasses.replace(ans, vectors=(u + v, u - 2 * v)))

    raw, ans = solved("system", equations=["x + y + z = 1", "x - y = 0"])
    assert not flagged("system", raw, ans)
    assert flagged("system", raw, dataclasses.replace(ans, particular=_nudge(ans.particular)))
    assert flagged("system", raw, dataclasses.replace(ans, directions=()))

    raw, ans = solved("hessian", function="x^3*y + sin(x*y)", vars="x,y")
    assert not flagged("hessian", raw, ans)
    H = sympy.Matrix(ans.value)
    H[0, 1] = H[0, 1] + sympy.Rational(1, 10**8)
    assert flagged("hessian", raw, dataclasses.replace(ans, value=H))

    raw, ans = solved("covariance", joint="[[0.1,0.2,0.1],[0.2,0.1,0.3]]", x_values="1,2", y_values="-1,0,1")
    assert not flagged("covariance", raw, ans)
    assert flagged("covariance", raw, dataclasses.replace(ans, value=sympy.Float("0.0400390625")))
    assert flagged("covariance", raw, dataclasses.replace(ans, value=sympy.Rational(1, 25) + sympy.Rational(1, 10**10)))

    raw, ans = solved("expectation", distribution="Exponential(1)", of="log(X)")
    assert not flagged("expectation", raw, ans)
    assert flagged("expectation", raw, dataclasses.replace(ans, value=sympy.EulerGamma))


def _tiny(e) -> sympy.Expr:
    """``e`` changed by 1e-8 (relative, or absolute at 0)."""
    return e * (1 + sympy.Rational(1, 10**8)) if e != 0 else sympy.Rational(1, 10**8)


def test_the_comparisons_of_the_second_round_flag_altered_answers() -> None:
    """The oracles of the 12 kinds checked since (chain ... change_of_variables): each flags a
    transpose, a sign flip or a 1e-8 change, and accepts an equivalent correct form."""
    raw, ans = solved("chain", outer="x_1^2*x_2", inner=["x_1 = s*t", "x_2 = sin(t)"])
    assert not flagged("chain", raw, ans)
    assert not flagged("chain", raw, dataclasses.replace(ans, value=ans.value.applyfunc(sympy.expand_trig)))
    assert flagged("chain", raw, dataclasses.replace(ans, value=ans.value[:, ::-1]))  # ∂/∂t first
    assert flagged("chain", raw, dataclasses.replace(ans, value=ans.value + sympy.Matrix([[0, 10**-8]])))

    raw, ans = solved("autodiff", function="x*exp(y) + sin(x*y)", at="x=1,y=2", mode="forward")
    assert not flagged("autodiff", raw, ans)
    assert flagged("autodiff", raw, dataclasses.replace(ans, value=_nudge(ans.value)))
    assert flagged("autodiff", raw, dataclasses.replace(ans, value=ans.value[:, ::-1]))

    raw, ans = solved("backprop", W1="[[1, -1], [2, 0], [0, 1]]", b1="[0, 1, -1]", W2="[[1, 2, -1]]", b2="[0.5]",
                       input="[1, 2]", target="[1]", activation="tanh")
    assert not flagged("backprop", raw, ans)
    values = dict(ans.values)
    assert flagged("backprop", raw, dataclasses.replace(ans, values={**values, "W2": values["W2"].T}))
    assert flagged("backprop", raw, dataclasses.replace(ans, values={**values, "W1": -values["W1"]}))
    assert flagged("backprop", raw, dataclasses.replace(ans, values={**values, "b1": _nudge(values["b1"])}))
    assert flagged("backprop", raw, dataclasses.replace(ans, loss=_tiny(ans.loss)))

    raw, ans = solved("matrix_gradient", expression="||Ax - b||^2", wrt="x")
    assert not flagged("matrix_gradient", raw, ans)
    x, A, b = (next(m for m in ans.value.atoms(sympy.MatrixSymbol) if m.name == k) for k in "xAb")
    assert not flagged("matrix_gradient", raw, dataclasses.replace(ans, value=2 * (x.T * A.T * A - b.T * A)))
    assert flagged("matrix_gradient", raw, dataclasses.replace(ans, value=ans.value.T))  # the other layout
    assert flagged("matrix_gradient", raw, dataclasses.replace(ans, value=2 * (x.T * A.T * A + b.T * A)))
    assert flagged("matrix_gradient", raw, dataclasses.replace(ans, value=2 * (A * x - b).T))

    raw, ans = solved("change_of_basis", matrix="[[1, 2], [0, 1], [3, -1]]", B="[[1, 1], [0, 1]]",
                       C="[[1, 0, 0], [1, 1, 0], [0, 1, 1]]")
    assert not flagged("change_of_basis", raw, ans)
    assert flagged("change_of_basis", raw, dataclasses.replace(ans, value=_nudge(ans.value)))
    raw, ans = solved("change_of_basis", matrix="[[1, 2], [3, 4]]", B="[[1, 2], [0, 1]]")
    assert flagged("change_of_basis", raw, dataclasses.replace(ans, value=ans.value.T))
    # B read as columns instead of one vector per inner list: A B^T vs A B
    A, B = sympy.Matrix([[1, 2], [3, 4]]), sympy.Matrix([[1, 2], [0, 1]])
    assert flagged("change_of_basis", raw, dataclasses.replace(ans, value=A * B))

    raw, ans = solved("projection", vectors=["[1, 2, 0]", "[1, 0, 1]", "[0, 1, 1]"],
                       inner="[[2, 0, 0], [0, 1, 0], [0, 0, 1]]")
    assert not flagged("projection", raw, ans)
    assert flagged("projection", raw, dataclasses.replace(ans, value=_nudge(ans.value)))
    assert flagged("projection", raw, dataclasses.replace(ans, distance=_tiny(ans.distance)))
    dot = solved("projection", vectors=raw["vectors"])[1]  # the dot product's projection is another one
    assert flagged("projection", raw, dataclasses.replace(ans, value=dot.value, distance=dot.distance))

    raw, ans = solved("rotation", angle="pi/6", axis="[1, 2, 2]")
    assert not flagged("rotation", raw, ans)
    assert flagged("rotation", raw, dataclasses.replace(ans, value=ans.value.T))  # the opposite sense
    assert flagged("rotation", raw, dataclasses.replace(ans, value=_nudge(ans.value)))
    raw, ans = solved("rotation", angle="theta")
    assert not flagged("rotation", raw, ans)
    assert flagged("rotation", raw, dataclasses.replace(ans, value=ans.value.T))

    raw, ans = solved("conditional", joint="[[0.1, 0.2], [0.3, 0.4]]", x_values="0,1", y_values="1,2", given="y=2")
    assert not flagged("conditional", raw, ans)
    assert flagged("conditional", raw, dataclasses.replace(ans, probabilities=ans.probabilities[::-1]))
    assert flagged("conditional", raw, dataclasses.replace(ans, probabilities=(_tiny(ans.probabilities[0]),
                                                                                 ans.probabilities[1])))

    raw, ans = solved("gaussian_conditional", mean="1, 2, 0", cov="[[4, 2, 1], [2, 3, 0], [1, 0, 2]]", given="x_3=1")
    assert not flagged("gaussian_conditional", raw, ans)
    assert flagged("gaussian_conditional", raw, dataclasses.replace(ans, mean=_nudge(ans.mean)))
    assert flagged("gaussian_conditional", raw, dataclasses.replace(ans, cov=_nudge(ans.cov)))
    # the marginal instead of the conditional
    assert flagged("gaussian_conditional", raw, dataclasses.replace(ans, cov=sympy.Matrix([[4, 2], [2, 3]])))

    raw, ans = solved("gaussian_product", mean1="1, 0", cov1="[[2, 1], [1, 2]]", mean2="0, 1", cov2="[[1, 0], [0, 3]]")
    assert not flagged("gaussian_product", raw, ans)
    assert not flagged("gaussian_product", raw, dataclasses.replace(ans, constant=sympy.expand(ans.constant)))
    assert flagged("gaussian_product", raw, dataclasses.replace(ans, cov=_nudge(ans.cov)))
    assert flagged("gaussian_product", raw, dataclasses.replace(ans, mean=_nudge(ans.mean)))
    assert flagged("gaussian_product", raw, dataclasses.replace(ans, constant=_tiny(ans.constant)))

    raw, ans = solved("sample_stats", data="[[1, 2], [3, 5], [0, -1]]")
    assert not flagged("sample_stats", raw, ans)
    assert flagged("sample_stats", raw, dataclasses.replace(ans, variance=ans.variance * 3 / 2))  # 1/(N − 1)
    assert flagged("sample_stats", raw, dataclasses.replace(ans, mean=_nudge(ans.mean)))
    raw, ans = solved("sample_stats", data="[1.5, 2, 4]")
    assert not flagged("sample_stats", raw, ans)
    assert flagged("sample_stats", raw, dataclasses.replace(ans, variance=_tiny(ans.variance)))

    raw, ans = solved("change_of_variables", g="exp(x)", pdf="2x", support="0,1")
    assert not flagged("change_of_variables", raw, ans)
    y = next(iter(ans.value.free_symbols))
    assert not flagged("change_of_variables", raw, dataclasses.replace(ans, value=2 * sympy.log(y) / y))
    assert flagged("change_of_variables", raw, dataclasses.replace(ans, value=2 * sympy.log(y)))  # no |dx/dy|
    assert flagged("change_of_variables", raw, dataclasses.replace(ans, value=_tiny(ans.value)))
    assert flagged("change_of_variables", raw, dataclasses.replace(ans, upper=sympy.E + 10**-8))
    raw, ans = solved("change_of_variables", g="-x^3", pdf="1", support="0,1")
    assert not flagged("change_of_variables", raw, ans)
    assert flagged("change_of_variables", raw, dataclasses.replace(ans, value=-ans.value))  # a sign flip


def test_the_system_oracle_checks_each_case_of_a_parametric_system() -> None:
    raw, ans = solved("system", equations=["x + a y = 1", "a x + y = 1"], unknowns="x,y")
    assert not flagged("system", raw, ans)
    assert flagged("system", raw, dataclasses.replace(ans, generic=dataclasses.replace(ans.generic, particular=None)))
    (v, case), *rest = ans.cases
    assert flagged("system", raw, dataclasses.replace(ans, cases=((v, ans.generic), *rest)))
