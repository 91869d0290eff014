"""Pictures that explain a solution: the feasible polygon of a 2-D LP with the level line of
the objective at its optimum, the path of gradient descent on the contour lines of a 2-D
quadratic.

LaTeX gets a ``picture`` environment of LaTeX itself (no TeX package: a line of any slope is
a ``\\multiput`` of dots 0.2 mm apart, a contour is a run of such segments), Markdown an
inline SVG; plain text gets nothing.  Coordinates are written with two decimals, so the same
problem gives the same bytes.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from tutor.rendering.dialects import Raw

SIZE = 6.0  # cm (LaTeX) / 60 px per cm (SVG)
_PX = 40


class _Frame:
    """Maps problem coordinates into a SIZE x SIZE box (equal scales on both axes)."""

    def __init__(self, points: Sequence[tuple[float, float]], margin: float = 0.15):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
        span = max(hi_x - lo_x, hi_y - lo_y, 1e-9) * (1 + 2 * margin)
        cx, cy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
        self.x0, self.y0, self.scale = cx - span / 2, cy - span / 2, SIZE / span
        self.span = span

    def __call__(self, p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] - self.x0) * self.scale, (p[1] - self.y0) * self.scale

    def inside(self, p: tuple[float, float]) -> bool:
        u, v = self(p)
        return -1e-9 <= u <= SIZE + 1e-9 and -1e-9 <= v <= SIZE + 1e-9


def _clip_line(a: float, b: float, c: float, frame: _Frame) -> list[tuple[float, float]]:
    """The ends of the line a x + b y = c inside the frame's box."""
    lo_x, lo_y = frame.x0, frame.y0
    hi_x, hi_y = lo_x + frame.span, lo_y + frame.span
    pts = []
    if abs(b) > 1e-12:
        pts += [(x, (c - a * x) / b) for x in (lo_x, hi_x)]
    if abs(a) > 1e-12:
        pts += [((c - b * y) / a, y) for y in (lo_y, hi_y)]
    pts = [p for p in pts if frame.inside(p)]
    return [pts[0], pts[-1]] if len(pts) >= 2 else []


class _Canvas:
    """Segments, dots and labels, written out for LaTeX or SVG."""

    def __init__(self, frame: _Frame):
        self.frame, self.items = frame, []

    def segment(self, p: tuple, q: tuple, style: str = "solid") -> None:
        self.items.append(("segment", self.frame(p), self.frame(q), style))

    def dot(self, p: tuple, label: str = "") -> None:
        self.items.append(("dot", self.frame(p), label))

    def latex(self) -> str:
        out = [r"\begin{center}\setlength{\unitlength}{1cm}\begin{picture}(%.2f,%.2f)" % (SIZE, SIZE)]
        for item in self.items:
            if item[0] == "segment":
                (x1, y1), (x2, y2), style = item[1:]
                step = 0.02 if style == "solid" else 0.12
                n = max(1, int(math.hypot(x2 - x1, y2 - y1) / step))
                out.append(r"\multiput(%.2f,%.2f)(%.4f,%.4f){%d}{\rule{0.6pt}{0.6pt}}"
                           % (x1, y1, (x2 - x1) / n, (y2 - y1) / n, n + 1))
            else:
                (x, y), label = item[1:]
                out.append(r"\put(%.2f,%.2f){\circle*{0.15}}" % (x, y))
                if label:
                    out.append(r"\put(%.2f,%.2f){$%s$}" % (x + 0.12, y + 0.12, label))
        out.append(r"\end{picture}\end{center}")
        return "\n".join(out)

    def svg(self) -> str:
        h = SIZE * _PX
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{h:.0f}" height="{h:.0f}" '
               f'viewBox="0 0 {h:.0f} {h:.0f}">']
        for item in self.items:
            if item[0] == "segment":
                (x1, y1), (x2, y2), style = item[1:]
                dash = ' stroke-dasharray="4 3"' if style != "solid" else ""
                out.append(f'<line x1="{x1 * _PX:.2f}" y1="{h - y1 * _PX:.2f}" x2="{x2 * _PX:.2f}" '
                           f'y2="{h - y2 * _PX:.2f}" stroke="black"{dash}/>')
            else:
                (x, y), label = item[1:]
                out.append(f'<circle cx="{x * _PX:.2f}" cy="{h - y * _PX:.2f}" r="3"/>')
                if label:
                    out.append(f'<text x="{x * _PX + 5:.2f}" y="{h - y * _PX - 5:.2f}" '
                               f'font-size="12">{label}</text>')
        out.append("</svg>")
        return "".join(out)


def _render(canvas: _Canvas, dialect: str) -> Raw:
    if dialect == "latex":
        return Raw(canvas.latex())
    if dialect == "markdown":
        return Raw(canvas.svg())
    return Raw("")


def lp_picture(A: Any, b: Any, c: Any, vertices: Sequence[Any], optimum: Any, dialect: str) -> Raw:
    """The feasible polygon (its vertices in order), the optimum and the level line c^T x = c^T x*."""
    pts = list(dict.fromkeys((float(v[0]), float(v[1])) for v in vertices))
    if len(pts) < 3:
        return Raw("")
    cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    pts.sort(key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
    rows = [(float(A[i, 0]), float(A[i, 1]), float(b[i])) for i in range(A.rows)]
    on_a_side = [any(abs(r[0] * p[0] + r[1] * p[1] - r[2]) < 1e-9 and abs(r[0] * q[0] + r[1] * q[1] - r[2]) < 1e-9
                     for r in rows) for p, q in zip(pts, pts[1:] + pts[:1])]
    if not all(on_a_side):  # an unbounded feasible set: its vertices do not close a polygon
        return Raw("")
    frame = _Frame(pts)
    canvas = _Canvas(frame)
    for p, q in zip(pts, pts[1:] + pts[:1]):
        canvas.segment(p, q)
    opt = (float(optimum[0]), float(optimum[1]))
    line = _clip_line(float(c[0]), float(c[1]), float(c[0]) * opt[0] + float(c[1]) * opt[1], frame)
    if line:
        canvas.segment(line[0], line[1], "dashed")
    canvas.dot(opt, "x^*")
    return _render(canvas, dialect)


def descent_picture(A: Any, b: Any, points: Sequence[Any], dialect: str) -> Raw:
    """Contour lines of f = ½xᵀAx - bᵀx (A positive definite, 2 x 2) through the iterates, and
    the path of the iterates."""
    path = [(float(p[0]), float(p[1])) for p in points]
    a11, a12, a22 = float(A[0, 0]), float(A[0, 1]), float(A[1, 1])
    b1, b2 = float(b[0]), float(b[1])
    det = a11 * a22 - a12 * a12
    center = ((a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det)
    f = lambda p: 0.5 * (a11 * p[0] ** 2 + 2 * a12 * p[0] * p[1] + a22 * p[1] ** 2) - b1 * p[0] - b2 * p[1]  # noqa: E731
    fmin = f(center)
    frame = _Frame(path + [center])
    canvas = _Canvas(frame)
    for p in path[:3]:
        level = f(p) - fmin
        if level <= 1e-12:
            continue
        ring = []
        for k in range(73):  # the ellipse u^T A u = 2 level around the center
            t = 2 * math.pi * k / 72
            d = (math.cos(t), math.sin(t))
            q = a11 * d[0] ** 2 + 2 * a12 * d[0] * d[1] + a22 * d[1] ** 2
            r = math.sqrt(2 * level / q)
            ring.append((center[0] + r * d[0], center[1] + r * d[1]))
        for p1, p2 in zip(ring, ring[1:]):
            if frame.inside(p1) and frame.inside(p2):
                canvas.segment(p1, p2, "dashed")
    for p, q in zip(path, path[1:]):
        canvas.segment(p, q)
    for k, p in enumerate(path):
        canvas.dot(p, f"x_{{{k}}}" if dialect == "latex" else f"x{k}")
    canvas.dot(center, "x^*" if dialect == "latex" else "x*")
    return _render(canvas, dialect)


def _zero_set(g: Any, frame: _Frame, canvas: _Canvas, cells: int = 48) -> None:
    """The curve g = 0 in the frame, by marching squares: in each grid cell whose corners
    change sign, a segment between the crossings of its edges."""
    h = frame.span / cells
    value = [[g(frame.x0 + i * h, frame.y0 + j * h) for j in range(cells + 1)] for i in range(cells + 1)]
    for i in range(cells):
        for j in range(cells):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            crossings = []
            for (a, b_), (c, d) in zip(corners, corners[1:] + corners[:1]):
                va, vb = value[a][b_], value[c][d]
                if (va < 0) != (vb < 0):
                    t = va / (va - vb)
                    crossings.append((frame.x0 + (a + t * (c - a)) * h, frame.y0 + (b_ + t * (d - b_)) * h))
            if len(crossings) >= 2:
                canvas.segment(crossings[0], crossings[1])
            if len(crossings) == 4:
                canvas.segment(crossings[2], crossings[3])


def constraint_picture(constraints: Sequence[Any], variables: Sequence[Any], points: Sequence[Any],
                       dialect: str) -> Raw:
    """The constraint curves g_i = 0 of a 2-D Lagrange problem and its candidates (points as
    mappings of the variables to their values)."""
    import sympy

    pts = [(float(p[variables[0]]), float(p[variables[1]])) for p in points]
    if not pts:
        return Raw("")
    if len(pts) == 1:  # a window of width 6 around the one candidate
        (x, y), = pts
        frame = _Frame([(x - 3, y - 3), (x + 3, y + 3)], margin=0)
    else:
        frame = _Frame(pts, margin=0.3)
    canvas = _Canvas(frame)
    for g in constraints:
        _zero_set(sympy.lambdify(list(variables), g, modules="math"), frame, canvas)
    for k, p in enumerate(pts):
        canvas.dot(p, f"p_{{{k + 1}}}" if dialect == "latex" else f"p{k + 1}")
    return _render(canvas, dialect)
