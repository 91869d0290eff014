"""Mistakes of analytic geometry: norms, distances, inner products, angles, projections,
Gram-Schmidt, orthogonal complements, rotations."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.matrices import plus_one_kernel
from tutor.exams.mistakes.registry import expression, mistakes, redo


def _inner(u: sympy.Matrix, v: sympy.Matrix, M: Any) -> sympy.Expr:
    return (u.T * (sympy.Matrix(M) if M is not None else sympy.eye(u.rows)) * v)[0]


def _length(v: sympy.Matrix, M: Any) -> sympy.Expr:
    return sympy.sqrt(_inner(v, v, M))


def _norm(inputs: dict[str, Any], mistake: str) -> A.Answer | None:
    x, p = sympy.Matrix(inputs["x"]), inputs["p"]
    if mistake == "squared":
        return expression(_inner(x, x, inputs["A"])) if p in ("2", "inner") else None
    if mistake == "dot":
        return expression(_length(x, None)) if p == "inner" else None
    if mistake == "signed":  # the absolute values left out of the 1- or the max-norm
        return expression(sum(x) if p == "1" else max(x)) if p in ("1", "inf") else None
    if mistake == "other":  # the 1-norm for the 2- or max-norm, the 2-norm for the 1-norm
        return expression(sum(abs(e) for e in x) if p in ("2", "inf") else _length(x, None)) if p != "inner" else None
    raise ValueError(mistake)


mistakes("norm",
         ("the square root forgotten (the squared norm)", lambda i, k: _norm(i, "squared")),
         ("the absolute values left out", lambda i, k: _norm(i, "signed")),
         ("the dot product used instead of the given inner product", lambda i, k: _norm(i, "dot")),
         ("another norm computed (the 1-norm for the 2- or max-norm, the 2-norm for the 1-norm)",
          lambda i, k: _norm(i, "other")))

mistakes("distance",
         ("x + y for x - y (a sign error in the difference)",
          lambda i, k: redo("distance", i, y=-sympy.Matrix(i["y"]))),
         ("the square root forgotten (the squared distance)",
          lambda i, k: expression(_inner(sympy.Matrix(i["x"] - i["y"]), sympy.Matrix(i["x"] - i["y"]), i["A"]))),
         ("||x|| - ||y|| for ||x - y|| (the norms subtracted)",
          lambda i, k: expression(_length(sympy.Matrix(i["x"]), i["A"]) - _length(sympy.Matrix(i["y"]), i["A"]))))


def _diagonal_only(inputs: dict[str, Any]) -> A.Answer | None:
    M = inputs["A"]
    if M is None or sympy.Matrix(M).is_diagonal():
        return None
    return redo("inner", inputs, A=sympy.ImmutableMatrix(sympy.diag(*sympy.Matrix(M).diagonal())))


mistakes("inner",
         ("the dot product x^T y (the matrix of the inner product ignored)",
          lambda i, k: redo("inner", i, A=None) if i["A"] is not None else None),
         ("only the diagonal of the inner product's matrix used", lambda i, k: _diagonal_only(i)),
         ("||x|| ||y|| (the Cauchy-Schwarz bound taken for the product)",
          lambda i, k: expression(_length(i["x"], None) * _length(i["y"], None)) if i["A"] is None else None),
         ("the product of the sums of the entries for the sum of the products",
          lambda i, k: expression(sum(i["x"]) * sum(i["y"])) if i["A"] is None else None))

mistakes("angle",
         ("cos ω given for ω (the arccos not taken)", lambda i, k: expression(sympy.cos(k.value))),
         ("π - ω (a sign error in <x, y>)", lambda i, k: redo("angle", i, y=-sympy.Matrix(i["y"]))),
         ("arcsin taken for arccos (π/2 - ω)", lambda i, k: expression(sympy.pi / 2 - k.value)))


def _projected(inputs: dict[str, Any], point: sympy.Matrix) -> A.ProjectionAnswer:
    """A (mistaken) projection and the distance a student then computes, ||x - p||."""
    x = sympy.Matrix(inputs["x"])
    return A.ProjectionAnswer(point.applyfunc(sympy.radsimp), sympy.radsimp(_length(x - point, inputs["A"])))


def _projection(inputs: dict[str, Any], key: A.ProjectionAnswer, mistake: str) -> A.Answer | None:
    x, U, M = sympy.Matrix(inputs["x"]), [sympy.Matrix(u) for u in inputs["U"]], inputs["A"]
    if mistake == "residual":
        return _projected(inputs, x - sympy.Matrix(key.value))
    if mistake == "undivided":  # B B^T x: the division by ||u||^2 (the inverse of B^T B) left out
        return _projected(inputs, sum((_inner(u, x, M) * u for u in U), sympy.zeros(x.rows, 1)))
    if len(U) < 2:
        return None  # one vector: the sum of one-dimensional projections is the projection
    return _projected(inputs, sum((_inner(u, x, M) / _inner(u, u, M) * u for u in U), sympy.zeros(x.rows, 1)))


mistakes("projection",
         ("not divided by ||u||^2 (B B^T x, the inverse of B^T B left out)",
          lambda i, k: _projection(i, k, "undivided")),
         ("x - π_U(x) given for π_U(x) (the projection and its residual swapped)",
          lambda i, k: _projection(i, k, "residual")),
         ("the one-dimensional projections added (the basis of U taken as orthogonal)",
          lambda i, k: _projection(i, k, "summed")))


def _gram_schmidt(inputs: dict[str, Any], *, sign: int = -1, divide: bool = True,
                  onto_original: bool = False) -> A.Answer | None:
    """u_k = b_k - sum <b_k, u_j>/<u_j, u_j> u_j with one slip: +, no division, or b_j for u_j."""
    M = inputs["A"]
    vectors = [sympy.Matrix(b) for b in inputs["vectors"]]
    if onto_original and len(vectors) < 3:
        return None  # with two vectors u_1 = b_1: the slip changes nothing
    done: list[sympy.Matrix] = []
    for b in vectors:
        u = b
        for j, w in enumerate(done):
            w = vectors[j] if onto_original else w
            u = u + sign * _inner(b, w, M) / (_inner(w, w, M) if divide else 1) * w
        done.append(u.applyfunc(sympy.radsimp))
    if inputs["normalize"]:
        done = [(u / _length(u, M)).applyfunc(sympy.radsimp) for u in done]
    return A.BasisAnswer(tuple(done))


mistakes("gram_schmidt",
         ("the projections added instead of subtracted", lambda i, k: _gram_schmidt(i, sign=1)),
         ("not divided by <u_j, u_j> (the projections' coefficients unnormalized)",
          lambda i, k: _gram_schmidt(i, divide=False)),
         ("projected onto the given b_j instead of the orthogonalized u_j",
          lambda i, k: _gram_schmidt(i, onto_original=True)))


def _complement_rows(inputs: dict[str, Any]) -> sympy.Matrix:
    rows = sympy.Matrix.hstack(*inputs["U"]).T
    return rows * sympy.Matrix(inputs["A"]) if inputs["A"] is not None else rows


mistakes("complement",
         ("the Minus-1 trick done with +1 (the signs of the pivot entries not changed)",
          lambda i, k: A.BasisAnswer(plus_one_kernel(_complement_rows(i)))),
         ("a basis of U itself (U, not its complement)", lambda i, k: A.BasisAnswer(tuple(i["U"]))),
         ("the dot product used instead of the given inner product",
          lambda i, k: redo("complement", i, A=None) if i["A"] is not None else None))

mistakes("rotation",
         ("the sign of the sines swapped (the rotation by -θ, the transpose)",
          lambda i, k: redo("rotation", i, angle=-i["angle"])),
         ("sin and cos swapped (the rotation by π/2 - θ)",
          lambda i, k: redo("rotation", i, angle=sympy.pi / 2 - i["angle"])))
