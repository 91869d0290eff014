"""Calculus: sympy.diff of the raw function (activations written out), at the point if given."""
from __future__ import annotations

from typing import Any

import sympy

from .. import reading
from .common import agree, equal, equal_matrices


def _names(text: Any) -> list[sympy.Symbol]:
    items = text if isinstance(text, (list, tuple)) else str(text).strip("()").split(",")
    return [sympy.Symbol(str(t).strip(), real=True) for t in items]


def _point(raw: dict) -> dict | None:
    if not raw.get("at"):
        return None
    return {sympy.Symbol(k.strip(), real=True): reading.expr(v) for k, v in
            (pair.split("=") for pair in str(raw["at"]).split(","))}


def _variables(raw: dict, *fs: sympy.Expr) -> list[sympy.Symbol]:
    given = raw.get("vars") or raw.get("wrt")
    return _names(given) if given else sorted(set().union(*(f.free_symbols for f in fs)), key=lambda s: s.name)


def _at(M: sympy.Matrix, raw: dict, ans: Any) -> sympy.Matrix:
    """The expected matrix at the point, unless the tutor said why it has no value there (then
    the answer is the function, compared as such)."""
    point = _point(raw)
    if point is None or ans.value.free_symbols & set(point):
        return M
    return M.subs(point)


def derivative(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    (x,) = _variables(raw, f)
    expected = sympy.diff(f, x, int(raw.get("order") or 1))
    agree(equal(ans.value, expected), f"d/dx is {expected}, not {ans.value}")


def partial(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    expected = sympy.diff(f, *_names(raw["wrt"]))
    agree(equal(ans.value, expected), f"the partial is {expected}, not {ans.value}")


def gradient(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    xs = _variables(raw, f)
    expected = _at(sympy.Matrix([[sympy.diff(f, x) for x in xs]]), raw, ans)
    agree(equal_matrices(ans.value, expected), f"gradient {expected.tolist()}")


def hessian(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    xs = _variables(raw, f)
    expected = _at(sympy.hessian(f, xs), raw, ans)
    agree(equal_matrices(ans.value, expected), f"Hessian {expected.tolist()}")


def jacobian(raw: dict, ans: Any) -> None:
    fs = [reading.expr(t) for t in raw["functions"]]
    xs = _variables(raw, *fs)
    expected = sympy.Matrix(fs).jacobian(xs)
    agree(equal_matrices(ans.value, expected), f"Jacobian {expected.tolist()}")


def taylor(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    point = _point(raw)
    xs = _variables(raw, f)
    n = int(raw.get("order") or 2)
    t = sympy.Symbol("t_", positive=True)
    shifted = f.subs({x: point[x] + t * (x - point[x]) for x in xs}, simultaneous=True)
    expected = sympy.series(shifted, t, 0, n + 1).removeO().subs(t, 1)
    agree(equal(ans.value, expected), f"Taylor polynomial {sympy.expand(expected)}")


ORACLES = {"derivative": derivative, "partial": partial, "gradient": gradient, "hessian": hessian,
           "jacobian": jacobian, "taylor": taylor}
