"""Maximum likelihood and MAP estimation of a named model's parameters (MML 8.3, 6.6.1).

A model is ``Bernoulli(μ)``, ``Binomial(N, μ)``, ``Poisson(λ)``, ``Exponential(λ)`` or
``Gaussian(μ, σ²)``: a parameter written as a symbol is unknown, a number is known.  The
derivation is the book's: the likelihood of i.i.d. data, the negative log-likelihood, its
derivatives set to zero and solved, the second-order check.  MAP does the same with the
unnormalized posterior (likelihood × prior) and then names the conjugate posterior
(Beta-Bernoulli/Binomial, Gamma-Poisson/Exponential, Gaussian-Gaussian mean).

Internally an unknown is a symbol with the assumptions of its role (a variance ``σ²`` is one
positive symbol printed ``\\sigma^{2}``), so sympy can expand the logarithms; the answer's key is
the parameter as sympy prints what the user wrote (``mu``, ``lambda``, ``sigma**2``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.probability.distributions import expression, split_top
from tutor.core.errors import TutorError
from tutor.probability.numbers import same
from tutor.core.steps import Step

X = sympy.Symbol("x")
_NAMED = re.compile(r"^\s*([A-Za-z]+)\s*\((.*)\)\s*$", re.S)
FAMILIES = {"bernoulli": "Bernoulli", "binomial": "Binomial", "poisson": "Poisson",
            "exponential": "Exponential", "gaussian": "Gaussian", "normal": "Gaussian"}
_ARITY = {"Bernoulli": 1, "Binomial": 2, "Poisson": 1, "Exponential": 1, "Gaussian": 2}
CONJUGATE = {"Bernoulli": "Beta", "Binomial": "Beta", "Poisson": "Gamma", "Exponential": "Gamma",
             "Gaussian": "Gaussian"}
MAX_DATA = 200
MAX_TRIALS = 1000


@dataclass(frozen=True)
class Parameter:
    """An unknown: ``symbol`` is what the derivation differentiates by, ``key`` names it."""

    symbol: sympy.Symbol
    key: str


@dataclass(frozen=True)
class Model:
    """A named family with its parameters (internal symbols for the unknowns)."""

    family: str
    params: tuple[sympy.Expr, ...]
    unknowns: tuple[Parameter, ...]

    def density(self, x: sympy.Expr) -> sympy.Expr:
        """p(x | θ) of one datum."""
        f, p = self.family, self.params
        if f == "Bernoulli":
            return p[0] ** x * (1 - p[0]) ** (1 - x)
        if f == "Binomial":
            return sympy.binomial(p[0], x) * p[1] ** x * (1 - p[1]) ** (p[0] - x)
        if f == "Poisson":
            return p[0] ** x * sympy.exp(-p[0]) / sympy.factorial(x)
        if f == "Exponential":
            return p[0] * sympy.exp(-p[0] * x)
        return sympy.exp(-(x - p[0]) ** 2 / (2 * p[1])) / sympy.sqrt(2 * sympy.pi * p[1])

    @property
    def written(self) -> str:
        return f"{self.family}({', '.join(sympy.latex(p) for p in self.params)})"


@dataclass(frozen=True)
class Prior:
    """A conjugate prior: ``family`` Beta, Gamma or Gaussian with numeric hyperparameters."""

    family: str
    params: tuple[sympy.Expr, ...]

    def kernel(self, theta: sympy.Symbol) -> sympy.Expr:
        """The prior density up to its constant."""
        a, b = self.params
        if self.family == "Beta":
            return theta ** (a - 1) * (1 - theta) ** (b - 1)
        if self.family == "Gamma":
            return theta ** (a - 1) * sympy.exp(-b * theta)
        return sympy.exp(-(theta - a) ** 2 / (2 * b))

    def density(self, theta: sympy.Symbol) -> sympy.Expr:
        a, b = self.params
        if self.family == "Beta":
            return self.kernel(theta) * sympy.gamma(a + b) / (sympy.gamma(a) * sympy.gamma(b))
        if self.family == "Gamma":
            return self.kernel(theta) * b ** a / sympy.gamma(a)
        return self.kernel(theta) / sympy.sqrt(2 * sympy.pi * b)

    @property
    def mode(self) -> sympy.Expr:
        a, b = self.params
        if self.family == "Beta":
            return (a - 1) / (a + b - 2)
        if self.family == "Gamma":
            return (a - 1) / b
        return a

    def __str__(self) -> str:
        return f"{self.family}({self.params[0]}, {self.params[1]})"


# ---------------------------------------------------------------- parsing

def _split(text: Any, what: str) -> tuple[str, list[str]]:
    if not isinstance(text, str):
        raise TutorError(f"{what} is written like Bernoulli(\\mu) or Gaussian(\\mu, 1)")
    m = _NAMED.match(text)
    if not m:
        raise TutorError(f"{what} is written like Bernoulli(\\mu) or Gaussian(\\mu, 1), not {text.strip()!r}")
    return m.group(1).lower(), [r for r in split_top(m.group(2), ",")]


def _unknown(value: sympy.Expr, role: str, family: str) -> Parameter:
    """The internal symbol of an unknown written ``value`` (a symbol; a variance may be ``σ²``)."""
    if role == "variance" and value.is_Pow and value.exp == 2 and value.base.is_Symbol:
        name = value.base.name
        return Parameter(sympy.Symbol(f"{name}^2", positive=True), str(value))
    if not value.is_Symbol:
        raise TutorError(f"{family}: an unknown parameter is one symbol (like \\mu), not {value}")
    if role == "mean":
        return Parameter(sympy.Symbol(value.name, real=True), str(value))
    return Parameter(sympy.Symbol(value.name, positive=True), str(value))


def parse_model(text: Any) -> Model:
    """``"Bernoulli(\\mu)"``, ``"Binomial(10, \\mu)"``, ``"Gaussian(\\mu, \\sigma^2)"`` ..."""
    name, raw = _split(text, "the model")
    if name not in FAMILIES:
        raise TutorError(f"unknown model {name!r}; known: Bernoulli, Binomial, Poisson, Exponential, Gaussian")
    family = FAMILIES[name]
    if len(raw) != _ARITY[family] or not all(r.strip() for r in raw):
        raise TutorError(f"{family} takes {_ARITY[family]} parameter(s), got {len(raw)}")
    values = [expression(r, f"{family}: parameter {i}") for i, r in enumerate(raw, 1)]
    roles = {"Bernoulli": ["probability"], "Binomial": ["trials", "probability"],
             "Poisson": ["rate"], "Exponential": ["rate"], "Gaussian": ["mean", "variance"]}[family]
    params, unknowns = [], []
    for value, role in zip(values, roles):
        if value.free_symbols:
            if role == "trials":
                raise TutorError("Binomial(N, \\mu): the number of trials N must be a given integer")
            p = _unknown(value, role, family)
            params.append(p.symbol)
            unknowns.append(p)
            continue
        if role == "trials" and not (value.is_Integer and 1 <= value <= MAX_TRIALS):
            raise TutorError(f"Binomial(N, \\mu): N must be an integer from 1 to {MAX_TRIALS}, not {value}")
        if role == "probability" and not (0 < value < 1):
            raise TutorError(f"{family}: a known probability must lie in (0, 1), not {value}")
        if role in ("rate", "variance") and not value > 0:
            raise TutorError(f"{family}: a known {role} must be positive, not {value}")
        params.append(value)
    if not unknowns:
        raise TutorError(f"{family}: no parameter to estimate (write the unknown as a symbol, like \\mu)")
    return Model(family, tuple(params), tuple(unknowns))


def parse_prior(text: Any) -> Prior:
    """``"Beta(2, 2)"``, ``"Gamma(2, 1)"`` (shape, rate), ``"Gaussian(0, 1)"`` (mean, variance)."""
    name, raw = _split(text, "the prior")
    family = {"beta": "Beta", "gamma": "Gamma", "gaussian": "Gaussian", "normal": "Gaussian"}.get(name)
    if family is None:
        raise TutorError(f"unknown prior {name!r}; a conjugate prior is Beta(a, b), Gamma(a, b) or Gaussian(m, s^2)")
    if len(raw) != 2:
        raise TutorError(f"{family} takes 2 parameters, got {len(raw)}")
    params = tuple(expression(r, f"{family}: parameter {i}") for i, r in enumerate(raw, 1))
    for i, p in enumerate(params):
        if p.free_symbols or not p.is_real:
            raise TutorError(f"the prior's parameters must be numbers, not {p}")
        if (family != "Gaussian" or i == 1) and not p > 0:
            raise TutorError(f"{family}: parameter {i + 1} must be positive, not {p}")
    return Prior(family, params)


def check_data(model: Model, data: tuple[sympy.Expr, ...]) -> None:
    """Each datum must lie in the model's support."""
    if not data:
        raise TutorError("no data")
    if len(data) > MAX_DATA:
        raise TutorError(f"{len(data)} data points; at most {MAX_DATA}")
    f = model.family
    for x in data:
        if f == "Bernoulli" and x not in (0, 1):
            raise TutorError(f"Bernoulli data are 0 or 1, not {x}")
        if f == "Binomial" and not (x.is_Integer and 0 <= x <= model.params[0]):
            raise TutorError(f"Binomial({model.params[0]}, ...) data are success counts from 0 to "
                             f"{model.params[0]}, not {x}")
        if f == "Poisson" and not (x.is_Integer and x >= 0):
            raise TutorError(f"Poisson data are counts 0, 1, 2, ..., not {x}")
        if f == "Exponential" and not x >= 0:
            raise TutorError(f"Exponential data are non-negative, not {x}")


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class Likelihood(Step):
    """``L(θ) = Π_n p(x_n | θ)`` for i.i.d. data; with a prior, ``prior`` is its kernel and
    ``result`` is the unnormalized posterior ``L(θ) p(θ)``."""

    rule: ClassVar[str] = "estimate.likelihood"
    density: sympy.Expr
    data: tuple[sympy.Expr, ...]
    prior: sympy.Expr | None = None
    result: sympy.Expr

    def check(self) -> bool:
        product = sympy.Mul(*[self.density.subs(X, x) for x in self.data])
        if self.prior is not None:
            product *= self.prior
        return same(product, self.result)


@dataclass(frozen=True, kw_only=True)
class NegativeLog(Step):
    """``−log`` of the likelihood (or the unnormalized posterior), logarithms expanded."""

    rule: ClassVar[str] = "estimate.negative_log"
    before: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        return same(-sympy.log(self.before), self.result)


@dataclass(frozen=True, kw_only=True)
class Stationary(Step):
    """The derivatives of ``function`` by each unknown, set to zero and solved."""

    rule: ClassVar[str] = "estimate.stationary"
    function: sympy.Expr
    unknowns: tuple[sympy.Symbol, ...]
    derivatives: tuple[sympy.Expr, ...]
    solution: tuple[sympy.Expr, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The unknowns in LaTeX (a template writes them inside a fraction)."""
        return tuple(sympy.latex(u) for u in self.unknowns)

    def check(self) -> bool:
        at = dict(zip(self.unknowns, self.solution))
        return all(same(sympy.diff(self.function, u), d)
                   and sympy.simplify(d.subs(at)) == 0
                   for u, d in zip(self.unknowns, self.derivatives))


@dataclass(frozen=True, kw_only=True)
class BoundaryMaximum(Step):
    """No stationary point inside (0, 1): the derivative of the negative log-likelihood keeps
    one sign there, so the likelihood is monotone and its maximum over the closed interval
    [0, 1] of a probability is at an end (all failures: μ̂ = 0; all successes: μ̂ = 1)."""

    rule: ClassVar[str] = "estimate.boundary"
    function: sympy.Expr
    unknown: sympy.Symbol
    derivative: sympy.Expr
    increasing: bool      # the negative logarithm increases: the likelihood decreases
    solution: tuple[sympy.Expr, ...]

    @property
    def name(self) -> str:
        """The unknown in LaTeX (a template writes it inside a fraction)."""
        return sympy.latex(self.unknown)

    @property
    def unknowns(self) -> tuple[sympy.Symbol]:
        """As a stationary point's, for the answer line."""
        return (self.unknown,)

    def check(self) -> bool:
        u, d = self.unknown, self.derivative
        inside = sympy.solveset(sympy.numer(sympy.together(d)), u, sympy.Interval.open(0, 1))
        sign = d.subs(u, sympy.Rational(1, 2))
        return same(sympy.diff(self.function, u), d) and inside == sympy.EmptySet \
            and bool(sign > 0) == self.increasing and self.solution == ((0,) if self.increasing else (1,))


@dataclass(frozen=True, kw_only=True)
class SecondOrder(Step):
    """The Hessian of ``function`` at the stationary point is positive definite: a minimum."""

    rule: ClassVar[str] = "estimate.second_order"
    function: sympy.Expr
    unknowns: tuple[sympy.Symbol, ...]
    solution: tuple[sympy.Expr, ...]
    hessian: ImmutableMatrix
    at_solution: ImmutableMatrix

    names = Stationary.names

    def check(self) -> bool:
        H = sympy.hessian(self.function, self.unknowns)
        at = dict(zip(self.unknowns, self.solution))
        value = H.subs(at).applyfunc(sympy.simplify)
        return all(same(a, b) for a, b in zip(H, self.hessian)) and value == self.at_solution \
            and all(value[:k, :k].det() > 0 for k in range(1, value.rows + 1))


@dataclass(frozen=True, kw_only=True)
class ConjugatePosterior(Step):
    """The posterior is ``posterior`` (a named density): its log differs from the log of
    likelihood × prior by a constant in θ; its mode is the MAP estimate."""

    rule: ClassVar[str] = "estimate.conjugate"
    prior: str
    posterior: str
    unnormalized: sympy.Expr
    density: sympy.Expr
    unknown: sympy.Symbol
    mode: sympy.Expr

    def check(self) -> bool:
        ratio = sympy.expand_log(sympy.log(self.density) - sympy.log(self.unnormalized), force=True)
        return same(sympy.diff(ratio, self.unknown), 0) and \
            same(sympy.diff(sympy.log(self.density), self.unknown).subs(self.unknown, self.mode), 0)


# ---------------------------------------------------------------- solving

@dataclass(frozen=True)
class Estimate:
    steps: tuple[Step, ...]
    values: dict[str, sympy.Expr]
    posterior: Prior | None = None


def _tidy(e: sympy.Expr) -> sympy.Expr:
    """One fraction, factored (factor cancels: a cancel before it only doubled the time)."""
    return sympy.factor(sympy.together(e))


def _stationary(derivatives: tuple[sympy.Expr, ...], unknowns: tuple[sympy.Symbol, ...]) -> list[dict]:
    """The zeros of the derivatives: for one unknown the roots of the numerator polynomial that
    are not poles (sympy.solve took 4 times as long), else ``sympy.solve``; also when the roots
    in radicals are not all found."""
    if len(unknowns) == 1:
        u = unknowns[0]
        numerator, denominator = sympy.fraction(sympy.together(derivatives[0]))
        if numerator.is_polynomial(u) and denominator.is_polynomial(u):
            P = sympy.Poly(numerator, u)
            found = sympy.roots(P) if P.degree() > 0 else {}
            if P.degree() > 0 and sum(found.values()) == P.degree():
                return [{u: r} for r in found if denominator.subs(u, r) != 0]
    return sympy.solve(list(derivatives), list(unknowns), dict=True)


def _negative_log(f: sympy.Expr) -> sympy.Expr:
    """−log f expanded, the terms of each log(parameter) collected (collect is the slow part:
    skipped when every such log is in one term already)."""
    nll = sympy.expand(sympy.expand_log(-sympy.log(f), force=True))
    logs = [sympy.log(s) for s in f.free_symbols]
    terms = sympy.Add.make_args(nll)
    if all(sum(1 for t in terms if t.has(g)) <= 1 for g in logs):
        return nll
    return sympy.collect(nll, logs, evaluate=True)


def _optimize(model: Model, data: tuple[sympy.Expr, ...], prior: Prior | None) -> tuple[list[Step], tuple[sympy.Expr, ...]]:
    unknowns = tuple(p.symbol for p in model.unknowns)
    density = model.density(X)
    product = sympy.powsimp(sympy.Mul(*[density.subs(X, x) for x in data]), combine="exp")
    kernel = None if prior is None else prior.kernel(unknowns[0])
    result = product if kernel is None else sympy.powsimp(product * kernel, combine="exp")
    nll = _negative_log(result)
    derivatives = tuple(_tidy(sympy.diff(nll, u)) for u in unknowns)
    roots = _stationary(derivatives, unknowns)
    roots = [r for r in roots if all(r.get(u, u).is_real and _admissible(model, u, r[u]) for u in unknowns)]
    if len(roots) != 1 or any(u not in roots[0] for u in unknowns):
        if prior is None and model.family in ("Bernoulli", "Binomial"):
            increasing = bool(derivatives[0].subs(unknowns[0], sympy.Rational(1, 2)) > 0)
            return [Likelihood(density=density, data=data, prior=kernel, result=result),
                    NegativeLog(before=result, result=nll),
                    BoundaryMaximum(function=nll, unknown=unknowns[0], derivative=derivatives[0],
                                    increasing=increasing, solution=(0,) if increasing else (1,))], \
                (sympy.Integer(0) if increasing else sympy.Integer(1),)
        raise TutorError(_no_stationary_point(model, data))
    solution = tuple(sympy.nsimplify(roots[0][u]) if roots[0][u].is_Float else roots[0][u] for u in unknowns)
    H = ImmutableMatrix(sympy.hessian(nll, unknowns).applyfunc(_tidy))
    at = ImmutableMatrix(H.subs(dict(zip(unknowns, solution))).applyfunc(sympy.simplify))
    steps: list[Step] = [
        Likelihood(density=density, data=data, prior=kernel, result=result),
        NegativeLog(before=result, result=nll),
        Stationary(function=nll, unknowns=unknowns, derivatives=derivatives, solution=solution),
        SecondOrder(function=nll, unknowns=unknowns, solution=solution, hessian=H, at_solution=at),
    ]
    return steps, solution


def _admissible(model: Model, u: sympy.Symbol, value: sympy.Expr) -> bool:
    if model.family in ("Bernoulli", "Binomial"):
        return bool(0 < value < 1)
    return bool(value.is_real and (value > 0 if u.is_positive else True))


def _no_stationary_point(model: Model, data: tuple[sympy.Expr, ...]) -> str:
    f = model.family
    if f in ("Poisson", "Exponential"):
        return f"{f} data that are all 0: the likelihood has no stationary point with a positive rate"
    return "the data do not determine the variance (all equal, or a single point): no stationary point"


def mle(model: Model, data: tuple[sympy.Expr, ...]) -> Estimate:
    """Maximum likelihood: likelihood, negative log, stationary point, second-order check."""
    check_data(model, data)
    steps, solution = _optimize(model, data, None)
    return Estimate(tuple(steps), {p.key: v for p, v in zip(model.unknowns, solution)})


def _posterior(model: Model, data: tuple[sympy.Expr, ...], prior: Prior) -> Prior:
    a, b = prior.params
    n, total = len(data), sum(data)
    if model.family == "Bernoulli":
        return Prior("Beta", (a + total, b + n - total))
    if model.family == "Binomial":
        return Prior("Beta", (a + total, b + n * model.params[0] - total))
    if model.family == "Poisson":
        return Prior("Gamma", (a + total, b + n))
    if model.family == "Exponential":
        return Prior("Gamma", (a + n, b + total))
    precision = 1 / b + n / model.params[1]
    return Prior("Gaussian", ((a / b + total / model.params[1]) / precision, 1 / precision))


def map_estimate(model: Model, prior: Prior, data: tuple[sympy.Expr, ...]) -> Estimate:
    """MAP: the same derivation on likelihood × prior, then the conjugate posterior named."""
    check_data(model, data)
    if len(model.unknowns) != 1:
        raise TutorError("map estimates one parameter: give the Gaussian's variance as a number, "
                         "e.g. Gaussian(\\mu, 1)")
    theta = model.unknowns[0].symbol
    if model.family == "Gaussian" and theta != model.params[0]:
        raise TutorError("map with a Gaussian model estimates the mean: write Gaussian(\\mu, s^2) with s^2 a number")
    if CONJUGATE[model.family] != prior.family:
        raise TutorError(f"the conjugate prior of the {model.family} parameter is a "
                         f"{CONJUGATE[model.family]} distribution, not {prior.family}")
    steps, solution = _optimize(model, data, prior)
    posterior = _posterior(model, data, prior)
    unnormalized = steps[0].result  # type: ignore[attr-defined]
    steps.append(ConjugatePosterior(prior=str(prior), posterior=str(posterior), unnormalized=unnormalized,
                                    density=posterior.density(theta), unknown=theta, mode=posterior.mode))
    if not same(posterior.mode, solution[0]):
        raise TutorError(f"the posterior {posterior} has its mode at the boundary, not at a stationary point")
    return Estimate(tuple(steps), {model.unknowns[0].key: solution[0]}, posterior)
