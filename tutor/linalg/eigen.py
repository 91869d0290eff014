"""Eigenvalues, eigenspaces and diagonalization with steps (MML sections 4.2 and 4.4).

The derivation is the lecture's: the characteristic polynomial ``det(A - λI)`` by
Laplace expansion (:mod:`tutor.linalg.determinants`), expanded and factored; its roots by the
rational root test, division and the quadratic formula (:mod:`tutor.linalg.roots`); for each
eigenvalue the eigenspace ``E_λ = ker(A - λI)`` by row reduction of ``A - λI`` with λ
substituted (:mod:`tutor.linalg.rowreduce`) and the book's Minus-1 trick, its basis rescaled
to integers where possible; algebraic against geometric multiplicity.
``diagonalize`` puts the eigenvectors into P and the eigenvalues into D and checks
``AP = PD``; ``--orthogonal`` (symmetric A) makes each eigenspace basis orthonormal by
Gram-Schmidt and normalization and checks ``A = Q D Q^T``.

An eigenvalue that is a root of an irreducible factor of degree >= 3 is kept exact as a
``CRootOf`` and shown numerically (or, for a binomial factor λ^n - c, written as an n-th
root of c); its eigenvector is a column of the adjugate of ``A - λI`` reduced modulo that
factor (exact, checked exactly).

The computing functions (:func:`eigen_steps`, :func:`orthonormal_eigenbasis`) serve the eigen
kinds (:mod:`tutor.topics.eigen`) and the SVD, which diagonalizes ``A^T A``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import reduce as fold
from typing import ClassVar, Sequence

import sympy
from sympy import ImmutableMatrix, Rational
from sympy.core.exprtools import _keep_coeff

from tutor.core.answers import Eigenvalue
from tutor.linalg.algebraic import field_form, in_root_field, rank
from tutor.linalg.commonfactor import common_factor
from tutor.linalg.determinants import laplace_polynomial_steps
from tutor.core.errors import TutorError
from tutor.linalg.gramschmidt import gram_schmidt, normalize, tidy
from tutor.linalg.roots import (LAMBDA, Root, RootsFound, find_roots, find_roots_split, primitive_factor,
                                shown)
from tutor.linalg.rowreduce import reduce, same_matrix
from tutor.core.steps import Step
from tutor.core.symcheck import approximate, is_zero, nonsingular
from tutor.linalg.kernels import minus_one_trick

MAX_NUMERIC = 5   # eigen problems with rational entries, up to 5x5


# ---------------------------------------------------------------- display helpers

def shift_parts(value: sympy.Expr, dialect: str) -> tuple:
    """The formula parts of ``- value I`` as a teacher writes them after a matrix name:
    nothing for 0, ``- I`` for 1, ``+ 2I`` for -2, ``- (1 + √2) I`` for a sum; in plain
    text a fraction is bracketed (``+ (1/3)I``, not ``+ 1/3I``, which reads as 1/(3I))."""
    if value == 0:
        return ()
    if value == 1 or value == -1:
        return (" - I" if value == 1 else " + I",)
    if dialect == "text" and not value.is_Add and sympy.fraction(value)[1] != 1:
        negative = value.could_extract_minus_sign()
        return (" + (" if negative else " - (", -value if negative else value, ")I")
    if value.is_Rational:
        return (" - ", value, "I") if value > 0 else (" + ", -value, "I")
    if value.is_Add:
        return (" - \\left(", shown(value), "\\right) I",)
    if value.could_extract_minus_sign():
        return (" + ", -value, "\\,I")
    return (" - ", value, "\\,I")


def space_label(value: sympy.Expr, dialect: str) -> tuple:
    """``E_{2}``, ``E_{2 - i}``, ``E_{(3 - √13)/2}`` (``E_(2 - i)`` in plain text): each
    eigenspace named by its own eigenvalue (``E_λ`` for all of them told them apart by the
    sentence only)."""
    if dialect == "text" and not value.is_Integer:
        return ("E_(", shown(value), ")")
    return ("E_{", shown(value), "}")


class _ShowsEigenvalue:
    """Display helpers of a step about one eigenvalue (``eigenvalue``)."""

    eigenvalue: sympy.Expr

    @property
    def shown_eigenvalue(self) -> sympy.Expr:
        return shown(self.eigenvalue)

    @property
    def exact(self) -> bool:
        """The eigenvalue is written in closed form (not a ``CRootOf``)."""
        return not self.eigenvalue.has(sympy.CRootOf)

    def space_label(self, dialect: str) -> tuple:
        return space_label(self.eigenvalue, dialect)


class _ShowsD:
    """Display helper of a diagonalization: D with surd eigenvalues as one fraction."""

    D: ImmutableMatrix

    @property
    def shown_D(self) -> ImmutableMatrix:
        return ImmutableMatrix(self.D.applyfunc(shown))


# ---------------------------------------------------------------- steps

@dataclass(frozen=True, kw_only=True)
class CharacteristicPolynomial(Step):
    """``p(λ) = det(A - λI)``: ``shifted`` is ``A - λI``, ``polynomial`` the expanded determinant
    (substeps: its Laplace expansion, and the factor common to its terms when one is taken out),
    ``factored`` the same polynomial factored over Q; ``kept``: the derivation keeps linear
    factors seen in the expansion rather than expand it (an eigenproblem)."""

    rule: ClassVar[str] = "eigen.charpoly"
    matrix: ImmutableMatrix
    var: sympy.Symbol
    shifted: ImmutableMatrix
    polynomial: sympy.Expr
    factored: sympy.Expr
    kept: bool = False  # linear factors are kept (the roots are read from them): no expansion shown

    @property
    def is_factored(self) -> bool:
        """``factored`` is a real factorization (several factors in λ, or a power), not just
        the polynomial rearranged (as sympy does with symbolic coefficients)."""
        _, factors = sympy.factor_list(self.polynomial, self.var)
        return sum(k for f, k in factors if f.has(self.var)) > 1

    @property
    def shown_factored(self) -> sympy.Expr:
        """``-(λ - a)^3`` written ``(a - λ)^3``: an odd power absorbs the sign (display only)."""
        f = self.factored
        if isinstance(f, sympy.Mul) and len(f.args) == 2 and f.args[0] == -1 and \
                isinstance(f.args[1], sympy.Pow) and f.args[1].exp.is_odd:
            base, exp = f.args[1].args
            return sympy.Pow(sympy.expand(-base), exp, evaluate=False)
        return f

    @property
    def shown_polynomial(self) -> tuple:
        """Formula parts of the polynomial by descending powers of λ, symbolic coefficients
        grouped: ``λ^2 - (a + d) λ + a d - b c`` (sympy would sort ``a d - a λ - b c ...``)."""
        coeffs = sympy.Poly(self.polynomial, self.var).all_coeffs()
        if all(c.is_number for c in coeffs):
            return (self.polynomial,)
        parts: list = []
        degree = len(coeffs) - 1
        for k, c in zip(range(degree, -1, -1), coeffs):
            c = sympy.expand(c)
            if c == 0:
                continue
            power = self.var**k if k else sympy.S.One
            negative = c.could_extract_minus_sign()
            body = -c if negative else c
            parts.append((" - " if parts else "-") if negative else (" + " if parts else ""))
            if k == 0:
                parts.append(body)
            elif body == 1:
                parts.append(power)
            elif body.is_Add:
                parts += ["\\left(", body, "\\right) ", power]
            else:
                parts.append(body * power)
        return tuple(parts)

    def check(self) -> bool:
        n = self.matrix.rows
        return same_matrix(self.shifted, self.matrix - self.var * sympy.eye(n)) and \
            sympy.expand(self.shifted.det(method="berkowitz") - self.polynomial) == 0 and \
            sympy.expand(self.factored - self.polynomial) == 0


@dataclass(frozen=True, kw_only=True)
class RescaleVectors(Step):
    """``after[k] = factors[k] * before[k]`` (nonzero factors): a nicer basis of the same space."""

    rule: ClassVar[str] = "eigen.rescale"
    before: tuple[ImmutableMatrix, ...]
    after: tuple[ImmutableMatrix, ...]
    factors: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        return all(sympy.simplify(f) != 0 and same_matrix(f * b, a)
                   for b, a, f in zip(self.before, self.after, self.factors, strict=True))


def _is_eigenbasis(A: sympy.MatrixBase, value: sympy.Expr, basis: Sequence[sympy.MatrixBase]) -> bool:
    """Each vector satisfies A v = λ v, and the vectors are independent."""
    return bool(basis) and all(same_matrix(A * v, value * v) for v in basis) and \
        rank(sympy.Matrix.hstack(*basis)) == len(basis)


def _numerically_eigen(A: sympy.MatrixBase, value: sympy.Expr, v: sympy.MatrixBase) -> bool:
    """A v = λ v to 15 digits and v far from 0 (for eigenvalues given as CRootOf)."""
    lam, w = complex(approximate(value, 15)), [complex(approximate(e, 15)) for e in v]
    Aw = [sum(complex(A[i, j]) * w[j] for j in range(A.cols)) for i in range(A.rows)]
    scale = max(abs(e) for e in w)
    return scale > 1e-8 and max(abs(a - lam * e) for a, e in zip(Aw, w)) < 1e-9 * scale * (1 + abs(lam))


@dataclass(frozen=True, kw_only=True)
class Eigenspace(_ShowsEigenvalue, Step):
    """``E_λ = ker(A - λI)`` for one eigenvalue: substeps row-reduce ``shifted = A - λI``, read
    the kernel off with the Minus-1 trick and rescale; ``basis`` is a basis of E_λ, its size
    the geometric multiplicity (compared with the algebraic one)."""

    rule: ClassVar[str] = "eigen.eigenspace"
    matrix: ImmutableMatrix
    eigenvalue: sympy.Expr
    shifted: ImmutableMatrix
    algebraic: int
    basis: tuple[ImmutableMatrix, ...]
    unknowns: tuple[sympy.Symbol, ...] = ()  # x_1, ..., x_n: the names of the columns

    @property
    def geometric(self) -> int:
        return len(self.basis)

    def shift(self, dialect: str) -> tuple:
        return shift_parts(self.eigenvalue, dialect)

    def check(self) -> bool:
        n = self.matrix.rows
        if self.substeps and isinstance(self.substeps[0], AdjugateEigenvector):
            # a simple root of an irreducible factor of degree >= 3: exact check in the substep
            # (CRootOf or radicals), the vector checked here numerically
            return self.algebraic == self.geometric == 1 and \
                same_matrix(self.basis[0], self.substeps[0].vector) and \
                _numerically_eigen(self.matrix, self.eigenvalue, self.basis[0])
        return same_matrix(self.shifted, self.matrix - self.eigenvalue * sympy.eye(n)) and \
            _is_eigenbasis(self.matrix, self.eigenvalue, self.basis) and \
            self.geometric == n - rank(self.shifted) and \
            1 <= self.geometric <= self.algebraic


@dataclass(frozen=True, kw_only=True)
class AdjugateEigenvector(Step):
    """An eigenvalue that is a simple root of the irreducible factor ``factor`` of degree >= 3
    (a ``CRootOf``, or an n-th root written in radicals when ``factor`` is a binomial λ^n - c):
    ``column`` is a column of adj(A - λI), its entries reduced modulo ``factor``; it is not
    0 modulo ``factor``, so at λ = ``eigenvalue`` it spans ker(A - λI) (rank n - 1)."""

    rule: ClassVar[str] = "eigen.adjugate_vector"
    matrix: ImmutableMatrix
    var: sympy.Symbol
    factor: sympy.Expr
    eigenvalue: sympy.Expr
    column: ImmutableMatrix
    vector: ImmutableMatrix
    approximation: ImmutableMatrix

    def check(self) -> bool:
        n, f = self.matrix.rows, sympy.Poly(self.factor, self.var)
        residual = (self.matrix - self.var * sympy.eye(n)) * self.column
        exact = all(sympy.Poly(e, self.var).rem(f).is_zero for e in residual) and \
            any(not sympy.Poly(e, self.var).rem(f).is_zero for e in self.column)
        # f is the eigenvalue's minimal polynomial: irreducible, and the eigenvalue a root of it
        # (sympy's minimal_polynomial of nested radicals, the roots of λ⁵ − 2, takes seconds)
        return exact and f.is_irreducible and is_zero(f.as_expr().subs(self.var, self.eigenvalue)) and \
            same_matrix(self.vector, self.column.subs(self.var, self.eigenvalue))


@dataclass(frozen=True, kw_only=True)
class Diagonalization(_ShowsD, Step):
    """``P`` (eigenvectors as columns) and ``D`` (their eigenvalues): P invertible, AP = PD."""

    rule: ClassVar[str] = "eigen.diagonalization"
    matrix: ImmutableMatrix
    P: ImmutableMatrix
    D: ImmutableMatrix
    AP: ImmutableMatrix
    PD: ImmutableMatrix

    def check(self) -> bool:
        AP, PD = _products(self.matrix, self.P, self.D)
        return self.D.is_diagonal() and same_matrix(self.AP, AP) and same_matrix(self.PD, PD) and \
            same_matrix(self.AP, self.PD) and nonsingular(self.P)


def _products(A: ImmutableMatrix, P: ImmutableMatrix, D: ImmutableMatrix
              ) -> tuple[sympy.Matrix, sympy.Matrix]:
    """``AP`` and ``PD`` column by column: a column for a root r of an irreducible factor of
    degree >= 3 computed in Q(r) (:func:`algebraic.in_root_field`: reduced modulo the factor,
    so both sides are the same polynomial in r), any other as it is."""
    columns = [(in_root_field(lambda v: A * v, P.col(j)), in_root_field(lambda v, d: v * d, P.col(j), D[j, j]))
               for j in range(P.cols)]
    return (sympy.Matrix.hstack(*[a for a, _ in columns]), sympy.Matrix.hstack(*[b for _, b in columns]))


def diagonalization_products(A: ImmutableMatrix, P: ImmutableMatrix, D: ImmutableMatrix
                             ) -> tuple[ImmutableMatrix, ImmutableMatrix]:
    """``AP`` and ``PD`` as shown: entries in Q(r) reduced modulo r's polynomial, others simplified."""
    AP, PD = _products(A, P, D)
    entry = lambda e: e if e.has(sympy.CRootOf) else tidy(e)  # noqa: E731 (already reduced)
    return ImmutableMatrix(AP.applyfunc(entry)), ImmutableMatrix(PD.applyfunc(entry))


@dataclass(frozen=True, kw_only=True)
class Defective(Step):
    """Not diagonalizable: for ``eigenvalue`` the geometric multiplicity is below the algebraic."""

    rule: ClassVar[str] = "eigen.defective"
    matrix: ImmutableMatrix
    eigenvalue: sympy.Expr
    algebraic: int
    geometric: int

    def check(self) -> bool:
        n = self.matrix.rows
        shifted_rank = rank(self.matrix - self.eigenvalue * sympy.eye(n))
        return self.geometric == n - shifted_rank < self.algebraic


@dataclass(frozen=True, kw_only=True)
class OrthonormalBasis(_ShowsEigenvalue, Step):
    """Inside one eigenspace: Gram-Schmidt (when it has several vectors) then normalization;
    ``result`` is an orthonormal basis of the eigenspace spanned by ``basis``."""

    rule: ClassVar[str] = "eigen.orthonormal_basis"
    eigenvalue: sympy.Expr
    basis: tuple[ImmutableMatrix, ...]
    result: tuple[ImmutableMatrix, ...]

    def check(self) -> bool:
        Q, B = sympy.Matrix.hstack(*self.result), sympy.Matrix.hstack(*self.basis)
        same_span = Q.rank() == B.rank() == sympy.Matrix.hstack(Q, B).rank(simplify=True)
        return same_span and same_matrix(Q.T * Q, sympy.eye(Q.cols))


@dataclass(frozen=True, kw_only=True)
class OrthogonalDiagonalization(_ShowsD, Step):
    """``Q`` orthogonal (``Q^T Q = I``) with eigenvectors as columns, ``A = Q D Q^T``."""

    rule: ClassVar[str] = "eigen.orthogonal_diagonalization"
    matrix: ImmutableMatrix
    Q: ImmutableMatrix
    D: ImmutableMatrix

    def check(self) -> bool:
        n = self.matrix.rows
        return self.D.is_diagonal() and same_matrix(self.Q.T * self.Q, sympy.eye(n)) and \
            same_matrix(self.Q * self.D * self.Q.T, self.matrix)


# ---------------------------------------------------------------- computing

@dataclass(frozen=True)
class EigenData:
    """What :func:`eigen_steps` found: the steps, the roots and one basis per eigenvalue."""

    steps: tuple[Step, ...]
    roots: tuple[Root, ...]
    bases: tuple[tuple[ImmutableMatrix, ...], ...]

    @property
    def eigenvalues(self) -> tuple[Eigenvalue, ...]:
        return tuple(Eigenvalue(r.value, r.multiplicity, len(b), b)
                     for r, b in zip(self.roots, self.bases))


def _factored(p: sympy.Poly, found: RootsFound | None = None) -> sympy.Expr:
    """``p`` factored over Q, the same expression as ``sympy.factor``: read off the roots
    when they are all rational (``(q λ - u)^k`` for a root u/q of multiplicity k, times the
    remaining constant), else from ``p``'s factor list (what ``sympy.factor`` computes,
    without converting the expression back to a polynomial)."""
    if found is not None and all(r.value.is_Rational for r in found.roots):
        var, coeff, factors = p.gen, Rational(p.LC()), []
        for r in found.roots:
            u, q = r.value.p, r.value.q
            coeff /= Rational(q) ** r.multiplicity
            factors.append((q * var - u) ** r.multiplicity)
        return _keep_coeff(coeff, sympy.Mul(*factors))
    coeff, pieces = p.factor_list()
    return _keep_coeff(sympy.sympify(coeff), sympy.Mul(*[f.as_expr()**k for f, k in pieces]))


def _characteristic_polynomial(A: sympy.MatrixBase, *, roots: bool = False
                               ) -> tuple[CharacteristicPolynomial, RootsFound | None]:
    """:func:`characteristic_polynomial`, and with ``roots`` its roots (found from the
    polynomial as a ``Poly`` when the entries are rational: no expression converted back)."""
    A = ImmutableMatrix(A)
    shifted = ImmutableMatrix(A - LAMBDA * sympy.eye(A.rows))
    det, poly, terms = laplace_polynomial_steps(shifted, LAMBDA, max_n=MAX_NUMERIC)
    found, kept, extra = None, False, ()
    if poly is None:  # symbolic or irrational entries: through the expression
        polynomial = sympy.expand(det.value)
        factored = sympy.factor(polynomial, LAMBDA)
        if roots:
            found = find_roots(polynomial, LAMBDA)
    else:
        visible = visible_eigenvalues(A)
        if roots:
            common = None if visible else common_factor(det.step, terms, LAMBDA)
            if visible:
                found = find_roots_split(poly, visible, LAMBDA)
            elif common is not None:
                found = find_roots_split(poly, common.roots, LAMBDA, seen="common")
                extra = (common,)
            else:
                found = find_roots(poly, LAMBDA)
            kept = bool(visible) or common is not None
        polynomial, factored = det.value, _factored(poly, found)
    step = CharacteristicPolynomial(matrix=A, var=LAMBDA, shifted=shifted, polynomial=polynomial,
                                    factored=factored, kept=kept, substeps=(det.step, *extra))
    return step, found


def visible_eigenvalues(A: ImmutableMatrix) -> list[sympy.Expr]:
    """Diagonal entries that are eigenvalues by sight: a row or column of A zero off the
    diagonal (among the rows and columns left) gives the factor ``a_ii - λ`` of det(A - λI)
    by Laplace expansion along it; repeated on the rest. A triangular (or diagonal) matrix
    gives all its eigenvalues, so they are read off instead of expanded and solved."""
    left, values = list(range(A.rows)), []
    while left:
        split = next((i for i in left if all(A[i, j] == 0 for j in left if j != i)
                      or all(A[j, i] == 0 for j in left if j != i)), None)
        if split is None:
            break
        values.append(A[split, split])
        left.remove(split)
    return values


def characteristic_polynomial(A: sympy.MatrixBase) -> CharacteristicPolynomial:
    """``det(A - λI)`` by Laplace expansion (substep), expanded and factored."""
    return _characteristic_polynomial(A)[0]


def nice_basis(vectors: Sequence[ImmutableMatrix]) -> tuple[ImmutableMatrix, ...] | RescaleVectors:
    """Each vector scaled to integers where it has denominators, first nonzero entry positive."""
    factors = []
    for v in vectors:
        lead = next(e for e in v if e != 0)
        if all(e.is_Rational for e in v):  # the common case, in integers: the same factor
            factor = primitive_factor(v)
            factors.append(-factor if lead.is_negative else factor)
            continue
        factor = sympy.S.One if lead.is_extended_real else sympy.conjugate(lead)  # lead made real
        w = (factor * v).applyfunc(sympy.expand)
        dens = [sympy.fraction(sympy.together(e))[1] for e in w]
        if all(d.is_Integer for d in dens):
            factor *= fold(sympy.ilcm, (int(d) for d in dens), 1)
            if all(e.is_Rational for e in w):
                factor /= fold(sympy.igcd, (int(e * factor) for e in v), 0)
        if (factor * lead).expand().is_negative:
            factor = -factor
        factors.append(factor)
    if all(f == 1 for f in factors):
        return tuple(vectors)
    after = tuple(ImmutableMatrix(f * v if f.is_Rational and all(e.is_Rational for e in v)
                                  else _tidy_matrix(f * v)) for f, v in zip(factors, vectors))
    return RescaleVectors(before=tuple(vectors), after=after, factors=tuple(factors))


def _tidy_matrix(M: sympy.MatrixBase) -> ImmutableMatrix:
    """Entries in a teacher's form: over Q(√d, i) computed there (:func:`algebraic.field_form`),
    else simplified."""
    exact = field_form(M)
    return ImmutableMatrix(M.applyfunc(tidy)) if exact is None else exact


def _eigenspace(A: ImmutableMatrix, root: Root) -> Eigenspace:
    """Row-reduce A - λI, Minus-1 trick, rescale."""
    n = A.rows
    shifted = A - root.value * sympy.eye(n)
    shifted = ImmutableMatrix(shifted if root.value.is_Rational else _tidy_matrix(shifted))
    red = reduce(shifted, names=sympy.symbols(f"x_1:{n + 1}"), to="rref")
    rank = len(red.pivots)
    trick = minus_one_trick(ImmutableMatrix(red.rref[:rank, :]), red.pivots)
    steps: list[Step] = [red.step, trick]
    nice = nice_basis(trick.directions)
    if isinstance(nice, RescaleVectors):
        steps.append(nice)
        basis = nice.after
    else:
        basis = nice
    return Eigenspace(matrix=A, eigenvalue=root.value, shifted=shifted, algebraic=root.multiplicity,
                      basis=basis, unknowns=sympy.symbols(f"x_1:{n + 1}"), substeps=tuple(steps))


def _adjugate_eigenspace(A: ImmutableMatrix, root: Root) -> Eigenspace:
    """A root of an irreducible factor of degree >= 3 (``root.factor``; kept as a CRootOf or
    written in radicals, as the n-th roots of a binomial): a column of adj(A - λI) modulo that
    factor.  (Row reduction with such a λ would need sympy to simplify nested radicals.)"""
    if root.multiplicity > 1:
        raise TutorError("repeated eigenvalues that are roots of an irreducible factor of degree "
                         f">= 3 are not supported (a root of {root.factor} has multiplicity "
                         f"{root.multiplicity})")
    n = A.rows
    f = sympy.Poly(root.factor, LAMBDA)
    adj = (A - LAMBDA * sympy.eye(n)).adjugate(method="berkowitz")
    reduced = adj.applyfunc(lambda e: sympy.Poly(e, LAMBDA).rem(f).as_expr())
    j = next(j for j in range(n) if any(e != 0 for e in reduced.col(j)))
    column = ImmutableMatrix(reduced.col(j))
    vector = ImmutableMatrix(column.subs(LAMBDA, root.value))
    step = AdjugateEigenvector(matrix=A, var=LAMBDA, factor=f.as_expr(), eigenvalue=root.value,
                               column=column, vector=vector,
                               approximation=ImmutableMatrix(vector.applyfunc(lambda e: approximate(e, 6))))
    return Eigenspace(matrix=A, eigenvalue=root.value, shifted=ImmutableMatrix(A - root.value * sympy.eye(n)),
                      algebraic=1, basis=(vector,), substeps=(step,))


def eigen_steps(A: sympy.MatrixBase) -> EigenData:
    """Characteristic polynomial, its roots, then each eigenspace, as steps."""
    A = ImmutableMatrix(A)
    charpoly, found = _characteristic_polynomial(A, roots=True)
    spaces = [(_eigenspace if r.factor is None else _adjugate_eigenspace)(A, r)
              for r in found.roots]  # type: ignore[union-attr]
    return EigenData((charpoly, found, *spaces), found.roots,  # type: ignore[union-attr]
                     tuple(s.basis for s in spaces))


def orthogonal_basis(vectors: Sequence[ImmutableMatrix]) -> tuple[list[ImmutableMatrix], list[Step]]:
    """Gram-Schmidt, each new orthogonal vector rescaled to integer entries before the next one
    (a teacher's habit: (1, 1, -2) rather than (1/2, 1/2, -1)); steps: GramSchmidt, RescaleVectors."""
    done: list[ImmutableMatrix] = []
    steps: list[Step] = []
    for v in vectors:
        (w,), gs = gram_schmidt([v], previous=done)
        steps += gs
        if gs:
            nice = nice_basis([w])
            if isinstance(nice, RescaleVectors):
                steps.append(nice)
                w = nice.after[0]
        done.append(w)
    return done, steps


def orthonormal_eigenbasis(data: EigenData) -> tuple[list[ImmutableMatrix], list[Step]]:
    """An orthonormal basis from each eigenspace (a symmetric matrix: eigenspaces are orthogonal)."""
    columns, steps = [], []
    for root, basis in zip(data.roots, data.bases):
        orthogonal, gs = orthogonal_basis(basis)
        units = [normalize(v) for v in orthogonal]
        result = tuple(u.result for u in units)
        steps.append(OrthonormalBasis(eigenvalue=root.value, basis=basis, result=result,
                                      substeps=(*gs, *units)))
        columns.extend(result)
    return columns, steps
