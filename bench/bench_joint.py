"""Joint tables, Bayes, Gaussians, data, change of variables: tutor with steps next to the
bare sympy computation of the same answer, same inputs, same run (parsing timed apart)."""
from __future__ import annotations

import sympy
from sympy import Matrix, Rational, stats

import tutor

from bench.common import best_time, ms, table


def _joint(n: int) -> tuple[dict, list[list[Rational]]]:
    total = n * n * (n * n + 1) // 2
    P = [[Rational(i * n + j + 1, total) for j in range(n)] for i in range(n)]
    text = "[" + ",".join("[" + ",".join(map(str, row)) + "]" for row in P) + "]"
    values = ",".join(str(k) for k in range(n))
    return dict(joint=text, x_values=values, y_values=values), P


def _bare_covariance(P: list[list[Rational]]) -> sympy.Expr:
    n = len(P)
    ex = sum(i * sum(P[i]) for i in range(n))
    ey = sum(j * sum(P[i][j] for i in range(n)) for j in range(n))
    return sum(i * j * P[i][j] for i in range(n) for j in range(n)) - ex * ey


def _bare_independent(P: list[list[Rational]]) -> bool:
    px = [sum(row) for row in P]
    py = [sum(col) for col in zip(*P)]
    return all(P[i][j] == px[i] * py[j] for i in range(len(P)) for j in range(len(P)))


def _cases():
    for n in (2, 5, 10, 20):
        inputs, P = _joint(n)
        yield f"covariance {n}x{n}", "covariance", inputs, lambda P=P: _bare_covariance(P)
        yield f"rv_independence {n}x{n}", "rv_independence", inputs, lambda P=P: _bare_independent(P)
    yield "bayes 5 hypotheses", "bayes", dict(prior="a: 1/5, b: 1/5, c: 1/5, d: 1/5, e: 1/5",
                                              likelihood="a: 1/2, b: 1/3, c: 1/4, d: 1/5, e: 1/6"), \
        lambda: [Rational(1, k) / sum(Rational(1, j) for j in range(2, 7)) for k in range(2, 7)]
    S = Matrix([[4, 1, 1, 0], [1, 3, 0, 1], [1, 0, 2, 0], [0, 1, 0, 2]])
    mu = Matrix([0, 1, 2, 3])
    yield "gaussian_conditional 4-D", "gaussian_conditional", \
        dict(mean="0,1,2,3", cov="[[4,1,1,0],[1,3,0,1],[1,0,2,0],[0,1,0,2]]", given="x_3=1, x_4=0"), \
        lambda: (mu[:2, :] + S[:2, 2:] * S[2:, 2:].inv() * (Matrix([1, 0]) - mu[2:, :]),
                 S[:2, :2] - S[:2, 2:] * S[2:, 2:].inv() * S[2:, :2])
    A, B = Matrix([[2, 1], [1, 2]]), Matrix([[1, 0], [0, 3]])
    yield "gaussian_product 2-D", "gaussian_product", \
        dict(mean1="1,0", cov1="[[2,1],[1,2]]", mean2="0,1", cov2="[[1,0],[0,3]]"), \
        lambda: (A.inv() + B.inv()).inv()
    data = [[k % 7, (3 * k) % 5, k % 4] for k in range(100)]
    D = Matrix(data)
    yield "sample_stats 100x3", "sample_stats", dict(data=data), \
        lambda: (D.T * Matrix.ones(100, 1) / 100, (D.T * D) / 100)
    x = sympy.Symbol("x")
    yield "change_of_variables x^2", "change_of_variables", dict(g="x^2", pdf="2x", support="0,1"), \
        lambda: stats.density(stats.ContinuousRV(x, 2 * x, sympy.Interval(0, 1))**2)(Rational(1, 2))


def main() -> None:
    rows = []
    for name, kind, inputs, bare in _cases():
        parse = best_time(lambda: tutor.make_problem(kind, **inputs))
        problem = tutor.make_problem(kind, **inputs)
        steps = best_time(lambda: tutor.solve(problem))
        plain = best_time(bare)
        rows.append([name, ms(parse), ms(steps), ms(plain), f"{steps / plain:.1f}"])
    table(["case", "parse ms", "steps ms", "sympy ms", "ratio"], rows)


if __name__ == "__main__":
    main()
