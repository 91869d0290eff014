"""Linear programs min cᵀx subject to Ax <= b (MML 7.39) and their duals (MML 7.43).

In one or two variables (the graphical method) the vertices are enumerated: every choice of
n constraints with independent rows is solved as equations, and the solution kept when it
satisfies all the others (in 2-D: the corners of the feasible polygon); the best vertex is
proved optimal by λ >= 0 on its active constraints with Aᵀλ + c = 0, or shown not to be by a
ray.  In three or more variables the simplex method runs on tableaux (:mod:`.simplex`).

Whatever the method, the answer is proved on the LP as given: an optimum by a dual
certificate (the dual is feasible with the same value: strong duality, complementary
slackness), unboundedness by a ray from a feasible point, infeasibility by no vertex of a
polyhedron that would have one, or by a Farkas certificate.

A of rank below n: the feasible set contains the lines along the null space of A (its
lineality space).  If cᵀd != 0 for such a direction d the LP is unbounded as soon as it is
feasible; otherwise the LP is the same on the quotient, the variables of A's pivot columns
alone, and its optimal set is a face containing those lines.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.optimization import simplex
from tutor.optimization.simplex import Outcome

MAX_SUBSETS = 400


@dataclass(frozen=True, kw_only=True)
class Corner:
    rows: tuple[int, ...]       # 0-based constraints taken as equations
    point: ImmutableMatrix | None  # None: the rows are dependent (parallel lines)
    violated: int | None = None    # the first constraint the point violates
    value: sympy.Expr | None = None


def _solve_rows(A: sympy.MatrixBase, b: sympy.MatrixBase, rows: tuple[int, ...]) -> ImmutableMatrix | None:
    M = A.extract(list(rows), list(range(A.cols)))
    if M.det() == 0:
        return None
    return ImmutableMatrix(M.LUsolve(b.extract(list(rows), [0])))


def _violated(A: sympy.MatrixBase, b: sympy.MatrixBase, x: sympy.MatrixBase) -> int | None:
    slack = b - A * x
    return next((i for i in range(A.rows) if slack[i] < 0), None)


@dataclass(frozen=True, kw_only=True)
class Vertices(Step):
    """Every choice of n constraints as equations, its solution and whether it is feasible."""

    rule: ClassVar[str] = "optimization.lp_vertices"
    A: ImmutableMatrix
    b: ImmutableMatrix
    c: ImmutableMatrix
    corners: tuple[Corner, ...]

    def check(self) -> bool:
        n = self.A.cols
        if [k.rows for k in self.corners] != list(itertools.combinations(range(self.A.rows), n)):
            return False
        for k in self.corners:
            M = self.A.extract(list(k.rows), list(range(n)))
            if k.point is None:
                if M.rank() == n:
                    return False
                continue
            if M * k.point != self.b.extract(list(k.rows), [0]) or _violated(self.A, self.b, k.point) != k.violated:
                return False
            if k.violated is None and (self.c.T * k.point)[0] != k.value:
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class DualCertificate(Step):
    """λ >= 0, zero off the active constraints of x, with Aᵀλ + c = 0: x is optimal, λ solves
    the dual max -bᵀλ s.t. Aᵀλ + c = 0, λ >= 0, and the two values agree."""

    rule: ClassVar[str] = "optimization.lp_dual"
    A: ImmutableMatrix
    b: ImmutableMatrix
    c: ImmutableMatrix
    x: ImmutableMatrix
    multipliers: ImmutableMatrix
    value: sympy.Expr

    def check(self) -> bool:
        lam, slack = self.multipliers, self.b - self.A * self.x
        return (all(v >= 0 for v in lam) and all(s >= 0 for s in slack)
                and (self.A.T * lam + self.c).is_zero_matrix
                and all(lam[i] * slack[i] == 0 for i in range(len(lam)))
                and (-self.b.T * lam)[0] == self.value == (self.c.T * self.x)[0])


@dataclass(frozen=True, kw_only=True)
class Ray(Step):
    """From the feasible x along d every constraint keeps holding (A d <= 0) and cᵀx falls
    (cᵀd < 0): the LP is unbounded."""

    rule: ClassVar[str] = "optimization.lp_ray"
    A: ImmutableMatrix
    b: ImmutableMatrix
    c: ImmutableMatrix
    x: ImmutableMatrix
    direction: ImmutableMatrix
    slope: sympy.Expr

    def check(self) -> bool:
        return (all(v <= 0 for v in self.A * self.direction) and _violated(self.A, self.b, self.x) is None
                and (self.c.T * self.direction)[0] == self.slope < 0)


@dataclass(frozen=True, kw_only=True)
class NoVertex(Step):
    """A has rank n (a nonempty feasible set would have a vertex) and no choice of n
    constraints gives a feasible point: the LP is infeasible."""

    rule: ClassVar[str] = "optimization.lp_infeasible"
    A: ImmutableMatrix

    def check(self) -> bool:
        return self.A.rank() == self.A.cols


@dataclass(frozen=True, kw_only=True)
class Farkas(Step):
    """y >= 0 with Aᵀy = 0 and bᵀy < 0: for a feasible x, 0 = yᵀAx <= yᵀb < 0 is impossible,
    so the LP is infeasible (Farkas' lemma)."""

    rule: ClassVar[str] = "optimization.lp_farkas"
    A: ImmutableMatrix
    b: ImmutableMatrix
    y: ImmutableMatrix

    def check(self) -> bool:
        return all(v >= 0 for v in self.y) and (self.A.T * self.y).is_zero_matrix and (self.b.T * self.y)[0] < 0


@dataclass(frozen=True, kw_only=True)
class Lineality(Step):
    """A has rank r < n: the variables of r independent columns (``kept``) are kept, and each
    other variable x_j gives a direction d_j of the null space (1 at j, 0 at the other dropped
    variables) along which Ax does not change; ``slopes`` are cᵀd_j."""

    rule: ClassVar[str] = "optimization.lp_lineality"
    A: ImmutableMatrix
    c: ImmutableMatrix
    kept: tuple[int, ...]
    dropped: tuple[int, ...]
    directions: tuple[ImmutableMatrix, ...]
    slopes: tuple[sympy.Expr, ...]

    @property
    def reduced(self) -> ImmutableMatrix:
        return self.A.extract(list(range(self.A.rows)), list(self.kept))

    def check(self) -> bool:
        A = self.A
        if sorted(self.kept + self.dropped) != list(range(A.cols)) or self.reduced.rank() != len(self.kept) \
                or A.rank() != len(self.kept):
            return False
        for j, d, s in zip(self.dropped, self.directions, self.slopes, strict=True):
            if not (A * d).is_zero_matrix or [d[k] for k in self.dropped] != [int(k == j) for k in self.dropped]:
                return False
            if (self.c.T * d)[0] != s:
                return False
        return True


def _integral(d: sympy.MatrixBase) -> ImmutableMatrix:
    """The direction scaled to integers, as a teacher writes it."""
    g = math.lcm(*[int(sympy.fraction(v)[1]) for v in d])
    return ImmutableMatrix(d * g)


def _certificate(A, b, c, x) -> ImmutableMatrix | None:
    n = A.cols
    active = [i for i in range(A.rows) if (b - A * x)[i] == 0]
    for size in range(0, n + 1):
        for rows in itertools.combinations(active, size):
            At = A.extract(list(rows), list(range(n))).T  # n x size
            if size and At.rank() < size:
                continue
            if size == 0:
                if c.is_zero_matrix:
                    return ImmutableMatrix.zeros(A.rows, 1)
                continue
            try:
                sol, params = At.gauss_jordan_solve(-c)
            except ValueError:
                continue
            if params.rows or any(v < 0 for v in sol):
                continue
            lam = sympy.zeros(A.rows, 1)
            for i, r in enumerate(rows):
                lam[r] = sol[i]
            return ImmutableMatrix(lam)
    return None


def _ray(A, b, c, x) -> ImmutableMatrix | None:
    n = A.cols
    active = [i for i in range(A.rows) if (b - A * x)[i] == 0]
    for rows in itertools.combinations(active, n - 1):
        M = A.extract(list(rows), list(range(n))) if rows else sympy.zeros(0, n)
        for d in (M.nullspace() if rows else [sympy.eye(n).col(j) for j in range(n)]):
            for s in (d, -d):
                if all(v <= 0 for v in A * s) and (c.T * s)[0] < 0:
                    return _integral(s)
    return None


def by_vertices(A: ImmutableMatrix, b: ImmutableMatrix, c: ImmutableMatrix) -> tuple[list[Step], Outcome]:
    """The vertex enumeration (the graphical method in 2-D) for A of full column rank."""
    m, n = A.shape
    if math.comb(m, n) > MAX_SUBSETS:
        raise TutorError(f"too many constraint choices ({math.comb(m, n)} > {MAX_SUBSETS}) to enumerate vertices")
    corners = []
    for rows in itertools.combinations(range(m), n):
        x = _solve_rows(A, b, rows)
        if x is None:
            corners.append(Corner(rows=rows, point=None))
            continue
        bad = _violated(A, b, x)
        corners.append(Corner(rows=rows, point=x, violated=bad,
                              value=None if bad is not None else (c.T * x)[0]))
    steps: list[Step] = [Vertices(A=A, b=b, c=c, corners=tuple(corners))]
    feasible = [k for k in corners if k.point is not None and k.violated is None]
    if not feasible:
        steps.append(NoVertex(A=A))
        return steps, Outcome("infeasible")
    best = min(feasible, key=lambda k: k.value)
    lam = _certificate(A, b, c, best.point)
    if lam is None:
        d = _ray(A, b, c, best.point)
        if d is None:  # cannot happen for a polyhedron with a vertex; never guess
            raise TutorError("no dual certificate and no ray found: the LP is degenerate beyond this method")
        return steps, Outcome("unbounded", x=best.point, direction=d)
    return steps, Outcome("optimal", x=best.point, multipliers=lam)


def _method(A: ImmutableMatrix, b: ImmutableMatrix, c: ImmutableMatrix,
            numbers: tuple[int, ...] | None = None) -> tuple[list[Step], Outcome]:
    """The graphical method (vertices) in one or two variables, the simplex method beyond
    (its tableaux name the variables by ``numbers``)."""
    return by_vertices(A, b, c) if 1 <= A.cols <= 2 else simplex.solve(A, b, c, numbers)


def _lineality(A: ImmutableMatrix, c: ImmutableMatrix) -> Lineality:
    R, pivots = A.rref()
    dropped = tuple(j for j in range(A.cols) if j not in pivots)
    directions = []
    for j in dropped:
        d = sympy.zeros(A.cols, 1)
        d[j] = 1
        for r, p in enumerate(pivots):
            d[p] = -R[r, j]
        directions.append(ImmutableMatrix(d))
    return Lineality(A=A, c=c, kept=tuple(pivots), dropped=dropped, directions=tuple(directions),
                     slopes=tuple((c.T * d)[0] for d in directions))


def _lift(x: ImmutableMatrix, kept: tuple[int, ...], n: int) -> ImmutableMatrix:
    return ImmutableMatrix([x[kept.index(j)] if j in kept else 0 for j in range(n)])


def solve_lp(A: sympy.MatrixBase, b: sympy.MatrixBase, c: sympy.MatrixBase
             ) -> tuple[list[Step], tuple[str, ImmutableMatrix | None, sympy.Expr | None, ImmutableMatrix | None]]:
    """Steps and (status, x, value, λ): status optimal, unbounded or infeasible."""
    A, b, c = ImmutableMatrix(A), ImmutableMatrix(b), ImmutableMatrix(c)
    n = A.cols
    steps: list[Step] = []
    if A.rank() == n:
        more, out = _method(A, b, c)
    else:
        line = _lineality(A, c)
        steps.append(line)
        tilted = next((d if s < 0 else -d for d, s in zip(line.directions, line.slopes) if s != 0), None)
        c_kept = ImmutableMatrix([0] * len(line.kept)) if tilted is not None else c.extract(list(line.kept), [0])
        more, out = _method(line.reduced, b, c_kept, tuple(j + 1 for j in line.kept))
        if out.status != "infeasible":
            x = _lift(out.x, line.kept, n)
            if tilted is not None:
                out = Outcome("unbounded", x=x, direction=_integral(tilted))
            else:
                d = None if out.direction is None else _lift(out.direction, line.kept, n)
                out = Outcome(out.status, x=x, multipliers=out.multipliers, direction=d)
    steps += more
    if out.status == "infeasible":
        if out.multipliers is not None:  # the simplex method's phase I; vertices end with NoVertex
            steps.append(Farkas(A=A, b=b, y=out.multipliers))
        return steps, ("infeasible", None, None, None)
    if out.status == "unbounded":
        d = _integral(out.direction)
        steps.append(Ray(A=A, b=b, c=c, x=out.x, direction=d, slope=(c.T * d)[0]))
        return steps, ("unbounded", out.x, None, None)
    value = (c.T * out.x)[0]
    steps.append(DualCertificate(A=A, b=b, c=c, x=out.x, multipliers=out.multipliers, value=value))
    return steps, ("optimal", out.x, value, out.multipliers)
