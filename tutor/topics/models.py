"""When models meet data (MML chapters 8-12): the kinds ``mle``, ``map``, ``linear_regression``,
``bayesian_regression``, ``pca``, ``em_step`` and ``svm``.

Thin: the inputs, their validation and the registration; the derivations are the engines of
:mod:`tutor.models`.
"""
from __future__ import annotations

from typing import Any

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import (EstimateAnswer, GMMAnswer, PCAAnswer, PosteriorAnswer, RegressionAnswer,
                                SVMAnswer)
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.steps import Problem, Solution
from tutor.models import bayesian, estimation, mixtures, pca, regression, svm
from tutor.probability.distributions import expression, number, split_top
from tutor.probability.inputs import matrix_input, vector_input

TOPIC = "models"
MAX_POINTS = 200
MAX_FEATURES = 6


# ---------------------------------------------------------------- inputs

def _numbers(what: str) -> Any:
    """A list of numbers, ``1,0,1,1`` or ``[1,0,1,1]``, as a tuple of exact values."""
    def parse(value: Any) -> tuple[sympy.Expr, ...]:
        v = vector_input(value, what)
        if v.rows > MAX_POINTS:
            raise TutorError(f"{what}: {v.rows} values; at most {MAX_POINTS}")
        return tuple(number(e, what) for e in v)
    return parse


def _rows(what: str) -> Any:
    """A matrix written as rows (one row per data point); a flat list is one column."""
    def parse(value: Any) -> ImmutableMatrix:
        try:
            M = matrix_input(value, what)
        except TutorError:
            M = vector_input(value, what)
        if M.rows > MAX_POINTS:
            raise TutorError(f"{what}: {M.rows} rows; at most {MAX_POINTS}")
        return ImmutableMatrix(M.rows, M.cols, [number(e, what) for e in M])
    return parse


def _scalar(what: str) -> Any:
    return lambda value: number(value, what)


def _features(value: Any) -> tuple[sympy.Expr, ...]:
    if isinstance(value, (list, tuple)):
        parts = [str(v) if not isinstance(v, str) else v for v in value]
    else:
        parts = split_top(str(value), ",")
    features = tuple(expression(p, "a feature") for p in parts if str(p).strip())
    if not 1 <= len(features) <= MAX_FEATURES:
        raise TutorError(f"give 1 to {MAX_FEATURES} features, like '1, x, x^2'")
    return features


def _design(x: ImmutableMatrix | None, X: ImmutableMatrix | None,
            features: tuple[sympy.Expr, ...] | None) -> regression.Design:
    """One input variable (``--x``: features 1, x by default) or rows of inputs (``--X``: the
    columns are the features unless ``--features`` names them in x_1, x_2, ...)."""
    if (x is None) == (X is None):
        raise TutorError("give the inputs either as --x (one input variable) or as --X (one row per data point)")
    if x is not None:
        if x.cols != 1:
            raise TutorError("--x is a list of numbers (one input variable); use --X for rows of inputs")
        variables: tuple[sympy.Symbol, ...] = (sympy.Symbol("x"),)
        features = features or (sympy.S.One, variables[0])
        inputs = x
    else:
        inputs = X  # type: ignore[assignment]
        variables = (sympy.Symbol("x"),) if inputs.cols == 1 else sympy.symbols(f"x_1:{inputs.cols + 1}")
    if features is not None:
        stray = set().union(*(f.free_symbols for f in features)) - set(variables)
        if stray:
            raise TutorError(f"the features may use {', '.join(map(str, variables))}, not "
                             f"{', '.join(sorted(map(str, stray)))}")
    elif inputs.cols > MAX_FEATURES:
        raise TutorError(f"{inputs.cols} input columns; at most {MAX_FEATURES} features")
    return regression.Design(inputs, tuple(variables), features)


_X_FIELDS = (
    Field("x", _rows("x"), "the inputs of one variable, e.g. '[-1,0,1,2]'", required=False),
    Field("X", _rows("X"), "the inputs, one row per data point, e.g. '[[1,2],[0,1]]'", required=False),
    Field("y", _rows("y"), "the targets, e.g. '[1,0,2,5]'"),
    Field("features", _features, "the features, e.g. '1, x, x^2' (default: 1, x for --x)", required=False),
)


# ---------------------------------------------------------------- estimation

def build_mle(model: estimation.Model, data: tuple[sympy.Expr, ...]) -> Problem:
    estimation.check_data(model, data)
    return Problem("mle", {"model": model, "data": data})


def solve_mle(problem: Problem) -> Solution:
    e = estimation.mle(problem["model"], problem["data"])
    return Solution(problem, e.steps, EstimateAnswer(e.values))


def build_map(model: estimation.Model, prior: estimation.Prior, data: tuple[sympy.Expr, ...]) -> Problem:
    estimation.check_data(model, data)
    return Problem("map", {"model": model, "prior": prior, "data": data})


def solve_map(problem: Problem) -> Solution:
    e = estimation.map_estimate(problem["model"], problem["prior"], problem["data"])
    return Solution(problem, e.steps, EstimateAnswer(e.values, str(e.posterior)))


_MODEL = Field("model", estimation.parse_model, "the model, e.g. 'Bernoulli(\\mu)' or 'Gaussian(\\mu, 1)'",
               positional=True)
_DATA = Field("data", _numbers("the data"), "the data, e.g. '1,0,1,1'")

register(Kind(name="mle", topic=TOPIC, summary="maximum likelihood estimate of a model's parameters (MML 8.3)",
              fields=(_MODEL, _DATA), build=build_mle, solve=solve_mle))
register(Kind(name="map", topic=TOPIC, summary="MAP estimate with a conjugate prior, and the posterior (MML 8.3, 6.6.1)",
              fields=(_MODEL, Field("prior", estimation.parse_prior, "the prior, e.g. 'Beta(2,2)'"), _DATA),
              build=build_map, solve=solve_map))


# ---------------------------------------------------------------- regression

def _targets(y: ImmutableMatrix) -> ImmutableMatrix:
    if y.cols != 1:
        raise TutorError("y is a list of numbers, one target per data point")
    return y


def build_linear_regression(x: ImmutableMatrix | None = None, X: ImmutableMatrix | None = None,
                            y: ImmutableMatrix | None = None, features: tuple[sympy.Expr, ...] | None = None,
                            ridge: sympy.Expr | None = None, noise_var: sympy.Expr | None = None,
                            prior_var: sympy.Expr | None = None) -> Problem:
    design = _design(x, X, features)
    y = _targets(y)  # type: ignore[arg-type]
    if ridge is not None and (noise_var is not None or prior_var is not None):
        raise TutorError("give either --ridge or --noise-var with --prior-var, not both")
    if (noise_var is None) != (prior_var is None):
        raise TutorError("a MAP estimate needs both --noise-var (sigma^2) and --prior-var (b^2)")
    for name, v in (("--ridge", ridge), ("--noise-var", noise_var), ("--prior-var", prior_var)):
        if v is not None and not v > 0:
            raise TutorError(f"{name} must be positive, not {v}")
    return Problem("linear_regression", {"design": design, "y": y, "ridge": ridge, "noise_var": noise_var,
                                         "prior_var": prior_var})


def solve_linear_regression(problem: Problem) -> Solution:
    f = regression.fit(problem["design"], problem["y"], ridge=problem["ridge"], noise_var=problem["noise_var"],
                       prior_var=problem["prior_var"])
    return Solution(problem, f.steps, RegressionAnswer(f.theta, f.noise_variance))


register(Kind(name="linear_regression", topic=TOPIC,
              summary="least squares / ridge by the normal equations, fit and noise variance (MML 9.2)",
              fields=(*_X_FIELDS,
                      Field("ridge", _scalar("the ridge"), "lambda of the ridge (lambda I penalizes the bias too)",
                            required=False),
                      Field("noise_var", _scalar("the noise variance"), "sigma^2 (with --prior-var: lambda = sigma^2/b^2)",
                            required=False),
                      Field("prior_var", _scalar("the prior variance"), "b^2 of the prior N(0, b^2 I)", required=False)),
              build=build_linear_regression, solve=solve_linear_regression))


def build_bayesian_regression(x: ImmutableMatrix | None = None, X: ImmutableMatrix | None = None,
                              y: ImmutableMatrix | None = None, features: tuple[sympy.Expr, ...] | None = None,
                              prior_mean: ImmutableMatrix | None = None, prior_cov: ImmutableMatrix | None = None,
                              noise_var: sympy.Expr | None = None, at: ImmutableMatrix | None = None) -> Problem:
    design = _design(x, X, features)
    if not noise_var > 0:  # type: ignore[operator]
        raise TutorError(f"the noise variance must be positive, not {noise_var}")
    return Problem("bayesian_regression", {"design": design, "y": _targets(y), "prior_mean": prior_mean,  # type: ignore[arg-type]
                                           "prior_cov": prior_cov, "noise_var": noise_var,
                                           "at": None if at is None else ImmutableMatrix(at.reshape(len(at), 1))})


def solve_bayesian_regression(problem: Problem) -> Solution:
    p = bayesian.posterior(problem["design"], problem["y"], problem["prior_mean"], problem["prior_cov"],
                           problem["noise_var"], problem["at"])
    return Solution(problem, p.steps, PosteriorAnswer(p.mean, p.cov, p.predictive))


register(Kind(name="bayesian_regression", topic=TOPIC,
              summary="posterior N(m_N, S_N) over the parameters and the predictive (MML 9.3)",
              fields=(*_X_FIELDS,
                      Field("prior_mean", _rows("the prior mean"), "m_0, e.g. '[0,0]'"),
                      Field("prior_cov", _rows("the prior covariance"), "S_0, e.g. '[[1,0],[0,1]]'"),
                      Field("noise_var", _scalar("the noise variance"), "sigma^2"),
                      Field("at", _rows("the new input"), "a new input x* for the predictive", required=False)),
              build=build_bayesian_regression, solve=solve_bayesian_regression))


# ---------------------------------------------------------------- PCA

def build_pca(data: ImmutableMatrix, k: int = 1) -> Problem:
    if data.cols > 4:
        raise TutorError(f"{data.cols} dimensions; exact PCA steps go up to 4")
    if not 1 <= k <= data.cols:
        raise TutorError(f"k must be from 1 to the dimension {data.cols}, not {k}")
    return Problem("pca", {"data": data, "k": k})


def _count(value: Any) -> int:
    n = number(value, "k")
    if not n.is_Integer:
        raise TutorError(f"k must be a whole number, not {n}")
    return int(n)


def solve_pca(problem: Problem) -> Solution:
    a = pca.pca(problem["data"], problem["k"])
    return Solution(problem, a.steps, PCAAnswer(a.mean, a.eigenvalues, tuple(ImmutableMatrix(a.B[:, j])
                                                                            for j in range(a.B.cols)),
                                                a.codes, a.error))


register(Kind(name="pca", topic=TOPIC, summary="principal components, codes and reconstruction error (MML 10)",
              fields=(Field("data", _rows("the data"), "the data, one row per point, e.g. '[[2,0],[0,2],[1,1]]'"),
                      Field("k", _count, "the number of principal components (default 1)", required=False, default=1)),
              build=build_pca, solve=solve_pca))


# ---------------------------------------------------------------- EM

def build_em_step(data: tuple[sympy.Expr, ...], weights: tuple[sympy.Expr, ...], means: tuple[sympy.Expr, ...],
                  variances: tuple[sympy.Expr, ...]) -> Problem:
    mixtures.validate(data, weights, means, variances)
    return Problem("em_step", {"data": data, "weights": weights, "means": means, "variances": variances})


def solve_em_step(problem: Problem) -> Solution:
    it = mixtures.em_step(problem["data"], problem["weights"], problem["means"], problem["variances"])
    return Solution(problem, it.steps, GMMAnswer(it.weights, it.means, it.variances, it.responsibilities,
                                                 it.log_likelihood))


register(Kind(name="em_step", topic=TOPIC, summary="one EM iteration for a 1-D Gaussian mixture (MML 11.2-11.3)",
              fields=(Field("data", _numbers("the data"), "the data, e.g. '[-3,-2.5,-1,0,2,4,5]'"),
                      Field("weights", _numbers("the weights"), "the mixture weights, e.g. '[1/3,1/3,1/3]'"),
                      Field("means", _numbers("the means"), "the means, e.g. '[-4,0,8]'"),
                      Field("variances", _numbers("the variances"), "the variances, e.g. '[1,0.2,3]'")),
              build=build_em_step, solve=solve_em_step))


# ---------------------------------------------------------------- SVM

def build_svm(data: ImmutableMatrix, labels: tuple[sympy.Expr, ...], C: sympy.Expr | None = None,
              kernel: svm.Kernel | None = None) -> Problem:
    if len(labels) != data.rows:
        raise TutorError(f"{data.rows} points but {len(labels)} labels")
    if any(v not in (1, -1) for v in labels):
        raise TutorError("the labels are +1 and -1")
    if C is not None and not C > 0:
        raise TutorError(f"C must be positive, not {C}")
    return Problem("svm", {"data": data, "labels": tuple(int(v) for v in labels), "C": C,
                           "kernel": kernel or svm.Kernel("linear")})


def solve_svm(problem: Problem) -> Solution:
    X = problem["data"]
    points = [ImmutableMatrix(X.row(i).T) for i in range(X.rows)]
    m = svm.train(points, problem["labels"], problem["kernel"], problem["C"])
    return Solution(problem, m.steps, SVMAnswer(m.w, m.b, m.alphas, m.support, m.margin, m.steps[-1].result))  # type: ignore[attr-defined]


register(Kind(name="svm", topic=TOPIC, summary="hard- or soft-margin SVM through its dual, exactly (MML 12)",
              fields=(Field("data", _rows("the data"), "the points, one row each, e.g. '[[1,1],[2,2],[0,0]]'"),
                      Field("labels", _numbers("the labels"), "the labels +1/-1, e.g. '[1,1,-1]'"),
                      Field("C", _scalar("C"), "the soft-margin constant (default: hard margin)", required=False),
                      Field("kernel", svm.parse_kernel_name, "linear, poly:d or rbf:gamma (default linear)",
                            required=False)),
              build=build_svm, solve=solve_svm))
