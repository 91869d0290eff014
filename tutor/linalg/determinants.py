"""Determinants the way a teacher computes them, as checkable step trees.

Three methods, each returning a :class:`Determinant` (the step tree and the value):

* :func:`laplace_steps`: Laplace (cofactor) expansion along the row or column with
  the most zeros, recursively; each minor's determinant is a substep, down to the
  2x2 formula ``ad - bc``.  It works with symbolic entries, so the eigen kinds call
  it on ``A - λI`` to get the characteristic polynomial (expanded).
* :func:`row_reduction_det_steps`: bring the matrix to echelon form with row swaps
  and additions of multiples of rows only (the step classes of :mod:`tutor.rowreduce`,
  but no scaling, so that the only bookkeeping is the sign: each swap changes it,
  adding a multiple of another row leaves the determinant unchanged); then the
  product of the diagonal, times ±1.
* :func:`sarrus_steps`: the rule of Sarrus for 3x3 matrices.

Every step's ``check()`` recomputes its claim with sympy (``Matrix.det``, minors,
products), independently of the code that produced it.
"""
from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Callable, ClassVar, Literal, NamedTuple

import sympy
from sympy import QQ, ZZ, ImmutableMatrix
from sympy.polys.polyclasses import DMP
from sympy.polys.polyerrors import CoercionFailed
from sympy.polys.rings import PolyElement, PolyRing

from tutor.core.errors import TutorError
from tutor.linalg.rowreduce import (Reduction, RowAddMultiple, RowCombine, RowOperation, RowScale,
                                    RowSwap, all_rational, immutable, matrix_rows, reduce,
                                    same_matrix)
from tutor.core.steps import Deferred, LazyField, MatrixRows, Step, stored

__all__ = [
    "Determinant", "Det1x1", "Det2x2", "LaplaceTerm", "LaplaceExpansion", "Sarrus",
    "DetRowGroup", "DetTriangular", "DetByRowReduction",
    "laplace_steps", "laplace_polynomial_steps", "PolynomialDeterminant", "leading_minor_steps", "minors_derived", "row_reduction_det_steps", "sarrus_steps", "det_effect", "echelon_reduction",
]


def _simplify(e: sympy.Expr) -> sympy.Expr:
    """The canonical form of a determinant or a term: polynomials expanded, the rest simplified."""
    if e.is_Rational:
        return e
    e = sympy.expand(e)
    if e.is_Rational or e.is_polynomial():
        return e
    return sympy.simplify(e)


def _equal(a: sympy.Expr, b: sympy.Expr) -> bool:
    if a.is_Rational and b.is_Rational:
        return a == b
    d = sympy.expand(a - b)
    return d == 0 or sympy.simplify(d) == 0


def _true_det(M: sympy.MatrixBase) -> sympy.Expr:
    """sympy's own determinant, the independent reference of every ``check()``."""
    return sympy.Matrix(M).det(method="berkowitz")


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class Det1x1(Step):
    """det [a] = a."""

    rule: ClassVar[str] = "det.1x1"
    matrix: ImmutableMatrix = LazyField()  # type: ignore[assignment]
    result: sympy.Expr = LazyField()  # type: ignore[assignment]

    def check(self) -> bool:
        return self.matrix.shape == (1, 1) and _equal(self.matrix[0, 0], self.result)


@dataclass(frozen=True, kw_only=True)
class Det2x2(Step):
    """det [[a, b], [c, d]] = ad - bc (``products`` holds ad and bc)."""

    rule: ClassVar[str] = "det.2x2"
    matrix: ImmutableMatrix = LazyField()  # type: ignore[assignment]
    products: tuple[sympy.Expr, sympy.Expr] = LazyField()  # type: ignore[assignment]
    result: sympy.Expr = LazyField()  # type: ignore[assignment]

    def check(self) -> bool:
        (a, b), (c, d) = self.matrix.tolist() if self.matrix.shape == (2, 2) else ((0, 0), (0, 1))
        return (self.matrix.shape == (2, 2) and _equal(self.products[0], a * d)
                and _equal(self.products[1], b * c)
                and _equal(self.result, self.products[0] - self.products[1])
                and _equal(self.result, _true_det(self.matrix)))


@dataclass(frozen=True)
class LaplaceTerm:
    """One term ``sign * entry * det(minor)`` of a Laplace expansion (0-based ``i``, ``j``)."""

    i: int
    j: int
    entry: sympy.Expr
    sign: int
    minor: ImmutableMatrix = LazyField()  # type: ignore[assignment]
    minor_det: sympy.Expr = LazyField()  # type: ignore[assignment]
    value: sympy.Expr = LazyField()  # type: ignore[assignment]


@dataclass(frozen=True, kw_only=True)
class LaplaceExpansion(Step):
    """``det(matrix)`` expanded along row or column ``index`` (0-based).

    ``terms`` holds the nonzero entries of that line only (``zeros`` entries are 0 and
    contribute nothing); the substeps compute each minor's determinant, in the order of
    the terms.  ``result`` is the expanded sum.
    """

    rule: ClassVar[str] = "det.laplace"
    matrix: ImmutableMatrix = LazyField()  # type: ignore[assignment]
    axis: Literal["row", "column"]
    index: int
    zeros: int
    terms: tuple[LaplaceTerm, ...]
    result: sympy.Expr = LazyField()  # type: ignore[assignment]

    def check(self) -> bool:
        M, n = self.matrix, self.matrix.rows
        line = [(self.index, k) if self.axis == "row" else (k, self.index) for k in range(n)]
        nonzero = [(i, j) for i, j in line if M[i, j] != 0]
        if [(t.i, t.j) for t in self.terms] != nonzero or self.zeros != n - len(nonzero):
            return False
        if len(self.substeps) != len(self.terms):
            return False
        for t, sub in zip(self.terms, self.substeps):
            if not (t.entry == M[t.i, t.j] and t.sign == (-1) ** (t.i + t.j)
                    and t.minor == M.minor_submatrix(t.i, t.j)
                    and getattr(sub, "matrix", None) == t.minor
                    and _equal(getattr(sub, "result", None), t.minor_det)
                    and _equal(t.value, t.sign * t.entry * t.minor_det)):
                return False
        total = sum((t.value for t in self.terms), sympy.S.Zero)
        return _equal(self.result, total) and _equal(self.result, _true_det(M))


@dataclass(frozen=True, kw_only=True)
class Sarrus(Step):
    """The rule of Sarrus: three products down the diagonals minus three up the anti-diagonals.

    ``plus`` and ``minus`` hold the products in the order
    ``a11 a22 a33, a12 a23 a31, a13 a21 a32`` and ``a31 a22 a13, a32 a23 a11, a33 a21 a12``.
    """

    rule: ClassVar[str] = "det.sarrus"
    matrix: ImmutableMatrix
    plus: tuple[sympy.Expr, sympy.Expr, sympy.Expr]
    minus: tuple[sympy.Expr, sympy.Expr, sympy.Expr]
    result: sympy.Expr

    def check(self) -> bool:
        M = self.matrix
        if M.shape != (3, 3):
            return False
        down = [M[0, k] * M[1, (k + 1) % 3] * M[2, (k + 2) % 3] for k in range(3)]
        up = [M[2, k] * M[1, (k + 1) % 3] * M[0, (k + 2) % 3] for k in range(3)]
        return (all(_equal(a, b) for a, b in zip(self.plus, down))
                and all(_equal(a, b) for a, b in zip(self.minus, up))
                and _equal(self.result, sum(self.plus) - sum(self.minus))
                and _equal(self.result, _true_det(M)))


def det_effect(op: RowOperation) -> sympy.Expr:
    """The factor c with det(after) = c * det(before) for one elementary row operation."""
    if isinstance(op, RowSwap):
        return sympy.Integer(-1)
    if isinstance(op, RowScale):
        return op.factor
    if isinstance(op, RowCombine):
        return op.target_factor
    if isinstance(op, RowAddMultiple):
        return sympy.Integer(1)
    raise TypeError(f"unknown row operation {type(op).__name__}")


@dataclass(frozen=True, kw_only=True)
class DetRowGroup(Step):
    """A group of row operations (the one substep, from :mod:`tutor.rowreduce`) and how
    each scales the determinant: ``effects[k]`` is c with det(after) = c det(before) for
    the k-th operation; ``factor`` is their product and ``total`` the running product
    since the start, so det(after) = total * det(original)."""

    rule: ClassVar[str] = "det.row_group"
    before: ImmutableMatrix = LazyField()
    after: ImmutableMatrix = LazyField()
    effects: tuple[sympy.Expr, ...]
    factor: sympy.Expr
    total: sympy.Expr

    def check(self) -> bool:
        if len(self.substeps) != 1:
            return False
        ops = self.substeps[0].substeps
        if len(ops) != len(self.effects) or not all(
                isinstance(op, RowOperation) and _equal(det_effect(op), c)
                for op, c in zip(ops, self.effects)):
            return False
        return (_equal(self.factor, sympy.Mul(*self.effects))
                and same_matrix(self.substeps[0].before, self.before)
                and same_matrix(self.substeps[0].after, self.after)
                and _equal(_true_det(self.after), self.factor * _true_det(self.before)))


@dataclass(frozen=True, kw_only=True)
class DetTriangular(Step):
    """The determinant of an upper triangular matrix is the product of its diagonal."""

    rule: ClassVar[str] = "det.triangular"
    matrix: ImmutableMatrix = LazyField()
    diagonal: tuple[sympy.Expr, ...]
    result: sympy.Expr

    def check(self) -> bool:
        M = self.matrix
        return (M.is_upper and tuple(M[k, k] for k in range(M.rows)) == self.diagonal
                and _equal(self.result, sympy.Mul(*self.diagonal))
                and _equal(self.result, _true_det(M)))


@dataclass(frozen=True, kw_only=True)
class DetByRowReduction(Step):
    """det(matrix) by elimination: the substeps are the :class:`DetRowGroup` steps and a
    :class:`DetTriangular` for the echelon form ``echelon``; the operations multiplied the
    determinant by ``total``, so det(matrix) = ``triangular`` / ``total`` = ``result``."""

    rule: ClassVar[str] = "det.rows"
    matrix: ImmutableMatrix
    echelon: ImmutableMatrix = LazyField()
    total: sympy.Expr
    triangular: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        groups = [s for s in self.substeps if isinstance(s, DetRowGroup)]
        current, running = self.matrix, sympy.S.One
        for g in groups:
            running *= g.factor
            if not (same_matrix(g.before, current) and _equal(g.total, running)):
                return False
            current = g.after
        last = self.substeps[-1] if self.substeps else None
        return (isinstance(last, DetTriangular) and same_matrix(current, self.echelon)
                and last.matrix == self.echelon and _equal(last.result, self.triangular)
                and _equal(running, self.total)
                and _equal(self.result * self.total, self.triangular)
                and _equal(self.result, _true_det(self.matrix)))


# ---------------------------------------------------------------- the engine

class Determinant(NamedTuple):
    """A determinant's derivation (one step, with its substeps) and its value."""

    step: Step
    value: sympy.Expr


def _square(M: sympy.MatrixBase) -> sympy.MatrixBase:
    if M.rows == 0 or M.cols == 0:
        raise TutorError("the matrix is empty")
    if M.rows != M.cols:
        raise TutorError(f"a determinant needs a square matrix; this one is {M.rows}x{M.cols}")
    return M


def _require_square(M: sympy.MatrixBase) -> ImmutableMatrix:
    return immutable(_square(M))


def _best_line(zero: list[list[bool]]) -> tuple[Literal["row", "column"], int, int]:
    """The row or column with the most zeros (rows first, then the lowest index, on ties);
    ``zero[i][j]`` says whether entry (i, j) is 0."""
    n = len(zero)
    lines = [("row", k, sum(zero[k])) for k in range(n)]
    lines += [("column", k, sum(zero[i][k] for i in range(n))) for k in range(n)]
    return max(lines, key=lambda t: (t[2], t[0] == "row", -t[1]))  # type: ignore[return-value]


class _Arithmetic(NamedTuple):
    """How the Laplace engine computes: ``entries`` (row lists) in some domain with its
    ``zero`` (``+ - *`` are Python's operators), ``norm`` a result's canonical form in that
    domain, ``display`` an element as the expression the steps hold."""

    entries: list[list]
    zero: object
    norm: Callable
    display: Callable


def _identity(x: object) -> object:
    return x


def _expression_arithmetic(entries: list[list[sympy.Expr]]) -> _Arithmetic:
    """Entries as expressions, each result brought to canonical form by :func:`_simplify`."""
    return _Arithmetic(entries, sympy.S.Zero, _simplify, _identity)


@functools.lru_cache(maxsize=16)
def _ring(gens: tuple[sympy.Symbol, ...]) -> PolyRing:
    """QQ[gens], made once: sympy builds a ring's monomial code anew on every construction."""
    return PolyRing(gens, QQ)


def _to_ring(e: sympy.Expr, R: PolyRing) -> PolyElement:
    """``e`` (a polynomial over Q in R's symbols) as an element of R; ValueError otherwise."""
    if e.is_Rational:
        return R.ground_new(QQ(int(e.p), int(e.q)))
    if e.is_Symbol and e in R.symbols:
        return R.gens[R.symbols.index(e)]
    if e.is_Add:
        return functools.reduce(operator.add, (_to_ring(a, R) for a in e.args))
    if e.is_Mul:
        return functools.reduce(operator.mul, (_to_ring(a, R) for a in e.args))
    if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
        return _to_ring(e.base, R) ** int(e.exp)
    return R.from_expr(e)  # raises ValueError (or CoercionFailed) for anything else


def _ring_expr(p: PolyElement) -> sympy.Expr:
    """``p.as_expr()``: the same sum of ``coefficient * monomial`` terms, without the
    option processing of sympy's general converter."""
    symbols, to_sympy = p.ring.symbols, QQ.to_sympy
    return sympy.Add(*[sympy.Mul(to_sympy(c), *[s**k for s, k in zip(symbols, monom) if k])
                       for monom, c in p.items()])


def _polynomial_arithmetic(M: sympy.MatrixBase, entries: list[list[sympy.Expr]]
                           ) -> _Arithmetic | None:
    """``M``'s entries (``entries``, row by row) as elements of ZZ, QQ (numbers) or
    QQ[symbols] (``A - λI``, symbolic entries), or None when an entry is not a polynomial
    with rational coefficients (surds, 1/a, sin a).

    Products and sums of polynomials stay in the ring (no expression is built, expanded or
    cached); a value becomes an expression only for display: the expanded polynomial, the
    same expression as :func:`_simplify` gives (``tests/test_determinants.py`` checks this)."""
    rep = getattr(M, "_rep", None)  # sympy's own DomainMatrix: ZZ or QQ for a rational matrix
    if rep is not None and (rep.domain.is_ZZ or rep.domain.is_QQ):
        return _Arithmetic(rep.to_list(), rep.domain.zero, _identity, rep.domain.to_sympy)
    if all_rational(entries):
        rows = [[QQ(int(e.p), int(e.q)) for e in row] for row in entries]
        return _Arithmetic(rows, QQ.zero, _identity, QQ.to_sympy)
    gens = tuple(sorted(M.free_symbols, key=sympy.default_sort_key))
    if not gens:
        return None
    R = _ring(gens)
    converted: dict[sympy.Expr, PolyElement] = {}
    try:
        for row in entries:
            for e in row:
                if e not in converted:
                    converted[e] = _to_ring(e, R)
    except (ValueError, CoercionFailed):
        return None
    rows = [[converted[e] for e in row] for row in entries]
    return _Arithmetic(rows, R.zero, _identity, _ring_expr)


def _display_all(display: Callable, *values: object) -> tuple:
    return tuple(display(v) for v in values)


def _laplace(M: sympy.MatrixBase) -> tuple[Determinant, object, list]:
    """The Laplace expansion of M, det(M) in the domain it was computed in (QQ,
    QQ[symbols], or expressions), and the values of the terms of the top expansion there
    (empty when M is 2x2 or smaller).

    The minor with rows ``rows`` and columns ``cols`` of M is expanded once, however many
    expansions above it meet it (a 5x5 meets its 2x2 minors 60 times, 10 distinct ones):
    steps are immutable, so the same step serves each time.  The values the steps show
    (minors' determinants, terms) become expressions only when read (:class:`Deferred`):
    building them was a quarter of a 4x4 eigenvalue problem."""
    S = matrix_rows(M)
    E, zero, norm, display = _polynomial_arithmetic(M, S) or _expression_arithmetic(S)
    memo: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[Determinant, object]] = {}
    full = tuple(range(M.rows))
    top: list = []  # the values of the top expansion's terms, in the domain

    def det(rows: tuple[int, ...], cols: tuple[int, ...], sub_M: ImmutableMatrix | MatrixRows
            ) -> tuple[Determinant, object]:
        key = (rows, cols)
        if key in memo:
            return memo[key]
        n = len(rows)
        if n == 1:
            x = norm(E[rows[0]][cols[0]])
            value = Deferred(display, x)
            out = Determinant(Det1x1(matrix=sub_M, result=value), value), x
        elif n == 2:
            (r0, r1), (c0, c1) = rows, cols
            ad, bc = norm(E[r0][c0] * E[r1][c1]), norm(E[r0][c1] * E[r1][c0])
            x = norm(ad - bc)
            value = Deferred(display, x)
            out = Determinant(Det2x2(matrix=sub_M, products=Deferred(_display_all, display, ad, bc),
                                     result=value), value), x
        else:
            axis, index, zeros = _best_line([[E[i][j] == 0 for j in cols] for i in rows])
            line = [(index, k) if axis == "row" else (k, index) for k in range(n)]
            terms, subs, x = [], [], zero
            for i, j in line:
                entry = E[rows[i]][cols[j]]
                if entry == 0:
                    continue
                minor_rows, minor_cols = rows[:i] + rows[i + 1:], cols[:j] + cols[j + 1:]
                minor = minors.get((minor_rows, minor_cols))
                if minor is None:  # built as a sympy matrix only when read
                    minor = minors[minor_rows, minor_cols] = MatrixRows(
                        [[S[r][c] for c in minor_cols] for r in minor_rows], ImmutableMatrix)
                (sub_step, minor_det), minor_x = det(minor_rows, minor_cols, minor)
                sign = (-1) ** (i + j)
                term = norm((entry if sign == 1 else -entry) * minor_x)
                terms.append(LaplaceTerm(i, j, S[rows[i]][cols[j]], sign, minor, minor_det,
                                         Deferred(display, term)))
                subs.append(sub_step)
                x = x + term
                if rows == full and cols == full:
                    top.append(term)
            x = norm(x)
            value = Deferred(display, x)
            out = Determinant(LaplaceExpansion(matrix=sub_M, axis=axis, index=index, zeros=zeros,
                                               terms=tuple(terms), result=value,
                                               substeps=tuple(subs)), value), x
        memo[key] = out
        return out

    minors: dict[tuple[tuple[int, ...], tuple[int, ...]], MatrixRows] = {}
    (step, value), x = det(full, full, M if isinstance(M, ImmutableMatrix) else MatrixRows(S, ImmutableMatrix))
    return Determinant(step, value.value), x, top


def _check_size(M: sympy.MatrixBase, max_n: int) -> sympy.MatrixBase:
    M = _square(M)
    if M.rows > max_n:
        raise TutorError(f"Laplace expansion is limited to {max_n}x{max_n} matrices "
                         f"(this one is {M.rows}x{M.rows}); use --method rows")
    return M


def laplace_steps(M: sympy.MatrixBase, *, max_n: int = 4) -> Determinant:
    """det(M) by Laplace expansion along the line with most zeros, recursively.

    Works with symbolic entries (``A - λI``): the value is the expanded polynomial.
    ``max_n`` bounds the size (an n x n expansion has up to n! terms).
    """
    return _laplace(_check_size(M, max_n))[0]


class PolynomialDeterminant(NamedTuple):
    """:func:`laplace_polynomial_steps`: the derivation, det as a ``Poly`` (None when the entries
    are not polynomials in the variable alone over Q) and the top expansion's terms as ``Poly``
    objects (empty then, or for a 2x2)."""

    det: Determinant
    poly: sympy.Poly | None
    terms: tuple[sympy.Poly, ...]


def laplace_polynomial_steps(M: sympy.MatrixBase, var: sympy.Symbol, *, max_n: int = 4
                             ) -> PolynomialDeterminant:
    """:func:`laplace_steps`, and det(M) (and the terms of its expansion) as ``Poly`` objects in
    ``var`` when the entries are polynomials in ``var`` alone with rational coefficients (``A -
    λI`` of a rational A): the characteristic polynomial without going through its expression
    again, and the terms without building theirs (a factor common to them is looked for)."""
    det, x, top = _laplace(_check_size(M, max_n))
    if not (isinstance(x, PolyElement) and x.ring.symbols == (var,)):
        return PolynomialDeterminant(det, None, ())
    return PolynomialDeterminant(det, _as_poly(x, var), tuple(_as_poly(t, var) for t in top))


def _as_poly(x: PolyElement, var: sympy.Symbol) -> sympy.Poly:
    """An element of QQ[var] as a ``Poly`` over ZZ (integer coefficients) or QQ."""
    coeffs = [x.get((k,), QQ.zero) for k in range(x.degree(), -1, -1)] if x else []
    if all(c.denominator == 1 for c in coeffs):
        rep = DMP.from_list([ZZ(int(c.numerator)) for c in coeffs], 0, ZZ)
    else:
        rep = DMP.from_list(coeffs, 0, QQ)
    return sympy.Poly.new(rep, var)


def sarrus_steps(M: sympy.MatrixBase) -> Determinant:
    """det(M) of a 3x3 matrix by the rule of Sarrus."""
    M = _require_square(M)
    if M.shape != (3, 3):
        raise TutorError(f"the rule of Sarrus is for 3x3 matrices only; this one is {M.rows}x{M.cols}")
    plus = tuple(_simplify(M[0, k] * M[1, (k + 1) % 3] * M[2, (k + 2) % 3]) for k in range(3))
    minus = tuple(_simplify(M[2, k] * M[1, (k + 1) % 3] * M[0, (k + 2) % 3]) for k in range(3))
    value = _simplify(sum(plus) - sum(minus))
    return Determinant(Sarrus(matrix=M, plus=plus, minus=minus, result=value), value)  # type: ignore[arg-type]


def leading_minor_steps(M: sympy.MatrixBase, count: int | None = None) -> tuple[Determinant, ...]:
    """The determinants of the top-left k x k blocks of M for k = 2, ..., ``count`` (all when
    None), each derived (Δ_1 is an entry): the 2x2 formula, the rule of Sarrus for the 3x3,
    Laplace expansion beyond (Sylvester's criterion, computed rather than asserted)."""
    M = _require_square(M)
    last = M.rows if count is None else count
    return tuple(sarrus_steps(M[:k, :k]) if k == 3 else laplace_steps(M[:k, :k], max_n=M.rows)
                 for k in range(2, last + 1))


def minors_derived(M: sympy.MatrixBase, minors: tuple[sympy.Expr, ...], steps: tuple[Step, ...]) -> bool:
    """``steps`` derive the leading minors ``minors[1:]`` of M (``minors[0]`` is its first entry),
    in order: each is a determinant step of the right block with that value."""
    return len(steps) == max(len(minors) - 1, 0) and all(
        getattr(sub, "matrix", None) == M[:k, :k]
        and _equal(getattr(sub, "result", None), sympy.sympify(d, strict=True))
        for k, (sub, d) in enumerate(zip(steps, minors[1:]), 2))


def echelon_reduction(M: sympy.MatrixBase) -> Reduction:
    """M brought to an echelon form without scaling any row (fraction-free for integer rows),
    as a :class:`~tutor.rowreduce.Reduction` that stops at the echelon form: what a teacher
    writes for a rank, an image or an independence test, where only the pivots matter."""
    return reduce(ImmutableMatrix(M), to="ref", scaling=False)


def row_reduction_det_steps(M: sympy.MatrixBase) -> Determinant:
    """det(M) by elimination to echelon form, tracking how each row operation scales it.

    Numbers only: with symbolic entries a pivot may be zero for some values of the
    symbols, which elimination cannot see (use :func:`laplace_steps` instead).
    """
    M = _require_square(M)
    if not all_rational(matrix_rows(M)):
        if M.free_symbols:
            raise TutorError("determinant by row reduction needs numeric entries "
                             "(a symbolic pivot might be zero); use --method laplace")
        M = ImmutableMatrix(M.applyfunc(lambda e: sympy.nsimplify(e, rational=True)
                                        if isinstance(e, sympy.Float) else e))
    red = reduce(M, to="ref", scaling=False, fraction_free=False)
    U = stored(red, "echelon")
    groups: list[Step] = []
    total = sympy.S.One
    for group in red.steps[:-1]:  # the column eliminations, then the echelon form
        ops = [op for op in group.substeps if isinstance(op, RowOperation)]
        effects = tuple(det_effect(op) for op in ops)
        factor = _simplify(sympy.Mul(*effects))
        total = _simplify(total * factor)
        groups.append(DetRowGroup(before=stored(group, "before"),
                                  after=stored(group, "after"), effects=effects,
                                  factor=factor, total=total, substeps=(group,)))
    diagonal = tuple(red.echelon[k, k] for k in range(M.rows))
    triangular = _simplify(sympy.Mul(*diagonal))
    value = _simplify(triangular / total)
    tri = DetTriangular(matrix=U, diagonal=diagonal, result=triangular)
    return Determinant(DetByRowReduction(matrix=M, echelon=U, total=total,
                                         triangular=triangular, result=value,
                                         substeps=(*groups, tri)), value)
