"""The determinant engine against sympy's det, on random and hand-picked matrices."""
from __future__ import annotations

import random

import pytest
import sympy

from tutor.linalg.determinants import (DetByRowReduction, LaplaceExpansion, laplace_steps,
                                row_reduction_det_steps, sarrus_steps)
from tutor.core.errors import TutorError

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
    from tutor.linalg.rowreduce import RowAddMultiple, RowSwap
    rng = random.Random(300 + seed)
    M = random_matrix(rng, rng.randint(2, 5), singular=seed % 4 == 0, fractions=seed % 3 == 0)
    det = row_reduction_det_steps(M)
    assert checked(det) == M.det()
    ops = [op for g in det.step.substeps[:-1] for op in g.substeps[0].substeps]
    assert all(isinstance(op, (RowSwap, RowAddMultiple)) for op in ops)
    assert det.step.total in (1, -1)


def test_echelon_reduction_for_ranks_scales_no_row():
    from tutor.linalg.determinants import echelon_reduction
    from tutor.linalg.rowreduce import RowScale
    M = sympy.Matrix([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    red = echelon_reduction(M)
    assert red.step.check() and red.pivots == (0, 1)
    assert not any(isinstance(op, RowScale) for g in red.steps[:-1] for op in g.substeps)
    assert len(red.steps) == 3  # R2 - 2R1 and R3 - R1, then the swap; then the echelon form


def _reference_laplace(M: sympy.Matrix):
    """The expansion computed with expressions throughout (every value through _simplify),
    as the engine did before it computed in QQ / QQ[symbols]: the fast path must hold the
    very same expressions (structurally, not only equal values)."""
    from tutor.linalg.determinants import _best_line, _simplify
    M = sympy.ImmutableMatrix(M)
    n = M.rows
    if n == 1:
        return ("1x1", M, _simplify(M[0, 0]))
    if n == 2:
        ad, bc = _simplify(M[0, 0] * M[1, 1]), _simplify(M[0, 1] * M[1, 0])
        return ("2x2", M, ad, bc, _simplify(ad - bc))
    axis, index, zeros = _best_line([[e == 0 for e in M.row(i)] for i in range(n)])
    line = [(index, k) if axis == "row" else (k, index) for k in range(n)]
    terms, values = [], []
    for i, j in line:
        if M[i, j] == 0:
            continue
        sub = _reference_laplace(M.minor_submatrix(i, j))
        value = _simplify((-1) ** (i + j) * M[i, j] * sub[-1])
        terms.append((i, j, M[i, j], sub[1], sub[-1], value, sub))
        values.append(value)
    return ("laplace", M, axis, index, zeros, tuple(terms), _simplify(sum(values, sympy.S.Zero)))


def _as_reference(step):
    from tutor.linalg.determinants import Det1x1, Det2x2
    if isinstance(step, Det1x1):
        return ("1x1", step.matrix, step.result)
    if isinstance(step, Det2x2):
        return ("2x2", step.matrix, *step.products, step.result)
    terms = tuple((t.i, t.j, t.entry, t.minor, t.minor_det, t.value, _as_reference(sub))
                  for t, sub in zip(step.terms, step.substeps))
    return ("laplace", step.matrix, step.axis, step.index, step.zeros, terms, step.result)


def _same_tree(a, b) -> bool:
    """Structural equality, matrices compared entry by entry (srepr: no simplification)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same_tree(x, y) for x, y in zip(a, b))
    if isinstance(a, sympy.MatrixBase) and isinstance(b, sympy.MatrixBase):
        return a.shape == b.shape and all(sympy.srepr(x) == sympy.srepr(y) for x, y in zip(a, b))
    if isinstance(a, sympy.Basic) or isinstance(b, sympy.Basic):
        return sympy.srepr(sympy.sympify(a)) == sympy.srepr(sympy.sympify(b))
    return a == b


@pytest.mark.parametrize("seed", range(30))
def test_polynomial_arithmetic_gives_the_same_expressions(seed):
    """Laplace computes in ZZ, QQ or QQ[symbols]; every step holds the expressions the
    expression engine gives (numbers, fractions, A - λI, symbolic entries), and checks."""
    rng = random.Random(300 + seed)
    n = rng.randint(1, 5)
    A = random_matrix(rng, n, fractions=seed % 3 == 0)
    kind = seed % 4
    if kind == 1:
        A = A - lam * sympy.eye(n)
    elif kind == 2 and n <= 3:
        A = A + sympy.Matrix(n, n, lambda i, j: rng.choice([0, 0, a, b, a * b - 1, (a - lam) ** 2]))
    det = laplace_steps(A, max_n=5)
    assert _same_tree(_as_reference(det.step), _reference_laplace(A))
    assert _same_tree(det.value, _reference_laplace(A)[-1])
    if n <= 4:
        checked(det)


def test_entries_that_are_not_polynomials_over_q_still_expand():
    for M in (sympy.Matrix([[sympy.sqrt(2) - lam, 1], [1, -lam]]),
              sympy.Matrix([[1 / a, 1, 0], [1, a, 1], [0, 1, sympy.sin(b)]]),
              sympy.Matrix([[sympy.Rational(1, 2), sympy.pi], [2, 3]])):
        det = laplace_steps(M)
        assert _same_tree(_as_reference(det.step), _reference_laplace(M))
        checked(det)


def test_laplace_polynomial_steps_gives_the_characteristic_polynomial_as_a_poly():
    from tutor.linalg.determinants import laplace_polynomial_steps
    A = sympy.Matrix([[2, 0, 0], [1, 2, 1], [0, 0, 3]])
    det, poly, terms = laplace_polynomial_steps(A - lam * sympy.eye(3), lam)
    assert sum(t.as_expr() for t in terms) == poly.as_expr() and len(terms) == len(det.step.terms)
    assert poly == sympy.Poly(A.charpoly(lam).as_expr() * -1, lam) and poly.domain == sympy.ZZ
    assert det.value == poly.as_expr()
    half = sympy.Matrix([[sympy.Rational(1, 2), 1], [0, 3]]) - lam * sympy.eye(2)
    assert laplace_polynomial_steps(half, lam)[1].domain == sympy.QQ
    assert laplace_polynomial_steps(sympy.Matrix([[a - lam, 1], [0, -lam]]), lam)[1] is None
    assert laplace_polynomial_steps(sympy.Matrix([[sympy.sqrt(2) - lam]]), lam)[1] is None


def test_a_repeated_minor_is_expanded_once():
    """A 4x4 full matrix meets each of its six 2x2 minors (rows 3-4) twice: one step each."""
    M = sympy.Matrix(4, 4, lambda i, j: i * 4 + j + 1 + (i == j))
    det = laplace_steps(M)
    seconds = [s for t in det.step.substeps for s in t.substeps]
    assert len(seconds) == 12 and len({id(s) for s in seconds}) == 6
    assert checked(det) == M.det()
