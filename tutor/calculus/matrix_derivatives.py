"""Derivatives of vector and matrix expressions by the identities of MML section 5.5.

The derivative of f with respect to a vector x ∈ R^n is written in MML's numerator
layout: for a scalar f it is the 1 x n row vector ∂f/∂x, for f ∈ R^m the m x n
Jacobian.  Each rule application is one :class:`MatrixDerivative` step naming the
identity it uses (``identity``, a key the template turns into the formula), the
parts the identity was matched with (``left``ᵀ ``middle`` ``right`` for a scalar
uᵀBv), and the derivative it claims, whose shape the template states.

The identities: ∂x/∂x = I, ∂(Ax)/∂x = A, ∂(aᵀx)/∂x = ∂(xᵀa)/∂x = aᵀ,
∂(xᵀx)/∂x = 2xᵀ, ∂(xᵀBx)/∂x = xᵀ(B + Bᵀ), ‖e‖² = eᵀe with ∂(eᵀe)/∂x = 2eᵀ ∂e/∂x
(chain rule), ∂(uᵀBv)/∂x = vᵀBᵀ ∂u/∂x + uᵀB ∂v/∂x (product rule), sums and
constant multiples.  A form outside these is a :class:`TutorError` naming them.

Each step checks itself independently (:meth:`MatrixDerivative.check`): for random
sizes 2..4 and random integer entries, the claimed derivative equals ``sympy.diff``
of the explicit function, component by component.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import Identity, MatAdd, MatMul, MatrixExpr, MatrixSymbol, ZeroMatrix

from tutor.core.errors import TutorError
from tutor.calculus.matrix_expressions import (DetFactor, KeptDet, KeptInverse, KeptLogDet, KeptTrace, KeptTranspose,
                                               SquaredNorm, add, explicit, mul, transpose)
from tutor.parsing.matrix_expressions import SUPPORTED
from tutor.core.steps import Step

#: Random trials per check, and the range of the sizes chosen in them.
TRIALS = 2
SIZES = (2, 4)


@dataclass(frozen=True, kw_only=True)
class MatrixDerivative(Step):
    """∂ expr / ∂ wrt = result (1 x n for a scalar expr, m x n for expr ∈ R^m).

    ``identity`` names the rule; ``left``, ``middle``, ``right`` are the parts of a
    scalar uᵀBv it was matched with (``middle`` None: no B), ``coefficient`` the number
    of a constant multiple.  Substeps derive the parts (∂u/∂x, ∂v/∂x, each term).
    """

    rule: ClassVar[str] = "matrix.derivative"
    expr: MatrixExpr
    wrt: MatrixSymbol
    result: MatrixExpr
    identity: str
    left: MatrixExpr | None = None
    middle: MatrixExpr | None = None
    right: MatrixExpr | None = None
    coefficient: sympy.Expr = sympy.S.One
    expanded: MatrixExpr | None = None  # the sum of the parts, before like factors are collected
    rewritten: MatrixExpr | None = None  # the expression multiplied out before it is differentiated
    letters: tuple[str, str] | None = None  # the identity's general letters, when A, B would clash

    @property
    def scalar(self) -> bool:
        return self.expr.shape == (1, 1)

    @property
    def by_matrix(self) -> bool:
        """Differentiated with respect to a matrix X (upper-case name): for a scalar f, ∂f/∂X
        has the shape of X, entry (i, j) = ∂f/∂X_ij (MML (5.106): ∂aᵀXb/∂X = abᵀ)."""
        return is_matrix(self.wrt)

    def check(self) -> bool:
        shape = self.wrt.shape if self.by_matrix else (self.expr.shape[0], self.wrt.shape[0])
        if any(sympy.simplify(a - b) != 0 for a, b in zip(self.result.shape, shape)):
            return False
        rng = random.Random(zlib.crc32(str((self.expr, self.result)).encode()))
        return all(self._trial(rng) for _ in range(TRIALS))

    def _trial(self, rng: random.Random) -> bool:
        """One random instance: explicit sizes and entries, x as a vector of symbols."""
        values, sizes, xs = instance(rng, (self.expr, self.result), self.wrt)
        f = explicit(self.expr, values, sizes)
        if self.by_matrix:
            expected = values[self.wrt.name].applyfunc(lambda s: sympy.diff(f[0, 0], s))
        else:
            expected = sympy.Matrix(f.rows, len(xs), lambda i, j: sympy.diff(f[i, 0], xs[j]))
        if not _equal(explicit(self.result, values, sizes), expected):
            return False
        if self.expanded is not None and not _equal(explicit(self.expanded, values, sizes), expected):
            return False
        if self.rewritten is not None and not _equal(explicit(self.rewritten, values, sizes), f):
            return False
        if self.by_matrix and self.middle is not None:  # tr(left middle right) is the expression
            parts = [p for p in (self.left, self.middle, self.right) if p is not None]
            return _zero(explicit(mul(*parts), values, sizes).trace() - f[0, 0])
        if self.left is not None:  # the parts put back together are the expression
            parts = (self.coefficient, transpose(self.left)) + \
                ((self.middle,) if self.middle is not None else ()) + (self.right,)
            return (explicit(mul(*parts), values, sizes) - f).expand() == sympy.zeros(1, 1)
        return True


def _equal(got: sympy.Matrix, expected: sympy.Matrix) -> bool:
    return got.shape == expected.shape and all(_zero(e) for e in got - expected)


def _zero(e: sympy.Expr) -> bool:
    """``e`` is 0: a polynomial expands to 0; a rational function of the entries of X (X⁻¹,
    det X in a denominator) vanishes at three random rational points, exactly (``cancel``
    of a 3 x 3 inverse's derivative takes seconds)."""
    e = sympy.expand(e)
    if e == 0:
        return True
    symbols = sorted(e.free_symbols, key=str)
    if e.is_polynomial(*symbols):
        return False
    rng = random.Random(zlib.crc32(str(e).encode()))
    tried = 0
    for _ in range(20):
        value = e.xreplace({s: sympy.Rational(rng.randint(-30, 30), rng.randint(1, 7)) for s in symbols})
        if value.has(sympy.zoo, sympy.nan):
            continue
        if value != 0:
            return False
        tried += 1
        if tried == 3:
            return True
    return False


def is_matrix(name: MatrixSymbol) -> bool:
    """An upper-case name is a matrix (lower-case: a column vector), whatever its sizes."""
    return not name.name[0].islower()


def instance(rng: random.Random, exprs: tuple[MatrixExpr, ...], wrt: MatrixSymbol
             ) -> tuple[dict[str, sympy.Matrix], dict[sympy.Symbol, int], list[sympy.Symbol]]:
    """Random sizes for the size symbols, random integer entries for every name but
    ``wrt``, which becomes a column of symbols x_1, ..., x_n (a matrix X: X_11, ..., X_mn,
    returned row by row)."""
    names = {s for e in exprs + (wrt,) for s in e.atoms(MatrixSymbol)} | {wrt}
    dims = {d for s in names for d in s.shape if isinstance(d, sympy.Symbol)}
    dims |= {d for e in exprs for d in sympy.sympify(e.shape).free_symbols}
    # a symbolic inverse or determinant of 4 x 4 takes seconds to differentiate: 2 x 2 and 3 x 3
    inverse = any(e.atoms(KeptInverse, KeptDet, KeptLogDet, DetFactor) for e in exprs)
    sizes = {d: rng.randint(SIZES[0], 3 if inverse else SIZES[1]) for d in sorted(dims, key=str)}
    values: dict[str, sympy.Matrix] = {}
    for s in sorted(names, key=lambda s: s.name):
        rows, cols = (int(sympy.sympify(d).subs(sizes)) for d in s.shape)
        if s.name == wrt.name and is_matrix(wrt):
            values[s.name] = sympy.Matrix(rows, cols, lambda i, j: sympy.Symbol(f"{s.name}_{i + 1}{j + 1}"))
            xs = list(values[s.name])
        elif s.name == wrt.name:
            xs = list(sympy.symbols(f"{s.name}_1:{rows + 1}"))
            values[s.name] = sympy.Matrix(xs)
        else:
            values[s.name] = sympy.Matrix(rows, cols, lambda i, j: rng.randint(-5, 5))
    return values, sizes, xs


# ---------------------------------------------------------------- the engine

def derive(expr: MatrixExpr, wrt: MatrixSymbol) -> MatrixDerivative:
    """The derivation of ∂expr/∂wrt (expr a scalar or a column vector)."""
    return _Engine(wrt).derive(expr)


class _Engine:
    def __init__(self, wrt: MatrixSymbol) -> None:
        self.x = wrt
        self.n = wrt.shape[0]

    def step(self, expr: MatrixExpr, result: MatrixExpr, identity: str, **data: object
             ) -> MatrixDerivative:
        return MatrixDerivative(expr=expr, wrt=self.x, result=result, identity=identity, **data)

    def derive(self, expr: MatrixExpr) -> MatrixDerivative:
        if not expr.has(self.x):
            return self.step(expr, ZeroMatrix(expr.shape[0], self.n), "constant")
        if expr == self.x:
            return self.step(expr, Identity(self.n), "identity")
        if isinstance(expr, MatAdd):
            subs = tuple(self.derive(t) for t in expr.args)
            return self.step(expr, add(*(s.result for s in subs)), "sum", substeps=subs)
        if isinstance(expr, SquaredNorm):  # ‖e‖² = eᵀe
            e = expr.arg
            inner = self.bilinear(MatMul(KeptTranspose(e), e), e, None, e)
            return self.step(expr, inner.result, "norm_squared", left=e, right=e,
                             substeps=(inner,))
        if isinstance(expr, MatMul):
            return self.product(expr)
        if isinstance(expr, KeptTrace):
            raise TutorError(f"{expr} depends on the vector {self.x}: a trace is differentiated with "
                             "respect to a matrix here (an upper-case name, e.g. --wrt X)")
        raise TutorError(f"no identity of this tutor applies to {expr}; {SUPPORTED}")

    def product(self, expr: MatMul) -> MatrixDerivative:
        numbers = [a for a in expr.args if not isinstance(a, MatrixExpr)]
        factors = [a for a in expr.args if isinstance(a, MatrixExpr)]
        c = sympy.Mul(*numbers)
        if c != 1:
            body = factors[0] if len(factors) == 1 else MatMul(*factors)
            sub = self.derive(body)
            return self.step(expr, mul(c, sub.result), "constant_multiple", coefficient=c,
                             substeps=(sub,))
        if expr.shape[1] != 1:
            raise TutorError(f"{expr} is not a column vector or a scalar; {SUPPORTED}")
        if expr.shape == (1, 1) and factors[0].shape[0] == 1:
            return self.scalar_product(expr, factors)
        return self.linear(expr, factors)

    def linear(self, expr: MatMul, factors: list[MatrixExpr]) -> MatrixDerivative:
        """B w with a constant matrix B: ∂(Bw)/∂x = B ∂w/∂x (B x: just B)."""
        B, w = factors[:-1], factors[-1]
        if any(f.has(self.x) for f in B):
            raise TutorError(f"in {expr} a matrix depends on {self.x}; {SUPPORTED}")
        matrix = mul(*B)
        if w == self.x:
            return self.step(expr, matrix, "linear", middle=matrix)
        sub = self.derive(w)
        return self.step(expr, mul(matrix, sub.result), "linear_chain", middle=matrix,
                         substeps=(sub,))

    def scalar_product(self, expr: MatMul, factors: list[MatrixExpr]) -> MatrixDerivative:
        """uᵀ B v: split into the transposed first factor, the constant middle, the last."""
        first, last, middle = factors[0], factors[-1], factors[1:-1]
        u = transpose(first)
        if len(factors) < 2 or u.shape[1] != 1 or last.shape[1] != 1:
            raise TutorError(f"{expr} is not of the form u^T B v; {SUPPORTED}")
        if any(f.has(self.x) for f in middle):
            raise TutorError(f"in {expr} a matrix depends on {self.x}; {SUPPORTED}")
        v = last
        if u != v and isinstance(v, MatMul) and v.has(self.x):
            # x^T (A x): the constant matrices in front of v join the middle
            lead = [f for f in v.args if isinstance(f, MatrixExpr)]
            if all(isinstance(a, MatrixExpr) for a in v.args) and \
                    not any(f.has(self.x) for f in lead[:-1]):
                middle, v = middle + lead[:-1], lead[-1]
        return self.bilinear(expr, u, mul(*middle) if middle else None, v)

    def bilinear(self, expr: MatrixExpr, u: MatrixExpr, B: MatrixExpr | None, v: MatrixExpr
                 ) -> MatrixDerivative:
        """∂(uᵀBv)/∂x by the most specific identity that applies."""
        x = self.x
        parts = dict(left=u, middle=B, right=v)
        with_B = (lambda *f: mul(*f[:1], B, *f[1:])) if B is not None else mul
        if u == v:
            symmetric = B is None or transpose(B) == B
            twice = mul(2, transpose(u), B) if B is not None else mul(2, transpose(u))
            form = twice if symmetric else mul(transpose(u), add(B, transpose(B)))
            if u == x:
                key = "x_T_x" if B is None else ("quadratic_symmetric" if symmetric else "quadratic")
                return self.step(expr, form, key, **parts)
            sub = self.derive(u)
            key = "inner_self" if B is None else ("quadratic_chain_symmetric" if symmetric
                                                  else "quadratic_chain")
            return self.step(expr, mul(form, sub.result), key, substeps=(sub,), **parts)
        du, dv = u.has(x), v.has(x)
        if not du:
            if v == x:
                key = "a_T_x" if B is None else "a_T_B_x"
                return self.step(expr, with_B(transpose(u)), key, **parts)
            sub = self.derive(v)
            return self.step(expr, mul(with_B(transpose(u)), sub.result), "linear_form",
                             substeps=(sub,), **parts)
        Bt = transpose(B) if B is not None else None
        left_factor = mul(transpose(v), Bt) if Bt is not None else transpose(v)
        if not dv:
            if u == x:
                key = "x_T_a" if B is None else "x_T_B_a"
                return self.step(expr, left_factor, key, **parts)
            sub = self.derive(u)
            return self.step(expr, mul(left_factor, sub.result), "linear_form_left",
                             substeps=(sub,), **parts)
        su, sv = self.derive(u), self.derive(v)
        result = add(mul(left_factor, su.result), mul(with_B(transpose(u)), sv.result))
        return self.step(expr, result, "product", substeps=(su, sv), **parts)

