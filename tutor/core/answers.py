"""Typed answers.

The answer of a problem is typed, and the type decides what "equivalent" means
when a student's answer is checked (see ``tutor.check``).  Each type knows its
JSON form (the contract documented in the README): values are strings in
sympy's ``str()`` form.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import mpmath
import sympy

from tutor.core.steps import to_jsonable


def _column(v: sympy.MatrixBase) -> list[str]:
    return [str(e) for e in v]


@dataclass(frozen=True)
class Answer:
    type: ClassVar[str] = "answer"

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class ExpressionAnswer(Answer):
    """A scalar: a number or an expression (also used for ranks, norms, angles)."""

    type: ClassVar[str] = "expression"
    value: sympy.Expr

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "value": str(self.value)}


@dataclass(frozen=True)
class MatrixAnswer(Answer):
    type: ClassVar[str] = "matrix"
    value: sympy.Matrix

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "value": to_jsonable(self.value)}


@dataclass(frozen=True)
class VectorAnswer(Answer):
    type: ClassVar[str] = "vector"
    value: sympy.Matrix  # a column

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "value": _column(self.value)}


@dataclass(frozen=True)
class ProjectionAnswer(VectorAnswer):
    """An orthogonal projection π_U(x) and the distance d(x, U) the derivation computes."""

    type: ClassVar[str] = "projection"
    distance: sympy.Expr = sympy.S.Zero

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "value": _column(self.value), "distance": str(self.distance)}


@dataclass(frozen=True)
class SolutionSetAnswer(Answer):
    """The solution set of Ax = b: particular + span(directions); particular None: empty."""

    type: ClassVar[str] = "solution_set"
    variables: tuple[sympy.Symbol, ...]
    particular: sympy.Matrix | None
    directions: tuple[sympy.Matrix, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "variables": [str(v) for v in self.variables],
            "particular": None if self.particular is None else _column(self.particular),
            "directions": [_column(d) for d in self.directions],
        }


@dataclass(frozen=True)
class CasesAnswer(Answer):
    """An answer that depends on a parameter: ``generic`` holds for every real value of
    ``parameter`` except the values of ``cases``, each of which has its own answer."""

    type: ClassVar[str] = "cases"
    parameter: sympy.Symbol
    generic: Answer
    cases: tuple[tuple[sympy.Expr, Answer], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "parameter": str(self.parameter),
            "generic": {"except": [str(v) for v, _ in self.cases], "answer": self.generic.to_json()},
            "cases": [{"value": str(v), "answer": a.to_json()} for v, a in self.cases],
        }


@dataclass(frozen=True)
class BasisAnswer(Answer):
    """A basis of a subspace; no vectors: the zero subspace."""

    type: ClassVar[str] = "basis"
    vectors: tuple[sympy.Matrix, ...]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "vectors": [_column(v) for v in self.vectors]}


@dataclass(frozen=True)
class BooleanAnswer(Answer):
    """Yes or no; ``relation`` holds the coefficients of a witness (a dependency relation)."""

    type: ClassVar[str] = "boolean"
    value: bool
    relation: tuple[sympy.Expr, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "value": self.value}
        if self.relation is not None:
            out["relation"] = [str(c) for c in self.relation]
        return out


@dataclass(frozen=True)
class NoneAnswer(Answer):
    """The object asked for does not exist (a singular matrix has no inverse)."""

    type: ClassVar[str] = "none"
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "reason": self.reason}


@dataclass(frozen=True)
class Eigenvalue:
    value: sympy.Expr
    algebraic_multiplicity: int
    geometric_multiplicity: int
    basis: tuple[sympy.Matrix, ...]


@dataclass(frozen=True)
class EigenAnswer(Answer):
    type: ClassVar[str] = "eigen"
    eigenvalues: tuple[Eigenvalue, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "eigenvalues": [
                {
                    "value": str(e.value),
                    "algebraic_multiplicity": e.algebraic_multiplicity,
                    "geometric_multiplicity": e.geometric_multiplicity,
                    "basis": [_column(b) for b in e.basis],
                }
                for e in self.eigenvalues
            ],
        }


@dataclass(frozen=True)
class DiagonalizationAnswer(Answer):
    type: ClassVar[str] = "diagonalization"
    diagonalizable: bool
    P: sympy.Matrix | None = None
    D: sympy.Matrix | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        if not self.diagonalizable:
            return {"type": self.type, "diagonalizable": False, "reason": self.reason}
        return {"type": self.type, "diagonalizable": True,
                "P": to_jsonable(self.P), "D": to_jsonable(self.D)}


@dataclass(frozen=True)
class SVDAnswer(Answer):
    """A full SVD, A = U S V^T."""

    type: ClassVar[str] = "svd"
    U: sympy.Matrix
    S: sympy.Matrix
    V: sympy.Matrix

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "U": to_jsonable(self.U), "S": to_jsonable(self.S),
                "V": to_jsonable(self.V)}


@dataclass(frozen=True)
class GaussianAnswer(Answer):
    type: ClassVar[str] = "gaussian"
    mean: sympy.Matrix
    cov: sympy.Matrix

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "mean": _column(self.mean), "cov": to_jsonable(self.cov)}


@dataclass(frozen=True)
class DistributionAnswer(Answer):
    """A discrete distribution: values and their probabilities, in order."""

    type: ClassVar[str] = "distribution"
    values: tuple[sympy.Expr, ...]
    probabilities: tuple[sympy.Expr, ...]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "values": [str(v) for v in self.values],
                "probabilities": [str(p) for p in self.probabilities]}


@dataclass(frozen=True)
class MomentsAnswer(Answer):
    type: ClassVar[str] = "moments"
    mean: Any
    variance: Any

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "mean": to_jsonable(self.mean),
                "variance": to_jsonable(self.variance)}


@dataclass(frozen=True)
class GradientsAnswer(Answer):
    """Gradients of a loss with respect to named parameters (backprop)."""

    type: ClassVar[str] = "gradients"
    values: dict[str, sympy.Matrix] = field(default_factory=dict)
    loss: sympy.Expr = sympy.S.Zero

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "values": {k: to_jsonable(v) for k, v in self.values.items()},
                "loss": str(self.loss)}


@dataclass(frozen=True)
class OptimumPoint:
    """One candidate of an optimization problem: the point, its multipliers (Lagrange,
    KKT; empty otherwise), f there and its nature (minimum, maximum, saddle, candidate,
    inconclusive)."""

    point: tuple[sympy.Expr, ...]
    value: sympy.Expr
    nature: str
    multipliers: tuple[sympy.Expr, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"point": [str(c) for c in self.point]}
        if self.multipliers is not None:
            out["multipliers"] = [str(m) for m in self.multipliers]
        out.update(value=str(self.value), nature=self.nature)
        return out


@dataclass(frozen=True)
class EstimateAnswer(Answer):
    """Point estimates by parameter name (``mu``, ``lambda``, ``sigma**2``); MAP also names the
    conjugate posterior (``Beta(5, 3)``)."""

    type: ClassVar[str] = "estimate"
    values: dict[str, sympy.Expr] = field(default_factory=dict)
    posterior: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "values": {k: str(v) for k, v in self.values.items()}}
        if self.posterior is not None:
            out["posterior"] = self.posterior
        return out


@dataclass(frozen=True)
class PointsAnswer(Answer):
    """Stationary points, Lagrange candidates, KKT points: a set of points with natures."""

    type: ClassVar[str] = "points"
    variables: tuple[sympy.Symbol, ...]
    points: tuple[OptimumPoint, ...]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "points": [p.to_json() for p in self.points]}


@dataclass(frozen=True)
class IteratesAnswer(Answer):
    """The iterates x_0, ..., x_k of an iterative method and f at each."""

    type: ClassVar[str] = "iterates"
    points: tuple[tuple[sympy.Expr, ...], ...]
    values: tuple[sympy.Expr, ...]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "points": [[str(c) for c in p] for p in self.points],
                "values": [str(v) for v in self.values]}


@dataclass(frozen=True)
class ConvexityAnswer(Answer):
    """The strongest of: strictly convex, convex, strictly concave, concave, neither."""

    type: ClassVar[str] = "convexity"
    value: str

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value}


@dataclass(frozen=True)
class ProgramAnswer(Answer):
    """The optimum of a linear (``lp``: with the dual optimum) or quadratic (``qp``: with the
    KKT multipliers) program."""

    kind: str
    x: tuple[sympy.Expr, ...]
    value: sympy.Expr
    multipliers: tuple[sympy.Expr, ...]

    @property
    def type(self) -> str:  # type: ignore[override]
        return self.kind

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind, "x": [str(c) for c in self.x], "value": str(self.value),
                "dual" if self.kind == "lp" else "multipliers": [str(m) for m in self.multipliers]}


@dataclass(frozen=True)
class ConjugateAnswer(ExpressionAnswer):
    """A convex conjugate f*(s) and the set of s where it is finite."""

    domain: sympy.Set = sympy.S.Reals

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "value": str(self.value), "domain": str(self.domain)}


@dataclass(frozen=True)
class RegressionAnswer(VectorAnswer):
    """The parameters θ of a linear regression; ``noise_variance`` for maximum likelihood only."""

    noise_variance: sympy.Expr | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        if self.noise_variance is not None:
            out["noise_variance"] = str(self.noise_variance)
        return out


@dataclass(frozen=True)
class PosteriorAnswer(GaussianAnswer):
    """The Gaussian posterior of Bayesian linear regression, with the predictive mean and
    variance at a new input when one was asked for."""

    predictive: tuple[sympy.Expr, sympy.Expr] | None = None

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        if self.predictive is not None:
            out["predictive"] = {"mean": str(self.predictive[0]), "variance": str(self.predictive[1])}
        return out


@dataclass(frozen=True)
class PCAAnswer(Answer):
    """The mean, every eigenvalue of the data covariance (decreasing), the k principal axes
    (each a list of D entries), the codes (N lists of k) and the average reconstruction error."""

    type: ClassVar[str] = "pca"
    mean: sympy.Matrix
    variances: tuple[sympy.Expr, ...]
    components: tuple[sympy.Matrix, ...]
    codes: sympy.Matrix
    error: sympy.Expr

    def to_json(self) -> dict[str, Any]:
        t = decimal_text  # exact values as they are; decimals (an irreducible cubic) with 4 digits
        return {"type": self.type, "mean": _column(self.mean), "variances": [t(v) for v in self.variances],
                "components": [[t(e) for e in c] for c in self.components],
                "codes": [[t(e) for e in self.codes.row(i)] for i in range(self.codes.rows)],
                "error": t(self.error)}


def decimal_text(value: Any, digits: int = 4) -> str:
    """A decimal with ``digits`` significant digits, in scientific notation outside 0.01 to 9999
    (``5.528e-4``, not ``0.0005528``: leading zeros are no information); an exact value as is."""
    if not isinstance(value, sympy.Float):
        return str(value)
    return mpmath.nstr(mpmath.mpf(float(value)), digits, strip_zeros=False, min_fixed=-2, max_fixed=digits)


@dataclass(frozen=True)
class GMMAnswer(Answer):
    """A Gaussian mixture after one EM step; ``text`` writes a number as the step shows it
    (decimals with 4 significant digits)."""

    type: ClassVar[str] = "gmm"
    weights: tuple[sympy.Expr, ...]
    means: tuple[sympy.Expr, ...]
    variances: tuple[sympy.Expr, ...]
    responsibilities: sympy.Matrix
    log_likelihood: tuple[sympy.Expr, sympy.Expr]

    def to_json(self) -> dict[str, Any]:
        text = decimal_text
        r = self.responsibilities
        return {"type": self.type, "weights": [text(v) for v in self.weights],
                "means": [text(v) for v in self.means], "variances": [text(v) for v in self.variances],
                "responsibilities": [[text(r[i, j]) for j in range(r.cols)] for i in range(r.rows)],
                "log_likelihood": [text(v) for v in self.log_likelihood]}


@dataclass(frozen=True)
class SVMAnswer(Answer):
    """A trained SVM: ``w`` (None for a non-linear kernel), ``b``, the dual ``alphas``, the
    0-based indices of the support vectors and the margin 1/‖w‖; ``decision`` is f(x)."""

    type: ClassVar[str] = "svm"
    w: sympy.Matrix | None
    b: sympy.Expr
    alphas: tuple[sympy.Expr, ...]
    support: tuple[int, ...]
    margin: sympy.Expr
    decision: sympy.Expr = sympy.S.Zero

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.w is not None:
            out["w"] = _column(self.w)
        out.update({"b": str(self.b), "alphas": [str(a) for a in self.alphas], "support": list(self.support),
                    "margin": str(self.margin)})
        return out
