"""Expectations, variances and moments of one random variable (MML section 6.4).

The random variable is a pmf table, a density on a support, or a named family
(:mod:`tutor.distributions`).  Expectations are derived from the definition: a
table of ``x``, ``p(x)``, ``g(x) p(x)`` and its sum (the law of the unconscious
statistician for ``E[g(X)]``), a series for infinite discrete supports, or the
integral written out and integrated with steps (:mod:`tutor.prob_integrate`).
Variances are ``V[X] = E[X^2] − E[X]^2`` with both expectations derived, and
``V[aX + b] = a^2 V[X]`` for an affine transformation (linearity, as the book does).
A symbolic Binomial ``N`` uses linearity over N Bernoulli variables.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy

from tutor.core.answers import ExpressionAnswer, MomentsAnswer
from tutor.probability.distributions import (Assumption, RandomVariable, expression, parse_named, parse_pmf,
                             parse_support, X)
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.probability.integrals import definite_integral, density_written, widths, written
from tutor.probability.numbers import exact, same, shown, tidy
from tutor.core.steps import Note, Problem, Solution, Step

RV = sympy.Symbol("X")  # how the random variable is written in statements and --of
MAX_OPS = 200           # size bound of a density or of g(X)


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class TotalProbability(Step):
    """The given law is a distribution: its table sums (or its density integrates) to ``total``.

    For a density the substep is the integral; ``total`` is 1 unless it is being normalized.
    """

    rule: ClassVar[str] = "prob.total"
    values: tuple[sympy.Expr, ...] = ()
    probs: tuple[sympy.Expr, ...] = ()
    total: sympy.Expr

    def check(self) -> bool:
        if self.probs:
            return same(sum(exact(p) for p in self.probs), self.total)
        return same(self.substeps[0].result, self.total)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class Normalization(Step):
    """``c = 1 / ∫ f``, so that ``c f`` is a density (``density``)."""

    rule: ClassVar[str] = "prob.normalize"
    law: sympy.Expr
    integral: sympy.Expr
    constant: sympy.Expr
    density: sympy.Expr

    def check(self) -> bool:
        return same(self.constant * self.integral, 1) and same(self.constant * self.law, self.density)


@dataclass(frozen=True, kw_only=True)
class TableExpectation(Step):
    """``E[g(X)] = Σ g(x) p(x)`` over a finite table; ``terms[i] = g(values[i]) probs[i]``."""

    rule: ClassVar[str] = "expect.table"
    quantity: sympy.Expr
    var: sympy.Symbol
    g: sympy.Expr
    values: tuple[sympy.Expr, ...]
    probs: tuple[sympy.Expr, ...]
    terms: tuple[sympy.Expr, ...]
    result: sympy.Expr

    @property
    def table(self) -> sympy.ImmutableMatrix:
        """Rows x, p(x), g(x) p(x) (display)."""
        return sympy.ImmutableMatrix([self.values, self.probs, self.terms])

    def check(self) -> bool:
        return all(same(self.g.subs(self.var, exact(v)) * exact(p), t)
                   for v, p, t in zip(self.values, self.probs, self.terms, strict=True)) \
            and same(sum(exact(t) for t in self.terms), self.result)


@dataclass(frozen=True, kw_only=True)
class SeriesExpectation(Step):
    """``E[g(X)] = Σ_{k=lower}^{upper} g(k) p(k)``, a series evaluated in closed form."""

    rule: ClassVar[str] = "expect.series"
    quantity: sympy.Expr
    var: sympy.Symbol
    summand: sympy.Expr
    lower: sympy.Expr
    upper: sympy.Expr
    result: sympy.Expr
    family: str = ""  # the named distribution, whose standard series the template names
    param: Any = None  # its parameter (as the user wrote it)

    def check(self) -> bool:
        return same(_series(self.summand, self.var, self.lower, self.upper), self.result)


@dataclass(frozen=True, kw_only=True)
class IntegralExpectation(Step):
    """``E[g(X)] = ∫ g(x) p(x) dx``; the substep evaluates the integral."""

    rule: ClassVar[str] = "expect.integral"
    quantity: sympy.Expr
    var: sympy.Symbol
    g: sympy.Expr
    law: sympy.Expr
    lower: sympy.Expr
    upper: sympy.Expr
    result: sympy.Expr
    # g(x) p(x) as a teacher writes it for a named law (a Gaussian's x · 1/√(2πσ²) · exp(...), a
    # Beta law's x · Γ(α + β)/(Γ(α)Γ(β)) · x^(α−1)(1 − x)^(β−1)), a Product equal to g * law;
    # None where sympy's form is the one to show
    written: sympy.Expr | None = None

    def check(self) -> bool:
        inner = self.substeps[0]
        if self.written is not None and not same(self.written.doit(), self.g * self.law):
            return False
        return same(inner.integrand, self.g * self.law) and same(inner.result, self.result)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class BinomialLinearity(Step):
    """``X = X_1 + ... + X_N`` with independent Bernoulli(μ) ``X_i``: E[X] = Nμ, V[X] = Nμ(1−μ)."""

    rule: ClassVar[str] = "expect.binomial_linearity"
    n: sympy.Expr
    mu: sympy.Expr
    mean: sympy.Expr
    variance: sympy.Expr

    def check(self) -> bool:
        for n in range(1, 6):  # against the definition, for small N
            probs = [sympy.binomial(n, k) * self.mu**k * (1 - self.mu)**(n - k) for k in range(n + 1)]
            m1 = sum(k * p for k, p in enumerate(probs))
            m2 = sum(k * k * p for k, p in enumerate(probs))
            if not (same(self.mean.subs(self.n, n), m1) and same(self.variance.subs(self.n, n), m2 - m1**2)):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class AffineExpectation(Step):
    """Linearity: ``E[aX + b] = a E[X] + b``; the substep derives E[X]."""

    rule: ClassVar[str] = "expect.linearity"
    quantity: sympy.Expr
    a: sympy.Expr
    b: sympy.Expr
    mean: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        return same(exact(self.a) * exact(self.mean) + exact(self.b), self.result) and same(self.substeps[0].result, self.mean)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class VarianceFormula(Step):
    """``V[Y] = E[Y^2] − E[Y]^2``; the substeps derive E[Y] and E[Y^2].

    ``common`` is the difference over one denominator, ``(a, b, d)`` for ``(a − b)/d`` with
    a and b factored (a Beta law's ``α(α+1)(α+β) − α²(α+β+1)``), and ``expanded`` the two
    numerators multiplied out where they are not numbers: the work a student does between the
    two fractions and the answer, written instead of skipped.
    """

    rule: ClassVar[str] = "var.formula"
    quantity: sympy.Expr
    mean: sympy.Expr
    second: sympy.Expr
    result: sympy.Expr
    common: tuple[sympy.Expr, sympy.Expr, sympy.Expr] | None = None
    expanded: tuple[sympy.Expr, sympy.Expr] | None = None

    def check(self) -> bool:
        m, s = (st.result for st in self.substeps)  # type: ignore[attr-defined]
        difference = exact(self.second) - exact(self.mean)**2
        if self.common is not None:
            a, b, d = self.common
            if not same((a - b) / d, difference):
                return False
            if self.expanded is not None and not same(self.expanded[0] - self.expanded[1], a - b):
                return False
        return same(m, self.mean) and same(s, self.second) and same(difference, self.result)


def _over_one_denominator(second: sympy.Expr, mean: sympy.Expr
                          ) -> tuple[tuple[sympy.Expr, sympy.Expr, sympy.Expr], tuple[sympy.Expr, sympy.Expr] | None] | None:
    """``E[Y²] − E[Y]²`` as ``(a − b)/d`` when the two have different denominators (else None:
    the difference is in plain sight), with a and b multiplied out when they are not numbers."""
    if not (second.is_rational_function() and mean.is_rational_function()):
        return None
    a, d1 = sympy.fraction(sympy.factor(second))
    b, d2 = sympy.fraction(sympy.factor(mean**2))
    if d1 == d2:
        return None
    d = sympy.factor(sympy.lcm(d1, d2))
    a, b = sympy.factor(a * sympy.cancel(d / d1)), sympy.factor(b * sympy.cancel(d / d2))
    expanded = None if a.is_number and b.is_number else (sympy.expand(a), sympy.expand(b))
    return (a, b, d), expanded


@dataclass(frozen=True, kw_only=True)
class AffineVariance(Step):
    """``V[aX + b] = a^2 V[X]``; the substep derives V[X]."""

    rule: ClassVar[str] = "var.affine"
    quantity: sympy.Expr
    a: sympy.Expr
    b: sympy.Expr
    variance: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        return same(exact(self.a)**2 * exact(self.variance), self.result) and same(self.substeps[0].result, self.variance)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class FromLinearity(Step):
    """A moment read off a :class:`BinomialLinearity` step (its substep)."""

    rule: ClassVar[str] = "expect.from_linearity"
    quantity: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        inner = self.substeps[0]
        return same(self.result, inner.mean) or same(self.result, inner.variance)  # type: ignore[attr-defined]


def _series(summand: sympy.Expr, k: sympy.Symbol, lower: sympy.Expr, upper: sympy.Expr) -> sympy.Expr:
    """A series in closed form; sympy's convergence branch is taken (its condition is assumed).

    Multiplied out, term by term when every term's series has a finite sum: sympy's search of
    the whole summand ((k − 1)² 0.2 · 0.8^(k−1)) for a telescoping form took seconds."""
    terms = sympy.Add.make_args(sympy.expand(summand))
    value = sympy.Add(*(_closed_sum(t, k, lower, upper) for t in terms)) if len(terms) > 1 else None
    if value is None or value.has(sympy.Sum, sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        value = _closed_sum(summand, k, lower, upper)
    value = sympy.simplify(value)
    if value.has(sympy.Sum):
        raise TutorError(f"cannot sum the series of {summand} in closed form")
    return value


def _closed_sum(summand: sympy.Expr, k: sympy.Symbol, lower: sympy.Expr, upper: sympy.Expr) -> sympy.Expr:
    value = sympy.piecewise_fold(sympy.summation(summand, (k, lower, upper)))
    return value.args[0].expr if isinstance(value, sympy.Piecewise) else value


# ---------------------------------------------------------------- derivations

def _notes(rv: RandomVariable) -> list[Step]:
    """What the derivation assumes: the parameters' ranges, decimals read exactly, the law."""
    notes: list[Step] = [Note(key="assume_" + a.key, values={"symbol": a.symbol}) for a in rv.assumptions]
    if rv.decimal:
        notes.append(Note(key="decimals"))
    if rv.family:
        notes.append(Note(key="law", values={"family": rv.family, "params": rv.params,
                                             "var": rv.var, "law": rv.user(rv.law),
                                             "lower": rv.lower, "upper": rv.user(rv.upper),
                                             "discrete": rv.discrete,
                                             # the parameters as the user typed them (decimals
                                             # as decimals), and 1 - p of a success probability p
                                             "shown": tuple(shown(exact(p), rv.decimal) for p in rv.params),
                                             "complement": shown(1 - exact(rv.params[-1]), rv.decimal)
                                             if rv.family in ("Bernoulli", "Binomial") else None}))
    return notes


def expectation_step(rv: RandomVariable, g: sympy.Expr) -> Step:
    """``E[g(X)]`` from the definition; ``g`` is in ``rv.var``."""
    quantity = rv.user(g.subs(rv.var, RV))
    if rv.form == "table":
        terms = [g.subs(rv.var, v) * p for v, p in zip(rv.values, rv.probs)]
        terms = [sympy.simplify(t) if t.free_symbols else t for t in terms]
        result = tidy(sympy.simplify(sum(terms))) if rv.params and any(
            p.free_symbols for p in rv.probs) else sum(terms)
        d = rv.decimal
        return TableExpectation(quantity=quantity, var=rv.var, g=g,
                                values=tuple(shown(v, d) for v in rv.values),
                                probs=tuple(shown(p, d) for p in rv.probs),
                                terms=tuple(shown(t, d) for t in terms), result=shown(result, d))
    if rv.form == "series":
        if rv.upper.free_symbols:
            return _binomial_moment(rv, g, quantity)
        summand = g * rv.law
        return SeriesExpectation(quantity=quantity, var=rv.var, summand=summand, lower=rv.lower,
                                 upper=rv.upper, result=_series(summand, rv.var, rv.lower, rv.upper),
                                 family=rv.family, param=rv.params[0] if rv.params else None)
    inner = definite_integral(g * rv.law, rv.var, rv.lower, rv.upper)
    written = density_written(g, rv.law, rv.var) if rv.family in ("Gaussian", "Beta") else None
    return IntegralExpectation(quantity=quantity, var=rv.var, g=g, law=rv.law, lower=rv.lower,
                               upper=rv.upper, result=tidy(inner.result), written=written,
                               substeps=(inner,))  # type: ignore[attr-defined]


def _binomial_moment(rv: RandomVariable, g: sympy.Expr, quantity: sympy.Expr) -> Step:
    """E[X] or E[X^2] of a Binomial with symbolic N, by linearity over Bernoulli variables."""
    n, mu = rv.upper, _param(rv, 1)
    mean, variance = n * mu, n * mu * (1 - mu)
    lin = BinomialLinearity(n=n, mu=mu, mean=mean, variance=variance)
    k = rv.var
    if same(g, k):
        return FromLinearity(quantity=quantity, result=mean, substeps=(lin,))
    raise TutorError("with a symbolic N, only the mean and the variance of a Binomial are derived "
                     "(by linearity); give a number for N to use --of")


def _param(rv: RandomVariable, i: int) -> sympy.Expr:
    """The i-th parameter with internal symbols (the user's symbols mapped forward)."""
    forward = {v: k for k, v in rv.restore.items()}
    return exact(rv.params[i]).xreplace(forward)


def _affine(g: sympy.Expr, var: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(a, b)`` when ``g = a var + b`` with a constant ``a``, else None."""
    poly = sympy.Poly(g, var) if g.is_polynomial(var) else None
    if poly is None or poly.degree() > 1:
        return None
    return poly.coeff_monomial(var), poly.coeff_monomial(1)


def _mean_step(rv: RandomVariable, g: sympy.Expr) -> Step:
    """E[g(X)], by linearity when g is affine and not X itself (the book's way)."""
    aff = _affine(g, rv.var)
    if aff is not None and not (aff[0] == 1 and aff[1] == 0) and aff[0] != 0:
        a, b = aff
        inner = expectation_step(rv, rv.var)
        # the last line in the answer's form (a uniform law's 3(a + b)/2 - 1 as (3a + 3b - 2)/2,
        # as the answer is written), not a form of its own; a, b and the result in the internal
        # symbols of the mean, so that the check compares like with like
        result = _as_taught(rv, sympy.expand(a * exact(inner.result) + b), internal=True)
        return AffineExpectation(quantity=rv.user(g.subs(rv.var, RV)), a=a, b=b,
                                 mean=inner.result, result=shown(result, rv.decimal),
                                 substeps=(inner,))  # type: ignore[attr-defined]
    return expectation_step(rv, g)


def variance_step(rv: RandomVariable, g: sympy.Expr) -> Step:
    """V[g(X)]: ``a^2 V[X]`` for affine g, else ``E[g^2] − E[g]^2`` with both derived."""
    aff = _affine(g, rv.var)
    if aff is not None and not (aff[0] == 1 and aff[1] == 0) and aff[0] != 0:
        a, b = aff
        inner = variance_step(rv, rv.var)
        result = tidy(a**2 * exact(inner.result))
        for width in widths(rv.law):
            result = written(result, width)
        # a, b in the internal symbols of V[X], as in E[aX + b]: the check compares like with like
        return AffineVariance(quantity=rv.user(g.subs(rv.var, RV)), a=a, b=b,
                              variance=inner.result, result=shown(result, rv.decimal),
                              substeps=(inner,))  # type: ignore[attr-defined]
    quantity = rv.user(g.subs(rv.var, RV))
    if rv.form == "series" and rv.upper.free_symbols:
        lin = _binomial_moment(rv, g, quantity).substeps[0]
        return FromLinearity(quantity=quantity, result=lin.variance, substeps=(lin,))  # type: ignore[attr-defined]
    first = expectation_step(rv, g)
    second = expectation_step(rv, sympy.expand(g**2) if g.is_polynomial(rv.var) else g**2)
    m, s = exact(first.result), exact(second.result)  # type: ignore[attr-defined]
    difference = s - m**2
    # a rational function of the parameters is put in lowest terms by cancel (tidy factors
    # it), at a fraction of simplify's cost; anything else (Γ, e^λ, ...) is simplified
    result = tidy(sympy.cancel(difference) if difference.is_rational_function()
                  else sympy.simplify(difference))
    for width in widths(rv.law):  # (b − a)²/12 of a uniform law, not (a − b)²/12
        result = written(result, width)
    common = None if rv.decimal else _over_one_denominator(second.result, first.result)  # type: ignore[attr-defined]
    return VarianceFormula(quantity=quantity, mean=first.result, second=second.result,  # type: ignore[attr-defined]
                           result=shown(result, rv.decimal), substeps=(first, second),
                           common=common and common[0], expanded=common and common[1])


# ---------------------------------------------------------------- inputs

def _density(pdf: sympy.Expr, support: tuple[sympy.Expr, sympy.Expr], normalize: bool
             ) -> tuple[RandomVariable, Step]:
    """A density on its support: parameters made positive, non-negative, integrating to 1."""
    pdf = exact(pdf)
    if sympy.count_ops(pdf) > MAX_OPS:
        raise TutorError(f"the density is too large (more than {MAX_OPS} operations)")
    symbols = sorted(pdf.free_symbols, key=str)
    named = {s.name: s for s in symbols}
    var = named.get("x") or (symbols[0] if len(symbols) == 1 else None)
    if var is None and symbols:
        raise TutorError("the density must be a function of x (other symbols are positive parameters)")
    restore = {sympy.Symbol(s.name, positive=True): s for s in symbols if s != var}
    law = pdf.xreplace({v: k for k, v in restore.items()} | ({var: X} if var is not None else {}))
    assumptions = tuple(Assumption(s, "positive") for s in restore.values())
    lower, upper = support
    _check_nonnegative(law, lower, upper)
    total = _integral(law, lower, upper)
    value = total.result  # type: ignore[attr-defined]
    if normalize:
        if not (value.is_positive or (value.free_symbols and value.is_positive is not False)):
            raise TutorError(f"the density integrates to {value}: it cannot be normalized")
        c = sympy.simplify(1 / value)
        density = sympy.simplify(c * law)
        rv = RandomVariable(form="density", var=X, law=density, lower=lower, upper=upper,
                            assumptions=assumptions, restore=restore)
        return rv, Normalization(law=law, integral=value, constant=c, density=density, substeps=(total,))
    if not same(value, 1):
        raise TutorError(f"the density integrates to {value.xreplace(restore)} over the support, "
                         "not 1 (use --normalize to derive the constant)")
    rv = RandomVariable(form="density", var=X, law=law, lower=lower, upper=upper,
                        assumptions=assumptions, restore=restore)
    return rv, TotalProbability(total=sympy.S.One, substeps=(total,))


_INTEGRALS: dict[tuple, Step] = {}


def _integral(law: sympy.Expr, lower: sympy.Expr, upper: sympy.Expr) -> Step:
    """The total-probability integral, cached: build validates with it and solve shows it."""
    key = (law, lower, upper)
    if key not in _INTEGRALS:
        if len(_INTEGRALS) > 256:
            _INTEGRALS.clear()
        _INTEGRALS[key] = definite_integral(law, X, lower, upper)
    return _INTEGRALS[key]


def _check_nonnegative(law: sympy.Expr, lower: sympy.Expr, upper: sympy.Expr) -> None:
    """Sample the density (parameters at 1) across the support; a negative value is an error."""
    f = law.xreplace({s: 1 for s in law.free_symbols if s != X})
    if lower.is_finite and upper.is_finite:
        points = [lower + (upper - lower) * sympy.Rational(i, 24) for i in range(1, 24)]
    else:
        start = lower if lower.is_finite else (upper if upper.is_finite else sympy.S.Zero)
        steps = [sympy.Rational(i, 4) for i in range(1, 12)] + [sympy.Integer(2)**i for i in range(2, 8)]
        points = ([start + t for t in steps] if upper.is_infinite else []) + \
                 ([start - t for t in steps] if lower.is_infinite else [])
    for p in points:
        v = f.subs(X, p)
        try:
            negative = bool(sympy.N(v) < 0)
        except TypeError:
            raise TutorError(f"the density is not a real function on the support (at x = {p}: {v})") from None
        if negative:
            raise TutorError(f"the density is negative at x = {p} (value {v})")


def _of(text: Any, rv: RandomVariable) -> sympy.Expr:
    """``g(X)`` of --of, with X (or x) the random variable and the distribution's parameters."""
    g = exact(expression(text, "--of"))
    if sympy.count_ops(g) > MAX_OPS:
        raise TutorError(f"g(X) is too large (more than {MAX_OPS} operations)")
    forward = {v: k for k, v in rv.restore.items()}
    mapping = {}
    for s in g.free_symbols:
        if s.name in ("X", "x"):
            mapping[s] = rv.var
        elif s in forward:
            mapping[s] = forward[s]
        else:
            raise TutorError(f"--of uses {s}: write g(X) with X and the distribution's parameters")
    return g.xreplace(mapping)


def build_variable(distribution: RandomVariable | None = None, pmf: RandomVariable | None = None,
                   pdf: sympy.Expr | None = None, support: tuple | None = None,
                   normalize: bool = False) -> tuple[RandomVariable, Step | None]:
    """Exactly one of a named distribution, a pmf table or a density with its support."""
    given = [n for n, v in (("a distribution", distribution), ("--pmf", pmf), ("--pdf", pdf)) if v is not None]
    if len(given) != 1:
        raise TutorError("give one of: a named distribution (e.g. 'Binomial(10, 1/3)'), --pmf, "
                         "or --pdf with --support" + (f" (got {' and '.join(given)})" if given else ""))
    if support is not None and pdf is None:
        raise TutorError("--support goes with --pdf")
    if normalize and pdf is None:
        raise TutorError("--normalize goes with --pdf")
    if pdf is not None:
        if support is None:
            raise TutorError("a density needs its support, e.g. --support '0,1'")
        return _density(pdf, support, normalize)
    if pmf is not None:
        return pmf, TotalProbability(values=pmf.values, probs=pmf.probs, total=sympy.S.One)
    return distribution, None  # type: ignore[return-value]


def _make_builder(kind: str) -> Any:
    """The build of a one-variable kind: the variable, its validation step, g (default X)."""
    def build(distribution: RandomVariable | None = None, pmf: RandomVariable | None = None,
              pdf: sympy.Expr | None = None, support: tuple | None = None,
              normalize: bool = False, of: Any = None) -> Problem:
        rv, validation = build_variable(distribution, pmf, pdf, support, normalize)
        g = _of(of, rv) if of is not None else rv.var
        return Problem(kind, {"rv": rv, "validation": validation, "g": g,
                              "quantity": rv.user(g.subs(rv.var, RV))})
    return build


def variable_prelude(problem: Problem) -> list[Step]:
    """The steps before the derivation: the notes on the variable, then its validation.

    Shared by every kind built with :func:`build_variable` (here and in transforms), so
    they all open the same way.
    """
    rv, validation = problem["rv"], problem["validation"]
    return _notes(rv) + ([validation] if validation is not None else [])


def solve_expectation(problem: Problem) -> Solution:
    rv = problem["rv"]
    step = _mean_step(rv, problem["g"])
    return Solution(problem, tuple(variable_prelude(problem) + [step]),
                    ExpressionAnswer(_as_taught(rv, rv.user(step.result))))  # type: ignore[attr-defined]


def solve_variance(problem: Problem) -> Solution:
    rv = problem["rv"]
    step = variance_step(rv, problem["g"])
    return Solution(problem, tuple(variable_prelude(problem) + [step]),
                    ExpressionAnswer(_as_taught(rv, rv.user(step.result))))  # type: ignore[attr-defined]


def solve_moments(problem: Problem) -> Solution:
    rv = problem["rv"]
    step = variance_step(rv, rv.var)
    mean = step.mean if isinstance(step, VarianceFormula) else step.substeps[0].mean  # type: ignore[attr-defined]
    # rv.user rebuilds the expression, and sympy distributes a number over a sum again
    # ((a + b)/2 -> a/2 + b/2): factor it back for the answer as a teacher writes it.
    return Solution(problem, tuple(variable_prelude(problem) + [step]),
                    MomentsAnswer(mean=_as_taught(rv, _factored(rv.user(mean))),
                                  variance=_as_taught(rv, _factored(rv.user(step.result)))))  # type: ignore[attr-defined]


def _factored(value: sympy.Expr) -> sympy.Expr:
    """``value`` factored when it has symbols (``(a + b)/2``), numbers as they are."""
    return tidy(value) if isinstance(value, sympy.Expr) and value.free_symbols else value


def _as_taught(rv: RandomVariable, value: Any, internal: bool = False) -> Any:
    """An answer of a uniform law with symbolic ends as a teacher writes it: factored (``rv.user``
    spreads ``(a + b)/2`` into ``a/2 + b/2`` again) and with its width ``b − a`` whole.
    ``value`` is in the user's symbols, or in the internal ones with ``internal``."""
    for width in widths(rv.law):
        value = written(_factored(value), width if internal else rv.user(width))
    return value


def _parse_pdf(value: Any) -> sympy.Expr:
    return expression(value, "the density")


#: The inputs that describe one random variable, as :func:`build_variable` reads them;
#: shared with the kinds of other modules that take a variable (transforms).
DISTRIBUTION_FIELDS = (
    Field("distribution", parse_named, "a named distribution, e.g. 'Binomial(10, 1/3)', "
          "'Gaussian(\\mu, \\sigma^2)'", positional=True, required=False),
    Field("pmf", parse_pmf, "a pmf table, e.g. '0: 1/4, 1: 1/2, 2: 1/4'", required=False),
    Field("pdf", _parse_pdf, "a density in x, e.g. '2x' (with --support)", required=False),
    Field("support", parse_support, "the support of the density, e.g. '0,1' or '0,oo'",
          required=False),
    Field("normalize", bool, "derive the constant that makes --pdf a density", required=False,
          flag=True, default=False),
)
_OF = Field("of", lambda v: v, "a function g(X) of the variable, e.g. 'X^2' or '2X + 3'",
            required=False)

register(Kind(name="expectation", topic="probability",
              summary="expected value E[X] or E[g(X)] from the definition",
              fields=DISTRIBUTION_FIELDS + (_OF,), build=_make_builder("expectation"),
              solve=solve_expectation))
register(Kind(name="variance", topic="probability",
              summary="variance V[X] = E[X^2] - E[X]^2 (or of g(X))",
              fields=DISTRIBUTION_FIELDS + (_OF,), build=_make_builder("variance"),
              solve=solve_variance))
register(Kind(name="moments", topic="probability",
              summary="mean and variance of a distribution from the definition",
              fields=DISTRIBUTION_FIELDS, build=_make_builder("moments"), solve=solve_moments))
