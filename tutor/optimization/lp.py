"""Linear programs min cᵀx subject to Ax <= b (MML 7.39) and their duals (MML 7.43).

The optimum of a linear program whose feasible set has a vertex is attained at a vertex,
so the vertices are enumerated: every choice of n constraints with independent rows is
solved as equations, and the solution kept when it satisfies all the others (in 2-D: the
corners of the feasible polygon).  The best vertex is proved optimal by a dual certificate,
λ >= 0 on its active constraints with Aᵀλ + c = 0 (the dual is then feasible with the same
value: strong duality, complementary slackness).  No certificate: the LP is unbounded,
shown by a ray from the best vertex along which cᵀx decreases and every constraint holds.
No vertex at all (A of rank n): the feasible set is empty.
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
                    g = math.lcm(*[int(sympy.fraction(v)[1]) for v in s])
                    return ImmutableMatrix(s * g)
    return None


def solve_lp(A: sympy.MatrixBase, b: sympy.MatrixBase, c: sympy.MatrixBase
             ) -> tuple[list[Step], tuple[str, ImmutableMatrix | None, sympy.Expr | None, ImmutableMatrix | None]]:
    """Steps and (status, x, value, λ): status optimal, unbounded or infeasible."""
    A, b, c = ImmutableMatrix(A), ImmutableMatrix(b), ImmutableMatrix(c)
    m, n = A.shape
    if math.comb(m, n) > MAX_SUBSETS:
        raise TutorError(f"too many constraint choices ({math.comb(m, n)} > {MAX_SUBSETS}) to enumerate vertices")
    if A.rank() < n:
        raise TutorError("the constraints do not fix a vertex (A has rank below n): "
                         "the feasible set contains a line; eliminate a variable first")
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
        return steps, ("infeasible", None, None, None)
    best = min(feasible, key=lambda k: k.value)
    lam = _certificate(A, b, c, best.point)
    if lam is None:
        d = _ray(A, b, c, best.point)
        if d is None:  # cannot happen for a polyhedron with a vertex; never guess
            raise TutorError("no dual certificate and no ray found: the LP is degenerate beyond this method")
        steps.append(Ray(A=A, b=b, c=c, x=best.point, direction=d, slope=(c.T * d)[0]))
        return steps, ("unbounded", best.point, None, None)
    steps.append(DualCertificate(A=A, b=b, c=c, x=best.point, multipliers=lam, value=best.value))
    return steps, ("optimal", best.point, best.value, lam)
