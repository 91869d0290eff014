"""Linear regression by the normal equations (MML 9.2): maximum likelihood and MAP (ridge).

The design matrix Φ has one row φ(x_n)ᵀ per data point (the features applied to the
input); the parameters solve ``ΦᵀΦ θ = Φᵀy`` (MML 9.2.1), or ``(ΦᵀΦ + λI) θ = Φᵀy`` with a
ridge / a Gaussian prior ``N(0, b²I)`` and noise variance ``σ²``, where ``λ = σ²/b²``
(MML 9.2.4).  The λI penalizes every parameter, the bias too.  The system is solved by the
shared elimination (:func:`tutor.rowreduce.reduce`), whose steps are the substeps.  Then
the fitted values, the residuals, the training error ``‖y − Φθ‖²`` and, for maximum
likelihood, the noise variance ``σ² = (1/N) ‖y − Φθ‖²``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.probability.numbers import same_matrix
from tutor.linalg.rowreduce import reduce
from tutor.core.steps import Step


@dataclass(frozen=True)
class Design:
    """The regression inputs: ``inputs`` has one row per data point, ``variables`` name its
    columns in the ``features`` (None: the columns themselves are the features)."""

    inputs: ImmutableMatrix
    variables: tuple[sympy.Symbol, ...]
    features: tuple[sympy.Expr, ...] | None

    def phi(self, row: Sequence[sympy.Expr]) -> list[sympy.Expr]:
        """The feature vector of one input."""
        if self.features is None:
            return list(row)
        at = dict(zip(self.variables, row))
        return [f.xreplace(at) for f in self.features]  # xreplace: 10x faster than subs, evaluates numbers

    def matrix(self) -> ImmutableMatrix:
        return ImmutableMatrix([self.phi(list(self.inputs.row(i))) for i in range(self.inputs.rows)])


@dataclass(frozen=True, kw_only=True)
class DesignMatrix(Step):
    """``Φ``: row n is ``φ(x_n)ᵀ`` (the features at the n-th input)."""

    rule: ClassVar[str] = "regression.design"
    inputs: ImmutableMatrix
    variables: tuple[sympy.Symbol, ...]
    features: tuple[sympy.Expr, ...] | None
    Phi: ImmutableMatrix

    def check(self) -> bool:
        rows = []
        for i in range(self.inputs.rows):
            row = list(self.inputs.row(i))
            rows.append(row if self.features is None else
                        [f.subs(dict(zip(self.variables, row))) for f in self.features])
        return same_matrix(ImmutableMatrix(rows), self.Phi)


@dataclass(frozen=True, kw_only=True)
class GramProducts(Step):
    """``ΦᵀΦ`` and ``Φᵀy``."""

    rule: ClassVar[str] = "regression.products"
    Phi: ImmutableMatrix
    y: ImmutableMatrix
    PtP: ImmutableMatrix
    Pty: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.Phi.T * self.Phi, self.PtP) and same_matrix(self.Phi.T * self.y, self.Pty)


@dataclass(frozen=True, kw_only=True)
class Regularize(Step):
    """``ΦᵀΦ + λI`` with ``λ = noise_var / prior_var`` when given that way (MML 9.2.4)."""

    rule: ClassVar[str] = "regression.ridge"
    PtP: ImmutableMatrix
    lam: sympy.Expr
    noise_var: sympy.Expr | None
    prior_var: sympy.Expr | None
    result: ImmutableMatrix

    def check(self) -> bool:
        ratio_ok = self.noise_var is None or sympy.simplify(self.noise_var / self.prior_var - self.lam) == 0
        return ratio_ok and same_matrix(self.PtP + self.lam * sympy.eye(self.PtP.rows), self.result)


@dataclass(frozen=True, kw_only=True)
class NormalEquations(Step):
    """``A θ = Φᵀy`` solved: the substep reduces ``[A | Φᵀy]``; ``theta`` is read off."""

    rule: ClassVar[str] = "regression.normal_equations"
    A: ImmutableMatrix
    rhs: ImmutableMatrix
    theta: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.A * self.theta, self.rhs) and self.A.det() != 0 and \
            all(s.check() for s in self.substeps)


@dataclass(frozen=True, kw_only=True)
class Fit(Step):
    """Fitted values ``Φθ``, residuals ``y − Φθ`` and the training error ``‖y − Φθ‖²``."""

    rule: ClassVar[str] = "regression.fit"
    Phi: ImmutableMatrix
    y: ImmutableMatrix
    theta: ImmutableMatrix
    fitted: ImmutableMatrix
    residuals: ImmutableMatrix
    error: sympy.Expr

    def check(self) -> bool:
        r = self.y - self.Phi * self.theta
        return same_matrix(self.Phi * self.theta, self.fitted) and same_matrix(r, self.residuals) \
            and sympy.simplify((r.T * r)[0] - self.error) == 0


@dataclass(frozen=True, kw_only=True)
class NoiseVariance(Step):
    """The maximum-likelihood noise variance ``σ² = (1/N) ‖y − Φθ‖²``."""

    rule: ClassVar[str] = "regression.noise_variance"
    error: sympy.Expr
    n: int
    result: sympy.Expr

    def check(self) -> bool:
        return sympy.simplify(self.error / self.n - self.result) == 0


@dataclass(frozen=True)
class Fitted:
    steps: tuple[Step, ...]
    theta: ImmutableMatrix
    noise_variance: sympy.Expr | None


def design_steps(design: Design, y: ImmutableMatrix) -> tuple[DesignMatrix, GramProducts]:
    """The design matrix and the products ``ΦᵀΦ``, ``Φᵀy`` (shared with Bayesian regression)."""
    Phi = design.matrix()
    if y.rows != Phi.rows:
        raise TutorError(f"{Phi.rows} inputs but {y.rows} targets y")
    return (DesignMatrix(inputs=design.inputs, variables=design.variables, features=design.features, Phi=Phi),
            GramProducts(Phi=Phi, y=y, PtP=ImmutableMatrix(Phi.T * Phi), Pty=ImmutableMatrix(Phi.T * y)))


def solve_normal_equations(A: ImmutableMatrix, rhs: ImmutableMatrix, ridge: bool) -> NormalEquations:
    """Reduce ``[A | rhs]``; a singular A (too few data for the features) is refused."""
    D = A.rows
    red = reduce(ImmutableMatrix(A.row_join(rhs)), pivot_cols=D, names=sympy.symbols(f"theta_0:{D}"),
                 to="rref")
    if len(red.pivots) < D:
        advice = "a larger ridge" if ridge else "a ridge (--ridge 1/2) or fewer features"
        raise TutorError(f"Phi^T Phi is singular (rank {len(red.pivots)} < {D} features): the data do not "
                         f"determine the parameters (not enough distinct inputs for the features); try {advice}")
    theta = ImmutableMatrix(red.rref[:, D])
    return NormalEquations(A=A, rhs=rhs, theta=theta, substeps=(red.step,))


def fit(design: Design, y: ImmutableMatrix, *, ridge: sympy.Expr | None = None,
        noise_var: sympy.Expr | None = None, prior_var: sympy.Expr | None = None) -> Fitted:
    """Maximum likelihood (no ridge) or MAP/ridge estimate of θ, with the fit's steps."""
    design_step, products = design_steps(design, y)
    steps: list[Step] = [design_step, products]
    A = products.PtP
    if noise_var is not None:
        ridge = noise_var / prior_var
    if ridge is not None:
        A = ImmutableMatrix(A + ridge * sympy.eye(A.rows))
        steps.append(Regularize(PtP=products.PtP, lam=ridge, noise_var=noise_var, prior_var=prior_var, result=A))
    normal = solve_normal_equations(A, products.Pty, ridge is not None)
    theta = normal.theta
    fitted = ImmutableMatrix(products.Phi * theta)
    residuals = ImmutableMatrix(y - fitted)
    error = (residuals.T * residuals)[0]
    steps += [normal, Fit(Phi=products.Phi, y=y, theta=theta, fitted=fitted, residuals=residuals, error=error)]
    variance = None
    if ridge is None:
        variance = error / y.rows
        steps.append(NoiseVariance(error=error, n=y.rows, result=variance))
    return Fitted(tuple(steps), theta, variance)
