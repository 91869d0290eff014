"""Small plots in the plane for the worked solutions: inline SVG in Markdown, nothing in
plain text, and nothing in LaTeX yet (the TeX Live installed by the set-up has neither TikZ nor
pict2e, and LaTeX's own picture mode draws lines of a few slopes only).

A :class:`Scene` is data (points with a mark, segments, one polyline), built by a scene
function from sympy values (the regression curve through its data, the SVM's boundary and
margins with the support vectors circled, the PCA axis over the centred points with their
projections) and drawn by one of two writers.  Numbers are printed with a fixed number of
decimals, so the same solution gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import sympy

from tutor.rendering.dialects import Raw

SIZE = 6.0        # the longer side of the box, in units of PX pixels
PX = 40.0
SAMPLES = 60


@dataclass
class Scene:
    points: list[tuple[float, float, str]] = field(default_factory=list)    # x, y, mark: o + - s (circled)
    segments: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # style solid/dashed/thick
    curve: list[tuple[float, float]] = field(default_factory=list)

    def box(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points] or [0.0]
        ys = [p[1] for p in self.points] or [0.0]
        pad = 0.15 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
        return min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad


def _f(e: Any) -> float:
    return float(sympy.N(e))


def _line(scene: Scene, a: float, b: float, c: float, style: str) -> None:
    """The part of a x + b y + c = 0 inside the scene's box."""
    x0, x1, y0, y1 = scene.box()
    ends = []
    if abs(b) > 1e-12:
        ends += [(x, -(a * x + c) / b) for x in (x0, x1)]
    if abs(a) > 1e-12:
        ends += [(-(b * y + c) / a, y) for y in (y0, y1)]
    inside = sorted({(round(x, 9), round(y, 9)) for x, y in ends
                     if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9})
    if len(inside) >= 2:
        (p, q), (r, s) = inside[0], inside[-1]
        scene.segments.append((p, q, r, s, style))


# ---------------------------------------------------------------- scenes

def regression_scene(xs: Sequence[Any], ys: Sequence[Any], features: Sequence[Any], variable: Any,
                     theta: Sequence[Any]) -> Scene:
    scene = Scene(points=[(_f(x), _f(y), "o") for x, y in zip(xs, ys)])
    f = sum((t * g for t, g in zip(theta, features)), sympy.S.Zero)
    x0, x1, _, _ = scene.box()
    for i in range(SAMPLES + 1):
        x = x0 + (x1 - x0) * i / SAMPLES
        scene.curve.append((x, _f(f.xreplace({variable: sympy.Float(x)}))))
    return scene


def svm_scene(points: Sequence[Any], labels: Sequence[int], w: Any, b: Any, support: Sequence[int]) -> Scene:
    scene = Scene(points=[(_f(p[0]), _f(p[1]), "+" if y > 0 else "-") for p, y in zip(points, labels)])
    scene.points += [(_f(points[n][0]), _f(points[n][1]), "s") for n in support]
    a, c, bias = _f(w[0]), _f(w[1]), _f(b)
    _line(scene, a, c, bias, "thick")
    _line(scene, a, c, bias - 1, "dashed")
    _line(scene, a, c, bias + 1, "dashed")
    return scene


def pca_scene(centred: Any, axis: Any) -> Scene:
    u = [_f(axis[0]), _f(axis[1])]
    scene = Scene(points=[(_f(centred[i, 0]), _f(centred[i, 1]), "o") for i in range(centred.rows)])
    _line(scene, u[1], -u[0], 0.0, "thick")
    for x, y, _ in list(scene.points):
        t = x * u[0] + y * u[1]
        scene.points.append((t * u[0], t * u[1], "s"))
        scene.segments.append((x, y, t * u[0], t * u[1], "dashed"))
    return scene


# ---------------------------------------------------------------- writers

def _n(v: float) -> str:
    text = f"{v:.3f}"
    return "0.000" if text == "-0.000" else text


def svg(scene: Scene) -> str:
    x0, x1, y0, y1 = scene.box()
    k = PX * SIZE / max(x1 - x0, y1 - y0)
    width, height = _n((x1 - x0) * k), _n((y1 - y0) * k)

    def X(x: float) -> str:
        return _n((x - x0) * k)

    def Y(y: float) -> str:
        return _n((y1 - y) * k)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">',
           f'<rect width="{width}" height="{height}" fill="white" stroke="#ccc"/>']
    if x0 < 0 < x1:
        out.append(f'<line x1="{X(0)}" y1="0" x2="{X(0)}" y2="{height}" stroke="#bbb"/>')
    if y0 < 0 < y1:
        out.append(f'<line x1="0" y1="{Y(0)}" x2="{width}" y2="{Y(0)}" stroke="#bbb"/>')
    styles = {"solid": 'stroke="black"', "dashed": 'stroke="black" stroke-dasharray="4 3"',
              "thick": 'stroke="black" stroke-width="2"'}
    for x, y, u, v, style in scene.segments:
        out.append(f'<line x1="{X(x)}" y1="{Y(y)}" x2="{X(u)}" y2="{Y(v)}" {styles[style]}/>')
    if scene.curve:
        pts = " ".join(f"{X(x)},{Y(y)}" for x, y in scene.curve if y0 <= y <= y1)
        out.append(f'<polyline points="{pts}" fill="none" stroke="black" stroke-width="2"/>')
    for x, y, mark in scene.points:
        if mark == "o":
            out.append(f'<circle cx="{X(x)}" cy="{Y(y)}" r="3"/>')
        elif mark == "s":
            out.append(f'<circle cx="{X(x)}" cy="{Y(y)}" r="7" fill="none" stroke="black"/>')
        else:
            out.append(f'<text x="{X(x)}" y="{Y(y)}" text-anchor="middle" dominant-baseline="central">'
                       f'{"+" if mark == "+" else "&#8722;"}</text>')
    out.append("</svg>")
    return "\n".join(out)


def picture(dialect: str, scene: str, *args: Any) -> Raw:
    """The scene ``SCENES[scene](*args)`` drawn for the dialect (Markdown only, for now)."""
    if dialect != "markdown":
        return Raw("")
    return Raw("\n" + svg(SCENES[scene](*args)) + "\n")


SCENES = {"regression": regression_scene, "svm": svm_scene, "pca": pca_scene}
