"""The steps of sample statistics (MML 6.4.2): the sample mean and the sample covariance of a
data set given one row per data point.  Used by the ``sample_stats`` kind and by PCA.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.steps import Step
from tutor.probability.numbers import same_matrix


@dataclass(frozen=True, kw_only=True)
class SampleMean(Step):
    """``x̄ = (1/N) Σ_n x_n``; ``sums`` is the column-wise sum (a row)."""

    rule: ClassVar[str] = "stats.mean"
    data: ImmutableMatrix
    sums: ImmutableMatrix
    n: int
    result: ImmutableMatrix

    def check(self) -> bool:
        D = self.data
        sums = ImmutableMatrix([[sum(D.col(j)) for j in range(D.cols)]])
        return self.n == D.rows and sums == self.sums and same_matrix(sums.T / self.n, self.result)


@dataclass(frozen=True, kw_only=True)
class SampleCovariance(Step):
    """``Σ = (1/N) Σ_n (x_n − x̄)(x_n − x̄)^T = (1/N) X̃^T X̃`` with the centred data ``X̃``.

    ``scatter`` is ``X̃^T X̃``.  The check also takes the other route,
    ``(1/N) Σ x_n x_n^T − x̄ x̄^T``.
    """

    rule: ClassVar[str] = "stats.cov"
    data: ImmutableMatrix
    mean: ImmutableMatrix
    centred: ImmutableMatrix
    scatter: ImmutableMatrix
    result: ImmutableMatrix

    def check(self) -> bool:
        D, N = self.data, self.data.rows
        ones = sympy.ones(N, 1)
        raw = D.T * D / N - self.mean * self.mean.T
        return same_matrix(D - ones * self.mean.T, self.centred) \
            and same_matrix(self.centred.T * self.centred, self.scatter) \
            and same_matrix(self.scatter / N, self.result) and same_matrix(raw, self.result)
