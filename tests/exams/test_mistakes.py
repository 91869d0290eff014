"""The catalogue of named mistakes (tutor/exams/mistakes/), kind by kind over seeds and
difficulties: every distractor differs from the key and from the other options, the checker
marks the key right and every distractor wrong, and each distractor equals the mistake
recomputed without tutor (tests/exams/mistake_oracles.py)."""
from __future__ import annotations

import dataclasses
import itertools
import random
from types import SimpleNamespace

import numpy as np
import pytest
import sympy

from tests.exams.mistake_oracles import BROKEN_RULES, ORACLES, Later
from tutor.calculus.matrix_expressions import explicit
from tutor import topics
from tutor.checking import grading
from tutor.checking.check import check_solution
from tutor.exams import choices, generators
from tutor.exams.mistakes.calculus import BROKEN, differentiate

SEEDS = range(4)
DIFFICULTIES = (1, 2, 3)
#: the kinds first covered (test_choices.py recomputes them), then the rest
FIRST = {"det", "derivative", "diagonalize", "eigen", "expectation", "image", "inverse", "kernel", "moments",
         "svd", "system", "variance"}


def _flat(value):
    """An answer as a flat list of numbers and words, independently of tutor's own comparison."""
    if dataclasses.is_dataclass(value):
        return [x for f in dataclasses.fields(value) if f.name != "variables" for x in _flat(getattr(value, f.name))]
    if isinstance(value, np.ndarray):
        value = sympy.Matrix(np.atleast_2d(value) if value.ndim == 2 else value.reshape(-1, 1))
    if isinstance(value, sympy.MatrixBase):
        return [value.shape, *value]
    if isinstance(value, (tuple, list)):
        return [len(value), *(x for v in value for x in _flat(v))]
    if isinstance(value, dict):
        return [x for name in sorted(value, key=str) for x in (name, *_flat(value[name]))]
    return [value]


def _close(a, b) -> bool:
    """Equal answers: equal words and shapes, numbers equal to 1e-9 at a few points of their symbols."""
    x, y = _flat(a), _flat(b)
    if len(x) != len(y):
        return False
    for p, q in zip(x, y):
        words = (str, tuple, bool, type(None), sympy.Symbol, sympy.Set)  # a domain is compared as it is
        if isinstance(p, words) or isinstance(q, words):
            if p != q:
                return False
            continue
        if isinstance(p, sympy.MatrixExpr) or isinstance(q, sympy.MatrixExpr):
            if not _matrix_close(p, q):
                return False
            continue
        p, q = sympy.sympify(p), sympy.sympify(q)
        d = p - q
        symbols = sorted(p.free_symbols | q.free_symbols, key=str)
        for point in ((0.37,) * len(symbols), tuple(0.5 + 0.1 * j for j in range(len(symbols)))):
            if abs(complex(sympy.N(d.subs(dict(zip(symbols, point)))))) > 1e-9 * (1 + abs(complex(sympy.N(p.subs(
                    dict(zip(symbols, point)))) if isinstance(p, sympy.Basic) else p))):
                return False
    return True


def _matrix_close(p, q) -> bool:
    """Expressions in matrix symbols: equal shapes and equal explicit matrices at two draws of
    integer entries (n = 3, m = 2; the vector x left as symbols)."""
    if not (isinstance(p, sympy.MatrixExpr) and isinstance(q, sympy.MatrixExpr)):
        return False
    names = {s for e in (p, q) for s in e.atoms(sympy.MatrixSymbol)}
    sizes = {d: 2 if d.name == "m" else 3 for s in names for d in sympy.sympify(s.shape).free_symbols}
    if [sympy.sympify(d).subs(sizes) for d in p.shape] != [sympy.sympify(d).subs(sizes) for d in q.shape]:
        return False
    for draw in range(2):
        rng = np.random.default_rng(draw)
        values = {s.name: sympy.Matrix(sympy.symbols(f"{s.name}1:4")) if s.name == "x" else sympy.Matrix(
            rng.integers(-5, 6, tuple(int(sympy.sympify(d).subs(sizes)) for d in s.shape))) for s in names}
        if (explicit(p, values, sizes) - explicit(q, values, sizes)).applyfunc(sympy.expand) != sympy.zeros(
                *explicit(p, values, sizes).shape):
            return False
    return True


def _variants(kind):
    for seed, difficulty in itertools.product(SEEDS, DIFFICULTIES):
        v = generators.draw(kind, random.Random(seed), difficulty)
        yield v, choices.options(kind, v.problem.inputs, v.solution.answer, random.Random(seed))


def _oracle(kind, mistake, inputs, key):
    table = ORACLES[kind](inputs, key)
    found = next((f for start, f in table.items() if mistake.startswith(start)), None)
    return found() if isinstance(found, Later) else found


@pytest.mark.parametrize("kind", sorted(set(choices.MISTAKES) - FIRST))
def test_each_distractor_is_its_mistake_recomputed(kind):
    _recomputed(kind, _variants(kind))


@pytest.mark.parametrize("kind", ["expectation", "variance", "moments"])
def test_the_density_variants_distractors_are_their_mistakes_recomputed(kind):
    """test_choices.py recomputes these kinds' table variants; here the drawn densities, and
    named laws with a pmf or an unbounded support (sums and integrals to infinity)."""
    drawn = [generators.draw(kind, random.Random(seed), 3) for seed in range(12)]
    named = [SimpleNamespace(problem=p, solution=topics.solve(p)) for p in (
        topics.get(kind).make({"distribution": law}) for law in ("Poisson(3)", "Geometric(1/3)", "Exponential(2)"))]
    _recomputed(kind, ((v, choices.options(kind, v.problem.inputs, v.solution.answer, random.Random(0)))
                       for v in drawn + named if v.problem.inputs["rv"].form != "table"))


def _recomputed(kind, variants):
    made = 0
    for v, opts in variants:
        if opts is None:
            continue
        made += 1
        inputs, key = v.problem.inputs, v.solution.answer
        for o in opts:
            if o.correct:
                assert _close(o.answer, key)
                continue
            if kind in BROKEN_RULES and o.mistake in BROKEN.values():
                rule = {r: False for r, name in BROKEN.items() if name == o.mistake}
                assert _consistent_with_broken_rule(kind, inputs, o.answer, rule), (kind, o.mistake)
                continue
            expected = _oracle(kind, o.mistake, inputs, key)
            if kind == "low_rank" and expected is None:
                continue  # a repeated singular value: the oracle's u_i, v_i are another choice
            assert expected is not None, (kind, o.mistake)
            if callable(expected):
                assert expected(o.answer), (kind, o.mistake, o.text())
            else:
                assert _close(o.answer, expected), (kind, o.mistake, o.text(), expected)
    assert made >= 3, kind  # most variants of a kind in the catalogue offer two mistakes


def _consistent_with_broken_rule(kind, inputs, answer, rule):
    """The option's entries are the derivatives by the rules with ``rule`` broken (each broken
    rule is worked by hand in test_choices.py)."""
    if kind == "partial":
        f = inputs["function"]
        for x in inputs["wrt"]:
            f = differentiate(f, x, **rule)
        return _close(answer.value, f)
    if kind == "jacobian":
        J = sympy.Matrix([[differentiate(f, x, **rule) for x in inputs["vars"]] for f in inputs["functions"]])
        return _close(answer.value, J)
    f, xs, at = inputs["function"], inputs["vars"], inputs["at"] or {}
    if kind in ("gradient", "autodiff"):
        M = sympy.Matrix([[differentiate(f, x, **rule) for x in xs]])
    else:
        M = sympy.Matrix(len(xs), len(xs), lambda r, c: differentiate(differentiate(f, xs[r], **rule), xs[c], **rule))
    return _close(answer.value, M.subs(at))


@pytest.mark.parametrize("kind", sorted(choices.MISTAKES))
def test_options_are_distinct_and_only_the_key_passes_the_checker(kind):
    for v, opts in _variants(kind):
        for o in opts or ():
            verdict = check_solution(v.solution, o.text("plain"))
            if verdict.status == "unchecked":  # the sandbox's time limit, on a loaded machine: the same comparer
                verdict = grading.compare(v.solution.answer, o.text("plain"), v.solution.problem)
            assert verdict.correct == o.correct and verdict.status in ("correct", "incorrect"), \
                (kind, o.mistake, o.text(), verdict)
        for x, y in itertools.combinations(opts or (), 2):
            assert not _close(x.answer, y.answer), (kind, x, y)


def test_a_kind_with_fewer_than_two_mistakes_stays_open():
    assert "independence" not in choices.MISTAKES  # yes or no: one wrong answer, no choice
    v = generators.draw("norm", random.Random(0), 1)
    assert choices.options("independence", v.problem.inputs, v.solution.answer, random.Random(0)) is None


def test_same_compares_expressions_in_matrix_symbols_by_their_values():
    """xᵀ(A + Aᵀ) = xᵀA + xᵀAᵀ exactly; 2xᵀA (A taken symmetric) and the column (A + Aᵀ)x are not."""
    n = sympy.Symbol("n", integer=True, positive=True)
    x, A = sympy.MatrixSymbol("x", n, 1), sympy.MatrixSymbol("A", n, n)
    key = choices.A.ExpressionAnswer(x.T * (A + A.T))
    assert choices.same(key, choices.A.ExpressionAnswer(x.T * A + x.T * A.T))
    assert not choices.same(key, choices.A.ExpressionAnswer(2 * x.T * A))
    assert not choices.same(key, choices.A.ExpressionAnswer((A + A.T) * x))
