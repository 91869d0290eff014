"""The determinant engine against sympy's det, on random and hand-picked matrices."""
from __future__ import annotations

import random

import pytest
import sympy

from tutor.determinants import (DetByRowReduction, LaplaceExpansion, laplace_steps,
                                row_reduction_det_steps, sarrus_steps)
from tutor.errors import TutorError

lam, a, b, c, d = sympy.symbols("lambda a b c d")


def random_matrix(rng: random.Random, n: int, *, singular: bool = False, zeros: float = 0.3,
                  fractions: bool = False) -> sympy.Matrix:
    def entry() -> sympy.Expr:
        if rng.random() < zeros:
            return sympy.Integer(0)
        v = rng.randint(-6, 6)
        return sympy.Rational(v, rng.randint(1, 4)) if fractions else sympy.Integer(v)

    M = sympy.Matrix(n, n, lambda i, j: entry())
    if singular and n > 1:  # a row that is a combination of two others (or a copy)
        i, j = rng.sample(range(n), 2)
        M[i, :] = rng.randint(-2, 2) * M[j, :] + (M[(j + 1) % n, :] if (j + 1) % n != i else 0 * M[j, :])
    return M


def checked(det) -> sympy.Expr:
    assert all(s.check() for s in det.step.walk()), [s.rule for s in det.step.walk() if not s.check()]
    return det.value


@pytest.mark.parametrize("seed", range(40))
def test_random_numeric_matrices(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 4)
    M = random_matrix(rng, n, singular=seed % 3 == 0, fractions=seed % 5 == 0)
    expected = M.det()
    assert checked(laplace_steps(M)) == expected
    assert checked(row_reduction_det_steps(M)) == expected
    if n == 3:
        assert checked(sarrus_steps(M)) == expected


@pytest.mark.parametrize("seed", range(6))
def test_row_reduction_up_to_6x6(seed):
    rng = random.Random(100 + seed)
    M = random_matrix(rng, rng.choice([5, 6]), singular=seed % 2 == 0)
    assert checked(row_reduction_det_steps(M)) == M.det()


@pytest.mark.parametrize("seed", range(8))
def test_characteristic_polynomial(seed):
    rng = random.Random(200 + seed)
    n = rng.randint(2, 4)
    A = random_matrix(rng, n)
    value = checked(laplace_steps(A - lam * sympy.eye(n)))
    assert sympy.expand(value - (A - lam * sympy.eye(n)).det()) == 0
    assert value == sympy.expand(value)  # the expanded polynomial


def test_symbolic_entries():
    M = sympy.Matrix([[a, b], [c, d]])
    assert checked(laplace_steps(M)) == a * d - b * c
    N = sympy.Matrix([[a, 1, 0], [b, a, 1], [0, c, a]])
    assert sympy.expand(checked(laplace_steps(N)) - N.det()) == 0
    assert sympy.expand(checked(sarrus_steps(N)) - N.det()) == 0
    S = sympy.Matrix([[sympy.sqrt(2), 1], [1, sympy.sqrt(2)]])
    assert checked(laplace_steps(S)) == 1


def test_expansion_takes_the_line_with_most_zeros():
    M = sympy.Matrix([[1, 2, 3], [4, 5, 6], [0, 7, 0]])
    step = laplace_steps(M).step
    assert isinstance(step, LaplaceExpansion)
    assert (step.axis, step.index, step.zeros, len(step.terms)) == ("row", 2, 2, 1)
    col = laplace_steps(sympy.Matrix([[1, 0, 3], [4, 0, 6], [2, 7, 1]])).step
    assert (col.axis, col.index) == ("column", 1)


def test_zero_row_gives_zero_with_no_terms():
    step = laplace_steps(sympy.Matrix([[1, 2, 3], [0, 0, 0], [4, 5, 6]])).step
    assert step.terms == () and step.result == 0 and step.check()


def test_row_effects_are_recorded():
    M = sympy.Matrix([[0, 2, 4], [1, 1, 1], [3, 1, 2]])
    det = row_reduction_det_steps(M)
    assert isinstance(det.step, DetByRowReduction)
    assert checked(det) == M.det()
    effects = [e for g in det.step.substeps[:-1] for e in g.effects]
    assert -1 in effects  # the swap that brings a pivot up


def test_a_wrong_step_does_not_check():
    step = laplace_steps(sympy.Matrix([[1, 2], [3, 4]])).step
    forged = type(step)(matrix=step.matrix, products=step.products, result=sympy.Integer(2))
    assert not forged.check()


@pytest.mark.parametrize("call, M, message", [
    (laplace_steps, sympy.Matrix([[1, 2, 3], [4, 5, 6]]), "square"),
    (row_reduction_det_steps, sympy.Matrix([[1], [2]]), "square"),
    (sarrus_steps, sympy.eye(2), "3x3"),
    (laplace_steps, sympy.eye(5), "limited to 4x4"),
    (row_reduction_det_steps, sympy.Matrix([[a, 1], [1, a]]), "numeric"),
])
def test_bad_input(call, M, message):
    with pytest.raises(TutorError, match=message):
        call(M)


@pytest.mark.parametrize("seed", range(20))
def test_row_reduction_only_swaps_and_adds_rows(seed):
    """No row is scaled: the operations change the determinant by their sign only."""
    from tutor.rowreduce import RowAddMultiple, RowSwap
    rng = random.Random(300 + seed)
    M = random_matrix(rng, rng.randint(2, 5), singular=seed % 4 == 0, fractions=seed % 3 == 0)
    det = row_reduction_det_steps(M)
    assert checked(det) == M.det()
    ops = [op for g in det.step.substeps[:-1] for op in g.substeps[0].substeps]
    assert all(isinstance(op, (RowSwap, RowAddMultiple)) for op in ops)
    assert det.step.total in (1, -1)


def test_echelon_reduction_for_ranks_scales_no_row():
    from tutor.determinants import echelon_reduction
    from tutor.rowreduce import RowScale
    M = sympy.Matrix([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    red = echelon_reduction(M)
    assert red.step.check() and red.pivots == (0, 1)
    assert not any(isinstance(op, RowScale) for g in red.steps[:-1] for op in g.substeps)
    assert len(red.steps) == 3  # R2 - 2R1 and R3 - R1, then the swap; then the echelon form
