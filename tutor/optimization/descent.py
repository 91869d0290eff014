"""Gradient descent, with or without momentum, in exact arithmetic (MML 7.1, 7.11).

x_{k+1} = x_k - γ ∇f(x_k)^T (+ α Δx_k with momentum, Δx_k = x_k - x_{k-1}), the gradient a
row vector as in MML.  For a quadratic f = ½ xᵀAx - bᵀx (+ c) with A positive definite the
iteration is understood completely: its minimizer is A⁻¹b, and it converges from every start
exactly when 0 < γλ < 2(1 + α) for every eigenvalue λ of A (α = 0 without momentum: γ <
2/λ_max), which is said in words.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.core.errors import TutorError
from tutor.core.steps import Step
from tutor.core.symcheck import same, same_matrix, sign
from tutor.linalg import algebraic
from tutor.optimization.definiteness import definiteness
from tutor.optimization.stationary import gradient

MAX_ITERATIONS = 12


def quadratic_function(A: sympy.MatrixBase, b: sympy.MatrixBase, variables: Sequence[Symbol]
                       ) -> sympy.Expr:
    x = sympy.Matrix(variables)
    return sympy.expand((x.T * A * x)[0] / 2 - (b.T * x)[0])


@dataclass(frozen=True, kw_only=True)
class QuadraticForm(Step):
    """f = ½ xᵀAx - bᵀx + c: ``A`` (symmetric) is the Hessian, b = -∇f(0)ᵀ."""

    rule: ClassVar[str] = "optimization.quadratic_form"
    function: sympy.Expr
    variables: tuple[Symbol, ...]
    A: ImmutableMatrix
    b: ImmutableMatrix
    constant: sympy.Expr

    def check(self) -> bool:
        rest = self.function - quadratic_function(self.A, self.b, self.variables) - self.constant
        return self.A.is_symmetric() and sympy.expand(rest) == 0


def as_quadratic(f: sympy.Expr, variables: Sequence[Symbol], gradient_row: Sequence[sympy.Expr]
                 ) -> QuadraticForm | None:
    """f as ½ xᵀAx - bᵀx + c when its Hessian (from the gradient's entries) is constant: a
    function with a constant Hessian is a quadratic polynomial."""
    A = ImmutableMatrix([[sympy.diff(g, v) for v in variables] for g in gradient_row])
    if A.free_symbols & set(variables):
        return None
    zero = {v: 0 for v in variables}
    b = ImmutableMatrix([-g.xreplace(zero) for g in gradient_row])
    return QuadraticForm(function=f, variables=tuple(variables), A=A, b=b, constant=f.xreplace(zero))


@dataclass(frozen=True, kw_only=True)
class Minimizer(Step):
    """The minimizer of a quadratic with A positive definite solves ∇f = 0: A x* = b."""

    rule: ClassVar[str] = "optimization.minimizer"
    A: ImmutableMatrix
    b: ImmutableMatrix
    x: ImmutableMatrix
    value: sympy.Expr

    def check(self) -> bool:
        return same_matrix(self.A * self.x, self.b) and same(self.value, -(self.b.T * self.x)[0] / 2)


@dataclass(frozen=True, kw_only=True)
class StepSizeCondition(Step):
    """The eigenvalues of A and whether 0 < γλ < 2(1 + α) for each (``converges``)."""

    rule: ClassVar[str] = "optimization.step_size"
    A: ImmutableMatrix
    eigenvalues: tuple[sympy.Expr, ...]
    largest: sympy.Expr
    bound: sympy.Expr
    step: sympy.Expr
    momentum: sympy.Expr
    converges: bool
    condition: sympy.Expr  # λ_max / λ_min

    @property
    def root_polynomials(self) -> tuple[sympy.Expr, ...]:
        """The irreducible factors of the characteristic polynomial (in λ) whose roots have no
        expression in radicals here: a cubic with three real roots (a symmetric A), which by
        the casus irreducibilis has none in real radicals."""
        lam = Symbol("lambda")
        polys = dict.fromkeys(r.poly.as_expr().xreplace({r.poly.gen: lam})
                              for e in self.eigenvalues for r in e.atoms(sympy.CRootOf))
        return tuple(polys)

    def named(self, value: sympy.Expr) -> sympy.Expr:
        """``value`` with each eigenvalue that is a ``CRootOf`` written as its name λ_i (in
        increasing order), exact and readable: 3/λ_3 rather than 3/CRootOf(x**3 - ..., 2)."""
        names = {e: Symbol(f"lambda_{i + 1}") for i, e in enumerate(self.eigenvalues) if isinstance(e, sympy.CRootOf)}
        return value.xreplace(names)

    def check(self) -> bool:
        # the multiset of eigenvalues by Newton's identities: Σ λ^k = tr(A^k), k = 1..n
        A = sympy.Matrix(self.A)
        if len(self.eigenvalues) != A.rows or not all(
                same(sum(lam ** k for lam in self.eigenvalues), (A ** k).trace()) for k in range(1, A.rows + 1)):
            return False
        if not same(self.condition, self.largest / self.eigenvalues[0]):
            return False
        ok = 0 <= self.momentum < 1 and all(
            0 < self.step * lam < 2 * (1 + self.momentum) for lam in self.eigenvalues)
        return (same(self.largest, max(self.eigenvalues, key=sympy.N))
                and same(self.bound, 2 * (1 + self.momentum) / self.largest) and ok == self.converges)


@dataclass(frozen=True, kw_only=True)
class DescentStep(Step):
    """x_{k+1} = x_k - γ ∇f(x_k)^T + α (x_k - x_{k-1}), with f(x_{k+1})."""

    rule: ClassVar[str] = "optimization.descent_step"
    function: sympy.Expr
    variables: tuple[Symbol, ...]
    k: int
    x: ImmutableMatrix
    gradient: ImmutableMatrix  # a row
    step: sympy.Expr
    momentum: sympy.Expr
    previous: ImmutableMatrix  # Δx_k = x_k - x_{k-1} (0 at the start)
    after: ImmutableMatrix
    value: sympy.Expr

    def check(self) -> bool:
        at = dict(zip(self.variables, self.x))
        g = ImmutableMatrix([[sympy.diff(self.function, v).subs(at) for v in self.variables]])
        expected = self.x - self.step * g.T + self.momentum * self.previous
        return (same_matrix(g, self.gradient) and same_matrix(expected, self.after)
                and same(self.function.subs(dict(zip(self.variables, self.after))), self.value))


def tidy(e: sympy.Expr) -> sympy.Expr:
    """Rationals as they are (the classroom case, already exact and reduced); others simplified
    (a value of f at a rational point is rational: ``simplify`` there cost milliseconds)."""
    return e if e.is_Rational else sympy.simplify(e)


def _simplify(M: sympy.MatrixBase) -> ImmutableMatrix:
    return ImmutableMatrix(M.applyfunc(tidy))


def eigenvalues(A: sympy.MatrixBase) -> tuple[sympy.Expr, ...]:
    """The eigenvalues of the symmetric A in increasing order, with multiplicity: exact roots of
    the characteristic polynomial (radicals up to degree 2, ``CRootOf`` above).  Not
    ``eigenvals()``: its Cardano formulas for three real roots carry an imaginary part that
    cancels only symbolically, so they could not be sorted as reals (a crash)."""
    return tuple(sympy.Matrix(A).charpoly().all_roots())


def _quotient(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """a/b with a rational denominator: computed in Q(√d) when the eigenvalues are surds
    (``radsimp`` took 5 ms a quotient, half of the whole solve), else as it is."""
    a, b = sympy.sympify(a, strict=True), sympy.sympify(b, strict=True)
    field = algebraic.quadratic_field([a, b])
    if field is None:
        return a / b
    return (algebraic.field_number(field, a) / algebraic.field_number(field, b))._sympy_()


def descend(f: sympy.Expr, variables: Sequence[Symbol], start: sympy.MatrixBase, step: sympy.Expr,
            iterations: int, momentum: sympy.Expr = sympy.S.Zero) -> tuple[list[Step], list[DescentStep]]:
    """The gradient, the quadratic analysis when f is quadratic, and the iterations."""
    variables = tuple(variables)
    first, grad = gradient(f, variables)
    steps: list[Step] = [*first, grad]
    quad = as_quadratic(f, variables, list(grad.matrix))
    if quad is not None:
        steps.append(quad)
        test = definiteness(quad.A)
        steps.append(test)
        if test.verdict == "positive definite":
            x_star = ImmutableMatrix(quad.A.LUsolve(quad.b))
            steps.append(Minimizer(A=quad.A, b=quad.b, x=x_star,
                                   value=tidy(-(quad.b.T * x_star)[0] / 2)))
            eig = eigenvalues(quad.A)
            largest = eig[-1]
            steps.append(StepSizeCondition(
                A=quad.A, eigenvalues=eig, largest=largest,
                bound=_quotient(2 * (1 + momentum), largest), step=step, momentum=momentum,
                # A is positive definite and γ > 0: only γ λ_max < 2(1 + α) is in question (decided
                # at 50 digits after an exact zero test; sympy's comparisons of surds took 10 ms)
                converges=bool(0 <= momentum < 1 and sign(step * largest - 2 * (1 + momentum)) < 0),
                condition=_quotient(largest, eig[0])))
    x = ImmutableMatrix(start)
    delta = ImmutableMatrix.zeros(len(variables), 1)
    iterates: list[DescentStep] = []
    for k in range(iterations):
        at = dict(zip(variables, x))
        g = _simplify(grad.matrix.xreplace(at))
        after = _simplify(x - step * g.T + momentum * delta)
        value = tidy(f.xreplace(dict(zip(variables, after))))
        if any(len(str(c)) > 80 for c in after):
            raise TutorError(f"the iterates grow too large to show exactly after {k} iterations")
        iterates.append(DescentStep(function=f, variables=variables, k=k, x=x, gradient=g,
                                    step=step, momentum=momentum, previous=delta, after=after,
                                    value=value))
        delta, x = ImmutableMatrix(after - x), after
    return steps + iterates, iterates
