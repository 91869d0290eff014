"""One EM iteration for a one-dimensional Gaussian mixture (MML 11.2-11.3).

E-step: the responsibilities ``r_nk = π_k N(x_n | μ_k, σ_k²) / Σ_j π_j N(x_n | μ_j, σ_j²)``.
M-step, in the book's order: ``N_k = Σ_n r_nk``, the means ``μ_k = (1/N_k) Σ_n r_nk x_n``, the
variances with the *new* means ``σ_k² = (1/N_k) Σ_n r_nk (x_n − μ_k)²``, the weights
``π_k = N_k / N``.  Then the log-likelihood ``Σ_n log Σ_k π_k N(x_n | μ_k, σ_k²)`` before
and after the step (EM never decreases it).

Exponentials make exact values unreadable, so the numbers are decimals: computed with
30 significant digits, shown (and written in JSON) with 4 significant digits.  Each step
recomputes its result from its inputs at that precision.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import mpmath
import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import decimal_text
from tutor.core.errors import TutorError
from tutor.core.steps import Step, to_jsonable

DIGITS = 30        # working precision
MAX_POINTS = 100
MAX_COMPONENTS = 6


def decimal(value: Any) -> sympy.Float:
    return sympy.Float(sympy.N(value, DIGITS), DIGITS)


def _mp(value: sympy.Expr) -> mpmath.mpf:
    """An exact input (a rational, or a surd) at the working precision."""
    return sympy.N(value, DIGITS + 5)._to_mpmath(mpmath.mp.prec)


def _mp_density(x: mpmath.mpf, mean: mpmath.mpf, variance: mpmath.mpf) -> mpmath.mpf:
    return mpmath.exp(-(x - mean) ** 2 / (2 * variance)) / mpmath.sqrt(2 * mpmath.pi * variance)


def _float(value: mpmath.mpf) -> sympy.Float:
    return sympy.Float(value, DIGITS)


def text(value: Any) -> Any:
    """Decimals written with the shown digits (:func:`decimal_text`), in nested values too."""
    if isinstance(value, sympy.MatrixBase):
        return [[text(value[i, j]) for j in range(value.cols)] for i in range(value.rows)]
    if isinstance(value, (tuple, list)):
        return [text(v) for v in value]
    return decimal_text(value) if isinstance(value, sympy.Float) else to_jsonable(value)


def density(x: sympy.Expr, mean: sympy.Expr, variance: sympy.Expr) -> sympy.Expr:
    """``N(x | mean, variance)``, exactly."""
    return sympy.exp(-(x - mean) ** 2 / (2 * variance)) / sympy.sqrt(2 * sympy.pi * variance)


def _close(a: Any, b: Any) -> bool:
    return abs(sympy.N(a - b, DIGITS)) <= sympy.Float(10, DIGITS) ** -(DIGITS - 8) * (1 + abs(sympy.N(b, DIGITS)))


def _all_close(a: Sequence[Any], b: Sequence[Any]) -> bool:
    return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))


class _Decimals(Step):
    """A step whose decimals are written with the shown digits in JSON."""

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        return {k: (text(getattr(self, k)) if k not in ("rule", "substeps") else v) for k, v in out.items()}


@dataclass(frozen=True, kw_only=True)
class Responsibilities(_Decimals):
    """The E-step: ``weighted[n, k] = π_k N(x_n | μ_k, σ_k²)`` and ``r[n, k]`` = that over its row sum."""

    rule: ClassVar[str] = "em.responsibilities"
    data: tuple[sympy.Expr, ...]
    weights: tuple[sympy.Expr, ...]
    means: tuple[sympy.Expr, ...]
    variances: tuple[sympy.Expr, ...]
    weighted: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        for n, x in enumerate(self.data):
            row = [p * density(x, m, v) for p, m, v in zip(self.weights, self.means, self.variances)]
            total = sum(row)
            if not (_all_close(list(self.weighted.row(n)), row)
                    and _all_close(list(self.result.row(n)), [e / total for e in row])):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class Counts(_Decimals):
    """``N_k = Σ_n r_nk`` (the column sums)."""

    rule: ClassVar[str] = "em.counts"
    responsibilities: ImmutableMatrix
    result: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        r = self.responsibilities
        return _all_close(self.result, [sum(r.col(k)) for k in range(r.cols)])


@dataclass(frozen=True, kw_only=True)
class UpdateMeans(_Decimals):
    """``μ_k = (1/N_k) Σ_n r_nk x_n``."""

    rule: ClassVar[str] = "em.means"
    data: tuple[sympy.Expr, ...]
    responsibilities: ImmutableMatrix
    counts: tuple[sympy.Expr, ...]
    result: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        r = self.responsibilities
        return _all_close(self.result, [sum(r[n, k] * x for n, x in enumerate(self.data)) / self.counts[k]
                                        for k in range(r.cols)])


@dataclass(frozen=True, kw_only=True)
class UpdateVariances(_Decimals):
    """``σ_k² = (1/N_k) Σ_n r_nk (x_n − μ_k)²`` with the updated means."""

    rule: ClassVar[str] = "em.variances"
    data: tuple[sympy.Expr, ...]
    responsibilities: ImmutableMatrix
    counts: tuple[sympy.Expr, ...]
    means: tuple[sympy.Expr, ...]
    result: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        r = self.responsibilities
        return _all_close(self.result, [
            sum(r[n, k] * (x - self.means[k]) ** 2 for n, x in enumerate(self.data)) / self.counts[k]
            for k in range(r.cols)])


@dataclass(frozen=True, kw_only=True)
class UpdateWeights(_Decimals):
    """``π_k = N_k / N``."""

    rule: ClassVar[str] = "em.weights"
    counts: tuple[sympy.Expr, ...]
    n: int
    result: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        return _all_close(self.result, [c / self.n for c in self.counts]) and _close(sum(self.result), 1)


@dataclass(frozen=True, kw_only=True)
class LogLikelihood(_Decimals):
    """``Σ_n log Σ_k π_k N(x_n | μ_k, σ_k²)`` before and after the step; it did not decrease."""

    rule: ClassVar[str] = "em.log_likelihood"
    data: tuple[sympy.Expr, ...]
    before: tuple[tuple[sympy.Expr, ...], tuple[sympy.Expr, ...], tuple[sympy.Expr, ...]]
    after: tuple[tuple[sympy.Expr, ...], tuple[sympy.Expr, ...], tuple[sympy.Expr, ...]]
    values: tuple[sympy.Expr, sympy.Expr]

    def check(self) -> bool:
        return _all_close(self.values, [log_likelihood(self.data, *self.before),
                                        log_likelihood(self.data, *self.after)]) \
            and self.values[1] >= self.values[0] - sympy.Float(10, DIGITS) ** -(DIGITS - 8)


def log_likelihood(data: Sequence[sympy.Expr], weights: Sequence[sympy.Expr], means: Sequence[sympy.Expr],
                   variances: Sequence[sympy.Expr]) -> sympy.Float:
    return decimal(sum(sympy.log(sum(p * density(x, m, v) for p, m, v in zip(weights, means, variances)))
                       for x in data))


@dataclass(frozen=True)
class Iteration:
    steps: tuple[Step, ...]
    weights: tuple[sympy.Expr, ...]
    means: tuple[sympy.Expr, ...]
    variances: tuple[sympy.Expr, ...]
    responsibilities: ImmutableMatrix
    log_likelihood: tuple[sympy.Expr, sympy.Expr]


def validate(data: Sequence[sympy.Expr], weights: Sequence[sympy.Expr], means: Sequence[sympy.Expr],
             variances: Sequence[sympy.Expr]) -> None:
    K = len(weights)
    if not 1 <= len(data) <= MAX_POINTS:
        raise TutorError(f"the data need 1 to {MAX_POINTS} points, not {len(data)}")
    if not 1 <= K <= MAX_COMPONENTS:
        raise TutorError(f"a mixture of 1 to {MAX_COMPONENTS} components, not {K}")
    if len(means) != K or len(variances) != K:
        raise TutorError(f"{K} weights but {len(means)} means and {len(variances)} variances: "
                         "give one of each per component")
    if any(not w > 0 for w in weights) or sympy.nsimplify(sum(weights)) != 1:
        raise TutorError(f"the weights must be positive and sum to 1, not {', '.join(map(str, weights))}")
    if any(not v > 0 for v in variances):
        raise TutorError(f"the variances must be positive, not {', '.join(map(str, variances))}")


def em_step(data: Sequence[sympy.Expr], weights: Sequence[sympy.Expr], means: Sequence[sympy.Expr],
            variances: Sequence[sympy.Expr]) -> Iteration:
    """One EM iteration with its steps."""
    validate(data, weights, means, variances)
    data, weights, means, variances = (tuple(v) for v in (data, weights, means, variances))
    N, K = len(data), len(weights)
    with mpmath.workdps(DIGITS):  # the computation in mpmath; the steps' checks recompute with sympy
        x, pi, mu, var = ([_mp(v) for v in values] for values in (data, weights, means, variances))
        w = [[pi[k] * _mp_density(x[n], mu[k], var[k]) for k in range(K)] for n in range(N)]
        if any(sum(row) == 0 for row in w):
            raise TutorError("a data point has zero density under every component (too far from every mean)")
        r = [[e / sum(row) for e in row] for row in w]
        n_k = [sum(row[k] for row in r) for k in range(K)]
        if any(c < mpmath.mpf(10) ** -20 for c in n_k):
            raise TutorError("a component has no responsibility for any point: its update divides by N_k = 0")
        mu_new = [sum(r[n][k] * x[n] for n in range(N)) / n_k[k] for k in range(K)]
        var_new = [sum(r[n][k] * (x[n] - mu_new[k]) ** 2 for n in range(N)) / n_k[k] for k in range(K)]
        if any(v < mpmath.mpf(10) ** -20 for v in var_new):
            raise TutorError("a component collapses onto one point (its new variance is 0)")
        pi_new = [c / N for c in n_k]
        ll = [sum(mpmath.log(sum(p * _mp_density(xn, m, v) for p, m, v in zip(*params))) for xn in x)
              for params in ((pi, mu, var), (pi_new, mu_new, var_new))]
    weighted, r = (ImmutableMatrix(N, K, lambda n, k: _float(m[n][k])) for m in (w, r))
    counts, new_means, new_variances, new_weights = (tuple(_float(v) for v in values)
                                                     for values in (n_k, mu_new, var_new, pi_new))
    ll = (_float(ll[0]), _float(ll[1]))
    steps = (
        Responsibilities(data=data, weights=weights, means=means, variances=variances, weighted=weighted, result=r),
        Counts(responsibilities=r, result=counts),
        UpdateMeans(data=data, responsibilities=r, counts=counts, result=new_means),
        UpdateVariances(data=data, responsibilities=r, counts=counts, means=new_means, result=new_variances),
        UpdateWeights(counts=counts, n=N, result=new_weights),
        LogLikelihood(data=data, before=(weights, means, variances), after=(new_weights, new_means, new_variances),
                      values=ll),
    )
    return Iteration(steps, new_weights, new_means, new_variances, r, ll)
