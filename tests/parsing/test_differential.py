"""Differential test of ``tutor.parse`` against latex2sympy2-extended (issue 12, section 3).

A corpus of LaTeX that students and teachers of the course type (generated combinations of
the course's atoms and operators, notation variants written by hand, and the answers of
generated problems as the sheets print them) is read by both parsers; each result is
evaluated at shared random points (:mod:`tests.parsing.latex_oracle`), and every input on
which the two disagree is classified:

- ``ours refuses``: our parser says why and what to type (a refusal is not a misreading);
- ``oracle cannot read``: the oracle fails on something we read;
- a documented convention of ours (:data:`CONVENTIONS`), recognised by its notation;
- anything else is a silent misreading by one of the two, and fails the test.

The oracle runs in a subprocess (a dev dependency, never on untrusted input).  Slow:
``python -m pytest tests/parsing/test_differential.py -m slow -s`` prints the table.
"""
from __future__ import annotations

import collections
import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from tests.parsing.latex_oracle import POINTS, sample
from tutor.core.errors import ParseError
from tutor.parsing.text import parse_expression

ORACLE = Path(__file__).with_name("latex_oracle.py")

ATOMS = [
    "x", "y", "t", "2", "3", "10", "0.5", r"\frac{1}{2}", r"\frac12", r"\tfrac{3}{4}", r"\dfrac{x}{3}",
    "x^2", "x^{3}", "x^{-1}", r"x^{\frac{1}{2}}", "x_1", "x_{2}", "y_{12}", r"\alpha", r"\beta", r"\lambda",
    r"\mu", r"\sigma", r"\theta", r"\pi", "e^{x}", "e^{-x^2}", r"\exp(x)", r"\sqrt{x}", r"\sqrt{2}",
    r"\sqrt[3]{x}", r"\sin x", r"\cos(2x)", r"\tan x", r"\sin^2 x", r"\cos^{2}(x)", r"\ln x", r"\ln(1+x)",
    r"\log x", r"\log_2 x", r"\sec x", r"|x|", r"\left|x-1\right|", r"(x+1)", r"\left(x-y\right)",
    r"\frac{x}{y}", r"\frac{1}{x^2+1}", r"2x", r"3xy", r"x y", r"\arctan x", r"\sinh x", r"\cosh(x)",
]
TEMPLATES = ["{a} + {b}", "{a} - {b}", r"{a} \cdot {b}", r"{a} \times {b}", "{a}{b}", r"\frac{{{a}}}{{{b}}}",
             "({a})^{{2}}", "{a}^{{2}} - {b}"]

VARIANTS = [
    r"\left( x + 1 \right)^2", r"\Big( x \Big)", r"x \, y", r"x \; y", r"x\!y", r"x \quad y", r"x\thinspace y",
    r"\displaystyle \frac{1}{2}", r"\frac{\sqrt{3}}{2}", r"-\frac{1}{2}", r"\frac{-1}{2}", r"2^{10}", r"2^{-3}",
    r"(-1)^{3}", r"-1^{2}", r"-x^2", r"x^{y^2}", r"e^{i\pi}", r"\sqrt{-1}", r"1 + 2i", r"\cos\pi", r"\sin\frac{\pi}{6}",
    r"\tan\left(\frac{\pi}{4}\right)", r"\ln e", r"\ln(e^2)", r"e", r"\exp(1)", r"\frac{d}{dx}x^2", r"\frac{dy}{dx}",
    r"f(x)", r"g(t)", r"E[X]", r"1\frac{1}{2}", r"2\frac{3}{4}", r"\binom{5}{2}", r"5!", r"\max(1,2)", r"\min(3, 5)",
    r"\sec x", r"\csc x", r"\cot x", r"\arcsin x", r"\sin^{-1} x", r"\cos^{-1}(x)", r"\tan^{-1} x",
    r"x^2_i", r"x_{i,j}", r"a_{n+1}", r"x_{\theta}", r"\theta_1", r"\sigma^2", r"\lambda^2 - 5\lambda + 6",
    r"(\lambda - 1)(\lambda - 2)", r"\frac{1}{\sqrt{2}}", r"\sqrt{\frac{2}{3}}", r"\frac{\sqrt{2}}{2}",
    r"\left\lvert x \right\rvert", r"\lvert -3 \rvert", r"\frac{x^2 - 1}{x - 1}", r"\frac{1}{1 + e^{-x}}",
    r"0.25", r"0.333", r"3.", r"\frac{0.5}{2}", r"2 \cdot 10^{3}", r"10^{-2}", r"\pi r^2", r"2\pi",
    r"\frac{\pi}{2}", r"\sqrt{x^2 + y^2}", r"\sqrt{(x-1)^2}", r"\log_{10} 100", r"\log_3 9", r"\ln|x|",
    r"\exp(-\frac{x^2}{2})", r"\frac{1}{\sqrt{2\pi}} e^{-\frac{x^2}{2}}", r"x^T", r"\cdot", r"x +", r"{x}", r"{{x}}",
    r"\mathrm{e}^{x}", r"\operatorname{sin}(x)", r"\mathrm{d}x", r"x \le 2", r"x \neq 2", r"\pm 2",
    r"\infty", r"-\infty", r"\frac{1}{0}", r"0^0", r"\int x dx", r"\sum_{i=1}^{3} i", r"x = 2",
]


def generated() -> list[str]:
    """Every atom with every atom in each template, a deterministic sample of them."""
    pairs = [t.format(a=a, b=b) for t in TEMPLATES for a, b in itertools.product(ATOMS, ATOMS)]
    return random.Random(12).sample(pairs, 2100)


def from_generators() -> list[str]:
    """Scalar answers of generated problems as the sheets print them (LaTeX)."""
    from tutor.api import solve
    from tutor.exams.generators import GENERATORS
    from tutor.exams.generators.forms import answer_text
    from tutor.core.answers import ExpressionAnswer
    out = []
    for kind in sorted(GENERATORS):
        for seed in range(4):
            try:
                sol = solve(GENERATORS[kind](random.Random(seed), 2))
            except Exception:
                continue
            if type(sol.answer) is ExpressionAnswer and not isinstance(sol.answer.value, sympy.MatrixExpr):
                out.append(answer_text(sol.answer, "latex"))
    return out


def corpus() -> list[str]:
    return list(dict.fromkeys(generated() + VARIANTS + from_generators()))


# ---------------------------------------------------------------- the comparison

_FUNC = r"\\(?:sin|cos|tan|sec|csc|cot|sinh|cosh|tanh|arcsin|arccos|arctan|ln|log(?:_\{?\d+\}?)?)"
# \sin x \cdot y: the oracle reads sin(x·y); the rewrite gives it \sin(x) \cdot y
_RUNS_ON = re.compile("(" + _FUNC + r"(?:\^\{?-?\d+\}?)?)\s+([^\s(\\{][^\s\\]*?|\\[a-zA-Z]+)\s*(\\cdot|\\times)")
#: where the two parsers read one notation differently by design: (what, notation, the text
#: rewritten so that the oracle reads our meaning).  A disagreement is put in a class only
#: when the oracle, given the rewritten text, agrees with us: nothing is explained away.
CONVENTIONS = [
    (r"convention: \log is natural (the oracle: base 10)", re.compile(r"\\log(?!_)"),
     lambda t: re.sub(r"\\log(?!_)", r"\\ln", t)),
    ("convention: i is the imaginary unit (the oracle: a symbol i)",
     re.compile(r"(?<![a-zA-Z\\])i(?![a-zA-Z])"), lambda t: re.sub(r"(?<![a-zA-Z\\])i(?![a-zA-Z])", r"(\\sqrt{-1})", t)),
    (r"convention: \mathrm{e} is Euler's number (the oracle: a symbol e)", re.compile(r"\\mathrm\{e\}"),
     lambda t: t.replace(r"\mathrm{e}", "e")),
    (r"oracle defect: a function's argument runs on across \cdot or \times", _RUNS_ON,
     lambda t: _RUNS_ON.sub(r"\1(\2) \3", t)),
]


def ours(text: str) -> dict:
    try:
        e = parse_expression(text)
    except ParseError as exc:
        return {"error": str(exc)}
    out = []
    for k in range(POINTS):
        try:
            v = complex(sympy.N(e.subs({s: sample(s.name, k) for s in e.free_symbols}), 15))
            out.append([v.real, v.imag] if abs(v) < 1e12 else None)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            out.append(None)
    return {"values": out, "read": sympy.sstr(e)[:200]}


def oracle(texts: list[str]) -> list[dict]:
    run = subprocess.run([sys.executable, str(ORACLE)], input=json.dumps(texts), capture_output=True,
                         text=True, timeout=1200, cwd=ORACLE.parent)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def _close(a: list, b: list) -> bool:
    for p, q in zip(a, b):
        if p is None or q is None:
            if (p is None) != (q is None):
                return False
            continue
        d = abs(complex(*p) - complex(*q))
        if d > 1e-8 * max(1.0, abs(complex(*p))):
            return False
    return True


def classify(text: str, mine: dict, theirs: dict, rewritten: dict[str, dict]) -> str:
    """``rewritten``: the oracle's reading of each convention's rewrite of ``text``."""
    if "error" in mine and "error" in theirs:
        return "both refuse"
    if "error" in mine:
        return "ours refuses (says what to type)"
    if "error" in theirs:
        return "oracle cannot read"
    if _close(mine["values"], theirs["values"]):
        return "agree"
    for name, text2 in _rewritings(text):
        again = rewritten.get(text2)
        if again is not None and "values" in again and _close(mine["values"], again["values"]):
            return name
    return "DISAGREE"


def _rewritings(text: str) -> list[tuple[str, str]]:
    """Each applicable convention's rewrite of ``text``, then all of them together."""
    hits = [(name, rewrite) for name, pattern, rewrite in CONVENTIONS if pattern.search(text)]
    out = [(name, rewrite(text)) for name, rewrite in hits]
    if len(hits) > 1:
        together = text
        for _, rewrite in hits:
            together = rewrite(together)
        out.append((" + ".join(name for name, _ in hits), together))
    return out


def rewrites(texts: list[str]) -> list[str]:
    return sorted({t2 for t in texts for _, t2 in _rewritings(t)})


@pytest.mark.slow
def test_differential_against_latex2sympy2_extended():
    pytest.importorskip("latex2sympy2_extended")
    texts = corpus()
    assert len(texts) >= 2000, len(texts)
    theirs = oracle(texts)
    mine = [ours(text) for text in texts]
    differ = [text for text, m, t in zip(texts, mine, theirs) if "values" in m and "values" in t
              and not _close(m["values"], t["values"])]
    again = rewrites(differ)
    rewritten = dict(zip(again, oracle(again)))
    table: dict[str, list[str]] = collections.defaultdict(list)
    for text, m, t in zip(texts, mine, theirs):
        kind = classify(text, m, t, rewritten)
        table[kind].append(f"{text!r}: ours {m.get('read', m.get('error'))!r}, "
                           f"oracle {t.get('read', t.get('error'))!r}")
    both_read = sum(len(v) for k, v in table.items() if k not in ("both refuse", "oracle cannot read",
                                                                   "ours refuses (says what to type)"))
    print(f"\n{len(texts)} inputs; read by both: {both_read}; agree: {len(table['agree'])} "
          f"({100 * len(table['agree']) / max(1, both_read):.1f}% of those)")
    for kind, items in sorted(table.items(), key=lambda kv: -len(kv[1])):
        print(f"  {kind}: {len(items)}")
        for line in items[:4] if kind != "agree" else []:
            print(f"      {line}")
    assert not table["DISAGREE"], "silent misreadings:\n" + "\n".join(table["DISAGREE"][:30])
