"""marginal, conditional, covariance, correlation, rv_independence, bayes: answers against
direct sums by other formulas (E[(X−EX)(Y−EY)], sympy.stats on the marginals), every step
checks on every solution, every output format renders; bad input is one TutorError."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
import sympy
from sympy import Rational, stats


import tutor
from tutor.core.errors import TutorError
from tutor.rendering.render import render_solution

from tests.conftest import solved


def random_table(rng: random.Random, independent: bool = False):
    n, k = rng.randint(2, 4), rng.randint(2, 4)
    xs = rng.sample(range(-3, 6), n)
    ys = rng.sample(range(-3, 6), k)
    if independent:
        px = [rng.randint(1, 5) for _ in xs]
        py = [rng.randint(1, 5) for _ in ys]
        P = [[Rational(a * b, sum(px) * sum(py)) for b in py] for a in px]
    else:
        w = [[rng.randint(0, 6) for _ in ys] for _ in xs]
        w[0][0] += 1
        total = sum(map(sum, w))
        P = [[Rational(c, total) for c in row] for row in w]
    text = "[" + ", ".join("[" + ", ".join(str(p) for p in row) + "]" for row in P) + "]"
    inputs = dict(joint=text, x_values=",".join(map(str, xs)), y_values=",".join(map(str, ys)))
    return xs, ys, P, inputs


def moments(xs, ys, P):
    px = [sum(row) for row in P]
    py = [sum(P[i][j] for i in range(len(xs))) for j in range(len(ys))]
    ex = sum(x * p for x, p in zip(xs, px))
    ey = sum(y * p for y, p in zip(ys, py))
    cov = sum((xs[i] - ex) * (ys[j] - ey) * P[i][j] for i in range(len(xs)) for j in range(len(ys)))
    return px, py, cov


@pytest.mark.parametrize("seed", range(10))
def test_random_tables(seed: int) -> None:
    rng = random.Random(seed)
    xs, ys, P, inputs = random_table(rng)
    px, py, cov = moments(xs, ys, P)
    assert list(solved("marginal", **inputs).answer.probabilities) == px
    assert list(solved("marginal", of="y", **inputs).answer.probabilities) == py
    j = next(j for j in range(len(ys)) if py[j] != 0)
    sol = solved("conditional", given=f"y={ys[j]}", **inputs)
    assert list(sol.answer.probabilities) == [P[i][j] / py[j] for i in range(len(xs))]
    assert solved("covariance", **inputs).answer.value == cov
    X = stats.FiniteRV("X", dict(zip(xs, px)))
    Y = stats.FiniteRV("Y", dict(zip(ys, py)))
    if stats.variance(X) != 0 and stats.variance(Y) != 0:
        corr = solved("correlation", **inputs).answer.value
        expected = cov / sympy.sqrt(stats.variance(X) * stats.variance(Y))
        assert sympy.simplify(corr - expected) == 0
    dependent = any(P[i][j] != px[i] * py[j] for i in range(len(xs)) for j in range(len(ys)))
    assert solved("rv_independence", **inputs).answer.value is (not dependent)


@pytest.mark.parametrize("seed", range(4))
def test_random_independent_tables(seed: int) -> None:
    _, _, _, inputs = random_table(random.Random(50 + seed), independent=True)
    sol = solved("rv_independence", **inputs)
    assert sol.answer.value is True
    assert solved("covariance", **inputs).answer.value == 0


def test_first_failing_cell_is_named_and_uncorrelated_case_stated() -> None:
    sol = solved("rv_independence", joint="[[1/4,0,1/4],[0,1/2,0]]", x_values="1,2", y_values="-1,0,1")
    test = next(s for s in sol.steps if s.rule == "joint.independence")
    assert len(test.substeps) == 1 and (test.substeps[0].x, test.substeps[0].y) == (1, -1)
    assert any(s.rule == "note" and s.key == "uncorrelated_dependent" for s in sol.steps)
    assert "uncorrelated" in render_solution(sol, "text")


def test_decimals_shown_as_decimals_but_exact() -> None:
    sol = solved("covariance", joint="[[0.1,0.2,0.1],[0.2,0.1,0.3]]", x_values="1,2", y_values="-1,0,1")
    assert sympy.Rational(str(sol.answer.value)) == Rational(1, 25)
    assert any(s.rule == "note" and s.key == "decimals" for s in sol.steps)
    sol = solved("correlation", joint="[[0.1,0.2,0.1],[0.2,0.1,0.3]]", x_values="1,2", y_values="-1,0,1")
    assert sympy.simplify(sol.answer.value - Rational(1, 25) / sympy.sqrt(Rational(24, 100) * Rational(69, 100))) == 0


def test_python_values() -> None:
    sol = solved("marginal", joint=[[0.25, 0.25], [0.5, 0]], x_values=[0, 1], y_values=[0, 1])
    assert [sympy.Rational(str(p)) for p in sol.answer.probabilities] == [Rational(1, 2), Rational(1, 2)]


@pytest.mark.parametrize("seed", range(6))
def test_random_bayes(seed: int) -> None:
    rng = random.Random(300 + seed)
    n = rng.randint(2, 5)
    w = [rng.randint(1, 9) for _ in range(n)]
    prior = [Rational(a, sum(w)) for a in w]
    like = [Rational(rng.randint(0, 10), 10) for _ in range(n)]
    like[0] = like[0] or Rational(1, 2)
    names = [f"h{i + 1}" for i in range(n)]
    pairs = list(zip(names, like))[::-1]  # the likelihood may list the hypotheses in any order
    sol = solved("bayes", prior=", ".join(f"{h}: {p}" for h, p in zip(names, prior)),
                 likelihood=", ".join(f"{h}: {q}" for h, q in pairs))
    evidence = sum(p * q for p, q in zip(prior, like))
    assert list(sol.answer.probabilities) == [p * q / evidence for p, q in zip(prior, like)]
    assert [str(v) for v in sol.answer.values] == names


def test_bayes_likelihood_in_another_order() -> None:
    sol = solved("bayes", prior="rain: 1/4, dry: 3/4", likelihood="dry: 1/10, rain: 4/5")
    assert list(sol.answer.probabilities) == [Rational(8, 11), Rational(3, 11)]


J = dict(joint="[[0.1,0.2],[0.3,0.4]]", x_values="1,2", y_values="1,2")


@pytest.mark.parametrize("kind, inputs, message", [
    ("marginal", dict(J, joint="[[0.1,0.2],[0.3,0.3]]"), "sum to 9/10"),
    ("marginal", dict(J, joint="[[-0.1,0.4],[0.3,0.4]]"), "negative"),
    ("marginal", dict(J, x_values="1,2,3"), "2 row"),
    ("marginal", dict(J, y_values="1"), "2 column"),
    ("marginal", dict(J, x_values="1,1"), "twice"),
    ("marginal", dict(J, joint="[[a,0.2],[0.3,0.4]]"), "real number"),
    ("marginal", dict(J, of="z"), "x or y"),
    ("conditional", dict(J, given="y=3"), "not one of"),
    ("conditional", dict(joint="[[0.5,0],[0.5,0]]", x_values="1,2", y_values="1,2", given="y=2"),
     "probability 0"),
    ("conditional", dict(J, given="z=1"), "x or y"),
    ("conditional", dict(J, given="x=1, y=1"), "one value"),
    ("correlation", dict(joint="[[0.5,0.5]]", x_values="1", y_values="1,2"), "variance is 0"),
    ("bayes", dict(prior="h1: 1/2, h2: 1/3", likelihood="h1: 1, h2: 1"), "sum to 5/6"),
    ("bayes", dict(prior="h1: 1/2, h2: 1/2", likelihood="h1: 1"), "no entry for h2"),
    ("bayes", dict(prior="h1: 1/2, h2: 1/2", likelihood="h1: 1, h2: 1, h3: 1"), "h3"),
    ("bayes", dict(prior="h1: 1/2, h2: 1/2", likelihood="h1: 0, h2: 0"), "evidence"),
    ("bayes", dict(prior="h1: 1/2, h2: 1/2", likelihood="h1: 3/2, h2: 0"), "greater than 1"),
    ("bayes", dict(prior="h1 1/2", likelihood="h1: 1"), "pairs"),
])
def test_bad_input(kind: str, inputs: dict, message: str) -> None:
    with pytest.raises(TutorError, match=message):
        tutor.solve(kind, **inputs)


def test_cli_error_is_one_line() -> None:
    out = subprocess.run([sys.executable, "-m", "tutor", "solve", "covariance", "--joint",
                          "[[0.1,0.2],[0.3,0.3]]", "--x-values", "1,2", "--y-values", "1,2"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "sum to" in out.stderr


def test_decimal_answers_keep_their_exact_value() -> None:
    """A decimal the tutor shows is the exact number it spells (issue 20, defect 2: the value
    object was 0.0400390625, a Float built from the text '0.04' with about 10 bits)."""
    sol = solved("covariance", joint="[[0.1,0.2,0.1],[0.2,0.1,0.3]]", x_values="1,2", y_values="-1,0,1")
    assert sol.answer.value == sympy.Rational(1, 25) and sympy.Rational(sol.answer.value) == sympy.Rational(1, 25)
    assert sol.answer.value - sympy.Rational(1, 25) == 0 and not sol.answer.value.has(sympy.Float)
    assert sol.answer.to_json()["value"] == "0.04"
    posterior = solved("bayes", prior="a: 0.3, b: 0.7", likelihood="a: 0.9, b: 0.2")
    assert sum(posterior.answer.probabilities) == 1
