"""Support vector machines solved exactly through their dual (MML 12.2-12.3).

The dual: maximize ``Σ α_n − ½ Σ_n Σ_m α_n α_m y_n y_m k(x_n, x_m)`` subject to
``Σ α_n y_n = 0`` and ``0 ≤ α_n`` (``≤ C`` with a soft margin).  A numeric optimum
(sequential minimal optimization in floats) suggests the support set: the points on the margin
(``0 < α_n < C``: ``y_n f(x_n) = 1``) and, with a soft margin, the points at the bound
(``α_n = C``).  For that guess the KKT conditions are a linear system, solved exactly (by the
shared elimination, or for an RBF kernel by ``Exponentials``), and every condition is checked
(dual feasibility, primal feasibility, complementary slackness); the KKT conditions are
sufficient for this convex problem, so the checked solution is optimal whatever the floats did.
When the guess fails, the support sets are searched one by one, smallest first (which also
proves hard-margin data not separable).  A vertex of the optimal set has a nonsingular system,
so the numeric optimum is first moved to one; when other optimal α exist (duplicated points,
more points on the margin than the feature space needs) a checked step shows a direction to them.

Kernels: ``linear`` xᵀy, ``poly:d`` (xᵀy + 1)^d, ``rbf:γ`` exp(−γ‖x − y‖²).  The margin
is the book's ``r = 1/‖w‖`` with ``‖w‖² = Σ α_n α_m y_n y_m k(x_n, x_m)``.  With no
``0 < α_n < C`` the bias is not pinned down: it is the midpoint of its feasible interval.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import ClassVar, Sequence

import mpmath
import sympy
from sympy import ImmutableMatrix

from tutor.core.errors import TutorError
from tutor.linalg.rowreduce import reduce
from tutor.core.steps import Step
from tutor.models.exponentials import Exponentials, value

MAX_POINTS = 30  # the numeric hint's iterations grow with N³; a classroom set has 3-10 points
MAX_HARD = 10  # the exact search over support sets (the fallback), hard margin
MAX_SOFT = 7  # and soft margin (3^N guesses)
MAX_RBF = 8  # exact RBF values are rational functions of e of degree ~100·N: 8 points take ~2 s


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


def tidy(e: sympy.Expr) -> sympy.Expr:
    """``e`` simplified (rationals and radicals: an RBF kernel's numbers are ``Exponentials``)."""
    e = sympy.sympify(e)
    return e if e.is_Rational else sympy.simplify(e)


def _lowered(values: Sequence) -> list:
    """The operands of a check as they are (exact), or at 50 digits when exponentials (an RBF
    kernel's numbers) appear among them: sympy would build and evaluate expressions of
    hundreds of exponentials; ``None`` and nested lists are kept."""
    flat = [e for v in values for e in (v if isinstance(v, (list, tuple)) else [v]) if e is not None]
    if not any(isinstance(e, sympy.Basic) and e.has(sympy.exp) for e in flat):
        return list(values)

    def low(v):
        if isinstance(v, (list, tuple)):
            return [low(e) for e in v]
        return v if v is None or isinstance(v, int) else value(v)
    with mpmath.workdps(50):
        return [low(v) for v in values]


def _zero(e: sympy.Expr) -> bool:
    """``e == 0``: exactly, or for exponentials (an RBF kernel) at 50 digits."""
    if isinstance(e, mpmath.mpf):
        return abs(e) < mpmath.mpf(10) ** -40
    e = sympy.sympify(e)
    if e.has(sympy.exp) and not e.free_symbols:
        with mpmath.workdps(50):
            return abs(value(e)) < mpmath.mpf(10) ** -40
    return tidy(e) == 0


def _same(A: sympy.MatrixBase, B: sympy.MatrixBase) -> bool:
    return A.shape == B.shape and all(_zero(a - b) for a, b in zip(A, B))


def _positive(e: sympy.Expr) -> bool:
    if isinstance(e, mpmath.mpf):
        return e > mpmath.mpf(10) ** -40
    if e.is_Rational:
        return e > 0
    with mpmath.workdps(30):
        return value(e) > 0


def _at_least(e: sympy.Expr, bound: sympy.Expr) -> bool:
    """``e ≥ bound``: exactly for rationals, else at 30 digits."""
    d = e - bound
    if isinstance(d, mpmath.mpf):
        return d > -mpmath.mpf(10) ** -40
    d = sympy.sympify(d)
    if d.is_Rational:
        return bool(d >= 0)
    with mpmath.workdps(30):
        return value(d) > -mpmath.mpf(10) ** -25


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
    hint: tuple[sympy.Expr, ...] = ()

    def check(self) -> bool:
        M, rhs = _system(self.Q, self.labels, self.free, self.bound, self.C)
        if not _same(M.row_join(rhs), self.system):
            return False
        if self.hint and not all(abs(sympy.N(a - self.hint[n], 15)) <= 1e-3 * (1 + abs(self.hint[n]))
                                 for n, a in zip(self.free, self.solution)):
            return False  # the numeric optimum that suggested the guess must agree with it
        if not self.free:  # only the bound points: Σ α_n y_n = 0 is the last row, b is free
            return rhs[0] == 0
        M, rhs, solution = _lowered([M.tolist(), list(rhs), self.solution])
        with mpmath.workdps(50):
            return all(_zero(sum(e * x for e, x in zip(row, solution)) - r) for row, r in zip(M, rhs))


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
        y = self.labels
        with mpmath.workdps(50):
            K, a, b, C, margins = _lowered([self.K.tolist(), self.alphas, self.b, self.C, self.margins])
            if not _zero(sum(ai * yi for ai, yi in zip(a, y))):
                return False
            for n in range(len(y)):
                value = y[n] * (sum(a[m] * y[m] * K[m][n] for m in range(len(y))) + b)
                if not _zero(value - margins[n]):
                    return False
                if self.alphas[n] == 0:
                    if not _at_least(value, 1):
                        return False
                elif C is not None and _zero(a[n] - C):
                    if not _at_least(1, value):
                        return False
                elif not (_positive(a[n]) and _zero(value - 1) and (C is None or _positive(C - a[n]))):
                    return False
            return True


@dataclass(frozen=True, kw_only=True)
class NotUnique(Step):
    """The optimal α are not unique: along ``direction`` d, with Qd = 0 and Σ d_n y_n = 0,
    α + εd (small ε > 0) stays in the box and keeps Qα, hence w (or f), b and the dual
    value (Σ d_n = αᵀQd + b Σ y_n d_n = 0 over points on the margin); d moves only points
    on the margin."""

    rule: ClassVar[str] = "svm.not_unique"
    Q: ImmutableMatrix
    labels: tuple[int, ...]
    alphas: tuple[sympy.Expr, ...]
    C: sympy.Expr | None
    margins: tuple[sympy.Expr, ...]
    direction: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        d, a = self.direction, self.alphas
        return any(d) and _same(self.Q * ImmutableMatrix(d), sympy.zeros(len(d), 1)) \
            and sum(dn * yn for dn, yn in zip(d, self.labels)) == 0 and all(
                dn == 0 or (_zero(self.margins[n] - 1) and (dn > 0 or a[n] != 0)
                            and (dn < 0 or self.C is None or a[n] != self.C)) for n, dn in enumerate(d))


def _other_solutions(Q: ImmutableMatrix, y: Sequence[int], alphas: Sequence[sympy.Expr],
                     C: sympy.Expr | None, margins: Sequence[sympy.Expr]) -> tuple[sympy.Expr, ...] | None:
    """A direction d of other optimal α, or None when none is found: the null space of Q and
    yᵀ over the points on the margin, a basis vector (or its negative) that keeps α in the
    box.  Exact, for rational Gram matrices (an RBF Gram matrix of distinct points is
    positive definite)."""
    on = [n for n in range(len(y)) if margins[n] == 1]
    if len(on) < 2 or Q.has(sympy.exp):
        return None
    A = Q.extract(on, on).col_join(ImmutableMatrix([[y[n] for n in on]]))
    for v in A.nullspace():
        for sign in (1, -1):
            d = [sympy.S.Zero] * len(y)
            for n, e in zip(on, v):
                d[n] = sign * e
            if all(dn == 0 or ((dn > 0 or alphas[n] != 0) and (dn < 0 or C is None or alphas[n] != C))
                   for n, dn in enumerate(d)):
                return tuple(d)
    return None


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
        with mpmath.workdps(50):
            Q, a, norm2, r = _lowered([self.Q.tolist(), self.alphas, self.norm_squared, self.result])
            quadratic = sum(a[n] * Q[n][m] * a[m] for n in range(len(a)) for m in range(len(a)))
            return _zero(quadratic - norm2) and _zero(r ** 2 * norm2 - 1) and _positive(r)


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


# ---------------------------------------------------------------- the numeric hint

def _numeric_dual(K: Sequence[Sequence[float]], y: Sequence[int], C: float) -> list[float] | None:
    """An approximate optimum of the dual by sequential minimal optimization (Platt; the pair
    that violates the KKT conditions most, as LIBSVM chooses it), in floats: it only suggests
    the support set, which the exact solve then confirms.  None when α grows without bound (a
    hard margin on data that are not separable) or the iteration does not settle."""
    N = len(y)
    alpha, grad = [0.0] * N, [-1.0] * N  # the gradient of ½αᵀQα − Σα
    for _ in range(200 * N * N + 1000):
        up = [n for n in range(N) if (alpha[n] < C if y[n] > 0 else alpha[n] > 0)]
        low = [n for n in range(N) if (alpha[n] > 0 if y[n] > 0 else alpha[n] < C)]
        if not up or not low:
            return alpha
        i = max(up, key=lambda n: (-y[n] * grad[n], -n))
        j = min(low, key=lambda n: (-y[n] * grad[n], n))
        gap = -y[i] * grad[i] + y[j] * grad[j]
        if gap < 1e-13 * (1 + max(alpha)):
            return alpha
        curvature = K[i][i] + K[j][j] - 2 * K[i][j]
        step = gap / curvature if curvature > 1e-12 else math.inf
        step = min(step, C - alpha[i] if y[i] > 0 else alpha[i], alpha[j] if y[j] > 0 else C - alpha[j])
        if step == math.inf or max(alpha) > 1e12:
            return None
        alpha[i] += y[i] * step
        alpha[j] -= y[j] * step
        for n in range(N):
            grad[n] += y[n] * step * (K[n][i] - K[n][j])
    return None


def _null_vector(rows: list[list[float]]) -> list[float] | None:
    """A vector v with rows · v ≈ 0 (Gaussian elimination with partial pivoting, relative
    tolerance 1e-9), or None when the square matrix is numerically nonsingular."""
    A = [list(r) for r in rows]
    n = len(A[0])
    scale = max(abs(e) for r in A for e in r) or 1.0
    pivots, r = [], 0
    for c in range(n):
        p = max(range(r, len(A)), key=lambda i: abs(A[i][c]), default=None)
        if p is None or abs(A[p][c]) <= 1e-9 * scale:
            continue
        A[r], A[p] = A[p], A[r]
        for i in range(len(A)):
            if i != r:
                f = A[i][c] / A[r][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        pivots.append(c)
        r += 1
    free = [c for c in range(n) if c not in pivots]
    if not free:
        return None
    v = [0.0] * n
    v[free[-1]] = 1.0
    for i, c in enumerate(pivots):
        v[c] = -A[i][free[-1]] / A[i][c]
    return v


def _vertex(alpha: list[float], K: Sequence[Sequence[float]], y: Sequence[int], C: float,
            tol: float) -> list[float]:
    """A vertex of the optimal set from the numeric optimum ``alpha``: while the KKT system of the
    points strictly inside the box is singular, move α along its null direction (which keeps
    Qα, hence w, b and the dual value) until an α_n reaches 0 or C, the later points first.
    That vertex is the canonical solution when the optimal α are not unique."""
    while True:
        free = [n for n in range(len(y)) if tol < alpha[n] < C - tol]
        if not free:
            return alpha
        d = _null_vector([[y[n] * y[m] * K[n][m] for m in free] + [y[n]] for n in free] +
                         [[y[m] for m in free] + [0.0]])
        if d is None:
            return alpha
        d = d[:-1]
        last = max(k for k in range(len(free)) if abs(d[k]) > 1e-12)
        d = [e / d[last] for e in d]  # the last free point's α decreases first
        step, hit = min((alpha[n] / e if e > 0 else (alpha[n] - C) / e, n)
                        for n, e in zip(free, d) if abs(e) > 1e-12)
        alpha = list(alpha)
        for n, e in zip(free, d):
            alpha[n] -= step * e
        alpha[hit] = 0.0 if alpha[hit] < C / 2 else C


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


def _kkt_rows(Q, y: Sequence[int], free: Sequence[int], bound: Sequence[int], C, zero) -> tuple[list, list]:
    """The rows ``[M | rhs]`` of a guess's KKT system, over any number type (``zero`` its 0)."""
    rows, rhs = [], []
    for n in free:
        rows.append([Q[n][m] for m in free] + [zero + y[n]])
        rhs.append(1 - sum((Q[n][m] * C for m in bound), zero))
    rows.append([zero + y[m] for m in free] + [zero])
    rhs.append(-sum((y[m] * C for m in bound), zero))
    return rows, rhs


def _system(Q: ImmutableMatrix, y: Sequence[int], free: Sequence[int], bound: Sequence[int],
            C: sympy.Expr | None) -> tuple[ImmutableMatrix, ImmutableMatrix]:
    rows, rhs = _kkt_rows(Q.tolist(), y, free, bound, C, sympy.S.Zero)
    return ImmutableMatrix(rows), ImmutableMatrix(rhs)


@dataclass(frozen=True)
class Machine:
    steps: tuple[Step, ...]
    alphas: tuple[sympy.Expr, ...]
    b: sympy.Expr
    w: ImmutableMatrix | None
    support: tuple[int, ...]
    margin: sympy.Expr


class _Symbolic:
    """Exact arithmetic on rationals and radicals (linear and polynomial kernels), by sympy;
    the KKT system is solved by the shared elimination, whose steps are shown."""

    def __init__(self, K: ImmutableMatrix, C: sympy.Expr | None):
        self.K, self.C = K.tolist(), C

    def expr(self, a: sympy.Expr) -> sympy.Expr:
        return tidy(a)

    def margin(self, norm2: sympy.Expr) -> sympy.Expr:
        """``1/√‖w‖²``, the root out of the denominator."""
        return sympy.radsimp(1 / sympy.sqrt(self.expr(norm2)))

    def at_least(self, a: sympy.Expr, bound: sympy.Expr) -> bool:
        return _at_least(a, bound)

    def positive(self, a: sympy.Expr) -> bool:
        return _positive(a)

    def solve(self, rows: list, rhs: list, names: list[sympy.Symbol]) -> tuple[list, Step | None]:
        red = reduce(ImmutableMatrix(rows).row_join(ImmutableMatrix(rhs)), pivot_cols=len(names),
                     names=names, to="rref")
        return list(red.rref[:, len(names)]), red.step


def _numerically_right(K: Sequence[Sequence[mpmath.mpf]], y: Sequence[int], C: sympy.Expr | None,
                       free: tuple[int, ...], bound: tuple[int, ...], M: ImmutableMatrix, rhs: ImmutableMatrix) -> bool:
    """The guess passes at 30 digits (a fast filter: the exact solve follows for the survivor);
    ``K`` the Gram matrix at 30 digits."""
    if not M.has(sympy.exp) and M.det(method="bareiss") == 0:
        return False
    with mpmath.workdps(30):  # sympy's LUsolve of a Float matrix went wrong on a 4x4 here
        tiny = mpmath.mpf(10) ** -20  # a 30-digit tolerance (a sympy Float 1 - 1e-20 rounds to 1)
        Mn = mpmath.matrix([[mpmath.mpf(sympy.N(M[i, j], 30)) for j in range(M.cols)] for i in range(M.rows)])
        rn = mpmath.matrix([mpmath.mpf(sympy.N(e, 30)) for e in rhs])
        try:
            if abs(mpmath.det(Mn)) < tiny:
                return False
            sol = list(mpmath.lu_solve(Mn, rn))
        except (ZeroDivisionError, TypeError):  # mpmath on an exactly singular matrix
            return False
        Cn = None if C is None else mpmath.mpf(sympy.N(C, 30))
        alphas = [mpmath.mpf(0)] * len(y)
        for m in bound:
            alphas[m] = Cn
        for n, a in zip(free, sol):
            if a <= 0 or (C is not None and a >= Cn):
                return False
            alphas[n] = a
        for n in range(len(y)):
            if n in free:
                continue
            value = y[n] * (mpmath.fsum(alphas[m] * y[m] * K[m][n] for m in range(len(y))) + sol[-1])
            if (value > 1 + tiny) if n in bound else (value < 1 - tiny):
                return False
    return True


def _outputs(ar: _Symbolic | Exponentials, y: Sequence[int], alphas: Sequence, b: object) -> list:
    """``y_n f(x_n)`` for every point, in the arithmetic ``ar``."""
    N = len(y)
    return [y[n] * (sum((alphas[m] * y[m] * ar.K[m][n] for m in range(N)), 0 * b) + b) for n in range(N)]


def _try(ar: _Symbolic | Exponentials, Kn: Sequence[Sequence[mpmath.mpf]], Q: ImmutableMatrix,
         y: Sequence[int], C: sympy.Expr | None, free: tuple[int, ...],
         bound: tuple[int, ...]) -> tuple[list, object, Step | None] | None:
    """The KKT solution of one guess in the arithmetic ``ar``, or None when the guess is wrong."""
    N = len(y)
    zero = ar.K[0][0] * 0
    alphas = [zero] * N
    for m in bound:
        alphas[m] = ar.C
    if not free:
        if sum(y[m] for m in bound) != 0:
            return None
        g = [y[n] * v for n, v in enumerate(_outputs(ar, y, alphas, zero))]  # Σ_m α_m y_m K_mn
        lower, upper = [], []
        for n in range(N):  # y_n (g_n + b) >= 1 off the bound, <= 1 at it
            edge = y[n] - g[n]  # y_n = ±1, so y_n(g_n + b) = 1 at b = y_n - g_n
            (lower if (y[n] > 0) == (n not in bound) else upper).append(edge)
        if not lower or not upper:
            return None
        lo, hi = lower[0], upper[0]
        for e in lower[1:]:
            lo = e if ar.at_least(e, lo) else lo
        for e in upper[1:]:
            hi = e if ar.at_least(hi, e) else hi
        if not ar.at_least(hi, lo):
            return None
        b = (lo + hi) / 2
        return alphas, b, BiasInterval(lower=ar.expr(lo), upper=ar.expr(hi), result=ar.expr(b))
    M, rhs = _system(Q, y, free, bound, C)
    if not _numerically_right(Kn, y, C, free, bound, M, rhs):
        return None
    Qa = [[y[i] * y[j] * ar.K[i][j] for j in range(N)] for i in range(N)]
    rows, right = _kkt_rows(Qa, y, free, bound, ar.C, zero)
    solution, derivation = ar.solve(rows, right, [sympy.Symbol(f"alpha_{n + 1}") for n in free] + [sympy.Symbol("b")])
    for n, a in zip(free, solution):
        if not ar.positive(a) or (C is not None and not ar.positive(ar.C - a)):
            return None
        alphas[n] = a
    b = solution[-1]
    values = _outputs(ar, y, alphas, b)
    if not all(ar.at_least(1, values[n]) if n in bound else ar.at_least(values[n], 1)
               for n in range(N) if n not in free):
        return None
    return alphas, b, derivation


def _numeric_guess(Kn: Sequence[Sequence[mpmath.mpf]], y: Sequence[int], C: sympy.Expr | None
                   ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[sympy.Float, ...]] | None:
    """The support set the numeric optimum suggests: the points strictly inside the box and the
    points at α = C, after moving to a vertex of the optimal set (see ``_vertex``); with the
    numeric α (4 digits)."""
    K = [[float(e) for e in row] for row in Kn]
    Cf = math.inf if C is None else float(C)
    alpha = _numeric_dual(K, y, Cf)
    if alpha is None:
        return None
    tol = 1e-7 * max(1.0, max(alpha))
    alpha = _vertex(alpha, K, y, Cf, tol)
    free = tuple(n for n in range(len(y)) if tol < alpha[n] < Cf - tol)
    bound = tuple(n for n in range(len(y)) if alpha[n] >= Cf - tol)
    return free, bound, tuple(sympy.Float(a, 4) if a > tol else sympy.S.Zero for a in alpha)


def _search(ar: _Symbolic | Exponentials, Kn: Sequence[Sequence[mpmath.mpf]], Q: ImmutableMatrix,
            y: Sequence[int], C: sympy.Expr | None, limit: int, diverged: bool) -> tuple[int, tuple, tuple, tuple] | None:
    """Every support-vector guess, smallest first, until one satisfies the KKT conditions: the
    fallback when the numeric hint is not confirmed, and the proof that hard-margin data are
    not separable (every guess fails).  Returns the number of failed guesses, free, bound
    and the solution."""
    N, rejected = len(y), 0
    if N > limit:
        raise TutorError(f"{N} points: the exact search over support sets handles at most {limit}, and "
                         + ("the numeric dual grows without bound (the data look not separable: allow a "
                            "soft margin with --C 1)" if diverged else "the numeric optimum was not confirmed"))
    for size in range(0 if C is not None else 2, N + 1):
        for free in itertools.combinations(range(N), size):
            rest = [n for n in range(N) if n not in free]
            bounds = ([()] if C is None else
                      [c for s in range(len(rest) + 1) for c in itertools.combinations(rest, s)])
            for bound in bounds:
                if not free and not bound:
                    continue
                got = _try(ar, Kn, Q, y, C, free, bound)
                if got is not None:
                    return rejected, free, bound, got
                rejected += 1
    return None


def train(points: Sequence[ImmutableMatrix], labels: Sequence[int], kernel: Kernel,
          C: sympy.Expr | None = None) -> Machine:
    """The SVM's dual solution, with steps; non-separable data under the hard margin are refused.

    A numeric optimum of the dual (``_numeric_dual``) suggests the support set; the KKT system
    of that set is solved exactly and every condition checked exactly (or, for exponentials,
    at 50 digits).  Only when that fails are the support sets searched one by one."""
    N, D = len(points), points[0].rows
    if set(labels) != {1, -1}:
        raise TutorError("the labels must be +1 and -1, with both present")
    if N > MAX_POINTS:
        raise TutorError(f"{N} points: an exact SVM here handles at most {MAX_POINTS} points")
    if kernel.name == "rbf" and N > MAX_RBF:
        raise TutorError(f"{N} points: an exact RBF SVM handles at most {MAX_RBF} points "
                         "(its values are rational functions of e of high degree)")
    if C is not None and not C > 0:
        raise TutorError(f"C must be positive, not {C}")
    y = tuple(int(v) for v in labels)
    K = gram(points, kernel)
    Q = ImmutableMatrix(N, N, lambda i, j: y[i] * y[j] * K[i, j])
    steps: list[Step] = [GramMatrix(points=tuple(points), labels=y, kernel=str(kernel), K=K, Q=Q)]
    ar = Exponentials(K, C) if kernel.name == "rbf" else _Symbolic(K, C)
    with mpmath.workdps(30):
        Kn = [[mpmath.mpf(sympy.N(e, 30)) for e in row] for row in K.tolist()]
    guess, found, hint = _numeric_guess(Kn, y, C), None, ()
    if guess is not None:
        free, bound, hint = guess
        got = _try(ar, Kn, Q, y, C, free, bound)
        found = None if got is None else (0, free, bound, got)
    if found is None:
        hint = ()
        found = _search(ar, Kn, Q, y, C, MAX_SOFT if C is not None else MAX_HARD, guess is None)
    if found is None:
        if C is None:
            raise TutorError("the data are not linearly separable" + ("" if kernel.name == "linear" else
                             f" in the feature space of the {kernel} kernel") +
                             ": no hard-margin SVM exists; allow a soft margin with --C 1")
        raise TutorError("no KKT solution found")
    rejected, free, bound, (exact_alphas, exact_b, derivation) = found
    alphas = [ar.expr(a) for a in exact_alphas]
    b = ar.expr(exact_b)
    M, rhs = _system(Q, y, free, bound, C)
    steps.append(SupportGuess(Q=Q, labels=y, C=C, free=free, bound=bound, system=ImmutableMatrix(M.row_join(rhs)),
                              solution=tuple(alphas[n] for n in free) + (b,), rejected=rejected,
                              hint=hint, substeps=(derivation,) if free and derivation else ()))
    if not free:
        steps.append(derivation)
    exact_margins = _outputs(ar, y, exact_alphas, exact_b)
    margins = tuple(ar.expr(v) for v in exact_margins)
    steps.append(KKTCheck(K=K, labels=y, alphas=tuple(alphas), b=b, C=C, margins=margins))
    direction = _other_solutions(Q, y, alphas, C, margins)
    if direction is not None:
        steps.append(NotUnique(Q=Q, labels=y, alphas=tuple(alphas), C=C, margins=margins, direction=direction))
    w = None
    if kernel.name == "linear":
        w = ImmutableMatrix(sum((a * yi * x for a, yi, x in zip(alphas, y, points)), sympy.zeros(D, 1)))
        steps.append(Weights(points=tuple(points), labels=y, alphas=tuple(alphas), result=w))
    # αᵀQα = Σ_n α_n y_n f(x_n) − b Σ α_n y_n = Σ_free α_n + C Σ_bound y_n f(x_n): no products
    exact_norm2 = sum((exact_alphas[n] for n in free), exact_b * 0) + sum((ar.C * exact_margins[n] for n in bound), exact_b * 0)
    if not exact_norm2:
        raise TutorError("w = 0: the data do not determine a separating boundary")
    norm2, margin = ar.expr(exact_norm2), ar.margin(exact_norm2)
    steps.append(Margin(Q=Q, alphas=tuple(alphas), norm_squared=norm2, result=margin))
    support = tuple(n for n in range(N) if alphas[n] != 0)
    variables = sympy.symbols(f"x_1:{D + 1}") if D > 1 else (sympy.Symbol("x"),)
    xs = ImmutableMatrix(variables)
    f = sum((alphas[n] * y[n] * kernel(points[n], xs) for n in support), sympy.S.Zero) + b
    if kernel.name != "rbf":  # a polynomial in x, collected; an RBF's exponentials stay one per support vector
        f = sympy.expand(f)
    steps.append(DecisionFunction(points=tuple(points[n] for n in support), labels=tuple(y[n] for n in support),
                                  alphas=tuple(alphas[n] for n in support), b=b, kernel=str(kernel),
                                  variables=tuple(variables), result=f))
    return Machine(tuple(steps), tuple(alphas), b, w, support, margin)
