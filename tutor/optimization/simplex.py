"""The simplex method on tableaux, for min cᵀx subject to Ax <= b in three or more variables.

The LP is first put in the standard form the method works on: a row -x_j <= 0 of A is read as
the sign condition x_j >= 0, every other variable is free and split, x_j = x_j⁺ - x_j⁻; every
other row gets a slack s_i >= 0, a_i x + s_i = b_i.  A row with b_i < 0 is multiplied by -1 and
gets an artificial variable, whose sum phase I minimizes; when that minimum is positive the LP
is infeasible (the reduced costs under the slacks are then a Farkas certificate), otherwise the
artificials leave the basis and phase II starts from the basis found.

A tableau is a function of its basis alone: the rows are B⁻¹[M | b] and the last row holds the
reduced costs w - w_Bᵀ B⁻¹ M, with -(the objective) in the corner.  So every pivot step checks
itself by recomputing both tableaux from the basis with a matrix inverse, independently of the
row operations that produced them.  The entering column has the most negative reduced cost
(Dantzig); after a degenerate pivot (a ratio of 0, the only way the method can cycle) Bland's
rule takes the first negative one instead; the ratio test's ties go to the basic variable with
the smallest index (Bland), which with Bland's entering rule guarantees termination.

At the optimum the reduced cost under the slack of row i is its multiplier λ_i >= 0 of the dual
(MML 7.43), and the reduced cost of a sign-constrained x_j is the multiplier of its row -x_j <= 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.core.errors import TutorError
from tutor.core.steps import Step

MAX_PIVOTS = 60


@dataclass(frozen=True, kw_only=True)
class Form:
    """The standard form min wᵀz, M z = rhs, z >= 0 of an LP min cᵀx, Ax <= b.

    ``names`` name the columns of z (variables, slacks, artificials); ``back`` (n x columns)
    gives x = back·z; ``rows[r]`` is the constraint of A that tableau row r comes from and
    ``flipped[r]`` whether it was multiplied by -1 (b_i < 0); ``signs`` pairs (j, i): x_j >= 0
    read from row i; ``artificial`` are the artificial columns.
    """

    names: tuple[Symbol, ...]
    M: ImmutableMatrix            # rows x (columns + 1): the last column is the right-hand side
    costs: ImmutableMatrix        # 1 x columns: phase II costs (0 on slacks and artificials)
    back: ImmutableMatrix
    rows: tuple[int, ...]
    flipped: tuple[bool, ...]
    signs: tuple[tuple[int, int], ...]
    slacks: tuple[int, ...]       # the slack column of each tableau row
    artificial: tuple[int, ...]   # the artificial column of each flipped row, in row order
    numbers: tuple[int, ...]      # the number of each variable in its name, x_{numbers[j]}

    @property
    def phase_one_costs(self) -> ImmutableMatrix:
        return ImmutableMatrix([[1 if k in self.artificial else 0 for k in range(len(self.names))]])

    def without_artificials(self) -> "Form":
        keep = [k for k in range(len(self.names)) if k not in self.artificial]
        return Form(names=tuple(self.names[k] for k in keep),
                    M=self.M.extract(list(range(self.M.rows)), keep + [self.M.cols - 1]),
                    costs=self.costs.extract([0], keep), back=self.back.extract(list(range(self.back.rows)), keep),
                    rows=self.rows, flipped=self.flipped, signs=self.signs,
                    slacks=tuple(keep.index(k) for k in self.slacks), artificial=(), numbers=self.numbers)


def tableau(M: ImmutableMatrix, costs: ImmutableMatrix, basis: tuple[int, ...]) -> ImmutableMatrix:
    """The tableau of a basis: B⁻¹[M | rhs] over the reduced costs and -(the objective)."""
    B = M.extract(list(range(M.rows)), list(basis))
    body = B.inv() * M if M.rows else M
    w = costs.row_join(sympy.zeros(1, 1))
    cB = ImmutableMatrix([[costs[k] for k in basis]]) if basis else sympy.zeros(1, 0)
    last = w - cB * body if M.rows else w
    return ImmutableMatrix(body.col_join(last))


def _dot(u: sympy.MatrixBase, v: sympy.MatrixBase) -> sympy.Expr:
    """uᵀv of two vectors (0 when they are empty, where sympy's product has no entry)."""
    return sum((p * q for p, q in zip(u, v)), sympy.S.Zero)


def standard_form(A: ImmutableMatrix, b: ImmutableMatrix, c: ImmutableMatrix,
                  numbers: tuple[int, ...] | None = None) -> Form:
    """The standard form; ``numbers`` name the variables (x_1, x_3 when an LP with a line keeps
    those two), by default 1, 2, ..."""
    m, n = A.shape
    numbers = numbers or tuple(range(1, n + 1))
    signs: dict[int, int] = {}
    for i in range(m):
        row = list(A.row(i))
        if b[i] == 0 and row.count(0) == n - 1 and -1 in row and row.index(-1) not in signs:
            signs[row.index(-1)] = i
    rows = [i for i in range(m) if i not in signs.values()]
    flipped = [bool(b[i] < 0) for i in rows]
    columns: list[tuple[Symbol, list]] = []  # name, x-coefficients (back) of the column
    for j in range(n):
        e = [1 if k == j else 0 for k in range(n)]
        if j in signs:
            columns.append((Symbol(f"x_{numbers[j]}"), e))
        else:
            columns += [(Symbol(f"x_{numbers[j]}^+"), e), (Symbol(f"x_{numbers[j]}^-"), [-v for v in e])]
    variables = len(columns)
    zero = [0] * n
    columns += [(Symbol(f"s_{i + 1}"), zero) for i in rows]
    columns += [(Symbol(f"a_{i + 1}"), zero) for i, f in zip(rows, flipped) if f]
    back = (ImmutableMatrix.hstack(*[ImmutableMatrix(n, 1, col) for _, col in columns]) if n
            else sympy.zeros(0, len(columns)))
    artificial = [variables + len(rows) + k for k in range(sum(flipped))]
    M = sympy.zeros(len(rows), len(columns) + 1)
    a = 0
    for r, (i, f) in enumerate(zip(rows, flipped)):
        sign = -1 if f else 1
        for k in range(variables):
            M[r, k] = sign * _dot(A.row(i), back.col(k))
        M[r, variables + r] = sign
        if f:
            M[r, artificial[a]] = 1
            a += 1
        M[r, len(columns)] = sign * b[i]
    costs = ImmutableMatrix([[_dot(c, back.col(k)) for k in range(len(columns))]])
    return Form(names=tuple(name for name, _ in columns), M=ImmutableMatrix(M), costs=costs, back=back,
                rows=tuple(rows), flipped=tuple(flipped), signs=tuple(sorted(signs.items())),
                slacks=tuple(variables + r for r in range(len(rows))), artificial=tuple(artificial),
                numbers=numbers)


@dataclass(frozen=True, kw_only=True)
class StandardForm(Step):
    """The LP written as min wᵀz, Mz = rhs >= 0, z >= 0: checked row by row against A, b, c."""

    rule: ClassVar[str] = "optimization.simplex_form"
    A: ImmutableMatrix
    b: ImmutableMatrix
    c: ImmutableMatrix
    form: Form

    def check(self) -> bool:
        A, b, c, f = self.A, self.b, self.c, self.form
        width = len(f.names)
        if sorted(list(f.rows) + [i for _, i in f.signs]) != list(range(A.rows)):
            return False
        if any(list(A.row(i)) != [-1 if k == j else 0 for k in range(A.cols)] or b[i] != 0 for j, i in f.signs):
            return False
        slack_or_art = set(f.slacks) | set(f.artificial)
        for k in range(width):  # every x_j >= 0 is one column, every free x_j two opposite ones
            if k not in slack_or_art and _dot(c, f.back.col(k)) != f.costs[k]:
                return False
        for r, i in enumerate(f.rows):
            sign = -1 if f.flipped[r] else 1
            row = f.M.row(r)
            if any(row[k] != sign * _dot(A.row(i), f.back.col(k)) for k in range(width) if k not in slack_or_art):
                return False
            if [row[k] for k in f.slacks] != [sign if q == r else 0 for q in range(len(f.rows))]:
                return False
            if row[width] != sign * b[i] or row[width] < 0:
                return False
            arts = [k for k in f.artificial if row[k] != 0]
            if arts != ([f.artificial[sum(f.flipped[:r])]] if f.flipped[r] else []) or (arts and row[arts[0]] != 1):
                return False
        return all(f.back.col(k).is_zero_matrix for k in slack_or_art)


@dataclass(frozen=True, kw_only=True)
class Start(Step):
    """The first tableau of a phase, for its basis (slacks and artificials, or the basis phase I
    found) and its costs."""

    rule: ClassVar[str] = "optimization.simplex_start"
    phase: int
    names: tuple[Symbol, ...]
    M: ImmutableMatrix
    costs: ImmutableMatrix
    basis: tuple[int, ...]
    table: ImmutableMatrix

    def check(self) -> bool:
        B = self.M.extract(list(range(self.M.rows)), list(self.basis))
        return B.det() != 0 and self.table == tableau(self.M, self.costs, self.basis)


def _entering(T: ImmutableMatrix, rule: str) -> int | None:
    reduced = list(T.row(T.rows - 1))[:-1]
    negative = [k for k, d in enumerate(reduced) if d < 0]
    if not negative:
        return None
    if rule == "bland":
        return negative[0]
    return min(negative, key=lambda k: (reduced[k], k))


def _ratios(T: ImmutableMatrix, column: int) -> tuple[sympy.Expr | None, ...]:
    """rhs / entry for each row with a positive entry in the column (None elsewhere)."""
    return tuple(T[r, T.cols - 1] / T[r, column] if T[r, column] > 0 else None for r in range(T.rows - 1))


def _leaving(ratios: tuple, basis: tuple[int, ...]) -> int | None:
    candidates = [r for r, q in enumerate(ratios) if q is not None]
    if not candidates:
        return None
    least = min(ratios[r] for r in candidates)
    return min((r for r in candidates if ratios[r] == least), key=lambda r: basis[r])


@dataclass(frozen=True, kw_only=True)
class Pivot(Step):
    """One pivot: the entering column by the rule (``dantzig``: most negative reduced cost,
    ``bland``: the first negative one, ``artificial``: a nonzero entry in the row of an
    artificial left basic at 0 after phase I), the leaving row by the ratio test, and the new
    tableau, recomputed from the new basis."""

    rule: ClassVar[str] = "optimization.simplex_pivot"
    phase: int
    names: tuple[Symbol, ...]
    M: ImmutableMatrix
    costs: ImmutableMatrix
    basis: tuple[int, ...]
    choice: str
    entering: int
    leaving: int               # the tableau row
    ratios: tuple[sympy.Expr | None, ...]
    before: ImmutableMatrix
    after: ImmutableMatrix

    @property
    def new_basis(self) -> tuple[int, ...]:
        return tuple(self.entering if r == self.leaving else k for r, k in enumerate(self.basis))

    @property
    def degenerate(self) -> bool:
        return self.before[self.leaving, self.before.cols - 1] == 0

    def check(self) -> bool:
        T = self.before
        if T != tableau(self.M, self.costs, self.basis) or not 0 <= self.leaving < len(self.basis):
            return False
        if self.choice == "artificial":
            chosen = (T[self.leaving, T.cols - 1] == 0 and T[self.leaving, self.entering] != 0
                      and self.entering not in self.basis)
        else:
            chosen = (_entering(T, self.choice) == self.entering and self.ratios == _ratios(T, self.entering)
                      and _leaving(self.ratios, self.basis) == self.leaving)
        # a nonzero pivot entry keeps the new basis invertible: its tableau is recomputed last
        return chosen and self.after == tableau(self.M, self.costs, self.new_basis)


@dataclass(frozen=True, kw_only=True)
class Optimal(Step):
    """No reduced cost is negative: the basic solution of the tableau is optimal (for the
    phase's objective)."""

    rule: ClassVar[str] = "optimization.simplex_optimal"
    phase: int
    names: tuple[Symbol, ...]
    basis: tuple[int, ...]
    table: ImmutableMatrix

    @property
    def value(self) -> sympy.Expr:
        return -self.table[self.table.rows - 1, self.table.cols - 1]

    def check(self) -> bool:
        return _entering(self.table, "bland") is None and all(self.table[r, self.table.cols - 1] >= 0
                                                               for r in range(self.table.rows - 1))


@dataclass(frozen=True, kw_only=True)
class NoRatio(Step):
    """The entering column has no positive entry: the entering variable grows without bound,
    every basic variable stays >= 0, and the objective falls by the reduced cost per unit."""

    rule: ClassVar[str] = "optimization.simplex_unbounded"
    names: tuple[Symbol, ...]
    basis: tuple[int, ...]
    table: ImmutableMatrix
    entering: int

    def check(self) -> bool:
        T, k = self.table, self.entering
        return T[T.rows - 1, k] < 0 and all(T[r, k] <= 0 for r in range(T.rows - 1))


def _values(T: ImmutableMatrix, basis: tuple[int, ...], width: int) -> list[sympy.Expr]:
    z = [sympy.S.Zero] * width
    for r, k in enumerate(basis):
        z[k] = T[r, T.cols - 1]
    return z


def _multipliers(form: Form, T: ImmutableMatrix, m: int) -> ImmutableMatrix:
    """The reduced costs under the slacks (and of the sign-constrained variables) as the
    multipliers of the rows of A."""
    last = T.row(T.rows - 1)
    lam = [sympy.S.Zero] * m
    for r, i in enumerate(form.rows):
        lam[i] = last[form.slacks[r]]
    for j, i in form.signs:
        lam[i] = last[list(form.back.row(j)).index(1)]
    return ImmutableMatrix(lam)


@dataclass(frozen=True)
class Outcome:
    status: str                       # optimal, unbounded, infeasible
    x: ImmutableMatrix | None = None  # optimal, or the point the ray starts from
    multipliers: ImmutableMatrix | None = None  # the dual λ, or the Farkas y (infeasible)
    direction: ImmutableMatrix | None = None


class _Phase:
    """Pivots from a basis until no reduced cost is negative or the ratio test finds no row."""

    def __init__(self, number: int, form: Form, costs: ImmutableMatrix, basis: tuple[int, ...]):
        self.number, self.form, self.costs, self.basis = number, form, costs, basis
        self.table = tableau(form.M, costs, basis)
        self.steps: list[Step] = [Start(phase=number, names=form.names, M=form.M, costs=costs, basis=basis,
                                        table=self.table)]

    def pivot(self, choice: str, entering: int, leaving: int, ratios: tuple) -> None:
        new = tuple(entering if r == leaving else k for r, k in enumerate(self.basis))
        after = tableau(self.form.M, self.costs, new)
        self.steps.append(Pivot(phase=self.number, names=self.form.names, M=self.form.M, costs=self.costs,
                                basis=self.basis, choice=choice, entering=entering, leaving=leaving,
                                ratios=ratios, before=self.table, after=after))
        self.basis, self.table = new, after

    def run(self) -> int | None:
        """Pivot to the optimum (None) or return the column that proves unboundedness."""
        choice = "dantzig"
        for _ in range(MAX_PIVOTS):
            k = _entering(self.table, choice)
            if k is None:
                self.steps.append(Optimal(phase=self.number, names=self.form.names, basis=self.basis,
                                          table=self.table))
                return None
            ratios = _ratios(self.table, k)
            r = _leaving(ratios, self.basis)
            if r is None:
                self.steps.append(NoRatio(names=self.form.names, basis=self.basis, table=self.table, entering=k))
                return k
            self.pivot(choice, k, r, ratios)
            choice = "bland" if self.steps[-1].degenerate else "dantzig"
        raise TutorError(f"the simplex method took more than {MAX_PIVOTS} pivots")


def solve(A: ImmutableMatrix, b: ImmutableMatrix, c: ImmutableMatrix,
          numbers: tuple[int, ...] | None = None) -> tuple[list[Step], Outcome]:
    """The tableau steps and the outcome: x and the dual λ, or a ray, or a Farkas certificate."""
    m = A.rows
    form = standard_form(A, b, c, numbers)
    steps: list[Step] = [StandardForm(A=A, b=b, c=c, form=form)]
    basis = tuple(form.artificial[sum(form.flipped[:r])] if f else form.slacks[r]
                  for r, f in enumerate(form.flipped))
    if form.artificial:
        one = _Phase(1, form, form.phase_one_costs, basis)
        one.run()  # phase I is bounded below by 0
        if one.steps[-1].value != 0:
            return steps + one.steps, Outcome("infeasible", multipliers=_multipliers(form, one.table, m))
        for r in range(len(one.basis)):
            if one.basis[r] in form.artificial:
                k = next(k for k in range(len(form.names))
                         if k not in form.artificial and one.table[r, k] != 0 and k not in one.basis)
                one.pivot("artificial", k, r, _ratios(one.table, k))
        steps += one.steps
        reduced = form.without_artificials()
        keep = [k for k in range(len(form.names)) if k not in form.artificial]
        basis = tuple(keep.index(k) for k in one.basis)
        form = reduced
    two = _Phase(2, form, form.costs, basis)
    k = two.run()
    steps += two.steps
    z = _values(two.table, two.basis, len(form.names))
    x = ImmutableMatrix(form.back * ImmutableMatrix(z))
    if k is not None:
        dz = [sympy.S.Zero] * len(form.names)
        dz[k] = sympy.S.One
        for r, j in enumerate(two.basis):
            dz[j] = -two.table[r, k]
        return steps, Outcome("unbounded", x=x, direction=ImmutableMatrix(form.back * ImmutableMatrix(dz)))
    return steps, Outcome("optimal", x=x, multipliers=_multipliers(form, two.table, m))
