"""Answer checking: single-check latency with a warm worker, and batch throughput.

Goal (issue 7): p50 <= 30 ms and p99 <= 300 ms for one check over a mix of answer
types (expressions, matrices, solution sets, eigen); >= 200 answers/s grading 10,000
answers with --jobs 2.  The "bare sympy" column is the comparison alone
(``simplify(a - b) == 0`` or ``A == B``) on the same values, in-process and unbounded.
"""
from __future__ import annotations

import csv
import statistics
import tempfile
import time
from pathlib import Path

import sympy

import tutor
from tutor.checking.check import check_expected, check_solution, grade_csv

from bench.common import ms, table

SHEET = """
title = "bench"
[[problem]]
kind = "system"
equations = ["3x + y = 9", "4x - 2y = 5"]
[[problem]]
kind = "system"
equations = ["2x + 4y - z = 5", "x - y + z = 1"]
"""

EXPRESSIONS = [("\\frac{x^2-1}{x-1}", "x+1"), ("(x+1)^3", "x^3+3x^2+3x+1"), ("\\sin(2x)", "2\\sin(x)\\cos(x)"),
               ("x^2+3x", "x^2-3x"), ("1/3", "0.33"), ("x^2 = 4", "x = 2 or x = -2")]
MATRICES = [("[[1,2],[3,4]]", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}"), ("[[1,2],[3,4]]", "[[1,3],[2,4]]"),
            ("[[1,2,3],[4,5,6],[7,8,9]]", "[[1,2,3],[4,5,6],[7,8,10]]")]
SYSTEM = (["3x + y = 9", "4x - 2y = 5"], ["x = 23/10, y = 21/10", "(2, 3)", "(23/10, 21/10)"])
PLANE = (["2x + 4y = 5"], ["(x, y) = (1/2, 1) + t(-2, 1)", "(5/2 - 2t, t)", "(1/2, 1)"])
EIGEN = ("[[2,1],[1,2]]", ["λ=3: (1,1); λ=1: (1,-1)", "λ=1: (2,-2); λ=3: (-1,-1)", "λ=3: (1,0); λ=1: (1,-1)"])
STUDENT_ANSWERS = {1: ["x = 23/10, y = 21/10", "(23/10, 21/10)", "(2, 3)", "(2.3, 2.1)"],
                   2: ["(x,y,z) = (2, 1, 0) + t(-3, 4, 5)", "(2, 1, 0)", "(6/5, 11/10, 1)", "no solution"]}


def _single_checks() -> list[tuple[str, float, float]]:
    """(type, tutor seconds, bare sympy seconds) for each single check, warm worker."""
    out = []
    check_expected("x", "x")  # warm the shared worker
    for _ in range(5):
        for e, a in EXPRESSIONS + MATRICES:
            t = time.perf_counter()
            check_expected(e, a)
            out.append(("expected", time.perf_counter() - t, _bare(e, a)))
        for eqs, texts in (SYSTEM, PLANE):
            sol = tutor.solve("system", equations=eqs)
            for text in texts:
                t = time.perf_counter()
                check_solution(sol, text)
                out.append(("solution_set", time.perf_counter() - t, float("nan")))
        sol = tutor.solve("eigen", matrix=EIGEN[0])
        for text in EIGEN[1]:
            t = time.perf_counter()
            check_solution(sol, text)
            out.append(("eigen", time.perf_counter() - t, float("nan")))
    return out


def _bare(expected: str, answer: str) -> float:
    """sympy alone on already-parsed values: simplify(a - b) == 0, or matrix equality."""
    from tutor.checking.grading import reading
    try:
        if reading.is_matrix_text(expected):
            a, b = reading.matrix(expected), reading.matrix(reading.prepare(answer))
            t = time.perf_counter()
            _ = a == b
        elif "=" in expected:
            return float("nan")
        else:
            a, b = reading.expression(expected), reading.expression(reading.prepare(answer))
            t = time.perf_counter()
            _ = sympy.simplify(a - b) == 0
        return time.perf_counter() - t
    except Exception:
        return float("nan")


def batch(n: int = 10_000, **options: object) -> tuple[float, int]:
    """Seconds to grade ``n`` answers with ``grade_csv(..., **options)`` (the sheet solved
    and the file written beforehand are not counted)."""
    with tempfile.TemporaryDirectory() as d:
        sheet, answers, out = Path(d) / "s.toml", Path(d) / "a.csv", Path(d) / "g.csv"
        sheet.write_text(SHEET)
        with answers.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["student", "problem", "answer"])
            for i in range(n):
                problem = 1 + i % 2
                texts = STUDENT_ANSWERS[problem]
                w.writerow([f"s{i}", problem, texts[(i // 2) % len(texts)]])
        t = time.perf_counter()
        grade_csv(answers, sheet, out, **options)
        return time.perf_counter() - t, n


def main() -> None:
    singles = _single_checks()
    rows = []
    for kind in ("expected", "solution_set", "eigen"):
        times = sorted(s for k, s, _ in singles if k == kind)
        bare = [b for k, _, b in singles if k == kind and b == b]
        rows.append((kind, len(times), ms(statistics.median(times)), ms(times[int(0.99 * (len(times) - 1))]),
                     ms(statistics.median(bare)) if bare else "-"))
    all_times = sorted(s for _, s, _ in singles)
    rows.append(("all", len(all_times), ms(statistics.median(all_times)),
                 ms(all_times[int(0.99 * (len(all_times) - 1))]), "-"))
    table(("single check", "n", "p50 ms", "p99 ms", "bare sympy p50 ms"), rows)
    seconds, n = batch(jobs=2)
    print()
    table(("batch", "answers", "seconds", "answers/s"), [("grade --jobs 2", n, f"{seconds:.1f}", f"{n / seconds:.0f}")])
    print("goal: p50 <= 30 ms, p99 <= 300 ms, >= 200 answers/s")


if __name__ == "__main__":
    main()
