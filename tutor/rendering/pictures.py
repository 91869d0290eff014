"""Pictures that explain a solution, one function per picture, called by the kind templates:
the feasible polygon of a 2-D LP with the level line of the objective at its optimum, the
path of gradient descent on the contour lines of a 2-D quadratic, the constraint curves of a
Lagrange problem with its candidates (optimization); the regression curve through its data,
the PCA axis over the centred points with their projections, the SVM's boundary with its
margins and support vectors, a Gaussian mixture's densities before and after an EM step
(models).

Each function turns sympy values into floats, builds a :class:`~tutor.rendering.canvas.Canvas`
and writes it for the dialect: TikZ in LaTeX, SVG in Markdown, nothing in plain text.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import sympy

from tutor.rendering.canvas import Canvas, Point, window
from tutor.rendering.dialects import Raw

SAMPLES = 120  # a curve is drawn through this many pieces, at fixed abscissas


def _f(e: Any) -> float:
    return float(sympy.N(e))


def _names(variables: Sequence[Any]) -> tuple[str, str]:
    return (sympy.latex(variables[0]), sympy.latex(variables[1])) if len(variables) == 2 else ("x_1", "x_2")


def _render(canvas: Canvas, dialect: str) -> Raw:
    if dialect == "latex":
        return Raw(canvas.tikz())
    if dialect == "markdown":
        return Raw("\n" + canvas.svg() + "\n")
    return Raw("")


def _canvas(points: Sequence[Point], margin: float = 0.15, **options: Any) -> Canvas:
    return Canvas(*window(points, margin), **options)


def _sampled(canvas: Canvas, f: Callable[[float], Any]) -> list[Point]:
    """The curve y = f(x) at SAMPLES + 1 abscissas across the window, leaving out those where
    f is undefined (a feature log x left of 0)."""
    points = []
    for i in range(SAMPLES + 1):
        x = canvas.x0 + (canvas.x1 - canvas.x0) * i / SAMPLES
        try:
            y = f(x)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if isinstance(y, (int, float)) and math.isfinite(y):
            points.append((x, float(y)))
    return points


# ---------------------------------------------------------------- optimization

def lp_picture(A: Any, b: Any, c: Any, vertices: Sequence[Any], optimum: Any, dialect: str) -> Raw:
    """The feasible polygon (its vertices in order), the optimum and the level line c^T x = c^T x*."""
    pts = list(dict.fromkeys((_f(v[0]), _f(v[1])) for v in vertices))
    if len(pts) < 3:
        return Raw("")
    cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    pts.sort(key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
    rows = [(_f(A[i, 0]), _f(A[i, 1]), _f(b[i])) for i in range(A.rows)]
    on_a_side = [any(abs(r[0] * p[0] + r[1] * p[1] - r[2]) < 1e-9 and abs(r[0] * q[0] + r[1] * q[1] - r[2]) < 1e-9
                     for r in rows) for p, q in zip(pts, pts[1:] + pts[:1])]
    if not all(on_a_side):  # an unbounded feasible set: its vertices do not close a polygon
        return Raw("")
    canvas = _canvas(pts)
    canvas.path(pts, closed=True, fill=True)
    opt = (_f(optimum[0]), _f(optimum[1]))
    canvas.line(_f(c[0]), _f(c[1]), _f(c[0]) * opt[0] + _f(c[1]) * opt[1], "dashed")
    canvas.mark(opt, label="x^*", anchor="ne" if opt[0] >= cx else "nw")
    return _render(canvas, dialect)


def descent_picture(A: Any, b: Any, points: Sequence[Any], dialect: str, variables: Sequence[Any] = ()) -> Raw:
    """Contour lines of f = ½xᵀAx - bᵀx (A positive definite, 2 x 2) through the first iterates,
    and the path of the iterates."""
    path = [(_f(p[0]), _f(p[1])) for p in points]
    a11, a12, a22 = _f(A[0, 0]), _f(A[0, 1]), _f(A[1, 1])
    b1, b2 = _f(b[0]), _f(b[1])
    det = a11 * a22 - a12 * a12
    center = ((a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det)

    def f(p: Point) -> float:
        return 0.5 * (a11 * p[0] ** 2 + 2 * a12 * p[0] * p[1] + a22 * p[1] ** 2) - b1 * p[0] - b2 * p[1]
    canvas = _canvas(path + [center], names=_names(variables))
    for p in path[:3]:
        level = f(p) - f(center)
        if level <= 1e-12:
            continue
        ring = []
        for k in range(SAMPLES + 1):  # the ellipse u^T A u = 2 level around the center
            d = (math.cos(2 * math.pi * k / SAMPLES), math.sin(2 * math.pi * k / SAMPLES))
            r = math.sqrt(2 * level / (a11 * d[0] ** 2 + 2 * a12 * d[0] * d[1] + a22 * d[1] ** 2))
            ring.append((center[0] + r * d[0], center[1] + r * d[1]))
        canvas.path(ring, "level")
    canvas.path(path)
    # an iterate is named where its name has room: away from the points named before (the
    # later iterates crowd together near the minimizer), on alternate sides of a zigzag
    room = 0.08 * max(canvas.x1 - canvas.x0, canvas.y1 - canvas.y0)
    named = [center]
    for k, p in enumerate(path):
        free = all(math.dist(p, q) >= room for q in named)
        canvas.mark(p, label=f"x_{{{k}}}" if free else "", anchor="se" if k % 2 else "nw")
        named += [p] if free else []
    canvas.mark(center, label="x^*", anchor="se")
    return _render(canvas, dialect)


def _zero_set(g: Callable[[float, float], float], canvas: Canvas, cells: int = 48) -> list[tuple[Point, Point]]:
    """The curve g = 0 in the canvas's window, by marching squares: in each grid cell whose
    corners change sign, a segment between the crossings of its edges."""
    hx, hy = (canvas.x1 - canvas.x0) / cells, (canvas.y1 - canvas.y0) / cells
    value = [[g(canvas.x0 + i * hx, canvas.y0 + j * hy) for j in range(cells + 1)] for i in range(cells + 1)]
    pieces = []
    for i in range(cells):
        for j in range(cells):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            crossings = []
            for (a, b), (c, d) in zip(corners, corners[1:] + corners[:1]):
                va, vb = value[a][b], value[c][d]
                if (va < 0) != (vb < 0):
                    t = va / (va - vb)
                    crossings.append((canvas.x0 + (a + t * (c - a)) * hx, canvas.y0 + (b + t * (d - b)) * hy))
            if len(crossings) >= 2:
                pieces.append((crossings[0], crossings[1]))
            if len(crossings) == 4:
                pieces.append((crossings[2], crossings[3]))
    return pieces


def constraint_picture(constraints: Sequence[Any], variables: Sequence[Any], points: Sequence[Any],
                       dialect: str) -> Raw:
    """The constraint curves g_i = 0 of a 2-D Lagrange problem and its candidates (points as
    mappings of the variables to their values)."""
    pts = [(_f(p[variables[0]]), _f(p[variables[1]])) for p in points]
    if not pts:
        return Raw("")
    if len(pts) == 1:  # a window of width 6 around the one candidate
        (x, y), = pts
        canvas = Canvas(x - 3, x + 3, y - 3, y + 3, names=_names(variables))
    else:
        canvas = _canvas(pts, margin=0.3, names=_names(variables))
    for g in constraints:
        canvas.segments(_zero_set(sympy.lambdify(list(variables), g, modules="math"), canvas), "thick")
    cx = sum(p[0] for p in pts) / len(pts)
    for k, p in enumerate(pts):
        canvas.mark(p, label=f"p_{{{k + 1}}}", anchor="ne" if p[0] >= cx else "nw")
    return _render(canvas, dialect)


def _ends(F: Callable[[float, float], float], y: float, xs: list[float],
          inside: list[bool]) -> list[tuple[float, float]]:
    """The runs of feasible abscissas on the line at height y, each end found by bisection
    between the last feasible and the first infeasible sample (or at the window's edge)."""
    def cross(a: float, b: float) -> float:  # F(a) <= 0 < F(b)
        for _ in range(30):
            mid = (a + b) / 2
            a, b = (mid, b) if F(mid, y) <= 0 else (a, mid)
        return a
    runs, k = [], 0
    while k < len(xs):
        if not inside[k]:
            k += 1
            continue
        start = k
        while k + 1 < len(xs) and inside[k + 1]:
            k += 1
        lo = xs[0] if start == 0 else cross(xs[start], xs[start - 1])
        hi = xs[-1] if k == len(xs) - 1 else cross(xs[k], xs[k + 1])
        runs.append((lo, hi))
        k += 1
    return runs


def _region(F: Callable[[float, float], float], canvas: Canvas, rows: int = 60, cols: int = 120) -> list[Point] | None:
    """The feasible set {F <= 0} inside the window as one polygon, when each horizontal line
    meets it in one interval and those lines follow each other (a convex set does); else None
    (the set is then shown by its boundary curves alone)."""
    xs = [canvas.x0 + (canvas.x1 - canvas.x0) * k / cols for k in range(cols + 1)]
    left, right, seen, ended = [], [], False, False
    for j in range(rows + 1):
        y = canvas.y0 + (canvas.y1 - canvas.y0) * j / rows
        runs = _ends(F, y, xs, [F(x, y) <= 0 for x in xs])
        if len(runs) > 1 or (runs and ended):
            return None
        if runs:
            seen = True
            left.append((runs[0][0], y))
            right.append((runs[0][1], y))
        elif seen:
            ended = True
    return left + right[::-1] if len(left) >= 2 else None


def _safe(fn: Callable[[float, float], Any]) -> Callable[[float, float], float]:
    """fn as a float, NaN where it is undefined (log of a negative) or not real: NaN is never
    <= 0, so such a point counts as infeasible and lies on no curve."""
    def value(x: float, y: float) -> float:
        try:
            v = fn(x, y)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.nan
        return float(v) if isinstance(v, (int, float)) else math.nan
    return value


def _program_picture(f: sympy.Expr, gs: Sequence[sympy.Expr], equalities: Sequence[bool], variables: Sequence[Any],
                     points: Sequence[Point], optimum: Point | None, extra: Sequence[Point], dialect: str) -> Raw:
    """The feasible region (shaded), level curves of f (the one through the optimum dashed), the
    constraint boundaries (the active ones thick), the KKT points and the optimum x*."""
    if dialect not in ("latex", "markdown") or not points:
        return Raw("")
    canvas = Canvas(*window(list(points) + list(extra), margin=0.3, least=3.0), names=_names(variables))
    fn = _safe(sympy.lambdify(list(variables), f, modules="math"))
    g_fns = [_safe(sympy.lambdify(list(variables), g, modules="math")) for g in gs]
    inequalities = [g for g, eq in zip(g_fns, equalities) if not eq]
    if inequalities and not any(equalities):
        polygon = _region(lambda x, y: max(g(x, y) for g in inequalities), canvas)
        if polygon:
            canvas.path(polygon, closed=True, fill=True, style="level")
    grid = [fn(canvas.x0 + (canvas.x1 - canvas.x0) * i / 24, canvas.y0 + (canvas.y1 - canvas.y0) * j / 24)
            for i in range(25) for j in range(25)]
    finite = [v for v in grid if math.isfinite(v)]
    if not finite:
        return Raw("")
    lo, hi = min(finite), max(finite)
    for k in range(1, 6):  # squares spread the levels of a quadratic evenly in distance
        level = lo + (hi - lo) * (k / 6) ** 2
        canvas.segments(_zero_set(lambda x, y: fn(x, y) - level, canvas), "level")
    if optimum is not None:
        best = fn(*optimum)
        canvas.segments(_zero_set(lambda x, y: fn(x, y) - best, canvas), "dashed")
    for g in g_fns:
        active = optimum is not None and abs(g(*optimum)) < 1e-9
        canvas.segments(_zero_set(g, canvas), "thick" if active else "solid")
    for k, p in enumerate(points):
        if p != optimum:
            canvas.mark(p, kind="open", label=f"p_{{{k + 1}}}", anchor="nw")
    if optimum is not None:
        canvas.mark(optimum, label="x^*", anchor="ne")
    return _render(canvas, dialect)


def kkt_picture(function: Any, constraints: Sequence[Any], variables: Sequence[Any], points: Sequence[Any],
                dialect: str) -> Raw:
    """A 2-D KKT problem: ``constraints`` with their ``g`` and ``equality``, ``points`` the KKT
    points of the answer (``point``, ``nature``), the global minimum among them marked x*."""
    coords = [(_f(p.point[0]), _f(p.point[1])) for p in points]
    optimum = next((c for c, p in zip(coords, points) if p.nature == "minimum"), None)
    return _program_picture(function, [c.g for c in constraints], [c.equality for c in constraints], variables,
                            coords, optimum, [], dialect)


def qp_picture(Q: Any, c: Any, A: Any, b: Any, x: Any, dialect: str) -> Raw:
    """A 2-D QP ½xᵀQx + cᵀx, Ax <= b: its optimum, and in the window also the unconstrained
    minimizer -Q⁻¹c and the feasible corners (where two constraints meet)."""
    v = sympy.symbols("x_1 x_2")
    X = sympy.Matrix(v)
    f = (X.T * Q * X)[0] / 2 + (c.T * X)[0]
    gs = [(A.row(i) * X)[0] - b[i] for i in range(A.rows)]
    corners = []
    for i in range(A.rows):
        for j in range(i + 1, A.rows):
            M = A.extract([i, j], [0, 1])
            if M.det() != 0:
                p = M.LUsolve(b.extract([i, j], [0]))
                if all(e <= 0 for e in A * p - b):
                    corners.append((_f(p[0]), _f(p[1])))
    free = -Q.inv() * c
    optimum = (_f(x[0]), _f(x[1]))
    return _program_picture(f, gs, [False] * len(gs), v, [optimum], optimum, corners + [(_f(free[0]), _f(free[1]))],
                            dialect)


# ---------------------------------------------------------------- models

def regression_picture(xs: Sequence[Any], ys: Sequence[Any], features: Sequence[Any], variable: Any,
                       theta: Sequence[Any], dialect: str) -> Raw:
    """The data and the fitted curve Σ θ_j φ_j(x), sampled across the window."""
    data = [(_f(x), _f(y)) for x, y in zip(xs, ys)]
    canvas = _canvas(data, equal=False, names=(sympy.latex(variable), "y"))
    fit = sympy.lambdify([variable], sum((t * g for t, g in zip(theta, features)), sympy.S.Zero), modules="math")
    canvas.path(_sampled(canvas, fit), "thick")
    for p in data:
        canvas.mark(p)
    return _render(canvas, dialect)


def svm_picture(points: Sequence[Any], labels: Sequence[int], w: Any, b: Any, support: Sequence[int],
                dialect: str) -> Raw:
    """The points as + and −, the boundary wᵀx + b = 0, the margins wᵀx + b = ±1 (dashed),
    the support vectors circled."""
    pts = [(_f(p[0]), _f(p[1])) for p in points]
    canvas = _canvas(pts)
    a, c, bias = _f(w[0]), _f(w[1]), _f(b)
    canvas.line(a, c, -bias, "thick")
    canvas.line(a, c, 1 - bias, "dashed")
    canvas.line(a, c, -1 - bias, "dashed")
    for p, y in zip(pts, labels):
        canvas.mark(p, "plus" if y > 0 else "minus")
    for n in support:
        canvas.mark(pts[n], "ring")
    return _render(canvas, dialect)


def pca_picture(centred: Any, axis: Any, dialect: str) -> Raw:
    """The centred points, the first principal axis through 0, and each point's projection
    onto it (open circles, joined to the point by a dashed segment)."""
    u = (_f(axis[0]), _f(axis[1]))
    pts = [(_f(centred[i, 0]), _f(centred[i, 1])) for i in range(centred.rows)]
    canvas = _canvas(pts)
    canvas.line(u[1], -u[0], 0.0, "thick")
    for x, y in pts:
        t = x * u[0] + y * u[1]
        canvas.path([(x, y), (t * u[0], t * u[1])], "dashed")
    for x, y in pts:
        t = x * u[0] + y * u[1]
        canvas.mark((t * u[0], t * u[1]), "open")
        canvas.mark((x, y))
    return _render(canvas, dialect)


def mixture_picture(data: Sequence[Any], before: Sequence[Sequence[Any]], after: Sequence[Sequence[Any]],
                    dialect: str) -> Raw:
    """The mixture density Σ π_k N(x | μ_k, σ_k²) before (dashed) and after (solid) the EM
    step, over the data (dots on the x axis); ``before`` and ``after`` are (weights, means,
    variances)."""
    xs = [_f(x) for x in data]
    mixtures = [[tuple(_f(v) for v in column) for column in zip(*params)] for params in (before, after)]

    def density(mixture: list[tuple[float, float, float]]) -> Callable[[float], float]:
        return lambda x: sum(p * math.exp(-(x - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
                             for p, m, v in mixture)
    reach = [m + s * 2.5 * math.sqrt(v) for mixture in mixtures for _, m, v in mixture for s in (-1, 1)]
    lo, hi = min(xs + reach), max(xs + reach)
    top = max(f(lo + (hi - lo) * i / SAMPLES) for f in map(density, mixtures) for i in range(SAMPLES + 1))
    canvas = Canvas(lo, hi, -0.05 * top, 1.1 * top, names=("x", "p(x)"), equal=False)
    for mixture, style in zip(mixtures, ("dashed", "thick")):
        canvas.path(_sampled(canvas, density(mixture)), style)
    for x in xs:
        canvas.mark((x, 0.0))
    return _render(canvas, dialect)
