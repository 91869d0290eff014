"""Multiple choice from named mistakes: each distractor is a derivation done with one mistake.

A distractor is never a random number: it is what a student gets who makes a named mistake
(transposes, forgets to divide by the determinant, takes E[X]^2 for E[X^2], puts the
eigenvalues of A^T A in S, ...), computed from the problem's own inputs by redoing the
derivation with that mistake (the catalogue: :mod:`tutor.exams.mistakes`, one module per
chapter).  Options are distinct from the key and from each other (by exact value); the key
records which mistake each distractor stands for, so a report can say "34% chose the
transpose".  A kind or variant with fewer than two mistakes to offer stays an open question.
"""
from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from typing import Any, Iterator

import sympy
from sympy.matrices.exceptions import ShapeError

from tutor.calculus.matrix_derivatives import instance
from tutor.calculus.matrix_expressions import explicit
from tutor.checking import grading
from tutor.core import answers as A
from tutor.core.errors import TutorError
from tutor.core.steps import Problem
from tutor.exams.generators.forms import answer_text
from tutor.exams.mistakes import MISTAKES

#: options per question: the key and at most this many distractors less one
MAX_OPTIONS = 4
LABELS = "abcdefgh"


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


def _parts(value: Any) -> Iterator[sympy.Basic]:
    """The exact values an answer is made of, in order, with the shapes and lengths that tell
    two answers apart (equal sequences: the same option).  Words (a nature, a posterior's law)
    become symbols of that name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _parts(getattr(value, f.name))
    elif isinstance(value, sympy.MatrixBase):
        yield from (sympy.Integer(value.rows), sympy.Integer(value.cols), *value)
    elif isinstance(value, (tuple, list)):
        yield sympy.Integer(len(value))
        for v in value:
            yield from _parts(v)
    elif isinstance(value, dict):
        yield sympy.Integer(len(value))
        for k in sorted(value, key=str):
            yield sympy.Symbol(f"key:{k}")
            yield from _parts(value[k])
    elif isinstance(value, str):
        yield sympy.Symbol(f"word:{value}")
    elif isinstance(value, bool) or value is None:
        yield sympy.Symbol(f"word:{value}")
    elif isinstance(value, (sympy.Basic, int)):
        yield sympy.sympify(value, strict=True)
    else:
        raise TypeError(type(value).__name__)


def _finite(answer: A.Answer) -> bool:
    """Every value finite and real; a set (a conjugate's domain (0, ∞)) may be unbounded."""
    return not any(p.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or (p.is_number and p.is_real is False)
                   for p in _parts(answer) if not isinstance(p, sympy.Set))


def _equal(p: sympy.Basic, q: sympy.Basic) -> bool:
    """Exactly equal: structurally, by expansion, else by simplify once the values at a few
    rational points agree (the values tell most different expressions apart in microseconds;
    simplify of a long trigonometric difference takes minutes)."""
    if p == q:
        return True
    if isinstance(p, sympy.MatrixExpr) or isinstance(q, sympy.MatrixExpr):
        return _equal_matrices(p, q)
    d = sympy.expand(p - q)
    if d == 0:
        return True
    symbols = sorted(d.free_symbols, key=str)
    points = ((sympy.Rational(3, 7),) * len(symbols), tuple(sympy.Rational(5 + k, 11) for k in range(len(symbols))))
    for point in points:
        value = sympy.N(d.subs(dict(zip(symbols, point))), 30)
        if value.is_number and abs(value) > 1e-20:
            return False
    return sympy.simplify(d) == 0


#: random integer matrices each matrix expression is evaluated at: a symmetric 2 x 2 draw (which
#: makes A and Aᵀ agree) has probability 1/11, so MATRIX_DRAWS of them all symmetric is < 1e-6
MATRIX_DRAWS = 6


def _equal_matrices(p: sympy.Basic, q: sympy.Basic) -> bool:
    """Two expressions in matrix symbols (xᵀ(A + Aᵀ), 2(Ax − b)ᵀA) are equal: the same shape and
    the same explicit matrix, exactly, at MATRIX_DRAWS random sizes and integer entries."""
    if not (isinstance(p, sympy.MatrixExpr) and isinstance(q, sympy.MatrixExpr)) or \
            any(sympy.simplify(a - b) != 0 for a, b in zip(p.shape, q.shape)):
        return False
    unused = sympy.MatrixSymbol("unused", 1, 1)
    for draw in range(MATRIX_DRAWS):
        values, sizes, _ = instance(random.Random(draw), (p, q), unused)
        try:
            d = explicit(p, values, sizes) - explicit(q, values, sizes)
        except ShapeError:
            return False
        if any(sympy.cancel(e) != 0 for e in d):
            return False
    return True


def same(a: A.Answer, b: A.Answer) -> bool:
    """Equal exact values, part by part (not the checker's equivalence: that every distractor is
    also wrong to the checker is tested)."""
    x, y = list(_parts(a)), list(_parts(b))
    return type(a) is type(b) and len(x) == len(y) and all(_equal(p, q) for p, q in zip(x, y))


def _accepted(kind: str, inputs: dict[str, Any], key: A.Answer, wrong: A.Answer) -> bool:
    """The checker takes the mistake's result for right: another valid answer, not a mistake
    (U and V swapped in the SVD of a symmetric matrix; P^-1 whose columns are eigenvectors too).
    Run here, not in a sandbox: the text is the tutor's own."""
    return grading.compare(key, answer_text(wrong, "plain"), Problem(kind, inputs)).correct


def distractors(kind: str, inputs: dict[str, Any], key: A.Answer) -> list[tuple[str, A.Answer]]:
    """Every named mistake of the kind that can be made on this problem, with its result: in the
    catalogue's order, each distinct from the key and from the ones before it, and wrong to the
    checker."""
    found: list[tuple[str, A.Answer]] = []
    for name, make in MISTAKES.get(kind, ()):
        try:
            wrong = make(inputs, key)
        except (ZeroDivisionError, ValueError, TutorError):
            wrong = None  # the mistake cannot be made on this variant (no table, singular, not affine)
        if wrong is None or not _finite(wrong):
            continue  # not made on this variant, or a division by zero (1/0 is no option)
        if same(wrong, key) or any(same(wrong, w) for _, w in found) or _accepted(kind, inputs, key, wrong):
            continue
        found.append((name, wrong))
    return found


def options(kind: str, inputs: dict[str, Any], key: A.Answer, rng: random.Random) -> tuple[Option, ...] | None:
    """The key and up to MAX_OPTIONS - 1 distractors in a drawn order; None with fewer than two.
    A system with a parameter stays open: the named mistakes of a system are made on one system,
    and an answer with cases has no option form."""
    if isinstance(key, A.CasesAnswer):
        return None
    found = distractors(kind, inputs, key)
    if len(found) < 2:
        return None
    entries: list[tuple[str | None, A.Answer]] = [(None, key), *found[:MAX_OPTIONS - 1]]
    rng.shuffle(entries)
    return tuple(Option(LABELS[k], answer, name) for k, (name, answer) in enumerate(entries))


def question_options(exam: Any, question: Any) -> tuple[Option, ...] | None:
    """The options of one exam question (None: an open question, or too few named mistakes).

    Drawn from their own seed, so that asking for multiple choice changes no variant.
    """
    if not exam.spec.multiple_choice:
        return None
    v = question.variant
    seed = f"{exam.spec.seed}:{exam.version}:{question.number}:choices"
    cached = (seed, v.signature)
    if cached not in _DRAWN:
        if len(_DRAWN) >= MAX_CACHED:
            _DRAWN.clear()
        _DRAWN[cached] = options(v.kind, v.problem.inputs, v.solution.answer, random.Random(seed))
    return _DRAWN[cached]


#: the options of the questions drawn lately, by their seed and variant: the exam, its
#: solutions, its key and the Moodle XML ask for the same question's options (each time the
#: distractors were derived and checked again: 8 s of a 20-question exam)
_DRAWN: dict[tuple[str, str], tuple[Option, ...] | None] = {}
MAX_CACHED = 1000


__all__ = ["Option", "options", "question_options", "distractors", "same", "MISTAKES", "MAX_OPTIONS"]
