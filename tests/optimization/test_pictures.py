"""Pictures: the LP polygon with the level line, the descent path on contours, the Lagrange
constraint curve; TikZ in LaTeX, SVG in Markdown, nothing in text; the same problem gives the
same bytes, an unbounded feasible set no polygon."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import tutor
from tutor.rendering.render import render_solution

LP = dict(c="[-5,-3]", A="[[2,2],[2,-4],[-2,1],[0,-1],[0,1]]", b="[33,8,5,-1,8]")
DESCENT = dict(A="[[2,1],[1,20]]", b="[5,3]", start="[-3,-1]", step="1/20", iterations=3)
SVG = "{http://www.w3.org/2000/svg}"


def svg_of(markdown: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", markdown, re.S).group(0))


def test_lp_picture_in_latex_and_svg_only():
    sol = tutor.solve("lp", **LP)
    latex, md = render_solution(sol, "latex"), render_solution(sol, "markdown")
    assert latex.count("\\begin{tikzpicture}") == 1
    assert re.search(r"\\draw\[fill=black!10\]( \([\d.]+,[\d.]+\) --){5} cycle;", latex)  # the pentagon
    paths = svg_of(md).findall(f"{SVG}path")
    assert [p.get("d").count("L") for p in paths] == [4, 1]  # five sides, closed; the level line
    assert paths[0].get("d").endswith("Z") and paths[1].get("stroke-dasharray")
    text = render_solution(sol, "text")
    assert "tikz" not in text and "<svg" not in text
    assert render_solution(tutor.solve("lp", **LP), "latex") == latex
    assert render_solution(tutor.solve("lp", **LP), "markdown") == md


def test_descent_picture_and_unbounded_lp():
    sol = tutor.solve("gradient_descent", **DESCENT)
    latex = render_solution(sol, "latex")
    assert "\\begin{tikzpicture}" in latex and "$x_{0}$" in latex and "$x^*$" in latex
    svg = svg_of(render_solution(sol, "markdown"))
    assert len(svg.findall(f"{SVG}circle")) == 5  # four iterates and the minimizer
    open_set = tutor.solve("lp", c="[1,1]", A="[[-1,0],[0,-1],[-1,-1]]", b="[0,0,-1]")
    assert "<svg" not in render_solution(open_set, "markdown")
    assert "tikzpicture" not in render_solution(open_set, "latex")


def test_lagrange_picture_draws_the_constraint_curve():
    sol = tutor.solve("lagrange", function="3x + 4y", constraint=["x^2 + y^2 = 25"], vars="x,y")
    md = render_solution(sol, "markdown")
    svg = svg_of(md)
    assert len(svg.findall(f"{SVG}circle")) == 2
    curve, = [p for p in svg.findall(f"{SVG}path") if p.get("stroke-width") == "2"]
    assert curve.get("d").count("M") > 40  # the circle as many short segments
    assert render_solution(sol, "markdown") == md


def _area(polygon):
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(polygon, polygon[1:] + polygon[:1]))) / 2


def test_feasible_region_polygon_against_exact_areas():
    """The shaded region of a KKT/QP picture: inside the constraints, with the area of the set
    (a square cut by the window, a disk)."""
    from tutor.rendering.canvas import Canvas
    from tutor.rendering.pictures import _region
    canvas = Canvas(-3, 2, -2, 2)
    square = _region(lambda x, y: max(abs(x), abs(y)) - 1, canvas)
    assert all(max(abs(x), abs(y)) <= 1 + 1e-6 for x, y in square) and abs(_area(square) - 4) < 0.01
    disk = _region(lambda x, y: x * x + y * y - 1, canvas)
    assert all(x * x + y * y <= 1 + 1e-6 for x, y in disk) and 3.14159 - 0.03 < _area(disk) < 3.14159  # inscribed
    assert _region(lambda x, y: min(x * x + y * y - 1, (x - 1.5) ** 2 + y * y - 0.1), canvas) is None  # two pieces


def test_qp_and_kkt_pictures():
    qp = tutor.solve("qp", Q="[[2,1],[1,4]]", c="[5,3]", A="[[1,0],[-1,0],[0,1],[0,-1]]", b="[1,1,1,1]")
    md = render_solution(qp, "markdown")
    paths = svg_of(md).findall(f"{SVG}path")
    assert [p.get("d").endswith("Z") for p in paths].count(True) == 1  # the shaded box
    assert sum(p.get("stroke-dasharray") is not None for p in paths) == 1  # the level curve through x*
    assert sum(p.get("stroke-width") == "2" for p in paths) == 1  # the one active constraint, x_1 >= -1
    assert "\\begin{tikzpicture}" in render_solution(qp, "latex") and "<svg" not in render_solution(qp, "text")
    assert render_solution(tutor.solve("qp", Q="[[2,1],[1,4]]", c="[5,3]", A="[[1,0],[-1,0],[0,1],[0,-1]]",
                                       b="[1,1,1,1]"), "markdown") == md
    kkt = tutor.solve("kkt", function="(x-2)^2 + (y-1)^2", constraint=["x + y <= 2", "x >= 0"], vars="x,y")
    svg = svg_of(render_solution(kkt, "markdown"))
    assert len(svg.findall(f"{SVG}circle")) == 1 and "x^*" in render_solution(kkt, "latex")
    assert sum(p.get("stroke-width") == "2" for p in svg.findall(f"{SVG}path")) == 1
