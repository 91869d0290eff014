"""Mistakes of models meeting data: maximum likelihood estimates, least squares."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.models.estimation import map_estimate
from tutor.exams.mistakes.registry import mistakes, redo


def _mle(inputs: dict[str, Any], key: A.EstimateAnswer, mistake: str) -> A.Answer | None:
    """The estimate with n - 1 for n, the rate and the mean confused, or the zeros counted."""
    family, data = inputs["model"].family, inputs["data"]
    n, total = len(data), sum(data)
    values = dict(key.values)
    if mistake == "n - 1" and family in ("Bernoulli", "Poisson"):
        values = {name: total / (n - 1) for name in values}
    elif mistake == "n - 1" and family == "Exponential":
        values = {name: sympy.Integer(n - 1) / total for name in values}
    elif mistake == "n - 1" and family == "Gaussian" and "sigma**2" in values:
        values["sigma**2"] = values["sigma**2"] * n / (n - 1)
    elif mistake == "reciprocal" and family in ("Poisson", "Exponential"):
        values = {name: 1 / v for name, v in values.items()}
    elif mistake == "zeros" and family == "Bernoulli":
        values = {name: 1 - v for name, v in values.items()}
    else:
        return None
    return A.EstimateAnswer(values, key.posterior)


mistakes("mle",
         ("divided by n - 1 instead of n", lambda i, k: _mle(i, k, "n - 1")),
         ("the rate and the mean confused (1/x̄ for x̄ or x̄ for 1/x̄)", lambda i, k: _mle(i, k, "reciprocal")),
         ("the share of zeros (failures) for the share of ones", lambda i, k: _mle(i, k, "zeros")))


def _map(inputs: dict[str, Any], key: A.EstimateAnswer, mistake: str) -> A.Answer | None:
    """The conjugate update with the prior's parameters swapped or the prior flat (Beta(1, 1),
    Gamma(1, 0): the prior ignored), or the posterior's mean given for its mode."""
    prior = inputs["prior"]
    if mistake == "swapped":
        return redo("map", inputs, prior=type(prior)(prior.family, tuple(prior.params[::-1])))
    if mistake == "flat":
        flat = {"Beta": (1, 1), "Gamma": (1, 0)}.get(prior.family)
        return redo("map", inputs, prior=type(prior)(prior.family, tuple(map(sympy.Integer, flat)))) if flat else None
    posterior = map_estimate(inputs["model"], prior, inputs["data"]).posterior
    a, b = posterior.params
    mean = {"Beta": lambda: a / (a + b), "Gamma": lambda: a / b}.get(posterior.family)
    return A.EstimateAnswer({name: mean() for name in key.values}, key.posterior) if mean else None


mistakes("map",
         ("the prior ignored (a flat prior: the maximum likelihood estimate)", lambda i, k: _map(i, k, "flat")),
         ("the prior's two parameters swapped", lambda i, k: _map(i, k, "swapped")),
         ("the posterior's mean given for its mode", lambda i, k: _map(i, k, "mean")))


def _without_bias(inputs: dict[str, Any]) -> A.Answer | None:
    design = inputs["design"]
    if design.features is None or sympy.S.One not in design.features or len(design.features) < 2:
        return None
    features = tuple(f for f in design.features if f != 1)
    return redo("linear_regression", inputs, design=type(design)(design.inputs, design.variables, features))


def _undivided(inputs: dict[str, Any], key: A.RegressionAnswer) -> A.Answer:
    """θ = Φ^T y (the inverse of Φ^T Φ forgotten), its noise variance from its own residuals."""
    Phi, y = inputs["design"].matrix(), sympy.Matrix(inputs["y"])
    theta = Phi.T * y
    residual = y - Phi * theta
    variance = (residual.T * residual)[0] / y.rows if key.noise_variance is not None else None
    return A.RegressionAnswer(theta, variance)


mistakes("linear_regression",
         ("the bias feature 1 left out (a fit through the origin)", lambda i, k: _without_bias(i)),
         ("Φ^T y taken for θ (the inverse of Φ^T Φ forgotten)", _undivided),
         ("the regularizer left out (the least-squares fit)",
          lambda i, k: redo("linear_regression", i, ridge=None, noise_var=None, prior_var=None)
          if i["ridge"] is not None or i["noise_var"] is not None else None))
