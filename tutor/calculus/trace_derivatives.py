"""Derivatives of scalar functions of a matrix X: traces and aᵀXb (MML section 5.5).

For a scalar f and X ∈ R^{m x n}, ∂f/∂X is the m x n matrix of the ∂f/∂X_ij: the shape of
MML's (5.106), ∂(aᵀXb)/∂X = abᵀ.  The rules used, each one :class:`MatrixDerivative` step:

- sums (like terms combined: -baᵀ - baᵀ = -2baᵀ), constant multiples, and
  tr(M₁ + M₂) = tr(M₁) + tr(M₂);
- a product with a factor that is a sum in X is multiplied out first (tr((X + A)ᵀ(X + A)),
  (Xa - b)ᵀ(Xa - b)); a squared norm ‖e‖² is written eᵀe;
- one occurrence of X in a product: by MML's trace rule (5.100), the derivative of a trace
  is the trace of the derivative, and ∂X/∂X_ij = E_ij (a single 1 at (i, j)), so
  ∂tr(AXB)/∂X_ij = tr(A E_ij B) = (BA)_ji, that is ∂tr(AXB)/∂X = AᵀBᵀ, and likewise
  ∂tr(AXᵀB)/∂X = BA.  A scalar aᵀXb is its own trace (abᵀ, (5.106));
- several occurrences (tr(XᵀAX), tr(XAXᵀ), tr(XᵀX)): the product rule, one occurrence at a
  time with the others held constant (:class:`OccurrenceDerivative`), then like factors
  collected: AX + AᵀX = (A + Aᵀ)X.

- determinants and inverses (MML (5.101)-(5.103)): ∂det(X)/∂X = det(X) X^{-T} (entry (i, j):
  det(X) tr(X⁻¹E_ij) = det(X) (X⁻¹)_ji); ∂log det(X)/∂X = X^{-T} (the chain rule through the
  logarithm, the det step as its substep); one occurrence of X⁻¹ in a product, by
  ∂X⁻¹/∂X_ij = -X⁻¹E_ijX⁻¹ (5.102): ∂tr(AX⁻¹B)/∂X = -X^{-T}AᵀBᵀX^{-T}, and for a scalar
  ∂(aᵀX⁻¹b)/∂X = -X^{-T}abᵀX^{-T} (5.103).

Anything else with X in it (X inside a trace inside a product, ...) is refused naming the
forms supported.
"""
from __future__ import annotations

import itertools
import random
import zlib
from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import Identity, MatAdd, MatMul, MatrixExpr, MatrixSymbol, Transpose, ZeroMatrix

from tutor.calculus.matrix_derivatives import TRIALS, MatrixDerivative, instance
from tutor.calculus.matrix_expressions import (DetFactor, KeptDet, KeptInverse, KeptLogDet, KeptTrace, KeptTranspose,
                                               SquaredNorm, add, explicit, mul, transpose)
from tutor.core.errors import TutorError

SUPPORTED_BY_MATRIX = ("supported with respect to a matrix X: traces of products of constant "
                       "matrices with X and X^T (tr(AXB), tr(X^T A X), tr((X - A)^T (X - A)), ...), "
                       "scalars a^T X b and ||Xa - b||^2, det(X), log det(X), one X^{-1} in a product "
                       "(a^T X^{-1} b, tr(A X^{-1})), their sums and constant multiples")


@dataclass(frozen=True, kw_only=True)
class OccurrenceDerivative(MatrixDerivative):
    """The part of ∂tr(left·middle·right)/∂X from one occurrence ``middle`` (X or Xᵀ) of X,
    the other occurrences (inside ``left`` and ``right``) held constant.

    Checked by replacing this occurrence with a matrix Y of new symbols: the entrywise
    derivative of tr(left·Y·right) by Y, at Y = X, is the claimed part."""

    rule: ClassVar[str] = "matrix.occurrence"

    def check(self) -> bool:
        rng = random.Random(zlib.crc32(str((self.expr, self.middle, self.result)).encode()))
        return all(self._held(rng) for _ in range(TRIALS))

    def _held(self, rng: random.Random) -> bool:
        values, sizes, _ = instance(rng, (self.expr, self.result), self.wrt)
        X = values[self.wrt.name]
        Y = X.applyfunc(lambda s: sympy.Dummy(s.name))
        transposed = isinstance(self.middle, Transpose)
        active, unheld = (Y.T, X.T) if transposed else (Y, X)
        left = explicit(self.left, values, sizes) if self.left is not None else sympy.eye(active.rows)
        right = explicit(self.right, values, sizes) if self.right is not None else sympy.eye(active.cols)
        f = (left * active * right).trace()
        expected = Y.applyfunc(lambda y: sympy.diff(f, y)).xreplace(dict(zip(Y, X)))
        whole = explicit(self.expr, values, sizes)[0, 0]
        unheld = (left * unheld * right).trace()
        got = explicit(self.result, values, sizes)
        return got.shape == expected.shape and (got - expected).expand() == sympy.zeros(*got.shape) \
            and sympy.expand(whole - unheld) == 0


def derive_by_matrix(expr: MatrixExpr, wrt: MatrixSymbol) -> MatrixDerivative:
    """The derivation of ∂expr/∂wrt for a scalar expr and a matrix wrt."""
    return _ByMatrix(wrt, {s.name for s in expr.atoms(MatrixSymbol)}).derive(expr)


class _ByMatrix:
    def __init__(self, wrt: MatrixSymbol, names: set[str]) -> None:
        self.X = wrt
        self.names = names  # the problem's names, which an identity's letters must not clash with

    def step(self, expr: MatrixExpr, result: MatrixExpr, identity: str, **data: object
             ) -> MatrixDerivative:
        return MatrixDerivative(expr=expr, wrt=self.X, result=result, identity=identity, **data)

    def derive(self, expr: MatrixExpr) -> MatrixDerivative:
        if not expr.has(self.X):
            return self.step(expr, ZeroMatrix(*self.X.shape), "constant")
        if isinstance(expr, MatAdd):
            return self.summed(expr, tuple(self.derive(t) for t in expr.args), "sum")
        if isinstance(expr, SquaredNorm):  # ‖e‖² = eᵀe
            inner = self.derive(MatMul(KeptTranspose(expr.arg), expr.arg))
            return self.step(expr, inner.result, "norm_squared", left=expr.arg, right=expr.arg,
                             substeps=(inner,))
        if isinstance(expr, (KeptDet, KeptLogDet)):
            return self.determinant(expr)
        c, body = _coefficient(expr.arg if isinstance(expr, KeptTrace) else expr)
        if c != 1:
            sub = self.derive(KeptTrace(body) if isinstance(expr, KeptTrace) else body)
            return self.step(expr, mul(c, sub.result), "constant_multiple", coefficient=c,
                             substeps=(sub,))
        if isinstance(expr, KeptTrace) and isinstance(expr.arg, MatAdd):
            return self.summed(expr, tuple(self.derive(KeptTrace(t)) for t in expr.arg.args), "trace_sum")
        if isinstance(expr, KeptTrace) or (isinstance(expr, MatMul) and expr.shape == (1, 1)):
            traced = isinstance(expr, KeptTrace)
            out = self.multiplied_out(expr.arg if traced else expr)
            if out is not None:
                sub = self.derive(KeptTrace(out) if traced else out)
                return self.step(expr, sub.result, "multiply_out", substeps=(sub,),
                                 rewritten=KeptTrace(out) if traced else out)
            return self.occurrences(expr)
        raise TutorError(f"no identity of this tutor applies to {expr}; {SUPPORTED_BY_MATRIX}")

    def summed(self, expr: MatrixExpr, subs: tuple[MatrixDerivative, ...], key: str) -> MatrixDerivative:
        """The sum of the terms' derivatives, like terms combined (the plain sum kept to show)."""
        total = add(*(s.result for s in subs))
        combined = _like_terms(total)
        return self.step(expr, combined, key, substeps=subs, expanded=total if combined != total else None)

    def multiplied_out(self, expr: MatrixExpr) -> MatrixExpr | None:
        """The product with its factors that are sums in X multiplied out (a sum of products),
        or None when there is no such factor."""
        choices: list[list[MatrixExpr]] = []
        for f in _flat(expr):
            body = f.arg if isinstance(f, Transpose) else f
            if isinstance(body, MatAdd) and body.has(self.X):
                choices.append([transpose(t) if body is not f else t for t in body.args])
            else:
                choices.append([f])
        if all(len(c) == 1 for c in choices):
            return None
        return add(*(mul(*combo) for combo in itertools.product(*choices)))

    def determinant(self, expr: MatrixExpr) -> MatrixDerivative:
        """det(X) -> det(X) X^{-T} (5.101); log det(X) -> X^{-T}, the det step its substep."""
        if expr.arg != self.X:
            raise TutorError(f"{expr}: a determinant is differentiated here only as det({self.X}) "
                             f"or log det({self.X}); {SUPPORTED_BY_MATRIX}")
        inverse_t = transpose(KeptInverse(self.X))
        det = self.step(KeptDet(self.X), mul(DetFactor(self.X), inverse_t), "det")
        if isinstance(expr, KeptDet):
            return det
        return self.step(expr, inverse_t, "log_det", substeps=(det,))

    def inverse(self, expr: MatrixExpr, factors: list[MatrixExpr], k: int) -> MatrixDerivative:
        """tr(P X⁻¹ Q) -> -X^{-T} Pᵀ Qᵀ X^{-T}, P and Q the factors around position k: entry
        (i, j) is -tr(P X⁻¹ E_ij X⁻¹ Q) = -(X⁻¹ Q P X⁻¹)_ji (5.102)."""
        P = mul(*factors[:k]) if k else None
        Q = mul(*factors[k + 1:]) if k + 1 < len(factors) else None
        inverse_t = transpose(factors[k])
        result = mul(-1, inverse_t, *(transpose(f) for f in (P, Q) if f is not None), inverse_t)
        if not isinstance(expr, KeptTrace) and P is not None and Q is not None:
            key = "a_T_Xinv_b"
        else:
            key = "tr_" + ("A" if P is not None else "") + "Xinv" + ("B" if Q is not None else "")
        vectors = key.startswith("a_T")
        bound = [(name, value) for name, value in zip("ab" if vectors else "AB",
                                                      (transpose(P) if vectors else P, Q)) if value is not None]
        return self.step(expr, result, key, left=P, middle=factors[k], right=Q,
                         letters=_letters(self.names, bound, vectors))

    def factors(self, expr: MatrixExpr) -> list[MatrixExpr]:
        """The factors of a product: each is X, Xᵀ, X⁻¹ or constant; any other factor with X
        in it is refused."""
        out = _flat(expr)
        for f in out:
            if f.has(self.X) and f != self.X and not _transposed(f, self.X) and f != KeptInverse(self.X):
                raise TutorError(f"in {expr} the factor {f} depends on {self.X} and is not {self.X} "
                                 f"or its transpose; {SUPPORTED_BY_MATRIX}")
        return out

    def occurrences(self, expr: MatrixExpr) -> MatrixDerivative:
        traced = isinstance(expr, KeptTrace)
        factors = self.factors(expr.arg if traced else expr)
        inverses = [k for k, f in enumerate(factors) if f == KeptInverse(self.X)]
        if inverses:
            if sum(f.has(self.X) for f in factors) > 1:
                raise TutorError(f"in {expr} {self.X}^-1 occurs with another {self.X}; "
                                 f"{SUPPORTED_BY_MATRIX}")
            return self.inverse(expr, factors, inverses[0])
        parts = [self.occurrence(expr, factors, k) for k, f in enumerate(factors) if f.has(self.X)]
        if len(parts) == 1:
            only = parts[0]
            return self.step(expr, only.result, only.identity, left=only.left, middle=only.middle,
                             right=only.right, letters=only.letters)
        expanded = add(*(p.result for p in parts))
        collected = _collect([p.result for p in parts])
        return self.step(expr, collected, "trace_product", substeps=tuple(parts),
                         expanded=expanded if collected != expanded else None)

    def occurrence(self, expr: MatrixExpr, factors: list[MatrixExpr], k: int) -> OccurrenceDerivative:
        """tr(P X Q) -> PᵀQᵀ and tr(P Xᵀ Q) -> QP, P and Q the factors around position k."""
        P = mul(*factors[:k]) if k else None
        Q = mul(*factors[k + 1:]) if k + 1 < len(factors) else None
        occurrence = factors[k]
        transposed = _transposed(occurrence, self.X)
        if transposed:
            pieces = [f for f in (Q, P) if f is not None]
        else:
            pieces = [transpose(f) for f in (P, Q) if f is not None]
        n = self.X.shape[1 if transposed else 0]
        result = mul(*pieces) if pieces else Identity(n)
        if not isinstance(expr, KeptTrace) and P is not None and Q is not None:
            key = "a_T_XT_b" if transposed else "a_T_X_b"  # a scalar: its own trace
        else:
            key = "tr_" + ("A" if P is not None else "") + ("XT" if transposed else "X") + \
                ("B" if Q is not None else "")
        vectors = key.startswith("a_T")
        bound = [(name, value) for name, value in zip("ab" if vectors else "AB",
                                                      (transpose(P) if vectors else P, Q)) if value is not None]
        return OccurrenceDerivative(expr=expr, wrt=self.X, result=result, identity=key, left=P,
                                    middle=occurrence, right=Q, letters=_letters(self.names, bound, vectors))


_LETTERS = {False: [("A", "B"), ("C", "D"), ("P", "Q"), ("M", "N")],
            True: [("a", "b"), ("u", "v"), ("c", "d"), ("p", "q")]}


def _letters(names: set[str], bound: list[tuple[str, MatrixExpr]], vectors: bool) -> tuple[str, str] | None:
    """The general letters of an identity, when A and B (a and b) would clash with the problem's
    names ("with A = XᵀA"): the first pair that no name of the problem uses; None: A, B."""
    if not any(letter in names and not (isinstance(value, MatrixSymbol) and value.name == letter)
               for letter, value in bound):
        return None
    return next((pair for pair in _LETTERS[vectors][1:] if not set(pair) & names), None)


def _flat(expr: MatrixExpr) -> list[sympy.Basic]:
    """The factors of a product, nested products and transposes of products opened."""
    out: list[sympy.Basic] = []
    for f in (expr.args if isinstance(expr, MatMul) else (expr,)):
        if isinstance(f, Transpose) and isinstance(f.arg, MatMul):
            f = transpose(f.arg)
        out += _flat(f) if isinstance(f, MatMul) else [f]
    return out


def _like_terms(total: MatrixExpr) -> MatrixExpr:
    """Terms that differ only by their number added up: -baᵀ - baᵀ = -2baᵀ."""
    if not isinstance(total, MatAdd):
        return total
    order: list[MatrixExpr] = []
    numbers: dict[MatrixExpr, sympy.Expr] = {}
    for term in total.args:
        c, body = _coefficient(term)
        if body not in numbers:
            order.append(body)
            numbers[body] = sympy.S.Zero
        numbers[body] += c
    terms = [mul(numbers[b], b) for b in order if numbers[b] != 0]
    return add(*terms) if terms else ZeroMatrix(*total.shape)


def _transposed(f: MatrixExpr, X: MatrixSymbol) -> bool:
    return isinstance(f, Transpose) and f.arg == X


def _coefficient(expr: MatrixExpr) -> tuple[sympy.Expr, MatrixExpr]:
    """A product's number in front and the rest."""
    if not isinstance(expr, MatMul):
        return sympy.S.One, expr
    numbers = [a for a in expr.args if not isinstance(a, MatrixExpr)]
    rest = [a for a in expr.args if isinstance(a, MatrixExpr)]
    return sympy.Mul(*numbers), (rest[0] if len(rest) == 1 else MatMul(*rest))


def _collect(terms: list[MatrixExpr]) -> MatrixExpr:
    """Equal terms counted (X + X = 2X), else a factor common to all terms on the right
    ((A + Aᵀ)X) or on the left (X(A + Aᵀ)) taken out; else the plain sum."""
    if all(t == terms[0] for t in terms):
        return mul(len(terms), terms[0])
    split = [_factor_list(t) for t in terms]
    if all(len(f) > 1 for _, f in split):
        for side in (-1, 0):
            common = split[0][1][side]
            if all(f[side] == common for _, f in split):
                rest = [mul(c, *(f[:-1] if side == -1 else f[1:])) for c, f in split]
                rest.sort(key=lambda r: len(r.atoms(Transpose)))
                inner = add(*rest)
                return mul(inner, common) if side == -1 else mul(common, inner)
    return add(*terms)


def _factor_list(term: MatrixExpr) -> tuple[sympy.Expr, list[MatrixExpr]]:
    c, body = _coefficient(term)
    return c, list(body.args) if isinstance(body, MatMul) else [body]
