"""Steps shared by the calculus kinds: partial derivatives, assembled matrices, evaluation.

The rules of a single derivative live in :mod:`tutor.diffsteps`; the steps here
say which derivative is taken (``∂²f/∂y∂x``), how the derivatives are put together
(a 1 x n gradient, an m x n Jacobian, a Hessian, a product of Jacobians) and where
they are evaluated.  Every step checks itself with ``sympy.diff`` / matrix products.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Symbol

from tutor.calculus.derivatives import Simplification, derive, tidy_result
from tutor.core.errors import TutorError
from tutor.core.functions import relu, to_elementary
from tutor.core.steps import Note, Step
from tutor.core.symcheck import same, same_matrix

#: Functions with a corner where their argument is 0 (no derivative there).
KINKED = (sympy.Abs, relu, sympy.sign, sympy.Heaviside)

#: The most digits an integer in a value at a point may have: a longer one is not worth
#: writing out (x^100000 at x = 2), and Python refuses to print one over 4,300 digits.
MAX_DIGITS = 300


@dataclass(frozen=True, kw_only=True)
class PartialDerivative(Step):
    """``result`` = ∂^k function / ∂variables[-1] ... ∂variables[0] (differentiated in the
    order of ``variables``); the substep derives it from the previous derivative."""

    rule: ClassVar[str] = "calculus.partial"
    function: sympy.Expr
    variables: tuple[Symbol, ...]
    result: sympy.Expr

    def check(self) -> bool:
        return same(sympy.diff(to_elementary(self.function), *self.variables), self.result)


@dataclass(frozen=True, kw_only=True)
class JacobianMatrix(Step):
    """``matrix[i, j]`` = ∂functions[i]/∂variables[j] (numerator layout, m x n).

    ``name`` says what the matrix is: a gradient (one function: a 1 x n row), a
    Jacobian, or a Hessian (the functions are then the first partials of f).
    """

    rule: ClassVar[str] = "calculus.jacobian_matrix"
    name: str
    functions: tuple[sympy.Expr, ...]
    variables: tuple[Symbol, ...]
    matrix: ImmutableMatrix

    def check(self) -> bool:
        expected = sympy.Matrix(len(self.functions), len(self.variables),
                                lambda i, j: sympy.diff(to_elementary(self.functions[i]),
                                                        self.variables[j]))
        return same_matrix(expected, self.matrix)


@dataclass(frozen=True, kw_only=True)
class Symmetry(Step):
    """The mixed partials agree (Schwarz): ∂²f/∂x_i∂x_j = ∂²f/∂x_j∂x_i for every pair."""

    rule: ClassVar[str] = "calculus.symmetry"
    function: sympy.Expr
    variables: tuple[Symbol, ...]

    def check(self) -> bool:
        f, v = to_elementary(self.function), self.variables
        return all(same(sympy.diff(f, v[i], v[j]), sympy.diff(f, v[j], v[i]))
                   for i in range(len(v)) for j in range(i + 1, len(v)))


@dataclass(frozen=True, kw_only=True)
class EvaluateAt(Step):
    """``before`` (an expression or a matrix) at ``point`` is ``after``."""

    rule: ClassVar[str] = "calculus.evaluate"
    before: Any
    point: dict[Symbol, sympy.Expr]
    after: Any

    def check(self) -> bool:
        if isinstance(self.before, sympy.MatrixBase):
            return same_matrix(self.before.subs(self.point), self.after)
        return same(self.before.subs(self.point), self.after)


@dataclass(frozen=True, kw_only=True)
class MatrixProduct(Step):
    """``left`` (m x n) times ``right`` (n x k) is ``product`` (m x k): the chain rule's product."""

    rule: ClassVar[str] = "calculus.matrix_product"
    left: ImmutableMatrix
    right: ImmutableMatrix
    product: ImmutableMatrix

    def check(self) -> bool:
        return self.left.cols == self.right.rows and same_matrix(self.left * self.right, self.product)


@dataclass(frozen=True, kw_only=True)
class Substitute(Step):
    """``before`` with ``substitutions`` (x_i = x_i(t)) made is ``after``."""

    rule: ClassVar[str] = "calculus.substitute"
    before: Any
    substitutions: dict[Symbol, sympy.Expr]
    after: Any

    def check(self) -> bool:
        return EvaluateAt(before=self.before, point=self.substitutions, after=self.after).check()


# ---------------------------------------------------------------- building blocks

def partials(function: sympy.Expr, variables: Sequence[Symbol],
             start: tuple[Symbol, ...] = (), known: sympy.Expr | None = None
             ) -> list[PartialDerivative]:
    """∂f/∂v for each v in ``variables``, each derived from ``known`` = ∂^start f (default f)."""
    base = function if known is None else known
    return [PartialDerivative(function=function, variables=start + (v,),
                              result=(d := derive(base, v)).result, substeps=(d,))
            for v in variables]


def successive(function: sympy.Expr, variables: Sequence[Symbol]) -> list[PartialDerivative]:
    """Differentiate with respect to ``variables`` one after the other (mixed partials)."""
    out: list[PartialDerivative] = []
    current = function
    for k, v in enumerate(variables):
        step = partials(function, [v], tuple(variables[:k]), current)[0]
        out.append(step)
        current = step.result
    return out


def jacobian_of(name: str, functions: Sequence[sympy.Expr], variables: Sequence[Symbol],
                rows: Sequence[Sequence[PartialDerivative]]) -> JacobianMatrix:
    """The matrix of the partials in ``rows`` (row i: the partials of functions[i])."""
    M = ImmutableMatrix([[p.result for p in row] for row in rows])
    return JacobianMatrix(name=name, functions=tuple(functions), variables=tuple(variables),
                          matrix=M)


def tidy_matrix(M: ImmutableMatrix) -> tuple[ImmutableMatrix, list[Step]]:
    """Each entry tidied (:func:`tidy_result`); a simplification step when anything changed."""
    tidy = ImmutableMatrix(M.rows, M.cols, [tidy_result(e) for e in M])
    return (tidy, [Simplification(before=M, after=tidy)]) if tidy != M else (M, [])


def kinks(function: sympy.Expr, point: dict[Symbol, sympy.Expr]) -> list[sympy.Expr]:
    """The arguments of |.|, ReLU, sign that vanish at ``point``: no derivative there."""
    return [k.args[0] for k in function.atoms(*KINKED)
            if sympy.simplify(k.args[0].subs(point)) == 0]


def evaluate(function: sympy.Expr, value: Any, point: dict[Symbol, sympy.Expr]
             ) -> tuple[Any, list[Step]]:
    """``value`` (a derivative of ``function``) at ``point``, or a note why it has no value."""
    corners = kinks(function, point)
    if corners:
        return None, [Note(key="not_differentiable", values={"point": point, "where": corners})]
    at = value.subs(point)
    entries = list(at) if isinstance(at, sympy.MatrixBase) else [at]
    if any(e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) for e in entries):
        return None, [Note(key="undefined_at_point", values={"point": point})]
    at = at.applyfunc(_simplified) if isinstance(at, sympy.MatrixBase) else _simplified(at)
    digits = max(_digits(e) for e in (at if isinstance(at, sympy.MatrixBase) else [at]))
    if digits > MAX_DIGITS:
        return None, [Note(key="too_large_at_point", values={"point": point, "digits": digits})]
    return at, [EvaluateAt(before=value, point=point, after=at)]


def _digits(e: sympy.Basic) -> int:
    """About how many digits the longest integer (numerator or denominator) in ``e`` has
    (from its bit length: an integer that long cannot be turned into text)."""
    return max((max(abs(r.p), r.q).bit_length() * 3 // 10 + 1 for r in e.atoms(sympy.Rational)), default=0)


def _size(e: sympy.Basic) -> int:
    """How big ``e`` is written out: its operations and the digits of its numbers (``simplify``
    left to count operations alone combines ``a log 2 + b log 37`` into ``log(2^a 37^b)``,
    a 16,000-digit integer that then cannot be printed)."""
    return sympy.count_ops(e) + sum(_digits(r) - 1 for r in e.atoms(sympy.Rational))


_SIMPLIFY_OPS = 30  # above this, simplify's trigonometric search took 14 s for one Hessian entry


def _simplified(e: sympy.Expr) -> sympy.Expr:
    """The value at a point simplified, never grown into bigger numbers than it had.

    A classroom value (a few operations) gets sympy's full ``simplify``; a longer one the
    smallest of a few cheap rewritings, since ``simplify`` of a 50-operation value of tanh and
    sin at a point spent seconds factoring over the Gaussian rationals for no shorter form."""
    if sympy.count_ops(e) <= _SIMPLIFY_OPS:
        return sympy.simplify(e, measure=_size)
    return min((e, sympy.together(e), sympy.cancel(e), sympy.factor(e)), key=_size)


def check_point(point: dict[Symbol, sympy.Expr], variables: Sequence[Symbol]) -> None:
    """Every variable gets a value and every value is a finite real number."""
    names = {v.name for v in variables}
    extra = sorted(s.name for s in point if s.name not in names)
    missing = sorted(names - {s.name for s in point})
    if extra:
        raise TutorError(f"the point names {', '.join(extra)}, which is not a variable")
    if missing:
        raise TutorError(f"the point gives no value for {', '.join(missing)}")
    for s, v in point.items():
        if not (v.is_number and v.is_real and v.is_finite):
            raise TutorError(f"the value of {s} is not a finite real number: {v}")

