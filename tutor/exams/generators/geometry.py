"""Analytic geometry (MML chapter 3) with nice numbers: Pythagorean norms, nice angles."""
from __future__ import annotations

import random
from typing import Any

import sympy

from tutor.exams.generators import generator
from tutor.exams.generators.nice import nonzero, small_ints, vector_text

# integer vectors with an integer Euclidean length (entries up to sign and order)
_PYTHAGOREAN = ((3, 4), (6, 8), (5, 12), (1, 2, 2), (2, 3, 6), (1, 4, 8), (2, 6, 9), (4, 4, 7), (2, 2, 1))
# symmetric positive definite inner-product matrices with small entries
_INNER = {2: ("[[2, 1], [1, 2]]", "[[2, 0], [0, 1]]", "[[1, -1], [-1, 2]]", "[[3, 1], [1, 1]]"),
          3: ("[[2, 1, 0], [1, 2, 0], [0, 0, 1]]", "[[1, 0, 0], [0, 2, 1], [0, 1, 2]]")}


def _pythagorean(rng: random.Random, dim: int | None = None) -> sympy.Matrix:
    choices = [t for t in _PYTHAGOREAN if dim is None or len(t) == dim]
    entries = list(rng.choice(choices))
    rng.shuffle(entries)
    return sympy.Matrix([e * rng.choice((1, -1)) for e in entries])


def _vector(rng: random.Random, dim: int, bound: int = 3) -> sympy.Matrix:
    while True:
        v = sympy.Matrix(small_ints(rng, dim, bound))
        if sum(1 for e in v if e == 0) <= dim // 3:
            return v


def _with_inner(rng: random.Random, raw: dict[str, Any], dim: int, difficulty: int) -> dict[str, Any]:
    if difficulty == 3 and dim in _INNER:
        raw["inner"] = rng.choice(_INNER[dim])
    return raw


@generator("norm")
def norm(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """The Euclidean norm of a Pythagorean vector, or the 1- and max-norms, or an A-norm."""
    if difficulty == 1:
        return {"vector": vector_text(_vector(rng, 3, 5)), "p": rng.choice(("1", "inf"))}
    if difficulty == 2:
        return {"vector": vector_text(_pythagorean(rng))}
    return {"vector": vector_text(_vector(rng, 2)), "inner": rng.choice(_INNER[2])}


@generator("inner")
def inner(rng: random.Random, difficulty: int) -> dict[str, Any]:
    dim = 3 if difficulty == 2 else 2 + (difficulty == 3 and rng.random() < 0.5)
    raw = {"vectors": [vector_text(_vector(rng, dim, 4)), vector_text(_vector(rng, dim, 4))]}
    return _with_inner(rng, raw, dim, difficulty + (difficulty == 2))


@generator("distance")
def distance(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """x - y is a Pythagorean vector: an integer distance."""
    dim = 2 if difficulty == 1 else 3
    y = _vector(rng, dim)
    x = y + _pythagorean(rng, dim)
    if difficulty == 3:
        return {"vectors": [vector_text(x), vector_text(y)], "inner": rng.choice(_INNER[dim])}
    return {"vectors": [vector_text(x), vector_text(y)]}


# cos^2 of the angles a teacher asks for: 0, 30, 45, 60 degrees and their supplements
_NICE_COS2 = {sympy.Integer(0), sympy.Rational(1, 4), sympy.Rational(1, 2), sympy.Rational(3, 4), sympy.Integer(1)}


@generator("angle")
def angle(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Small vectors at a nice angle (difficulty 1, 2); any angle at difficulty 3."""
    dim = 2 if difficulty == 1 else 3
    while True:
        x, y = sympy.Matrix(small_ints(rng, dim, 2)), sympy.Matrix(small_ints(rng, dim, 2))
        nx, ny = (x.T * x)[0], (y.T * y)[0]
        if not nx or not ny or x.T * x == x.T * y and nx == ny:
            continue
        cos2 = (x.T * y)[0] ** 2 / (nx * ny)
        right_angle_ok = cos2 != 0 or rng.random() < 0.2  # mostly angles other than 90 degrees
        if cos2 != 1 and right_angle_ok and (difficulty == 3 or cos2 in _NICE_COS2):
            return {"vectors": [vector_text(x), vector_text(y)]}


@generator("projection")
def projection(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """Onto a line (difficulty 1, 2) or a plane spanned by two non-orthogonal vectors (3).

    x = p + n with p an integer point of U and n an integer normal: the projection is p.
    """
    dim = 2 if difficulty == 1 else 3
    spans = 1 if difficulty < 3 else 2
    while True:
        basis = [_vector(rng, dim, 2) for _ in range(spans)]
        U = sympy.Matrix.hstack(*basis)
        normals = U.T.nullspace()
        if U.rank() < spans or not normals:
            continue
        normal = normals[0] * sympy.ilcm(*[sympy.fraction(e)[1] for e in normals[0]])
        p = U * sympy.Matrix([nonzero(rng, 2) for _ in range(spans)])
        x = p + nonzero(rng, 2) * normal
        if max(abs(e) for e in x) <= 9:
            return {"vectors": [vector_text(v) for v in [x, *basis]]}


@generator("gram_schmidt")
def gram_schmidt(rng: random.Random, difficulty: int) -> dict[str, Any]:
    dim, count = {1: (2, 2), 2: (3, 2), 3: (3, 3)}[difficulty]
    while True:
        vectors = [_vector(rng, dim, 2) for _ in range(count)]
        if sympy.Matrix.hstack(*vectors).rank() == count:
            break
    raw: dict[str, Any] = {"vectors": [vector_text(v) for v in vectors]}
    if difficulty == 1:
        raw["normalize"] = True
    return raw


@generator("complement")
def complement(rng: random.Random, difficulty: int) -> dict[str, Any]:
    dim, count = {1: (3, 1), 2: (3, 2), 3: (4, 2)}[difficulty]
    while True:
        vectors = [_vector(rng, dim, 2) for _ in range(count)]
        if sympy.Matrix.hstack(*vectors).rank() == count:
            return {"vectors": [vector_text(v) for v in vectors]}


_ANGLES = ("pi/6", "pi/4", "pi/3", "pi/2", "2pi/3", "3pi/4", "5pi/6", "pi")


@generator("rotation")
def rotation(rng: random.Random, difficulty: int) -> dict[str, Any]:
    """A plane rotation by a standard angle (1, 2), or about a coordinate axis in R^3 (3)."""
    raw: dict[str, Any] = {"angle": rng.choice(_ANGLES)}
    if difficulty == 3:
        axis = [0, 0, 0]
        axis[rng.randrange(3)] = 1
        raw["axis"] = vector_text(axis)
        raw["apply"] = [vector_text(_vector(rng, 3))]
    elif difficulty == 2:
        raw["apply"] = [vector_text([nonzero(rng, 3), nonzero(rng, 3)])]
    return raw
