"""Multiple choice from named mistakes: each distractor is a derivation done with one mistake.

A distractor is never a random number: it is what a student gets who makes a named mistake
(transposes, forgets to divide by the determinant, takes E[X]^2 for E[X^2], puts the
eigenvalues of A^T A in S, ...), computed here from the problem's own inputs by redoing the
derivation with that mistake.  Options are distinct from the key and from each other (by
exact value); the key records which mistake each distractor stands for, so a report can say
"34% chose the transpose".  A kind without enough mistakes here stays an open question.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable

import sympy

from tutor.core import answers as A
from tutor.exams.generators.forms import answer_text

#: options per question: the key and at most this many distractors less one
MAX_OPTIONS = 4
LABELS = "abcdefgh"

Mistake = Callable[[dict[str, Any], A.Answer], "A.Answer | None"]
MISTAKES: dict[str, tuple[tuple[str, Mistake], ...]] = {}


def mistakes(kind: str, *named: tuple[str, Mistake]) -> None:
    MISTAKES[kind] = named


@dataclass(frozen=True)
class Option:
    label: str
    answer: A.Answer
    mistake: str | None  # None: the key

    @property
    def correct(self) -> bool:
        return self.mistake is None

    def text(self, form: str = "plain") -> str:
        return answer_text(self.answer, form)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "correct": self.correct, "mistake": self.mistake,
                "answer_text": self.text("plain")}


def _numbers(answer: A.Answer) -> tuple[sympy.Expr, ...]:
    """The exact numbers an answer is made of, in order (equal tuples: the same option)."""
    if isinstance(answer, A.ExpressionAnswer):
        return (answer.value,)
    if isinstance(answer, A.MatrixAnswer):
        return (*answer.value.shape, *answer.value)
    if isinstance(answer, A.SVDAnswer):
        return tuple(x for M in (answer.U, answer.S, answer.V) for x in (*M.shape, *M))
    if isinstance(answer, A.MomentsAnswer):
        return (answer.mean, answer.variance)
    if isinstance(answer, A.EigenAnswer):
        return tuple(x for e in answer.eigenvalues
                     for x in (e.value, sympy.Integer(len(e.basis)), *(c for b in e.basis for c in b)))
    if isinstance(answer, A.DiagonalizationAnswer):
        if not answer.diagonalizable:
            return (sympy.Integer(-1),)
        return (*answer.P, *answer.D)
    if isinstance(answer, A.BasisAnswer):
        return (sympy.Integer(len(answer.vectors)), *(e for v in answer.vectors for e in v))
    if isinstance(answer, A.SolutionSetAnswer):
        if answer.particular is None:
            return (sympy.Integer(-1),)  # no solution
        return (sympy.Integer(len(answer.directions)), *answer.particular, *(e for d in answer.directions for e in d))
    raise TypeError(type(answer).__name__)


def _same(a: A.Answer, b: A.Answer) -> bool:
    x, y = _numbers(a), _numbers(b)
    return len(x) == len(y) and all(sympy.simplify(sympy.sympify(p) - sympy.sympify(q)) == 0 for p, q in zip(x, y))


def options(kind: str, inputs: dict[str, Any], key: A.Answer, rng: random.Random) -> tuple[Option, ...] | None:
    """The key and up to MAX_OPTIONS - 1 distractors in a drawn order; None with fewer than two.
    A system with a parameter stays open: the named mistakes of a system are made on one system,
    and an answer with cases has no option form."""
    if isinstance(key, A.CasesAnswer):
        return None
    found: list[tuple[str, A.Answer]] = []
    for name, make in MISTAKES.get(kind, ()):
        try:
            wrong = make(inputs, key)
        except (ZeroDivisionError, ValueError):
            wrong = None  # the mistake cannot be made on this variant (no table, not affine)
        if wrong is None or not all(sympy.sympify(x).is_finite for x in _numbers(wrong)):
            continue  # not made on this variant, or a division by zero (1/0 is no option)
        if _same(wrong, key) or any(_same(wrong, w) for _, w in found):
            continue
        found.append((name, wrong))
    if len(found) < 2:
        return None
    chosen = found[:MAX_OPTIONS - 1]
    entries: list[tuple[str | None, A.Answer]] = [(None, key), *chosen]
    rng.shuffle(entries)
    return tuple(Option(LABELS[k], answer, name) for k, (name, answer) in enumerate(entries))


def question_options(exam: Any, question: Any) -> tuple[Option, ...] | None:
    """The options of one exam question (None: an open question, or too few named mistakes).

    Drawn from their own seed, so that asking for multiple choice changes no variant.
    """
    if not exam.spec.multiple_choice:
        return None
    v = question.variant
    rng = random.Random(f"{exam.spec.seed}:{exam.version}:{question.number}:choices")
    return options(v.kind, v.problem.inputs, v.solution.answer, rng)


# ---------------------------------------------------------------- the mistakes, by kind

def _matrix(inputs: dict[str, Any]) -> sympy.Matrix:
    return sympy.Matrix(inputs["A"])


def _permanent(M: sympy.Matrix) -> sympy.Expr:
    """The Laplace expansion with every sign taken +."""
    if M.rows == 1:
        return M[0, 0]
    return sum(M[0, j] * _permanent(M.minor_submatrix(0, j)) for j in range(M.cols))


mistakes("det",
         ("every sign of the Laplace expansion taken +", lambda i, k: A.ExpressionAnswer(_permanent(_matrix(i)))),
         ("the product of the diagonal, as if the matrix were triangular",
          lambda i, k: A.ExpressionAnswer(sympy.prod(_matrix(i).diagonal()))),
         ("the sign change of a row swap forgotten", lambda i, k: _if_swapped(i, k)))


def _if_swapped(inputs: dict[str, Any], key: A.Answer) -> A.Answer | None:
    """-det: only a mistake a student can make when the elimination must swap rows."""
    M = _matrix(inputs)
    return A.ExpressionAnswer(-key.value) if M[0, 0] == 0 else None


mistakes("inverse",
         ("the cofactors not transposed (the transpose of the inverse)",
          lambda i, k: A.MatrixAnswer(k.value.T)),
         ("the adjugate not divided by the determinant",
          lambda i, k: A.MatrixAnswer(_matrix(i).adjugate())),
         ("the reciprocal of each entry", lambda i, k: A.MatrixAnswer(_matrix(i).applyfunc(lambda e: 1 / e))))


mistakes("svd",
         ("the eigenvalues of A^T A in S instead of the singular values",
          lambda i, k: A.SVDAnswer(k.U, k.S.applyfunc(lambda s: s ** 2), k.V)),
         ("V^T written where V is asked", lambda i, k: A.SVDAnswer(k.U, k.S, k.V.T)),
         ("U and V swapped", lambda i, k: A.SVDAnswer(k.V, k.S.T, k.U) if k.S.is_square else None))


def _table(inputs: dict[str, Any]) -> tuple[tuple[sympy.Expr, ...], tuple[sympy.Expr, ...], sympy.Expr, sympy.Symbol]:
    rv = inputs["rv"]
    if rv.form != "table":
        raise ValueError("a table is needed")
    return rv.values, rv.probs, sympy.sympify(inputs["g"]), rv.var


def _moment(inputs: dict[str, Any], power: int = 1, weighted: bool = True) -> sympy.Expr:
    values, probs, g, x = _table(inputs)
    if not weighted:
        return sympy.Add(*(g.subs(x, v) ** power for v in values)) / len(values)
    return sympy.Add(*(p * g.subs(x, v) ** power for v, p in zip(values, probs)))


def _slope(inputs: dict[str, Any]) -> sympy.Expr:
    g, x = sympy.sympify(inputs["g"]), inputs["rv"].var
    if not g.is_polynomial(x) or sympy.degree(g, x) != 1:
        raise ValueError("not affine")
    return g.coeff(x, 1)


mistakes("expectation",
         ("the values averaged without their probabilities",
          lambda i, k: A.ExpressionAnswer(_moment(i, weighted=False))),
         ("g(E[X]) for E[g(X)]", lambda i, k: A.ExpressionAnswer(
             sympy.sympify(i["g"]).subs(i["rv"].var, _moment({**i, "g": i["rv"].var})))),
         ("the probabilities summed against X instead of g(X)",
          lambda i, k: A.ExpressionAnswer(_moment({**i, "g": i["rv"].var}))))

mistakes("variance",
         ("E[X^2] not reduced by E[X]^2", lambda i, k: A.ExpressionAnswer(_moment(i, 2))),
         ("E[X]^2 taken for E[X^2]", lambda i, k: A.ExpressionAnswer(_moment(i) ** 2 - _moment(i) ** 2)),
         ("the factor a of aX + b not squared", lambda i, k: A.ExpressionAnswer(
             _slope(i) * k.value / _slope(i) ** 2)),
         ("E[X] subtracted instead of E[X]^2", lambda i, k: A.ExpressionAnswer(_moment(i, 2) - _moment(i))))

mistakes("moments",
         ("E[X^2] given as the variance", lambda i, k: A.MomentsAnswer(k.mean, _moment(i, 2))),
         ("E[X]^2 taken for E[X^2]", lambda i, k: A.MomentsAnswer(k.mean, _moment(i) ** 2 - _moment(i) ** 2)),
         ("the values averaged without their probabilities",
          lambda i, k: A.MomentsAnswer(_moment(i, weighted=False),
                                       _moment(i, 2, weighted=False) - _moment(i, weighted=False) ** 2)))


def _differentiate(e: sympy.Expr, x: sympy.Symbol, *, chain: bool = True, product: bool = True,
                   trig_sign: bool = True, power_lowered: bool = True) -> sympy.Expr:
    """d/dx by the rules a student applies, one of which may be broken: the inner derivative
    of the chain rule left out, (uv)' taken as u'v', the sign of (sin u)' and (cos u)'
    swapped, or (u^n)' taken as n u^n."""
    def d(e: sympy.Expr) -> sympy.Expr:
        if not e.has(x):
            return sympy.S.Zero
        if e == x:
            return sympy.S.One
        if e.is_Add:
            return sympy.Add(*(d(a) for a in e.args))
        if e.is_Mul:
            c, rest = e.as_independent(x, as_Add=False)
            factors = sympy.Mul.make_args(rest)
            if len(factors) == 1:
                return c * d(factors[0])
            if not product:
                return c * sympy.Mul(*(d(f) for f in factors))
            return c * sympy.Add(*(d(f) * sympy.Mul(*(g for j, g in enumerate(factors) if j != i))
                                   for i, f in enumerate(factors)))
        if e.is_Pow:
            base, power = e.as_base_exp()
            if power.has(x):
                if base.has(x):
                    raise ValueError("a variable exponent of a variable base")
                return e * sympy.log(base) * (d(power) if chain else 1)
            return power * base ** (power - 1 if power_lowered else power) * (d(base) if chain else 1)
        if isinstance(e, sympy.Function) and len(e.args) == 1:
            u = e.args[0]
            t = sympy.Dummy("t")
            outer = sympy.diff(e.func(t), t).subs(t, u)
            if e.func in (sympy.sin, sympy.cos) and not trig_sign:
                outer = -outer
            return outer * (d(u) if chain else 1)
        raise ValueError(f"no rule for {e.func}")
    return d(e)


def _derivative(inputs: dict[str, Any], **broken: bool) -> A.Answer:
    if str(inputs.get("order", "1")) != "1":
        raise ValueError("first derivatives only")
    x, f = inputs["wrt"], inputs["function"]  # the problem's parsed symbol (with its assumptions) and function
    return A.ExpressionAnswer(sympy.simplify(_differentiate(f, x, **broken)))


mistakes("derivative",
         ("the inner derivative of the chain rule forgotten", lambda i, k: _derivative(i, chain=False)),
         ("the product rule taken as (uv)' = u'v'", lambda i, k: _derivative(i, product=False)),
         ("the sign of a trigonometric derivative wrong (sin' = -cos, cos' = sin)",
          lambda i, k: _derivative(i, trig_sign=False)),
         ("the exponent not lowered in the power rule ((u^n)' = n u^n)",
          lambda i, k: _derivative(i, power_lowered=False)))


def _solution_set(M: sympy.Matrix, b: sympy.Matrix, variables: tuple[sympy.Symbol, ...]) -> A.SolutionSetAnswer:
    """The solution set in the form the solver gives: free variables 0, Minus-1 directions."""
    R, pivots = M.row_join(b).rref()
    n = M.cols
    if n in pivots:
        return A.SolutionSetAnswer(variables, None)
    particular = sympy.zeros(n, 1)
    for row, p in enumerate(pivots):
        particular[p] = R[row, n]
    directions = []
    for f in (j for j in range(n) if j not in pivots):
        d = sympy.zeros(n, 1)
        d[f] = -1
        for row, p in enumerate(pivots):
            d[p] = R[row, f]
        directions.append(d)
    return A.SolutionSetAnswer(variables, particular, tuple(directions))


def _sign_error_in_first_step(inputs: dict[str, Any]) -> A.Answer | None:
    """The first elimination step R_i <- R_i - m R_p done right on A's columns but as
    b_i + m b_p on the right-hand side, then solved right.  (Adding m R_p to the whole row
    would be a valid row operation: the slip must touch only part of the row.)"""
    M, b = sympy.Matrix(inputs["A"]), sympy.Matrix(inputs["b"])
    rows = M.row_join(b)
    for c in range(M.cols):
        pivot = next((r for r in range(rows.rows) if rows[r, c] != 0), None)
        if pivot is None:
            continue
        target = next((r for r in range(pivot + 1, rows.rows) if rows[r, c] != 0), None)
        if target is None:
            return None  # no elimination below the first pivot: nothing to get wrong there
        factor = rows[target, c] / rows[pivot, c]
        right_hand = rows[target, M.cols] + factor * rows[pivot, M.cols]
        rows[target, :] = rows[target, :] - factor * rows[pivot, :]
        rows[target, M.cols] = right_hand
        return _solution_set(rows[:, :M.cols], rows[:, M.cols], tuple(inputs["variables"]))
    return None


def _swapped_sides(inputs: dict[str, Any]) -> A.Answer:
    """b's entries read in reverse order (the right-hand sides attached to the wrong rows)."""
    b = sympy.Matrix(inputs["b"])
    return _solution_set(sympy.Matrix(inputs["A"]), sympy.Matrix(b[::-1]), tuple(inputs["variables"]))


mistakes("system",
         ("a sign error on the right-hand side in the first elimination step (b_i + m b_p for b_i - m b_p)",
          lambda i, k: _sign_error_in_first_step(i)),
         ("the right-hand side ignored (the kernel taken for the solution set)",
          lambda i, k: _solution_set(sympy.Matrix(i["A"]), sympy.zeros(sympy.Matrix(i["A"]).rows, 1),
                                     tuple(i["variables"]))),
         ("the right-hand sides attached to the rows in reverse order", lambda i, k: _swapped_sides(i)))


def _kernel_plus_one(inputs: dict[str, Any]) -> A.Answer:
    """The Minus-1 trick done with +1: the free variable set to 1 but the pivot entries of the
    reduced row echelon form copied without their sign change."""
    M = sympy.Matrix(inputs["A"])
    R, pivots = M.rref()
    vectors = []
    for f in (j for j in range(M.cols) if j not in pivots):
        v = sympy.zeros(M.cols, 1)
        v[f] = 1
        for row, p in enumerate(pivots):
            v[p] = R[row, f]
        vectors.append(v)
    return A.BasisAnswer(tuple(vectors))


def _pivot_columns(inputs: dict[str, Any], of_echelon_form: bool) -> A.Answer:
    M = sympy.Matrix(inputs["A"])
    R, pivots = M.rref()
    source = R if of_echelon_form else M
    return A.BasisAnswer(tuple(source[:, p] for p in pivots))


mistakes("kernel",
         ("the Minus-1 trick done with +1 (the signs of the pivot entries not changed)",
          lambda i, k: _kernel_plus_one(i)),
         ("the pivot columns of A (a basis of the image, not the kernel)",
          lambda i, k: _pivot_columns(i, of_echelon_form=False)))

mistakes("image",
         ("the pivot columns of the reduced row echelon form instead of those of A",
          lambda i, k: _pivot_columns(i, of_echelon_form=True)),
         ("the nonzero rows of the reduced row echelon form (a basis of the row space)",
          lambda i, k: A.BasisAnswer(tuple(sympy.Matrix(i["A"]).rref()[0][r, :].T
                                           for r in range(len(sympy.Matrix(i["A"]).rref()[1]))))))


def _scaled(v: sympy.Matrix) -> sympy.Matrix:
    """The key's eigenvector form: integer entries, no common factor, positive first nonzero entry."""
    denominators = sympy.ilcm(*(sympy.fraction(sympy.nsimplify(e))[1] for e in v))
    w = v * denominators
    common = sympy.igcd(*(int(e) for e in w if e != 0))
    w = w / common
    return -w if next(e for e in w if e != 0) < 0 else w


def _transpose_eigenvectors(inputs: dict[str, Any], key: A.EigenAnswer) -> A.Answer | None:
    """The eigenvectors of A^T (rows and columns confused), with the right eigenvalues."""
    M = sympy.Matrix(inputs["A"])
    if any(not e.value.is_rational for e in key.eigenvalues):
        return None  # integer scaling needs rational eigenvectors
    values = []
    for e in key.eigenvalues:
        basis = tuple(_scaled(v) for v in (M.T - e.value * sympy.eye(M.rows)).nullspace())
        values.append(A.Eigenvalue(e.value, e.algebraic_multiplicity, len(basis), basis))
    return A.EigenAnswer(tuple(values))


def _rotated_eigenvectors(key: A.EigenAnswer) -> A.Answer | None:
    """Each eigenspace's basis written beside the next eigenvalue (eigenvectors swapped)."""
    spaces = key.eigenvalues
    if len(spaces) < 2:
        return None
    return A.EigenAnswer(tuple(A.Eigenvalue(e.value, e.algebraic_multiplicity, nxt.geometric_multiplicity, nxt.basis)
                               for e, nxt in zip(spaces, spaces[1:] + spaces[:1])))


mistakes("eigen",
         ("the eigenvectors of A^T instead of A (rows and columns confused)",
          lambda i, k: _transpose_eigenvectors(i, k)),
         ("the eigenvectors swapped between the eigenvalues", lambda i, k: _rotated_eigenvectors(k)))


def _diagonal_mistake(key: A.DiagonalizationAnswer, which: str) -> A.Answer | None:
    if not key.diagonalizable:
        return None
    if which == "inverse":
        return A.DiagonalizationAnswer(True, key.P.inv(), key.D)
    if which == "reversed":  # P's columns in the opposite order to D's eigenvalues
        return A.DiagonalizationAnswer(True, key.P[:, ::-1], key.D)
    return A.DiagonalizationAnswer(True, key.P.T, key.D)


mistakes("diagonalize",
         ("P^-1 given for P (A = P^-1 D P read the wrong way)", lambda i, k: _diagonal_mistake(k, "inverse")),
         ("P's columns not in the order of D's eigenvalues", lambda i, k: _diagonal_mistake(k, "reversed")),
         ("the eigenvectors written as the rows of P", lambda i, k: _diagonal_mistake(k, "transpose")))


__all__ = ["Option", "options", "question_options", "MISTAKES", "MAX_OPTIONS"]
