"""Steps of the joint-table kinds and of Bayes' theorem (MML sections 6.2-6.4).

Each step records numbers as the student sees them (decimals shown as decimals when
the input had them); every ``check()`` reads them back exactly (:func:`same`) and,
where a step claims something about the table, recomputes it from the table it
stores (the parent steps :class:`Marginal`, :class:`ConditionalTable`,
:class:`CovarianceFormula`, :class:`IndependenceTest` hold the table once).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy

from tutor.probability.numbers import exact, same
from tutor.core.steps import Step


def _line(table: sympy.MatrixBase, axis: str, index: int) -> list[sympy.Expr]:
    return list(table.row(index)) if axis == "x" else list(table.col(index))


def _marginals(table: sympy.MatrixBase) -> tuple[list[sympy.Expr], list[sympy.Expr]]:
    return ([sum(table.row(i)) for i in range(table.rows)],
            [sum(table.col(j)) for j in range(table.cols)])


def _all_same(a: Any, b: Any) -> bool:
    return len(a) == len(b) and all(same(u, v) for u, v in zip(a, b))


@dataclass(frozen=True, kw_only=True)
class MarginalProbability(Step):
    """``p(axis = value) = Σ terms`` (the joint probabilities of one row or column)."""

    rule: ClassVar[str] = "joint.marginal_sum"
    axis: str
    value: sympy.Expr
    terms: tuple[sympy.Expr, ...]
    result: sympy.Expr

    def check(self) -> bool:
        return same(sum(exact(t) for t in self.terms), self.result)


@dataclass(frozen=True, kw_only=True)
class Marginal(Step):
    """The marginal pmf of X (sum over y, along rows) or Y (sum over x); one substep per value."""

    rule: ClassVar[str] = "joint.marginal"
    axis: str
    table: sympy.ImmutableMatrix
    values: tuple[sympy.Expr, ...]
    probs: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        expected = _marginals(self.table)[0 if self.axis == "x" else 1]
        return len(self.substeps) == len(self.values) \
            and all(_all_same(s.terms, _line(self.table, self.axis, i))  # type: ignore[attr-defined]
                    and same(s.result, p) and same(s.value, v)  # type: ignore[attr-defined]
                    for i, (s, v, p) in enumerate(zip(self.substeps, self.values, self.probs))) \
            and _all_same(self.probs, expected) and same(sum(exact(p) for p in self.probs), 1)


@dataclass(frozen=True, kw_only=True)
class ConditionalProbability(Step):
    """``p(value | given) = joint / marginal``."""

    rule: ClassVar[str] = "joint.conditional"
    value: sympy.Expr
    joint: sympy.Expr
    marginal: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        return same(exact(self.joint) / exact(self.marginal), self.result)


@dataclass(frozen=True, kw_only=True)
class ConditionalTable(Step):
    """``p(· | given_axis = given_value)``: the row/column of the given value divided by its sum.

    ``axis`` is the variable whose distribution is found; substeps one per value.
    """

    rule: ClassVar[str] = "joint.conditional_table"
    axis: str
    given_axis: str
    given_value: sympy.Expr
    given_index: int
    table: sympy.ImmutableMatrix
    marginal: sympy.Expr
    values: tuple[sympy.Expr, ...]
    probs: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        line = _line(self.table, self.given_axis, self.given_index)
        total = sum(line)
        return same(total, self.marginal) and total != 0 \
            and all(same(s.joint, c) and same(s.marginal, total) and same(s.result, p)  # type: ignore[attr-defined]
                    for s, c, p in zip(self.substeps, line, self.probs, strict=True)) \
            and _all_same(self.probs, [c / total for c in line])


@dataclass(frozen=True, kw_only=True)
class JointExpectation(Step):
    """``E[XY] = Σ_x Σ_y x y p(x, y)``; ``terms[i, j] = xs[i] ys[j] p(xs[i], ys[j])``.

    The table is stored as shown (decimals when the input had them)."""

    rule: ClassVar[str] = "joint.expect_xy"
    xs: tuple[sympy.Expr, ...]
    ys: tuple[sympy.Expr, ...]
    table: sympy.ImmutableMatrix
    terms: sympy.ImmutableMatrix
    result: sympy.Expr

    def check(self) -> bool:
        T = exact(self.table)
        return all(same(self.terms[i, j], exact(self.xs[i]) * exact(self.ys[j]) * T[i, j])
                   for i in range(T.rows) for j in range(T.cols)) \
            and same(sum(exact(t) for t in self.terms), self.result)


def _moments(xs: Any, ys: Any, table: sympy.MatrixBase) -> dict[str, sympy.Expr]:
    """E[X], E[Y], E[XY], V[X], V[Y], Cov straight from the table (the checks' reference)."""
    px, py = _marginals(table)
    xs, ys = [exact(x) for x in xs], [exact(y) for y in ys]
    ex = sum(x * p for x, p in zip(xs, px))
    ey = sum(y * p for y, p in zip(ys, py))
    exy = sum(xs[i] * ys[j] * table[i, j] for i in range(table.rows) for j in range(table.cols))
    return {"ex": ex, "ey": ey, "exy": exy, "cov": exy - ex * ey,
            "vx": sum(x * x * p for x, p in zip(xs, px)) - ex**2,
            "vy": sum(y * y * p for y, p in zip(ys, py)) - ey**2}


@dataclass(frozen=True, kw_only=True)
class CovarianceFormula(Step):
    """``Cov[X, Y] = E[XY] − E[X] E[Y]``, every number recomputed from the table."""

    rule: ClassVar[str] = "joint.covariance"
    xs: tuple[sympy.Expr, ...]
    ys: tuple[sympy.Expr, ...]
    table: sympy.ImmutableMatrix
    e_x: sympy.Expr
    e_y: sympy.Expr
    e_xy: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        ref = _moments(self.xs, self.ys, self.table)
        return same(self.e_x, ref["ex"]) and same(self.e_y, ref["ey"]) \
            and same(self.e_xy, ref["exy"]) and same(self.result, ref["cov"]) \
            and same(exact(self.e_xy) - exact(self.e_x) * exact(self.e_y), self.result)


@dataclass(frozen=True, kw_only=True)
class Correlation(Step):
    """``corr[X, Y] = Cov[X, Y] / sqrt(V[X] V[Y])``, recomputed from the table."""

    rule: ClassVar[str] = "joint.correlation"
    xs: tuple[sympy.Expr, ...]
    ys: tuple[sympy.Expr, ...]
    table: sympy.ImmutableMatrix
    covariance: sympy.Expr
    var_x: sympy.Expr
    var_y: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        ref = _moments(self.xs, self.ys, self.table)
        return same(self.covariance, ref["cov"]) and same(self.var_x, ref["vx"]) \
            and same(self.var_y, ref["vy"]) \
            and same(ref["cov"] / sympy.sqrt(ref["vx"] * ref["vy"]), self.result)


@dataclass(frozen=True, kw_only=True)
class ProductTest(Step):
    """One cell: does ``p(x, y) = p(x) p(y)``?  ``equal`` is the verdict."""

    rule: ClassVar[str] = "joint.product_cell"
    x: sympy.Expr
    y: sympy.Expr
    joint: sympy.Expr
    px: sympy.Expr
    py: sympy.Expr
    product: sympy.Expr
    equal: bool

    def check(self) -> bool:
        return same(exact(self.px) * exact(self.py), self.product) \
            and self.equal == same(self.joint, self.product)


@dataclass(frozen=True, kw_only=True)
class IndependenceTest(Step):
    """Cells tested in row order up to the first that fails; ``independent`` when none does.

    The check recomputes the verdict over the whole table and confirms that the tested
    cells are the table's, in order, and that a failing cell is the first failing one.
    """

    rule: ClassVar[str] = "joint.independence"
    table: sympy.ImmutableMatrix
    independent: bool

    def check(self) -> bool:
        T = self.table
        px, py = _marginals(T)
        cells = [(i, j) for i in range(T.rows) for j in range(T.cols)]
        failing = [(i, j) for i, j in cells if T[i, j] != px[i] * py[j]]
        if self.independent != (not failing):
            return False
        tested = cells[:len(self.substeps)]
        expected = cells if not failing else cells[:cells.index(failing[0]) + 1]
        return tested == expected and all(
            same(s.joint, T[i, j]) and same(s.px, px[i]) and same(s.py, py[j])  # type: ignore[attr-defined]
            for s, (i, j) in zip(self.substeps, tested))


@dataclass(frozen=True, kw_only=True)
class Evidence(Step):
    """``p(D) = Σ_h p(D | h) p(h)`` (total probability); ``terms[i] = likelihoods[i] priors[i]``."""

    rule: ClassVar[str] = "bayes.evidence"
    labels: tuple[Any, ...]
    priors: tuple[sympy.Expr, ...]
    likelihoods: tuple[sympy.Expr, ...]
    terms: tuple[sympy.Expr, ...]
    result: sympy.Expr

    def check(self) -> bool:
        return all(same(exact(p) * exact(q), t)
                   for p, q, t in zip(self.priors, self.likelihoods, self.terms, strict=True)) \
            and same(sum(exact(t) for t in self.terms), self.result)


@dataclass(frozen=True, kw_only=True)
class Posterior(Step):
    """``p(h | D) = p(D | h) p(h) / p(D)``."""

    rule: ClassVar[str] = "bayes.posterior"
    label: Any
    prior: sympy.Expr
    likelihood: sympy.Expr
    evidence: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        return same(exact(self.likelihood) * exact(self.prior) / exact(self.evidence), self.result)
