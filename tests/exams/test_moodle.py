"""Moodle XML for a stock Moodle: read back as Moodle's own importer reads it.

The regular expressions below are those of Moodle's Cloze parser
(question/type/multianswer/questiontype.php, ``qtype_multianswer_extract_question`` and
``qtype_multianswer_validate_question``; question/format/xml/format.php reads a
``<question type="cloze">`` as ``questiontext/text`` handed to that parser, ``name/text``,
``generalfeedback/text``, ``defaultgrade``).  PHP's ``(?<!\\\\|&|&amp;)`` becomes three
look-behinds in Python (its look-behinds must have one width).  Numbers in the blanks are
compared with an independent computation (sympy's value of the typed answer), and the
unique forms the questions state are checked on the answers with sympy as the oracle.
"""
from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from math import gcd

import numpy as np
import pytest
import sympy

from tutor.core import answers as A
from tutor.exams import documents as exams
from tutor.exams import generators, moodle
from tutor.topics.gaussians import ScaledGaussianAnswer
from tutor.topics.transforms import DensityAnswer

# ---------------------------------------------------------------- Moodle's Cloze grammar

FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
ALTERNATIVE = "(" + FRACTION + ")?" + "(" + ANSWER + ")" + "(#(" + FEEDBACK + "))?"
NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
NUMERICAL_ALTERNATIVE = "^(" + NUMBER + ")(:" + NUMBER + ")?$"
TYPES = ("(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
         "(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|"
         "(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
         "(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)")
START = r"\{([0-9]*):(" + TYPES + "):"
CLOZE = re.compile(START + "(" + ALTERNATIVE + "(~" + ALTERNATIVE + r")*)\}", re.S)
ALT = re.compile("~?" + ALTERNATIVE, re.S)


def extract(text: str) -> list[dict]:
    """``qtype_multianswer_extract_question``: the subquestions, in order, as Moodle reads them."""
    subs = []
    while (found := CLOZE.search(text)):
        numerical = bool(found.group(3))
        choice = bool(found.group(4))
        assert numerical or choice, found.group(0)
        sub = {"type": "numerical" if numerical else "multichoice", "answers": []}
        rest = found.group(16)
        while (alt := ALT.match(rest)) and alt.group(0):
            fraction = 1.0 if alt.group(1) == "=" else float(alt.group(2)) / 100 if alt.group(2) else 0.0
            answer = alt.group(3)
            if numerical:
                number = re.match(NUMERICAL_ALTERNATIVE, answer, re.S)
                assert number, f"answermustbenumberorstar: {answer!r}"
                sub["answers"].append((fraction, float(number.group(1)), float(number.group(6) or 0)))
            else:
                sub["answers"].append((fraction, answer.replace("\\}", "}").replace("\\#", "#")))
            rest = rest[len(alt.group(0)):]
        assert rest == "", rest
        subs.append(sub)
        text = text.replace(found.group(0), "{#%d}" % len(subs), 1)
    return subs


def validate(subs: list[dict]) -> None:
    """``qtype_multianswer_validate_question``: a right answer in each, two options in a choice."""
    assert subs, "questionsmissing"
    for sub in subs:
        assert any(a[0] == 1 for a in sub["answers"]), sub
        if sub["type"] == "multichoice":
            assert len(sub["answers"]) >= 2


def graded(sub: dict, response: str) -> bool:
    """A numerical subquestion marks a response right within the tolerance of a 100% answer."""
    if sub["type"] == "multichoice":
        return any(f == 1 and a == response for f, a in sub["answers"])
    return any(f == 1 and abs(float(response) - v) <= t + 1e-12 for f, v, t in sub["answers"])


# ---------------------------------------------------------------- the exported XML

ALL_KINDS = sorted(generators.GENERATORS)


def _quiz(kinds, seed=5, difficulty=2, versions=1):
    spec = exams.spec_from_mapping({"title": "Quiz } # ~ / \" \\ <&>", "seed": seed, "versions": versions,
                                    "difficulty": difficulty,
                                    "question": [{"topics": kinds, "count": len(kinds)}]})
    drawn = exams.draw_versions(spec)
    return drawn, ET.fromstring(moodle.moodle_xml(drawn))


def _numbers(answer) -> list[sympy.Expr] | None:
    """The numbers a stock Moodle must be given for a numeric answer (sympy: the oracle)."""
    if isinstance(answer, (A.MatrixAnswer, A.VectorAnswer)):
        entries = list(sympy.Matrix(answer.value))
        return None if any(sympy.sympify(e).free_symbols for e in entries) else entries
    if isinstance(answer, A.BasisAnswer):
        return [e for v in answer.vectors for e in v]
    if isinstance(answer, A.EigenAnswer):
        return [x for e in answer.eigenvalues for x in [e.value, e.algebraic_multiplicity, e.geometric_multiplicity,
                                                        *(c for b in e.basis for c in b)]]
    if isinstance(answer, A.SVDAnswer):
        return [*answer.U, *answer.S, *answer.V]
    if isinstance(answer, DensityAnswer) and not answer.value.free_symbols:
        return [answer.value, answer.lower, answer.upper]
    if isinstance(answer, A.ExpressionAnswer) and not answer.value.free_symbols:
        return [answer.value]
    if isinstance(answer, A.DiagonalizationAnswer) and answer.diagonalizable:
        return [*answer.P, *answer.D]
    if isinstance(answer, A.SolutionSetAnswer) and answer.particular is not None:
        return [*answer.particular, *(e for d in answer.directions for e in d)]
    if isinstance(answer, A.DistributionAnswer):
        return list(answer.probabilities)
    if isinstance(answer, A.MomentsAnswer):
        return [*_flat(answer.mean), *_flat(answer.variance)]
    if isinstance(answer, A.GaussianAnswer):
        return [*answer.mean, *answer.cov, *([answer.constant] if isinstance(answer, ScaledGaussianAnswer) else [])]
    if isinstance(answer, A.GradientsAnswer):
        return [e for v in answer.values.values() for e in v]
    return None


def _flat(value):
    return list(value) if isinstance(value, sympy.MatrixBase) else [value]


#: an exam holds at most 60 questions: every kind is exported in two quizzes
HALVES = [ALL_KINDS[:len(ALL_KINDS) // 2], ALL_KINDS[len(ALL_KINDS) // 2:]]


@pytest.mark.parametrize("difficulty", [1, 3])
@pytest.mark.parametrize("half", [0, 1])
def test_every_question_is_a_cloze_that_moodle_imports_and_grades(difficulty, half):
    kinds = HALVES[half]
    drawn, root = _quiz(kinds, difficulty=difficulty)
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].find("category/text").text == "$course$/Quiz } # ~ / \" \\ <&>"
    real = questions[1:]
    assert len(real) == len(kinds)
    fallback = []
    for q, variant in zip(real, (q.variant for q in drawn[0].questions)):
        assert q.find("name/text").text and q.find("questiontext").get("format") == "html"
        assert q.find("generalfeedback/text").text.startswith("<p>")
        assert int(q.find("defaultgrade").text) == 10
        if q.get("type") == "shortanswer":
            fallback.append(variant.kind)
            continue
        assert q.get("type") == "cloze"
        subs = extract(q.find("questiontext/text").text)
        validate(subs)
        numbers = _numbers(variant.solution.answer)
        numeric = [s for s in subs if s["type"] == "numerical"]
        if numbers is not None:
            assert len(numeric) == len(numbers), variant.kind
            for sub, exact in zip(numeric, numbers):
                value = float(sympy.N(exact, 30))
                assert graded(sub, repr(value)), (variant.kind, exact)
                assert not graded(sub, f"{value + 0.01:.6f}"), (variant.kind, exact)
                rational = sympy.nsimplify(exact)
                if rational.is_Rational and 10**6 % rational.q == 0:
                    assert sub["answers"][0][2] == 0  # the decimal ends: exact, tolerance 0
                else:
                    assert graded(sub, f"{value:.3f}"), (variant.kind, exact)  # three decimals pass
                    assert not graded(sub, f"{value + 0.001:.3f}"), (variant.kind, exact)
    # matrix symbols: no numbers to ask for
    assert fallback == [k for k in kinds if k == "matrix_gradient"]


def test_choices_and_text_are_escaped_for_the_cloze_parser():
    tricky = 'a } b # c ~ d / e " f \\ g'
    blank = moodle.Blank(choices=(tricky, "plain"))
    subs = extract(blank.cloze())
    assert len(subs) == 1 and len(subs[0]["answers"]) == 2  # not split at ~ or }, no feedback at #
    assert subs[0]["answers"][0][0] == 1 and subs[0]["answers"][1] == (0.0, "plain")
    assert moodle.cloze_escape(tricky) == 'a \\} b \\# c \\~ d \\/ e \\" f \\\\ g'


@pytest.mark.parametrize("value, text, tolerance", [
    (sympy.Integer(-3), "-3", "0"), (sympy.Rational(3, 4), "0.75", "0"), (sympy.Rational(-7, 40), "-0.175", "0"),
    (sympy.Rational(1, 3), "0.333333", moodle.TOLERANCE), (sympy.sqrt(2) / 2, "0.707107", moodle.TOLERANCE),
    (sympy.exp(2), "7.389056", moodle.TOLERANCE)])
def test_numbers_exact_when_the_decimal_ends(value, text, tolerance):
    assert moodle.numeral(value) == (text, tolerance)
    assert re.match(NUMERICAL_ALTERNATIVE, f"{text}:{tolerance}")


@pytest.mark.parametrize("half", [0, 1])
def test_statement_text_never_looks_like_a_blank(half):
    """TeX braces in a statement must not be read as Cloze blanks: only ours are."""
    drawn, root = _quiz(HALVES[half], seed=11, difficulty=2)
    for q, question in zip(root.findall("question")[1:], drawn[0].questions):
        if q.get("type") == "cloze":
            f = moodle.form(question.variant.solution.answer)
            assert len(extract(q.find("questiontext/text").text)) == sum(len(r) for p in f.parts for r in p.rows)


# ---------------------------------------------------------------- the stated unique forms

def _free_columns(M: sympy.Matrix) -> list[int]:
    _, pivots = M.rref()
    return [j for j in range(M.cols) if j not in pivots]


def _minus_one(vectors, free) -> bool:
    return len(vectors) == len(free) and all(
        v[f] == (-1 if j == k else 0) for k, v in enumerate(vectors) for j, f in enumerate(free))


def _integer_primitive(v) -> bool:
    entries = list(v)
    if not all(sympy.sympify(e).is_integer for e in entries):
        return False
    first = next(e for e in entries if e != 0)
    common = 0
    for e in entries:
        common = gcd(common, int(e))
    return first > 0 and common == 1


def _variants(kind):
    return [generators.draw(kind, random.Random(seed), d) for seed in range(4) for d in (1, 2, 3)]


def test_kernel_basis_is_the_minus_one_trick():
    for v in _variants("kernel"):
        M = sympy.Matrix(v.problem.inputs["A"])
        vectors = v.solution.answer.vectors
        assert _minus_one(vectors, _free_columns(M))
        assert all(M * sympy.Matrix(b) == sympy.zeros(M.rows, 1) for b in vectors)


def test_system_particular_has_free_variables_zero_and_minus_one_directions():
    for v in _variants("system"):
        a = v.solution.answer
        if a.particular is None:
            continue
        M, b = v.problem.inputs["A"], v.problem.inputs["b"]
        free = _free_columns(M)
        assert all(a.particular[f] == 0 for f in free) and M * a.particular == b
        assert _minus_one(a.directions, free)


def test_eigenvectors_integer_first_entry_positive_eigenvalues_increasing():
    for v in _variants("eigen"):
        M = sympy.Matrix(v.problem.inputs["A"])
        values = [e.value for e in v.solution.answer.eigenvalues]
        assert values == sorted(values, key=lambda x: float(sympy.re(sympy.N(x))))
        for e in v.solution.answer.eigenvalues:
            for b in e.basis:
                assert M * sympy.Matrix(b) == e.value * sympy.Matrix(b)
                if e.value.is_rational:
                    assert _integer_primitive(b), (b, e.value)


def test_diagonalization_in_the_stated_form():
    for v in _variants("diagonalize"):
        a = v.solution.answer
        if not a.diagonalizable:
            continue
        M = sympy.Matrix(v.problem.inputs["A"])
        diagonal = [a.D[i, i] for i in range(a.D.rows)]
        assert diagonal == sorted(diagonal) and M * a.P == a.P * a.D
        for j in range(a.P.cols):
            column = a.P[:, j]
            if v.raw.get("orthogonal"):
                assert sympy.simplify(column.dot(column)) == 1 and next(e for e in column if e != 0) > 0
            else:
                assert _integer_primitive(column)


def test_svd_in_the_stated_form():
    for v in _variants("svd"):
        a = v.solution.answer
        M = sympy.Matrix(v.problem.inputs["A"])
        sigmas = [a.S[i, i] for i in range(min(a.S.shape))]
        assert sigmas == sorted(sigmas, reverse=True)
        assert sympy.simplify(a.U * a.S * a.V.T - M) == sympy.zeros(*M.shape)
        for j in range(a.V.cols):
            assert next(e for e in a.V[:, j] if e != 0) > 0
        for i, s in enumerate(sigmas):
            if s != 0:
                assert sympy.simplify(M * a.V[:, i] / s - a.U[:, i]) == sympy.zeros(M.rows, 1)
        for j in range(len([s for s in sigmas if s != 0]), a.U.cols):
            assert next(e for e in a.U[:, j] if sympy.simplify(e) != 0) > 0


# ---------------------------------------------------------------- formulas as numbers

def _blank_values(text):
    return [s["answers"][0][1] for s in extract(text) if s["type"] == "numerical"]


@pytest.mark.parametrize("kind", ["derivative", "partial", "charpoly", "taylor"])
def test_formulas_become_coefficients_or_values_at_stated_points(kind):
    """A polynomial's blanks are its coefficients (numpy.polyval agrees with the formula);
    another formula's blanks are its values at the points the question names (numpy)."""
    for seed in range(3):
        v = generators.draw(kind, random.Random(seed), 2)
        value = v.solution.answer.value
        f = moodle.form(v.solution.answer)
        text = moodle.question_html(v, f)
        blanks = _blank_values(text)
        symbols = sorted(value.free_symbols, key=str)
        numeric = sympy.lambdify(symbols, value, "numpy")
        if f.coefficients_of:
            assert len(symbols) == 1 and f"powers of \\({f.coefficients_of}\\)" in text
            for x in (0.3, -1.7, 2.2):
                assert np.isclose(np.polyval(blanks, x), numeric(x))
        else:
            assert len(f.points) == 2 and all(f"\\({p}\\)" in text for p in f.points)
            candidates = [{s: c + k for k, s in enumerate(symbols)} for c in (1, 2, 0.5, 3, -1)]
            expected = [numeric(*[pt[s] for s in symbols]) for pt in candidates]
            real = [e for e in expected if np.isfinite(e) and np.isreal(e)]
            assert np.allclose(blanks, real[:2], atol=1e-6)
