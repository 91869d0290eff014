"""Mutation testing of the grader: it cannot be fooled by the mistakes students make.

For every kind with a generator, problems are drawn; the reference answer written as a
student would type it (plain and LaTeX, :mod:`tutor.generators.forms`) must be accepted,
and each *mutant* (the reference with one typical mistake: an entry off, a sign, the
transpose, a factor 2, eigenvectors swapped, a dependent basis vector, a non-orthonormal
Q, eigenvalues in S instead of singular values, a dropped direction, a shifted point...)
must be not correct with a score of at most 0.95.  Every mutant is wrong by construction,
and those that could be right by accident (a transpose of a symmetric matrix, a sign of 0)
are recognised with sympy and skipped, so a survivor is a grader bug.

``python -m pytest tests/test_grading_mutants.py -s`` prints the kill rate per kind.
The full draw (``-m slow``) takes more seeds and difficulties.
"""
from __future__ import annotations

import collections
import dataclasses
import random
from typing import Any, Callable, Iterator

import pytest
import sympy

from tutor.core import answers as A
from tutor import api
from tutor.checking import grading
from tutor.checking.check import policy_for
from tutor.core.errors import TutorError
from tutor.exams.generators import DIFFICULTIES, GENERATORS
from tutor.exams.generators.forms import answer_text

MAX_SCORE = 0.95
KINDS = sorted(GENERATORS)
Mutant = tuple[str, Any]  # (the mistake, the mutated answer)


# ---------------------------------------------------------------- mutations of values

def _same_value(x: sympy.Expr, y: sympy.Expr) -> bool:
    """x = y at three random points (sympy's own evaluation; ``simplify`` can take minutes
    on the trigonometric derivatives of the hard variants)."""
    d = sympy.expand(x - y)
    if d == 0:
        return True
    rng = random.Random(1)
    for _ in range(3):
        point = {s: sympy.Rational(rng.randint(11, 97), 37) for s in d.free_symbols}
        try:
            if abs(complex(d.evalf(30, subs=point))) > 1e-9:
                return False
        except (TypeError, ValueError, ZeroDivisionError):
            return False
    return True


def _eq(a: Any, b: Any) -> bool:
    a, b = sympy.Matrix(a) if isinstance(a, sympy.MatrixBase) else a, \
        sympy.Matrix(b) if isinstance(b, sympy.MatrixBase) else b
    if isinstance(a, sympy.MatrixBase):
        return a.shape == b.shape and all(_same_value(x, y) for x, y in zip(a, b))
    return _same_value(a, b)


def scalar_mutants(e: sympy.Expr, up_to_constant: bool = False) -> Iterator[tuple[str, sympy.Expr]]:
    if not up_to_constant:
        yield "plus one", e + 1
    yield "sign", -e
    yield "factor 2", 2 * e
    yield "factor 1/2", e / 2
    terms = sympy.Add.make_args(sympy.expand(e))
    if len(terms) > 1:
        yield "a term dropped", sympy.expand(e) - terms[-1]
    xs = sorted(e.free_symbols, key=str)
    if xs:
        yield "shifted variable", e.subs(xs[0], xs[0] + 1)


def matrix_mutants(M: sympy.MatrixBase, rng: random.Random) -> Iterator[tuple[str, sympy.Matrix]]:
    M = sympy.Matrix(M)
    k = rng.randrange(len(M))
    off = M.copy()
    off[k] = off[k] + 1
    yield "an entry off", off
    yield "sign", -M
    yield "factor 2", 2 * M
    if M.rows == M.cols > 1:
        yield "transpose", M.T
    if M.rows > 1:
        swapped = M.copy()
        swapped.row_swap(0, 1)
        yield "rows swapped", swapped


def _valid(mutants: Iterator[tuple[str, Any]], reference: Any) -> Iterator[tuple[str, Any]]:
    """Only mutants that differ from the reference (the sign of 0 is not a mistake)."""
    for name, value in mutants:
        if not _eq(value, reference):
            yield name, value


# ---------------------------------------------------------------- mutants per answer type

def _expression(a: A.ExpressionAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    if isinstance(a.value, sympy.MatrixExpr):
        yield "factor 2", dataclasses.replace(a, value=2 * a.value)
        if a.value.T != a.value:
            yield "transpose", dataclasses.replace(a, value=a.value.T)
        return
    odd_charpoly = kind == "charpoly" and problem["A"].rows % 2  # -p is det(λI − A): right
    for name, v in _valid(scalar_mutants(a.value, policy_for(kind).up_to_constant), a.value):
        if not (odd_charpoly and name == "sign"):
            yield name, dataclasses.replace(a, value=v)


def _matrix(a: Any, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    for name, v in _valid(matrix_mutants(a.value, rng), a.value):
        yield name, dataclasses.replace(a, value=sympy.ImmutableMatrix(v))


def _projection(a: A.ProjectionAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    yield from _matrix(a, kind, problem, rng)
    for name, d in _valid(scalar_mutants(a.distance), a.distance):
        if d.is_number and d < 0:
            continue  # a negative distance is read as... still a wrong distance, but skip the oddity
        yield f"distance: {name}", dataclasses.replace(a, distance=d)


def _in_span(v: sympy.Matrix, vectors: list) -> bool:
    if not vectors:
        return all(e == 0 for e in v)
    B = sympy.Matrix.hstack(*vectors)
    return sympy.Matrix.hstack(B, v).rank() == B.rank()


def _basis(a: A.BasisAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    vs = [sympy.Matrix(v) for v in a.vectors]
    if not vs:
        return
    yield "a dependent basis vector", A.BasisAnswer(tuple(vs[:-1] + [2 * vs[0]]) if len(vs) > 1
                                                    else tuple(vs + [3 * vs[0]]))
    if len(vs) > 1:
        yield "a vector dropped", A.BasisAnswer(tuple(vs[:-1]))
    off = vs[-1].copy()
    off[rng.randrange(len(off))] += 1
    if not _in_span(off, vs):
        yield "an entry off", A.BasisAnswer(tuple(vs[:-1] + [off]))
    if kind == "gram_schmidt" and problem["normalize"]:  # any other basis may have any lengths
        yield "not normalized", A.BasisAnswer(tuple(vs[:-1] + [2 * vs[-1]]))


def _solution_set(a: A.SolutionSetAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    if a.particular is None:
        yield "a solution claimed", A.SolutionSetAnswer(a.variables, sympy.zeros(len(a.variables), 1))
        return
    p = sympy.Matrix(a.particular)
    dirs = [sympy.Matrix(d) for d in a.directions]
    for i in range(len(p)):
        e = sympy.zeros(len(p), 1)
        e[i] = 1
        if not _in_span(e, dirs):
            yield "shifted point", dataclasses.replace(a, particular=p + e)
            break
    yield "no solution claimed", dataclasses.replace(a, particular=None, directions=())
    if dirs:
        yield "a direction dropped", dataclasses.replace(a, directions=tuple(dirs[:-1]))
        yield "a dependent direction", dataclasses.replace(a, directions=tuple(dirs[:-1] + [2 * dirs[0]])
                                                          if len(dirs) > 1 else tuple(dirs + [2 * dirs[0]]))
    else:
        e = sympy.zeros(len(p), 1)
        e[0] = 1
        yield "a direction added", dataclasses.replace(a, directions=(e,))


def _boolean(a: A.BooleanAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    yield "the opposite", A.BooleanAnswer(not a.value)
    if a.relation:
        off = list(a.relation)
        off[0] += 1
        yield "a wrong dependency relation", A.BooleanAnswer(False, tuple(off))


def _eigen(a: A.EigenAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    evs = list(a.eigenvalues)
    first = evs[0]
    yield "an eigenvalue off", A.EigenAnswer((dataclasses.replace(first, value=first.value + 1),) + tuple(evs[1:]))
    if len(evs) > 1:
        yield "an eigenvalue dropped", A.EigenAnswer(tuple(evs[1:]))
        if evs[0].basis and evs[1].basis and len(evs[0].basis) == len(evs[1].basis):
            yield "eigenvectors swapped", A.EigenAnswer(
                (dataclasses.replace(evs[0], basis=evs[1].basis), dataclasses.replace(evs[1], basis=evs[0].basis))
                + tuple(evs[2:]))
    if first.basis:
        v = sympy.Matrix(first.basis[0])
        off = v.copy()
        off[rng.randrange(len(off))] += 1
        if not _in_span(off, [sympy.Matrix(b) for b in first.basis]):
            yield "an eigenvector entry off", A.EigenAnswer(
                (dataclasses.replace(first, basis=(off,) + tuple(first.basis[1:])),) + tuple(evs[1:]))


def _diagonalization(a: A.DiagonalizationAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    if not a.diagonalizable:
        return
    P, D = sympy.Matrix(a.P), sympy.Matrix(a.D)
    d = list(D.diagonal())
    i = next((i for i in range(1, len(d)) if d[i] != d[0]), None)
    if i is not None:
        D2 = D.copy()
        D2[0, 0], D2[i, i] = D[i, i], D[0, 0]
        yield "D reordered, P not", dataclasses.replace(a, D=D2)
    A_ = P * D * P.inv()
    for k in range(P.rows):  # an entry of column 1 off, unless that is still an eigenvector
        P2 = P.copy()
        P2[k, 0] += 1
        if not _eq(A_ * P2[:, 0], D[0, 0] * P2[:, 0]):
            yield "a column of P off", dataclasses.replace(a, P=P2)
            break
    if problem["orthogonal"]:
        Q = P.copy()
        Q[:, 0] = 2 * Q[:, 0]
        yield "Q not normalized", dataclasses.replace(a, P=Q)


def _svd(a: A.SVDAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    U, S, V = sympy.Matrix(a.U), sympy.Matrix(a.S), sympy.Matrix(a.V)
    S2 = S.applyfunc(lambda e: e**2)
    if S2 != S:
        yield "eigenvalues in S instead of singular values", dataclasses.replace(a, S=S2)
    if V.T != V:
        yield "V^T written as V", dataclasses.replace(a, V=V.T)
    U2 = U.copy()
    U2[:, 0] = -U2[:, 0]
    if S[0, 0] != 0:
        yield "a sign of a column of U", dataclasses.replace(a, U=U2)
    U3 = U.copy()
    U3[:, 0] = 2 * U3[:, 0]
    yield "U not normalized", dataclasses.replace(a, U=U3)


def _gaussian(a: A.GaussianAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    mean = sympy.Matrix(a.mean)
    off = mean.copy()
    off[rng.randrange(len(off))] += 1
    yield "a mean entry off", dataclasses.replace(a, mean=off)
    yield "cov factor 2", dataclasses.replace(a, cov=2 * sympy.Matrix(a.cov))
    cov = sympy.Matrix(a.cov)
    if cov.rows > 1 and cov[0, 1] != 0:
        c2 = cov.copy()
        c2[0, 1] = c2[1, 0] = -cov[0, 1]
        yield "cov off-diagonal sign", dataclasses.replace(a, cov=c2)
    if hasattr(a, "constant"):
        yield "constant factor 2", dataclasses.replace(a, constant=2 * a.constant)


def _distribution(a: A.DistributionAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    ps = list(a.probabilities)
    i = next((i for i in range(1, len(ps)) if ps[i] != ps[0]), None)
    if i is not None:
        q = ps.copy()
        q[0], q[i] = ps[i], ps[0]
        yield "two probabilities swapped", dataclasses.replace(a, probabilities=tuple(q))
    q = ps.copy()
    q[0] = q[0] / 2 if q[0] != 0 else sympy.Rational(1, 10)
    yield "a probability off", dataclasses.replace(a, probabilities=tuple(q))


def _moments(a: A.MomentsAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    def bump(v: Any) -> Any:
        if isinstance(v, sympy.MatrixBase):
            m = sympy.Matrix(v)
            m[0] += 1
            return m
        return v + 1
    yield "mean off", dataclasses.replace(a, mean=bump(a.mean))
    yield "variance off", dataclasses.replace(a, variance=bump(a.variance))
    if not isinstance(a.variance, sympy.MatrixBase) and a.mean != 0:
        yield "E[X^2] given as the variance", dataclasses.replace(a, variance=a.variance + a.mean**2)
    if isinstance(a.variance, sympy.MatrixBase):
        yield "variance factor 2", dataclasses.replace(a, variance=2 * sympy.Matrix(a.variance))


def _gradients(a: A.GradientsAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    name = rng.choice(sorted(a.values))
    for mistake, v in _valid(matrix_mutants(a.values[name], rng), sympy.Matrix(a.values[name])):
        yield f"{name}: {mistake}", dataclasses.replace(a, values={**a.values, name: sympy.ImmutableMatrix(v)})


def _convexity(a: A.ConvexityAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    for word in ("strictly convex", "convex", "strictly concave", "concave", "neither"):
        if word != a.value:
            yield f"{word} for {a.value}", A.ConvexityAnswer(word)


def _points(a: A.PointsAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    if not a.points:
        return
    first, rest = a.points[0], a.points[1:]
    if rest:
        yield "a point dropped", dataclasses.replace(a, points=rest)
    shifted = dataclasses.replace(first, point=(first.point[0] + 1,) + tuple(first.point[1:]))
    yield "a shifted point", dataclasses.replace(a, points=(shifted,) + rest)
    other = {"minimum": "maximum", "maximum": "minimum"}.get(first.nature, "minimum")
    yield "a wrong nature", dataclasses.replace(a, points=(dataclasses.replace(first, nature=other),) + rest)


def _iterates(a: A.IteratesAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    last = a.points[-1]
    yield "the last iterate off", dataclasses.replace(a, points=a.points[:-1] + ((last[0] + 1,) + tuple(last[1:]),))
    if len(a.points) > 2:
        yield "an iterate dropped", dataclasses.replace(a, points=a.points[:-1], values=a.values[:-1])


def _program(a: A.ProgramAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    yield "the optimum off", dataclasses.replace(a, x=(a.x[0] + 1,) + tuple(a.x[1:]),
                                                 value=a.value + 1)
    yield "the value off", dataclasses.replace(a, value=a.value + 1)


def _estimate(a: A.EstimateAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    name = sorted(a.values)[0]
    for mistake, v in _valid(scalar_mutants(a.values[name]), a.values[name]):
        yield f"{name}: {mistake}", dataclasses.replace(a, values={**a.values, name: v})
    if a.posterior is not None:  # the posterior's parameters swapped, or the first one off by one
        family, _, rest = a.posterior.partition("(")
        first, *others = [p.strip() for p in rest.rstrip(")").split(",")]
        swapped = f"{family}({', '.join([*others, first])})"
        yield "the posterior's parameters", dataclasses.replace(
            a, posterior=swapped if swapped != a.posterior else f"{family}({first} + 1, {', '.join(others)})")


def _pca(a: A.PCAAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    first = sympy.Matrix(a.components[0])
    nonzero = [i for i, e in enumerate(first) if e != 0]
    if len(nonzero) > 1:  # one entry's sign (a global sign is a right answer)
        flipped = sympy.Matrix(first)
        flipped[nonzero[0]] = -flipped[nonzero[0]]
        yield "one sign of an axis", dataclasses.replace(a, components=(flipped,) + tuple(a.components[1:]))
    codes = sympy.Matrix(a.codes)
    codes[0, 0] += 1
    yield "a code off", dataclasses.replace(a, codes=codes)


def _gmm(a: A.GMMAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    yield "a mean off", dataclasses.replace(a, means=(a.means[0] + sympy.Float(0.5),) + tuple(a.means[1:]))
    yield "a variance doubled", dataclasses.replace(
        a, variances=(2 * a.variances[0],) + tuple(a.variances[1:]))


def _svm(a: A.SVMAnswer, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    yield "b off", dataclasses.replace(a, b=a.b + 1)
    if a.w is not None:
        w = sympy.Matrix(a.w)
        w[0] += 1
        yield "w off", dataclasses.replace(a, w=w)
    if len(a.support) > 2:
        yield "a support vector dropped", dataclasses.replace(a, support=a.support[1:])


MUTATORS: dict[type, Callable[[Any, str, Any, random.Random], Iterator[Mutant]]] = {
    A.EstimateAnswer: _estimate, A.PCAAnswer: _pca, A.GMMAnswer: _gmm, A.SVMAnswer: _svm,
    A.ConvexityAnswer: _convexity, A.PointsAnswer: _points, A.IteratesAnswer: _iterates,
    A.ProgramAnswer: _program,
    A.ProjectionAnswer: _projection, A.VectorAnswer: _matrix, A.MatrixAnswer: _matrix,
    A.ExpressionAnswer: _expression, A.BasisAnswer: _basis, A.SolutionSetAnswer: _solution_set,
    A.BooleanAnswer: _boolean, A.EigenAnswer: _eigen, A.DiagonalizationAnswer: _diagonalization,
    A.SVDAnswer: _svd, A.GaussianAnswer: _gaussian, A.DistributionAnswer: _distribution,
    A.MomentsAnswer: _moments, A.GradientsAnswer: _gradients,
}


def mutants(answer: Any, kind: str, problem: Any, rng: random.Random) -> Iterator[Mutant]:
    for cls in type(answer).__mro__:
        if cls in MUTATORS:
            yield from MUTATORS[cls](answer, kind, problem, rng)
            return
    raise AssertionError(f"no mutation operators for {type(answer).__name__}")


# ---------------------------------------------------------------- the run

@dataclasses.dataclass
class Tally:
    references: int = 0
    mutants: int = 0
    killed: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)


def run(kind: str, seeds: range, difficulties: tuple[int, ...]) -> Tally:
    tally = Tally()
    for difficulty in difficulties:
        for seed in seeds:
            rng = random.Random(seed * 7 + difficulty)
            try:
                problem = GENERATORS[kind](rng, difficulty)
                sol = api.solve(problem)
            except TutorError:
                continue  # a degenerate draw (draw() redraws it); not the grader's business
            policy = policy_for(kind)
            for form in ("plain", "latex"):
                text = answer_text(sol.answer, form)
                v = grading.compare(sol.answer, text, sol.problem, policy)
                tally.references += 1
                if not v.correct:
                    tally.failures.append(f"reference refused ({form}): {text!r}: {v.feedback}")
            for i, (mistake, wrong) in enumerate(mutants(sol.answer, kind, sol.problem, rng)):
                form = ("plain", "latex")[i % 2]
                text = answer_text(wrong, form)
                v = grading.compare(sol.answer, text, sol.problem, policy)
                tally.mutants += 1
                if not v.correct and v.score <= MAX_SCORE:
                    tally.killed += 1
                else:
                    tally.failures.append(f"{mistake} survived ({form}, score {v.score}): {text!r}")
    return tally


REPORT: dict[str, Tally] = {}


@pytest.mark.parametrize("kind", KINDS)
def test_mutants_killed_and_references_accepted(kind):
    tally = run(kind, range(2), (1, 3))
    REPORT[kind] = tally
    assert tally.mutants > 0, f"{kind}: no mutant drawn"
    assert not tally.failures, "\n".join(tally.failures[:10])


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_mutants_killed_full_draw(kind):
    tally = run(kind, range(2, 8), DIFFICULTIES)
    assert not tally.failures, "\n".join(tally.failures[:10])


def test_report():
    """The kill rate per kind (printed with ``-s``), over the kinds run above."""
    totals = collections.Counter()
    for kind, t in sorted(REPORT.items()):
        totals.update(mutants=t.mutants, killed=t.killed, references=t.references)
        print(f"{kind:22s} mutants {t.mutants:3d} killed {t.killed:3d} "
              f"({100 * t.killed / max(1, t.mutants):5.1f}%), references {t.references}")
    if REPORT:
        print(f"{'all':22s} mutants {totals['mutants']:3d} killed {totals['killed']:3d} "
              f"({100 * totals['killed'] / max(1, totals['mutants']):5.1f}%), references {totals['references']}")
