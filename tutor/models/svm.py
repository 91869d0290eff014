"""Support vector machines solved exactly through their dual (MML 12.2-12.3).

The dual: maximize ``Σ α_n − ½ Σ_n Σ_m α_n α_m y_n y_m k(x_n, x_m)`` subject to
``Σ α_n y_n = 0`` and ``0 ≤ α_n`` (``≤ C`` with a soft margin).  A classroom data set is
small, so the solver tries support-vector sets, smallest first: for a guess of the points
on the margin (``0 < α_n < C``: ``y_n f(x_n) = 1``) and, with a soft margin, of the points at
the bound (``α_n = C``), the KKT conditions are a linear system, solved by the shared
elimination; the guess is right when every condition holds (dual feasibility, primal
feasibility, complementary slackness).  The KKT conditions are sufficient for this convex
problem, so the first right guess is optimal (any optimal α is accepted).  A vertex of the
optimal set has a nonsingular system, so the search only solves nonsingular ones.

Kernels: ``linear`` xᵀy, ``poly:d`` (xᵀy + 1)^d, ``rbf:γ`` exp(−γ‖x − y‖²).  The margin
is the book's ``r = 1/‖w‖`` with ``‖w‖² = Σ α_n α_m y_n y_m k(x_n, x_m)``.  With no
``0 < α_n < C`` the bias is not pinned down: it is the midpoint of its feasible interval.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar, Sequence

import mpmath
import sympy
from sympy import ImmutableMatrix
from sympy.polys.matrices import DomainMatrix

from tutor.core.errors import TutorError
from tutor.linalg.rowreduce import reduce
from tutor.core.steps import Step

MAX_HARD = 10
MAX_SOFT = 7
MAX_RBF = 4  # exact RBF duals grow into sums of exponentials: 4 points take seconds


@dataclass(frozen=True)
class Kernel:
    """``name`` linear, poly or rbf; ``parameter`` the degree or γ."""

    name: str
    parameter: sympy.Expr | None = None

    def __call__(self, a: sympy.MatrixBase, b: sympy.MatrixBase) -> sympy.Expr:
        if self.name == "linear":
            return (a.T * b)[0]
        if self.name == "poly":
            return ((a.T * b)[0] + 1) ** self.parameter
        d = a - b
        return sympy.exp(-self.parameter * (d.T * d)[0])

    def __str__(self) -> str:
        return self.name if self.parameter is None else f"{self.name}:{self.parameter}"


def gram(points: Sequence[ImmutableMatrix], kernel: Kernel) -> ImmutableMatrix:
    return ImmutableMatrix(len(points), len(points), lambda i, j: kernel(points[i], points[j]))


def _in_t(exprs: Sequence[sympy.Expr]) -> tuple[list[sympy.Expr], sympy.Dummy, int]:
    """Every exp(rational) in ``exprs`` written as a power of one t = exp(-1/L) (an RBF kernel's
    entries): then cancelling is rational-function arithmetic, which sympy does fast; its
    simplification of sums of exponentials is slow and sometimes fails."""
    exprs = [sympy.sympify(e) for e in exprs]
    exponents = {a.args[0] for e in exprs for a in e.atoms(sympy.exp)}
    L = sympy.ilcm(*[sympy.Rational(x).q for x in exponents], 1)
    t = sympy.Dummy("t", positive=True)
    to_t = {sympy.exp(x): t ** int(-x * L) for x in exponents}
    return [e.xreplace(to_t) for e in exprs], t, L


def tidy(e: sympy.Expr) -> sympy.Expr:
    """``e`` simplified: rationals and radicals by sympy, exponentials as rational functions of t."""
    e = sympy.sympify(e)
    if e.is_Rational:
        return e
    if not e.has(sympy.exp):
        return sympy.simplify(e)
    (et,), t, L = _in_t([e])
    return sympy.factor(sympy.cancel(et)).subs(t, sympy.exp(sympy.Rational(-1, L)))


def _zero(e: sympy.Expr) -> bool:
    """``e == 0``: exactly, or for exponentials (an RBF kernel) at 50 digits."""
    e = sympy.sympify(e)
    if e.has(sympy.exp) and not e.free_symbols:
        return abs(sympy.N(e, 50)) < sympy.Float(10) ** -40
    return tidy(e) == 0


def _same(A: sympy.MatrixBase, B: sympy.MatrixBase) -> bool:
    return A.shape == B.shape and all(_zero(a - b) for a, b in zip(A, B))


def _positive(e: sympy.Expr) -> bool:
    return bool(sympy.N(e, 30) > 0) if not e.is_Rational else e > 0


def _at_least(e: sympy.Expr, bound: sympy.Expr) -> bool:
    """``e ≥ bound``: exactly for rationals, else at 30 digits."""
    d = sympy.sympify(e - bound)
    return bool(d >= 0) if d.is_Rational else bool(sympy.N(d, 30) > -sympy.Float(10) ** -25)


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class GramMatrix(Step):
    """``K[n, m] = k(x_n, x_m)`` and the dual's ``Q[n, m] = y_n y_m K[n, m]``."""

    rule: ClassVar[str] = "svm.gram"
    points: tuple[ImmutableMatrix, ...]
    labels: tuple[int, ...]
    kernel: str
    K: ImmutableMatrix
    Q: ImmutableMatrix

    def check(self) -> bool:
        k = parse_kernel_name(self.kernel)
        K = gram(self.points, k)
        y = self.labels
        return _same(K, self.K) and \
            _same(ImmutableMatrix(len(y), len(y), lambda i, j: y[i] * y[j] * K[i, j]), self.Q)


@dataclass(frozen=True, kw_only=True)
class SupportGuess(Step):
    """The KKT system of a guess: for each point on the margin (``free``),
    ``Σ_m Q[n, m] α_m + y_n b = 1`` (the points at the bound, ``bound``, enter with α = C),
    and ``Σ α_n y_n = 0``; ``system`` is ``[M | rhs]`` over the unknowns (α of ``free``, then
    b), solved by the substep.  ``rejected`` guesses were tried before this one."""

    rule: ClassVar[str] = "svm.support_guess"
    Q: ImmutableMatrix
    labels: tuple[int, ...]
    C: sympy.Expr | None
    free: tuple[int, ...]
    bound: tuple[int, ...]
    system: ImmutableMatrix
    solution: tuple[sympy.Expr, ...]
    rejected: int

    def check(self) -> bool:
        M, rhs = _system(self.Q, self.labels, self.free, self.bound, self.C)
        if not _same(M.row_join(rhs), self.system):
            return False
        if not self.free:  # only the bound points: Σ α_n y_n = 0 is the last row, b is free
            return rhs[0] == 0
        return _same(M * ImmutableMatrix(self.solution), rhs)


@dataclass(frozen=True, kw_only=True)
class BiasInterval(Step):
    """No point is strictly inside the box: each point bounds b; b is the midpoint."""

    rule: ClassVar[str] = "svm.bias_interval"
    lower: sympy.Expr
    upper: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        return _zero((self.lower + self.upper) / 2 - self.result) and _at_least(self.upper, self.lower)


@dataclass(frozen=True, kw_only=True)
class KKTCheck(Step):
    """Every point's ``y_n f(x_n)`` with ``f(x) = Σ α_m y_m k(x_m, x) + b``: α_n = 0 needs
    ≥ 1, 0 < α_n < C needs = 1, α_n = C needs ≤ 1; and ``Σ α_n y_n = 0``."""

    rule: ClassVar[str] = "svm.kkt"
    K: ImmutableMatrix
    labels: tuple[int, ...]
    alphas: tuple[sympy.Expr, ...]
    b: sympy.Expr
    C: sympy.Expr | None
    margins: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        y, a = self.labels, self.alphas
        if not _zero(sum(ai * yi for ai, yi in zip(a, y))):
            return False
        for n in range(len(y)):
            value = y[n] * (sum(a[m] * y[m] * self.K[m, n] for m in range(len(y))) + self.b)
            if not _zero(value - self.margins[n]):
                return False
            at_bound = self.C is not None and _zero(a[n] - self.C)
            if a[n] == 0:
                if not _at_least(value, 1):
                    return False
            elif at_bound:
                if not _at_least(1, value):
                    return False
            elif not (_positive(a[n]) and _zero(value - 1)
                      and (self.C is None or _positive(self.C - a[n]))):
                return False
        return True


@dataclass(frozen=True, kw_only=True)
class Weights(Step):
    """``w = Σ α_n y_n x_n`` (linear kernel)."""

    rule: ClassVar[str] = "svm.weights"
    points: tuple[ImmutableMatrix, ...]
    labels: tuple[int, ...]
    alphas: tuple[sympy.Expr, ...]
    result: ImmutableMatrix

    def check(self) -> bool:
        w = sum((a * y * x for a, y, x in zip(self.alphas, self.labels, self.points)),
                sympy.zeros(self.result.rows, 1))
        return _same(w, self.result)


@dataclass(frozen=True, kw_only=True)
class Margin(Step):
    """``‖w‖² = αᵀ Q α``; the margin ``r = 1/‖w‖``, the band's width ``2/‖w‖``."""

    rule: ClassVar[str] = "svm.margin"
    Q: ImmutableMatrix
    alphas: tuple[sympy.Expr, ...]
    norm_squared: sympy.Expr
    result: sympy.Expr

    def check(self) -> bool:
        a = ImmutableMatrix(self.alphas)
        return _zero((a.T * self.Q * a)[0] - self.norm_squared) and \
            _zero(self.result ** 2 * self.norm_squared - 1) and _positive(self.result)


@dataclass(frozen=True, kw_only=True)
class DecisionFunction(Step):
    """``f(x) = Σ α_n y_n k(x_n, x) + b`` over the support vectors, as a function of ``variables``."""

    rule: ClassVar[str] = "svm.decision"
    points: tuple[ImmutableMatrix, ...]
    labels: tuple[int, ...]
    alphas: tuple[sympy.Expr, ...]
    b: sympy.Expr
    kernel: str
    variables: tuple[sympy.Symbol, ...]
    result: sympy.Expr

    def check(self) -> bool:
        k = parse_kernel_name(self.kernel)
        x = ImmutableMatrix(self.variables)
        f = sum(a * y * k(p, x) for a, y, p in zip(self.alphas, self.labels, self.points)) + self.b
        return sympy.expand(f - self.result) == 0


# ---------------------------------------------------------------- solving

def parse_kernel_name(text: str) -> Kernel:
    """``linear``, ``poly:2``, ``rbf:1/2`` (the parameter exact, through the tutor's parser)."""
    from tutor.probability.distributions import number
    name, _, param = str(text).strip().partition(":")
    name = name.strip().lower()
    if name == "linear" and not param:
        return Kernel("linear")
    if name == "poly" and param:
        d = number(param, "the degree of poly:d")
        if not (d.is_Integer and 1 <= d <= 4):
            raise TutorError(f"poly:d needs an integer degree d from 1 to 4, not {d}")
        return Kernel("poly", d)
    if name == "rbf" and param:
        g = number(param, "the gamma of rbf:gamma")
        if not (g.is_Rational and g > 0):
            raise TutorError(f"rbf:gamma needs a positive rational gamma (like 1/2), not {g}")
        return Kernel("rbf", g)
    raise TutorError(f"unknown kernel {text!r}: linear, poly:d (e.g. poly:2) or rbf:gamma (e.g. rbf:1/2)")


def _system(Q: ImmutableMatrix, y: Sequence[int], free: Sequence[int], bound: Sequence[int],
            C: sympy.Expr | None) -> tuple[ImmutableMatrix, ImmutableMatrix]:
    rows, rhs = [], []
    for n in free:
        rows.append([Q[n, m] for m in free] + [y[n]])
        rhs.append(1 - sum((Q[n, m] * C for m in bound), sympy.S.Zero))
    rows.append([y[m] for m in free] + [0])
    rhs.append(-sum((y[m] * C for m in bound), sympy.S.Zero))
    return ImmutableMatrix(rows), ImmutableMatrix(rhs)


@dataclass(frozen=True)
class Machine:
    steps: tuple[Step, ...]
    alphas: tuple[sympy.Expr, ...]
    b: sympy.Expr
    w: ImmutableMatrix | None
    support: tuple[int, ...]
    margin: sympy.Expr


def _feasible(K: ImmutableMatrix, y: Sequence[int], alphas: Sequence[sympy.Expr], b: sympy.Expr,
              C: sympy.Expr | None, free: set[int], bound: set[int]) -> bool:
    for n in range(len(y)):
        if n in free:
            continue
        value = y[n] * (sum(alphas[m] * y[m] * K[m, n] for m in range(len(y))) + b)
        if not (_at_least(1, value) if n in bound else _at_least(value, 1)):
            return False
    return True


def _solve_exponential(M: ImmutableMatrix, rhs: ImmutableMatrix) -> list[sympy.Expr]:
    """Solve a system whose entries are rationals times exp(rational) (an RBF kernel) over the
    field Q(t), with every exponential a power of one t = exp(-1/L): sympy's simplification
    of nested exponentials is slow and sometimes fails."""
    entries, t, L = _in_t(list(M.row_join(rhs)))
    A = DomainMatrix.from_Matrix(sympy.Matrix(M.rows, M.cols + 1, entries)).to_field()
    sol = A[:, :M.cols].lu_solve(A[:, M.cols:]).to_Matrix()
    return [sympy.factor(e).subs(t, sympy.exp(sympy.Rational(-1, L))) for e in sol]


def _numerically_right(K: ImmutableMatrix, y: Sequence[int], C: sympy.Expr | None, free: tuple[int, ...],
                       bound: tuple[int, ...], M: ImmutableMatrix, rhs: ImmutableMatrix) -> bool:
    """The guess passes at 30 digits (a fast filter: the exact solve follows for the survivor)."""
    if not M.has(sympy.exp) and M.det(method="bareiss") == 0:
        return False
    with mpmath.workdps(30):  # sympy's LUsolve of a Float matrix went wrong on a 4x4 here
        Mn = mpmath.matrix([[mpmath.mpf(sympy.N(M[i, j], 30)) for j in range(M.cols)] for i in range(M.rows)])
        rn = mpmath.matrix([mpmath.mpf(sympy.N(e, 30)) for e in rhs])
        try:
            if abs(mpmath.det(Mn)) < mpmath.mpf(10) ** -20:
                return False
            sol = [sympy.Float(v, 30) for v in mpmath.lu_solve(Mn, rn)]
        except (ZeroDivisionError, TypeError):  # mpmath on an exactly singular matrix
            return False
    alphas = [sympy.S.Zero] * len(y)
    for m in bound:
        alphas[m] = sympy.N(C, 30)
    for n, a in zip(free, sol):
        if a <= 0 or (C is not None and a >= C):
            return False
        alphas[n] = a
    for n in range(len(y)):
        if n in free:
            continue
        value = y[n] * (sum(alphas[m] * y[m] * K[m, n] for m in range(len(y))) + sol[-1]).evalf(30)
        if (value > 1 + sympy.Float(10) ** -20) if n in bound else (value < 1 - sympy.Float(10) ** -20):
            return False
    return True


def _try(K: ImmutableMatrix, Q: ImmutableMatrix, y: Sequence[int], C: sympy.Expr | None,
         free: tuple[int, ...], bound: tuple[int, ...]) -> tuple[list[sympy.Expr], sympy.Expr, Step] | None:
    """The KKT solution of one guess, or None when the guess is wrong."""
    N = len(y)
    alphas = [sympy.S.Zero] * N
    for m in bound:
        alphas[m] = C
    if not free:
        if sum(y[m] for m in bound) != 0:
            return None
        g = [sum(alphas[m] * y[m] * K[m, n] for m in range(N)) for n in range(N)]
        lower, upper = [], []
        for n in range(N):  # y_n (g_n + b) >= 1 off the bound, <= 1 at it
            edge = y[n] - g[n]  # y_n = ±1, so y_n(g_n + b) = 1 at b = y_n - g_n
            (lower if (y[n] > 0) == (n not in bound) else upper).append(edge)
        if not lower or not upper:
            return None
        lo, hi = max(lower, key=lambda e: sympy.N(e, 30)), min(upper, key=lambda e: sympy.N(e, 30))
        if not _at_least(hi, lo):
            return None
        b = tidy((lo + hi) / 2)
        return alphas, b, BiasInterval(lower=lo, upper=hi, result=b)
    M, rhs = _system(Q, y, free, bound, C)
    if not _numerically_right(K, y, C, free, bound, M, rhs):
        return None
    if M.has(sympy.exp):
        solution, derivation = _solve_exponential(M, rhs), None
    else:
        red = reduce(ImmutableMatrix(M.row_join(rhs)), pivot_cols=M.cols,
                     names=[sympy.Symbol(f"alpha_{n + 1}") for n in free] + [sympy.Symbol("b")], to="rref")
        solution, derivation = list(red.rref[:, M.cols]), red.step
    for n, a in zip(free, solution):
        if not _positive(a) or (C is not None and not _positive(C - a)):
            return None
        alphas[n] = a
    b = solution[-1]
    if not _feasible(K, y, alphas, b, C, set(free), set(bound)):
        return None
    return alphas, b, derivation


def train(points: Sequence[ImmutableMatrix], labels: Sequence[int], kernel: Kernel,
          C: sympy.Expr | None = None) -> Machine:
    """The SVM's dual solution, with steps; non-separable data under the hard margin are refused."""
    N, D = len(points), points[0].rows
    if set(labels) != {1, -1}:
        raise TutorError("the labels must be +1 and -1, with both present")
    limit = MAX_RBF if kernel.name == "rbf" else MAX_SOFT if C is not None else MAX_HARD
    if N > limit:
        raise TutorError(f"{N} points; the exact search over support sets handles at most {limit}"
                         + (" with an RBF kernel" if kernel.name == "rbf" else " with --C" if C is not None else ""))
    if C is not None and not C > 0:
        raise TutorError(f"C must be positive, not {C}")
    y = tuple(int(v) for v in labels)
    K = gram(points, kernel)
    Q = ImmutableMatrix(N, N, lambda i, j: y[i] * y[j] * K[i, j])
    steps: list[Step] = [GramMatrix(points=tuple(points), labels=y, kernel=str(kernel), K=K, Q=Q)]
    found, rejected = None, 0
    everyone = range(N)
    for size in range(0 if C is not None else 2, N + 1):
        for free in itertools.combinations(everyone, size):
            rest = [n for n in everyone if n not in free]
            bounds = ([()] if C is None else
                      [c for s in range(len(rest) + 1) for c in itertools.combinations(rest, s)])
            for bound in bounds:
                if not free and not bound:
                    continue
                got = _try(K, Q, y, C, free, bound)
                if got is None:
                    rejected += 1
                    continue
                found = (free, bound, got)
                break
            if found:
                break
        if found:
            break
    if found is None:
        if C is None:
            raise TutorError("the data are not linearly separable" + ("" if kernel.name == "linear" else
                             f" in the feature space of the {kernel} kernel") +
                             ": no hard-margin SVM exists; allow a soft margin with --C 1")
        raise TutorError("no KKT solution found")
    free, bound, (alphas, b, derivation) = found
    M, rhs = _system(Q, y, free, bound, C)
    steps.append(SupportGuess(Q=Q, labels=y, C=C, free=free, bound=bound, system=ImmutableMatrix(M.row_join(rhs)),
                              solution=tuple(alphas[n] for n in free) + (b,), rejected=rejected,
                              substeps=(derivation,) if free and derivation else ()))
    if not free:
        steps.append(derivation)
    margins = tuple(tidy(y[n] * (sum(alphas[m] * y[m] * K[m, n] for m in range(N)) + b))
                    for n in range(N))
    steps.append(KKTCheck(K=K, labels=y, alphas=tuple(alphas), b=b, C=C, margins=margins))
    w = None
    if kernel.name == "linear":
        w = ImmutableMatrix(sum((a * yi * x for a, yi, x in zip(alphas, y, points)), sympy.zeros(D, 1)))
        steps.append(Weights(points=tuple(points), labels=y, alphas=tuple(alphas), result=w))
    a = ImmutableMatrix(alphas)
    norm2 = tidy((a.T * Q * a)[0])
    if norm2 == 0:
        raise TutorError("w = 0: the data do not determine a separating boundary")
    margin = sympy.radsimp(1 / sympy.sqrt(norm2))
    steps.append(Margin(Q=Q, alphas=tuple(alphas), norm_squared=norm2, result=margin))
    support = tuple(n for n in range(N) if alphas[n] != 0)
    variables = sympy.symbols(f"x_1:{D + 1}") if D > 1 else (sympy.Symbol("x"),)
    xs = ImmutableMatrix(variables)
    f = sympy.expand(sum((alphas[n] * y[n] * kernel(points[n], xs) for n in support), sympy.S.Zero) + b)
    steps.append(DecisionFunction(points=tuple(points[n] for n in support), labels=tuple(y[n] for n in support),
                                  alphas=tuple(alphas[n] for n in support), b=b, kernel=str(kernel),
                                  variables=tuple(variables), result=f))
    return Machine(tuple(steps), tuple(alphas), b, w, support, margin)
