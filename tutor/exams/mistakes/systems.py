"""Mistakes of solving Ax = b: each mistaken system solved right, into the key's form."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import mistakes


def _solution_set(M: sympy.Matrix, b: sympy.Matrix, variables: tuple[sympy.Symbol, ...]) -> A.SolutionSetAnswer:
    """The solution set in the form the solver gives: free variables 0, Minus-1 directions."""
    R, pivots = M.row_join(b).rref()
    n = M.cols
    if n in pivots:
        return A.SolutionSetAnswer(variables, None)
    particular = sympy.zeros(n, 1)
    for row, p in enumerate(pivots):
        particular[p] = R[row, n]
    directions = []
    for f in (j for j in range(n) if j not in pivots):
        d = sympy.zeros(n, 1)
        d[f] = -1
        for row, p in enumerate(pivots):
            d[p] = R[row, f]
        directions.append(d)
    return A.SolutionSetAnswer(variables, particular, tuple(directions))


def _sign_error_in_first_step(inputs: dict[str, Any]) -> A.Answer | None:
    """The first elimination step R_i <- R_i - m R_p done right on A's columns but as
    b_i + m b_p on the right-hand side, then solved right.  (Adding m R_p to the whole row
    would be a valid row operation: the slip must touch only part of the row.)"""
    M, b = sympy.Matrix(inputs["A"]), sympy.Matrix(inputs["b"])
    rows = M.row_join(b)
    for c in range(M.cols):
        pivot = next((r for r in range(rows.rows) if rows[r, c] != 0), None)
        if pivot is None:
            continue
        target = next((r for r in range(pivot + 1, rows.rows) if rows[r, c] != 0), None)
        if target is None:
            return None  # no elimination below the first pivot: nothing to get wrong there
        factor = rows[target, c] / rows[pivot, c]
        right_hand = rows[target, M.cols] + factor * rows[pivot, M.cols]
        rows[target, :] = rows[target, :] - factor * rows[pivot, :]
        rows[target, M.cols] = right_hand
        return _solution_set(rows[:, :M.cols], rows[:, M.cols], tuple(inputs["variables"]))
    return None


def _swapped_sides(inputs: dict[str, Any]) -> A.Answer:
    """b's entries read in reverse order (the right-hand sides attached to the wrong rows)."""
    b = sympy.Matrix(inputs["b"])
    return _solution_set(sympy.Matrix(inputs["A"]), sympy.Matrix(b[::-1]), tuple(inputs["variables"]))


mistakes("system",
         ("a sign error on the right-hand side in the first elimination step (b_i + m b_p for b_i - m b_p)",
          lambda i, k: _sign_error_in_first_step(i)),
         ("the right-hand side ignored (the kernel taken for the solution set)",
          lambda i, k: _solution_set(sympy.Matrix(i["A"]), sympy.zeros(sympy.Matrix(i["A"]).rows, 1),
                                     tuple(i["variables"]))),
         ("the right-hand sides attached to the rows in reverse order", lambda i, k: _swapped_sides(i)))
