"""Mistakes of optimization: the nature of stationary points, gradient descent's update, the
constraints of linear, quadratic and KKT programs, the convex conjugate's supremum."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import mistakes, redo, tidy
from tutor.optimization import conjugates

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
    """The constraint(s) left out: the stationary points of f itself (the engine on f alone)."""
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


def _program(kind: str, inputs: dict[str, Any], **changes: Any) -> A.ProgramAnswer | None:
    """The engine's optimum of the program with ``changes`` (None: that program has none)."""
    answer = redo(kind, inputs, **changes)
    return answer if isinstance(answer, A.ProgramAnswer) else None


def _last_reversed(kind: str, inputs: dict[str, Any]) -> A.Answer | None:
    """The last constraint a_m^T x <= b_m read as >= (the engine on -a_m^T x <= -b_m)."""
    A_, b = sympy.Matrix(inputs["A"]), sympy.Matrix(inputs["b"])
    A_[-1, :], b[-1] = -A_[-1, :], -b[-1]
    return _program(kind, inputs, A=sympy.ImmutableMatrix(A_), b=sympy.ImmutableMatrix(b))


def _maximized(inputs: dict[str, Any]) -> A.Answer | None:
    """max c^T x for min: the engine on -c; the value c^T x at its optimum."""
    found = _program("lp", inputs, c=-inputs["c"])
    return A.ProgramAnswer("lp", found.x, -found.value, found.multipliers) if found else None


def _binding_left_out(inputs: dict[str, Any], key: A.ProgramAnswer) -> A.Answer | None:
    """The binding constraint of the largest multiplier overlooked: the engine without its row
    (its multiplier 0)."""
    j = max(range(len(key.multipliers)), key=lambda i: key.multipliers[i])
    if key.multipliers[j] == 0 or inputs["A"].rows < 2:
        return None
    keep = [i for i in range(inputs["A"].rows) if i != j]
    found = _program("lp", inputs, A=inputs["A"].extract(keep, list(range(inputs["A"].cols))),
                     b=inputs["b"].extract(keep, [0]))
    if found is None:
        return None
    multipliers = (*found.multipliers[:j], sympy.S.Zero, *found.multipliers[j:])
    return A.ProgramAnswer("lp", found.x, found.value, multipliers)


mistakes("lp",
         ("maximized instead of minimized (the optimum of -c)", lambda i, k: _maximized(i)),
         ("the last constraint read as >= instead of <=", lambda i, k: _last_reversed("lp", i)),
         ("the binding constraint of the largest multiplier left out", _binding_left_out))


def _qp_unconstrained(inputs: dict[str, Any]) -> A.Answer:
    """The constraints ignored: the stationary point -Q^-1 c of the objective, no multipliers."""
    Q, c = inputs["Q"], inputs["c"]
    x = -Q.inv() * c
    value = ((x.T * Q * x) / 2 + c.T * x)[0]
    return A.ProgramAnswer("qp", tuple(x), value, tuple(sympy.S.Zero for _ in range(inputs["A"].rows)))


mistakes("qp",
         ("the constraints ignored (the unconstrained minimizer -Q^-1 c)", lambda i, k: _qp_unconstrained(i)),
         ("the 1/2 left out (x^T Q x for 1/2 x^T Q x)", lambda i, k: _program("qp", i, Q=2 * i["Q"])),
         ("the sign of c lost (Q x = c for Q x + c = 0)", lambda i, k: _program("qp", i, c=-i["c"])
          if any(i["c"]) else None),
         ("the last constraint read as >= instead of <=", lambda i, k: _last_reversed("qp", i)))


def _kkt_reversed(inputs: dict[str, Any], key: A.PointsAnswer) -> A.Answer | None:
    """The sign of the inequality with the largest multiplier at the key's first point (the first
    inequality if none binds) read backwards, <= for >= or the other way: g for -g."""
    constraints = list(inputs["constraints"])
    inequalities = [n for n, c in enumerate(constraints) if not c.equality]
    if not inequalities or not key.points:
        return None
    multipliers = key.points[0].multipliers or (0,) * len(constraints)
    j = max(inequalities, key=lambda n: (multipliers[n], -n))
    c = constraints[j]
    constraints[j] = type(c)(c.lhs, {"<=": ">=", ">=": "<="}[c.sign], c.rhs, -c.g)
    return redo("kkt", inputs, constraints=tuple(constraints))


mistakes("kkt",
         ("the binding inequality's sign read backwards (>= for <= or <= for >=)", _kkt_reversed),
         ("the constraints left out (the stationary points of f)", lambda i, k: _unconstrained(i)))


def _domain_in_s(inputs: dict[str, Any]) -> sympy.Set:
    """The domain of f, written in the conjugate's variable s."""
    s, x = conjugates.S, inputs["var"]
    found: sympy.Set = sympy.S.Reals
    for relation in inputs["domain"]:
        found = found & sympy.solveset(relation.subs(x, s), s, sympy.S.Reals)
    return found


def _flipped_product(inputs: dict[str, Any]) -> A.Answer | None:
    """sup_x (-s x - f(x)) for sup_x (s x - f(x)): the engine on f(-x), whose conjugate that is."""
    x = inputs["var"]
    return redo("convex_conjugate", inputs, function=inputs["function"].subs(x, -x),
                domain=tuple(d.subs(x, -x) for d in inputs["domain"]))


def _derivative(inputs: dict[str, Any]) -> A.Answer | None:
    """f'(s) for f*(s) (the Legendre transform's derivative step taken for its result)."""
    value = sympy.diff(inputs["function"], inputs["var"]).subs(inputs["var"], conjugates.S)
    if value.has(sympy.Heaviside, sympy.Piecewise, sympy.Derivative, sympy.DiracDelta):
        return None
    return A.ConjugateAnswer(tidy(value), _domain_in_s(inputs))


def _without_product(inputs: dict[str, Any], key: A.ConjugateAnswer) -> A.Answer | None:
    """-f(x*) for s x* - f(x*): the maximizer x*(s) of a smooth f (f'(x*) = s) put in f alone."""
    f, x, s = inputs["function"], inputs["var"], conjugates.S
    if f.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Piecewise):
        return None
    roots = sympy.solve(sympy.diff(f, x) - s, x)
    return A.ConjugateAnswer(tidy(-f.subs(x, roots[0])), key.domain) if len(roots) == 1 else None


mistakes("convex_conjugate",
         ("the sign of s x flipped (sup of -s x - f(x), that is f*(-s))", lambda i, k: _flipped_product(i)),
         ("f'(s) for f*(s) (the derivative for the conjugate)", lambda i, k: _derivative(i)),
         ("s x* left out (-f(x*) for s x* - f(x*))", _without_product))
