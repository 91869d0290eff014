"""Multivariate Gaussians (MML 6.5): affine maps, conditioning, products of densities.

``gaussian_affine``: ``y = Ax + b`` has mean ``Aμ + b`` and covariance ``AΣA^T``.
``gaussian_conditional``: the components ``x_1..x_n`` are split into the given ones
(``x_b``) and the rest (``x_a``); the marginal is read off the blocks and the
conditional follows MML (6.65)-(6.66).  ``gaussian_product``: the product of two
Gaussian densities in the same variable is ``c N(x | m, C)`` with
``C = (A^{-1} + B^{-1})^{-1}``, ``m = C(A^{-1}a + B^{-1}b)``, ``c = N(a | b, A + B)``
(MML 6.5.2).  Inverses are derived with the shared Gauss-Jordan steps of
:mod:`tutor.inverses`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import GaussianAnswer
from tutor.core.errors import TutorError
from tutor.probability.gaussians import (AffineCovariance, AffineMean, ConditionalCovariance, ConditionalMean,
                             Partition, ProductConstant, ProductCovariance, ProductMean,
                             covariance_check)
from tutor.linalg.inverses import Inversion, inverse_steps
from tutor.core.kinds import Field, Kind, register
from tutor.parsing.text import parse_assignments
from tutor.probability.inputs import MAX_DIM, matrix_input, vector_input
from tutor.core.steps import Problem, Solution


@dataclass(frozen=True)
class ScaledGaussianAnswer(GaussianAnswer):
    """``c N(mean, cov)``: a Gaussian shape with its constant (a product of two densities)."""

    type: ClassVar[str] = "gaussian"
    constant: sympy.Expr = sympy.S.One

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "constant": str(self.constant)}


# ---------------------------------------------------------------- inputs

def _vector(what: str) -> Any:
    return lambda value: ImmutableMatrix(vector_input(value, what))


def _matrix(what: str) -> Any:
    return lambda value: ImmutableMatrix(matrix_input(value, what))


def _dimension(mean: ImmutableMatrix, cov: ImmutableMatrix, what: str) -> int:
    n = len(mean)
    if n > MAX_DIM:
        raise TutorError(f"{what}: {n} dimensions; at most {MAX_DIM}")
    if cov.shape != (n, n):
        raise TutorError(f"{what}: the mean has {n} entries, so the covariance must be {n}x{n}, "
                         f"not {cov.rows}x{cov.cols}")
    return n


_COMPONENT = re.compile(r"^x_(\d+)$")


def _given(value: Any) -> dict[int, sympy.Expr]:
    """``x_2=-1, x_3=0`` -> ``{1: -1, 2: 0}`` (0-based component indices)."""
    if isinstance(value, dict) and all(isinstance(k, int) for k in value):
        return value
    out: dict[int, sympy.Expr] = {}
    for name, v in parse_assignments(str(value)).items():
        m = _COMPONENT.match(name.name)
        if not m:
            raise TutorError(f"--given names components x_1, x_2, ..., not {name}")
        out[int(m.group(1)) - 1] = v
    return out


def build_affine(mean: ImmutableMatrix, cov: ImmutableMatrix, A: ImmutableMatrix,
                 b: ImmutableMatrix | None = None) -> Problem:
    n = _dimension(mean, cov, "the Gaussian")
    if A.cols != n:
        raise TutorError(f"A has {A.cols} column(s) but x has {n} components")
    if A.rows > MAX_DIM:
        raise TutorError(f"A has {A.rows} rows; at most {MAX_DIM}")
    b = ImmutableMatrix.zeros(A.rows, 1) if b is None else b
    if len(b) != A.rows:
        raise TutorError(f"b has {len(b)} entries but A has {A.rows} rows")
    check = covariance_check(cov, "\\Sigma", "the covariance matrix")
    return Problem("gaussian_affine", {"mean": mean, "cov": cov, "A": A, "b": b, "check": check})


def build_conditional(mean: ImmutableMatrix, cov: ImmutableMatrix, given: dict[int, sympy.Expr]) -> Problem:
    n = _dimension(mean, cov, "the Gaussian")
    bad = [k + 1 for k in given if not 0 <= k < n]
    if bad:
        raise TutorError(f"--given names x_{bad[0]}, but the components are x_1..x_{n}")
    if len(given) == n:
        raise TutorError("every component is given: leave at least one to find its conditional")
    check = covariance_check(cov, "\\Sigma", "the covariance matrix")
    b = sorted(given)
    S_bb = cov.extract(b, b)
    if S_bb.det() == 0:
        names = ", ".join(f"x_{k + 1}" for k in b)
        raise TutorError(f"the covariance of the given components ({names}) is singular: "
                         "conditioning on them needs an invertible block")
    return Problem("gaussian_conditional", {"mean": mean, "cov": cov, "given": given, "check": check})


def build_product(mean1: ImmutableMatrix, cov1: ImmutableMatrix, mean2: ImmutableMatrix,
                  cov2: ImmutableMatrix) -> Problem:
    n = _dimension(mean1, cov1, "the first Gaussian")
    if _dimension(mean2, cov2, "the second Gaussian") != n:
        raise TutorError(f"the two Gaussians have different dimensions ({n} and {len(mean2)})")
    checks = (covariance_check(cov1, "A", "the first covariance matrix", definite=True),
              covariance_check(cov2, "B", "the second covariance matrix", definite=True))
    return Problem("gaussian_product", {"mean1": mean1, "cov1": cov1, "mean2": mean2, "cov2": cov2,
                                        "checks": checks})


# ---------------------------------------------------------------- derivations

def _m(M: sympy.MatrixBase) -> ImmutableMatrix:
    return ImmutableMatrix(M.applyfunc(sympy.expand))


def solve_affine(problem: Problem) -> Solution:
    mean, cov, A, b = problem["mean"], problem["cov"], problem["A"], problem["b"]
    m = AffineMean(A=A, mean=mean, b=b, result=_m(A * mean + b))
    AS = _m(A * cov)
    c = AffineCovariance(A=A, cov=cov, product=AS, result=_m(AS * A.T))
    return Solution(problem, (problem["check"], m, c), GaussianAnswer(mean=m.result, cov=c.result))


def _inverse(M: sympy.MatrixBase) -> Inversion:
    inv = inverse_steps(M)
    if inv.value is None:  # validation rules this out; never show a wrong derivation
        raise TutorError("the matrix to invert is singular")
    return inv.step


def solve_conditional(problem: Problem) -> Solution:
    mean, cov, given = problem["mean"], problem["cov"], problem["given"]
    b = sorted(given)
    a = [k for k in range(len(mean)) if k not in given]
    part = Partition(a=tuple(a), b=tuple(b), mean=mean, cov=cov,
                     mu_a=mean.extract(a, [0]), mu_b=mean.extract(b, [0]),
                     S_aa=cov.extract(a, a), S_ab=cov.extract(a, b),
                     S_ba=cov.extract(b, a), S_bb=cov.extract(b, b))
    inversion = _inverse(part.S_bb)
    S_bb_inv = inversion.inverse
    x_b = ImmutableMatrix([given[k] for k in b])
    diff = _m(x_b - part.mu_b)
    gain = _m(part.S_ab * S_bb_inv)
    cmean = ConditionalMean(partition=part, S_bb_inv=S_bb_inv, x_b=x_b, diff=diff, gain=gain,
                            result=_m(part.mu_a + gain * diff), substeps=(inversion,))
    product = _m(gain * part.S_ba)
    ccov = ConditionalCovariance(partition=part, gain=gain, product=product,
                                 result=_m(part.S_aa - product))
    return Solution(problem, (problem["check"], part, cmean, ccov),
                    GaussianAnswer(mean=cmean.result, cov=ccov.result))


def solve_product(problem: Problem) -> Solution:
    a, A, b, B = problem["mean1"], problem["cov1"], problem["mean2"], problem["cov2"]
    inv_A, inv_B = _inverse(A), _inverse(B)
    precision = _m(inv_A.inverse + inv_B.inverse)
    inv_P = _inverse(precision)
    C = inv_P.inverse
    cov = ProductCovariance(A_inv=inv_A.inverse, B_inv=inv_B.inverse, precision=precision, result=C,
                            substeps=(inv_A, inv_B, inv_P))
    weighted = _m(inv_A.inverse * a + inv_B.inverse * b)
    mean = ProductMean(C=C, A_inv=inv_A.inverse, a=a, B_inv=inv_B.inverse, b=b, weighted=weighted,
                       result=_m(C * weighted))
    S = _m(A + B)
    diff = _m(a - b)
    quadratic = sympy.expand((diff.T * S.inv() * diff)[0, 0])
    det = S.det()
    n = A.rows
    value = sympy.exp(-quadratic / 2) / sympy.sqrt((2 * sympy.pi)**n * det)
    const = ProductConstant(a=a, A=A, b=b, B=B, S=S, det=det, diff=diff, quadratic=quadratic,
                            mean=mean.result, C=C, result=sympy.powsimp(value))
    return Solution(problem, problem["checks"] + (cov, mean, const),
                    ScaledGaussianAnswer(mean=mean.result, cov=C, constant=const.result))


# ---------------------------------------------------------------- registration

_MEAN = Field("mean", _vector("the mean"), "the mean vector, e.g. '1,2' (a number in 1-D)")
_COV = Field("cov", _matrix("the covariance matrix"), "the covariance matrix, e.g. '[[2,1],[1,2]]'")

register(Kind(name="gaussian_affine", topic="probability",
              summary="y = Ax + b of a Gaussian x: mean A mu + b, covariance A Sigma A^T",
              fields=(_MEAN, _COV, Field("A", _matrix("A"), "the matrix A, e.g. '[[1,1]]'"),
                      Field("b", _vector("b"), "the shift b (default 0)", required=False)),
              build=build_affine, solve=solve_affine))
register(Kind(name="gaussian_conditional", topic="probability",
              summary="marginal and conditional of a partitioned Gaussian (MML 6.5.1)",
              fields=(_MEAN, _COV, Field("given", _given, "the observed components, e.g. 'x_2=-1'")),
              build=build_conditional, solve=solve_conditional))
register(Kind(name="gaussian_product", topic="probability",
              summary="product of two Gaussian densities: c N(x | m, C) (MML 6.5.2)",
              fields=(Field("mean1", _vector("the first mean"), "the first mean a"),
                      Field("cov1", _matrix("the first covariance"), "the first covariance A"),
                      Field("mean2", _vector("the second mean"), "the second mean b"),
                      Field("cov2", _matrix("the second covariance"), "the second covariance B")),
              build=build_product, solve=solve_product))
