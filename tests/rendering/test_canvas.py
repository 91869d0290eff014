"""The drawing canvas shared by the optimization and models pictures: one scene, two writers
(TikZ, SVG) that agree with each other, fixed bytes, paths cut to the window, round ticks."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from tutor.rendering import pictures, render
from tutor.rendering.canvas import PX, Canvas, is_picture, ticks, window


def scene() -> Canvas:
    canvas = Canvas(*window([(-1, 0), (3, 2)]))
    canvas.path([(0, 0), (2, 0), (1, 1.5)], closed=True, fill=True)
    canvas.line(1, 1, 2, "dashed")
    canvas.path([(x / 10, (x / 10) ** 3) for x in range(-20, 41)], "thick")  # leaves the window
    canvas.segments([((0, 0), (1, 1)), ((1, 1), (2, 0))], "level")
    for kind in ("dot", "open", "ring", "plus", "minus"):
        canvas.mark((1, 1), kind, label="x_{0}")
    return canvas


def tikz_points(text: str) -> list[tuple[float, float]]:
    return [(float(u), float(v)) for u, v in re.findall(r"\((-?[\d.]+),(-?[\d.]+)\)", text)]


def test_same_scene_same_bytes_and_fixed_decimals():
    assert scene().tikz() == scene().tikz() and scene().svg() == scene().svg()
    paths = [line for line in scene().tikz().splitlines() if line.startswith((r"\draw[", r"\fill"))
             and "black!30" not in line]  # the paths and marks (the frame and the axes through 0 are at 0)
    numbers = [n for line in paths for pair in re.findall(r"\((-?[\d.]+),(-?[\d.]+)\)", line) for n in pair]
    assert numbers and all(len(n.split(".")[1]) == 3 for n in numbers) and "-0.000" not in numbers


def test_svg_is_well_formed_and_agrees_with_tikz():
    canvas = scene()
    svg = ET.fromstring(canvas.svg())
    paths = svg.findall("{http://www.w3.org/2000/svg}path")
    tikz_paths = [line for line in canvas.tikz().splitlines() if line.startswith(r"\draw[") and "--" in line
                  and "black!30" not in line]
    assert len(paths) == len(tikz_paths) == 4
    width = float(svg.find("{http://www.w3.org/2000/svg}rect").get("height"))
    for path, tikz in zip(paths, tikz_paths):
        svg_points = [(float(u) / PX, (width - float(v)) / PX) for u, v in re.findall(r"(-?[\d.]+),(-?[\d.]+)",
                                                                                     path.get("d"))]
        flat = [c for point in tikz_points(tikz) for c in point]
        assert [c for point in svg_points for c in point] == pytest.approx(flat, abs=2e-3)
    assert 'baseline-shift="sub"' in canvas.svg()  # x_{0} as x with a subscript


def test_a_line_ends_on_the_window_and_satisfies_its_equation():
    canvas = Canvas(-1, 3, -1, 3)
    canvas.line(2, -1, 1)
    (p, q), = canvas.items[0].pieces
    for x, y in (p, q):
        assert 2 * x - y == pytest.approx(1)
        assert min(abs(x + 1), abs(x - 3), abs(y + 1), abs(y - 3)) < 1e-9


@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=2, max_size=8))
def test_open_paths_are_cut_to_the_window(points):
    canvas = Canvas(0, 4, 0, 3)
    canvas.path(points)
    for item in canvas.items:
        for piece in item.pieces:
            assert all(-1e-6 <= x <= 4 + 1e-6 and -1e-6 <= y <= 3 + 1e-6 for x, y in piece)
            assert all(on_the_polyline(p, points) for p in piece)


def on_the_polyline(p, points) -> bool:
    """Whether p lies on one of the segments (collinear, within its box), up to rounding."""
    x, y = p
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        scale = (1 + abs(bx - ax) + abs(by - ay)) * (1 + abs(x - ax) + abs(y - ay))
        if (abs((bx - ax) * (y - ay) - (by - ay) * (x - ax)) <= 1e-6 * scale
                and min(ax, bx) - 1e-6 <= x <= max(ax, bx) + 1e-6 and min(ay, by) - 1e-6 <= y <= max(ay, by) + 1e-6):
            return True
    return False


@given(st.floats(-1e4, 1e4), st.floats(1e-2, 1e4))
def test_ticks_are_round_and_inside(lo, span):
    values = ticks(lo, lo + span)
    assert 2 <= len(values) <= 6
    step = values[1] - values[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6
    assert lo - 1e-9 * span <= values[0] and values[-1] <= lo + span + 1e-9 * span


@pytest.mark.skipif(not render.tex_available(), reason="pdflatex or TikZ not installed")
def test_the_tikz_compiles_to_the_same_pdf_bytes(tmp_path):
    source = ("\\documentclass{article}\\usepackage{tikz}\\begin{document}\n" + scene().tikz()
              + "\n\\end{document}\n")
    first = render.compile_pdf(source, tmp_path / "a.pdf").read_bytes()
    assert first.startswith(b"%PDF") and render.compile_pdf(source, tmp_path / "b.pdf").read_bytes() == first


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=2, max_size=6, unique=True),
       st.lists(st.integers(-100, 100), min_size=4, max_size=4))
def test_a_curve_that_runs_off_stays_inside_the_picture(xs, theta):
    """A cubic through its data runs off the data's window beyond the last points; TikZ is
    only given coordinates inside the box (it refuses those beyond 5.75 m)."""
    x = sympy.Symbol("x")
    features = [sympy.S.One, x, x ** 2, x ** 3]
    cubic = sum(t * f for t, f in zip(theta, features))
    tikz = pictures.regression_picture([sympy.Integer(v) for v in xs], [cubic.subs(x, v) for v in xs], features, x,
                                       [sympy.Integer(t) for t in theta], "latex")
    width, height = tikz_points(re.search(r"\\draw \(0,0\) rectangle \([\d.]+,[\d.]+\)", tikz).group(0))[-1]
    curve, = [line for line in tikz.splitlines() if line.startswith("\\draw[thick]")]
    assert all(-1e-3 <= u <= width + 1e-3 and -1e-3 <= v <= height + 1e-3 for u, v in tikz_points(curve))


def test_only_a_canvas_svg_counts_as_a_picture():
    from tutor.exams.moodle import html
    from tutor.web.markup import to_html

    svg = scene().svg()
    assert is_picture(svg)
    head = '<svg xmlns="http://www.w3.org/2000/svg"'
    for bad in (head + "><script>alert(1)</script></svg>", head + ' onload="alert(1)"></svg>',
                head + '><a href="javascript:alert(1)"><text>x</text></a></svg>', head + "><text>x</svg>",
                "<p>" + svg + "</p>"):
        assert not is_picture(bad)
        assert "<svg" not in to_html(bad) and "<svg" not in html(bad)  # escaped as text
    page = to_html("A picture:\n\n" + svg + "\n\nThe end.")
    assert page.count("<svg") == 1 and '<div class="picture"><svg' in page  # unescaped
    assert html("A picture:\n\n" + svg).count("<svg") == 1
