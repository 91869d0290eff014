"""Random variables with small rational probabilities and densities that integrate in closed form."""
from __future__ import annotations

import random
from typing import Any

import sympy

from . import generator
from .nice import expr_text

_DENOMINATORS = (4, 5, 6, 8, 10)


def pmf_text(rng: random.Random, difficulty: int) -> str:
    """3 or 4 small integer values with probabilities k/d (d in 4, 5, 6, 8, 10), summing to 1."""
    count = 3 if difficulty == 1 else 4
    d = rng.choice(_DENOMINATORS[:2] if difficulty == 1 else _DENOMINATORS[1:])
    while True:  # not all equal (a uniform table is too easy); d > count makes that possible
        cuts = sorted(rng.sample(range(1, d), count - 1))
        weights = [b - a for a, b in zip([0] + cuts, cuts + [d])]
        if len(set(weights)) > 1:
            break
    values = sorted(rng.sample(range(-2 if difficulty > 1 else 0, 5), count))
    return ", ".join(f"{v}: {expr_text(sympy.Rational(w, d))}" for v, w in zip(values, weights))


def _density(rng: random.Random) -> dict[str, Any]:
    """c x^k on [0, a], normalized by the solver: polynomial integrals, rational moments."""
    k, a = rng.choice(((1, 1), (1, 2), (2, 1), (2, 3), (3, 1), (1, 3)))
    return {"pdf": expr_text(sympy.Symbol("x") ** k), "support": f"0,{a}", "normalize": True}


_NAMED = ("Binomial({n}, 1/{d})", "Poisson({n})", "Geometric(1/{d})", "Uniform(0, {n})", "Exponential({n})")


def _named(rng: random.Random) -> dict[str, Any]:
    return {"distribution": rng.choice(_NAMED).format(n=rng.randint(2, 6), d=rng.randint(2, 5))}


def _of(rng: random.Random) -> str:
    return rng.choice(("X^2", "2X + 1", "3X - 2", "(X - 1)^2"))


def _variable(rng: random.Random, difficulty: int, *, with_of: bool) -> dict[str, Any]:
    if difficulty == 1:
        return {"pmf": pmf_text(rng, 1)}
    if difficulty == 2:
        raw = {"pmf": pmf_text(rng, 2)}
        if with_of:
            raw["of"] = _of(rng)
        return raw
    return _density(rng) if rng.random() < 0.6 else _named(rng)


@generator("expectation")
def expectation(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return _variable(rng, difficulty, with_of=True)


@generator("variance")
def variance(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return _variable(rng, difficulty, with_of=True)


@generator("moments")
def moments(rng: random.Random, difficulty: int) -> dict[str, Any]:
    return _variable(rng, difficulty, with_of=False)
