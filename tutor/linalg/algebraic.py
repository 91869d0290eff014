"""Exact arithmetic with algebraic numbers, instead of ``sympy.simplify``.

Eigenvalues are rational, surds ``(a ± √d)/b`` (d < 0: complex), n-th roots of a binomial, or
roots of an irreducible factor of degree >= 3 kept as ``CRootOf``.  The numbers the eigen and
SVD derivations meet are in a field Q(√d), Q(√d, i) or Q(r) for one root r, where arithmetic is
polynomial arithmetic modulo a minimal polynomial: exact and fast.  ``simplify`` on such entries
took seconds each (tens of seconds per matrix), and cannot decide equalities of ``CRootOf``
expressions; sympy's own arithmetic with a ``CRootOf`` asks for the sign and size of each
product and sum it builds, answered by refining the root's isolating box by bisection.

* Q(r), r a ``CRootOf``: :func:`in_root_field` computes with r replaced by a symbol and reduces
  each result modulo r's polynomial (degree < deg p: a canonical form).
* Q(√d, i): :class:`FieldNumber` (sympy's ``AlgebraicField`` element with Python arithmetic)
  for the row-reduction engine, :func:`field_form`, :func:`rank`, :func:`projected`.

Expressions are built from the results only for display (``a + b√d`` expanded, a polynomial in
r), the way ``radsimp(simplify(e))`` wrote them.
"""
from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any, Callable, Iterable

import sympy
from sympy import QQ, ImmutableMatrix
from sympy.polys.matrices import DomainMatrix

__all__ = ["in_root_field", "FieldNumber", "quadratic_field", "to_field_number", "field_number",
           "projected", "field_form", "rank"]


def _modulo(e: sympy.Expr, t: sympy.Symbol, p: sympy.Poly) -> sympy.Expr | None:
    """The rational function ``e`` of ``t`` (rational coefficients) as a polynomial of degree
    < deg p modulo the irreducible ``p`` (a denominator inverted modulo p); None when ``e`` has
    other irrationals or its denominator vanishes at the root."""
    num, den = sympy.fraction(sympy.together(e))
    try:
        top, bottom = sympy.Poly(num, t, domain=QQ), sympy.Poly(den, t, domain=QQ)
    except (sympy.PolynomialError, sympy.CoercionFailed):
        return None
    if bottom.rem(p).is_zero:
        return None
    # a constant denominator divides (it was dropped: (r³ + r)/2 came back as r³ + r)
    value = top.rem(p).quo_ground(bottom.LC()) if bottom.degree() <= 0 else (top * bottom.invert(p)).rem(p)
    return value.as_expr()


def _root(operands: tuple[sympy.Basic, ...]) -> tuple[sympy.CRootOf, sympy.Dummy, sympy.Poly] | None:
    """The one ``CRootOf`` in the operands, a symbol for it and its polynomial in that symbol."""
    roots = set().union(*(o.atoms(sympy.CRootOf) for o in operands))
    if len(roots) != 1:
        return None
    r = roots.pop()
    t = sympy.Dummy("t")
    return r, t, sympy.Poly(r.poly.as_expr().subs(r.poly.gen, t), t, domain=QQ)


def in_root_field(compute: Callable[..., Any], *operands: sympy.Basic) -> Any:
    """``compute(*operands)`` for numbers, vectors or matrices with entries in Q(r) for one
    ``CRootOf`` r: computed with r replaced by a symbol, each entry of the result reduced
    modulo r's polynomial, r put back.  Operands with several roots or none are computed as
    they are (and so is an entry that is not a number of Q(r))."""
    found = _root(operands)
    if found is None:
        return compute(*operands)
    r, t, p = found
    result = compute(*(o.xreplace({r: t}) for o in operands))

    def back(e: sympy.Expr) -> sympy.Expr:
        value = _modulo(e, t, p)
        return e.xreplace({t: r}) if value is None else value.xreplace({t: r})
    return result.applyfunc(back) if isinstance(result, sympy.MatrixBase) else back(result)


# ---------------------------------------------------------------- quadratic irrationalities

class FieldNumber:
    """A number of a field Q(√d) (or Q(i), Q(√d, i)): sympy's ``AlgebraicField`` element with
    Python's arithmetic and comparison with ``int``/``Fraction``, so the row-reduction engine
    computes with it as with rationals.  Exact: a sum, product or quotient is reduced modulo
    the minimal polynomial, and it is 0 only when it is 0 (``simplify`` decides neither
    quickly: a 4x4 eigenspace of a surd eigenvalue spent seconds simplifying each entry)."""

    __slots__ = ("field", "value")

    def __init__(self, field: Any, value: Any):
        self.field, self.value = field, value

    def _lift(self, other: Any) -> Any:
        if isinstance(other, FieldNumber):
            return other.value
        if isinstance(other, (int, Fraction)):
            return self.field.convert(QQ(other.numerator, other.denominator))
        return NotImplemented

    def _new(self, value: Any) -> "FieldNumber | int | Fraction":
        """Rational results become Python's exact numbers again (the engine's rational paths)."""
        if value.is_ground:
            q = self.field.to_sympy(value)
            return int(q.p) if q.q == 1 else Fraction(int(q.p), int(q.q))
        return FieldNumber(self.field, value)

    def __add__(self, other: Any) -> Any:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self._new(self.value + o)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self._new(self.value - o)

    def __rsub__(self, other: Any) -> Any:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self._new(o - self.value)

    def __mul__(self, other: Any) -> Any:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self._new(self.value * o)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self._new(self.field.quo(self.value, o))

    def __rtruediv__(self, other: Any) -> Any:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self._new(self.field.quo(o, self.value))

    def __neg__(self) -> "FieldNumber":
        return FieldNumber(self.field, -self.value)

    def __abs__(self) -> float:
        """The modulus, approximately (only to prefer a small pivot)."""
        return abs(complex(self._sympy_()))

    def __eq__(self, other: Any) -> bool:
        o = self._lift(other)
        return NotImplemented if o is NotImplemented else self.value == o

    def __hash__(self) -> int:
        return hash(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)

    def _sympy_(self) -> sympy.Expr:
        """The number as sympy writes it: ``a + b√d`` expanded."""
        return self.field.to_sympy(self.value)

    def __repr__(self) -> str:
        return f"FieldNumber({self._sympy_()})"


def quadratic_field(entries: Iterable[sympy.Expr]) -> Any:
    """The field the entries live in when each is a polynomial with rational coefficients in
    square roots of rationals and ``i`` (at most two of them: Q(√d), Q(i), Q(√d, i)), as
    sympy's ``AlgebraicField``; None otherwise (all rational, symbols, other radicals, CRootOf)."""
    generators: set[sympy.Expr] = set()
    for e in entries:
        if e.is_Rational:
            continue
        if not e.is_number or e.has(sympy.CRootOf):
            return None
        for a in sympy.preorder_traversal(e):
            if a is sympy.I or (a.is_Pow and a.exp == sympy.S.Half and a.base.is_Rational):
                generators.add(a)
            elif a.is_Pow and not a.exp.is_Integer or a.is_Function or a.is_NumberSymbol:
                return None
    if not generators or len(generators) > 2:
        return None
    return _field(tuple(sorted(generators, key=sympy.default_sort_key)))


@functools.lru_cache(maxsize=64)
def _field(generators: tuple[sympy.Expr, ...]) -> Any:
    """Q(generators), once per set of generators (sympy finds a primitive element: ms each)."""
    return QQ.algebraic_field(*generators)


@functools.lru_cache(maxsize=64)
def _generator_values(field: Any) -> dict[sympy.Expr, Any]:
    return {g: field.from_sympy(g) for g in field.orig_ext}


def field_number(field: Any, e: sympy.Expr) -> FieldNumber:
    """``e`` as a :class:`FieldNumber` even when it is rational (a divisor: Python's ``int / int``
    would be a float)."""
    x = to_field_number(field, e)
    return x if isinstance(x, FieldNumber) else FieldNumber(field, field.convert(QQ(x.numerator, x.denominator)))


def to_field_number(field: Any, e: sympy.Expr) -> "FieldNumber | int | Fraction":
    """The entry ``e`` of a matrix over ``field`` (:func:`quadratic_field`) as the engine computes
    with it.  A polynomial in the generators is evaluated in the field from their values (sympy's
    ``from_sympy`` finds the minimal polynomial of each number: 10-20 ms an entry); a quotient
    goes through ``from_sympy``."""
    if e.is_Rational:
        return int(e.p) if e.q == 1 else Fraction(int(e.p), int(e.q))
    values = _generator_values(field)
    try:
        poly = sympy.Poly(e, *values, domain=QQ)
    except (sympy.PolynomialError, sympy.CoercionFailed):
        return FieldNumber(field, field.from_sympy(e))
    total = field.zero
    for powers, c in poly.terms():
        term = field.convert(c)
        for g, k in zip(values.values(), powers):
            term *= g ** k
        total += term
    return FieldNumber(field, total)


def projected(A: sympy.MatrixBase, w: sympy.MatrixBase) -> ImmutableMatrix | None:
    """``A w w^T / (w^T w)``: A times the orthogonal projection onto the line of ``w``, computed
    exactly over the field of w's entries (Q, or Q(√d, i): :func:`quadratic_field`); None for
    other entries.  In an SVD, ``σ u v^T = A v v^T`` is this for the unit vector ``v = w/|w|``:
    its entries lie in Q(√d) even where those of u and v are nested radicals, which
    ``simplify`` took seconds each to bring back."""
    entries = [*A, *w]
    field = QQ if all(e.is_Rational for e in entries) else quadratic_field(entries)
    if field is None:
        return None
    K = field

    def domain(M: sympy.MatrixBase) -> DomainMatrix:
        return DomainMatrix([[K.from_sympy(e) for e in M.row(i)] for i in range(M.rows)], M.shape, K)
    W = domain(w)
    norm = (W.transpose() * W)[0, 0].element
    return ImmutableMatrix((domain(A) * W * W.transpose() * K.quo(K.one, norm)).to_Matrix())


def field_form(M: sympy.MatrixBase) -> ImmutableMatrix | None:
    """``M`` with each irrational entry written ``a + b√d`` (its canonical form in Q(√d, i),
    computed there), when the entries lie in such a field (:func:`quadratic_field`); else None.
    It is what ``radsimp(simplify(e))`` gives such an entry, without the seconds ``simplify``
    spends on each."""
    field = quadratic_field(M)
    if field is None:
        return None
    return ImmutableMatrix(M.rows, M.cols, [sympy.sympify(to_field_number(field, e)) for e in M])


def rank(M: sympy.MatrixBase) -> int:
    """The rank of ``M``: exactly over Q or Q(√d, i) (sympy's ``DomainMatrix`` over that field:
    ``Matrix.rank(simplify=True)`` simplified every entry it met, seconds for a 4x4 ``A - λI``
    with a surd λ); other matrices by ``rank(simplify=True)``."""
    entries = list(M)
    field = QQ if all(e.is_Rational for e in entries) else quadratic_field(entries)
    if field is None:
        return M.rank(simplify=True)
    return DomainMatrix([[field.from_sympy(e) for e in M.row(i)] for i in range(M.rows)],
                        M.shape, field).rank()
