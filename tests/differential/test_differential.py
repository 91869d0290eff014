"""The differential test in CI: a fixed seed and a budget; and the comparisons themselves
tested on altered answers (a transpose, swapped columns, a 1e-8 change) that they must flag."""
from __future__ import annotations

import dataclasses
import os

import pytest
import sympy

import tutor

from .oracles import ORACLES, Wrong
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


def _solved(kind: str, **raw):
    return raw, tutor.solve(kind, **raw).answer


def _flagged(kind: str, raw: dict, answer) -> bool:
    try:
        ORACLES[kind](raw, answer)
    except Wrong:
        return True
    return False


def _nudge(M: sympy.Matrix) -> sympy.Matrix:
    """The matrix with its first nonzero entry changed by 1e-8 (relative)."""
    M = sympy.Matrix(M)
    k = next(i for i, e in enumerate(M) if e != 0)
    M[k] = M[k] * (1 + sympy.Rational(1, 10**8))
    return M


def test_the_comparisons_flag_altered_answers() -> None:
    raw, ans = _solved("inverse", matrix="[[2, 1, 0], [1, 3, 1], [0, 1, 4]]")
    assert not _flagged("inverse", raw, ans)
    raw, ans = _solved("inverse", matrix="[[1, 2], [3, 5]]")
    assert _flagged("inverse", raw, dataclasses.replace(ans, value=ans.value.T))
    assert _flagged("inverse", raw, dataclasses.replace(ans, value=_nudge(ans.value)))

    raw, ans = _solved("diagonalize", matrix="[[2, 1], [1, 3]]")
    assert not _flagged("diagonalize", raw, ans)
    swapped = ans.P[:, ::-1]
    assert _flagged("diagonalize", raw, dataclasses.replace(ans, P=swapped))
    assert _flagged("diagonalize", raw, dataclasses.replace(ans, P=_nudge(ans.P)))
    assert _flagged("diagonalize", raw, dataclasses.replace(ans, diagonalizable=False))

    raw, ans = _solved("svd", matrix="[[1, 2], [2, 1]]")
    assert not _flagged("svd", raw, ans)
    assert _flagged("svd", raw, dataclasses.replace(ans, U=ans.U.T))
    assert _flagged("svd", raw, dataclasses.replace(ans, V=ans.V[:, ::-1]))
    assert _flagged("svd", raw, dataclasses.replace(ans, S=_nudge(ans.S)))

    raw, ans = _solved("eigen", matrix="[[2, 1], [0, 3]]")
    assert not _flagged("eigen", raw, ans)
    first, second = ans.eigenvalues
    assert _flagged("eigen", raw, dataclasses.replace(ans, eigenvalues=(
        dataclasses.replace(first, basis=second.basis), dataclasses.replace(second, basis=first.basis))))
    assert _flagged("eigen", raw, dataclasses.replace(ans, eigenvalues=(
        dataclasses.replace(first, value=first.value * (1 + sympy.Rational(1, 10**8))), second)))
    # an eigenvector at another scale is still right
    assert not _flagged("eigen", raw, dataclasses.replace(ans, eigenvalues=(
        dataclasses.replace(first, basis=(-3 * first.basis[0],)), second)))

    raw, ans = _solved("kernel", matrix="[[1, 2, 3], [2, 4, 6]]")
    assert not _flagged("kernel", raw, ans)
    assert _flagged("kernel", raw, dataclasses.replace(ans, vectors=ans.vectors[:1]))
    assert _flagged("kernel", raw, dataclasses.replace(ans, vectors=(_nudge(ans.vectors[0]), ans.vectors[1])))
    # another basis of the same kernel is right
    u, v = ans.vectors
    assert not _flagged("kernel", raw, dataclasses.replace(ans, vectors=(u + v, u - 2 * v)))

    raw, ans = _solved("system", equations=["x + y + z = 1", "x - y = 0"])
    assert not _flagged("system", raw, ans)
    assert _flagged("system", raw, dataclasses.replace(ans, particular=_nudge(ans.particular)))
    assert _flagged("system", raw, dataclasses.replace(ans, directions=()))

    raw, ans = _solved("hessian", function="x^3*y + sin(x*y)", vars="x,y")
    assert not _flagged("hessian", raw, ans)
    H = sympy.Matrix(ans.value)
    H[0, 1] = H[0, 1] + sympy.Rational(1, 10**8)
    assert _flagged("hessian", raw, dataclasses.replace(ans, value=H))

    raw, ans = _solved("covariance", joint="[[0.1,0.2,0.1],[0.2,0.1,0.3]]", x_values="1,2", y_values="-1,0,1")
    assert not _flagged("covariance", raw, ans)
    assert _flagged("covariance", raw, dataclasses.replace(ans, value=sympy.Float("0.0400390625")))
    assert _flagged("covariance", raw, dataclasses.replace(ans, value=sympy.Rational(1, 25) + sympy.Rational(1, 10**10)))

    raw, ans = _solved("expectation", distribution="Exponential(1)", of="log(X)")
    assert not _flagged("expectation", raw, ans)
    assert _flagged("expectation", raw, dataclasses.replace(ans, value=sympy.EulerGamma))
