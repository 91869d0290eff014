"""Two discrete random variables from a joint table, and Bayes' theorem (MML 6.2-6.4).

``marginal`` and ``conditional`` sum rows/columns (the sum rule) and divide by a
marginal (the product rule); ``covariance`` and ``correlation`` derive
``E[XY] − E[X]E[Y]`` and divide by the standard deviations, reusing the one-variable
expectation and variance derivations of :mod:`tutor.topics.probability` on the
marginals; ``rv_independence`` tests ``p(x, y) = p(x)p(y)`` cell by cell and says when
dependent variables are nevertheless uncorrelated; ``bayes`` finds the evidence by
total probability and then the posterior of each hypothesis.
"""
from __future__ import annotations

import re
from typing import Any

import sympy

from tutor.core.answers import BooleanAnswer, DistributionAnswer, ExpressionAnswer
from tutor.probability.distributions import check_probabilities, labelled, number
from tutor.core.errors import TutorError
from tutor.probability.jointsteps import (ConditionalProbability, ConditionalTable, Correlation, CovarianceFormula,
                          Evidence, IndependenceTest, JointExpectation, Marginal,
                          MarginalProbability, Posterior, ProductTest)
from tutor.probability.jointtable import (SYMBOLS, JointTable, Typed, build_joint, parse_joint, parse_values)
from tutor.core.kinds import Field, Kind, register
from tutor.parsing.text import parse_assignments
from tutor.probability.inputs import looks_decimal
from tutor.probability.numbers import exact, shown
from tutor.core.steps import Note, Problem, Solution, Step
from tutor.topics.probability import TotalProbability, expectation_step, variance_step

_OTHER = {"x": "y", "y": "x"}


# ---------------------------------------------------------------- inputs

def _axis(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in SYMBOLS:
        raise TutorError(f"--of must be x or y, not {value!r}")
    return text


def _given(value: Any) -> tuple[str, sympy.Expr]:
    """``y=1`` (or ``x = 2``): the conditioning variable and its value."""
    if isinstance(value, tuple):
        return value
    assignments = parse_assignments(str(value))
    if len(assignments) != 1:
        raise TutorError("--given takes one value of one variable, e.g. 'y=1'")
    (name, v), = assignments.items()
    axis = name.name.lower()
    if axis not in SYMBOLS:
        raise TutorError(f"--given must name x or y, not {name}")
    return axis, number(v, "the given value")


_JOINT_FIELDS = (
    Field("joint", parse_joint, "the joint pmf table: one row per value of X, one column per "
          "value of Y, e.g. '[[0.1,0.2],[0.3,0.4]]'"),
    Field("x_values", parse_values, "the values of X, one per row, e.g. 1,2"),
    Field("y_values", parse_values, "the values of Y, one per column, e.g. 1,2"),
)


def _builder(kind: str) -> Any:
    def build(joint: Typed, x_values: Typed, y_values: Typed, **extra: Any) -> Problem:
        table = build_joint(joint, x_values, y_values)
        inputs: dict[str, Any] = {"table": table, **extra}
        if kind == "conditional":
            inputs["given"] = _locate(table, *extra["given"])
        if kind == "correlation":
            for axis in ("x", "y"):
                _nonconstant(table, axis)
        return Problem(kind, inputs)
    return build


def _locate(table: JointTable, axis: str, value: sympy.Expr) -> tuple[str, sympy.Expr, int]:
    values = table.values(axis)
    if value not in values:
        raise TutorError(f"{axis} = {value} is not one of the {axis}-values "
                         f"({', '.join(map(str, values))})")
    index = values.index(value)
    if table.marginal(axis)[index] == 0:
        raise TutorError(f"p({axis} = {value}) = 0: one cannot condition on an event of probability 0")
    return axis, value, index


def _nonconstant(table: JointTable, axis: str) -> None:
    if sum(1 for p in table.marginal(axis) if p != 0) < 2:
        raise TutorError(f"{axis.upper()} takes a single value with probability 1: its variance is 0, "
                         "so the correlation is undefined")


# ---------------------------------------------------------------- derivations

def _prelude(table: JointTable) -> list[Step]:
    notes: list[Step] = [Note(key="decimals")] if table.decimal else []
    return notes + [TotalProbability(probs=tuple(table.P), total=sympy.S.One)]


def _marginal_sum(table: JointTable, axis: str, index: int) -> MarginalProbability:
    return MarginalProbability(axis=axis, value=table.shown(table.values(axis)[index]),
                               terms=tuple(table.shown(p) for p in table.line(axis, index)),
                               result=table.shown(table.marginal(axis)[index]))


def marginal_step(table: JointTable, axis: str) -> Marginal:
    """The sum rule: ``p(x) = Σ_y p(x, y)`` for every value (or the same for y)."""
    values = table.values(axis)
    return Marginal(axis=axis, table=table.P, values=tuple(table.shown(v) for v in values),
                    probs=tuple(table.shown(p) for p in table.marginal(axis)),
                    substeps=tuple(_marginal_sum(table, axis, i) for i in range(len(values))))


def _joint_expectation(table: JointTable) -> JointExpectation:
    P = table.P
    terms = sympy.ImmutableMatrix(P.rows, P.cols, lambda i, j: table.xs[i] * table.ys[j] * P[i, j])
    return JointExpectation(xs=tuple(table.shown(x) for x in table.xs),
                            ys=tuple(table.shown(y) for y in table.ys), table=table.shown(P),
                            terms=table.shown(terms), result=table.shown(sum(terms)))


def _covariance(table: JointTable, e_x: sympy.Expr, e_y: sympy.Expr, e_xy: sympy.Expr) -> CovarianceFormula:
    value = exact(e_xy) - exact(e_x) * exact(e_y)
    return CovarianceFormula(xs=table.xs, ys=table.ys, table=table.P, e_x=e_x, e_y=e_y, e_xy=e_xy,
                             result=table.shown(value))


def _covariance_steps(table: JointTable) -> list[Step]:
    """E[X], E[Y] from the marginals, E[XY] from the table, then the covariance."""
    ex = expectation_step(table.variable("x"), SYMBOLS["x"])
    ey = expectation_step(table.variable("y"), SYMBOLS["y"])
    exy = _joint_expectation(table)
    return [ex, ey, exy, _covariance(table, ex.result, ey.result, exy.result)]  # type: ignore[attr-defined]


def solve_marginal(problem: Problem) -> Solution:
    table, axis = problem["table"], problem["of"]
    step = marginal_step(table, axis)
    return Solution(problem, tuple(_prelude(table) + [step]),
                    DistributionAnswer(values=step.values, probabilities=step.probs))


def solve_conditional(problem: Problem) -> Solution:
    table = problem["table"]
    given_axis, given_value, index = problem["given"]
    axis = _OTHER[given_axis]
    evidence = _marginal_sum(table, given_axis, index)
    line = table.line(given_axis, index)
    total = table.marginal(given_axis)[index]
    values = tuple(table.shown(v) for v in table.values(axis))
    probs = tuple(table.shown(c / total) for c in line)
    parts = tuple(ConditionalProbability(value=v, joint=table.shown(c), marginal=table.shown(total), result=p)
                  for v, c, p in zip(values, line, probs))
    step = ConditionalTable(axis=axis, given_axis=given_axis, given_value=table.shown(given_value),
                            given_index=index, table=table.P, marginal=table.shown(total),
                            values=values, probs=probs, substeps=parts)
    return Solution(problem, tuple(_prelude(table) + [evidence, step]),
                    DistributionAnswer(values=values, probabilities=probs))


def solve_covariance(problem: Problem) -> Solution:
    table = problem["table"]
    steps = _prelude(table) + [marginal_step(table, "x"), marginal_step(table, "y")] \
        + _covariance_steps(table)
    return Solution(problem, tuple(steps), ExpressionAnswer(steps[-1].result))  # type: ignore[attr-defined]


def solve_correlation(problem: Problem) -> Solution:
    table = problem["table"]
    vx = variance_step(table.variable("x"), SYMBOLS["x"])
    vy = variance_step(table.variable("y"), SYMBOLS["y"])
    exy = _joint_expectation(table)
    cov = _covariance(table, vx.mean, vy.mean, exy.result)  # type: ignore[attr-defined]
    value = sympy.radsimp(exact(cov.result) / sympy.sqrt(exact(vx.result) * exact(vy.result)))  # type: ignore[attr-defined]
    corr = Correlation(xs=table.xs, ys=table.ys, table=table.P, covariance=cov.result,
                       var_x=vx.result, var_y=vy.result, result=table.shown(value))  # type: ignore[attr-defined]
    steps = _prelude(table) + [marginal_step(table, "x"), marginal_step(table, "y"), vx, vy, exy, cov, corr]
    return Solution(problem, tuple(steps), ExpressionAnswer(corr.result))


def solve_independence(problem: Problem) -> Solution:
    table = problem["table"]
    px, py = table.marginal("x"), table.marginal("y")
    cells: list[Step] = []
    for i, x in enumerate(table.xs):
        for j, y in enumerate(table.ys):
            product = px[i] * py[j]
            equal = table.P[i, j] == product
            cells.append(ProductTest(x=table.shown(x), y=table.shown(y), joint=table.shown(table.P[i, j]),
                                     px=table.shown(px[i]), py=table.shown(py[j]),
                                     product=table.shown(product), equal=equal))
            if not equal:
                break
        if cells and not cells[-1].equal:  # type: ignore[attr-defined]
            break
    independent = all(c.equal for c in cells)  # type: ignore[attr-defined]
    steps = _prelude(table) + [marginal_step(table, "x"), marginal_step(table, "y"),
                               IndependenceTest(table=table.P, independent=independent,
                                                substeps=tuple(cells))]
    if not independent:
        covariance = _covariance_steps(table)
        if covariance[-1].result == 0:  # type: ignore[attr-defined]
            steps += covariance + [Note(key="uncorrelated_dependent")]
    return Solution(problem, tuple(steps), BooleanAnswer(independent))


# ---------------------------------------------------------------- Bayes

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


def _hypothesis(text: str) -> Any:
    """A hypothesis name (``h1``, ``rain``) as a symbol, or a number."""
    text = text.strip()
    if _NAME.match(text):
        return sympy.Symbol(text)
    return number(text, "a hypothesis name (a word like h1, or a number)")


def _labelled_input(what: str) -> Any:
    def parse(value: Any) -> Typed:
        if isinstance(value, Typed):
            return value
        return Typed(labelled(value, what, _hypothesis), looks_decimal(value))
    return parse


def build_bayes(prior: Typed, likelihood: Typed) -> Problem:
    hypotheses = [h for h, _ in prior.value]
    priors = [p for _, p in prior.value]
    check_probabilities(priors, hypotheses, "the prior")
    given = dict(likelihood.value)
    missing = [str(h) for h in hypotheses if h not in given]
    extra = [str(h) for h in given if h not in hypotheses]
    if missing:
        raise TutorError(f"the likelihood has no entry for {', '.join(missing)}")
    if extra:
        raise TutorError(f"the likelihood names {', '.join(extra)}, which the prior does not")
    likelihoods = [given[h] for h in hypotheses]
    check_probabilities(likelihoods, hypotheses, "the likelihood", total=False)
    if sum(exact(p) * exact(q) for p, q in zip(priors, likelihoods)) == 0:
        raise TutorError("the evidence p(D) is 0: the data are impossible under every hypothesis")
    d = prior.decimal or likelihood.decimal  # decimal input is stated as decimals, computed exactly
    return Problem("bayes", {"hypotheses": tuple(hypotheses),
                             "priors": tuple(shown(exact(p), d) for p in priors),
                             "likelihoods": tuple(shown(exact(q), d) for q in likelihoods),
                             "decimal": d})


def solve_bayes(problem: Problem) -> Solution:
    d = problem["decimal"]
    hs = problem["hypotheses"]
    priors = tuple(shown(exact(p), d) for p in problem["priors"])
    likes = tuple(shown(exact(q), d) for q in problem["likelihoods"])
    terms = [exact(p) * exact(q) for p, q in zip(priors, likes)]
    evidence_value = sum(terms)
    evidence = Evidence(labels=hs, priors=priors, likelihoods=likes,
                        terms=tuple(shown(t, d) for t in terms), result=shown(evidence_value, d))
    posteriors = [Posterior(label=h, prior=p, likelihood=q, evidence=evidence.result,
                            result=shown(t / evidence_value, d))
                  for h, p, q, t in zip(hs, priors, likes, terms)]
    notes: list[Step] = [Note(key="decimals")] if d else []
    return Solution(problem, tuple(notes + [evidence] + posteriors),
                    DistributionAnswer(values=hs, probabilities=tuple(s.result for s in posteriors)))


# ---------------------------------------------------------------- registration

def _joint_kind(name: str, summary: str, solve: Any, extra: tuple[Field, ...] = ()) -> None:
    register(Kind(name=name, topic="probability", summary=summary, fields=_JOINT_FIELDS + extra,
                  build=_builder(name), solve=solve))


_joint_kind("marginal", "marginal pmf of X (or Y) from a joint table, by the sum rule", solve_marginal,
            (Field("of", _axis, "the variable whose marginal is wanted: x (default) or y",
                   required=False, default="x"),))
_joint_kind("conditional", "conditional pmf p(x | y) = p(x, y) / p(y) from a joint table",
            solve_conditional, (Field("given", _given, "the condition, e.g. 'y=1' or 'x=2'"),))
_joint_kind("covariance", "Cov[X, Y] = E[XY] - E[X]E[Y] from a joint table", solve_covariance)
_joint_kind("correlation", "corr[X, Y] = Cov[X, Y] / sqrt(V[X]V[Y]) from a joint table",
            solve_correlation)
_joint_kind("rv_independence", "are X and Y independent? p(x, y) = p(x)p(y) cell by cell",
            solve_independence)
register(Kind(name="bayes", topic="probability",
              summary="posterior p(h | D) from a prior and likelihoods (Bayes' theorem)",
              fields=(Field("prior", _labelled_input("the prior"),
                            "the prior of each hypothesis, e.g. 'h1: 3/5, h2: 2/5'"),
                      Field("likelihood", _labelled_input("the likelihood"),
                            "p(D | h) for each hypothesis, e.g. 'h1: 2/3, h2: 1/2'")),
              build=build_bayes, solve=solve_bayes))
