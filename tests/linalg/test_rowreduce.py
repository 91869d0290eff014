"""The elimination engine: sympy's RREF and pivots, checkable steps, the fraction policy."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy
from sympy import Matrix, Rational, sqrt

from tutor.linalg import rowreduce
from tutor.linalg.rowreduce import (
    EchelonForm, EliminateColumn, NormalizePivots, ReducedEchelonForm,
    RowCombine, RowOperation, RowScale, RowSwap, reduce,
)
from tutor.rendering.rows import notation


def random_matrix(rng: random.Random, rational: bool = False) -> Matrix:
    m, n = rng.randint(1, 6), rng.randint(1, 6)
    def entry():
        if rational and rng.random() < 0.3:
            return Rational(rng.randint(-6, 6), rng.randint(1, 5))
        return rng.randint(-5, 5)
    rows = [[entry() for _ in range(n)] for _ in range(m)]
    if m > 1 and rng.random() < 0.5:  # a rank-deficient matrix, built on purpose
        for i in rng.sample(range(m), rng.randint(1, m - 1)):
            a, b = rng.randint(-3, 3), rng.randint(-3, 3)
            j, k = rng.randrange(m), rng.randrange(m)
            rows[i] = [a * x + b * y for x, y in zip(rows[j], rows[k])]
    return Matrix(rows)


def matrices(count: int, seed: int, rational: bool = False) -> list[Matrix]:
    rng = random.Random(seed)
    return [random_matrix(rng, rational) for _ in range(count)]


def integral(m: Matrix) -> bool:
    return all(e.is_Integer for e in m)


@pytest.mark.parametrize("M", matrices(150, seed=1) + matrices(100, seed=2, rational=True), ids=str)
def test_rref_matches_sympy_and_every_step_checks(M: Matrix) -> None:
    red = reduce(M)
    expected, pivots = M.rref()
    assert red.rref == expected
    assert red.pivots == pivots
    assert red.step.check()
    assert all(step.check() for step in red.step.walk())
    assert red.echelon == red.steps[[isinstance(s, EchelonForm) for s in red.steps].index(True)].matrix


@pytest.mark.parametrize("M", matrices(100, seed=3) + matrices(60, seed=4, rational=True), ids=str)
def test_rational_matrices_stay_integral_until_the_final_scaling(M: Matrix) -> None:
    """The guarantee: after the opening tidy-up, every matrix is integral until NormalizePivots."""
    red = reduce(M)
    for step in red.steps:
        if isinstance(step, NormalizePivots):
            break
        if isinstance(step, EliminateColumn):
            assert all(integral(op.after) for op in step.substeps)
    assert integral(red.echelon)


def test_lecture_system_avoids_fractions() -> None:
    """3x + y = 9, 4x - 2y = 5: R_2 <- 3R_2 - 4R_1, no fraction before the final scaling."""
    red = reduce(Matrix([[3, 1, 9], [4, -2, 5]]), pivot_cols=2, names=["x", "y"])
    first = red.steps[0]
    assert isinstance(first, EliminateColumn) and first.phase == "forward"
    (combine,) = first.substeps
    assert isinstance(combine, RowCombine)
    assert (combine.target, combine.source, combine.target_factor, combine.source_factor) == (1, 0, 3, -4)
    assert combine.purpose.key == "eliminate_below" and combine.purpose.variable == "x"
    assert red.echelon == Matrix([[3, 1, 9], [0, -10, -21]])
    assert isinstance(red.steps[-2], NormalizePivots)
    assert red.rref == Matrix([[1, 0, Rational(23, 10)], [0, 1, Rational(21, 10)]])


def test_pivot_policy_swaps_only_for_a_one_or_a_zero() -> None:
    red = reduce(Matrix([[4, 3], [3, 1], [1, 5]]))
    swap = red.steps[0].substeps[0]
    assert isinstance(swap, RowSwap) and (swap.i, swap.j) == (0, 2) and swap.purpose.key == "pivot_unit"
    # no 1 to swap in: the current pivot is kept (a swap would be an extra operation)
    red = reduce(Matrix([[6, 1], [4, 1], [5, 1]]))
    assert not any(isinstance(op, RowSwap) for op in red.step.walk())
    red = reduce(Matrix([[0, 1], [3, 1], [2, 1]]))
    swap = red.steps[0].substeps[0]
    # the 3, not the smaller 2: five operations in all instead of six (the search over pivots)
    assert (swap.i, swap.j, swap.purpose.key) == (0, 1, "pivot_nonzero")
    assert sum(isinstance(op, RowOperation) for op in red.step.walk()) == 5


def test_a_combination_is_what_a_teacher_writes_no_common_factor_divided_in_it() -> None:
    """Issue 18: (13R_2 - 12R_1) / 25 is two operations written as one."""
    red = reduce(Matrix([[13, 5], [12, 10]]), to="ref")
    (op,) = red.steps[0].substeps
    assert isinstance(op, RowCombine) and (op.target_factor, op.source_factor) == (13, -12)
    assert notation(op) == r"R_{2} \leftarrow 13R_{2} - 12R_{1}"
    assert red.echelon == Matrix([[13, 5], [0, 70]])
    assert red.rref is None and red.step.check()
    for op in reduce(Matrix([[13, 5], [12, 10]])).step.walk():
        if isinstance(op, RowCombine):
            assert op.target_factor.is_Integer and op.source_factor.is_Integer


def test_fractions_are_cleared_first_and_common_factors_left_to_the_final_scaling() -> None:
    red = reduce(Matrix([[2, 4, 6], [Rational(1, 2), Rational(1, 3), 1]]))
    tidy = red.steps[0]
    assert [(op.row, op.factor, op.purpose.key) for op in tidy.substeps] == [(1, 6, "clear_fractions")]
    assert all(isinstance(op, RowScale) for op in tidy.substeps)


def _scalings(red) -> list:
    return [(op.row, op.factor) for op in red.step.walk() if isinstance(op, RowScale)]


def test_each_pivot_row_is_scaled_once() -> None:
    """Issue 18: lecture 1 wrote R_1/3 then R_1/10 for R_1/30; a rank-1 matrix was divided row
    by row before its rows were cleared; a row that is a multiple of the pivot row took a
    scaling and an elimination instead of one elimination."""
    red = reduce(Matrix([[3, 1, 9], [4, -2, 5]]))
    assert _scalings(red) == [(0, Rational(1, 30)), (1, Rational(-1, 10))]
    assert isinstance(red.steps[-2], NormalizePivots)
    red = reduce(Matrix([[2, 2, 2], [2, 2, 2], [2, 2, 2]]))
    assert sum(isinstance(op, RowOperation) for op in red.step.walk()) == 3
    red = reduce(Matrix([[1, 2, 0], [3, 1, 1], [-2, -4, 0]]), to="ref")
    clear = [op for op in red.step.walk() if isinstance(op, RowOperation) and op.purpose.key == "eliminate_below"
             and getattr(op, "target", None) == 2]
    assert len(clear) == 1 and clear[0].after.row(2) == Matrix([[0, 0, 0]])
    for M in (Matrix([[4, 2, 6], [2, 6, 4], [6, 4, 10]]), Matrix([[-4, 2, 2], [2, -4, 2], [2, 2, -4]])):
        red = reduce(M)
        rows = [op.row for op in red.step.walk() if isinstance(op, RowScale)]
        assert len(rows) == len(set(rows)) and red.rref == M.rref()[0] and red.step.check()


def test_a_pivot_row_divisible_by_its_pivot_is_scaled_before_it_clears_above() -> None:
    """R_1 <- R_1 - 2R_2 after R_2 <- R_2 / 5, not R_1 <- 5R_1 - 2R_2 and two scalings by
    big numbers at the end: the pivot row's one scaling, done where it keeps integers."""
    red = reduce(Matrix([[1, 2, 3], [0, 5, 10]]))
    notes = [notation(op) for op in red.step.walk() if isinstance(op, RowOperation)]
    assert notes == [r"R_{2} \leftarrow R_{2} / 5", r"R_{1} \leftarrow R_{1} - 2R_{2}"]
    assert red.rref == Matrix([[1, 0, -1], [0, 1, 2]]) and red.step.check()


def test_pivot_cols_limits_the_pivot_search() -> None:
    red = reduce(Matrix([[1, 1, 1], [1, 1, 2]]), pivot_cols=2)
    assert red.pivots == (0,)
    assert red.rref == Matrix([[1, 1, 1], [0, 0, 1]])  # no pivot sought in the last column
    assert red.step.check()


def test_zero_matrix_and_one_by_one() -> None:
    red = reduce(sympy.zeros(2, 3))
    assert red.pivots == () and red.rref == sympy.zeros(2, 3) and red.step.check()
    red = reduce(Matrix([[-7]]))
    assert red.pivots == (0,) and red.rref == Matrix([[1]]) and red.step.check()


def test_symbolic_entries_pivot_only_when_provably_nonzero() -> None:
    lam = sqrt(2)
    M = Matrix([[1 - lam, 1], [1, -1 - lam]])  # A - λI for A = [[1, 1], [1, -1]], λ = √2
    red = reduce(M)
    assert red.pivots == (0,)
    assert red.rref[1, :] == Matrix([[0, 0]])
    assert all(step.check() for step in red.step.walk())
    t = sympy.Symbol("t")
    red = reduce(Matrix([[t, 1], [0, 1]]))
    assert red.pivots == (1,)
    assert all(step.check() for step in red.step.walk())


def test_a_wrong_step_fails_its_check() -> None:
    M = sympy.ImmutableMatrix([[1, 2], [3, 4]])
    assert not RowSwap(before=M, after=M, i=0, j=1).check()
    assert not RowScale(before=M, after=M, row=0, factor=0).check()
    assert not EchelonForm(matrix=M, pivots=(0, 1), pivot_cols=2).check()
    assert not ReducedEchelonForm(matrix=sympy.ImmutableMatrix([[1, 2], [0, 1]]),
                                  pivots=(0, 1), pivot_cols=2).check()


@pytest.mark.parametrize("seed", range(20))
def test_snapshot_equals_sympys_own_matrix(seed):
    """The fast snapshot of each step's matrix must be indistinguishable from ImmutableMatrix."""
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 5), rng.randint(1, 5)
    pick = [lambda: sympy.Integer(rng.randint(-9, 9)), lambda: sympy.Rational(rng.randint(-9, 9), rng.randint(1, 9)),
            lambda: sympy.Integer(0), lambda: sympy.Symbol("a") * rng.randint(1, 3)][: 2 + seed % 3]
    data = [[rng.choice(pick)() for _ in range(cols)] for _ in range(rows)]
    fast, slow = rowreduce.snapshot(data), sympy.ImmutableMatrix(data)
    assert fast == slow and hash(fast) == hash(slow) and fast.rref() == slow.rref()
    assert fast * fast.T == slow * slow.T and (fast - slow).is_zero_matrix


@pytest.mark.parametrize("seed", range(20))
def test_snapshot_of_exact_numbers_equals_sympys_own_matrix(seed):
    """Rational matrices are reduced in Python's int/Fraction; their snapshots must be
    sympy's own matrices, down to the domain of the internal representation."""
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 5), rng.randint(1, 5)
    fractions = seed % 2 == 1
    data = [[Fraction(rng.randint(-9, 9), rng.randint(1, 9) if fractions else 1) for _ in range(cols)]
            for _ in range(rows)]
    exact = [[rowreduce._tidy(e) for e in row] for row in data]
    fast = rowreduce.snapshot(exact)
    slow = sympy.ImmutableMatrix([[sympy.Rational(e.numerator, e.denominator) for e in row] for row in data])
    assert fast == slow and hash(fast) == hash(slow) and fast.rref() == slow.rref()
    assert fast._rep == slow._rep and fast._rep.domain == slow._rep.domain
    assert fast * fast.T == slow * slow.T and list(fast) == list(slow)
    assert all(type(a) is type(b) for a, b in zip(fast, slow))


@pytest.mark.parametrize("data", [[[1, 2], [3, 4]], [[Rational(1, 2), 0], [0, 3]],
                                  [[sqrt(2), 1], [0, 1]], [[sympy.Symbol("a"), 1], [2, 0]]])
def test_immutable_equals_sympys_conversion(data):
    for M in (Matrix(data), sympy.ImmutableMatrix(data), sympy.SparseMatrix(data)):
        fast, slow = rowreduce.immutable(M), sympy.ImmutableMatrix(M)
        assert type(fast) is sympy.ImmutableMatrix and fast == slow and hash(fast) == hash(slow)
        assert fast._rep == slow._rep and fast._rep.domain == slow._rep.domain
