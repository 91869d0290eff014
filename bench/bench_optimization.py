"""Benchmark of the optimization kinds: ``python -m bench optimization``.

Each kind on classroom inputs (two and three variables) next to the bare sympy computation of
the same exact answer in the same run (``sympy.solve`` of the stationarity system and the
Hessian's eigenvalues; the iteration with sympy matrices; the KKT cases with ``sympy.solve``;
the vertices of an LP; the KKT systems of a QP's active sets; the conjugate by ``solve`` of
f'(x) = s), and scipy's numeric answer for reference.  Goals (issue 14): at most 3x the bare
computation, at most 1 s for 3 variables.  CPU time, sympy's cache cleared, best of 3.
"""
from __future__ import annotations

import itertools

import numpy as np
import sympy

import tutor
from bench.common import best_time, ms, table

x, y, z, s = sympy.symbols("x y z s", real=True)


def _stationary_bare(f, vs):
    pts = sympy.solve([sympy.diff(f, v) for v in vs], vs, dict=True)
    H = sympy.hessian(f, vs)
    return [(p, H.subs(p).eigenvals()) for p in pts]


def _descent_bare(A, b, x0, gamma, k):
    A, b, xk = sympy.Matrix(A), sympy.Matrix(b), sympy.Matrix(x0)
    for _ in range(k):
        xk = xk - gamma * (A * xk - b)
    return xk, A.eigenvals(), A.LUsolve(b)


def _lagrange_bare(f, gs, vs):
    lams = sympy.symbols(f"l0:{len(gs)}", real=True)
    L = f + sum(l * g for l, g in zip(lams, gs))
    return sympy.solve([sympy.diff(L, v) for v in vs] + list(gs), list(vs) + list(lams), dict=True)


def _kkt_cases(f, gs, vs):
    """Each set of active constraints: its multipliers and the stationarity equations with the
    inactive multipliers 0 and the active constraints as equalities."""
    lams = sympy.symbols(f"l0:{len(gs)}", real=True)
    L = f + sum(l * g for l, g in zip(lams, gs))
    for k in range(len(gs) + 1):
        for act in itertools.combinations(range(len(gs)), k):
            zero = {lams[i]: 0 for i in range(len(gs)) if i not in act}
            yield [lams[i] for i in act], [sympy.diff(L, v).subs(zero) for v in vs] + [gs[i] for i in act]


def _kkt_bare(f, gs, vs):
    out = []
    for active, eqs in _kkt_cases(f, gs, vs):
        for sol in sympy.solve(eqs, list(vs) + active, dict=True):
            if all(g.subs(sol) <= 0 for g in gs) and all(sol[m] >= 0 for m in active):
                out.append(sol)
    return out


def _kkt_groebner(f, gs, vs):
    """The least exact work of the KKT cases over a disk or ball: each case's lexicographic
    Gröbner basis and the real roots of its last polynomial (``sympy.solve`` of these cases,
    as in :func:`_kkt_bare`, ran past 300 s: it writes degree-6 roots in radicals)."""
    out = []
    for active, eqs in _kkt_cases(f, gs, vs):
        last = sympy.groebner(eqs, *vs, *active, order="lex").exprs[-1]
        out.append(sympy.Poly(last, *last.free_symbols).real_roots() if last.free_symbols else [])
    return out


def _lp_bare(A, b, c):
    A, b, c = sympy.Matrix(A), sympy.Matrix(b), sympy.Matrix(c)
    best = None
    for rows in itertools.combinations(range(A.rows), A.cols):
        M = A.extract(list(rows), list(range(A.cols)))
        if M.det() != 0:
            v = M.LUsolve(b.extract(list(rows), [0]))
            if all(e >= 0 for e in b - A * v) and (best is None or (c.T * v)[0] < best[0]):
                best = ((c.T * v)[0], v)
    return best


def _qp_bare(Q, c, A, b):
    Q, c, A, b = (sympy.Matrix(M) for M in (Q, c, A, b))
    for k in range(Q.rows + 1):
        for act in itertools.combinations(range(A.rows), k):
            AS = A.extract(list(act), list(range(A.cols))) if act else sympy.zeros(0, Q.rows)
            K = sympy.Matrix(sympy.BlockMatrix([[Q, AS.T], [AS, sympy.zeros(k)]])) if k else Q
            if K.det() == 0:
                continue
            sol = K.LUsolve(sympy.Matrix.vstack(-c, b.extract(list(act), [0])) if k else -c)
            xs = sol[:Q.rows, :]
            if all(e >= 0 for e in b - A * xs) and all(e >= 0 for e in sol[Q.rows:, :]):
                return xs


CASES = [
    ("stationary_points 1 var", dict(function="x^3 + 6x^2 - 3x - 5"),
     lambda: _stationary_bare(x ** 3 + 6 * x ** 2 - 3 * x - 5, [x]), None),
    ("stationary_points 2 vars", dict(function="x^3 - 3x + y^2", vars="x,y"),
     lambda: _stationary_bare(x ** 3 - 3 * x + y ** 2, [x, y]), None),
    ("stationary_points 3 vars", dict(function="x^2 + y^2 + z^2 + xy - yz + x - z", vars="x,y,z"),
     lambda: _stationary_bare(x ** 2 + y ** 2 + z ** 2 + x * y - y * z + x - z, [x, y, z]), None),
    ("gradient_descent 2 vars", dict(A="[[2,1],[1,20]]", b="[5,3]", start="[-3,-1]", step="1/20", iterations=3),
     lambda: _descent_bare([[2, 1], [1, 20]], [5, 3], [-3, -1], sympy.Rational(1, 20), 3), None),
    ("gradient_descent 3 vars", dict(A="[[3,1,0],[1,3,0],[0,0,2]]", b="[1,2,3]", start="[1,1,1]", step="1/5",
                                     iterations=3),
     lambda: _descent_bare([[3, 1, 0], [1, 3, 0], [0, 0, 2]], [1, 2, 3], [1, 1, 1], sympy.Rational(1, 5), 3), None),
    ("lagrange 2 vars", dict(function="xy", constraint=["x + y = 10"], vars="x,y"),
     lambda: _lagrange_bare(x * y, [x + y - 10], [x, y]), None),
    ("lagrange circle", dict(function="3x + 4y", constraint=["x^2 + y^2 = 25"], vars="x,y"),
     lambda: _lagrange_bare(3 * x + 4 * y, [x ** 2 + y ** 2 - 25], [x, y]), None),
    ("lagrange 3 vars", dict(function="x^2 + y^2 + z^2", constraint=["x + y + z = 3"], vars="x,y,z"),
     lambda: _lagrange_bare(x ** 2 + y ** 2 + z ** 2, [x + y + z - 3], [x, y, z]), None),
    ("kkt 2 vars", dict(function="(x-2)^2 + (y-1)^2", constraint=["x + y <= 2", "x >= 0"], vars="x,y"),
     lambda: _kkt_bare((x - 2) ** 2 + (y - 1) ** 2, [x + y - 2, -x], [x, y]), "kkt"),
    ("kkt 3 vars", dict(function="(x-2)^2 + (y-1)^2 + z^2", constraint=["x + y + z <= 2", "x >= 0"],
                        vars="x,y,z"),
     lambda: _kkt_bare((x - 2) ** 2 + (y - 1) ** 2 + z ** 2, [x + y + z - 2, -x], [x, y, z]), None),
    ("kkt ball 3 vars", dict(function="6x^2 - 8xy + 8xz - x + 8y^2 - 6yz + y + 11z^2 + 3",
                             constraint=["-3x + y + 3z >= 3", "x^2 + y^2 + z^2 <= 1"], vars="x,y,z"),
     lambda: _kkt_groebner(6 * x ** 2 - 8 * x * y + 8 * x * z - x + 8 * y ** 2 - 6 * y * z + y + 11 * z ** 2 + 3,
                           [3 + 3 * x - y - 3 * z, x ** 2 + y ** 2 + z ** 2 - 1], [x, y, z]), None),
    ("kkt disk, empty bounds", dict(function="7x^2 + 10xy - 2x + 7y^2 - y",
                                    constraint=["x^2 + y^2 <= 1", "x <= -1", "x >= 1"], vars="x,y"),
     lambda: _kkt_groebner(7 * x ** 2 + 10 * x * y - 2 * x + 7 * y ** 2 - y, [x ** 2 + y ** 2 - 1, x + 1, 1 - x],
                           [x, y]), None),
    ("kkt concave over a disk", dict(function="-x^2 - 2xy + x - y^2 - 2y - 2", constraint=["x^2 + y^2 <= 1"],
                                     vars="x,y"),
     lambda: _kkt_groebner(-x ** 2 - 2 * x * y + x - y ** 2 - 2 * y - 2, [x ** 2 + y ** 2 - 1], [x, y]), None),
    ("convexity 2 vars", dict(function="x^2 + xy + y^2", vars="x,y"),
     lambda: sympy.hessian(x ** 2 + x * y + y ** 2, (x, y)).is_positive_definite, None),
    ("convexity 3 vars", dict(function="x^2 + y^2 + z^2 + xy", vars="x,y,z"),
     lambda: sympy.hessian(x ** 2 + y ** 2 + z ** 2 + x * y, (x, y, z)).is_positive_definite, None),
    ("convexity (x+y)^2+(x+y)^4", dict(function="(x+y)^2+(x+y)^4", vars="x,y"),
     lambda: sympy.hessian((x + y) ** 2 + (x + y) ** 4, (x, y)).is_positive_semidefinite, None),
    ("convexity 3 vars singular", dict(function="(x-y)^2+(y-z)^2+x^4", vars="x,y,z"),
     lambda: sympy.hessian((x - y) ** 2 + (y - z) ** 2 + x ** 4, (x, y, z)).is_positive_semidefinite, None),
    ("lagrange ellipse", dict(function="xy + x", constraint=["x^2 + 2y^2 = 4"], vars="x,y"),
     lambda: _lagrange_bare(x * y + x, [x ** 2 + 2 * y ** 2 - 4], [x, y]), None),
    ("lp MML 7.5", dict(c="[-5,-3]", A="[[2,2],[2,-4],[-2,1],[0,-1],[0,1]]", b="[33,8,5,-1,8]"),
     lambda: _lp_bare([[2, 2], [2, -4], [-2, 1], [0, -1], [0, 1]], [33, 8, 5, -1, 8], [-5, -3]), "lp"),
    ("lp 3 vars", dict(c="[-1,-2,-1]", A="[[1,1,1],[1,0,0],[0,1,0],[0,0,1],[-1,0,0],[0,-1,0],[0,0,-1]]",
                       b="[4,2,3,2,0,0,0]"),
     lambda: _lp_bare([[1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]],
                      [4, 2, 3, 2, 0, 0, 0], [-1, -2, -1]), None),
    ("lp 3 vars phase I", dict(c="[1,2,3]", A="[[1,1,1],[-1,0,0],[0,-1,0],[0,0,-1],[-1,-1,0],[1,0,2]]",
                               b="[4,0,0,0,-1,5]"),
     lambda: _lp_bare([[1, 1, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1], [-1, -1, 0], [1, 0, 2]],
                      [4, 0, 0, 0, -1, 5], [1, 2, 3]), None),
    ("qp MML 7.6", dict(Q="[[2,1],[1,4]]", c="[5,3]", A="[[1,0],[-1,0],[0,1],[0,-1]]", b="[1,1,1,1]"),
     lambda: _qp_bare([[2, 1], [1, 4]], [5, 3], [[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, 1, 1]), "qp"),
    ("convex_conjugate x log x", dict(function="x log x", domain="x > 0"),
     lambda: sympy.solve(sympy.log(x) + 1 - s, x), None),
    ("convex_conjugate hinge", dict(function="max(0, 1 - x)"),
     lambda: (sympy.solve(1 - x, x), s * 1), None),
    ("convex_conjugate x^2 on [0, 1]", dict(function="x^2", domain="0 <= x <= 1"),
     lambda: (sympy.solve(2 * x - s, x), s * 0, s * 1 - 1), None),
]


def _scipy(kind):
    from scipy.optimize import linprog, minimize
    if kind == "lp":
        return lambda: linprog([-5, -3], A_ub=[[2, 2], [2, -4], [-2, 1], [0, -1], [0, 1]], b_ub=[33, 8, 5, -1, 8],
                               bounds=[(None, None)] * 2)
    if kind == "qp":
        Q, c = np.array([[2, 1], [1, 4]]), np.array([5, 3])
        return lambda: minimize(lambda v: 0.5 * v @ Q @ v + c @ v, [0, 0], bounds=[(-1, 1)] * 2)
    return lambda: minimize(lambda v: (v[0] - 2) ** 2 + (v[1] - 1) ** 2, [0, 0], constraints=[
        {"type": "ineq", "fun": lambda v: 2 - v[0] - v[1]}, {"type": "ineq", "fun": lambda v: v[0]}])


def main() -> None:
    tutor.solve("convexity", function="x^2")  # warm-up: first-call imports and templates
    rows = []
    for name, inputs, bare, numeric in CASES:
        kind = name.split()[0]
        t = best_time(lambda: tutor.solve(kind, **inputs))
        b = best_time(bare)
        extra = ms(best_time(_scipy(numeric))) if numeric else ""
        rows.append([name, ms(t), ms(b), f"{t / b:.1f}x", extra])
    table(["case", "tutor ms", "bare sympy ms", "ratio", "scipy ms"], rows)
