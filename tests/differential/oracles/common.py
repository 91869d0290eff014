"""Comparisons by meaning, shared by the oracles of every branch."""
from __future__ import annotations

from typing import Any

import sympy


class Wrong(AssertionError):
    """The answer disagrees with the independent computation (the message says how)."""


def agree(ok: bool, message: str) -> None:
    if not ok:
        raise Wrong(message)


def value(e: Any, digits: int = 30) -> complex:
    """A number to ``digits`` digits as a Python complex.  Each ``CRootOf`` is evaluated once,
    by its own ``evalf``, before the expression: sympy's evalf of an expression in a complex
    root re-refines the root's box at every working precision (17 s for one eigen answer)."""
    e = sympy.sympify(e)
    roots = {r: r.evalf(digits + 10) for r in e.atoms(sympy.CRootOf)}
    return complex(sympy.N(e.xreplace(roots) if roots else e, digits))


def equal(a: Any, b: Any) -> bool:
    """Exactly equal as numbers or expressions: structurally, by simplify, else at 30 digits
    at random points (to 1e-12 relative: a 1e-8 change is flagged)."""
    a, b = _written_out(sympy.sympify(a)), _written_out(sympy.sympify(b))
    if a == b:
        return True
    d = a - b
    symbols = sorted(d.free_symbols, key=str)
    if not symbols:  # each side on its own: evalf of a difference that is exactly 0 raises its
        try:           # precision again and again (a backprop gradient took over 60 s)
            x, y = sympy.N(a, 30), sympy.N(b, 30)
            return bool(abs(x - y) <= 1e-12 * (1 + abs(x)))
        except TypeError:
            return sympy.simplify(d) == 0
    import random
    rng = random.Random(5)
    agreed = 0
    for _ in range(12):
        point = {s: sympy.Rational(rng.randint(11, 290), 100) for s in symbols}
        try:  # sympy numbers, not doubles: e^900 at a point is still compared
            x, y = sympy.N(a.subs(point), 30), sympy.N(b.subs(point), 30)
            if not (x.is_number and y.is_number) or x.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) \
                    or y.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                continue
            far = bool(abs(x - y) > 1e-12 * (1 + abs(x)))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if far:
            return False
        agreed += 1
    return agreed >= 3 or sympy.simplify(d) == 0


_ACTIVATIONS = {"sigmoid": lambda x: 1 / (1 + sympy.exp(-x)), "softplus": lambda x: sympy.log(1 + sympy.exp(x)),
                "relu": lambda x: sympy.Max(0, x)}


def _written_out(e: sympy.Basic) -> sympy.Basic:
    """The tutor's activation functions (by name) written out, so they evaluate."""
    return e.replace(lambda f: isinstance(f, sympy.Function) and type(f).__name__ in _ACTIVATIONS,
                     lambda f: _ACTIVATIONS[type(f).__name__](f.args[0]))


def equal_matrices(A: sympy.MatrixBase, B: sympy.MatrixBase) -> bool:
    return A.shape == B.shape and all(equal(x, y) for x, y in zip(A, B))


def numeric(M: sympy.MatrixBase):
    """A matrix of numbers as a numpy complex array (30-digit evaluation, then doubles)."""
    import numpy as np
    return np.array([[value(M[i, j]) for j in range(M.cols)] for i in range(M.rows)], dtype=complex)


def rank(M: sympy.MatrixBase) -> int:
    """The rank, exact for rational matrices, numeric (doubles, relative 1e-9) otherwise."""
    if all(e.is_Rational for e in M):
        return M.rank()
    import numpy as np
    if M.rows == 0 or M.cols == 0:
        return 0
    s = np.linalg.svd(numeric(M), compute_uv=False)
    return int((s > 1e-9 * max(1.0, s.max())).sum())


def same_span(U: list, V: list, n: int) -> bool:
    """The vectors ``U`` and ``V`` (columns) span the same subspace of dimension ``len(U)``."""
    if not U or not V:
        return not U and not V
    A, B = sympy.Matrix.hstack(*U), sympy.Matrix.hstack(*V)
    r = rank(A)
    return r == len(U) == rank(B) == rank(sympy.Matrix.hstack(A, B))


def plain(e: Any) -> Any:
    """``e`` with every symbol replaced by the plain symbol of its name (the tutor reads real
    symbols in some kinds, the oracles' reader in others: same name, same variable)."""
    e = sympy.sympify(e)
    return e.xreplace({s: sympy.Symbol(s.name) for s in e.free_symbols if isinstance(s, sympy.Symbol)})
