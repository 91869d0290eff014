"""Mistakes of models meeting data: maximum likelihood estimates, least squares, Bayesian
regression, PCA and EM."""
from __future__ import annotations

import dataclasses
from typing import Any

import sympy

from tutor.core import answers as A
from tutor.models.estimation import map_estimate
from tutor.models.mixtures import decimal, density, log_likelihood
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


def _pca(inputs: dict[str, Any], mistake: str) -> A.Answer | None:
    """The engine on the data as the student treats them.  Not centred: the engine on the rows
    and their negatives, whose mean is 0 and whose covariance is X^T X / N, the uncentred second
    moment (the codes of the first N rows); the smallest eigenvalues' axes: the engine with all
    D axes, the last k taken; the codes of the uncentred data on the right axes."""
    data, k = inputs["data"], inputs["k"]
    N, D = data.shape
    if mistake == "uncentred":
        a = redo("pca", inputs, data=sympy.ImmutableMatrix.vstack(data, -data))
        return A.PCAAnswer(a.mean, a.variances, a.components, sympy.ImmutableMatrix(a.codes[:N, :]), a.error)
    full = redo("pca", inputs, k=D)
    if mistake == "smallest":
        picked = list(range(D - 1, D - 1 - k, -1))
        codes = sympy.ImmutableMatrix.hstack(*(full.codes[:, j] for j in picked))
        error = sum(full.variances[:D - k], sympy.S.Zero)
        return A.PCAAnswer(full.mean, full.variances, tuple(full.components[j] for j in picked), codes, error)
    B = sympy.Matrix.hstack(*full.components[:k])
    return A.PCAAnswer(full.mean, full.variances, full.components[:k], sympy.ImmutableMatrix(data * B),
                       sum(full.variances[k:], sympy.S.Zero))


mistakes("pca",
         ("the data not centred (the axes of X^T X / N)", lambda i, k: _pca(i, "uncentred")),
         ("the axes of the smallest eigenvalues", lambda i, k: _pca(i, "smallest")),
         ("the codes of the uncentred data (x_n^T B, the mean not subtracted)", lambda i, k: _pca(i, "codes")))


def _maximum_likelihood(inputs: dict[str, Any]) -> A.Answer:
    """The prior ignored: θ the least-squares fit, its covariance σ² (Φ^T Φ)^-1."""
    theta = redo("linear_regression", {"design": inputs["design"], "y": inputs["y"]},
                 ridge=None, noise_var=None, prior_var=None).value
    Phi, noise = inputs["design"].matrix(), inputs["noise_var"]
    cov = noise * (Phi.T * Phi).inv()
    at = inputs["at"]
    if at is None:
        return A.PosteriorAnswer(theta, cov, None)
    phi = sympy.Matrix(inputs["design"].phi(list(at)))
    return A.PosteriorAnswer(theta, cov, ((phi.T * theta)[0], (phi.T * cov * phi)[0] + noise))


def _precision_for_covariance(inputs: dict[str, Any]) -> A.Answer:
    """S_N^-1 = S_0^-1 + Φ^T Φ / σ² not inverted: the precision taken for the covariance, and the
    mean computed with it."""
    Phi, y, noise = inputs["design"].matrix(), sympy.Matrix(inputs["y"]), inputs["noise_var"]
    P0 = inputs["prior_cov"].inv()
    precision = P0 + Phi.T * Phi / noise
    mean = precision * (P0 * inputs["prior_mean"] + Phi.T * y / noise)
    at = inputs["at"]
    if at is None:
        return A.PosteriorAnswer(mean, precision, None)
    phi = sympy.Matrix(inputs["design"].phi(list(at)))
    return A.PosteriorAnswer(mean, precision, ((phi.T * mean)[0], (phi.T * precision * phi)[0] + noise))


mistakes("bayesian_regression",
         ("the prior ignored (the maximum likelihood fit, covariance σ² (Φ^T Φ)^-1)",
          lambda i, k: _maximum_likelihood(i)),
         ("the posterior precision S_N^-1 not inverted (taken for S_N)", lambda i, k: _precision_for_covariance(i)),
         ("the prior covariance S_0 used where its inverse belongs",
          lambda i, k: redo("bayesian_regression", i, prior_cov=i["prior_cov"].inv())),
         ("the noise variance left out of the posterior (σ² = 1)",
          lambda i, k: redo("bayesian_regression", i, noise_var=sympy.S.One) if i["noise_var"] != 1 else None),
         ("the prior mean taken as 0",
          lambda i, k: redo("bayesian_regression", i, prior_mean=sympy.zeros(*i["prior_mean"].shape))
          if any(i["prior_mean"]) else None))


def _em(inputs: dict[str, Any], key: A.GMMAnswer, mistake: str) -> A.Answer:
    """The M step redone from the engine's responsibilities with one slip: the responsibilities
    not normalized (π_k N(x_n | μ_k, σ_k²) used as they are), the old means in the variance
    update, or the variances divided by N instead of N_k."""
    x, K = inputs["data"], len(inputs["weights"])
    N = len(x)
    r = key.responsibilities
    if mistake == "unnormalized":
        r = sympy.Matrix(N, K, lambda n, k: decimal(inputs["weights"][k] * density(
            x[n], inputs["means"][k], inputs["variances"][k])))
    counts = [sum(r[:, k]) for k in range(K)]
    means = [sum(r[n, k] * x[n] for n in range(N)) / counts[k] for k in range(K)]
    centres = inputs["means"] if mistake == "old means" else means
    divisor = [N] * K if mistake == "N" else counts
    variances = [sum(r[n, k] * (x[n] - centres[k]) ** 2 for n in range(N)) / divisor[k] for k in range(K)]
    weights = [c / N for c in counts]
    new = tuple(tuple(decimal(v) for v in values) for values in (weights, means, variances))
    return A.GMMAnswer(*new, sympy.ImmutableMatrix(r),
                       (key.log_likelihood[0], log_likelihood(x, *new)))


mistakes("em_step",
         ("the responsibilities not normalized (π_k N(x_n | μ_k, σ_k²) used as they are)",
          lambda i, k: _em(i, k, "unnormalized")),
         ("the old means kept in the variance update", lambda i, k: _em(i, k, "old means")),
         ("the variances divided by N instead of N_k", lambda i, k: _em(i, k, "N")))


def _bias(key: A.SVMAnswer, b: sympy.Expr) -> A.Answer:
    return dataclasses.replace(key, b=b, decision=key.decision - key.b + b)


def _unit_normal(key: A.SVMAnswer) -> A.Answer | None:
    """w and b divided by ‖w‖: the hyperplane as a unit normal, its canonical scaling
    y_n (w^T x_n + b) = 1 on the support vectors forgotten (so the margin 1/‖w‖ is 1)."""
    if key.w is None:
        return None
    length = sympy.sqrt(sum(e ** 2 for e in key.w))
    return A.SVMAnswer(key.w / length, key.b / length, key.alphas, key.support, sympy.S.One, key.decision / length)


mistakes("svm",
         ("the bias's sign flipped (b = w^T x_s - y_s)", lambda i, k: _bias(k, -k.b)),
         ("y_s left out of the bias (b = -w^T x_s at the first support vector)",
          lambda i, k: _bias(k, k.b - i["labels"][k.support[0]]) if k.support else None),
         ("the classes swapped (+1 and -1 confused)",
          lambda i, k: redo("svm", i, labels=tuple(-y for y in i["labels"]))),
         ("w scaled to unit length (the scaling y (w^T x + b) = 1 forgotten)", lambda i, k: _unit_normal(k)),
         ("C ignored (the hard margin)", lambda i, k: redo("svm", i, C=None) if i["C"] is not None else None))
