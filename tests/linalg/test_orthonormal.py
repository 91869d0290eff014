"""QᵀQ = I shown (issue 18): the matrix of the inner products of the columns, each entry the
sum of the products of the entries, checked against sympy on random orthonormal matrices."""
from __future__ import annotations

import dataclasses
import pickle
import random

import sympy

import tutor
from tutor.linalg.orthonormal import orthonormal_columns
from tutor.rendering import render


def _orthonormal(rng: random.Random, n: int) -> sympy.Matrix:
    while True:
        M = sympy.Matrix(n, n, lambda i, j: rng.randint(-3, 3))
        if M.rank() == n:
            return sympy.Matrix.hstack(*sympy.GramSchmidt([M.col(j) for j in range(n)], orthonormal=True))


def test_the_products_are_the_inner_products_and_sum_to_the_identity() -> None:
    rng = random.Random(18)
    for n in (2, 3, 2, 3, 3):
        Q = _orthonormal(rng, n)
        step = orthonormal_columns("Q", Q)
        assert step.check()
        values = step.products.applyfunc(sympy.simplify)
        assert values == sympy.eye(n) == (Q.T * Q).applyfunc(sympy.simplify)
        # a wrong product, or a matrix that is not orthonormal, fails the step
        wrong = [list(row) for row in step.terms]
        wrong[0][1] = wrong[0][1] + (sympy.Rational(1, 7),)
        assert not dataclasses.replace(step, terms=tuple(map(tuple, wrong))).check()
        assert pickle.loads(pickle.dumps(step)).check()
        assert not orthonormal_columns("Q", 2 * Q).check()


def test_the_pages_show_the_products() -> None:
    text = render.render_solution(tutor.solve("diagonalize", matrix="[[2, 1], [1, 2]]", orthogonal=True), "text")
    assert "QᵀQ = [  1/2 + 1/2  -1/2 + 1/2 ] = I." in text
    svd = render.render_solution(tutor.solve("svd", matrix="[[3, 2, 2], [2, 3, -2]]"), "text")
    assert "VᵀV = " in svd and "UᵀU = " in svd
