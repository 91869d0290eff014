"""Functions to differentiate, from a small grammar whose depth grows with the difficulty.

Depth 0 is a monomial or a linear term; each level wraps one of: a product (product
rule), an elementary function of an inner expression (chain rule), a quotient, a sum.
Difficulty 1 gives one rule, 2 two rules nested, 3 three (a chain rule inside a
product, a quotient of products, ...).  Coefficients stay small; logarithms and roots
only of expressions that are positive where they are evaluated.
"""
from __future__ import annotations

import random
from typing import Any, Sequence

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import expr_text, matrix_text, nonzero, small_ints, vector_text

x, y, z, t = sympy.symbols("x y z t")
_OUTER = (sympy.sin, sympy.cos, sympy.exp)


def leaf(rng: random.Random, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    """A monomial ``c v^k`` or a linear term ``a v + b`` in one of the variables."""
    v = rng.choice(variables)
    if rng.random() < 0.5:
        return nonzero(rng, 3) * v ** rng.randint(1, 3)
    return nonzero(rng, 3) * v + rng.randint(-3, 3)


def function(rng: random.Random, depth: int, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    """A differentiable function built with ``depth`` nested rules."""
    if depth <= 0:
        return leaf(rng, variables)
    rule = rng.choice(("product", "chain", "chain", "sum") + (("quotient",) if depth >= 2 else ()))
    inner = function(rng, depth - 1, variables)
    if rule == "product":
        return leaf(rng, variables) * (rng.choice(_OUTER)(leaf(rng, variables)) if depth >= 2 else inner)
    if rule == "chain":
        outer = rng.choice(_OUTER + ("power", "log"))
        if outer == "power":  # of a sum, so that it does not collapse into a monomial
            base = inner if inner.is_Add else leaf(rng, variables) + rng.choice((1, -1, 2))
            return base ** rng.randint(2, 3)
        if outer == "log":
            v = rng.choice(variables)
            return sympy.log(v ** 2 + rng.randint(1, 3))
        return outer(inner if depth < 3 else leaf(rng, variables)) * (inner if depth >= 3 else 1)
    if rule == "quotient":
        return inner / (rng.choice(variables) ** 2 + rng.randint(1, 3))
    return inner + function(rng, depth - 1, variables)


def _nice(f: sympy.Expr, variables: Sequence[sympy.Symbol], every: bool) -> bool:
    """Uses every variable (or some), and prints short enough for a question."""
    used = set(variables) <= f.free_symbols if every else bool(f.free_symbols)
    return used and len(expr_text(f)) <= 48


def _draw(rng: random.Random, depth: int, variables: Sequence[sympy.Symbol], every: bool = True) -> sympy.Expr:
    while True:
        f = function(rng, depth, variables)
        if _nice(f, variables, every or depth == 0 and len(variables) == 1):
            return f


def _point(rng: random.Random, variables: Sequence[sympy.Symbol]) -> str:
    return ",".join(f"{v}={rng.randint(-1, 2)}" for v in variables)


def _names(variables: Sequence[sympy.Symbol]) -> str:
    return ",".join(str(v) for v in variables)


@generator("derivative")
def derivative(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Never a bare polynomial: at least one product, chain or quotient rule."""
    while True:
        f = _draw(rng, difficulty, [x])
        if not f.is_polynomial(x) or (difficulty == 1 and f.is_Pow):
            return {"function": expr_text(f), "wrt": "x"}


@generator("partial")
def partial(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A first partial (1) or a mixed second partial (2, 3) that is not zero."""
    wrt = {1: rng.choice(("x", "y")), 2: "x,y", 3: rng.choice(("x,y", "y,x", "x,x"))}[difficulty]
    order = sympy.symbols(wrt.replace(",", " "), seq=True)
    while True:
        f = _draw(rng, difficulty, [x, y])
        if sympy.diff(f, *order) != 0 and not f.is_polynomial(x, y) or difficulty == 1 and f.is_Mul:
            return {"function": expr_text(f), "wrt": wrt}


@generator("gradient")
def gradient(rng: random.Random, difficulty: int) -> dict[str, Any]:
    variables = [x, y] if difficulty < 3 else [x, y, z]
    raw = {"function": expr_text(_draw(rng, min(difficulty, 2), variables)), "vars": _names(variables)}
    if difficulty > 1:
        raw["at"] = _point(rng, variables)
    return raw


@generator("jacobian")
def jacobian(rng: random.Random, difficulty: int) -> dict[str, Any]:
    variables = [x, y]
    count = 2 if difficulty < 3 else 3
    return {"functions": [expr_text(_draw(rng, difficulty - 1, variables, every=False)) for _ in range(count)],
            "vars": _names(variables)}


@generator("hessian")
def hessian(rng: random.Random, difficulty: int) -> dict[str, Any]:
    variables = [x, y]
    raw = {"function": expr_text(_draw(rng, min(difficulty, 2), variables)), "vars": _names(variables)}
    if difficulty == 3:
        raw["at"] = _point(rng, variables)
    return raw


@generator("chain")
def chain(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """f(x_1, x_2) with x_i functions of t (and of s at difficulty 3)."""
    x1, x2 = sympy.symbols("x_1 x_2")
    params = [t] if difficulty < 3 else [sympy.Symbol("s"), t]
    outer = _draw(rng, max(difficulty - 1, 1), [x1, x2])
    inner = [f"{v} = {expr_text(_draw(rng, 1 if difficulty > 1 else 0, params, every=False))}" for v in (x1, x2)]
    return {"outer": expr_text(outer), "inner": inner}


_TAYLOR_AT_0 = (sympy.exp(x), sympy.sin(x), sympy.cos(x), sympy.log(1 + x), 1 / (1 - x), sympy.sqrt(1 + x))


@generator("taylor")
def taylor(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A classic function at 0 (1), times a polynomial (2), or in two variables (3)."""
    if difficulty < 3:
        f = rng.choice(_TAYLOR_AT_0).subs(x, nonzero(rng, 2) * x)
        if difficulty == 2:
            f = f * leaf(rng, [x])
        return {"function": expr_text(f), "vars": "x", "at": "x=0", "order": difficulty + 1}
    f = rng.choice((sympy.exp(x), sympy.sin(x), sympy.cos(x))) * rng.choice((sympy.exp(y), sympy.cos(y), 1 + y))
    return {"function": expr_text(f), "vars": "x,y", "at": "x=0,y=0", "order": 2}


@generator("backprop")
def backprop(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Two layers with small integer weights: identity (1), ReLU (2, 3) activations."""
    n_in, n_hidden = (2, 2) if difficulty < 3 else (3, 2)
    W1 = sympy.Matrix(n_hidden, n_in, small_ints(rng, n_hidden * n_in, 2))
    W2 = sympy.Matrix(1 if difficulty == 1 else 2, n_hidden, small_ints(rng, n_hidden * (1 if difficulty == 1 else 2), 2))
    return {
        "W1": matrix_text(W1), "b1": vector_text(small_ints(rng, n_hidden, 1)),
        "W2": matrix_text(W2), "b2": vector_text(small_ints(rng, W2.rows, 1)),
        "input": vector_text(small_ints(rng, n_in, 2)), "target": vector_text(small_ints(rng, W2.rows, 2)),
        "activation": "identity" if difficulty == 1 else "relu", "loss": "squared",
    }


@generator("autodiff")
def autodiff(rng: random.Random, difficulty: int) -> dict[str, Any]:
    variables = [x] if difficulty == 1 else [x, y]
    f = _draw(rng, min(difficulty, 2), variables)
    return {"function": expr_text(f), "at": _point(rng, variables),
            "mode": rng.choice(("forward", "reverse"))}


_MATRIX_EXPRESSIONS = {1: ("a^T x", "x^T x", "x^T A x"), 2: ("x^T A x", "||x - b||^2", "x^T A x + b^T x"),
                       3: ("||Ax - b||^2", "(Ax - b)^T (Ax - b)", "x^T A^T A x")}


@generator("matrix_gradient")
def matrix_gradient(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """MML's identities: linear forms, quadratic forms, least squares (symbolic sizes)."""
    return {"expression": rng.choice(_MATRIX_EXPRESSIONS[difficulty]), "wrt": "x"}
