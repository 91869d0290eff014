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
}
