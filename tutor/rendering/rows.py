"""Row operations as a teacher writes them: ``R_2 \\leftarrow 3R_2 - 4R_1`` beside the row it
changes, several operations beside one matrix when none reads a row another writes.

The elimination (:mod:`tutor.linalg.rowreduce`) records its operations as steps; this module
decides how they are shown: which operations share a displayed matrix (:func:`transitions`) and
the notation of each.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.steps import Step
from tutor.linalg.roots import shown
from tutor.linalg.rowreduce import RowAddMultiple, RowCombine, RowOperation, RowScale, RowSwap
from tutor.rendering.dialects import RowNote, latex, tex


def _term(coefficient: sympy.Expr, row: int, first: bool) -> str:
    """``coefficient * R_row`` as a LaTeX term: ``R_1``, ``- 3R_1``, ``+ \\frac{1}{2}R_1``."""
    c = sympy.nsimplify(coefficient) if coefficient.is_Float else coefficient
    negative = c.could_extract_minus_sign()
    magnitude = -c if negative else c
    body = "" if magnitude == 1 else latex(shown(magnitude))
    if body and not (magnitude.is_Atom or magnitude.is_Rational):
        body = r"\left(" + body + r"\right)"
    sign = ("-" if negative else "") if first else (" - " if negative else " + ")
    return f"{sign}{body}R_{{{row + 1}}}"


def notation(op: RowOperation) -> str:
    """How a teacher writes the operation: ``R_2 \\leftarrow 3R_2 - 4R_1`` (1-based rows)."""
    if isinstance(op, RowSwap):
        return rf"R_{{{op.i + 1}}} \leftrightarrow R_{{{op.j + 1}}}"
    if isinstance(op, RowScale):
        target = rf"R_{{{op.row + 1}}} \leftarrow "
        if op.factor.is_Rational and abs(op.factor.p) == 1 and op.factor.q != 1:
            sign = "-" if op.factor.p < 0 else ""
            return target + rf"{sign}R_{{{op.row + 1}}} / {op.factor.q}"
        numerator, denominator = sympy.fraction(sympy.together(op.factor))
        if numerator == 1 and not denominator.is_number:  # a pivot in a parameter: R_2 / (1 - a^2)
            return target + rf"R_{{{op.row + 1}}} / \left({latex(denominator)}\right)"
        return target + _term(op.factor, op.row, True)
    if isinstance(op, RowAddMultiple):
        return (rf"R_{{{op.target + 1}}} \leftarrow R_{{{op.target + 1}}}"
                + _term(op.factor, op.source, False))
    if isinstance(op, RowCombine):
        return (rf"R_{{{op.target + 1}}} \leftarrow " + _term(op.target_factor, op.target, True)
                + _term(op.source_factor, op.source, False))
    raise TypeError(f"not a row operation: {op!r}")


def rows_read(op: RowOperation) -> set[int]:
    if isinstance(op, RowSwap):
        return {op.i, op.j}
    if isinstance(op, (RowAddMultiple, RowCombine)):
        return {op.target, op.source}
    return {op.row}


def rows_written(op: RowOperation) -> set[int]:
    if isinstance(op, RowSwap):
        return {op.i, op.j}
    if isinstance(op, (RowAddMultiple, RowCombine)):
        return {op.target}
    return {op.row}


@dataclass(frozen=True)
class Transition:
    """Row operations that can be written beside one matrix, all read from ``before``.

    A teacher writes ``R_2 <- R_2 - 3R_1`` and ``R_3 <- R_3 - 2R_1`` beside the same
    matrix because neither reads a row the other writes; an operation that reads or
    writes a row already changed starts a new transition.
    """

    before: ImmutableMatrix
    operations: tuple[RowOperation, ...]
    after: ImmutableMatrix

    def notes(self) -> list[RowNote]:
        """Each operation, written beside the row it changes."""
        return [RowNote(min(rows_written(op)), tex(notation(op))) for op in self.operations]


def transitions(groups: Sequence[Step]) -> list[Transition]:
    """Split the operations of consecutive group steps into displayable transitions."""
    out: list[Transition] = []
    batch: list[RowOperation] = []
    written: set[int] = set()
    for group in groups:
        for op in group.substeps:
            if not isinstance(op, RowOperation):
                continue
            if batch and (rows_read(op) & written or isinstance(op, RowSwap)
                          or isinstance(batch[-1], RowSwap)):
                out.append(Transition(batch[0].before, tuple(batch), batch[-1].after))
                batch, written = [], set()
            batch.append(op)
            written |= rows_written(op)
        if batch:
            out.append(Transition(batch[0].before, tuple(batch), batch[-1].after))
            batch, written = [], set()
    return out
