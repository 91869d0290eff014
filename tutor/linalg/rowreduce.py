"""Gaussian and Gauss-Jordan elimination that records a teacher's steps.

sympy's ``Matrix.rref()`` is fraction-free and normalizes last, in an order no
student would follow (see PITFALLS.md), so the tutor chooses and records its own
row operations.  One engine serves every kind that row-reduces: linear systems
``[A | b]``, kernels, inverses via ``[A | I]``, ranks, eigenspaces of ``A - λI``.

The policy is a teacher's, chosen so that fractions appear only where the answer
has them (for rational matrices every matrix is integral until the final scaling), with
as few elementary operations as that allows (``bench/bench_rowops.py`` counts them
against a search over the pivot choices):

* a row with fractions is first made an integer row (multiplied by the lcm of its
  denominators over the gcd of the cleared numerators, one operation); integer rows are
  not divided by a common factor: that would be a second scaling of a row whose pivot is
  scaled to 1 at the end anyway (``R_1/3`` then ``R_1/10`` instead of ``R_1/30``), or of a
  row that elimination turns into zeros;
* pivot choice in a column, among the remaining rows: a rational matrix of up to four rows
  tries every sequence of pivot rows and keeps the one with the fewest operations, then the
  smallest numbers (``_best_plan``); the heuristic it starts from, and the choice for larger or
  symbolic matrices: a row that other rows are
  multiples of (they become zero in one operation each); then keep the current row if
  its entry is nonzero, unless it is not ±1 and another row's entry is 1 (that swap costs what
  scaling the pivot would); a zero entry is replaced by a ±1 if there is one, else by
  the entry of smallest absolute value (symbolic entries only when no rational one
  exists, and only if provably nonzero);
* eliminate with ``R_t <- R_t + c R_s`` when ``c`` is an integer (a row that is a
  multiple of the pivot row becomes zero in one operation), else with the fraction-free
  ``R_t <- a R_t + b R_s``, the smallest such integers, exactly as a teacher writes it (a
  common factor is not divided out in the same operation: ``(13R_2 - 12R_1) / 25`` is two
  operations written as one);
* each pivot row is divided by its pivot once: when it is chosen, only if that keeps it an
  integer row and saves an operation (the search decides), or going back up
  (Gauss-Jordan) just before it clears the entries above it, if that keeps it integral
  (the entries above are then cleared with integer multiples), else at the very end
  (``NormalizePivots``), where fractions appear only when the answer has them.

Every step is a frozen dataclass whose ``check()`` recomputes its result with
sympy's own elementary row operations, independently of this engine.

Speed: a rational matrix is reduced in Python's ``int``/``Fraction``, and each step's
matrices are built as sympy matrices only when read (:class:`tutor.steps.MatrixRows`):
most are read only when the derivation is rendered or checked.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, Literal, Sequence

import sympy
from sympy import QQ, ZZ, Basic, ImmutableMatrix, Rational, Tuple
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.sdm import SDM

from tutor.core.steps import LazyField, MatrixRows, Step, stored
from tutor.core.symcheck import is_zero
from tutor.linalg.algebraic import FieldNumber, quadratic_field, to_field_number

__all__ = [
    "Purpose", "RowOperation", "RowSwap", "RowScale", "RowAddMultiple", "RowCombine",
    "SimplifyRows", "EliminateColumn", "NormalizePivots", "EchelonForm", "ReducedEchelonForm",
    "RowReduction", "Reduction", "reduce", "is_nonzero", "same_matrix", "snapshot", "matrix_rows",
    "immutable", "all_rational",
]


# ---------------------------------------------------------------- entry helpers

def snapshot(rows: Sequence[Sequence[Any]]) -> ImmutableMatrix:
    """The rows (sympy entries, or Python's ``int``/``Fraction``) as an immutable matrix,
    equal to ``ImmutableMatrix`` of their sympy values.

    Every row operation records a matrix, so this runs once per matrix read: for rational
    rows (the common case) the matrix is built over ZZ/QQ directly, which skips sympy's
    domain inference and the conversion of the entries back (8x8 systems: 50 -> 30 ms).
    ``tests/test_rowreduce.py`` checks that it stays equal to sympy's own matrix.
    """
    if not rows or not rows[0] or not all_rational(rows):
        return ImmutableMatrix(rows)
    if all(_is_integer(e) for row in rows for e in row):
        domain, element = ZZ, int
    else:
        domain, element = QQ, lambda e: QQ(int(e.numerator), int(e.denominator))
    shape = (len(rows), len(rows[0]))
    sparse = {i: {j: element(e) for j, e in enumerate(row) if e} for i, row in enumerate(rows)}
    rep = DomainMatrix.from_rep(SDM({i: row for i, row in sparse.items() if row}, shape, domain))
    return _from_domain(rep, [_to_sympy(e) for row in rows for e in row])


def all_rational(rows: Sequence[Sequence[Any]]) -> bool:
    """Every entry a rational number (sympy's, or Python's ``int``/``Fraction``)."""
    return all(_is_rational(e) for row in rows for e in row)


def matrix_rows(M: sympy.MatrixBase) -> list[list[sympy.Expr]]:
    """The entries of ``M`` row by row; read straight from an immutable matrix's arguments
    (indexing, or ``tolist()``, converts every entry from the internal representation)."""
    if type(M) is ImmutableMatrix:
        flat = M.args[2].args
        return [list(flat[i * M.cols:(i + 1) * M.cols]) for i in range(M.rows)]
    return M.tolist()


def immutable(M: sympy.MatrixBase) -> ImmutableMatrix:
    """``M`` as an immutable matrix, equal to ``ImmutableMatrix(M)``: an immutable one as it
    is; a rational one from a copy of its internal ZZ/QQ representation; another through
    :func:`snapshot`.  Both skip sympy's domain inference, most of the cost of converting a
    small matrix (6x6: 127 us, a third of sympy's whole inv())."""
    if type(M) is ImmutableMatrix:
        return M
    rep = getattr(M, "_rep", None)
    if rep is not None and (rep.domain.is_ZZ or rep.domain.is_QQ):
        return ImmutableMatrix._fromrep(rep.copy())
    return snapshot(matrix_rows(M))


def _from_domain(rep: DomainMatrix, entries: list[sympy.Expr]) -> ImmutableMatrix:
    """What ``ImmutableMatrix._fromrep`` does, minus converting the entries back to sympy:
    we have them."""
    matrix = Basic.__new__(ImmutableMatrix, sympy.Integer(rep.shape[0]), sympy.Integer(rep.shape[1]),
                           Tuple(*entries, sympify=False))
    matrix._rows, matrix._cols, matrix._rep = rep.shape[0], rep.shape[1], rep
    return matrix


def _from_sympy(e: Rational) -> int | Fraction:
    return int(e.p) if e.q == 1 else Fraction(int(e.p), int(e.q))


def _to_sympy(e: Any) -> sympy.Expr:
    """An entry or factor as sympy records it (Python's exact numbers converted)."""
    if type(e) is int:
        return sympy.Integer(e)
    if type(e) is Fraction:
        return Rational(e.numerator, e.denominator)
    if type(e) is FieldNumber:
        return e._sympy_()
    return e


def _tidy(e: Any) -> Any:
    """Canonical form of an entry: exact numbers stay numbers (a whole Fraction becomes an int),
    sympy rationals stay as they are, anything else is simplified."""
    if type(e) is int:
        return e
    if type(e) is Fraction:
        return e.numerator if e.denominator == 1 else e
    if type(e) is FieldNumber or getattr(e, "is_Rational", False):
        return e
    e = sympy.sympify(e)
    return e if e.is_Rational else sympy.simplify(e)


def _scaled(factor: Any, row: Sequence[Any]) -> list[Any]:
    """``factor * e`` for each entry; a fraction p/q times integers by integer arithmetic
    (``Fraction * int`` goes through three method calls and two gcds per entry)."""
    if type(factor) is Fraction and all(type(e) is int for e in row):
        p, q = factor.numerator, factor.denominator
        return [p * e // q if p * e % q == 0 else Fraction(p * e, q) for e in row]
    return [factor * e for e in row]


def _divide(a: Any, b: Any) -> Any:
    """``a / b`` exactly: Python's ``/`` would give a float for two ints."""
    if (type(b) is int or type(b) is Fraction) and (type(a) is int or type(a) is Fraction):
        return _tidy(Fraction(a) / b)
    return _tidy(a / b)


def _is_rational(e: Any) -> bool:
    return type(e) is int or type(e) is Fraction or bool(getattr(e, "is_Rational", False))


def _is_integer(e: Any) -> bool:
    return type(e) is int or bool(getattr(e, "is_Integer", False))


def is_nonzero(e: Any) -> bool:
    """True only when ``e`` is provably nonzero (a nonzero rational, or simplify decides it)."""
    if type(e) is int or type(e) is Fraction or type(e) is FieldNumber:
        return e != 0
    e = sympy.sympify(e)
    if e.is_Rational:
        return e != 0
    field = quadratic_field([e])
    if field is not None:  # a surd, a complex number: decided exactly in Q(√d, i)
        return to_field_number(field, e) != 0
    return sympy.simplify(e).is_zero is False




def same_matrix(a: sympy.MatrixBase, b: sympy.MatrixBase) -> bool:
    """Equal shapes and entries equal up to simplification (:func:`symcheck.is_zero`, after
    the quick exact test: the difference expands to 0, as it does for surds)."""
    if a.shape != b.shape:
        return False
    return all(x == y or _expands_to_zero(x - y) or is_zero(x - y) for x, y in zip(a, b))


def _expands_to_zero(e: sympy.Expr) -> bool:
    return not e.has(sympy.CRootOf) and sympy.expand(e) == 0


def _integral(row: Sequence[Any]) -> bool:
    return all(type(e) is int for e in row) or all(_is_integer(e) for e in row)


def _primitive_factor(row: Sequence[Any]) -> tuple[int, int] | None:
    """``(lcm, gcd)``: the factor lcm/gcd makes a rational row a primitive integer row (it
    clears the denominators, then divides by the gcd); None if that factor is 1 or n/a."""
    if not all(_is_rational(e) for e in row) or all(e == 0 for e in row):
        return None
    lcm = math.lcm(*(int(e.denominator) for e in row))
    gcd = math.gcd(*(abs(int(e.numerator) * (lcm // int(e.denominator))) for e in row))
    common = math.gcd(lcm, gcd)
    return None if lcm == gcd else (lcm // common, gcd // common)


# ---------------------------------------------------------------- steps

@dataclass(frozen=True)
class Purpose:
    """Why a row operation was done, as data for the template.

    ``key``: ``pivot_nonzero`` (swap: the current entry is 0), ``pivot_unit`` (swap in
    a 1), ``pivot_multiples`` (swap in the row that other rows are multiples of), ``pivot_fewer``
    (swap in the row that needs the fewest operations in all), ``clear_fractions`` (multiply by the lcm of the denominators over the gcd),
    ``eliminate_below`` / ``eliminate_above`` (make this entry 0), ``normalize`` (make
    the pivot 1).  ``column`` is the 0-based column concerned (None for whole-row
    operations) and ``variable`` its name when the caller gave names.
    """

    key: str
    column: int | None = None
    variable: Any = None


@dataclass(frozen=True, kw_only=True)
class RowOperation(Step):
    """An elementary row operation: the matrix ``before`` and ``after``, and why."""

    before: ImmutableMatrix = LazyField()
    after: ImmutableMatrix = LazyField()
    purpose: Purpose | None = None

    def expected(self) -> sympy.Matrix:
        """``before`` transformed by this operation, computed with sympy's own row ops."""
        raise NotImplementedError

    def valid(self) -> bool:
        return True

    def check(self) -> bool:
        return self.valid() and same_matrix(self.expected(), self.after)


@dataclass(frozen=True, kw_only=True)
class RowSwap(RowOperation):
    """``R_i <-> R_j`` (0-based ``i``, ``j``)."""

    rule: ClassVar[str] = "row.swap"
    i: int
    j: int

    def valid(self) -> bool:
        return self.i != self.j

    def expected(self) -> sympy.Matrix:
        return self.before.as_mutable().elementary_row_op("n<->m", row1=self.i, row2=self.j)


@dataclass(frozen=True, kw_only=True)
class RowScale(RowOperation):
    """``R_row <- factor * R_row`` (``factor`` nonzero; 1/g reads as a division by g)."""

    rule: ClassVar[str] = "row.scale"
    row: int
    factor: sympy.Expr

    def valid(self) -> bool:
        return is_nonzero(self.factor)

    def expected(self) -> sympy.Matrix:
        return self.before.as_mutable().elementary_row_op("n->kn", row=self.row, k=self.factor)


@dataclass(frozen=True, kw_only=True)
class RowAddMultiple(RowOperation):
    """``R_target <- R_target + factor * R_source``."""

    rule: ClassVar[str] = "row.add_multiple"
    target: int
    source: int
    factor: sympy.Expr

    def valid(self) -> bool:
        return self.target != self.source

    def expected(self) -> sympy.Matrix:
        return self.before.as_mutable().elementary_row_op(
            "n->n+km", row=self.target, k=self.factor, row2=self.source)


@dataclass(frozen=True, kw_only=True)
class RowCombine(RowOperation):
    """Fraction-free ``R_target <- target_factor * R_target + source_factor * R_source``.

    Teachers write e.g. ``R_2 <- 3R_2 - 4R_1`` to avoid fractions; ``target_factor``
    is nonzero (and positive as the engine makes it).
    """

    rule: ClassVar[str] = "row.combine"
    target: int
    source: int
    target_factor: sympy.Expr
    source_factor: sympy.Expr

    def valid(self) -> bool:
        return self.target != self.source and is_nonzero(self.target_factor)

    def expected(self) -> sympy.Matrix:
        m = self.before.as_mutable().elementary_row_op("n->kn", row=self.target, k=self.target_factor)
        return m.elementary_row_op("n->n+km", row=self.target, k=self.source_factor, row2=self.source)


@dataclass(frozen=True, kw_only=True)
class _Group(Step):
    """Several row operations shown together: ``before``, the ops (substeps), ``after``."""

    before: ImmutableMatrix = LazyField()
    after: ImmutableMatrix = LazyField()

    def claim(self) -> bool:
        return True

    def check(self) -> bool:
        return chained(self.before, self.substeps, self.after) and self.claim()


def chained(before: sympy.MatrixBase, operations: tuple[Step, ...], after: sympy.MatrixBase) -> bool:
    """Each operation is a row operation that checks and starts where the last one ended; the
    chain goes from ``before`` to ``after``."""
    current = before
    for op in operations:
        if not (isinstance(op, RowOperation) and same_matrix(op.before, current) and op.check()):
            return False
        current = op.after
    return same_matrix(current, after)


@dataclass(frozen=True, kw_only=True)
class EliminateColumn(_Group):
    """The operations done for one pivot at (``pivot_row``, ``pivot_col``), 0-based.

    ``phase`` is ``forward`` (substeps: tidy rows, choose the pivot by a swap, clear
    the entries below it) or ``backward`` (clear the entries above it).  ``variable``
    names the pivot column when names were given.  The template prints ``before``
    with the ops beside the rows they change, then ``after``.
    """

    rule: ClassVar[str] = "row.eliminate_column"
    pivot_row: int
    pivot_col: int
    phase: Literal["forward", "backward"]
    variable: Any = None

    def claim(self) -> bool:
        r, c = self.pivot_row, self.pivot_col
        if not is_nonzero(self.after[r, c]):
            return False
        rows = range(r + 1, self.after.rows) if self.phase == "forward" else range(r)
        return all(is_zero(self.after[i, c]) for i in rows)


@dataclass(frozen=True, kw_only=True)
class SimplifyRows(_Group):
    """The opening tidy-up: rows with fractions multiplied by the lcm of their denominators,
    rows with a common factor divided by it (``RowScale`` substeps), so elimination starts
    from primitive integer rows."""

    rule: ClassVar[str] = "row.simplify_rows"


@dataclass(frozen=True, kw_only=True)
class NormalizePivots(_Group):
    """The final scaling: each pivot row divided by its pivot, so every pivot is 1.

    ``pivots`` holds the (row, column) of each pivot; this is where fractions appear
    when the answer has them.
    """

    rule: ClassVar[str] = "row.normalize_pivots"
    pivots: tuple[tuple[int, int], ...]

    def claim(self) -> bool:
        return all(self.after[r, c] == 1 for r, c in self.pivots)


def _echelon_shape(m: sympy.MatrixBase, pivots: Sequence[int], pivot_cols: int) -> bool:
    """The staircase test: pivot k leads row k; no provably nonzero entry lies below it."""
    if list(pivots) != sorted(set(pivots)) or any(c >= pivot_cols for c in pivots):
        return False
    for r in range(m.rows):
        lead = pivots[r] if r < len(pivots) else pivot_cols
        if any(is_nonzero(m[r, c]) for c in range(lead)):
            return False
        if r < len(pivots) and not is_nonzero(m[r, lead]):
            return False
    return True


@dataclass(frozen=True, kw_only=True)
class EchelonForm(Step):
    """Milestone: ``matrix`` is in row-echelon form with pivot columns ``pivots`` (0-based).

    Only the first ``pivot_cols`` columns carry pivots (the left block of ``[A | b]``);
    pivot k sits in row k.
    """

    rule: ClassVar[str] = "row.echelon_form"
    matrix: ImmutableMatrix = LazyField()
    pivots: tuple[int, ...]
    pivot_cols: int

    def check(self) -> bool:
        return _echelon_shape(self.matrix, self.pivots, self.pivot_cols)


@dataclass(frozen=True, kw_only=True)
class ReducedEchelonForm(Step):
    """Milestone: ``matrix`` is in reduced row-echelon form (pivots 1, alone in their columns)."""

    rule: ClassVar[str] = "row.reduced_echelon_form"
    matrix: ImmutableMatrix = LazyField()
    pivots: tuple[int, ...]
    pivot_cols: int

    def check(self) -> bool:
        m = self.matrix
        return _echelon_shape(m, self.pivots, self.pivot_cols) and all(
            m[i, c] == (1 if i == r else 0) for r, c in enumerate(self.pivots) for i in range(m.rows))


@dataclass(frozen=True, kw_only=True)
class RowReduction(Step):
    """A whole elimination: ``before`` reduced to ``after`` (``target`` ``ref`` or ``rref``).

    Substeps: ``EliminateColumn`` groups, ``EchelonForm``, then (for ``rref``) the
    backward groups, ``NormalizePivots`` and ``ReducedEchelonForm``.  The check follows
    the chain of matrices through the groups and milestones.
    """

    rule: ClassVar[str] = "row.reduction"
    before: ImmutableMatrix = LazyField()
    after: ImmutableMatrix = LazyField()
    pivots: tuple[int, ...]
    pivot_cols: int
    target: Literal["ref", "rref"]

    def check(self) -> bool:
        current = self.before
        for step in self.substeps:
            if isinstance(step, _Group):
                if not (same_matrix(step.before, current) and step.check()):
                    return False
                current = step.after
            elif isinstance(step, (EchelonForm, ReducedEchelonForm)):
                if not (same_matrix(step.matrix, current) and step.check()
                        and step.pivots == self.pivots):
                    return False
            else:
                return False
        final = ReducedEchelonForm if self.target == "rref" else EchelonForm
        return (same_matrix(current, self.after) and bool(self.substeps)
                and isinstance(self.substeps[-1], final))


# ---------------------------------------------------------------- the engine

@dataclass(frozen=True)
class Reduction:
    """The result of :func:`reduce`: the steps, the echelon form, the RREF and the pivots.

    ``rref`` is None when only the echelon form was asked for.  ``step`` wraps the
    steps into one checkable :class:`RowReduction`.
    """

    matrix: ImmutableMatrix = LazyField()
    steps: tuple[Step, ...]
    echelon: ImmutableMatrix = LazyField()
    rref: ImmutableMatrix | None = LazyField()
    pivots: tuple[int, ...]
    pivot_cols: int

    @property
    def result(self) -> ImmutableMatrix:
        return self.echelon if self.rref is None else self.rref

    def right_block(self, start: int) -> ImmutableMatrix:
        """The columns from ``start`` on of the result (``A^{-1}`` in the reduced ``[I | A^{-1}]``)."""
        result = stored(self, "echelon" if self.rref is None else "rref")
        return result.columns(start).value if isinstance(result, MatrixRows) else result[:, start:]

    def forward_only(self) -> "Reduction":
        """The same reduction stopped at the echelon form (its steps are a prefix)."""
        end = next(k for k, s in enumerate(self.steps) if isinstance(s, EchelonForm))
        return Reduction(stored(self, "matrix"), self.steps[:end + 1],
                         stored(self, "echelon"), None, self.pivots,
                         self.pivot_cols)

    @property
    def step(self) -> RowReduction:
        return RowReduction(before=stored(self, "matrix"),
                            after=stored(self, "echelon" if self.rref is None else "rref"),
                            pivots=self.pivots,
                            pivot_cols=self.pivot_cols,
                            target="ref" if self.rref is None else "rref", substeps=self.steps)


class _Recorder:
    """The matrix being reduced and the operations of the group under way.

    Entries are read from plain lists: indexing a sympy matrix converts from its
    internal domain representation on every access.  A rational matrix (the common
    case) is reduced in Python's exact numbers (``int`` and ``Fraction``), which are
    many times faster than sympy's; the recorded factors and matrices are sympy's.
    A matrix of surds (entries in Q(√d, i), such as ``A - λI`` for a surd eigenvalue) is
    reduced in that field (:class:`tutor.linalg.algebraic.FieldNumber`), exactly.
    A matrix with symbolic entries is reduced in sympy expressions, simplified.
    """

    def __init__(self, m: sympy.MatrixBase, names: Sequence[Any] | None, *, scaling: bool = True,
                 fraction_free: bool = True):
        self.scaling, self.fraction_free = scaling, fraction_free
        entries = matrix_rows(m)
        self.exact = all_rational(entries)
        field = None if self.exact else quadratic_field(e for row in entries for e in row)
        if self.exact:
            convert = _from_sympy
        elif field is not None:  # surds, i: exact arithmetic in Q(√d, i)
            convert = lambda e: to_field_number(field, e)  # noqa: E731
        else:
            convert = _tidy
        self.rows = [[convert(e) for e in row] for row in entries]
        self.shape = m.shape
        # the matrix after the last operation: built only when a step's matrix is read
        self.m = self._matrix()
        self.names = list(names or [])
        self.ops: list[RowOperation] = []
        self.largest = max((abs(e) for row in self.rows for e in row), default=0) if self.exact else 0

    def _matrix(self) -> MatrixRows:
        return MatrixRows(self.rows, snapshot)

    def entry(self, i: int, j: int) -> Any:
        return self.rows[i][j]

    def name(self, col: int | None) -> Any:
        return self.names[col] if col is not None and col < len(self.names) else None

    def purpose(self, key: str, col: int | None = None) -> Purpose:
        return Purpose(key, col, self.name(col))

    def _apply(self, rows: dict[int, list[Any]], cls: type, **data: Any) -> None:
        for i, row in rows.items():
            self.rows[i] = [e if type(e) is int else _tidy(e) for e in row]
            if self.exact:
                self.largest = max(self.largest, *(abs(e) for e in self.rows[i]))
        after = self._matrix()
        self.ops.append(cls(before=self.m, after=after, **data))
        self.m = after

    def row(self, i: int) -> list[Any]:
        return list(self.rows[i])

    def swap(self, i: int, j: int, purpose: Purpose) -> None:
        self._apply({i: self.row(j), j: self.row(i)}, RowSwap, i=i, j=j, purpose=purpose)

    def scale(self, i: int, factor: Any, purpose: Purpose) -> None:
        self._apply({i: _scaled(factor, self.rows[i])}, RowScale,
                    row=i, factor=_to_sympy(factor), purpose=purpose)

    def clear_fractions(self, i: int) -> None:
        """Make a row with fractions an integer row without a common factor (one scaling),
        unless this reduction scales no row."""
        if not self.scaling or _integral(self.rows[i]):
            return
        factor = _primitive_factor(self.row(i))
        if factor is not None:
            lcm, gcd = factor
            number = _tidy(Fraction(lcm, gcd)) if self.exact else Rational(lcm, gcd)
            self.scale(i, number, self.purpose("clear_fractions"))

    def eliminate(self, target: int, source: int, col: int, key: str) -> None:
        """Make entry (target, col) zero using the pivot at (source, col), in one operation a
        teacher writes: ``R_t <- R_t + c R_s`` or ``R_t <- a R_t + b R_s`` (integers, no
        common factor divided out in the same operation: ``(13R_2 - 12R_1) / 25`` is two
        operations written as one)."""
        p, e = self.entry(source, col), self.entry(target, col)
        t_row, s_row = self.rows[target], self.rows[source]  # read only: _apply makes new rows
        purpose = self.purpose(key, col)
        ratio = _divide(e, p)
        integral = self.fraction_free and _integral(t_row) and _integral(s_row)
        if integral and not _is_integer(ratio):
            a, b = combination_factors(p, e)
        elif integral:
            a, b = 1, -ratio
        else:
            self._apply({target: [x - ratio * y for x, y in zip(t_row, s_row)]}, RowAddMultiple,
                        target=target, source=source, factor=_to_sympy(-ratio), purpose=purpose)
            return
        row = [a * x + b * y for x, y in zip(t_row, s_row)]
        if a == 1:
            self._apply({target: row}, RowAddMultiple, target=target, source=source,
                        factor=_to_sympy(_tidy(b)), purpose=purpose)
        else:
            self._apply({target: row}, RowCombine, target=target, source=source,
                        target_factor=_to_sympy(_tidy(a)), source_factor=_to_sympy(_tidy(b)),
                        purpose=purpose)

    def normalize_if_exact(self, r: int, c: int) -> None:
        """Divide pivot row ``r`` by its pivot at column ``c`` now if that keeps it an integer
        row: the row's one scaling, done where it makes the next operations integer
        multiples (``R_3 <- R_3 - 2R_2``) instead of combinations that grow the numbers."""
        p = self.entry(r, c)
        if self.exact and p not in (0, 1) and _integral(self.rows[r]) and all(int(e) % int(p) == 0 for e in self.rows[r]):
            self.scale(r, Fraction(1, int(p)), self.purpose("normalize", c))

    def multiples(self, rows: range, col: int) -> dict[int, int]:
        """For each row with a nonzero rational entry in ``col``: how many of the other
        ``rows`` are multiples of it (symbolic rows are not compared)."""
        if not self.exact:
            return {}
        out = {}
        for i in rows:
            p = self.rows[i][col]
            if p != 0:
                out[i] = sum(1 for t in rows if t != i and all(
                    x * p == y * self.rows[t][col] for x, y in zip(self.rows[t], self.rows[i])))
        return out

    def close(self) -> tuple[RowOperation, ...]:
        ops, self.ops = tuple(self.ops), []
        return ops


def combination_factors(pivot: Any, entry: Any) -> tuple[Any, Any]:
    """``(a, b)`` for the fraction-free ``R_t <- a R_t + b R_s`` that clears ``entry`` with the
    integer ``pivot``: the smallest such integers, ``a > 0`` (of the type of the inputs)."""
    g = math.gcd(int(pivot), int(entry))
    return abs(pivot) // g, (-entry if pivot > 0 else entry) // g


def _choose_pivot(column: Sequence[tuple[int, Any]], multiples: dict[int, int]) -> tuple[int, str] | None:
    """(row, swap purpose key) of the teacher's pivot among (row, entry) pairs; None: no pivot.

    The first pair is the current row; the key says why another row would be swapped in.
    ``multiples[i]``: how many other rows are multiples of row i. A row with the most is
    the pivot (each such row becomes zero in one operation, and is then done with). Among
    those, a nonzero current entry is kept unless a 1 can be swapped in for an entry other
    than ±1: that swap replaces the final scaling of this pivot, any other swap adds one.
    """
    candidates = [(i, e) for i, e in column if is_nonzero(e)]
    if not candidates:
        return None
    most = max(multiples.get(i, 0) for i, _ in candidates)
    candidates = [(i, e) for i, e in candidates if multiples.get(i, 0) == most]
    if candidates[0][0] == column[0][0]:
        current = candidates[0][1]
        ones = [i for i, e in candidates if e == 1]
        if current in (1, -1) or not ones:
            return column[0][0], ""
        return ones[0], "pivot_unit"
    units = [i for i, e in candidates if e in (1, -1)]
    rationals = [(i, e) for i, e in candidates if _is_rational(e)]
    if units:
        i = units[0]
    elif rationals:
        i = min(rationals, key=lambda ie: (not _is_integer(ie[1]), abs(ie[1]), ie[0]))[0]
    else:
        i = candidates[0][0]
    return i, "pivot_nonzero" if not is_nonzero(column[0][1]) else "pivot_multiples"


def _pivot_in_place(column: Sequence[tuple[int, Any]]) -> tuple[int, str] | None:
    """The pivot of an elimination that scales no row: the current row's entry when it is ±1,
    or when it is nonzero and no ±1 lies below; else the first ±1 below, else (a zero in the
    current row) the nonzero entry of smallest absolute value."""
    candidates = [(i, e) for i, e in column if is_nonzero(e)]
    if not candidates:
        return None
    current = column[0][1]
    units = [i for i, e in candidates if e in (1, -1)]
    if is_nonzero(current) and (current in (1, -1) or not units):
        return column[0][0], "pivot_unit"
    i = units[0] if units else min(candidates, key=lambda ie: (abs(ie[1]), ie[0]))[0]
    return i, "pivot_unit" if is_nonzero(current) else "pivot_nonzero"


def reduce(M: sympy.MatrixBase, *, pivot_cols: int | None = None,
           names: Sequence[Any] | None = None, to: Literal["ref", "rref"] = "rref",
           scaling: bool = True, fraction_free: bool = True) -> Reduction:
    """Row-reduce ``M`` the way a teacher would, recording every operation.

    ``pivot_cols``: only the first ``pivot_cols`` columns are searched for pivots (the
    left block of an augmented matrix; default: all).  ``names``: the column names
    (variables), recorded in each operation's purpose.  ``to``: stop at the echelon
    form (``ref``) or go on to the reduced form (``rref``).

    ``scaling=False`` (with ``to="ref"``): no row is ever scaled (no fractions cleared, no
    common factor divided out) and a pivot stays in its row when it can
    (:func:`_pivot_in_place`): what a teacher writes for a determinant (one factor
    less to track per scaled row) or a rank, an image, an independence test (only the pivots
    matter).  ``fraction_free=False``: entries are always cleared with
    ``R_t <- R_t - (e/p) R_s``, never with ``R_t <- a R_t + b R_s`` (which would scale a
    determinant by a).

    A rational matrix of at most :data:`SEARCH_ROWS` rows (with ``scaling``) is reduced with the
    pivot rows that give the fewest operations, then the smallest numbers, found by trying every
    choice (:func:`_best_plan`); the heuristic's own choices win ties.
    """
    options = dict(pivot_cols=pivot_cols, names=names, to=to, scaling=scaling,
                   fraction_free=fraction_free)
    early, plan = (_best_plan(M, options) if scaling and M.rows <= SEARCH_ROWS
                   else (scaling, ()))
    return _reduce(M, plan=plan, early=early, **options)[0]


SEARCH_ROWS = 4
"""Up to this many rows every sequence of pivot rows is tried (at most 4! = 24 reductions)."""


def _best_plan(M: sympy.MatrixBase, options: dict[str, Any]) -> tuple[bool, tuple[int, ...]]:
    """``(early, pivot rows)`` of the reduction with the fewest operations, where no row is
    divided by its pivot twice; among those, one that scales no row before the echelon form
    if it can (issue 18: "R_1/3 and R_2/2 before eliminating"), then the smallest largest
    entry.  ``early``: a pivot row divisible by its pivot is scaled when it is chosen (it can
    save an operation: the rows below are then cleared with integer multiples); the pivot
    rows: one per pivot, in order.  A matrix that is not rational: the heuristic's.

    Depth first over the decisions: each run follows a prefix of choices, then the
    heuristic; every alternative at a later decision is a new prefix, so each sequence of
    choices runs exactly once."""
    if not all_rational(matrix_rows(M)):
        return True, ()
    best: tuple[tuple[int, Any], tuple[bool, tuple[int, ...]]] | None = None
    stack: list[tuple[bool, tuple[int, ...]]] = [(False, ()), (True, ())]
    while stack:
        early, prefix = stack.pop()
        reduction, decisions, largest = _reduce(M, plan=prefix, early=early, **options)
        ops = [s for s in reduction.step.walk() if isinstance(s, RowOperation)]
        scaled = [s.row for s in ops if s.purpose is not None and s.purpose.key == "normalize"]
        chosen = tuple(i for i, _ in decisions)
        if len(scaled) == len(set(scaled)) and (best is None or (len(ops), early, largest) < best[0]):
            best = ((len(ops), early, largest), (early, chosen))
        for k in range(len(prefix), len(decisions)):
            stack.extend((early, chosen[:k] + (alt,)) for alt in decisions[k][1] if alt != chosen[k])
    return best[1]


def _reduce(M: sympy.MatrixBase, *, plan: tuple[int, ...], early: bool, pivot_cols: int | None,
            names: Sequence[Any] | None, to: Literal["ref", "rref"], scaling: bool,
            fraction_free: bool) -> tuple[Reduction, list[tuple[int, tuple[int, ...]]], Any]:
    """:func:`reduce` with the first pivot rows given (``plan``, then the heuristic's) and, if
    ``early``, each pivot row divided by its pivot when chosen if that leaves it integral;
    also each decision (the row chosen, the rows that could have been) and the largest entry.
    Going back up, a pivot row is divided by its pivot before it clears the entries above it
    when that leaves it integral: from then on the row is only read, never changed."""
    rec = _Recorder(M, names, scaling=scaling, fraction_free=fraction_free)
    start = rec.m
    rows, cols = rec.shape
    pivot_cols = cols if pivot_cols is None else pivot_cols
    steps: list[Step] = []
    pivots: list[tuple[int, int]] = []
    decisions: list[tuple[int, tuple[int, ...]]] = []

    for i in range(rows):
        rec.clear_fractions(i)
    if rec.ops:
        steps.append(SimplifyRows(before=start, after=rec.m, substeps=rec.close()))
    for c in range(pivot_cols):
        r = len(pivots)
        if r == rows:
            break
        column = [(i, rec.entry(i, c)) for i in range(r, rows)]
        choice = (_choose_pivot(column, rec.multiples(range(r, rows), c)) if scaling
                  else _pivot_in_place(column))
        if choice is None:
            continue
        before = rec.m
        i, key = choice
        if len(decisions) < len(plan) and plan[len(decisions)] != i:
            i = plan[len(decisions)]
            key = "pivot_fewer" if is_nonzero(column[0][1]) else "pivot_nonzero"
        decisions.append((i, tuple(t for t, e in column if is_nonzero(e))))
        if i != r:
            rec.swap(r, i, rec.purpose(key, c))
        if early:
            rec.normalize_if_exact(r, c)
        for t in range(r + 1, rows):
            if rec.entry(t, c) != 0:
                rec.eliminate(t, r, c, "eliminate_below")
        pivots.append((r, c))
        if rec.ops:
            steps.append(EliminateColumn(before=before, after=rec.m, pivot_row=r, pivot_col=c,
                                         phase="forward", variable=rec.name(c),
                                         substeps=rec.close()))
    echelon = rec.m
    pivot_tuple = tuple(c for _, c in pivots)
    steps.append(EchelonForm(matrix=echelon, pivots=pivot_tuple, pivot_cols=pivot_cols))
    if to == "ref":
        return Reduction(start, tuple(steps), echelon, None, pivot_tuple, pivot_cols), decisions, rec.largest

    for r, c in reversed(pivots):
        before = rec.m
        if to == "rref":
            rec.normalize_if_exact(r, c)
        for t in range(r):
            if rec.entry(t, c) != 0:
                rec.eliminate(t, r, c, "eliminate_above")
        if rec.ops:
            steps.append(EliminateColumn(before=before, after=rec.m, pivot_row=r, pivot_col=c,
                                         phase="backward", variable=rec.name(c),
                                         substeps=rec.close()))
    before = rec.m
    for r, c in pivots:
        if rec.entry(r, c) != 1:
            rec.scale(r, _divide(1, rec.entry(r, c)), rec.purpose("normalize", c))
    if rec.ops:
        steps.append(NormalizePivots(before=before, after=rec.m, pivots=tuple(pivots),
                                     substeps=rec.close()))
    steps.append(ReducedEchelonForm(matrix=rec.m, pivots=pivot_tuple, pivot_cols=pivot_cols))
    return Reduction(start, tuple(steps), echelon, rec.m, pivot_tuple, pivot_cols), decisions, rec.largest
