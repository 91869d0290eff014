"""Rotations in R^2 and R^3 (MML section 3.9).

In the plane, ``R(θ) = [[cos θ, -sin θ], [sin θ, cos θ]]`` (counterclockwise).  In
space, a rotation about a coordinate axis e_i uses the book's R_1, R_2, R_3; about
any other axis a, Rodrigues' formula ``R = cos θ I + sin θ K + (1 - cos θ) k k^T``
with k = a/||a|| and K the cross-product matrix of k (``K v = k × v``).  The images
of the given vectors follow.  The checks compare with sympy's own rotations
(``rot_ccw_axis3``, quaternions), independently of the formulas used here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import MatrixAnswer
from tutor.core.symcheck import same as symbolic_same
from tutor.linalg.innerproducts import factor_out, factored_parts, norm, same, tidy
from tutor.linalg.rowreduce import same_matrix
from tutor.core.steps import Problem, Solution, Step


def _trig(e: sympy.Expr) -> sympy.Expr:
    """A trigonometric entry, simplified (exact values such as sqrt(3)/2 come out of sympy)."""
    return tidy(sympy.trigsimp(e))


def _expected(theta: sympy.Expr, axis: sympy.MatrixBase | None) -> sympy.Matrix:
    """sympy's rotation by θ (about ``axis`` in R^3), for the checks."""
    if axis is None:
        return sympy.rot_ccw_axis3(theta)[:2, :2]
    q = sympy.Quaternion.from_axis_angle(tuple(axis), theta)
    return q.to_rotation_matrix()


def _equal(a: sympy.MatrixBase, b: sympy.MatrixBase) -> bool:
    """Equal matrices: numerically to 30 digits for constant entries (surds of a rotation are
    slow to simplify), at random values of the angle when it is a symbol (as every calculus
    check, :func:`tutor.core.symcheck.same`: trigsimp and simplify of each entry took 2 s for
    one rotation about a skew axis)."""
    if a.shape != b.shape:
        return False
    for x, y in zip(a, b):
        d = sympy.sympify(x - y, strict=True)
        if d.free_symbols:
            if not symbolic_same(x, y):
                return False
        elif abs(sympy.N(d, 40)) > sympy.Float("1e-30"):
            return False
    return True


def cross_matrix(k: sympy.MatrixBase) -> ImmutableMatrix:
    """K with K v = k × v."""
    return ImmutableMatrix([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])


def standard_axis(axis: sympy.MatrixBase) -> int | None:
    """i when the axis points along +e_i (0-based), else None."""
    nonzero = [i for i, e in enumerate(axis) if e != 0]
    if len(nonzero) == 1 and axis[nonzero[0]] > 0:
        return nonzero[0]
    return None


@dataclass(frozen=True, kw_only=True)
class RotationMatrix(Step):
    """The rotation matrix ``R`` by ``theta`` (``cos``/``sin`` its exact values).

    ``axis`` None: the plane.  ``standard`` i: the book's R_{i+1} about e_{i+1}.  Else
    Rodrigues' formula with the unit axis ``unit`` (its norm is the substep), ``K`` and
    ``kkT``.  The check: R is sympy's rotation, orthogonal with determinant 1.
    """

    rule: ClassVar[str] = "rotation.matrix"
    theta: sympy.Expr
    cos: sympy.Expr
    sin: sympy.Expr
    axis: ImmutableMatrix | None
    standard: int | None
    unit: ImmutableMatrix | None
    K: ImmutableMatrix | None
    kkT: ImmutableMatrix | None
    R: ImmutableMatrix

    @property
    def shown(self) -> dict[str, list[Any]]:
        """k, K, k k^T and R with their common factors pulled out: formula parts, for display."""
        return {name: factored_parts(M) for name, M in
                (("unit", self.unit), ("K", self.K), ("kkT", self.kkT), ("R", self.R))
                if M is not None}

    @property
    def rodrigues(self) -> tuple[tuple[sympy.Expr, ImmutableMatrix], ...]:
        """The terms ``(coefficient, integer-like matrix)`` of ``cos θ I + sin θ K +
        (1 - cos θ) k k^T``, the factors of K and k k^T merged into the coefficients
        (zero terms left out), for display; the check verifies that they add up to R."""
        if self.K is None or self.kkT is None:
            return ()
        cK, NK = factor_out(self.K)
        ckk, Nkk = factor_out(self.kkT)
        terms = ((self.cos, ImmutableMatrix(sympy.eye(3))),
                 (sympy.factor_terms(tidy(self.sin * cK)), NK),
                 (sympy.factor_terms(tidy((1 - self.cos) * ckk)), Nkk))
        return tuple((c, M) for c, M in terms if c != 0)

    def check(self) -> bool:
        R, n = self.R, self.R.rows
        if not (same(self.cos, sympy.cos(self.theta)) and same(self.sin, sympy.sin(self.theta))):
            return False
        if self.unit is not None and not (same_matrix(self.unit * self.substeps[0].value, self.axis)
                                          and self.substeps[0].check()):
            return False
        if self.unit is not None and not (
                self.K is not None and self.kkT is not None
                and same_matrix(self.K, cross_matrix(self.unit))
                and same_matrix(self.kkT, self.unit * self.unit.T)
                and _equal(sum((c * M for c, M in self.rodrigues), sympy.zeros(3, 3)), R)):
            return False
        return (_equal(R, _expected(self.theta, self.axis)) and _equal(R.T * R, sympy.eye(n))
                and _equal(sympy.Matrix([R.det()]), sympy.Matrix([1])))


@dataclass(frozen=True, kw_only=True)
class RotateVector(Step):
    """The image ``R v`` of a vector."""

    rule: ClassVar[str] = "rotation.apply"
    R: ImmutableMatrix
    v: ImmutableMatrix
    image: ImmutableMatrix

    @property
    def shown(self) -> dict[str, list[Any]]:
        """R and the image with their common factors pulled out: formula parts, for display."""
        return {"R": factored_parts(self.R), "image": factored_parts(self.image)}

    def check(self) -> bool:
        return _equal(self.R * self.v, self.image)


def rotation_matrix(theta: sympy.Expr, axis: ImmutableMatrix | None) -> RotationMatrix:
    c, s = _trig(sympy.cos(theta)), _trig(sympy.sin(theta))
    if axis is None:
        R = ImmutableMatrix([[c, -s], [s, c]])
        return RotationMatrix(theta=theta, cos=c, sin=s, axis=None, standard=None, unit=None,
                              K=None, kkT=None, R=R)
    i = standard_axis(axis)
    if i is not None:
        R = sympy.eye(3)
        j, k = [m for m in range(3) if m != i]
        sign = -1 if i == 1 else 1  # R_2 has -sin θ below the diagonal (MML 3.77)
        R[j, j], R[j, k], R[k, j], R[k, k] = c, -sign * s, sign * s, c
        return RotationMatrix(theta=theta, cos=c, sin=s, axis=axis, standard=i, unit=None,
                              K=None, kkT=None, R=ImmutableMatrix(R))
    length = norm(axis, "2")
    unit = ImmutableMatrix((axis / length.value).applyfunc(tidy))
    K = cross_matrix(unit)
    kkT = ImmutableMatrix((unit * unit.T).applyfunc(tidy))
    R = (c * sympy.eye(3) + s * K + (1 - c) * kkT).applyfunc(_trig)
    return RotationMatrix(theta=theta, cos=c, sin=s, axis=axis, standard=None, unit=unit, K=K,
                          kkT=kkT, R=ImmutableMatrix(R), substeps=(length,))


def solve_rotation(problem: Problem) -> Solution:
    """The rotation matrix, then the image of each vector to apply it to."""
    rotation = rotation_matrix(problem["angle"], problem["axis"])
    R = rotation.R
    steps: list[Step] = [rotation]
    steps += [RotateVector(R=R, v=v, image=ImmutableMatrix((R * v).applyfunc(_trig)))
              for v in problem["apply"]]
    return Solution(problem, tuple(steps), MatrixAnswer(R))
