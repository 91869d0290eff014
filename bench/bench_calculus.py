"""Benchmark of the calculus kinds: ``python -m bench calculus``.

``gradient`` with steps on random expressions of growing depth next to bare
``sympy.diff`` (and ``sympy.diff`` + ``simplify``, the nearest bare equivalent of
the tutor's answer) on the same expressions, in the same run; ``backprop`` on a
3 -> 4 -> 2 network.  Goal (issue 5): the gradient at most 3x ``sympy.diff``,
backprop at most 1 s.

Every side is measured cold: sympy's cache and the tutor's own caches are cleared
before each run (otherwise whichever side runs second finds the other's
subresults cached), and the best of ``REPEAT`` runs is kept.  CPU time
(process_time), so that other load on the machine does not count.
"""
from __future__ import annotations

import random
from typing import Callable

import sympy

import tutor
from bench.common import best_time
from tests.calculus.test_derivatives import random_expression
from tutor.calculus import derivatives as diffsteps
from tutor.core.functions import to_elementary

x, y = sympy.symbols("x y", real=True)
CASES = 20
REPEAT = 3


def cold_time(fn: Callable[[], object]) -> float:
    """:func:`bench.common.best_time` with the tutor's tidy caches cleared too."""
    return best_time(fn, repeat=REPEAT, also_clear=diffsteps.clear_caches)


def main() -> None:
    tutor.solve("gradient", function=sympy.sin(x) * y / (1 + x), vars=[x, y])  # warm-up: first-call imports
    print(f"{'depth':>5} {'tutor gradient':>15} {'sympy.diff':>11} {'diff+simplify':>14}"
          f" {'ratio diff':>11} {'ratio simpl':>12}")
    for depth in (1, 2, 3, 4):
        rng = random.Random(depth)
        exprs = [random_expression(rng, depth) for _ in range(CASES)]
        tutor_s = cold_time(lambda: [tutor.solve("gradient", function=f, vars=[x, y]) for f in exprs]) / CASES
        bare = cold_time(lambda: [[sympy.diff(to_elementary(f), v) for v in (x, y)] for f in exprs]) / CASES
        bare_simplified = cold_time(lambda: [[sympy.simplify(sympy.diff(to_elementary(f), v)) for v in (x, y)]
                                             for f in exprs]) / CASES
        print(f"{depth:>5} {tutor_s * 1e3:>12.2f} ms {bare * 1e3:>8.2f} ms {bare_simplified * 1e3:>11.2f} ms"
              f" {tutor_s / bare:>10.1f}x {tutor_s / bare_simplified:>11.2f}x")
    network = dict(W1=[[1, 0, -1], [2, 1, 0], [0, 1, 1], [1, 1, 1]], b1=[0, 1, 0, 0],
                   W2=[[1, -1, 0, 1], [0, 2, 1, 0]], b2=[0, 0], input=[1, 2, 3], target=[1, 0])
    for activation, loss in (("relu", "squared"), ("sigmoid", "cross_entropy")):
        t = cold_time(lambda: tutor.solve("backprop", **network, activation=activation, loss=loss))
        print(f"backprop 3 -> 4 -> 2, {activation}, {loss}: {t * 1e3:.1f} ms (goal <= 1000 ms)")
    hard = dict(function="tanh(2*y)/(sin(2*y^3)^2 + 3)", vars="x,y", at="x=2,y=1")  # issue 20: 19.6 s once
    t = cold_time(lambda: tutor.solve("hessian", **hard))
    print(f"hessian of tanh(2y)/(sin(2y^3)^2 + 3) at (2, 1): {t * 1e3:.1f} ms (goal <= 2000 ms)")
