"""The Gram-Schmidt process for any inner product (MML section 3.8.3).

``u_1 = b_1`` and ``u_k = b_k - Σ_{j<k} <u_j, b_k>/<u_j, u_j> u_j``: each step
subtracts the projections of b_k onto the orthogonal vectors found so far.  A
zero u_k means b_k depends on the earlier vectors: it is reported and skipped,
and the process goes on.  On request each u_k is then divided by its norm.  A
last step checks that the vectors found are pairwise orthogonal (orthonormal).

Two forms live here.  The exercise (the ``gram_schmidt`` kind): the process shown in full
for any inner product, every coefficient as a fraction of two inner products, dependent vectors
reported, norms as substeps, a final Gram-matrix check.  The substep (:func:`gram_schmidt`,
:func:`normalize`): inside orthogonal diagonalization (an orthonormal basis of each repeated
eigenspace) and the SVD (the completion of U), for the standard dot product and independent
inputs, one compact step per vector that changes, the orthogonal vectors kept unnormalized until
the end so that square roots appear only in the last step.  The two step families keep their
own rules and templates: the eigen and SVD solutions (text and JSON) are written in the compact
one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import BasisAnswer
from tutor.linalg.expansions import Equalities, Fraction, Scaled, Sum
from tutor.linalg.innerproducts import Norm, norm, positive_definite, same
from tutor.linalg.innerproducts import tidy as tidy_value
from tutor.linalg.projections import columns, form
from tutor.core.symcheck import is_zero
from tutor.linalg.algebraic import field_number, quadratic_field, to_field_number
from tutor.linalg.rowreduce import same_matrix
from tutor.core.steps import Problem, Solution, Step


def _inner(u: sympy.MatrixBase, v: sympy.MatrixBase, A: ImmutableMatrix | None) -> sympy.Expr:
    return (u.T * form(A, u.rows) * v)[0]


@dataclass(frozen=True, kw_only=True)
class OrthogonalizeStep(Step):
    """``u_k = b_k - Σ coefficients[j] u_j`` over the orthogonal ``previous`` u_j (their
    input positions in ``previous_index``), ``coefficients[j] = <u_j, b_k>/<u_j, u_j>``
    written as fractions of the two inner products.  ``dependent``: u_k is 0."""

    rule: ClassVar[str] = "gram_schmidt.orthogonalize"
    index: int
    vector: ImmutableMatrix
    previous: tuple[ImmutableMatrix, ...]
    previous_index: tuple[int, ...]
    A: ImmutableMatrix | None
    coefficients: tuple[Fraction, ...]
    result: ImmutableMatrix
    dependent: bool

    @property
    def coefficient_chains(self) -> tuple[Equalities, ...]:
        """Each coefficient as the fraction of the two inner products and its value, for display."""
        return tuple(Equalities((c, tidy_value(c.value()))) for c in self.coefficients)

    @property
    def chain(self) -> Equalities:
        """``b_k - c_1 u_1 - ... = u_k`` with the coefficients' values, for display."""
        terms = tuple(Scaled(-c.value(), u) for c, u in zip(self.coefficients, self.previous))
        return Equalities((Sum((self.vector,) + terms) if terms else None, self.result))

    def check(self) -> bool:
        A, b = self.A, self.vector
        combo = sympy.Matrix(b)
        for c, u in zip(self.coefficients, self.previous, strict=True):
            if not (same(c.numerator, _inner(u, b, A)) and same(c.denominator, _inner(u, u, A))):
                return False
            combo -= c.value() * u
        is_zero = all(same(e, 0) for e in self.result)
        return same_matrix(combo, self.result) and is_zero == self.dependent and \
            all(same(_inner(self.result, u, A), 0) for u in self.previous)


@dataclass(frozen=True, kw_only=True)
class NormalizeStep(Step):
    """``e_k = u_k / ||u_k||``; the substep computes the norm."""

    rule: ClassVar[str] = "gram_schmidt.normalize"
    index: int
    vector: ImmutableMatrix
    norm: sympy.Expr
    result: ImmutableMatrix

    def check(self) -> bool:
        sub = self.substeps
        return (len(sub) == 1 and isinstance(sub[0], Norm) and sub[0].x == self.vector
                and same(sub[0].value, self.norm) and not same(self.norm, 0)
                and same_matrix(self.vector / self.norm, self.result))


@dataclass(frozen=True, kw_only=True)
class OrthogonalBasis(Step):
    """The result checked: ``gram[i, j] = <v_i, v_j>`` is diagonal (the identity when
    ``normalized``), and the vectors span the same space as the ``inputs``."""

    rule: ClassVar[str] = "gram_schmidt.orthogonal_basis"
    inputs: tuple[ImmutableMatrix, ...]
    vectors: tuple[ImmutableMatrix, ...]
    A: ImmutableMatrix | None
    normalized: bool
    gram: ImmutableMatrix

    def check(self) -> bool:
        V = columns(self.vectors)
        gram = V.T * form(self.A, V.rows) * V
        if not (same_matrix(gram, self.gram) and gram.is_diagonal()):
            return False
        if self.normalized and not same_matrix(gram, sympy.eye(len(self.vectors))):
            return False
        rank = columns(self.inputs).rank(simplify=True)
        return V.rank(simplify=True) == rank == columns(self.inputs + self.vectors).rank(simplify=True)


def _orthogonalize(k: int, b: ImmutableMatrix, found: list[tuple[int, ImmutableMatrix]],
                   A: ImmutableMatrix | None) -> OrthogonalizeStep:
    coefficients = tuple(Fraction(tidy_value(_inner(u, b, A)), tidy_value(_inner(u, u, A))) for _, u in found)
    u_k = sympy.Matrix(b)
    for c, (_, u) in zip(coefficients, found):
        u_k -= c.value() * u
    u_k = ImmutableMatrix(u_k.applyfunc(tidy_value))
    return OrthogonalizeStep(index=k, vector=b, previous=tuple(u for _, u in found),
                             previous_index=tuple(j for j, _ in found), A=A,
                             coefficients=coefficients, result=u_k,
                             dependent=all(e == 0 for e in u_k))


def _normalize(k: int, u: ImmutableMatrix, A: ImmutableMatrix | None) -> NormalizeStep:
    length = norm(u, "2" if A is None else "inner", A)
    e = ImmutableMatrix((u / length.value).applyfunc(tidy_value))
    return NormalizeStep(index=k, vector=u, norm=length.value, result=e, substeps=(length,))


def solve_gram_schmidt(problem: Problem) -> Solution:
    """Orthogonalize b_1, b_2, ... in order, skip dependent ones, normalize on request, check."""
    inputs, A, normalize = problem["vectors"], problem["A"], problem["normalize"]
    steps: list[Step] = [] if A is None else [positive_definite(A)]
    found: list[tuple[int, ImmutableMatrix]] = []
    for k, b in enumerate(inputs):
        step = _orthogonalize(k, b, found, A)
        steps.append(step)
        if not step.dependent:
            found.append((k, step.result))
    result = [u for _, u in found]
    if normalize:
        scaled = [_normalize(k, u, A) for k, u in found]
        steps += scaled
        result = [s.result for s in scaled]
    V = columns(tuple(result))
    gram = ImmutableMatrix((V.T * form(A, V.rows) * V).applyfunc(tidy_value))
    steps.append(OrthogonalBasis(inputs=inputs, vectors=tuple(result), A=A, normalized=normalize,
                                 gram=gram))
    return Solution(problem, tuple(steps), BasisAnswer(tuple(result)))


# ---------------------------------------------------------------- the compact substep form


def tidy(e: sympy.Expr) -> sympy.Expr:
    """An entry in a teacher's form: surds with rational denominators, simplified."""
    return e if e.is_Rational else sympy.radsimp(sympy.simplify(e))


def _dot(u: sympy.MatrixBase, v: sympy.MatrixBase) -> sympy.Expr:
    return (u.T * v)[0]


@dataclass(frozen=True, kw_only=True)
class GramSchmidt(Step):
    """``result = vector - Σ coefficients[k] * previous[k]`` with ``coefficients[k] =
    <vector, previous[k]> / <previous[k], previous[k]>``; ``result`` is orthogonal to each
    of ``previous`` (the orthogonal vectors found so far)."""

    rule: ClassVar[str] = "orthogonal.gram_schmidt"
    vector: ImmutableMatrix
    previous: tuple[ImmutableMatrix, ...]
    coefficients: tuple[sympy.Expr, ...]
    result: ImmutableMatrix

    def check(self) -> bool:
        combo = sympy.Matrix(self.vector)
        for c, u in zip(self.coefficients, self.previous, strict=True):
            if sympy.simplify(c - _dot(self.vector, u) / _dot(u, u)) != 0:
                return False
            combo -= c * u
        return same_matrix(combo, self.result) and any(sympy.simplify(e) != 0 for e in self.result) \
            and all(sympy.simplify(_dot(self.result, u)) == 0 for u in self.previous)


@dataclass(frozen=True, kw_only=True)
class Normalize(Step):
    """``result = vector / norm`` with ``norm = sqrt(<vector, vector>)``."""

    rule: ClassVar[str] = "orthogonal.normalize"
    vector: ImmutableMatrix
    norm: sympy.Expr
    result: ImmutableMatrix

    def check(self) -> bool:
        return is_zero(self.norm**2 - _dot(self.vector, self.vector)) and \
            bool(self.norm.is_positive or sympy.simplify(self.norm) > 0) and \
            same_matrix(self.result * self.norm, self.vector)


def gram_schmidt(vectors: Sequence[sympy.MatrixBase],
                 previous: Sequence[sympy.MatrixBase] = ()) -> tuple[list[ImmutableMatrix], list[Step]]:
    """Orthogonal (unnormalized) vectors spanning the same space as ``vectors``, made orthogonal
    also to the already orthogonal ``previous``; one step per vector that changes."""
    done = [ImmutableMatrix(u) for u in previous]
    out, steps = [], []
    for v in vectors:
        v = ImmutableMatrix(v)
        coefficients = tuple(tidy(_dot(v, u) / _dot(u, u)) for u in done)
        if all(c == 0 for c in coefficients):
            w = v
        else:
            w = ImmutableMatrix((sympy.Matrix(v) - sum(
                (c * u for c, u in zip(coefficients, done)), sympy.zeros(v.rows, 1))).applyfunc(tidy))
            steps.append(GramSchmidt(vector=v, previous=tuple(done), coefficients=coefficients, result=w))
        done.append(w)
        out.append(w)
    return out, steps


def normalize(v: sympy.MatrixBase) -> Normalize:
    """The unit vector of ``v``.

    When ``|v|^2 = N`` is a surd, a number of Q(√d) that is not rational (an eigenvector of a
    surd eigenvalue), each entry is written ``c |v|`` with ``c = v_i / N`` computed in Q(√d):
    ``simplify`` of ``v_i / √N``, a nested radical, took seconds per entry."""
    v = ImmutableMatrix(v)
    squared = _dot(v, v)
    if squared.is_Rational and all(e.is_Rational for e in v):  # v_i/√N = v_i √N / N: no simplify
        norm = sympy.sqrt(squared)  # (PCA's axes spent 0.3 s here simplifying 1/√2)
        return Normalize(vector=v, norm=norm, result=ImmutableMatrix(v * norm / squared))
    norm = tidy(sympy.sqrt(squared))
    field = None if squared.is_Rational or norm.is_Rational else quadratic_field([*v, squared])
    if field is None:
        return Normalize(vector=v, norm=norm, result=ImmutableMatrix((v / norm).applyfunc(tidy)))
    N = field_number(field, sympy.expand(squared))
    result = ImmutableMatrix([sympy.sympify(to_field_number(field, e) / N, strict=True) * norm for e in v])
    return Normalize(vector=v, norm=norm, result=result)
