"""Linear systems with a parameter (``x + a y = 1``, ``a x + y = 1``) or two (``x + a y = b``),
solved with case distinctions as the MML book's exercises and a teacher do.

Gaussian elimination keeps the parameter symbolic.  A pivot that is an expression p(a) is
used as it stands (R_i <- p R_i - q R_r is an equivalent operation where p(a) != 0); an entry
is cleared by adding a multiple when the multiple is a polynomial in a (valid for every a).
At the end, the values of a that make a used pivot zero, or the right-hand side of a zero row
zero, are found exactly (real roots only; a is real).  For every other value the echelon form
holds (the generic case, finished symbolically); each exceptional value is substituted and
the numeric system solved in full by :mod:`tutor.linalg.systems`.

Two parameters: the cases are on the one parameter the conditions depend on (a), the other (b)
stays a letter in the generic case; each exceptional value a = v leaves a system in b, solved
by the same procedure (its own cases on b).  Conditions that tie a and b together (a pivot
a - b, a zero row with a right-hand side in both) are refused in one line.

Every step checks itself: row operations with sympy's own row operations, the roots with
``sympy.real_roots``, and each case's answer against the substituted system's ranks and
residuals at its values (for the generic case, at sample values of a).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import CasesAnswer, SolutionSetAnswer
from tutor.core.errors import TutorError
from tutor.core.steps import Problem, Solution, Step
from tutor.linalg.rowreduce import RowAddMultiple, RowCombine, RowOperation, RowScale, RowSwap, chained
from tutor.linalg.systems import AugmentedMatrix, Inconsistent, Ranks, read_solution, solve as solve_numeric

#: Values of the parameter at which the generic case is tested (those not excluded).
SAMPLES = (sympy.Rational(1, 3), sympy.Rational(-7, 2), 5, sympy.Rational(11, 4), -3, 0, 2)


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class PivotRowCombine(RowCombine):
    """``R_t <- p R_t + q R_s`` with p a pivot that depends on the parameter: an equivalent
    operation wherever p != 0, which every case that uses it assumes (p is not zero as a
    polynomial)."""

    def valid(self) -> bool:
        return self.target != self.source and sympy.expand(self.target_factor) != 0


@dataclass(frozen=True, kw_only=True)
class PivotRowScale(RowScale):
    """``R_row <- R_row / p`` with p a pivot that depends on the parameter (p != 0 assumed)."""

    def valid(self) -> bool:
        return sympy.expand(self.factor) != 0


@dataclass(frozen=True, kw_only=True)
class ParametricElimination(Step):
    """Row operations from ``before`` to ``after`` with the parameter kept symbolic.

    ``phase`` ``forward``: ``after`` is in echelon form with ``pivots`` (columns) whose
    entries are not zero as polynomials; ``backward``: every pivot is 1 and alone in its
    column.  The substeps are the row operations, each checked with sympy's own."""

    rule: ClassVar[str] = "system.parametric_elimination"
    before: ImmutableMatrix
    after: ImmutableMatrix
    pivots: tuple[int, ...]
    pivot_cols: int
    phase: str

    @property
    def letters(self) -> tuple[sympy.Symbol, ...]:
        """The parameters kept as letters (the symbols of the matrix), for the words."""
        return tuple(sorted(self.before.free_symbols, key=str))

    def check(self) -> bool:
        if not chained(self.before, self.substeps, self.after):
            return False
        M, n = self.after, self.pivot_cols
        for r in range(M.rows):
            lead = self.pivots[r] if r < len(self.pivots) else n
            if any(sympy.cancel(M[r, c]) != 0 for c in range(lead)):
                return False
            if r < len(self.pivots):
                if sympy.cancel(M[r, lead]) == 0:
                    return False
                if self.phase == "backward" and not (
                        sympy.cancel(M[r, lead] - 1) == 0
                        and all(sympy.cancel(M[i, lead]) == 0 for i in range(M.rows) if i != r)):
                    return False
        return True


@dataclass(frozen=True)
class Condition:
    """An expression in the parameter that the elimination needs nonzero: the pivot of the
    unknown ``variable`` (``row`` None), or the right-hand side of the zero row ``row``
    (0-based); ``factored`` is how it is shown, ``roots`` its distinct real roots."""

    expr: sympy.Expr
    factored: sympy.Expr
    roots: tuple[sympy.Expr, ...]
    variable: sympy.Symbol | None = None
    row: int | None = None


@dataclass(frozen=True, kw_only=True)
class CaseSplit(Step):
    """The values of the parameter where the elimination does not hold: the real roots of
    each pivot that depends on it and of each right-hand side of a zero row.  ``values`` is
    their union, in increasing order."""

    rule: ClassVar[str] = "system.case_split"
    parameter: sympy.Symbol
    conditions: tuple[Condition, ...]
    values: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        found: set[sympy.Expr] = set()
        for c in self.conditions:
            exact = set(sympy.real_roots(sympy.Poly(c.expr, self.parameter)))
            if set(c.roots) != exact or sympy.expand(c.factored - c.expr) != 0:
                return False
            found |= exact
        return set(self.values) == found and list(self.values) == sorted(self.values, key=float)


@dataclass(frozen=True, kw_only=True)
class GenericCase(Step):
    """For every real value of the parameter but ``excluded``: the substeps (backward
    elimination, ranks, the solution set or the row 0 = c) and ``answer``.

    Checked at sample values of the parameter: the answer there is the solution set of
    the system there (ranks and residuals of the substituted system)."""

    rule: ClassVar[str] = "system.generic_case"
    parameter: sympy.Symbol
    excluded: tuple[sympy.Expr, ...]
    A: ImmutableMatrix
    b: ImmutableMatrix
    answer: SolutionSetAnswer

    def check(self) -> bool:
        samples = [t for t in SAMPLES if t not in self.excluded][:3]
        return all(solves(self.A, self.b, self.answer, {self.parameter: t}) for t in samples)


@dataclass(frozen=True, kw_only=True)
class ExceptionalCase(Step):
    """The parameter set to ``value``: the ``equations`` are the originals there, solved as a
    numeric system (the substeps are that system's solution)."""

    rule: ClassVar[str] = "system.exceptional_case"
    parameter: sympy.Symbol
    value: sympy.Expr
    original: tuple[sympy.Eq, ...]
    equations: tuple[sympy.Eq, ...]
    A: ImmutableMatrix
    b: ImmutableMatrix
    answer: SolutionSetAnswer | CasesAnswer
    inner: sympy.Symbol | None = None  # the other parameter, still a letter in this case

    def check(self) -> bool:
        at = {self.parameter: self.value}
        same = all(sympy.expand((o.lhs - o.rhs).subs(at) - (e.lhs - e.rhs)) == 0
                   for o, e in zip(self.original, self.equations, strict=True))
        return same and solves(self.A, self.b, self.answer, at)


def solves(A: sympy.MatrixBase, b: sympy.MatrixBase, answer: SolutionSetAnswer | CasesAnswer,
           at: dict[sympy.Symbol, sympy.Expr]) -> bool:
    """``answer`` (with ``at`` substituted) is the solution set of A x = b there: by ranks
    (no solution iff rk A < rk [A | b]), residuals and the dimension of the kernel.  An answer
    with cases: each case at its value, the generic one at sample values."""
    if isinstance(answer, CasesAnswer):
        p, values = answer.parameter, [v for v, _ in answer.cases]
        samples = [t for t in SAMPLES if t not in values][:3]
        return all(solves(A, b, case, {**at, p: v}) for v, case in answer.cases) and \
            all(solves(A, b, answer.generic, {**at, p: t}) for t in samples)
    A, b = sympy.Matrix(A).subs(at), sympy.Matrix(b).subs(at)
    rank = A.rank()
    if answer.particular is None:
        return rank < A.row_join(b).rank()
    p = sympy.Matrix(answer.particular).subs(at)
    directions = [sympy.Matrix(d).subs(at) for d in answer.directions]
    if any(sympy.simplify(e) != 0 for e in A * p - b):
        return False
    if any(sympy.simplify(e) != 0 for d in directions for e in A * d):
        return False
    independent = not directions or sympy.Matrix.hstack(*directions).rank() == len(directions)
    return independent and len(directions) == A.cols - rank


# ---------------------------------------------------------------- the engine

def solve(problem: Problem) -> Solution:
    """Augmented matrix, symbolic forward elimination, the exceptional values, the generic
    case finished symbolically, then each exceptional value as a numeric system."""
    A, b = problem["A"], problem["b"]
    parameters = tuple(problem.inputs.get("parameters") or (problem["parameter"],))
    variables, equations = problem["variables"], problem["equations"]
    n = A.cols
    augmented = ImmutableMatrix(A.row_join(b))
    forward = _Eliminator(augmented, n).forward()
    E, pivots = forward.after, forward.pivots
    rank = len(pivots)
    zero_rows = [i for i in range(rank, E.rows) if sympy.expand(E[i, n]) != 0]
    raw = [(E[k, c], variables[c], None) for k, c in enumerate(pivots) if E[k, c].has(*parameters)] + \
        [(E[i, n], None, i) for i in zero_rows if E[i, n].has(*parameters)]
    a = _case_parameter([e for e, _, _ in raw], parameters)
    conditions = tuple(Condition(e, _factored(e, a), _real_roots(e, a), variable=v, row=r) for e, v, r in raw)
    values = tuple(sorted({v for c in conditions for v in c.roots}, key=float))
    split = CaseSplit(parameter=a, conditions=conditions, values=values)

    if zero_rows:
        generic_steps: list[Step] = [Inconsistent(echelon=E, row=zero_rows[0], value=E[zero_rows[0], n])]
        generic_answer = SolutionSetAnswer(variables, None, ())
    else:
        backward = _Eliminator(E, n).backward(pivots)
        ranks = Ranks(A=A, augmented=augmented, rank_A=rank, rank_augmented=rank)
        tail, generic_answer = read_solution(A, b, backward.after, pivots, variables, equations)
        generic_steps = [backward, ranks] + tail
    generic = GenericCase(parameter=a, excluded=values, A=A, b=b, answer=generic_answer,
                          substeps=tuple(generic_steps))

    cases = tuple(_exceptional(problem, a, v) for v in values)
    answer = CasesAnswer(a, generic_answer, tuple((c.value, c.answer) for c in cases))
    steps = [AugmentedMatrix(equations=equations, variables=variables, A=A, b=b, augmented=augmented),
             forward, split, generic, *cases]
    return Solution(problem, tuple(steps), answer)


def _case_parameter(conditions: Sequence[sympy.Expr], parameters: Sequence[sympy.Symbol]) -> sympy.Symbol:
    """The parameter the cases are on: the one the conditions depend on (the first parameter
    when there is no condition); a TutorError when they tie two parameters together."""
    found = {p for e in conditions for p in e.free_symbols & set(parameters)}
    if len(found) > 1 or any(len(e.free_symbols & set(parameters)) > 1 for e in conditions):
        shown = ", ".join(f"{e} = 0" for e in conditions if len(e.free_symbols & set(parameters)) > 1) or \
            ", ".join(f"{e} = 0" for e in conditions)
        raise TutorError(f"the cases depend on {' and '.join(map(str, parameters))} together ({shown}): "
                         "cases on one parameter at a time are supported (give the other a value)")
    return next(iter(found)) if found else parameters[0]


def _exceptional(problem: Problem, a: sympy.Symbol, value: sympy.Expr) -> ExceptionalCase:
    """The system at ``a = value``: solved as a numeric system, or, when another parameter is
    left in it, with its own cases on that parameter."""
    at = {a: value}
    equations = tuple(sympy.Eq(sympy.expand(e.lhs.subs(at)), sympy.expand(e.rhs.subs(at)), evaluate=False)
                      for e in problem["equations"])
    A, b = ImmutableMatrix(problem["A"].subs(at)), ImmutableMatrix(problem["b"].subs(at))
    others = [p for p in problem.inputs.get("parameters") or () if p != a and (A.has(p) or b.has(p))]
    inputs = {"A": A, "b": b, "variables": problem["variables"], "equations": equations}
    if others:
        inner = solve(Problem("system", {**inputs, "parameter": others[0], "parameters": tuple(others)}))
    else:
        inner = solve_numeric(Problem("system", inputs))
    return ExceptionalCase(parameter=a, value=value, original=problem["equations"], equations=equations,
                           A=A, b=b, answer=inner.answer, substeps=inner.steps,
                           inner=others[0] if others else None)


def _factored(expr: sympy.Expr, a: sympy.Symbol) -> sympy.Expr:
    """``expr`` factored as a teacher writes it: 1 - a^2 = (1 - a)(1 + a), not -(a - 1)(a + 1)
    (a minus sign in front goes into the first linear factor)."""
    f = sympy.factor(expr)
    if not isinstance(f, sympy.Mul):
        return f
    c, factors = f.as_coeff_mul()
    factors = list(factors)
    if c < 0:
        linear = [k for k, g in enumerate(factors) if sympy.Poly(g, a).degree() == 1]
        if not linear:
            return f
        # a - 1 becomes 1 - a rather than a + 1 becoming -a - 1
        k = min(linear, key=lambda k: not factors[k].subs(a, 0) < 0)
        factors = [sympy.expand(-factors[k])] + factors[:k] + factors[k + 1:]
        c = -c
    return sympy.Mul(*([c] if c != 1 else []), *factors, evaluate=False)


def _real_roots(expr: sympy.Expr, a: sympy.Symbol) -> tuple[sympy.Expr, ...]:
    """The distinct real roots of a polynomial in a, exactly; a TutorError if sympy cannot
    write them all in radicals."""
    poly = sympy.Poly(expr, a)
    found = sympy.roots(poly, filter="R")
    if sum(found.values()) != poly.count_roots():
        raise TutorError(f"the values of {a} where {expr} = 0 cannot be written exactly: "
                         "give a system whose pivots have rational or quadratic roots")
    return tuple(sorted(found, key=float))


class _Eliminator:
    """Row operations on a matrix whose entries are polynomials (forward) or rational
    functions (backward) in one parameter."""

    def __init__(self, M: ImmutableMatrix, pivot_cols: int) -> None:
        self.start = M
        self.rows = [[sympy.expand(e) for e in M.row(i)] for i in range(M.rows)]
        self.n = pivot_cols
        self.ops: list[RowOperation] = []

    @property
    def matrix(self) -> ImmutableMatrix:
        return ImmutableMatrix(self.rows)

    def record(self, op_type: type, new_rows: list[list[sympy.Expr]], **data: object) -> None:
        before = self.matrix
        self.rows = new_rows
        self.ops.append(op_type(before=before, after=self.matrix, **data))

    def forward(self) -> ParametricElimination:
        r, pivots = 0, []
        for c in range(self.n):
            candidates = [i for i in range(r, len(self.rows)) if self.rows[i][c] != 0]
            if not candidates:
                continue
            best = min(candidates, key=lambda i: (_pivot_cost(self.rows[i][c]), i != r, i))
            if best != r:
                rows = list(self.rows)
                rows[r], rows[best] = rows[best], rows[r]
                self.record(RowSwap, rows, i=r, j=best)
            p = self.rows[r][c]
            for i in range(r + 1, len(self.rows)):
                q = self.rows[i][c]
                if q != 0:
                    self.clear(i, r, p, q)
            pivots.append(c)
            r += 1
        return ParametricElimination(before=self.start, after=self.matrix, pivots=tuple(pivots),
                                     pivot_cols=self.n, phase="forward", substeps=tuple(self.ops))

    def clear(self, i: int, r: int, p: sympy.Expr, q: sympy.Expr) -> None:
        """Make entry (i, c) zero with the pivot p = (r, c): add -q/p times R_r when that is a
        polynomial, else R_i <- (p R_i - q R_r) / g with g = gcd(p, q)."""
        ratio = sympy.cancel(q / p)
        rows = [list(row) for row in self.rows]
        if sympy.fraction(ratio)[1].is_number:
            factor = sympy.expand(-ratio)
            rows[i] = [sympy.expand(x + factor * y) for x, y in zip(rows[i], rows[r])]
            self.record(RowAddMultiple, rows, target=i, source=r, factor=factor)
            return
        g = sympy.gcd(p, q)
        s, t = sympy.cancel(p / g), sympy.cancel(-q / g)
        if s.could_extract_minus_sign():
            s, t = -s, -t
        rows[i] = [sympy.expand(s * x + t * y) for x, y in zip(rows[i], rows[r])]
        self.record(PivotRowCombine, rows, target=i, source=r, target_factor=s, source_factor=t)

    def backward(self, pivots: Sequence[int]) -> ParametricElimination:
        """Each pivot row divided by its pivot (nonzero in the generic case), then the entries
        above it cleared, from the last pivot up."""
        for k in reversed(range(len(pivots))):
            c = pivots[k]
            p = self.rows[k][c]
            if sympy.cancel(p - 1) != 0:
                rows = [list(row) for row in self.rows]
                rows[k] = [sympy.cancel(x / p) for x in rows[k]]
                self.record(PivotRowScale, rows, row=k, factor=1 / p)
            for i in range(k):
                q = self.rows[i][c]
                if sympy.cancel(q) != 0:
                    rows = [list(row) for row in self.rows]
                    rows[i] = [sympy.cancel(x - q * y) for x, y in zip(rows[i], rows[k])]
                    self.record(RowAddMultiple, rows, target=i, source=k, factor=-q)
        return ParametricElimination(before=self.start, after=self.matrix, pivots=tuple(pivots),
                                     pivot_cols=self.n, phase="backward", substeps=tuple(self.ops))


def _pivot_cost(e: sympy.Expr) -> tuple[int, int, int]:
    """Numbers first (±1 best), then expressions with fewer real roots (fewer cases), lower degree."""
    if e.is_number:
        return (0, 0 if abs(e) == 1 else 1, 0)
    poly = sympy.Poly(e, *e.free_symbols)
    return (1, poly.count_roots() if len(e.free_symbols) == 1 else 0, poly.total_degree())
