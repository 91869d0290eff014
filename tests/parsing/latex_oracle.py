"""The design card's LaTeX parser (latex2sympy2-extended), run as a test oracle in its own
process: ``python tests/parsing/latex_oracle.py < inputs.json > values.json``.

A dev dependency only, and only for our own corpus (never a student's text): it computes
while parsing and keeps parser state, so it runs in a subprocess that the test starts.
For each input it prints ``{"values": [...]}`` (the expression at the shared sample
points, see :func:`sample`) or ``{"error": "..."}``.
"""
from __future__ import annotations

import json
import random
import re
import sys

import sympy

POINTS = 3


def plain_name(name: str) -> str:
    """One spelling of a symbol's name for both parsers: ``x_{12}``, ``\\alpha`` -> ``x_12``, ``alpha``."""
    return re.sub(r"[{}\\\s]", "", name)


def sample(name: str, k: int) -> float:
    """The value of the symbol ``name`` at sample point ``k`` (the same in both processes)."""
    return random.Random(f"{plain_name(name)}/{k}").uniform(0.3, 1.7)


def values(expr: sympy.Expr) -> list[list[float] | None]:
    """``expr`` at the sample points, as [re, im] pairs (None where it is not a finite number)."""
    out = []
    for k in range(POINTS):
        try:
            v = complex(sympy.N(expr.subs({s: sample(s.name, k) for s in expr.free_symbols}), 15))
            out.append([v.real, v.imag] if abs(v) < 1e12 else None)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            out.append(None)
    return out


def main() -> None:
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig

    config = ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False)
    results = []
    for text in json.load(sys.stdin):
        try:
            expr = latex2sympy(text, conversion_config=config)
            if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixBase):
                raise TypeError(f"not a scalar: {type(expr).__name__}")
            results.append({"values": values(expr), "read": sympy.sstr(expr)[:200]})
        except Exception as e:  # the oracle's own failures are data here
            results.append({"error": f"{type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
