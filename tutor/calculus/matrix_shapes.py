"""Sizes of the vectors and matrices in a matrix-calculus expression, by unification.

Every name gets size variables (a vector n x 1, a matrix m x k); a product equates
the columns of the left with the rows of the right, a sum equates both shapes, a
size given by the user (``x=3``, ``A=2x3``) fixes a variable.  A contradiction is a
dimension mismatch, said in one line naming the two parts.  A name's size is never
forced to 1 by the structure (``x b`` is a mismatch, not "b is a number").  What is
left free becomes a symbol: n for the differentiation variable, then m, k, p, ...
The result is the expression as sympy matrix expressions (:mod:`tutor.matexpr`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy
from sympy import MatMul, MatrixExpr

from tutor.core.errors import TutorError
from tutor.calculus.matrix_expressions import (Constant, DetFactor, KeptDet, KeptInverse, KeptLogDet, KeptTrace, KeptTranspose,
                                               Named, SquaredNorm, add, dimension)
from tutor.parsing.matrix_expressions import (MAX_SIZE, Det, Inverse, LogDet, Name, Negative, Node, Norm, Number,
                                              Product, Sum, Trace, Transposed, parse_tree, show)

_DIMENSION_NAMES = "n m k p q r s l d".split()
_ONE = 0  # the size class of the literal 1 (the rows of a row vector, ...)
Shape = tuple[int, int]


class _Sizes:
    """Union-find over size variables, each class possibly fixed to a number."""

    def __init__(self) -> None:
        self.parent: list[int] = [_ONE]
        self.fixed: dict[int, int] = {_ONE: 1}

    def new(self, value: int | None = None) -> int:
        self.parent.append(len(self.parent))
        if value is not None:
            self.fixed[len(self.parent) - 1] = value
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def value(self, i: int) -> int | None:
        return self.fixed.get(self.find(i))

    def unify(self, a: int, b: int) -> bool:
        """Make a and b one size; False when they cannot be (different numbers, or a free
        size of a name against the structural 1)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        va, vb = self.fixed.get(ra), self.fixed.get(rb)
        if (va is not None and vb is not None and va != vb) or \
                (_ONE in (ra, rb) and (va is None or vb is None)):
            return False
        if rb == _ONE:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if va is None and vb is not None:
            self.fixed[ra] = vb
        return True


@dataclass(frozen=True)
class Reading:
    """The expression as matrix expressions, its names, and the differentiation variable."""

    expr: MatrixExpr
    wrt: Named
    names: tuple[Named, ...]
    absent: bool  # the variable does not occur in the expression


def read(text: str, wrt: str, sizes: dict[str, tuple[int, ...]] | None = None,
         answer: bool = False) -> Reading:
    """Parse ``text``, infer every size, and build the expression (see the module doc).

    A problem must be a scalar or a column vector and every size given must be used; an
    ``answer`` (a derivative, checked against the problem's sizes) may have any shape."""
    tree = parse_tree(text)
    return _Inference(tree, sizes or {}).reading(tree, wrt, answer)


class _Inference:
    def __init__(self, tree: Node, given: dict[str, tuple[int, ...]]) -> None:
        self.sizes = _Sizes()
        self.given = given
        self.shapes: dict[str, Shape] = {}  # name -> its size classes, in order of appearance
        self.shape = self.infer(tree)

    def name_shape(self, name: str) -> Shape:
        if name not in self.shapes:
            vector = name[0].islower()
            given = self.given.get(name)
            if given is not None and vector and len(given) == 2 and given[1] != 1:
                raise TutorError(f"{name} is a vector (lower-case): give one size, e.g. {name}=3")
            if given is not None and not vector and len(given) != 2:
                raise TutorError(f"{name} is a matrix (upper-case): give rows x columns, e.g. {name}=2x3")
            rows = self.sizes.new(given[0] if given else None)
            cols = _ONE if vector else self.sizes.new(given[1] if given else None)
            self.shapes[name] = (rows, cols)
        return self.shapes[name]

    def infer(self, node: Node) -> Shape | None:
        """The shape of ``node`` as size classes (None for a number), unifying as it goes."""
        if isinstance(node, Name):
            return self.name_shape(node.name)
        if isinstance(node, Number):
            return None
        if isinstance(node, Negative):
            return self.infer(node.arg)
        if isinstance(node, Transposed):
            shape = self.infer(node.arg)
            return None if shape is None else (shape[1], shape[0])
        if isinstance(node, Norm):
            shape = self.infer(node.arg)
            if shape is None or not self.sizes.unify(shape[1], _ONE):
                raise TutorError(f"||e||^2 needs a column vector e, but {show(node.arg)} is "
                                 f"{self.describe(shape)}")
            return (_ONE, _ONE)
        if isinstance(node, (Trace, Det, LogDet, Inverse)):
            what = {Trace: "a trace", Det: "a determinant", LogDet: "a determinant",
                    Inverse: "an inverse"}[type(node)]
            shape = self.infer(node.arg)
            if shape is None:
                raise TutorError(f"{show(node)} is the {what.split()[1]} of a number: {what} needs a "
                                 "square matrix")
            if not self.sizes.unify(shape[0], shape[1]):
                raise TutorError(f"{show(node)} is not defined: {what} needs a square matrix, "
                                 f"but {show(node.arg)} is {self.describe(shape)}")
            return shape if isinstance(node, Inverse) else (_ONE, _ONE)
        if isinstance(node, Product):
            return self.infer_product(node)
        return self.infer_sum(node)

    def infer_product(self, node: Product) -> Shape | None:
        shape: Shape | None = None
        for k, factor in enumerate(node.factors):
            right = self.infer(factor)
            if right is None or isinstance(factor, (Det, LogDet)):  # a number: det(X) X^{-T}
                continue
            if shape is not None and not self.sizes.unify(shape[1], right[0]):
                left = Product(node.factors[:k]) if k > 1 else node.factors[0]
                raise TutorError(
                    f"dimension mismatch: {show(left)} is {self.describe(shape)} and {show(factor)} "
                    f"is {self.describe(right)}, so the product {show(Product((left, factor)))} "
                    "is not defined")
            shape = right if shape is None else (shape[0], right[1])
        return shape

    def infer_sum(self, node: Sum) -> Shape | None:
        """All terms of one shape; a number term makes the sum a scalar."""
        shapes = [self.infer(t) for t in node.terms]
        sized = [k for k, s in enumerate(shapes) if s is not None]
        if not sized:
            return None
        first = sized[0]
        shape = shapes[first]
        for k, (term, other) in enumerate(zip(node.terms, shapes)):
            target = (_ONE, _ONE) if other is None else other
            if k != first and not (self.sizes.unify(shape[0], target[0])
                                   and self.sizes.unify(shape[1], target[1])):
                raise TutorError(
                    f"dimension mismatch: {show(node.terms[first])} is {self.describe(shape)} and "
                    f"{show(term)} is {self.describe(other)}, so they cannot be added")
        return shape

    def describe(self, shape: Shape | None) -> str:
        if shape is None:
            return "a number"
        rows, cols = (self.sizes.find(c) for c in shape)
        r, c = self.sizes.value(rows), self.sizes.value(cols)
        if rows == _ONE and cols == _ONE:
            return "a scalar"
        if cols == _ONE:
            return "a column vector" + (f" of size {r}" if r else "")
        if rows == _ONE:
            return "a row vector" + (f" of size {c}" if c else "")
        return f"a {r}x{c} matrix" if r and c else "a matrix"

    def reading(self, tree: Node, wrt: str, answer: bool = False) -> Reading:
        absent = wrt not in self.shapes
        scalar = self.shape is None or (self.sizes.find(self.shape[0]) == _ONE
                                        and self.sizes.find(self.shape[1]) == _ONE)
        if wrt[0].isupper() and not answer and not scalar:
            raise TutorError(f"{show(tree)} is {self.describe(self.shape)}: its derivative with respect "
                             f"to the matrix {wrt} is a tensor; give a scalar, such as tr({wrt}^T A) "
                             f"or a^T {wrt} b")
        wrt_shape = self.name_shape(wrt)
        unknown = sorted(set(self.given) - set(self.shapes))
        if unknown and not answer:
            raise TutorError(f"a size is given for {', '.join(unknown)}, which is not in the expression")
        if not answer and (self.shape is None or self.sizes.find(self.shape[1]) != _ONE):
            raise TutorError(f"{show(tree)} is {self.describe(self.shape)}: give a scalar "
                             "(for its gradient) or a column vector (for its Jacobian)")
        symbols = self.dimension_symbols(wrt_shape[0])
        named = {name: Named(name, symbols[self.sizes.find(r)], symbols[self.sizes.find(c)])
                 for name, (r, c) in self.shapes.items()}
        expr = _Builder(named).build(tree)
        return Reading(expr=expr, wrt=named[wrt], names=tuple(named.values()), absent=absent)

    def dimension_symbols(self, first: int) -> dict[int, Any]:
        """Each size class as its number, or a symbol: n for ``first``, then m, k, p, ..."""
        used = set(self.shapes)
        letters = iter(l for l in _DIMENSION_NAMES if l not in used)
        out: dict[int, Any] = {}
        order = [first] + [c for shape in self.shapes.values() for c in shape]
        for c in order:
            root = self.sizes.find(c)
            if root not in out:
                value = self.sizes.value(root)
                out[root] = value if value is not None else dimension(next(letters))
        return out


class _Builder:
    """The syntax tree as unevaluated sympy matrix expressions, grouped as written."""

    def __init__(self, named: dict[str, Named]) -> None:
        self.named = named

    def build(self, node: Node) -> Any:
        if isinstance(node, Name):
            return self.named[node.name]
        if isinstance(node, Number):
            return Constant(node.value)
        if isinstance(node, Negative):
            return _scaled(-1, self.build(node.arg))
        if isinstance(node, Transposed):
            inner = self.build(node.arg)
            return inner if isinstance(inner, Constant) else KeptTranspose(inner)
        if isinstance(node, Norm):
            return SquaredNorm(self.build(node.arg))
        if isinstance(node, Trace):
            return KeptTrace(self.build(node.arg))
        if isinstance(node, Det):
            return KeptDet(self.build(node.arg))
        if isinstance(node, LogDet):
            return KeptLogDet(self.build(node.arg))
        if isinstance(node, Inverse):
            return KeptInverse(self.build(node.arg))
        if isinstance(node, Product):
            parts = [self.build(f) for f in node.factors]
            if any(not isinstance(p, (Constant, KeptDet, KeptLogDet)) for p in parts):
                parts = [_as_number(p) for p in parts]  # det(X) times a matrix is a number: det(X) X^{-T}
            coefficient = sympy.Mul(*(p.value for p in parts if isinstance(p, Constant)))
            matrices = [p for p in parts if not isinstance(p, Constant)]
            if not matrices:
                return Constant(coefficient)
            body = matrices[0] if len(matrices) == 1 else MatMul(*matrices)
            return _scaled(coefficient, body)
        return add(*(self.build(t) for t in node.terms))


def _as_number(e: MatrixExpr) -> MatrixExpr:
    """det(M) and log det(M) as numbers (a :class:`Constant` of :class:`DetFactor`)."""
    if isinstance(e, KeptDet):
        return Constant(DetFactor(e.arg))
    if isinstance(e, KeptLogDet):
        return Constant(sympy.log(DetFactor(e.arg)))
    return e


def _scaled(c: sympy.Expr, e: MatrixExpr) -> MatrixExpr:
    """c e, merging c into a number already in front of e."""
    if isinstance(e, Constant):
        return Constant(c * e.value)
    if c == 1:
        return e
    factors = list(e.args) if isinstance(e, MatMul) else [e]
    c = c * sympy.Mul(*(f for f in factors if not isinstance(f, MatrixExpr)))
    rest = [f for f in factors if isinstance(f, MatrixExpr)]
    if c == 1:
        return rest[0] if len(rest) == 1 else MatMul(*rest)
    return MatMul(c, *rest)


# ---------------------------------------------------------------- given sizes

_SIZE_RE = re.compile(r"^\s*([^=\s]+)\s*=\s*(\d+)\s*(?:(?:x|×|\*|by)\s*(\d+))?\s*$")


def parse_sizes(value: Any) -> dict[str, tuple[int, ...]]:
    """``x=3,A=2x3`` (text or a mapping) as {name: sizes}, each size 1 to :data:`MAX_SIZE`."""
    from tutor.parsing.matrix_expressions import tokens

    if isinstance(value, dict):
        items = [f"{k}={v}" for k, v in value.items()]
    else:
        items = [p for p in str(value).split(",") if p.strip()]
    out: dict[str, tuple[int, ...]] = {}
    for item in items:
        m = _SIZE_RE.match(item)
        toks = tokens(m.group(1)) if m else []
        if not m or len(toks) != 2 or toks[0].kind != "name":
            raise TutorError(f"a size is written x=3 (a vector) or A=2x3 (a matrix), not {item.strip()!r}")
        numbers = tuple(int(g) for g in m.groups()[1:] if g is not None)
        if not all(1 <= n <= MAX_SIZE for n in numbers):
            raise TutorError(f"sizes must be between 1 and {MAX_SIZE}: {item.strip()!r}")
        out[toks[0].text] = numbers
    return out
