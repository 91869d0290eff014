"""Answers of the optimization kinds: sets of points with their nature, iterates of gradient
descent, optima of linear and quadratic programs, convexity words.

Points are compared as a set (any order): a missing or an extra point is named, and a right
point with the wrong nature.  Iterates are compared one by one; the first wrong one is named,
and a step taken uphill (x_k + γ∇f(x_k)ᵀ) is called a sign error in the update.  An LP or QP
answer is right when x is an optimum (for an LP any optimal vertex: feasible with the optimal
value); a value or a dual given is checked too (any optimal dual of an LP).
"""
from __future__ import annotations

import re
from typing import Any

import sympy

from tutor.checking.grading import reading
from tutor.checking.grading.expressions import judge, show
from tutor.checking.grading.labelled import read_parts
from tutor.checking.grading.matrices import show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.verdict import Verdict, graded, right, wrong
from tutor.optimization.convexity import VERDICTS

_NATURES = [("inconclusive", "inconclusive"), ("undecided", "inconclusive"), ("saddle", "saddle"),
            ("candidate", "candidate"), ("minimum", "minimum"), ("minimizer", "minimum"),
            ("min", "minimum"), ("maximum", "maximum"), ("maximizer", "maximum"), ("max", "maximum"),
            ("neither", "saddle"), ("inflection", "saddle")]
_NATURE_RE = re.compile(r"\b(local|global)?\s*(" + "|".join(w for w, _ in _NATURES) + r")\b", re.I)


def _same(a: sympy.Expr, b: sympy.Expr, policy: Policy) -> bool:
    return judge(a, b, policy, diagnose_mistake=False).ok


def _same_vector(a, b, policy: Policy) -> bool:
    return len(a) == len(b) and all(_same(x, y, policy) for x, y in zip(a, b))


def _point(text: str, variables) -> tuple[sympy.Expr, ...]:
    """``(2, -1)``, ``[2, -1]``, ``x = 2, y = -1`` or (one variable) ``2``."""
    t = text.strip()
    if len(variables) == 1 and reading.enclosed(t) is None and "=" not in t:
        return (reading.expression(t),)
    if "=" in t and reading.enclosed(t) is None:
        values = {}
        for part in reading.split_top(t, [","]):
            name, value = reading.split_top(part, ["="])[0], reading.value_side(part)
            values[name.strip()] = reading.expression(value)
        missing = [str(v) for v in variables if str(v) not in values]
        if missing:
            raise reading.ParseError(f"the point names no value for {', '.join(missing)}")
        return tuple(values[str(v)] for v in variables)
    vec, _ = reading.vector(t)
    return tuple(vec)


def _entries(text: str) -> list[tuple[str, str | None]]:
    """(point text, nature or None) for each entry, cut at ';' or new lines."""
    out = []
    for part in reading.split_top(text, [";", "\n"]):
        if not part.strip():
            continue
        m = _NATURE_RE.search(part)
        nature = dict(_NATURES)[m.group(2).lower()] if m else None
        body = part[:m.start()] + part[m.end():] if m else part
        body = re.sub(r"\b(is|at|a|an|point|f\s*=\s*[^,;]*$)\b", " ", body).strip(" :,-")
        if reading.split_top(body, [":"])[1:]:
            body = reading.split_top(body, [":"])[0]
        out.append((body, nature))
    return out


def compare_points(expected: Any, text: str, policy: Policy) -> Verdict:
    if reading.says_none(text):
        return right("none") if not expected.points else wrong("none", f"there are {len(expected.points)} points")
    given = [(_point(p, expected.variables), n) for p, n in _entries(text)]
    shown = "; ".join(f"({', '.join(show(c) for c in p)})" + (f" {n}" if n else "") for p, n in given)
    feedback, score, used = [], 0.0, set()
    for e in expected.points:
        k = next((i for i, (p, _) in enumerate(given) if i not in used and _same_vector(e.point, p, policy)), None)
        name = "(" + ", ".join(show(c) for c in e.point) + ")"
        if k is None:
            feedback.append(f"the point {name} is missing")
            continue
        used.add(k)
        nature = given[k][1]
        if nature is None:
            feedback.append(f"the nature of {name} is not given")
            score += 0.5
        elif nature != e.nature:
            feedback.append(f"{name} is not a {nature}")
            score += 0.5
        else:
            score += 1
    extra = [given[i][0] for i in range(len(given)) if i not in used]
    for p in extra:
        feedback.append(f"({', '.join(show(c) for c in p)}) is not one of the points")
    total = max(len(expected.points), 1) + len(extra)
    return graded(shown, feedback, score / total if expected.points else 0.0)


def _iterates(text: str) -> list[tuple[sympy.Expr, ...]]:
    t = text.strip()
    if reading.is_matrix_text(reading.value_side(t)) and ";" not in t:
        m = reading.matrix(reading.value_side(t))
        return [tuple(m.row(i)) for i in range(m.rows)]
    return [tuple(reading.vector(p)[0]) for p in reading.split_top(t, [";", "\n"]) if p.strip()]


def compare_iterates(expected: Any, text: str, policy: Policy, problem: Any) -> Verdict:
    given = _iterates(text)
    points = list(expected.points)
    if len(given) == len(points) - 1:
        given = [points[0]] + given  # x_0 left out
    shown = "; ".join("(" + ", ".join(show(c) for c in p) + ")" for p in given)
    for k, (e, g) in enumerate(zip(points, given)):
        if not _same_vector(e, g, policy):
            hint = ""
            if problem is not None and k > 0 and _same_vector(points[k - 1], given[k - 1], policy):
                i = problem.inputs
                at = dict(zip(i["vars"], points[k - 1]))
                up = [points[k - 1][j] + i["step"] * sympy.diff(i["function"], v).subs(at)
                      for j, v in enumerate(i["vars"])]
                if i["momentum"] == 0 and _same_vector(up, g, policy):
                    hint = ": a sign error in the update, it is x_{k+1} = x_k - γ ∇f(x_k)^T (downhill)"
            return graded(shown, [f"x_{k} is wrong{hint}"], k / len(points))
    if len(given) < len(points):
        return graded(shown, [f"{len(points) - len(given)} iterate(s) missing"], len(given) / len(points))
    if len(given) > len(points):
        return graded(shown, [f"{len(given) - len(points)} iterate(s) too many"], 0.5)
    return right(shown)


def compare_convexity(expected: Any, text: str, policy: Policy) -> Verdict:
    t = " ".join(text.lower().replace("not convex nor concave", "neither").split()).rstrip(".")
    t = re.sub(r"^(f is|it is|the function is)\s+", "", t)
    if t.startswith("neither"):
        t = "neither"
    if t not in VERDICTS:
        raise reading.ParseError("expected strictly convex, convex, strictly concave, concave or neither")
    if t == expected.value:
        return right(t)
    weaker = {"strictly convex": "convex", "strictly concave": "concave"}
    if weaker.get(expected.value) == t:
        return wrong(t, f"true, but f is even {expected.value}", 0.5)
    return wrong(t, f"f is {expected.value}")


def compare_program(expected: Any, text: str, policy: Policy, problem: Any) -> Verdict:
    dual_name = "dual" if expected.kind == "lp" else "multipliers"
    parts = read_parts(text, ["x", "value", dual_name],
                       aliases={"x^*": "x", "x*": "x", "f": "value", "min": "value", "p^*": "value",
                                "lambda": dual_name, "λ": dual_name, "lambda^*": dual_name,
                                "dual": dual_name, "multipliers": dual_name, "mu": dual_name},
                       separators=(";", "\n", " and "))
    if "x" not in parts:
        raise reading.ParseError("give the optimum x, e.g. x = (1, 2)")
    x = sympy.Matrix(reading.vector(parts["x"][0])[0])
    feedback, score, shown = [], 0.0, [f"x = {show_matrix(x)}"]
    A, b = (problem.inputs["A"], problem.inputs["b"]) if problem is not None else (None, None)
    if len(x) != len(expected.x):
        return wrong(shown[0], f"x has {len(expected.x)} entries")
    if expected.kind == "lp" and A is not None:
        feasible = all(v >= 0 for v in b - A * x)
        value = (problem.inputs["c"].T * x)[0]
        ok = feasible and _same(expected.value, value, policy)
        if not feasible:
            feedback.append("x violates a constraint")
        elif not ok:
            feedback.append(f"x is feasible but not optimal: c^T x = {show(value)}, the optimum is lower")
    else:
        ok = _same_vector(expected.x, tuple(x), policy)
        if not ok:
            feedback.append("x is not the optimum")
    score += 0.6 if ok else 0
    if "value" in parts:
        v = reading.expression(parts["value"][0])
        shown.append(f"value = {show(v)}")
        if _same(expected.value, v, policy):
            score += 0.2
        else:
            feedback.append("the optimal value is wrong")
    else:
        score += 0.2
    if dual_name in parts:
        lam = sympy.Matrix(reading.vector(parts[dual_name][0])[0])
        shown.append(f"{dual_name} = {show_matrix(lam)}")
        if expected.kind == "lp" and A is not None and len(lam) == A.rows:
            good = all(v >= 0 for v in lam) and (A.T * lam + problem.inputs["c"]).is_zero_matrix \
                and _same(-(b.T * lam)[0], expected.value, policy)
        else:
            good = _same_vector(expected.multipliers, tuple(lam), policy)
        if good:
            score += 0.2
        else:
            feedback.append("the dual solution is wrong" if expected.kind == "lp" else "the multipliers are wrong")
    else:
        score += 0.2
    return graded("; ".join(shown), feedback, score if feedback else 1.0)
