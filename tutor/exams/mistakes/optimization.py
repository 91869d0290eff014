"""Mistakes of optimization: the nature of stationary points, gradient descent's update."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import mistakes, redo

_SWAPPED = {"minimum": "maximum", "maximum": "minimum"}


def _natures(key: A.PointsAnswer, nature: Any) -> A.Answer | None:
    """The key's points, each with the nature ``nature(point)`` a mistaken test gives."""
    points = tuple(A.OptimumPoint(p.point, p.value, nature(p), p.multipliers) for p in key.points)
    return A.PointsAnswer(key.variables, points)


def _diagonal_test(inputs: dict[str, Any], point: A.OptimumPoint) -> str:
    """The nature read from the sign of f_xx alone, the determinant of the Hessian ignored."""
    if point.nature != "saddle":
        return point.nature
    f, xs = inputs["function"], inputs["vars"]
    first = sympy.diff(f, xs[0], 2).subs(dict(zip(xs, point.point)))
    return "minimum" if first > 0 else "maximum" if first < 0 else point.nature


mistakes("stationary_points",
         ("minimum and maximum swapped (the definiteness of the Hessian read backwards)",
          lambda i, k: _natures(k, lambda p: _SWAPPED.get(p.nature, p.nature))),
         ("the nature read from f_xx alone (the determinant of the Hessian ignored)",
          lambda i, k: _natures(k, lambda p: _diagonal_test(i, p))))

def _unconstrained(inputs: dict[str, Any]) -> A.Answer | None:
    """The constraint left out: the stationary points of f itself (the engine on f alone)."""
    points = redo("stationary_points", {"function": inputs["function"], "vars": inputs["vars"]})
    return points if points.points else None


mistakes("lagrange",
         ("minimum and maximum swapped (the values of f at the candidates compared backwards)",
          lambda i, k: _natures(k, lambda p: _SWAPPED.get(p.nature, p.nature))),
         ("the constraint left out (the stationary points of f)", lambda i, k: _unconstrained(i)))

mistakes("gradient_descent",
         ("the step taken along +∇f (gradient ascent)", lambda i, k: redo("gradient_descent", i, step=-i["step"])),
         ("the step size left out (γ = 1)",
          lambda i, k: redo("gradient_descent", i, step=sympy.S.One) if i["step"] != 1 else None),
         ("the momentum term left out",
          lambda i, k: redo("gradient_descent", i, momentum=sympy.S.Zero) if i["momentum"] != 0 else None))


def _convexity(inputs: dict[str, Any], key: A.ConvexityAnswer, mistake: str) -> A.Answer | None:
    """The verdict with the Hessian's sign read backwards, its strictness misjudged, or read
    from its diagonal alone (a constant Hessian of two or more variables)."""
    if mistake == "backwards":
        swapped = key.value.replace("convex", "@").replace("concave", "convex").replace("@", "concave")
        return A.ConvexityAnswer(swapped) if swapped != key.value else None
    if mistake == "strictness":
        flipped = key.value[len("strictly "):] if key.value.startswith("strictly") else f"strictly {key.value}"
        return A.ConvexityAnswer(flipped) if key.value != "neither" else None
    xs = inputs["vars"]
    H = sympy.hessian(inputs["function"], xs)
    if len(xs) < 2 or H.free_symbols or inputs["domain"]:
        return None
    d = list(H.diagonal())
    verdict = ("strictly convex" if all(e > 0 for e in d) else "convex" if all(e >= 0 for e in d)
               else "strictly concave" if all(e < 0 for e in d) else "concave" if all(e <= 0 for e in d)
               else "neither")
    return A.ConvexityAnswer(verdict)


mistakes("convexity",
         ("convex and concave confused (the Hessian's sign read backwards)",
          lambda i, k: _convexity(i, k, "backwards")),
         ("semidefinite and definite confused (the strictness misjudged)", lambda i, k: _convexity(i, k, "strictness")),
         ("the Hessian's diagonal alone (its determinant ignored)", lambda i, k: _convexity(i, k, "diagonal")))
