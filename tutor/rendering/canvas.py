"""A small device-independent picture in the plane, written out as TikZ (LaTeX) or SVG
(Markdown, HTML).

A :class:`Canvas` holds a window of problem coordinates and what is drawn in it: paths
(polylines, closed and filled polygons, dashed level lines, a curve sampled at fixed
points), marks with labels, and the axes with their ticks, which are derived from the
window.  Both writers map the window onto the same box (``WIDTH`` cm wide at most, 40 px a
cm in SVG) and print every number with a fixed number of decimals, so the same problem gives
the same bytes.  Open paths are cut to the window before they are written.
"""
from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Sequence

Point = tuple[float, float]

WIDTH = 6.0   # cm, the longer side of the window
PX = 40.0     # SVG pixels per cm

# style name -> (TikZ options, SVG attributes)
_STROKES = {
    "solid": ("", 'stroke="black" stroke-width="1"'),
    "thick": ("thick", 'stroke="black" stroke-width="2"'),
    "dashed": ("dashed", 'stroke="black" stroke-width="1" stroke-dasharray="4 3"'),
    "level": ("gray, thin", 'stroke="#888" stroke-width="0.8"'),
}
_FILL = ("fill=black!10", 'fill="#e6e6e6"')


def number(v: float) -> str:
    """Three decimals, and never ``-0.000``: the bytes depend only on the value."""
    text = f"{v:.3f}"
    return "0.000" if text == "-0.000" else text


def window(points: Sequence[Point], margin: float = 0.15, least: float = 1.0) -> tuple[float, float, float, float]:
    """x0, x1, y0, y1 around the points with ``margin`` of the longer span on every side
    (a span of at least ``least``, so one point or a flat set still gets a window); the
    shorter side is widened to half the longer one at least, so that a picture at one scale
    is not a thin strip."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    longer = max(max(xs) - min(xs), max(ys) - min(ys), least)
    pad = margin * longer
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    side = (1 + 2 * margin) * longer / 2
    if x1 - x0 < side:
        x0, x1 = (x0 + x1 - side) / 2, (x0 + x1 + side) / 2
    if y1 - y0 < side:
        y0, y1 = (y0 + y1 - side) / 2, (y0 + y1 + side) / 2
    return x0, x1, y0, y1


def ticks(lo: float, hi: float) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) inside [lo, hi], two to six of
    them: the finest round step that gives at most six (a step nearest a quarter of the span
    could give eight, 0, 2, ..., 14)."""
    power = 10 ** math.floor(math.log10((hi - lo) / 10))
    for step in (m * power * 10 ** k for k in range(3) for m in (1, 2, 5)):
        first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
        if last - first + 1 <= 6:
            return [k * step for k in range(first, last + 1)]
    raise AssertionError("a step of ten times the span gives at most one value")


def _tick_label(v: float, values: Sequence[float]) -> str:
    step = values[1] - values[0] if len(values) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{v:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


@dataclass(frozen=True)
class _Path:
    pieces: tuple[tuple[Point, ...], ...]   # subpaths, each a polyline
    style: str
    closed: bool
    fill: bool


@dataclass(frozen=True)
class _Mark:
    at: Point
    kind: str      # dot, open (a hollow dot), ring (circled), plus, minus
    label: str     # TeX: x_{0}, x^*, p_1
    anchor: str    # where the label sits: ne, nw, se, sw


@dataclass
class Canvas:
    """The window [x0, x1] x [y0, y1]; ``equal`` keeps one scale on both axes (level lines
    and circles stay round), else the taller side is at most ``WIDTH * 0.75``."""

    x0: float
    x1: float
    y0: float
    y1: float
    names: tuple[str, str] = ("x_1", "x_2")
    equal: bool = True
    items: list = field(default_factory=list)

    # ------------------------------------------------------------- what is drawn

    def path(self, points: Sequence[Point], style: str = "solid", closed: bool = False, fill: bool = False) -> None:
        """A polyline; an open one is cut to the window (a curve may leave it, and TikZ
        refuses coordinates beyond 5.75 m), a closed one must lie inside."""
        pieces = (tuple(points),) if closed else self._clipped(points)
        if pieces:
            self.items.append(_Path(pieces, style, closed, fill))

    def segments(self, pairs: Sequence[tuple[Point, Point]], style: str = "solid") -> None:
        """Many short pieces as one path (a contour found cell by cell)."""
        pieces = tuple(piece for p, q in pairs for piece in self._clipped([p, q]))
        if pieces:
            self.items.append(_Path(pieces, style, False, False))

    def _clipped(self, points: Sequence[Point]) -> tuple[tuple[Point, ...], ...]:
        """The parts of the polyline inside the window (Liang-Barsky on each segment)."""
        pieces: list[list[Point]] = []
        for p, q in zip(points, points[1:]):
            cut = self._clip_segment(p, q)
            if cut is None:
                continue
            if pieces and pieces[-1][-1] == cut[0]:
                pieces[-1].append(cut[1])
            else:
                pieces.append(list(cut))
        return tuple(tuple(piece) for piece in pieces)

    def _clip_segment(self, p: Point, q: Point) -> tuple[Point, Point] | None:
        dx, dy = q[0] - p[0], q[1] - p[1]
        lo, hi = 0.0, 1.0
        for step, room in ((-dx, p[0] - self.x0), (dx, self.x1 - p[0]), (-dy, p[1] - self.y0), (dy, self.y1 - p[1])):
            if step == 0:
                if room < 0:
                    return None
                continue
            t = room / step
            if step < 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
        if lo > hi:
            return None
        start = p if lo == 0 else (p[0] + lo * dx, p[1] + lo * dy)
        end = q if hi == 1 else (p[0] + hi * dx, p[1] + hi * dy)
        return start, end

    def line(self, a: float, b: float, c: float, style: str = "solid") -> None:
        """The line a x + b y = c across the window."""
        ends = []
        if abs(b) > 1e-12:
            ends += [(x, (c - a * x) / b) for x in (self.x0, self.x1)]
        if abs(a) > 1e-12:
            ends += [((c - b * y) / a, y) for y in (self.y0, self.y1)]
        inside = sorted({(round(x, 9), round(y, 9)) for x, y in ends if self.inside((x, y))})
        if len(inside) >= 2:
            self.path([inside[0], inside[-1]], style)

    def mark(self, at: Point, kind: str = "dot", label: str = "", anchor: str = "ne") -> None:
        self.items.append(_Mark(at, kind, label, anchor))

    def inside(self, p: Point) -> bool:
        return self.x0 - 1e-9 <= p[0] <= self.x1 + 1e-9 and self.y0 - 1e-9 <= p[1] <= self.y1 + 1e-9

    # ------------------------------------------------------------- the box in cm

    def _scales(self) -> tuple[float, float]:
        dx, dy = self.x1 - self.x0, self.y1 - self.y0
        if self.equal:
            k = WIDTH / max(dx, dy)
            return k, k
        return WIDTH / dx, WIDTH * 0.75 / dy

    def _cm(self, p: Point) -> Point:
        kx, ky = self._scales()
        return (p[0] - self.x0) * kx, (p[1] - self.y0) * ky

    def _size(self) -> Point:
        return self._cm((self.x1, self.y1))

    def _ticks(self) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
        """(position in cm, label) along x and along y."""
        xs, ys = ticks(self.x0, self.x1), ticks(self.y0, self.y1)
        return ([(self._cm((v, self.y0))[0], _tick_label(v, xs)) for v in xs],
                [(self._cm((self.x0, v))[1], _tick_label(v, ys)) for v in ys])

    # ------------------------------------------------------------- TikZ

    def _paths(self, filled: bool) -> list[_Path]:
        """The filled paths (drawn under the axes, which stay visible across a shaded region)
        or the others (drawn over them)."""
        return [item for item in self.items if isinstance(item, _Path) and item.fill == filled]

    def tikz(self) -> str:
        w, h = self._size()
        # kept with the sentence before it (no page break between them), centred without the
        # center environment, whose \@beginparpenalty invites a break there
        out = [r"\par\nopagebreak\smallskip{\centering\begin{tikzpicture}[font=\footnotesize, line cap=round, "
               r"line join=round]"]
        xt, yt = self._ticks()
        zx, zy = self._cm((0.0, 0.0))
        out += [self._tikz_path(item) for item in self._paths(True)]
        if 0 < zx < w:
            out.append(rf"\draw[black!30] ({number(zx)},0) -- ({number(zx)},{number(h)});")
        if 0 < zy < h:
            out.append(rf"\draw[black!30] (0,{number(zy)}) -- ({number(w)},{number(zy)});")
        out += [self._tikz_path(item) for item in self._paths(False)]
        out.append(rf"\draw (0,0) rectangle ({number(w)},{number(h)});")
        for x, text in xt:
            out.append(rf"\draw ({number(x)},0) -- ({number(x)},-0.1) node[below] {{${text}$}};")
        for y, text in yt:
            out.append(rf"\draw (0,{number(y)}) -- (-0.1,{number(y)}) node[left] {{${text}$}};")
        out.append(rf"\node[right] at ({number(w)},0) {{${self.names[0]}$}};")
        out.append(rf"\node[above right] at (0,{number(h)}) {{${self.names[1]}$}};")  # clear of the top tick
        for item in self.items:
            if isinstance(item, _Mark):
                out.append(self._tikz_mark(item))
        out.append(r"\end{tikzpicture}\par}\smallskip")
        return "\n".join(out)

    def _tikz_path(self, item: _Path) -> str:
        options = [_STROKES[item.style][0]] + ([_FILL[0]] if item.fill else [])
        body = " ".join(" -- ".join(f"({number(u)},{number(v)})" for u, v in map(self._cm, piece))
                        + (" -- cycle" if item.closed else "") for piece in item.pieces)
        return rf"\draw[{', '.join(o for o in options if o)}] {body};"

    def _tikz_mark(self, item: _Mark) -> str:
        u, v = map(number, self._cm(item.at))
        shape = {"dot": r"\fill ({u},{v}) circle (0.06);",
                 "open": r"\draw[fill=white] ({u},{v}) circle (0.06);", "ring": r"\draw ({u},{v}) circle (0.16);",
                 "plus": r"\node at ({u},{v}) {{$+$}};", "minus": r"\node at ({u},{v}) {{$-$}};"}[item.kind]
        text = shape.format(u=u, v=v)
        if item.label:
            anchor = {"ne": "south west", "nw": "south east", "se": "north west", "sw": "north east"}[item.anchor]
            text += rf" \node[anchor={anchor}, inner sep=2pt] at ({u},{v}) {{${item.label}$}};"
        return text

    # ------------------------------------------------------------- SVG

    def svg(self) -> str:
        w, h = (c * PX for c in self._size())
        left, bottom, top, right = 44.0, 24.0, 22.0, 34.0

        def at(p: Point) -> tuple[str, str]:
            u, v = self._cm(p)
            return number(u * PX), number(h - v * PX)
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{number(w + left + right)}" '
               f'height="{number(h + top + bottom)}" viewBox="{number(-left)} {number(-top)} '
               f'{number(w + left + right)} {number(h + top + bottom)}" font-family="serif" font-size="12">',
               f'<rect width="{number(w)}" height="{number(h)}" fill="white" stroke="black"/>']
        zx, zy = at((0.0, 0.0))

        def path(item: _Path) -> str:
            d = " ".join("M " + " L ".join(",".join(at(p)) for p in piece) + (" Z" if item.closed else "")
                         for piece in item.pieces)
            fill = _FILL[1] if item.fill else 'fill="none"'
            return f'<path d="{d}" {fill} {_STROKES[item.style][1]}/>'
        out += [path(item) for item in self._paths(True)]
        if 0 < float(zx) < w:
            out.append(f'<line x1="{zx}" y1="0" x2="{zx}" y2="{number(h)}" stroke="#bbb"/>')
        if 0 < float(zy) < h:
            out.append(f'<line x1="0" y1="{zy}" x2="{number(w)}" y2="{zy}" stroke="#bbb"/>')
        out += [path(item) for item in self._paths(False)]
        xt, yt = self._ticks()
        for x, text in xt:
            u = number(x * PX)
            out.append(f'<line x1="{u}" y1="{number(h)}" x2="{u}" y2="{number(h + 4)}" stroke="black"/>'
                       f'<text x="{u}" y="{number(h + 16)}" text-anchor="middle">{_svg_text(text)}</text>')
        for y, text in yt:
            v = number(h - y * PX)
            out.append(f'<line x1="0" y1="{v}" x2="-4" y2="{v}" stroke="black"/>'
                       f'<text x="-6" y="{v}" text-anchor="end" dominant-baseline="middle">{_svg_text(text)}</text>')
        out.append(f'<text x="{number(w + 5)}" y="{number(h)}" dominant-baseline="middle" font-style="italic">'
                   f'{_svg_text(self.names[0])}</text>')
        out.append(f'<text x="3" y="-6" font-style="italic">{_svg_text(self.names[1])}</text>')  # clear of the top tick
        for item in self.items:
            if isinstance(item, _Mark):
                out.append(self._svg_mark(item, *at(item.at)))
        out.append("</svg>")
        return "\n".join(out)

    @staticmethod
    def _svg_mark(item: _Mark, u: str, v: str) -> str:
        text = {"dot": f'<circle cx="{u}" cy="{v}" r="3"/>',
                "open": f'<circle cx="{u}" cy="{v}" r="3" fill="white" stroke="black"/>',
                "ring": f'<circle cx="{u}" cy="{v}" r="7" fill="none" stroke="black"/>',
                "plus": f'<text x="{u}" y="{v}" text-anchor="middle" dominant-baseline="central">+</text>',
                "minus": f'<text x="{u}" y="{v}" text-anchor="middle" dominant-baseline="central">&#8722;</text>'}[
            item.kind]
        if item.label:
            dx, dy, anchor = {"ne": (4, -4, "start"), "nw": (-4, -4, "end"), "se": (4, 14, "start"),
                              "sw": (-4, 14, "end")}[item.anchor]
            text += (f'<text x="{number(float(u) + dx)}" y="{number(float(v) + dy)}" text-anchor="{anchor}" '
                     f'font-style="italic">{_svg_text(item.label)}</text>')
        return text


_SCRIPT = re.compile(r"([_^])(\{[^}]*\}|.)")
_SYMBOLS = {r"\lambda": "λ", r"\mu": "μ", r"\sigma": "σ", "-": "−"}


def _svg_text(label: str) -> str:
    """A TeX label (x_{0}, x^*, -2) as SVG text with sub- and superscripts; &, < and > are
    escaped (a variable's name is the user's)."""
    label = html.escape(label, quote=False)
    for tex_name, char in _SYMBOLS.items():
        label = label.replace(tex_name, char)

    def script(match: re.Match) -> str:
        body = match.group(2).strip("{}")
        shift = "sub" if match.group(1) == "_" else "super"
        return f'<tspan baseline-shift="{shift}" font-size="9">{body}</tspan>'
    return _SCRIPT.sub(script, label)


_ELEMENTS = {"svg", "rect", "path", "line", "circle", "text", "tspan"}
_ATTRIBUTES = {"width", "height", "viewBox", "font-family", "font-size", "font-style", "fill", "stroke",
               "stroke-width", "stroke-dasharray", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
               "text-anchor", "dominant-baseline", "baseline-shift", "transform"}


def is_picture(block: str) -> bool:
    """Whether a block of Markdown is one SVG of the kind :meth:`Canvas.svg` writes (only its
    elements and presentation attributes: no script, no event handler, no link), so that an
    HTML page may show it as markup instead of escaping it as text."""
    if not block.startswith('<svg xmlns="http://www.w3.org/2000/svg"') or not block.endswith("</svg>"):
        return False
    try:
        root = ET.fromstring(block)
    except ET.ParseError:
        return False
    prefix = "{http://www.w3.org/2000/svg}"
    return all(e.tag.startswith(prefix) and e.tag[len(prefix):] in _ELEMENTS and set(e.attrib) <= _ATTRIBUTES
               for e in root.iter())
