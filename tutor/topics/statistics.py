"""Sample statistics of a data set (MML 6.4.2): the sample mean and covariance, sums shown.

The data are one row per data point (``"[[1,2],[3,4],[5,0]]"``; a flat list is 1-D data).
The book's sample covariance divides by N (MML 6.42); the unbiased 1/(N − 1) version is
stated next to it.  In 1-D the answer is the mean and the variance, otherwise the mean
vector and the covariance matrix.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import MomentsAnswer
from tutor.probability.distributions import number
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.probability.inputs import MAX_DIM, matrix_input, vector_input
from tutor.probability.numbers import same_matrix
from tutor.core.steps import Note, Problem, Solution, Step

MAX_POINTS = 200


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


def parse_data(value: Any) -> ImmutableMatrix:
    """Rows are data points; a flat list ``[1, 2, 3]`` is N points in 1-D."""
    if isinstance(value, sympy.MatrixBase):
        M = value
    else:
        try:
            M = matrix_input(value, "the data")
        except TutorError:
            M = vector_input(value, "the data")
    if M.rows > MAX_POINTS:
        raise TutorError(f"{M.rows} data points; at most {MAX_POINTS}")
    if M.cols > MAX_DIM:
        raise TutorError(f"{M.cols} dimensions; at most {MAX_DIM}")
    return ImmutableMatrix(M.rows, M.cols, [number(e, "a data value") for e in M])


def solve_sample_stats(problem: Problem) -> Solution:
    D = problem["data"]
    N = D.rows
    sums = ImmutableMatrix([[sum(D.col(j)) for j in range(D.cols)]])
    mean = ImmutableMatrix(sums.T / N)
    centred = ImmutableMatrix(D - sympy.ones(N, 1) * mean.T)
    scatter = ImmutableMatrix(centred.T * centred)
    cov = ImmutableMatrix(scatter / N)
    steps: list[Step] = [SampleMean(data=D, sums=sums, n=N, result=mean),
                         SampleCovariance(data=D, mean=mean, centred=centred, scatter=scatter, result=cov)]
    if N > 1:
        unbiased = scatter / (N - 1)
        steps.append(Note(key="unbiased", values={"n": N, "value": unbiased[0, 0] if D.cols == 1 else unbiased}))
    if D.cols == 1:
        answer = MomentsAnswer(mean=mean[0], variance=cov[0, 0])
    else:
        answer = MomentsAnswer(mean=mean, variance=cov)
    return Solution(problem, tuple(steps), answer)


register(Kind(name="sample_stats", topic="probability",
              summary="sample mean and sample (co)variance of a data set (MML 6.4.2)",
              fields=(Field("data", parse_data, "the data, one row per point, e.g. "
                            "'[[1,2],[3,4],[5,0]]' (or '[1,2,3]' in 1-D)", positional=True),),
              solve=solve_sample_stats))
