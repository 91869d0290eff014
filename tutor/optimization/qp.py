"""Quadratic programs min ½xᵀQx + cᵀx subject to Ax <= b (MML 7.45), by active sets.

With Q positive definite (checked: Sylvester) the problem is strictly convex, so the KKT
conditions have exactly one solution and it is the minimum.  For each set S of constraints
with independent rows taken as active, the KKT system [Q A_Sᵀ; A_S 0][x; λ_S] = [-c; b_S]
is solved; the case is the optimum when x satisfies the other constraints and λ_S >= 0.  The
dual (MML 7.52) max_{λ>=0} -½(c + Aᵀλ)ᵀQ⁻¹(c + Aᵀλ) - bᵀλ is written out and its value at
the multipliers checked to equal the primal optimum.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.optimization.definiteness import definiteness

MAX_CONSTRAINTS = 6


@dataclass(frozen=True, kw_only=True)
class ActiveSetCase:
    active: tuple[int, ...]
    x: ImmutableMatrix | None     # None: dependent active rows
    multipliers: ImmutableMatrix | None
    violated: int | None = None
    negative: int | None = None

    @property
    def optimal(self) -> bool:
        return self.x is not None and self.violated is None and self.negative is None


def _kkt(Q, c, A, b, active):
    n = Q.rows
    A_S = A.extract(list(active), list(range(n))) if active else sympy.zeros(0, n)
    if active and A_S.rank() < len(active):
        return None, None
    K = sympy.Matrix(sympy.BlockMatrix([[Q, A_S.T], [A_S, sympy.zeros(len(active))]])) if active else sympy.Matrix(Q)
    rhs = sympy.Matrix.vstack(-c, b.extract(list(active), [0])) if active else -c
    sol = K.LUsolve(rhs)
    x = ImmutableMatrix(sol[:n, :])
    lam = sympy.zeros(A.rows, 1)
    for i, r in enumerate(active):
        lam[r] = sol[n + i]
    return x, ImmutableMatrix(lam)


@dataclass(frozen=True, kw_only=True)
class ActiveSets(Step):
    """Each active set's KKT solution and its fate; the first optimal case ends the search."""

    rule: ClassVar[str] = "optimization.qp_active_sets"
    Q: ImmutableMatrix
    c: ImmutableMatrix
    A: ImmutableMatrix
    b: ImmutableMatrix
    cases: tuple[ActiveSetCase, ...]

    def check(self) -> bool:
        for case in self.cases:
            x, lam = _kkt(self.Q, self.c, self.A, self.b, case.active)
            if x is None:
                if case.x is not None:
                    return False
                continue
            slack = self.b - self.A * x
            violated = next((i for i in range(self.A.rows) if slack[i] < 0), None)
            negative = next((i for i in case.active if lam[i] < 0), None)
            if (x, lam, violated, negative) != (case.x, case.multipliers, case.violated, case.negative):
                return False
            if (self.Q * x + self.c + self.A.T * lam).applyfunc(sympy.simplify) != sympy.zeros(x.rows, 1):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class QPDual(Step):
    """The dual function at the multipliers equals the primal value (strong duality)."""

    rule: ClassVar[str] = "optimization.qp_dual"
    Q: ImmutableMatrix
    c: ImmutableMatrix
    A: ImmutableMatrix
    b: ImmutableMatrix
    Qinv: ImmutableMatrix
    multipliers: ImmutableMatrix
    x: ImmutableMatrix
    value: sympy.Expr

    def check(self) -> bool:
        w = self.c + self.A.T * self.multipliers
        dual = (-(w.T * self.Q.inv() * w) / 2 - self.b.T * self.multipliers)[0]
        primal = ((self.x.T * self.Q * self.x) / 2 + self.c.T * self.x)[0]
        return self.Qinv * self.Q == sympy.eye(self.Q.rows) and sympy.simplify(dual - primal) == 0 \
            and sympy.simplify(primal - self.value) == 0


def solve_qp(Q, c, A, b) -> tuple[list[Step], tuple[ImmutableMatrix, sympy.Expr, ImmutableMatrix]]:
    Q, c, A, b = (ImmutableMatrix(M) for M in (Q, c, A, b))
    if A.rows > MAX_CONSTRAINTS:
        raise TutorError(f"at most {MAX_CONSTRAINTS} constraints (2^m active sets)")
    test = definiteness(Q)
    if test.verdict != "positive definite":
        raise TutorError(f"Q is {test.verdict}, not positive definite: this method needs a strictly convex QP")
    cases = []
    found = None
    for size in range(0, min(A.rows, Q.rows) + 1):
        for active in itertools.combinations(range(A.rows), size):
            x, lam = _kkt(Q, c, A, b, active)
            if x is None:
                cases.append(ActiveSetCase(active=active, x=None, multipliers=None))
                continue
            slack = b - A * x
            violated = next((i for i in range(A.rows) if slack[i] < 0), None)
            negative = next((i for i in active if lam[i] < 0), None)
            case = ActiveSetCase(active=active, x=x, multipliers=lam, violated=violated, negative=negative)
            cases.append(case)
            if case.optimal:
                found = case
                break
        if found:
            break
    if found is None:
        raise TutorError("no active set satisfies the KKT conditions: the feasible set is empty")
    value = sympy.simplify(((found.x.T * Q * found.x) / 2 + c.T * found.x)[0])
    steps: list[Step] = [test, ActiveSets(Q=Q, c=c, A=A, b=b, cases=tuple(cases)),
                         QPDual(Q=Q, c=c, A=A, b=b, Qinv=ImmutableMatrix(Q.inv()),
                                multipliers=found.multipliers, x=found.x, value=value)]
    return steps, (found.x, value, found.multipliers)
