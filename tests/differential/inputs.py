"""An independent random source of raw inputs, degenerate ones on purpose (not the generators'
nice numbers): singular and rank-deficient matrices, defective ones (a Jordan block in
disguise), companion matrices of irreducible polynomials, 1×1 to 4×4, decimals, symbols."""
from __future__ import annotations

import random
from typing import Any, Callable

import sympy


def _text(M: sympy.Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(str(e) for e in M.row(i)) + "]" for i in range(M.rows)) + "]"


def _square(rng: random.Random) -> sympy.Matrix:
    n = rng.choice((1, 2, 2, 3, 3, 3, 4))
    shape = rng.choice(("plain", "singular", "rank1", "defective", "companion", "symmetric", "zero"))
    R = lambda: rng.randint(-4, 4)  # noqa: E731
    if shape == "singular" and n > 1:
        M = sympy.Matrix(n, n, lambda i, j: R())
        M[n - 1, :] = M[0, :] * rng.randint(-2, 2) + (M[1, :] if n > 2 else sympy.zeros(1, n))
        return M
    if shape == "rank1":
        u, v = sympy.Matrix(n, 1, lambda i, j: R()), sympy.Matrix(1, n, lambda i, j: R())
        return u * v
    if shape == "defective" and n > 1:
        J = sympy.eye(n) * R()
        J[0, 1] = 1
        L, U = sympy.eye(n), sympy.eye(n)  # unit triangular: S = L U is invertible
        L[n - 1, 0] = rng.randint(-2, 2)
        U[0, n - 1] = rng.randint(-1, 1) if n > 2 else 0
        S = L * U
        return S * J * S.inv()
    if shape == "companion" and n > 1:
        M = sympy.zeros(n)
        for i in range(1, n):
            M[i, i - 1] = 1
        M[:, n - 1] = sympy.Matrix(n, 1, lambda i, j: R())
        return M
    if shape == "symmetric":
        M = sympy.Matrix(n, n, lambda i, j: R())
        return M + M.T
    if shape == "zero":
        return sympy.zeros(n)
    return sympy.Matrix(n, n, lambda i, j: R())


def _columns(M: sympy.Matrix) -> list[str]:
    return ["[" + ", ".join(map(str, M.col(j))) + "]" for j in range(M.cols)]


def _rect(rng: random.Random) -> sympy.Matrix:
    m, n = rng.randint(1, 4), rng.randint(1, 4)
    M = sympy.Matrix(m, n, lambda i, j: rng.randint(-3, 3))
    if rng.random() < 0.4 and m > 1:
        M[m - 1, :] = M[0, :] * rng.randint(-2, 2)
    return M


def _function(rng: random.Random, names: tuple[str, ...]) -> str:
    atoms = list(names) + [str(rng.randint(1, 4))]
    pieces = ["{a}^{k}", "sin({a})", "exp({a})", "log({a}^2 + 1)", "{a}*{b}", "sigmoid({a})", "tanh({a})",
              "({a} + {b})^2", "sqrt({a}^2 + 1)", "atan({a})"]
    terms = [rng.choice(pieces).format(a=rng.choice(atoms), b=rng.choice(atoms), k=rng.randint(2, 4))
             for _ in range(rng.randint(1, 3))]
    return " + ".join(f"{rng.randint(-3, 3) or 1}*{t}" for t in terms)


def _decimal(rng: random.Random, n: int) -> list[str]:
    """n probabilities in tenths or hundredths adding up to 1, as decimal text."""
    cuts = sorted(rng.sample(range(1, 100), n - 1)) if n > 1 else []
    parts = [b - a for a, b in zip([0] + cuts, cuts + [100])]
    return [f"{p / 100:.2f}".rstrip("0").rstrip(".") if p % 100 else "1" for p in parts]


def _pmf(rng: random.Random) -> str:
    n = rng.randint(1, 5)
    values = rng.sample(range(-4, 8), n)
    if rng.random() < 0.5:
        probs = _decimal(rng, n)
    else:
        w = [rng.randint(1, 6) for _ in range(n)]
        probs = [str(sympy.Rational(x, sum(w))) for x in w]
    return ", ".join(f"{v}: {p}" for v, p in zip(values, probs))


def _joint(rng: random.Random) -> dict[str, Any]:
    r, c = rng.randint(1, 3), rng.randint(2, 3)
    probs = _decimal(rng, r * c)
    rows = [probs[i * c:(i + 1) * c] for i in range(r)]
    xs = sorted(rng.sample(range(-2, 5), r))
    ys = sorted(rng.sample(range(-2, 5), c))
    return {"joint": "[" + ", ".join("[" + ",".join(row) + "]" for row in rows) + "]",
            "x_values": ",".join(map(str, xs)), "y_values": ",".join(map(str, ys))}


def _law(rng: random.Random) -> str:
    return rng.choice([f"Binomial({rng.randint(1, 12)}, {rng.choice(['0.3', '1/4', '0.05', '1/2'])})",
                       f"Poisson({rng.randint(1, 5)})", f"Geometric({rng.choice(['1/3', '0.2'])})",
                       f"Exponential({rng.randint(1, 4)})", "Uniform(0, 1)", f"Uniform(-{rng.randint(1, 3)}, 2)",
                       f"Gaussian({rng.randint(-2, 2)}, {rng.randint(1, 4)})", f"Beta({rng.randint(1, 3)}, 2)"])


def _moment_inputs(rng: random.Random) -> dict[str, Any]:
    raw: dict[str, Any] = {"pmf": _pmf(rng)} if rng.random() < 0.5 else {"distribution": _law(rng)}
    if rng.random() < 0.4:
        raw["of"] = rng.choice(["X^2", "2X + 1", "(X - 1)^2", "3X"])
    return raw


def _system(rng: random.Random) -> dict[str, Any]:
    A = _rect(rng)
    x = sympy.Matrix(A.cols, 1, lambda i, j: rng.randint(-3, 3))
    b = A * x if rng.random() < 0.7 else sympy.Matrix(A.rows, 1, lambda i, j: rng.randint(-3, 3))
    return {"matrix": _text(A), "rhs": "[" + ", ".join(map(str, b)) + "]"}


# ---------------------------------------------------------------- the kinds of issue 20's second round

def _vec(values: Any) -> str:
    return "[" + ", ".join(map(str, values)) + "]"


def _ints(rng: random.Random, n: int, k: int = 3) -> list[int]:
    return [rng.randint(-k, k) for _ in range(n)]


def _point(rng: random.Random, names: tuple[str, ...]) -> str:
    return ",".join(f"{v}={rng.choice([rng.randint(-2, 2), rng.choice(['0.5', '-1.5', '1/3'])])}" for v in names)


def _autodiff(rng: random.Random) -> dict[str, Any]:
    names = rng.choice((("x",), ("x", "y"), ("x", "y"), ("x", "y", "z")))
    f = _function(rng, names) + " + " + "*".join(names[:rng.randint(1, len(names))])
    if rng.random() < 0.15:  # a parameter: with a value at the point it is one more input, else refused
        f += f" + a*{names[0]}^2"
        point = _point(rng, names)
        return {"function": f, "at": point + (",a=2" if rng.random() < 0.5 else ""), "mode": "reverse"}
    if rng.random() < 0.25:  # a ReLU, at its corner now and then
        f += f" + relu({names[0]} - {names[-1]})*{names[0]}"
    raw: dict[str, Any] = {"function": f, "at": _point(rng, names), "mode": rng.choice(["forward", "reverse"])}
    if rng.random() < 0.3:
        raw["vars"] = ",".join(reversed(names))
    return raw


def _cross_entropy_target(rng: random.Random, o: int) -> list[str]:
    if rng.random() < 0.5:
        hot = rng.randrange(o)
        return ["1" if i == hot else "0" for i in range(o)]
    return _decimal(rng, o)


def _backprop(rng: random.Random) -> dict[str, Any]:
    d, h, o = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
    entry = lambda: rng.choice([str(rng.randint(-2, 2))] * 4 + ["0.5", "-1.5"])  # noqa: E731
    mat = lambda r, c: "[" + ", ".join(_vec([entry() for _ in range(c)]) for _ in range(r)) + "]"  # noqa: E731
    loss = rng.choice(["squared", "cross_entropy"])
    raw = {"W1": mat(h, d), "b1": _vec([entry() for _ in range(h)]), "W2": mat(o, h),
           "b2": _vec([entry() for _ in range(o)]), "input": _vec([entry() for _ in range(d)]),
           "target": _vec(_cross_entropy_target(rng, o) if loss == "cross_entropy" else _ints(rng, o, 2)),
           "activation": rng.choice(["sigmoid", "tanh", "relu", "relu", "identity"]), "loss": loss}
    if rng.random() < 0.2:  # every hidden pre-activation exactly 0: ReLU's corner
        raw["b1"] = _vec([0] * h)
        raw["input"] = _vec([0] * d)
    return raw


def _chain(rng: random.Random) -> dict[str, Any]:
    n = rng.randint(1, 3)
    params = rng.choice((("t",), ("t",), ("s", "t")))
    xs = tuple(f"x_{i + 1}" for i in range(n))
    outer = _function(rng, xs)
    pieces = ["{p}^{k}", "sin({p})", "exp({q})", "{p}*{q}", "log({p}^2 + 1)", "{k}*{p} - {q}", "{p} + {q}^2"]
    inner = [f"{x} = " + rng.choice(pieces).format(p=rng.choice(params), q=rng.choice(params), k=rng.randint(2, 3))
             for x in xs]
    missing = [x for x in xs if x not in outer]
    if missing:
        outer += " + " + " + ".join(missing)
    return {"outer": outer, "inner": inner}


_MATRIX_FORMS = ("{c} {a}^T {x}", "{x}^T {x}", "{x}^T {A} {x}", "||{A}{x} - {b}||^2", "{c} {x}^T {A} {x} + {b}^T {x}",
                 "({A}{x} - {b})^T ({A}{x} - {b})", "{x}^T {A}^T {A} {x}", "{b}^T {A} {x}", "{x}^T {A} {b}",
                 "||{x}||^2 - {c} {a}^T {x}", "({x} - {b})^T {A} ({x} - {b})", "{A}{x} + {b}", "{c} {A}^T {A} {x}",
                 "{x}^T {a} {a}^T {x}", "{x}^T {A} {B} {x}", "{b}^T {b}", "\\frac12 {x}'{x}", "||{B}({x} - {a})||^2",
                 "-{x}^T {A} {x} + 2 {b}^T {x}", "{x}^T {x} + 3", "1 - {c} {b}^T {x}", "2(||{x} - {b}||^2 + 1)")


def _matrix_gradient(rng: random.Random) -> dict[str, Any]:
    x = rng.choice(["x", "x", "theta", "w"])
    names = {"x": x, "a": rng.choice(["a", "c"]), "b": rng.choice(["b", "y"]), "A": rng.choice(["A", "Phi", "M"]),
             "B": "B", "c": rng.choice(["", "2", "3"])}
    raw: dict[str, Any] = {"expression": rng.choice(_MATRIX_FORMS).format(**names).strip(), "wrt": x}
    if rng.random() < 0.3:
        raw["dims"] = f"{x}={rng.randint(1, 3)}"
    return raw


def _basis(rng: random.Random, n: int) -> str:
    """n vectors of R^n, one per inner list: invertible mostly, dependent now and then (refused)."""
    M = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
    while rng.random() < 0.9 and M.det() == 0:
        M = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
    return _text(M)


def _change_of_basis(rng: random.Random) -> dict[str, Any]:
    m, n = rng.randint(1, 3), rng.randint(1, 3)
    raw: dict[str, Any] = {"matrix": _text(sympy.Matrix(m, n, lambda i, j: rng.randint(-3, 3)))}
    which = rng.choice(("B", "C", "BC"))
    if "B" in which:
        raw["B"] = _basis(rng, n)
    if "C" in which:
        raw["C"] = _basis(rng, m)
    return raw


def _spd(rng: random.Random, n: int, singular: bool = False) -> sympy.Matrix:
    """L L^T for an integer L: positive definite, or semi-definite when L loses a column."""
    L = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2) if j <= i else 0)
    for i in range(n):
        L[i, i] = rng.randint(1, 2)
    if singular and n > 1:
        L[:, rng.randrange(n)] = sympy.zeros(n, 1)
    return L * L.T


def _projection(rng: random.Random) -> dict[str, Any]:
    n, k = rng.randint(1, 4), rng.randint(1, 3)
    us = [sympy.Matrix(_ints(rng, n, 2)) for _ in range(k)]
    if k > 1 and rng.random() < 0.3:  # dependent spanning vectors
        us[-1] = 2 * us[0]
    shape = rng.choice(("plain", "plain", "in_U", "zero_x", "zero_u"))
    x = sympy.Matrix(_ints(rng, n))
    if shape == "in_U":
        x = sum((rng.randint(-2, 2) * u for u in us), sympy.zeros(n, 1))
    elif shape == "zero_x":
        x = sympy.zeros(n, 1)
    elif shape == "zero_u":
        us[0] = sympy.zeros(n, 1)
    raw: dict[str, Any] = {"vectors": [_vec(list(v)) for v in [x] + us]}
    if rng.random() < 0.3:
        raw["inner"] = _text(_spd(rng, n))
    return raw


def _rotation(rng: random.Random) -> dict[str, Any]:
    angle = rng.choice(["pi/6", "-pi/4", "2pi/3", "5pi/6", "pi", "0", "theta", "0.5", "2", "-pi/12", "7pi/4"])
    raw: dict[str, Any] = {"angle": angle}
    if rng.random() < 0.6:
        axis = _ints(rng, 3, 2)
        if rng.random() < 0.3:
            axis = [0, 0, 0]
            axis[rng.randrange(3)] = rng.choice([1, -1, 3])
        raw["axis"] = _vec(axis)
    n = 3 if "axis" in raw else 2
    if rng.random() < 0.5:
        raw["apply"] = [_vec(_ints(rng, n)) for _ in range(rng.randint(1, 2))]
    return raw


def _conditional(rng: random.Random) -> dict[str, Any]:
    raw = _joint(rng)
    axis = rng.choice("xy")
    values = raw[f"{axis}_values"].split(",")
    return {**raw, "given": f"{axis}={rng.choice(values)}"}


def _mean(rng: random.Random, n: int) -> str:
    return ",".join(rng.choice([str(rng.randint(-3, 3))] * 3 + ["0.5"]) for _ in range(n))


def _gaussian_conditional(rng: random.Random) -> dict[str, Any]:
    n = rng.randint(2, 4)
    S = _spd(rng, n, singular=rng.random() < 0.3)
    given = rng.sample(range(n), rng.randint(1, n - 1))
    values = [rng.choice([str(rng.randint(-3, 3)), "0.5", "a"]) for _ in given]
    return {"mean": _mean(rng, n), "cov": _text(S),
            "given": ", ".join(f"x_{i + 1}={v}" for i, v in zip(given, values))}


def _gaussian_product(rng: random.Random) -> dict[str, Any]:
    n = rng.randint(1, 3)
    cov = lambda: (str(rng.choice([1, 2, 3, "0.25", "1/2"])) if n == 1 else _text(_spd(rng, n)))  # noqa: E731
    mean2 = _mean(rng, n) if rng.random() < 0.8 else ",".join(["a"] + ["b"] * (n - 1))  # symbolic means
    return {"mean1": _mean(rng, n), "cov1": cov(), "mean2": mean2, "cov2": cov()}


def _sample_stats(rng: random.Random) -> dict[str, Any]:
    N, D = rng.choice((1, 2, 3, 5, 8)), rng.randint(1, 3)
    value = lambda: rng.choice([str(rng.randint(-5, 5))] * 4 + ["0.5", "-1.25"])  # noqa: E731
    if rng.random() < 0.15:  # constant data: zero variance
        row = [value() for _ in range(D)]
        rows = [row] * N
    else:
        rows = [[value() for _ in range(D)] for _ in range(N)]
    if D == 1 and rng.random() < 0.5:
        return {"data": _vec([r[0] for r in rows])}
    return {"data": "[" + ", ".join(_vec(r) for r in rows) + "]"}


_DENSITIES = (("1", "0,1"), ("2x", "0,1"), ("x^2", "0,2"), ("exp(-x)", "0,oo"), ("3x^2", "0,1"), ("x + 1", "0,1"),
              ("1", "1,3"), ("2exp(-2x)", "0,oo"), ("x", "1,2"))
_TRANSFORMS = ("2x + 1", "-3x + 2", "x^3", "exp(x)", "log(x + 1)", "sqrt(x + 1)", "x^2", "1/(x + 1)", "-x^2",
               "x^2 - 4x", "5 - x", "(x + 1)^3")


def _change_of_variables(rng: random.Random) -> dict[str, Any]:
    pdf, support = rng.choice(_DENSITIES)
    return {"g": rng.choice(_TRANSFORMS), "pdf": pdf, "support": support, "normalize": True}


INPUTS: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    **{k: (lambda rng: {"matrix": _text(_square(rng))}) for k in ("det", "inverse", "charpoly", "eigen", "diagonalize")},
    **{k: (lambda rng: {"matrix": _text(_rect(rng))}) for k in ("rank", "kernel", "image", "svd")},
    "system": _system,
    "independence": lambda rng: {"vectors": _columns(_rect(rng))},
    "derivative": lambda rng: {"function": _function(rng, ("x",)), "wrt": "x"},
    "gradient": lambda rng: {"function": _function(rng, ("x", "y")), "vars": "x,y",
                             **({"at": f"x={rng.randint(-2, 2)},y={rng.randint(-2, 2)}"} if rng.random() < 0.5 else {})},
    "hessian": lambda rng: {"function": _function(rng, ("x", "y")), "vars": "x,y"},
    "partial": lambda rng: {"function": _function(rng, ("x", "y")), "wrt": rng.choice(["x,x", "x,y", "y", "y,x,x"])},
    "expectation": _moment_inputs,
    "variance": _moment_inputs,
    "covariance": _joint,
    "correlation": _joint,
    "autodiff": _autodiff, "backprop": _backprop, "chain": _chain, "matrix_gradient": _matrix_gradient,
    "change_of_basis": _change_of_basis, "projection": _projection, "rotation": _rotation,
    "conditional": _conditional, "gaussian_conditional": _gaussian_conditional,
    "gaussian_product": _gaussian_product, "sample_stats": _sample_stats,
    "change_of_variables": _change_of_variables,
}
