"""The words of gradient descent: eigenvalues without radicals named and given with the cubic
they are roots of (never a raw CRootOf), decimals against numpy's eigenvalues, and the
momentum condition 0 ≤ α < 1 written right in every format (it read "0 le α" as text)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from tests.conftest import solved
from tutor.rendering.render import render_solution

A = "[[4,1,1],[1,3,0],[1,0,2]]"   # characteristic polynomial λ³ - 9λ² + 24λ - 19, irreducible


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex"])
def test_irrational_eigenvalues_are_named_with_their_polynomial(fmt):
    sol = solved("gradient_descent", A=A, b="[1,1,1]", start="[0,0,0]", step="1/5", iterations=1, momentum="1/2")
    out = render_solution(sol, fmt)
    assert "CRootOf" not in out
    assert re.search(r"\ble\b", out) is None                                  # the broken \le
    assert ("0 ≤ α < 1" if fmt == "text" else r"0 \leq \alpha < 1") in out
    eig = np.linalg.eigvalsh(np.array([[4, 1, 1], [1, 3, 0], [1, 0, 2]], float))
    shown = [float(v) for v in re.findall(r"≈ (\d+\.\d+)|\\approx (\d+\.\d+)", out) for v in v if v][:3]
    assert shown == pytest.approx(eig.tolist(), abs=1e-5)
    assert ("λ^3 - 9λ^2 + 24λ - 19 = 0" if fmt == "text" else r"\lambda^{3} - 9 \lambda^{2} + 24 \lambda - 19 = 0") in out
    bound = 2 * 1.5 / eig.max()
    assert f"{bound:.6f}"[:7] in out                                           # 2(1 + α)/λ_max ≈ 0.614832


def test_json_keeps_the_exact_roots():
    sol = solved("gradient_descent", A=A, b="[1,1,1]", start="[0,0,0]", step="1/5", iterations=1)
    step = next(s for s in sol.to_json()["steps"] if s["rule"] == "optimization.step_size")
    assert all(e.startswith("CRootOf(x**3 - 9*x**2 + 24*x - 19") for e in step["eigenvalues"])
