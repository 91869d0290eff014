"""Typed answers.

The answer of a problem is typed, and the type decides what "equivalent" means
when a student's answer is checked (see ``tutor.check``).  Each type knows its
JSON form (the contract documented in the README): values are strings in
sympy's ``str()`` form.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

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
