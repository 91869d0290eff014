"""Mistakes of probability: moments of a table, Bayes' theorem, joint tables, Gaussians, sample statistics."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import expression, mistakes, redo, redo_solution, tidy
from tutor.probability.gaussians import gaussian_density
from tutor.topics.transforms import Y, DensityAnswer, DensityTransform


def _table(inputs: dict[str, Any]) -> tuple[tuple[sympy.Expr, ...], tuple[sympy.Expr, ...], sympy.Expr, sympy.Symbol]:
    rv = inputs["rv"]
    if rv.form != "table":
        raise ValueError("a table is needed")
    return rv.values, rv.probs, sympy.sympify(inputs["g"]), rv.var


def _moment(inputs: dict[str, Any], power: int = 1, weighted: bool = True, swapped: bool = False) -> sympy.Expr:
    """E[g(X)^power]: a table summed, a pmf summed over its integers, a density integrated over
    its support (from its upper end to its lower one, ``swapped``); not ``weighted``: the table's
    values averaged, or a density left out of the integral."""
    rv, g = inputs["rv"], sympy.sympify(inputs["g"])
    if rv.form == "table":
        if swapped:
            raise ValueError("a table has no limits")
        values, probs, g, x = _table(inputs)
        if not weighted:
            return sympy.Add(*(g.subs(x, v) ** power for v in values)) / len(values)
        return sympy.Add(*(p * g.subs(x, v) ** power for v, p in zip(values, probs)))
    term = g ** power * (rv.law if weighted else 1)
    ends = (rv.upper, rv.lower) if swapped else (rv.lower, rv.upper)
    if rv.form == "density":
        value = sympy.integrate(term, (rv.var, *ends))
    elif weighted and not swapped:
        value = sympy.summation(term, (rv.var, *ends))
    else:
        raise ValueError("a pmf is summed, with its probabilities")
    if value.has(sympy.Integral, sympy.Sum) or not value.is_finite:
        raise ValueError("no closed form")
    return rv.user(value)


def _unweighted(inputs: dict[str, Any], power: int = 1) -> sympy.Expr:
    """The table's values averaged without their probabilities (a table only)."""
    if inputs["rv"].form != "table":
        raise ValueError("a table is needed")
    return _moment(inputs, power, weighted=False)


def _density(inputs: dict[str, Any], power: int = 1) -> sympy.Expr:
    """∫ g(x)^power dx over the support, the density left out (a density only)."""
    if inputs["rv"].form != "density":
        raise ValueError("a density is needed")
    return _moment(inputs, power, weighted=False)


def _swapped(inputs: dict[str, Any]) -> tuple[sympy.Expr, sympy.Expr]:
    """E[g(X)] and the variance with every integral taken from the support's upper end to its lower."""
    first, second = _moment(inputs, swapped=True), _moment(inputs, 2, swapped=True)
    return first, second - first ** 2


def _slope(inputs: dict[str, Any]) -> sympy.Expr:
    g, x = sympy.sympify(inputs["g"]), inputs["rv"].var
    if not g.is_polynomial(x) or sympy.degree(g, x) != 1:
        raise ValueError("not affine")
    return g.coeff(x, 1)


mistakes("expectation",
         ("the values averaged without their probabilities",
          lambda i, k: A.ExpressionAnswer(_unweighted(i))),
         ("g(E[X]) for E[g(X)]", lambda i, k: A.ExpressionAnswer(
             sympy.sympify(i["g"]).subs(i["rv"].var, _moment({**i, "g": i["rv"].var})))),
         ("the probabilities summed against X instead of g(X)",
          lambda i, k: A.ExpressionAnswer(_moment({**i, "g": i["rv"].var}))),
         ("the density left out of the integral (∫ g(x) dx)", lambda i, k: A.ExpressionAnswer(_density(i))),
         ("the limits of the integral swapped (from the upper end to the lower)",
          lambda i, k: A.ExpressionAnswer(_swapped(i)[0])))

mistakes("variance",
         ("E[X^2] not reduced by E[X]^2", lambda i, k: A.ExpressionAnswer(_moment(i, 2))),
         ("E[X]^2 taken for E[X^2]", lambda i, k: A.ExpressionAnswer(_moment(i) ** 2 - _moment(i) ** 2)),
         ("the factor a of aX + b not squared", lambda i, k: A.ExpressionAnswer(
             _slope(i) * k.value / _slope(i) ** 2)),
         ("E[X] subtracted instead of E[X]^2", lambda i, k: A.ExpressionAnswer(_moment(i, 2) - _moment(i))),
         ("the limits of the integrals swapped (from the upper end to the lower)",
          lambda i, k: A.ExpressionAnswer(_swapped(i)[1])))

mistakes("moments",
         ("E[X^2] given as the variance", lambda i, k: A.MomentsAnswer(k.mean, _moment(i, 2))),
         ("E[X]^2 taken for E[X^2]", lambda i, k: A.MomentsAnswer(k.mean, _moment(i) ** 2 - _moment(i) ** 2)),
         ("the values averaged without their probabilities",
          lambda i, k: A.MomentsAnswer(_unweighted(i), _unweighted(i, 2) - _unweighted(i) ** 2)),
         ("the density left out of the integrals (∫ x dx, ∫ x^2 dx)",
          lambda i, k: A.MomentsAnswer(_density(i), _density(i, 2) - _density(i) ** 2)),
         ("the limits of the integrals swapped (from the upper end to the lower)",
          lambda i, k: A.MomentsAnswer(*_swapped(i))))


def _distribution(key: A.DistributionAnswer, probabilities: Any) -> A.DistributionAnswer:
    return A.DistributionAnswer(key.values, tuple(sympy.nsimplify(p) for p in probabilities))


mistakes("bayes",
         ("the prior ignored (the likelihoods normalized)", lambda i, k: redo(
             "bayes", i, priors=tuple(sympy.Rational(1, len(i["priors"])) for _ in i["priors"]))),
         ("not divided by the evidence p(D) (prior times likelihood)",
          lambda i, k: _distribution(k, (p * q for p, q in zip(i["priors"], i["likelihoods"])))),
         ("the likelihoods p(D | h) given for p(h | D) (the conditioning swapped)",
          lambda i, k: _distribution(k, i["likelihoods"])))

_OTHER = {"x": "y", "y": "x"}


def _conditional(inputs: dict[str, Any], key: A.DistributionAnswer, mistake: str) -> A.Answer:
    """p(a | b = v) = p(a, v) / p(v) with the division left out, by p(a) instead, or the condition ignored."""
    table, (axis, _, index) = inputs["table"], inputs["given"]
    line = table.line(axis, index)
    other = table.marginal(_OTHER[axis])
    if mistake == "joint":
        return _distribution(key, line)
    if mistake == "swapped":
        return _distribution(key, (p / q for p, q in zip(line, other)))
    return _distribution(key, other)


mistakes("conditional",
         ("not divided by the probability of the condition (the joint's entries)",
          lambda i, k: _conditional(i, k, "joint")),
         ("divided by the other variable's marginal (the conditioning swapped)",
          lambda i, k: _conditional(i, k, "swapped")),
         ("the marginal given (the condition ignored)", lambda i, k: _conditional(i, k, "marginal")))

mistakes("marginal",
         ("summed over the wrong variable (the other marginal)",
          lambda i, k: redo("marginal", i, of=_OTHER[i["of"]])),
         ("the probabilities averaged instead of summed",
          lambda i, k: _distribution(k, (p / len(i["table"].values(_OTHER[i["of"]])) for p in k.probabilities))))


def _expectations(inputs: dict[str, Any]) -> dict[str, sympy.Expr]:
    """E[X], E[Y], E[XY], E[X^2], E[Y^2] of a joint table, summed cell by cell."""
    t = inputs["table"]
    cells = [(x, y, t.P[r, c]) for r, x in enumerate(t.xs) for c, y in enumerate(t.ys)]
    return {name: sympy.Add(*(p * f(x, y) for x, y, p in cells)) for name, f in (
        ("X", lambda x, y: x), ("Y", lambda x, y: y), ("XY", lambda x, y: x * y),
        ("XX", lambda x, y: x * x), ("YY", lambda x, y: y * y))}


def _covariance(inputs: dict[str, Any], mistake: str) -> A.Answer:
    E = _expectations(inputs)
    return expression({"uncentred": E["XY"], "plus": E["XY"] + E["X"] * E["Y"],
                       "reversed": E["X"] * E["Y"] - E["XY"]}[mistake])


mistakes("covariance",
         ("E[X]E[Y] not subtracted (E[XY] given)", lambda i, k: _covariance(i, "uncentred")),
         ("E[X]E[Y] added instead of subtracted", lambda i, k: _covariance(i, "plus")),
         ("E[X]E[Y] - E[XY] (the difference reversed)", lambda i, k: _covariance(i, "reversed")))


def _correlation(inputs: dict[str, Any], mistake: str) -> A.Answer:
    E = _expectations(inputs)
    cov = E["XY"] - E["X"] * E["Y"]
    product = (E["XX"] - E["X"] ** 2) * (E["YY"] - E["Y"] ** 2)
    return expression({"undivided": cov, "no root": cov / product,
                       "uncentred": E["XY"] / sympy.sqrt(product)}[mistake])


mistakes("correlation",
         ("not divided by the standard deviations (the covariance given)", lambda i, k: _correlation(i, "undivided")),
         ("divided by V[X]V[Y] without the square root", lambda i, k: _correlation(i, "no root")),
         ("E[XY] for Cov[X, Y] in the numerator (E[X]E[Y] not subtracted)",
          lambda i, k: _correlation(i, "uncentred")))


def _affine(inputs: dict[str, Any], key: A.GaussianAnswer, mistake: str) -> A.Answer | None:
    M, S = sympy.Matrix(inputs["A"]), sympy.Matrix(inputs["cov"])
    if mistake == "no b":
        return A.GaussianAnswer(M * sympy.Matrix(inputs["mean"]), key.cov)
    if not M.is_square:
        return None  # A^T S A and A S are not m x m
    return A.GaussianAnswer(key.mean, M.T * S * M if mistake == "transposes" else M * S)


mistakes("gaussian_affine",
         ("A^T Σ A for A Σ A^T (the transposes on the wrong sides)", lambda i, k: _affine(i, k, "transposes")),
         ("A Σ for A Σ A^T (the A^T on the right forgotten)", lambda i, k: _affine(i, k, "half")),
         ("b left out of the mean (A μ)", lambda i, k: _affine(i, k, "no b")))


def _conditioned(inputs: dict[str, Any], mistake: str) -> A.Answer:
    """μ_a + Σ_ab Σ_bb^-1 (x_b - μ_b), Σ_aa - Σ_ab Σ_bb^-1 Σ_ba, with one slip."""
    mean, cov, given = sympy.Matrix(inputs["mean"]), sympy.Matrix(inputs["cov"]), inputs["given"]
    b = sorted(given)
    a = [k for k in range(mean.rows) if k not in given]
    m_a, m_b = mean.extract(a, [0]), mean.extract(b, [0])
    S_aa, S_ab, S_bb = cov.extract(a, a), cov.extract(a, b), cov.extract(b, b)
    x_b = sympy.Matrix([given[k] for k in b])
    if mistake == "marginal":
        return A.GaussianAnswer(m_a, S_aa)
    gain = S_ab if mistake == "no inverse" else S_ab * S_bb.inv()
    shift = (m_b - x_b) if mistake == "reversed" else (x_b - m_b)
    sign = 1 if mistake == "plus" else -1
    return A.GaussianAnswer(m_a + gain * shift, S_aa + sign * gain * S_ab.T)


mistakes("gaussian_conditional",
         ("the marginal of x_a given (the condition ignored)", lambda i, k: _conditioned(i, "marginal")),
         ("Σ_bb^-1 left out", lambda i, k: _conditioned(i, "no inverse")),
         ("the covariance increased (+ for - in Σ_aa - Σ_ab Σ_bb^-1 Σ_ba)", lambda i, k: _conditioned(i, "plus")),
         ("μ_b - x_b for x_b - μ_b", lambda i, k: _conditioned(i, "reversed")))


def _sample(inputs: dict[str, Any], key: A.MomentsAnswer, mistake: str) -> A.Answer:
    X = sympy.Matrix(inputs["data"])
    n = X.rows
    mean = sympy.Matrix([sum(X.col(c)) / n for c in range(X.cols)])
    centred = X - sympy.ones(n, 1) * mean.T
    cov = centred.T * centred / (n - 1) if mistake == "n - 1" else X.T * X / n
    return A.MomentsAnswer(key.mean, cov if isinstance(key.variance, sympy.MatrixBase) else cov[0, 0])


mistakes("sample_stats",
         ("divided by N - 1 instead of N (the unbiased estimate for the sample covariance)",
          lambda i, k: _sample(i, k, "n - 1")),
         ("the mean not subtracted (1/N sum x x^T)", lambda i, k: _sample(i, k, "uncentred")))


def _product(inputs: dict[str, Any], key: Any, mistake: str) -> A.Answer:
    """c N(m, C) of N(a, A) N(b, B): C = (A^-1 + B^-1)^-1, m = C (A^-1 a + B^-1 b),
    c = N(a | b, A + B), with one slip."""
    a, Aa, b, Bb = (sympy.Matrix(inputs[n]) for n in ("mean1", "cov1", "mean2", "cov2"))
    C = (Aa + Bb) if mistake == "covariances" else (Aa.inv() + Bb.inv()).inv()
    m = (a + b) / 2 if mistake == "average" else C * (Aa.inv() * a + Bb.inv() * b)
    c = gaussian_density(a, b, C) if mistake == "constant" else key.constant
    return type(key)(mean=m.applyfunc(sympy.nsimplify), cov=C.applyfunc(sympy.nsimplify), constant=tidy(c))


mistakes("gaussian_product",
         ("the covariances added instead of the precisions (C = A + B)", lambda i, k: _product(i, k, "covariances")),
         ("the means averaged without their precisions ((a + b)/2)", lambda i, k: _product(i, k, "average")),
         ("the constant's covariance A + B replaced by C", lambda i, k: _product(i, k, "constant")))


def _transform(inputs: dict[str, Any], key: DensityAnswer, mistake: str) -> A.Answer | None:
    """f_Y(y) = f_X(x(y)) |dx/dy| from the engine's own steps, with one slip in the formula
    (the support of Y is not in the answer's text, so a support not mapped is no option)."""
    step = next(s for s in redo_solution("change_of_variables", inputs).steps if isinstance(s, DensityTransform))
    dxdy, rv = step.dxdy, inputs["rv"]
    value = {"no factor": step.substituted, "signed": step.substituted * step.dxdy,
             "dy/dx": step.substituted / dxdy,
             "not substituted": step.law.subs(rv.var, Y) * step.sign * dxdy}[mistake]
    return DensityAnswer(rv.user(tidy(value)), lower=key.lower, upper=key.upper)


mistakes("change_of_variables",
         ("|dx/dy| left out (f_X(x(y)) alone)", lambda i, k: _transform(i, k, "no factor")),
         ("dx/dy not in absolute value (negative where g decreases)", lambda i, k: _transform(i, k, "signed")),
         ("multiplied by dy/dx = g'(x(y)) instead of dx/dy", lambda i, k: _transform(i, k, "dy/dx")),
         ("x not replaced by x(y) (f_X(y) |dx/dy|)", lambda i, k: _transform(i, k, "not substituted")))
