"""Analytic geometry (MML chapter 3): norms, inner products, distances, angles,
orthogonal projections, Gram-Schmidt, orthogonal complements and rotations.

This module reads and validates the inputs and registers the kinds; the
derivations live in small modules of their own: ``tutor.innerproducts`` (inner
products, norms, the positive-definiteness test), ``tutor.projections``,
``tutor.gramschmidt``, ``tutor.complements`` and ``tutor.rotations``.  Distances
and angles are short compositions of inner products and norms, solved here.

Vectors are real and exact (decimals become fractions); an inner product is given
by a symmetric positive definite matrix A, ``<x, y> = x^T A y``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import ExpressionAnswer
from tutor.linalg.complements import solve_complement
from tutor.core.errors import TutorError
from tutor.linalg.expansions import Fraction, Product
from tutor.linalg.gramschmidt import solve_gram_schmidt
from tutor.linalg.innerproducts import (
    NormKind, inner_product, norm, positive_definite, same, tidy, validate_inner_matrix,
)
from tutor.core.kinds import Field, Kind, register
from tutor.parsing.text import matrix_field, vector_field
from tutor.linalg.projections import form, solve_projection
from tutor.linalg.rotations import solve_rotation
from tutor.linalg.rowreduce import same_matrix
from tutor.core.steps import Problem, Solution, Step

MAX_DIMENSION = 10
MAX_VECTORS = 9


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class Difference(Step):
    """``x - y``, the vector whose length is the distance."""

    rule: ClassVar[str] = "distance.difference"
    x: ImmutableMatrix
    y: ImmutableMatrix
    difference: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.x - self.y, self.difference)


@dataclass(frozen=True, kw_only=True)
class Cosine(Step):
    """``cos ω = <x, y> / (||x|| ||y||)`` with the three values found before
    (``fraction`` written out, ``value`` reduced, denominators rational)."""

    rule: ClassVar[str] = "angle.cosine"
    x: ImmutableMatrix
    y: ImmutableMatrix
    A: ImmutableMatrix | None
    fraction: Fraction
    value: sympy.Expr

    def check(self) -> bool:
        A = form(self.A, self.x.rows)
        inner = (self.x.T * A * self.y)[0]
        lengths = sympy.sqrt((self.x.T * A * self.x)[0]) * sympy.sqrt((self.y.T * A * self.y)[0])
        return same(self.fraction.value(), inner / lengths) and same(self.value, inner / lengths)


@dataclass(frozen=True, kw_only=True)
class Angle(Step):
    """``ω = arccos(cos)`` in [0, π], in ``degrees`` too (exact; ``approx_degrees`` rounded
    when ω is no multiple of π we can name).  ``relation``: ``orthogonal`` (cos = 0),
    ``same_direction`` (1), ``opposite`` (-1), or empty."""

    rule: ClassVar[str] = "angle.arccos"
    cos: sympy.Expr
    omega: sympy.Expr
    degrees: sympy.Expr
    closed_form: bool
    approx_radians: sympy.Float
    approx_degrees: sympy.Float
    relation: str

    def check(self) -> bool:
        w = sympy.N(self.omega, 30)
        relation = {0: "orthogonal", 1: "same_direction", -1: "opposite"}.get(self.cos, "")
        return (0 <= w <= sympy.N(sympy.pi, 30) and same(sympy.cos(self.omega), self.cos)
                and same(self.degrees, self.omega * 180 / sympy.pi)
                and self.closed_form == (not self.omega.has(sympy.acos))
                and abs(self.approx_radians - w) < 1e-3 and abs(self.approx_degrees - w * 180 / sympy.pi) < 1e-2
                and relation == self.relation)


# ---------------------------------------------------------------- solving

def _distance_kind(A: ImmutableMatrix | None) -> NormKind:
    return "2" if A is None else "inner"


def _opening(A: ImmutableMatrix | None) -> list[Step]:
    """With an inner-product matrix, the derivation opens with its positive-definiteness test."""
    return [] if A is None else [positive_definite(A)]


def solve_norm(problem: Problem) -> Solution:
    A, p = problem["A"], problem["p"]
    step = norm(problem["x"], p, A)
    return Solution(problem, tuple(_opening(A)) + (step,), ExpressionAnswer(step.value))


def solve_inner(problem: Problem) -> Solution:
    A = problem["A"]
    step = inner_product(problem["x"], problem["y"], A)
    return Solution(problem, tuple(_opening(A)) + (step,), ExpressionAnswer(step.value))


def solve_distance(problem: Problem) -> Solution:
    x, y, A = problem["x"], problem["y"], problem["A"]
    d = ImmutableMatrix((x - y).applyfunc(tidy))
    length = norm(d, _distance_kind(A), A)
    steps = _opening(A) + [Difference(x=x, y=y, difference=d), length]
    return Solution(problem, tuple(steps), ExpressionAnswer(length.value))


def _angle(cos: sympy.Expr) -> Angle:
    omega = tidy(sympy.acos(cos))
    relation = {0: "orthogonal", 1: "same_direction", -1: "opposite"}.get(cos, "")
    return Angle(cos=cos, omega=omega, degrees=tidy(omega * 180 / sympy.pi),
                 closed_form=not omega.has(sympy.acos), approx_radians=sympy.N(omega, 4),
                 approx_degrees=sympy.N(omega * 180 / sympy.pi, 4), relation=relation)


def solve_angle(problem: Problem) -> Solution:
    x, y, A = problem["x"], problem["y"], problem["A"]
    product = inner_product(x, y, A)
    norm_x, norm_y = norm(x, _distance_kind(A), A), norm(y, _distance_kind(A), A)
    fraction = Fraction(product.value, Product((norm_x.value, norm_y.value)))
    cosine = Cosine(x=x, y=y, A=A, fraction=fraction, value=tidy(fraction.value()))
    steps = _opening(A) + [product, norm_x, norm_y, cosine, _angle(cosine.value)]
    return Solution(problem, tuple(steps), ExpressionAnswer(steps[-1].omega))


# ---------------------------------------------------------------- reading the inputs

def _real(value: Any, what: str) -> sympy.Expr:
    """A finite real number, exact (decimals become fractions), else a TutorError naming ``what``."""
    value = sympy.sympify(value)
    if not value.is_number or value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) \
            or value.is_real is not True:
        raise TutorError(f"{what} is not a real number: {value}")
    return sympy.nsimplify(value, rational=True) if value.has(sympy.Float) else value


def _column(v: sympy.MatrixBase, what: str) -> ImmutableMatrix:
    """A vector (a column, or a single row) of real numbers with at most MAX_DIMENSION entries."""
    if v.rows != 1 and v.cols != 1:
        raise TutorError(f"{what} must be a vector, not a {v.rows}x{v.cols} matrix")
    if len(v) > MAX_DIMENSION:
        raise TutorError(f"{what} has {len(v)} entries; at most {MAX_DIMENSION} are supported")
    return ImmutableMatrix([_real(e, f"entry {i} of {what}") for i, e in enumerate(v, start=1)])


def _vectors(vectors: Sequence[sympy.MatrixBase], names: Callable[[int], str]
             ) -> tuple[ImmutableMatrix, ...]:
    """Columns of one common length; ``names(i)`` names the i-th (0-based) in messages."""
    if len(vectors) > MAX_VECTORS:
        raise TutorError(f"{len(vectors)} vectors given; at most {MAX_VECTORS} are supported")
    columns = tuple(_column(v, names(i)) for i, v in enumerate(vectors))
    for i, v in enumerate(columns[1:], start=1):
        if v.rows != columns[0].rows:
            raise TutorError(f"{names(i)} has {v.rows} entries but {names(0)} has {columns[0].rows}: "
                             "the vectors must have the same length")
    return columns


def _inner_matrix(A: sympy.MatrixBase | None, n: int) -> ImmutableMatrix | None:
    if A is None:
        return None
    entries = ImmutableMatrix(A.rows, A.cols, lambda i, j: _real(
        A[i, j], f"entry ({i + 1},{j + 1}) of the inner-product matrix"))
    validate_inner_matrix(entries, n)
    return entries


def _nonzero(v: ImmutableMatrix) -> bool:
    return any(e != 0 for e in v)


def _count(kind: str, vectors: Sequence[Any], least: int, most: int | None, what: str) -> None:
    if len(vectors) < least or (most is not None and len(vectors) > most):
        raise TutorError(f"{kind} needs {what}, {len(vectors)} given")


def build_norm(vector: sympy.MatrixBase, p: str | None = None,
               inner: sympy.MatrixBase | None = None) -> Problem:
    if p is not None and inner is not None:
        raise TutorError("give either --p or --inner, not both (an inner product defines its own norm)")
    x = _column(vector, "the vector")
    A = _inner_matrix(inner, x.rows)
    return Problem("norm", {"x": x, "p": "inner" if A is not None else (p or "2"), "A": A})


def _pair_builder(kind: str, zero_allowed: bool = True) -> Callable[..., Problem]:
    """build() for the kinds of two vectors x, y and an optional inner product."""
    def build(vectors: Sequence[sympy.MatrixBase], inner: sympy.MatrixBase | None = None) -> Problem:
        _count(kind, vectors, 2, 2, "two vectors x and y")
        x, y = _vectors(vectors, lambda i: "xy"[i])
        if not zero_allowed and not (_nonzero(x) and _nonzero(y)):
            raise TutorError(f"the angle with the zero vector is not defined ({'x' if not _nonzero(x) else 'y'} = 0)")
        return Problem(kind, {"x": x, "y": y, "A": _inner_matrix(inner, x.rows)})
    return build


def build_projection(vectors: Sequence[sympy.MatrixBase], inner: sympy.MatrixBase | None = None) -> Problem:
    _count("projection", vectors, 2, None, "the vector x and at least one vector spanning U")
    columns = _vectors(vectors, lambda i: "x" if i == 0 else f"u_{i}")
    U = columns[1:]
    return Problem("projection", {"x": columns[0], "U": U, "A": _inner_matrix(inner, columns[0].rows)})


def build_gram_schmidt(vectors: Sequence[sympy.MatrixBase], normalize: bool | None = None,
                       inner: sympy.MatrixBase | None = None) -> Problem:
    _count("gram_schmidt", vectors, 1, None, "at least one vector")
    columns = _vectors(vectors, lambda i: f"b_{i + 1}")
    if not any(_nonzero(b) for b in columns):
        what = "normalize" if normalize else "orthogonalize"
        raise TutorError(f"all the vectors are zero: there is no vector to {what}")
    return Problem("gram_schmidt", {"vectors": columns, "normalize": bool(normalize),
                                    "A": _inner_matrix(inner, columns[0].rows)})


def build_complement(vectors: Sequence[sympy.MatrixBase], inner: sympy.MatrixBase | None = None) -> Problem:
    _count("complement", vectors, 1, None, "at least one vector spanning U")
    columns = _vectors(vectors, lambda i: f"u_{i + 1}")
    return Problem("complement", {"U": columns, "A": _inner_matrix(inner, columns[0].rows)})


def build_rotation(angle: sympy.Expr, axis: sympy.MatrixBase | None = None,
                   apply: Sequence[sympy.MatrixBase] | None = None) -> Problem:
    theta = sympy.sympify(angle)
    if not isinstance(theta, sympy.Expr) or theta.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) \
            or theta.is_real is False or theta.has(sympy.I):
        raise TutorError(f"the angle must be a real number or expression, e.g. pi/6, not {angle}")
    theta = sympy.nsimplify(theta, rational=True) if theta.has(sympy.Float) else theta
    theta = theta.subs({s: sympy.Symbol(s.name, real=True) for s in theta.free_symbols})
    k = None
    if axis is not None:
        k = _column(axis, "the axis")
        if k.rows != 3:
            raise TutorError(f"a rotation axis lives in R^3; the axis given has {k.rows} entries")
        if not _nonzero(k):
            raise TutorError("the axis is the zero vector: it has no direction to normalize")
    n = 2 if k is None else 3
    images = _vectors(list(apply or []), lambda i: f"vector {i + 1} to rotate")
    for v in images:
        if v.rows != n:
            raise TutorError(f"the rotation acts on R^{n} but a vector to rotate has {v.rows} entries"
                             + (" (give --axis for a rotation in R^3)" if n == 2 else ""))
    return Problem("rotation", {"angle": theta, "axis": k, "apply": images})


# ---------------------------------------------------------------- registration

def _angle_value(value: Any) -> sympy.Expr:
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return sympy.nsimplify(value, rational=True)
    from tutor.parsing.text import parse_expression
    return parse_expression(str(value))


def _p(value: Any) -> str:
    text = str(value).strip().lower()
    text = {"oo": "inf", "infinity": "inf", "∞": "inf", "max": "inf"}.get(text, text)
    if text not in ("1", "2", "inf"):
        raise TutorError(f"--p must be 1, 2 or inf, not {value!r}")
    return text


_INNER = Field("inner", matrix_field, help="inner-product matrix A, symmetric positive definite: "
               "<x,y> = x^T A y (default: the dot product)", required=False)


def _kind(name: str, summary: str, fields: tuple[Field, ...], build: Callable[..., Problem],
          solve: Callable[[Problem], Solution]) -> None:
    register(Kind(name=name, topic="geometry", summary=summary, fields=fields, build=build, solve=solve))


_kind("norm", "the norm of a vector: 1, 2 (Euclidean), inf, or from an inner product",
      (Field("vector", vector_field, help="the vector x, e.g. [1,2,3]", positional=True),
       Field("p", _p, help="which norm: 1, 2 or inf (default 2)", required=False),
       _INNER), build_norm, solve_norm)
_kind("inner", "the inner product <x, y> = x^T A y (default: the dot product)",
      (Field("vectors", vector_field, help="the vectors x and y", positional=True, many=True), _INNER),
      _pair_builder("inner"), solve_inner)
_kind("distance", "the distance d(x, y) = ||x - y||",
      (Field("vectors", vector_field, help="the vectors x and y", positional=True, many=True), _INNER),
      _pair_builder("distance"), solve_distance)
_kind("angle", "the angle between two vectors, cos w = <x,y> / (||x|| ||y||)",
      (Field("vectors", vector_field, help="the vectors x and y", positional=True, many=True), _INNER),
      _pair_builder("angle", zero_allowed=False), solve_angle)
_kind("projection", "orthogonal projection of x onto U = span(u_1, ..., u_k)",
      (Field("vectors", vector_field, help="x first, then the vectors spanning U", positional=True,
             many=True), _INNER), build_projection, solve_projection)
_kind("gram_schmidt", "Gram-Schmidt: an orthogonal (orthonormal) basis of span(b_1, ..., b_k)",
      (Field("vectors", vector_field, help="the vectors b_1, b_2, ...", positional=True, many=True),
       Field("normalize", bool, help="divide each vector by its norm (orthonormal basis)",
             required=False, flag=True),
       _INNER), build_gram_schmidt, solve_gram_schmidt)
_kind("complement", "the orthogonal complement of U = span(u_1, ..., u_k)",
      (Field("vectors", vector_field, help="the vectors spanning U", positional=True, many=True), _INNER),
      build_complement, solve_complement)
_kind("rotation", "a rotation matrix in R^2, or about an axis in R^3, and images of vectors",
      (Field("angle", _angle_value, help="the angle, e.g. pi/6 or \\frac{\\pi}{6}", positional=True),
       Field("axis", vector_field, help="the rotation axis in R^3 (default: a rotation of the plane)",
             required=False),
       Field("apply", vector_field, help="a vector to rotate (repeat for several)", required=False,
             many=True)),
      build_rotation, solve_rotation)
