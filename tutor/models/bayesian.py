"""Bayesian linear regression (MML 9.3): the Gaussian posterior over the parameters and the
predictive distribution at a new input.

With the prior ``θ ~ N(m_0, S_0)`` and the likelihood ``y ~ N(Φθ, σ²I)``:

    S_N = (S_0⁻¹ + σ⁻² ΦᵀΦ)⁻¹,    m_N = S_N (S_0⁻¹ m_0 + σ⁻² Φᵀy),

and at ``x*``: mean ``φ(x*)ᵀ m_N``, variance ``φ(x*)ᵀ S_N φ(x*) + σ²``.  The prior covariance
must be positive definite (the shared covariance check names the failing minor); both
inverses are the Gauss-Jordan derivations of :func:`tutor.inverses.inverse_steps`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.probability.gaussians import covariance_check
from tutor.linalg.inverses import inverse_steps
from tutor.probability.numbers import same_matrix
from tutor.core.steps import Step
from tutor.models.regression import Design, design_steps


@dataclass(frozen=True, kw_only=True)
class PosteriorPrecision(Step):
    """``S_N⁻¹ = S_0⁻¹ + σ⁻² ΦᵀΦ``."""

    rule: ClassVar[str] = "bayes_regression.precision"
    prior_precision: ImmutableMatrix
    noise_var: sympy.Expr
    PtP: ImmutableMatrix
    scaled: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.PtP / self.noise_var, self.scaled) and \
            same_matrix(self.prior_precision + self.scaled, self.result)


@dataclass(frozen=True, kw_only=True)
class PosteriorMean(Step):
    """``m_N = S_N (S_0⁻¹ m_0 + σ⁻² Φᵀy)``; ``inner`` is the bracket."""

    rule: ClassVar[str] = "bayes_regression.mean"
    prior_precision: ImmutableMatrix
    prior_mean: ImmutableMatrix
    noise_var: sympy.Expr
    Pty: ImmutableMatrix
    inner: ImmutableMatrix
    cov: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.prior_precision * self.prior_mean + self.Pty / self.noise_var, self.inner) \
            and same_matrix(self.cov * self.inner, self.result)


@dataclass(frozen=True, kw_only=True)
class Predictive(Step):
    """At ``x*``: ``φ* = φ(x*)``, mean ``φ*ᵀ m_N`` and variance ``φ*ᵀ S_N φ* + σ²``."""

    rule: ClassVar[str] = "bayes_regression.predictive"
    at: ImmutableMatrix
    phi: ImmutableMatrix
    mean_N: ImmutableMatrix
    cov_N: ImmutableMatrix
    noise_var: sympy.Expr
    mean: sympy.Expr
    parameter_variance: sympy.Expr
    variance: sympy.Expr

    def check(self) -> bool:
        return sympy.simplify((self.phi.T * self.mean_N)[0] - self.mean) == 0 and \
            sympy.simplify((self.phi.T * self.cov_N * self.phi)[0] - self.parameter_variance) == 0 and \
            sympy.simplify(self.parameter_variance + self.noise_var - self.variance) == 0


@dataclass(frozen=True)
class Posterior:
    steps: tuple[Step, ...]
    mean: ImmutableMatrix
    cov: ImmutableMatrix
    predictive: tuple[sympy.Expr, sympy.Expr] | None


def posterior(design: Design, y: ImmutableMatrix, prior_mean: ImmutableMatrix, prior_cov: ImmutableMatrix,
              noise_var: sympy.Expr, at: ImmutableMatrix | None = None) -> Posterior:
    """The posterior N(m_N, S_N) with its steps, and the predictive at ``at`` when given."""
    design_step, products = design_steps(design, y)
    D = products.PtP.rows
    if prior_mean.shape != (D, 1) or prior_cov.shape != (D, D):
        raise TutorError(f"{D} features: the prior mean needs {D} entries and the prior covariance "
                         f"{D}x{D} (got {prior_mean.rows} and {prior_cov.rows}x{prior_cov.cols})")
    if not noise_var > 0:
        raise TutorError(f"the noise variance must be positive, not {noise_var}")
    check = covariance_check(prior_cov, "S_0", "the prior covariance S_0", definite=True)
    prior_inverse = inverse_steps(prior_cov)
    P0 = prior_inverse.value
    scaled = ImmutableMatrix(products.PtP / noise_var)
    precision = ImmutableMatrix(P0 + scaled)
    cov_inverse = inverse_steps(precision)
    S_N = cov_inverse.value
    inner = ImmutableMatrix(P0 * prior_mean + products.Pty / noise_var)
    m_N = ImmutableMatrix(S_N * inner)
    steps: list[Step] = [design_step, products, check, prior_inverse.step,
                         PosteriorPrecision(prior_precision=P0, noise_var=noise_var, PtP=products.PtP,
                                            scaled=scaled, result=precision),
                         cov_inverse.step,
                         PosteriorMean(prior_precision=P0, prior_mean=prior_mean, noise_var=noise_var,
                                       Pty=products.Pty, inner=inner, cov=S_N, result=m_N)]
    predictive = None
    if at is not None:
        if at.rows != design.inputs.cols:
            raise TutorError(f"--at needs {design.inputs.cols} input value(s), got {at.rows}")
        phi = ImmutableMatrix(design.phi(list(at)))
        mean = (phi.T * m_N)[0]
        spread = (phi.T * S_N * phi)[0]
        steps.append(Predictive(at=at, phi=phi, mean_N=m_N, cov_N=S_N, noise_var=noise_var, mean=mean,
                                parameter_variance=spread, variance=spread + noise_var))
        predictive = (mean, spread + noise_var)
    return Posterior(tuple(steps), m_N, S_N, predictive)
