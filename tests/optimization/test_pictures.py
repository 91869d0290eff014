"""Pictures: the LP polygon with the level line, the descent path on contours; the same
problem gives the same bytes, text gets none, an unbounded feasible set no polygon."""
from __future__ import annotations

import tutor
from tutor.rendering.render import render_solution

LP = dict(c="[-5,-3]", A="[[2,2],[2,-4],[-2,1],[0,-1],[0,1]]", b="[33,8,5,-1,8]")
DESCENT = dict(A="[[2,1],[1,20]]", b="[5,3]", start="[-3,-1]", step="1/20", iterations=3)


def test_lp_picture_in_latex_and_svg_only():
    sol = tutor.solve("lp", **LP)
    latex, md = render_solution(sol, "latex"), render_solution(sol, "markdown")
    assert "\\begin{picture}" in latex and "\\multiput" in latex
    assert "<svg" in md and md.count("<line") == 6  # five sides and the level line
    assert "picture" not in render_solution(sol, "text") and "<svg" not in render_solution(sol, "text")
    assert render_solution(tutor.solve("lp", **LP), "latex") == latex


def test_descent_picture_and_unbounded_lp():
    sol = tutor.solve("gradient_descent", **DESCENT)
    assert "\\begin{picture}" in render_solution(sol, "latex") and "<svg" in render_solution(sol, "markdown")
    open_set = tutor.solve("lp", c="[1,1]", A="[[-1,0],[0,-1],[-1,-1]]", b="[0,0,-1]")
    assert "<svg" not in render_solution(open_set, "markdown")


def test_lagrange_picture_draws_the_constraint_curve():
    sol = tutor.solve("lagrange", function="3x + 4y", constraint=["x^2 + y^2 = 25"], vars="x,y")
    md = render_solution(sol, "markdown")
    assert md.count("<circle") == 2 and md.count("<line") > 40  # the circle as many short segments
    assert render_solution(sol, "markdown") == md
