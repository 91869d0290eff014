"""Optimization (MML 7): each answer checked by its defining conditions, exactly where the
tutor's numbers are exact, and against an independent numeric optimum (scipy's linprog and
SLSQP from many starts, cvxpy for a convex QP, numeric Hessian eigenvalues, a numeric sup).

Sets are compared by meaning: a stationary point the numeric root search finds must be listed,
an LP with a line of optima may return any optimal point (feasible, optimal value), multipliers
are checked by the KKT conditions they must satisfy, not against one solver's choice.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import sympy

from .. import reading
from .common import Wrong, agree, equal, value

_TOL = 1e-6
_SIGNS = ("<=", ">=", "<", ">", "=")


# ---------------------------------------------------------------- reading

def _names(text: Any) -> list[sympy.Symbol]:
    items = text if isinstance(text, (list, tuple)) else str(text).strip("()").split(",")
    return [sympy.Symbol(str(t).strip(), real=True) for t in items]


def _variables(raw: dict, *exprs: sympy.Expr, key: str = "vars") -> list[sympy.Symbol]:
    if raw.get(key):
        return _names(raw[key])
    return sorted(set().union(*(e.free_symbols for e in exprs)), key=lambda s: s.name)


def _expr(text: Any) -> sympy.Expr:
    """An expression as the tutor reads it: ``e`` alone is Euler's number."""
    return reading.expr(text).xreplace({sympy.Symbol("e", real=True): sympy.E})


def _relation(text: str) -> tuple[sympy.Expr, str, sympy.Expr]:
    text = text.replace("≤", "<=").replace("≥", ">=")
    for sign in _SIGNS:
        if sign in text:
            lhs, rhs = text.split(sign, 1)
            return _expr(lhs), sign, _expr(rhs)
    raise ValueError(f"no relation in {text!r}")


def _constraints(raw: dict) -> list[tuple[sympy.Expr, bool]]:
    """(g, equality) with g = 0 or g <= 0 (MML 7.2: lhs - rhs, and rhs - lhs for >=)."""
    items = raw["constraint"] if isinstance(raw["constraint"], (list, tuple)) else [raw["constraint"]]
    out = []
    for text in items:
        lhs, sign, rhs = _relation(str(text))
        out.append((rhs - lhs if sign.startswith(">") else lhs - rhs, sign == "="))
    return out


def _domain(raw: dict, variables: list[sympy.Symbol]) -> dict[sympy.Symbol, tuple[float, float]]:
    """Open bounds (lo, hi) per variable from ``x > 0, y >= 1`` (closed ends sampled as open)."""
    bounds = {v: [-np.inf, np.inf] for v in variables}
    for part in re.split(r",|\band\b", str(raw.get("domain") or "")):
        if not part.strip():
            continue
        lhs, sign, rhs = _relation(part)
        (v,) = (lhs - rhs).free_symbols
        k = float(sympy.solve(lhs - rhs, v)[0])
        upper = (sign.startswith("<")) == bool(sympy.diff(lhs - rhs, v) > 0)
        lo, hi = bounds[v]
        bounds[v] = [lo, min(hi, k)] if upper else [max(lo, k), hi]
    return {v: (lo, hi) for v, (lo, hi) in bounds.items()}


def _sample(lo: float, hi: float, rng: np.random.Generator, n: int) -> np.ndarray:
    """Points strictly inside (lo, hi): near the ends and across, on unbounded sides out to 20."""
    if np.isfinite(lo) and np.isfinite(hi):
        return lo + (hi - lo) * rng.uniform(1e-3, 1 - 1e-3, n)
    if np.isfinite(lo):
        return lo + np.exp(rng.uniform(np.log(1e-3), np.log(20), n))
    if np.isfinite(hi):
        return hi - np.exp(rng.uniform(np.log(1e-3), np.log(20), n))
    return rng.uniform(-6, 6, n) * np.exp(rng.uniform(-2, 1.2, n))


def _lambdify(e: sympy.Expr, variables: list[sympy.Symbol]):
    """numpy function of e; a DiracDelta (the second derivative of |x|^3) is 0 almost everywhere."""
    return sympy.lambdify(variables, e.replace(sympy.DiracDelta, lambda *a: sympy.S.Zero), modules="numpy")


def _numbers(M: Any) -> np.ndarray:
    return np.array([float(value(e).real) for e in M], dtype=float)


def _is_exact(*es: Any) -> bool:
    return all(not sympy.sympify(e).has(sympy.Float) for e in es)


def _zero(e: sympy.Expr, scale: float = 1.0) -> bool:
    """0, exactly for exact numbers (by simplify, else 30 digits to 1e-12)."""
    return equal(e, 0) if _is_exact(e) else abs(value(e)) <= 1e-9 * max(1.0, scale)


# ---------------------------------------------------------------- stationary points

def _hessian_nature(H: np.ndarray) -> str | None:
    eig = np.linalg.eigvalsh((H + H.T) / 2)
    tol = 1e-9 * max(1.0, float(np.abs(eig).max()))
    if (eig > tol).all():
        return "minimum"
    if (eig < -tol).all():
        return "maximum"
    if (eig > tol).any() and (eig < -tol).any():
        return "saddle"
    return None


def _local_nature(f: sympy.Expr, variables: list[sympy.Symbol], point: tuple, H: np.ndarray) -> str | None:
    """A degenerate Hessian: the signs of f(p + r u) - f(p) at 40 digits along the axes, the
    diagonals, the Hessian's kernel and random directions, at radii 1e-2 .. 1e-4."""
    n = len(variables)
    rng = np.random.default_rng(3)
    dirs = [np.eye(n)[i] for i in range(n)] + [-np.eye(n)[i] for i in range(n)]
    w, V = np.linalg.eigh((H + H.T) / 2)
    for j in range(n):
        if abs(w[j]) <= 1e-9 * max(1.0, np.abs(w).max()):
            dirs += [V[:, j], -V[:, j]]
    if n == 2:
        dirs += [np.array(d) / np.sqrt(2) for d in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
    dirs += list(rng.normal(size=(30, n)))
    base = f.xreplace(dict(zip(variables, point)))
    base_value = sympy.N(base, 50)
    signs = set()
    for d in dirs:
        d = d / np.linalg.norm(d)
        for r in ("1/100", "1/1000", "1/10000"):
            at = {v: p + sympy.Rational(r) * sympy.nsimplify(round(float(c), 12), rational=True)
                  for v, p, c in zip(variables, point, d)}
            diff = sympy.N(f.xreplace(at), 50) - base_value
            if abs(diff) > sympy.Float(10) ** -40:
                signs.add(diff > 0)
    if signs == {True}:
        return "minimum"
    if signs == {False}:
        return "maximum"
    return "saddle" if signs else None


def _gradient_roots(grad: list, variables: list[sympy.Symbol]) -> list[tuple[np.ndarray, float]]:
    """Zeros of the gradient found by scipy's root from 60 starts in [-6, 6]^n, each with the
    distance within which it is known: 1e-6 where the Jacobian (the Hessian) is well conditioned,
    1e-2 at a degenerate zero (a triple root is found only to about the cube root of 1e-16)."""
    from scipy.optimize import root
    n = len(variables)
    g = _lambdify(sympy.Matrix(grad), variables)
    J = _lambdify(sympy.Matrix(grad).jacobian(variables), variables)
    rng = np.random.default_rng(7)
    found: list[tuple[np.ndarray, float]] = []
    with np.errstate(all="ignore"):
        for start in rng.uniform(-6, 6, size=(60, n)):
            try:
                sol = root(lambda x: np.asarray(g(*x), dtype=float).ravel(), start,
                           jac=lambda x: np.asarray(J(*x), dtype=float).reshape(n, n), method="hybr")
            except (ValueError, TypeError, ZeroDivisionError, OverflowError):
                continue
            x = sol.x
            if not sol.success or not np.all(np.isfinite(x)) or np.abs(x).max() > 50:
                continue
            if np.abs(np.asarray(g(*x), dtype=float)).max() > 1e-10:
                continue
            s = np.linalg.svd(np.asarray(J(*x), dtype=float).reshape(n, n), compute_uv=False)
            if s.min() <= 1e-9 * max(1.0, s.max()) and n > 1:
                continue                 # a continuum of zeros, or too degenerate to place
            tol = 1e-6 if s.min() > 1e-4 * max(1.0, s.max()) else 1e-2
            if not any(np.allclose(x, y, atol=1e-7) for y, _ in found):
                found.append((x, tol))
    return found


def stationary_points(raw: dict, ans: Any) -> None:
    f = _expr(raw["function"])
    xs = _variables(raw, f)
    grad = [sympy.diff(f, x) for x in xs]
    H = sympy.hessian(f, xs)
    listed = []
    for p in ans.points:
        at = dict(zip(xs, p.point))
        agree(all(_zero(g.xreplace(at)) for g in grad), f"∇f ≠ 0 at {p.point}")
        agree(equal(p.value, f.xreplace(at)), f"f{p.point} = {f.xreplace(at)}, not {p.value}")
        h = np.array([[float(value(e).real) for e in row] for row in H.xreplace(at).tolist()])
        expected = _hessian_nature(h) or _local_nature(f, xs, p.point, h)
        if expected is None:
            agree(p.nature == "inconclusive", f"{p.point}: no numeric test decides, the tutor says {p.nature}")
        else:
            agree(p.nature == expected or (p.nature == "inconclusive" and _hessian_nature(h) is None),
                  f"{p.point} is a {expected}, not a {p.nature}")
        listed.append(_numbers(p.point))
    for x, tol in _gradient_roots(grad, xs):
        agree(any(np.allclose(x, y, atol=tol, rtol=tol) for y in listed),
              f"the stationary point {x.round(8).tolist()} is missing")


# ---------------------------------------------------------------- gradient descent

def gradient_descent(raw: dict, ans: Any) -> None:
    if raw.get("A"):
        A, b = reading.matrix(raw["A"]), reading.vector(raw["b"])
        xs = _names(raw["vars"]) if raw.get("vars") else [sympy.Symbol(f"x_{i + 1}", real=True) for i in range(A.rows)]
        x = sympy.Matrix(xs)
        f = ((x.T * A * x)[0] / 2 - (b.T * x)[0])
    else:
        f = _expr(raw["function"])
        xs = _variables(raw, f)
    grad = sympy.Matrix([sympy.diff(f, v) for v in xs])
    gamma = reading.expr(raw["step"])
    alpha = reading.expr(raw["momentum"]) if raw.get("momentum") else sympy.S.Zero
    x = reading.vector(raw["start"])
    delta = sympy.zeros(len(xs), 1)
    points, values = [x], [f.xreplace(dict(zip(xs, x)))]
    for _ in range(int(raw.get("iterations") or 3)):
        new = x - gamma * grad.xreplace(dict(zip(xs, x))) + alpha * delta
        new = new.applyfunc(sympy.nsimplify if new.has(sympy.Float) else (lambda e: e))
        delta, x = new - x, new
        points.append(x)
        values.append(f.xreplace(dict(zip(xs, x))))
    agree(len(ans.points) == len(points), f"{len(points)} iterates x_0 .. x_k, not {len(ans.points)}")
    for k, (got, want) in enumerate(zip(ans.points, points)):
        agree(all(equal(a, b) for a, b in zip(got, want)), f"x_{k} is {list(want)}, not {list(got)}")
    for k, (got, want) in enumerate(zip(ans.values, values)):
        agree(equal(got, want), f"f(x_{k}) is {want}, not {got}")


# ---------------------------------------------------------------- constrained: numeric search

def _numeric_extremes(f: sympy.Expr, cons: list[tuple[sympy.Expr, bool]], xs: list[sympy.Symbol],
                      sign: int, box: float = 60.0, starts: int = 40) -> list[tuple[float, np.ndarray]]:
    """Local minima of sign·f under the constraints in the box [-box, box]^n found by SLSQP
    (scipy) from random starts: (value of f, point), feasible to 1e-9."""
    from scipy.optimize import minimize
    F = _lambdify(sign * f, xs)
    dF = _lambdify(sympy.Matrix([sympy.diff(sign * f, v) for v in xs]), xs)
    scipy_cons = []
    for g, eq in cons:
        G, dG = _lambdify(g, xs), _lambdify(sympy.Matrix([sympy.diff(g, v) for v in xs]), xs)
        scipy_cons.append({"type": "eq" if eq else "ineq",
                           "fun": (lambda x, G=G, eq=eq: float(G(*x)) if eq else -float(G(*x))),
                           "jac": (lambda x, dG=dG, eq=eq: np.asarray(dG(*x), float).ravel() * (1 if eq else -1))})
    rng = np.random.default_rng(11)
    out = []
    with np.errstate(all="ignore"):
        for start in rng.uniform(-8, 8, size=(starts, len(xs))):
            try:
                r = minimize(lambda x: float(F(*x)), start, jac=lambda x: np.asarray(dF(*x), float).ravel(),
                             constraints=scipy_cons, bounds=[(-box, box)] * len(xs), method="SLSQP",
                             options={"ftol": 1e-14, "maxiter": 500})
            except (ValueError, TypeError, ZeroDivisionError, OverflowError):
                continue
            if not r.success or not np.all(np.isfinite(r.x)):
                continue
            feasible = all((abs(c["fun"](r.x)) if c["type"] == "eq" else -c["fun"](r.x)) <= 1e-8
                           for c in scipy_cons)
            if feasible:
                out.append((sign * float(r.fun), r.x))
    return out


def _interior(x: np.ndarray, box: float = 60.0) -> bool:
    return bool(np.abs(x).max() < box - 1e-3)


def _regular(cons: list[tuple[sympy.Expr, bool]], xs: list[sympy.Symbol], x: np.ndarray) -> bool:
    """LICQ at x (gradients of the active constraints independent), or all constraints affine
    (then every local minimum is a KKT point)."""
    if all(sympy.Poly(g, *xs).total_degree() <= 1 for g, _ in cons if g.is_polynomial(*xs)) \
            and all(g.is_polynomial(*xs) for g, _ in cons):
        return True
    rows = []
    for g, eq in cons:
        G = float(_lambdify(g, xs)(*x))
        if eq or abs(G) <= 1e-6:
            rows.append(np.asarray(_lambdify(sympy.Matrix([sympy.diff(g, v) for v in xs]), xs)(*x), float).ravel())
    return not rows or np.linalg.matrix_rank(np.array(rows), tol=1e-6) == len(rows)


def _near(x: np.ndarray, points: list[np.ndarray], tol: float = 1e-4) -> bool:
    return any(np.allclose(x, y, atol=tol, rtol=tol) for y in points)


def _check_point(f: sympy.Expr, cons: list[tuple[sympy.Expr, bool]], xs: list[sympy.Symbol], p: Any,
                 kkt: bool) -> None:
    """Feasibility, stationarity of 𝔏 = f + Σ λ_i g_i, and for KKT dual feasibility and
    complementary slackness, all with the tutor's own multipliers."""
    at = dict(zip(xs, p.point))
    ms = p.multipliers or ()
    agree(len(ms) == len(cons), f"{len(cons)} multipliers, not {len(ms)}")
    L = f + sum(m * g for m, (g, _) in zip(ms, cons))
    for v in xs:
        agree(_zero(sympy.diff(L, v).xreplace(at)), f"∂𝔏/∂{v} ≠ 0 at {p.point} with multipliers {ms}")
    for m, (g, eq) in zip(ms, cons):
        g_at = g.xreplace(at)
        if eq:
            agree(_zero(g_at), f"{g} = 0 fails at {p.point}")
        else:
            agree(value(g_at).real <= 1e-12, f"{g} <= 0 fails at {p.point}")
            agree(value(m).real >= -1e-12, f"multiplier {m} < 0 at {p.point}")
            agree(_zero(m * g_at), f"complementary slackness fails at {p.point}: λ = {m}, g = {g_at}")
    agree(equal(p.value, f.xreplace(at)), f"f{p.point} = {f.xreplace(at)}, not {p.value}")


def lagrange(raw: dict, ans: Any) -> None:
    f = _expr(raw["function"])
    cons = _constraints(raw)
    xs = _variables(raw, f, *(g for g, _ in cons))
    goal = raw.get("goal") or "both"
    lows = _numeric_extremes(f, cons, xs, 1)
    highs = _numeric_extremes(f, cons, xs, -1)
    if not hasattr(ans, "points"):         # NoneAnswer: "no global minimum/maximum"
        found, s = {"min": (lows, 1), "max": (highs, -1)}[goal]
        if found:
            _, x = min(found, key=lambda vx: s * vx[0])
            agree(not _interior(x), f"the tutor says {ans.reason}, but the numeric search finds one at {x.round(8).tolist()}")
        return
    for p in ans.points:
        _check_point(f, cons, xs, p, kkt=False)
        agree(goal == "both" or p.nature == {"min": "minimum", "max": "maximum"}[goal],
              f"goal {goal} lists a {p.nature}")
    listed = [_numbers(p.point) for p in ans.points]
    if goal == "both":          # every local extremum on the constraints is a candidate
        for v, x in lows + highs:
            if _interior(x) and _regular(cons, xs, x):
                agree(_near(x, listed), f"a constrained extremum at {x.round(8).tolist()} (f = {v:.10g}) is missing")
    else:                       # the global one asked for is listed
        found, s = {"min": (lows, 1), "max": (highs, -1)}[goal]
        best = min(found, key=lambda vx: s * vx[0], default=None)
        if best is not None and _interior(best[1]) and _regular(cons, xs, best[1]):
            agree(any(abs(float(value(p.value).real) - best[0]) <= _TOL * max(1, abs(best[0])) for p in ans.points),
                  f"the global {goal}imum f = {best[0]:.10g} at {best[1].round(8).tolist()} is missing")
    for p, name, found, s in [(p, n, fs, s) for p in ans.points
                              for n, fs, s in (("minimum", lows, 1), ("maximum", highs, -1)) if p.nature == n]:
        v = float(value(p.value).real)
        better = [w for w, _ in found if s * w < s * v - _TOL * max(1, abs(v))]
        agree(not better, f"{p.point} is called the {name} ({v}), but f reaches {better[:1]} on the constraints")


def kkt(raw: dict, ans: Any) -> None:
    f = _expr(raw["function"])
    cons = _constraints(raw)
    xs = _variables(raw, f, *(g for g, _ in cons))
    for p in ans.points:
        _check_point(f, cons, xs, p, kkt=True)
    lows = _numeric_extremes(f, cons, xs, 1)
    listed = [_numbers(p.point) for p in ans.points]
    interior = [(v, x) for v, x in lows if _interior(x)]
    best = min((v for v, _ in lows), default=None)
    for v, x in interior:
        if abs(v - best) <= _TOL * max(1, abs(best)) and _regular(cons, xs, x):
            agree(_near(x, listed), f"the minimum at {x.round(8).tolist()} (f = {v:.10g}) is missing")
    for p in ans.points:
        if p.nature == "minimum" and best is not None:
            v = float(value(p.value).real)
            agree(v <= best + _TOL * max(1, abs(best)), f"{p.point} is called the minimum ({v}), but f reaches {best}")


# ---------------------------------------------------------------- convexity

def _midpoint_signs(F, lo_hi: list[tuple[float, float]], rng: np.random.Generator) -> tuple[bool, bool]:
    """Whether midpoint convexity (concavity) fails somewhere on random pairs in the domain."""
    a = np.column_stack([_sample(lo, hi, rng, 400) for lo, hi in lo_hi])
    b = np.column_stack([_sample(lo, hi, rng, 400) for lo, hi in lo_hi])
    with np.errstate(all="ignore"):
        fa, fb, fm = (np.asarray(F(*p.T), float) * np.ones(len(p)) for p in (a, b, (a + b) / 2))
    gap = (fa + fb) / 2 - fm
    scale = 1e-9 * (1 + np.abs(fa) + np.abs(fb))
    ok = np.isfinite(gap)
    return bool((gap[ok] < -scale[ok]).any()), bool((gap[ok] > scale[ok]).any())


def convexity(raw: dict, ans: Any) -> None:
    """The verdict against Hessian eigenvalues at 600 random points of the domain (and midpoint
    convexity on random pairs): an indefinite Hessian somewhere, or positive and negative
    curvature at two points, is "neither"; semidefinite everywhere is convex (concave), and
    strictly so unless the Hessian is singular at every sample (a flat direction: not strict)."""
    f = _expr(raw["function"])
    xs = _variables(raw, f)
    bounds = _domain(raw, xs)
    rng = np.random.default_rng(5)
    pts = np.column_stack([_sample(*bounds[v], rng, 600) for v in xs])
    H = _lambdify(sympy.hessian(f, xs), xs)
    lows, highs, singular = [], [], []
    with np.errstate(all="ignore"):
        for p in pts:
            h = np.asarray(H(*p), float).reshape(len(xs), len(xs))
            if not np.all(np.isfinite(h)):
                continue
            eig = np.linalg.eigvalsh(h)
            tol = 1e-8 * max(1.0, np.abs(eig).max())
            lows.append(eig.min() < -tol)
            highs.append(eig.max() > tol)
            singular.append(np.abs(eig).min() <= tol)
    not_convex, not_concave = any(lows), any(highs)
    mid_convex_fails, mid_concave_fails = _midpoint_signs(_lambdify(f, xs), [bounds[v] for v in xs], rng)
    not_convex |= mid_convex_fails
    not_concave |= mid_concave_fails
    strict = not all(singular)
    if not_convex and not_concave:
        expected = {"neither"}
    elif not not_convex and not not_concave:
        expected = {"convex", "concave"}        # affine
    elif not not_convex:
        expected = {"strictly convex" if strict else "convex"}
    else:
        expected = {"strictly concave" if strict else "concave"}
    agree(ans.value in expected, f"the samples say {' or '.join(sorted(expected))}, not {ans.value}")


# ---------------------------------------------------------------- linear and quadratic programs

def _program(raw: dict) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix]:
    return reading.matrix(raw["A"]), reading.vector(raw["b"]), reading.vector(raw["c"])


def lp(raw: dict, ans: Any) -> None:
    """scipy's linprog (HiGHS) for the status and the optimal value; the tutor's x must be
    feasible with that value (any point of a face of optima), its dual y >= 0 with Aᵀy = -c and
    -bᵀy the same value (strong duality), all exactly."""
    from scipy.optimize import linprog
    A, b, c = _program(raw)
    def run(cost: np.ndarray) -> Any:
        return linprog(cost, A_ub=np.array(A.tolist(), float), b_ub=_numbers(b), bounds=[(None, None)] * A.cols,
                       method="highs")
    r = run(_numbers(c))
    status = {0: "optimal", 2: "infeasible", 3: "unbounded"}.get(r.status, f"scipy status {r.status}")
    if status == "infeasible" and run(np.zeros(A.cols)).status == 0:
        status = "unbounded"  # HiGHS's presolve calls some unbounded LPs infeasible (feasible with cost 0)
    if not hasattr(ans, "x"):
        agree(ans.reason == status, f"scipy says {status}, the tutor {ans.reason}")
        return
    agree(status == "optimal", f"scipy says {status}, the tutor gives an optimum")
    x, y = sympy.Matrix(ans.x), sympy.Matrix(ans.multipliers)
    agree(all(e <= 0 for e in A * x - b), f"x = {list(x)} violates Ax <= b")
    agree(equal(ans.value, (c.T * x)[0]), f"cᵀx = {(c.T * x)[0]}, not {ans.value}")
    agree(abs(float(value(ans.value).real) - r.fun) <= _TOL * max(1, abs(r.fun)),
          f"the optimum is {r.fun}, not {ans.value}")
    agree(y.rows == A.rows and all(e >= 0 for e in y), f"the dual {list(y)} must be >= 0, one per constraint")
    agree((A.T * y + c).is_zero_matrix, f"Aᵀy = {list(A.T * y)} is not -c")
    agree(equal(-(b.T * y)[0], ans.value), f"the dual value -bᵀy = {-(b.T * y)[0]} is not the optimum")


def qp(raw: dict, ans: Any) -> None:
    """KKT exactly with the tutor's multipliers (Qx + c + Aᵀλ = 0, λ >= 0, λ_i (Ax - b)_i = 0,
    Ax <= b); the value against cvxpy's optimum (and the point, unique for Q positive definite)."""
    import cvxpy as cp
    A, b, c = _program(raw)
    Q = reading.matrix(raw["Q"])
    x, lam = sympy.Matrix(ans.x), sympy.Matrix(ans.multipliers)
    slack = A * x - b
    agree(all(e <= 0 for e in slack), f"x = {list(x)} violates Ax <= b")
    agree(lam.rows == A.rows and all(e >= 0 for e in lam), f"multipliers {list(lam)} must be >= 0")
    agree((Q * x + c + A.T * lam).is_zero_matrix, f"Qx + c + Aᵀλ = {list(Q * x + c + A.T * lam)} ≠ 0")
    agree(all(l * s == 0 for l, s in zip(lam, slack)), "complementary slackness fails")
    agree(equal(ans.value, (x.T * Q * x)[0] / 2 + (c.T * x)[0]), f"the value at x is not {ans.value}")
    Qn = np.array(Q.tolist(), float)
    if np.linalg.eigvalsh(Qn).min() < -1e-12:
        return
    z = cp.Variable(A.cols)
    prob = cp.Problem(cp.Minimize(0.5 * cp.quad_form(z, cp.psd_wrap(Qn)) + _numbers(c) @ z),
                      [np.array(A.tolist(), float) @ z <= _numbers(b)])
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    agree(prob.status == "optimal", f"cvxpy: {prob.status}, the tutor gives an optimum")
    agree(abs(float(value(ans.value).real) - prob.value) <= _TOL * max(1, abs(prob.value)),
          f"cvxpy's optimum is {prob.value}, not {ans.value}")
    if np.linalg.eigvalsh(Qn).min() > 1e-9:
        agree(np.allclose(_numbers(x), z.value, atol=1e-5), f"cvxpy's minimizer is {z.value}, not {list(x)}")


# ---------------------------------------------------------------- convex conjugate

def _sup(f_num, s: float, lo: float, hi: float) -> tuple[float, bool]:
    """sup over the domain of s x - f(x): a dense grid out to |x| = 1e8, refined by a bounded
    scalar minimization around the best grid point; and whether it grows to the end of the
    range where f is finite in doubles (exp overflows near 710: the sup is then +∞)."""
    from scipy.optimize import minimize_scalar
    parts = [np.linspace(-30, 30, 6001)]
    parts += [np.logspace(-12, 8, 600), -np.logspace(-12, 8, 600)]
    grid = np.concatenate(parts)
    grid = grid[(grid > lo) & (grid < hi)]
    if np.isfinite(lo):
        grid = np.concatenate([grid, lo + np.logspace(-14, 1, 300)])
    if np.isfinite(hi):
        grid = np.concatenate([grid, hi - np.logspace(-14, 1, 300)])
    grid = np.sort(grid[(grid > lo) & (grid < hi)])
    with np.errstate(all="ignore"):
        g = s * grid - np.asarray(f_num(grid), float) * np.ones(len(grid))
    finite = np.isfinite(g)
    g[~finite] = -np.inf
    k = int(np.argmax(g))
    best = g[k]
    index = np.flatnonzero(finite)
    at_edge = bool(len(index)) and k in (index[0], index[-1]) and abs(grid[k]) > 100
    a, b = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    if b > a:
        with np.errstate(all="ignore"):
            r = minimize_scalar(lambda t: -(s * t - float(f_num(t))), bounds=(a, b), method="bounded",
                                options={"xatol": 1e-13})
        if np.isfinite(r.fun):
            best = max(best, -r.fun)
    return float(best), at_edge


def _at(conj: sympy.Expr, s: sympy.Symbol, t: sympy.Expr, dom: sympy.Set) -> float:
    """f*(t), by the limit from inside the domain where the formula is 0·log 0 (an end)."""
    if isinstance(conj, sympy.Piecewise):  # the piece whose range holds t (a limit of the whole fails)
        conj = next(e for e, cond in conj.args if cond.xreplace({s: t}) == sympy.true)
    v = conj.xreplace({s: t})
    if v.has(sympy.nan, sympy.zoo) or not v.is_finite:
        side = "+" if t == dom.inf else "-"
        v = sympy.limit(conj, s, t, side)
    return float(value(v).real)


def convex_conjugate(raw: dict, ans: Any) -> None:
    """f*(s) = sup_x (s x - f(x)) numerically at points inside the tutor's domain of f* (to
    1e-6), and +∞ (the sup grows past 1e4) at points outside it."""
    f = _expr(raw["function"])
    (x,) = _variables(raw, f, key="var")
    lo, hi = _domain(raw, [x])[x]
    f_num = _lambdify(f, [x])
    s = sympy.Symbol("s", real=True)
    conj = ans.value.xreplace({v: s for v in ans.value.free_symbols if v.name == "s"})
    dom = ans.domain
    inside, outside = [], []
    for t in (-7, -3, -2, -1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 2, 3, 7):
        (inside if dom.contains(sympy.nsimplify(t)) == sympy.true else outside).append(t)
    if isinstance(dom, sympy.Interval) and dom.measure > 0 and dom.measure.is_finite:
        a, b = float(dom.inf), float(dom.sup)
        inside += [a + (b - a) * k / 7 for k in range(1, 7)]
    for t in inside:
        want, _ = _sup(f_num, t, lo, hi)
        got = _at(conj, s, sympy.nsimplify(t), dom)
        agree(abs(want - got) <= 1e-6 * max(1, abs(want)), f"f*({t}) = {want:.10g} (numeric sup), not {got:.10g}")
    for t in outside:
        if any(abs(t - float(e)) < 0.2 for e in dom.boundary if e.is_finite):
            continue
        want, grows = _sup(f_num, t, lo, hi)
        agree(want > 1e4 or grows, f"f*({t}) is finite ({want:.10g}), but {t} is outside the domain {dom}")


ORACLES = {"stationary_points": stationary_points, "gradient_descent": gradient_descent, "lagrange": lagrange,
           "kkt": kkt, "convexity": convexity, "lp": lp, "qp": qp, "convex_conjugate": convex_conjugate}

__all__ = ["ORACLES", "Wrong"]
