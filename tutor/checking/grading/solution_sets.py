"""Solution sets of linear systems, checked like WeBWorK's parametric-plane checker.

Any particular solution and any parametrization of the same affine set is right:
the point solves the system (else: the first equation it fails, by number), each
direction lies in the kernel of A, the directions are independent and as many as
the kernel's dimension.  "No solution" and unique-solution claims are checked.

Forms read: ``x = 23/10, y = 21/10``; ``(23/10, 21/10)``; ``(x, y) = (1/2, 1) + t(-2, 1)``;
``x = 1/2 - 2y`` (a missing variable is free); pmatrix vectors;
``\\{(1/2 - 2t, t) : t \\in R\\}``; "no solution".
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.expressions import show
from tutor.checking.grading.matrices import show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.spans import rank
from tutor.checking.grading.verdict import Verdict, graded, right, wrong


def _has_vector(text: str) -> bool:
    return "\\begin{" in text or any(
        (box := reading.enclosed(part.strip().lstrip("+-").strip())) is not None and
        len(reading.split_top(box[1], [","])) > 1
        for part in reading.split_top(text, ["+", "-"]))


def _vector_terms(text: str) -> sympy.Matrix:
    """``a + t(1, 2) - s\\begin{pmatrix}..\\end{pmatrix}`` -> one column of expressions."""
    total: sympy.Matrix | None = None
    pieces = _signed_terms(text)
    for sign, term in pieces:
        coefficient, vector_text = _split_coefficient(term)
        vec = reading.vector(vector_text)[0]
        c = sympy.Integer(1) if coefficient in ("", "+") else reading.expression(coefficient)
        part = sign * c * vec
        if total is not None and total.shape != part.shape:
            raise reading.ParseError("the vectors of the answer have different lengths")
        total = part if total is None else total + part
    if total is None:
        raise reading.ParseError("a vector was expected")
    return total


def _signed_terms(text: str) -> list[tuple[int, str]]:
    """Top-level ``+``/``-`` cut a sum of vector terms (a leading ``-`` flips the first)."""
    out, depth, start, sign, env = [], 0, 0, 1, 0
    i = 0
    while i < len(text):
        if text.startswith("\\begin{", i):
            env += 1
        elif text.startswith("\\end{", i):
            env -= 1
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch in "+-" and depth == 0 and env == 0:
            piece = text[start:i].strip()
            if piece:
                out.append((sign, piece))
            sign, start = (1 if ch == "+" else -1), i + 1
        i += 1
    out.append((sign, text[start:].strip()))
    return [(s, p) for s, p in out if p]


def _split_coefficient(term: str) -> tuple[str, str]:
    """``t(1, 2)`` -> (``t``, ``(1, 2)``); ``2\\begin{pmatrix}..`` -> (``2``, the matrix)."""
    t = term.strip()
    for mark in ("^{T}", "^T", "^{\\top}", "^\\top"):
        if t.endswith(mark):
            coefficient, vec = _split_coefficient(t[: -len(mark)])
            return coefficient, vec + mark
    k = t.find("\\begin{")
    if k < 0:
        depth = 0
        for k in range(len(t) - 1, -1, -1):
            depth += t[k] in ")]}"
            depth -= t[k] in "([{"
            if depth == 0:
                break
    coefficient = t[:k].strip()
    for op in ("\\cdot", "*"):
        if coefficient.endswith(op):
            coefficient = coefficient[: -len(op)].strip()
    return coefficient, t[k:]


def read_solution(text: str, variables: Sequence[sympy.Symbol]) -> sympy.Matrix | None:
    """The student's general solution as one column in the variables' order (entries
    affine in the parameters); None when the student says there is no solution."""
    text = text.strip()
    if reading.says_none(text):
        return None
    box = reading.enclosed(text)
    if box is not None and box[0] == "{" and len(reading.split_top(box[1], [":", "|", "\\mid"])) == 2:
        text = reading.split_top(box[1], [":", "|", "\\mid"])[0]
    sides = reading.split_top(text, ["="])
    names = {v.name: v for v in map(numeric.plain, variables)}
    if len(sides) == 2 and _has_vector(sides[1]):
        vec = _vector_terms(sides[1])
    elif len(sides) == 1:
        vec = _vector_terms(text)
    else:
        values: dict[str, sympy.Expr] = {}
        for piece in reading.split_top(text, [",", ";", " and ", "\\\\"]):
            lhs_rhs = reading.split_top(piece, ["="])
            if len(lhs_rhs) != 2:
                raise reading.ParseError(f"expected assignments such as x = 1, not {piece!r}")
            lhs = numeric.plain(reading.expression(lhs_rhs[0]))
            if not isinstance(lhs, sympy.Symbol) or lhs.name not in names:
                raise reading.ParseError(f"{lhs_rhs[0]!r} is not one of the unknowns "
                                         f"{', '.join(names)}")
            values[lhs.name] = reading.expression(lhs_rhs[1])
        vec = sympy.Matrix([values.get(n, names[n]) for n in names])
    if vec.rows != len(variables):
        raise reading.ParseError(f"{len(variables)} unknowns ({', '.join(names)}), "
                                 f"the answer has {vec.rows} entries")
    return vec.applyfunc(lambda e: numeric.exact_decimals(numeric.plain(e))[0])


def affine_parts(vec: sympy.Matrix) -> tuple[sympy.Matrix, list[sympy.Matrix], list[sympy.Symbol]]:
    """Point (parameters 0), directions (one per parameter) and the parameters."""
    params = sorted(set().union(*(e.free_symbols for e in vec)), key=str)
    for entry in vec:
        e = sympy.expand(entry)
        if params and not (e.is_polynomial(*params) and sympy.Poly(e, *params).total_degree() <= 1):
            raise reading.ParseError("the entries must be linear in the parameters, "
                                     f"not {show(entry)}")
    point = vec.subs({p: 0 for p in params})
    return point, [vec.diff(p) for p in params], params


def _system(problem: Any, expected: Any) -> tuple[sympy.Matrix, sympy.Matrix, list[str]]:
    """A, b and the equations' text: from the problem, or rebuilt from the expected set."""
    inputs = getattr(problem, "inputs", {}) or {}
    if "A" in inputs and "b" in inputs:
        A, b = sympy.Matrix(inputs["A"]), sympy.Matrix(inputs["b"])
        eqs = [f"{show(e.lhs)} = {show(e.rhs)}" for e in inputs.get("equations") or []]
        return A, b, eqs if len(eqs) == A.rows else []
    n = len(expected.variables)
    dirs = [sympy.Matrix(d) for d in expected.directions]
    normals = sympy.Matrix.hstack(*dirs).T.nullspace() if dirs else [sympy.eye(n)[:, j] for j in range(n)]
    A = sympy.Matrix.hstack(*normals).T if normals else sympy.zeros(0, n)
    return A, A * sympy.Matrix(expected.particular), []


def compare_solution_set(expected: Any, text: str, policy: Policy, problem: Any = None) -> Verdict:
    """``expected`` is a :class:`tutor.answers.SolutionSetAnswer`."""
    return judge_solution(expected, read_solution(text, [numeric.plain(v) for v in expected.variables]),
                          problem)


def judge_solution(expected: Any, vec: sympy.Matrix | None, problem: Any = None) -> Verdict:
    """The verdict on a solution read by :func:`read_solution` (None: "no solution"); the
    system is the problem's, else rebuilt from ``expected``."""
    variables = [numeric.plain(v) for v in expected.variables]
    if vec is None:
        if expected.particular is None:
            return right("no solution")
        return wrong("no solution", "the system has solutions")
    point, directions, params = affine_parts(vec)
    parsed = show_matrix(point) + "".join(f" + {p}*{show_matrix(d)}" for p, d in zip(params, directions))
    if expected.particular is None:
        return wrong(parsed, "the system has no solution")
    A, b, equations = _system(problem, expected)
    feedback: list[str] = []
    score = 0.0
    residual = A * point - b
    failing = [i for i in range(A.rows) if not numeric.equal(residual[i], 0)]
    if failing:
        k = failing[0]
        where = f"equation {k + 1}" + (f" ({equations[k]})" if equations else "")
        feedback.append(f"{_assignment(variables, point)} fails {where}")
    else:
        score += 0.5
    kernel_dim = len(variables) - A.rank(simplify=True)
    good = [d for d in directions if all(numeric.equal(e, 0) for e in A * d)]
    for d in directions:
        if d not in good:
            feedback.append(f"direction {show_matrix(d)} is not in the kernel: A·d ≠ 0")
    if len(good) == len(directions) and rank(directions) < len(directions):
        feedback.append("the directions are linearly dependent")
    elif not feedback and len(directions) != kernel_dim:
        feedback.append("the solution is unique" if kernel_dim == 0 else
                        f"the solutions form a {kernel_dim}-dimensional set: {kernel_dim} independent "
                        f"direction{'s' if kernel_dim > 1 else ''} expected, the answer has {len(directions)}")
    if kernel_dim:
        score += 0.5 * min(rank(good), kernel_dim) / max(kernel_dim, len(directions))
    elif not failing:
        score += 0.5 * (not directions)  # a unique solution: no credit for a wrong point
    return graded(parsed, feedback, score)


def _assignment(variables: list[Any], point: sympy.MatrixBase) -> str:
    """``x = 3`` or ``(x, y) = (2, 3)``: the point as the student would write it."""
    if len(variables) == 1:
        return f"{variables[0]} = {show_matrix(point)[1:-1]}"
    return f"({', '.join(map(str, variables))}) = {show_matrix(point)}"
