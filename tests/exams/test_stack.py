"""STACK export: the XML as STACK's importer reads it, and every tree run in a real Maxima.

The structure follows maths/moodle-qtype_stack's own code (questiontype.php:
``import_from_xml``, ``import_xml_input``, ``import_xml_prt``, ``import_xml_prt_node``,
``import_xml_qtest`` read these elements; ``validate_fromform`` / ``validate_prt`` require one
``[[input:ansK]]`` and one ``[[validation:ansK]]`` per input, one ``[[feedback:prt1]]``, input
names of its pattern, unique answer notes, a tree whose nodes all hang from the first).

The core: for each exported question (every kind with a generator, several seeds), the
question variables and the feedback variables run in Debian's ``maxima`` (with the
``linearalgebra`` package, which STACK loads) with ``ans1``, ... set to
- the reference answer: every property true (the tree's last node, score 1);
- each mutant of the grader's mutation catalogue (tests/checking/test_mutants.py: an entry
  off, a sign, the transpose, swapped eigenvectors, a dependent vector, ...): some property
  false, or an input left empty (STACK then does not run the tree: no mark);
- right answers in other forms (an eigenvector times -2, another basis of the same span,
  another particular solution, columns of an SVD with both signs flipped, ...): all true;
- the question's own tests (``<qtest>``): the outcome they state.
Many cases run in one Maxima process; the wider sweep is ``-m slow``.
"""
from __future__ import annotations

import dataclasses
import random
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator

import pytest
import sympy

from tests.checking.test_mutants import mutants
from tutor import api
from tutor.core import answers as A
from tutor.core.errors import TutorError
from tutor.exams import documents as exams
from tutor.exams import stack
from tutor.exams.generators import GENERATORS

MAXIMA = shutil.which("maxima")


def _maxima_works() -> bool:
    """Maxima with its linearalgebra package (Debian's maxima-share), as STACK loads it."""
    if MAXIMA is None:
        return False
    probe = "load(linearalgebra)$ print(zeromatrixp(ident(2) - ident(2)))$"
    run = subprocess.run([MAXIMA, "--very-quiet", "--batch-string=" + probe],
                         capture_output=True, text=True, timeout=120)
    return "true" in run.stdout.split()


needs_maxima = pytest.mark.skipif(not _maxima_works(), reason="maxima with maxima-share is not installed "
                                                               "(make setup installs it)")

#: kinds whose answer has no Maxima form (a formula in matrix symbols): refused
REFUSED = {"matrix_gradient"}
KINDS = sorted(set(GENERATORS) - REFUSED)

#: mutants of parts the question does not ask (nor does the Moodle export): a PCA's codes (their
#: signs follow the axes'), a MAP estimate's posterior (a name, not a number)
NOT_ASKED = {("pca", "a code off"), ("map", "the posterior's parameters")}

#: the functions of STACK's security map (stack/cas/security-map.json) that the export may call:
#: each is allowed for teachers there ('s' for students too, '?' teachers only), none forbidden
STACK_FUNCTIONS = {
    "abs", "addcol", "and", "apply", "block", "charpoly", "determinant", "ev", "every", "expand", "float",
    "fullratsimp", "genmatrix", "ident", "if", "integerp", "is", "lambda", "length", "list_matrix_entries", "listp",
    "map", "makelist", "matrix", "matrixp", "not", "or", "rank", "sqrt", "subst", "transpose", "trigsimp",
    "zeromatrixp", "exp", "log", "sin", "cos", "tan", "atan", "asin", "acos", "signum", "sinh", "cosh", "tanh",
    "max", "min", "trigexpand", "logcontract", "exponentialize",
}


# ---------------------------------------------------------------- Maxima

@dataclasses.dataclass(frozen=True)
class Case:
    """One run of a tree: ``values`` typed into the inputs (None: left empty)."""

    key: str
    question: stack.StackQuestion
    values: tuple[str | None, ...]


def run_maxima(cases: list[Case]) -> dict[str, list[bool] | None]:
    """The properties (``ok1``, ...) of every case; None: a Maxima error.  A case with an
    empty input is not run (STACK runs no tree then): it is reported as ``[False]``."""
    lines = ["load(linearalgebra)$", "display2d: false$", "linel: 100000$"]
    results: dict[str, list[bool] | None] = {}
    for n, case in enumerate(cases):
        if any(v is None for v in case.values):
            results[case.key] = [False]
            continue
        sq = case.question
        oks = [name for name, _ in sq.feedback_variables()]
        names = [name for name, _ in sq.variables] + [f"ans{k}" for k in range(1, len(case.values) + 1)] + oks
        statements = ([f"{name}: {value}" for name, value in sq.variables]
                      + [f"ans{k}: {value}" for k, value in enumerate(case.values, start=1)]
                      + [f"{name}: {code}" for name, code in sq.feedback_variables()]
                      + ["[" + ", ".join(oks) + "]"])
        lines.append(f"r: errcatch(block([{', '.join(names)}], {', '.join(statements)}))$")
        lines.append(f'print("@@{n}", r)$')
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "cases.mac"
        script.write_text("\n".join(lines) + "\n")
        out = subprocess.run([MAXIMA, "--very-quiet", f"--batch={script}"], capture_output=True, text=True,
                             timeout=900, cwd=folder).stdout
    found = {int(m.group(1)): m.group(2) for m in re.finditer(r"^@@(\d+) (.*)$", out, re.M)}
    for n, case in enumerate(cases):
        if case.key in results:
            continue
        text = found.get(n)
        assert text is not None, f"{case.key}: no output from maxima"
        if text.strip() == "[]":
            results[case.key] = None
            continue
        words = re.findall(r"true|false|unknown", text)
        results[case.key] = [w == "true" for w in words]
    return results


# ---------------------------------------------------------------- right answers in other forms

def _scaled(vectors: tuple, factor: int = -2) -> tuple:
    return tuple(factor * sympy.Matrix(v) for v in vectors)


def _other_basis(vectors: tuple) -> tuple:
    """The same span: v1 + v2, then -2 times the others."""
    vs = [sympy.Matrix(v) for v in vectors]
    return tuple([vs[0] + vs[1], *(-2 * v for v in vs[1:])] if len(vs) > 1 else [-2 * vs[0]] if vs else [])


def alternatives(answer: A.Answer, kind: str, problem: Any) -> Iterator[tuple[str, A.Answer]]:
    """Right answers other than the reference, which a property-graded tree must accept."""
    if isinstance(answer, A.EigenAnswer):
        yield "eigenvectors times -2, another basis", A.EigenAnswer(tuple(
            dataclasses.replace(e, basis=_other_basis(e.basis)) for e in answer.eigenvalues))
        yield "eigenvalues in reverse order", A.EigenAnswer(tuple(reversed(answer.eigenvalues)))
    elif isinstance(answer, A.BasisAnswer) and kind in ("kernel", "image", "complement") and answer.vectors:
        yield "another basis", A.BasisAnswer(_other_basis(answer.vectors))
        yield "the basis in reverse order", A.BasisAnswer(tuple(reversed(answer.vectors)))
    elif isinstance(answer, A.SolutionSetAnswer) and answer.particular is not None:
        p = sympy.Matrix(answer.particular)
        if answer.directions:
            yield "another particular solution and directions", dataclasses.replace(
                answer, particular=p + sympy.Matrix(answer.directions[0]) * 3,
                directions=_other_basis(answer.directions))
    elif isinstance(answer, A.DiagonalizationAnswer) and answer.diagonalizable:
        P, D = sympy.Matrix(answer.P), sympy.Matrix(answer.D)
        order = list(reversed(range(P.cols)))
        yield "columns in another order", dataclasses.replace(
            answer, P=P.extract(list(range(P.rows)), order), D=sympy.diag(*[D[i, i] for i in order]))
        if not problem.inputs.get("orthogonal"):
            yield "columns of P times -2", dataclasses.replace(answer, P=-2 * P)
        else:
            yield "a column of Q times -1", dataclasses.replace(answer, P=P.multiply_elementwise(
                sympy.Matrix(P.rows, P.cols, lambda i, j: -1 if j == 0 else 1)))
    elif isinstance(answer, A.SVDAnswer):
        U, V = sympy.Matrix(answer.U), sympy.Matrix(answer.V)
        U[:, 0], V[:, 0] = -U[:, 0], -V[:, 0]
        yield "u1 and v1 with the other sign", dataclasses.replace(answer, U=U, V=V)
    elif isinstance(answer, A.PCAAnswer):
        yield "the axes with the other sign", dataclasses.replace(answer, components=_scaled(answer.components, -1))
    elif kind == "charpoly" and sympy.Matrix(problem["A"]).rows % 2:
        yield "det(λI - A)", dataclasses.replace(answer, value=-answer.value)
    elif type(answer) is A.ExpressionAnswer and answer.value.free_symbols:
        for name, form in (("expanded", sympy.expand(answer.value)), ("factored", sympy.factor(answer.value)),
                           ("logarithms combined", sympy.logcombine(answer.value, force=True)),
                           ("logarithms expanded", sympy.expand_log(answer.value, force=True))):
            if form != answer.value:
                yield name, dataclasses.replace(answer, value=form)


# ---------------------------------------------------------------- the sweep

def draw(kind: str, seed: int, difficulty: int) -> tuple[Any, random.Random] | None:
    rng = random.Random(seed * 7 + difficulty)
    try:
        return api.solve(GENERATORS[kind](rng, difficulty)), rng
    except TutorError:
        return None  # a degenerate draw (the exam's draw() redraws it)


def cases_of(kind: str, seeds: range, difficulties: tuple[int, ...]) -> tuple[list[Case], list[Case], list[Case]]:
    """(must pass, must fail, the question tests with the outcome they state) over the draws."""
    right: list[Case] = []
    wrong: list[Case] = []
    for difficulty in difficulties:
        for seed in seeds:
            drawn = draw(kind, seed, difficulty)
            if drawn is None:
                continue
            sol, rng = drawn
            sq = stack.stack_question(sol.problem, sol.answer)
            assert sq is not None, f"{kind}: no STACK question"
            at = f"{kind} seed {seed} difficulty {difficulty}"
            right.append(Case(f"{at}: the reference", sq, tuple(sq.answers(sol.answer))))
            right.append(Case(f"{at}: qtest 1", sq, tuple(f"ta{k}" if s.type != "dropdown" else s.value
                                                             for k, s in enumerate(sq.slots, start=1))))
            wrong.append(Case(f"{at}: qtest 2", sq, tuple(stack.wrong_answer(sq))))
            for name, other in alternatives(sol.answer, kind, sol.problem):
                right.append(Case(f"{at}: {name}", sq, tuple(sq.answers(other))))
            for mistake, mutant in mutants(sol.answer, kind, sol.problem, rng):
                if (kind, mistake) in NOT_ASKED:
                    continue
                wrong.append(Case(f"{at}: {mistake}", sq, tuple(sq.answers(mutant))))
    return right, wrong, []


def check_kinds(kinds: list[str], seeds: range, difficulties: tuple[int, ...]) -> dict[str, tuple[int, int]]:
    right: list[Case] = []
    wrong: list[Case] = []
    for kind in kinds:
        r, w, _ = cases_of(kind, seeds, difficulties)
        right += r
        wrong += w
    results = run_maxima(right + wrong)
    failures = [f"right answer refused: {c.key}: {results[c.key]} {c.values}" for c in right
                if not results[c.key] or not all(results[c.key])]
    failures += [f"wrong answer accepted: {c.key}: {c.values}" for c in wrong
                 if results[c.key] and all(results[c.key])]
    failures += [f"the wrong qtest does not fail at node 1: {c.key}: {results[c.key]}" for c in wrong
                 if c.key.endswith("qtest 2") and (not results[c.key] or results[c.key][0])]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:20])
    return {"right": (len(right), 0), "wrong": (len(wrong), 0)}


HALVES = [KINDS[: len(KINDS) // 2], KINDS[len(KINDS) // 2:]]


@needs_maxima
@pytest.mark.parametrize("half", [0, 1])
def test_trees_accept_right_answers_and_reject_the_mutants(half):
    check_kinds(HALVES[half], range(2), (2,))


@needs_maxima
@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_trees_over_more_draws(kind):
    check_kinds([kind], range(2, 6), (1, 2, 3))


# ---------------------------------------------------------------- the equality of formulas

#: equal formulas that the Maxima zero test does not prove (an answer so typed is marked wrong):
#: square roots pulled apart (√(4x+12) = 2√(x+3): Maxima's ``radcan`` would, but it also makes
#: √(x²) = x), positivity of m, k, and y^ln x = x^ln y
UNPROVED = {("2+\\sqrt{12+4x}", "2+2\\sqrt{3+x}"), ("2\\pi \\sqrt{m/k}", "\\frac{2\\pi}{\\sqrt{k/m}}"),
            ("y^{\\ln x}", "x^{\\ln y}")}


@needs_maxima
def test_the_zero_test_agrees_with_the_answer_test_fixtures():
    """The formula sections of tests/checking/test_stack_fixtures.py (cases in the spirit of
    STACK's own AlgEquiv fixtures): the zero test never calls two different formulas equal, and
    proves every pair of equal ones but :data:`UNPROVED`."""
    from tests.checking.test_stack_fixtures import FIXTURES
    from tutor.checking.grading import reading
    pairs = [(e, a, same) for section, e, a, same in FIXTURES if section in ("numbers", "powers", "polynomials",
                                                                               "trig", "logs")]
    assert len(pairs) > 60
    lines = ["display2d: false$", "linel: 100000$"]
    for n, (e, a, _) in enumerate(pairs):
        difference = stack.maxima(reading.expression(e) - reading.expression(a))
        lines.append(f'print("@@{n}", errcatch({stack.zero(difference)}))$')
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "fixtures.mac"
        script.write_text("\n".join(lines) + "\n")
        out = subprocess.run([MAXIMA, "--very-quiet", f"--batch={script}"], capture_output=True, text=True,
                             timeout=300, cwd=folder).stdout
    proved = {int(m.group(1)): m.group(2).strip() == "[true]" for m in re.finditer(r"^@@(\d+) (.*)$", out, re.M)}
    assert len(proved) == len(pairs)
    wrong = [(e, a) for n, (e, a, same) in enumerate(pairs) if proved[n] and not same]
    missed = {(e, a) for n, (e, a, same) in enumerate(pairs) if same and not proved[n]}
    assert not wrong, wrong
    assert missed <= UNPROVED, missed - UNPROVED


# ---------------------------------------------------------------- the XML as STACK reads it

INPUT_NAME = re.compile(r"^([a-zA-Z]+|[a-zA-Z]+[0-9a-zA-Z_]*[0-9a-zA-Z]+)$")
ANSWER_TESTS = {"AlgEquiv", "CasEqual", "EqualComAss", "NumAbsolute"}
INPUT_TYPES = {"algebraic", "matrix", "dropdown", "checkbox", "radio"}


def _text(el: ET.Element, path: str) -> str:
    found = el.find(path)
    assert found is not None, f"missing <{path}>"
    return found.text or ""


def _export(kinds: list[str], seed: int = 4, versions: int = 2) -> tuple[list, ET.Element]:
    spec = exams.spec_from_mapping({"title": "Quiz <&> \" '", "seed": seed, "versions": versions,
                                    "question": [{"topics": kinds, "count": len(kinds)}]})
    drawn = exams.draw_versions(spec)
    return drawn, ET.fromstring(stack.stack_xml(drawn))


def _functions(code: str) -> set[str]:
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code)
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    return set(re.findall(r"([A-Za-z_][A-Za-z_0-9]*)\s*\(", code))


@pytest.mark.parametrize("half", [0, 1])
def test_every_question_is_what_the_stack_importer_reads(half):
    drawn, root = _export(HALVES[half][:30], versions=1)
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    stack_questions = [q for q in questions if q.get("type") == "stack"]
    assert len(stack_questions) == len(drawn[0].questions)
    for q in stack_questions:
        name = _text(q, "name/text")
        text = _text(q, "questiontext/text") + _text(q, "specificfeedback/text")
        for tag in ("stackversion/text", "questionvariables/text", "generalfeedback/text", "defaultgrade",
                    "penalty", "questionsimplify", "questionnote/text", "prtcorrect/text", "matrixparens"):
            _text(q, tag)
        inputs = q.findall("input")
        assert inputs, name
        for inp in inputs:
            iname = _text(inp, "name")
            assert INPUT_NAME.match(iname) and len(iname) <= 18
            assert _text(inp, "type") in INPUT_TYPES
            assert _text(inp, "tans")
            assert text.count(f"[[input:{iname}]]") == 1 and text.count(f"[[validation:{iname}]]") == 1, name
            if _text(inp, "mustverify") == "1":
                assert _text(inp, "showvalidation") == "1"
        placeholders = re.findall(r"\[\[(\w+):(\w+)\]\]", text)
        assert {n for t, n in placeholders if t == "input"} == {_text(i, "name") for i in inputs}
        assert re.findall(r"\[\[feedback:(\w+)\]\]", text) == ["prt1"], name
        assert "{@" not in text and "{#" not in text and text.count("[[") == len(placeholders), name
        assert "[[" not in _text(q, "generalfeedback/text") and "{@" not in _text(q, "generalfeedback/text")
        (prt,) = q.findall("prt")
        assert _text(prt, "name") == "prt1"
        nodes = prt.findall("node")
        names = [_text(n, "name") for n in nodes]
        assert names == [str(k) for k in range(len(nodes))]
        notes = [_text(n, "trueanswernote") for n in nodes] + [_text(n, "falseanswernote") for n in nodes]
        assert len(set(notes)) == len(notes) and all(notes)
        reached = {"0"}
        for n in nodes:
            assert _text(n, "answertest") in ANSWER_TESTS and _text(n, "sans") and _text(n, "tans")
            for branch in ("truenextnode", "falsenextnode"):
                nxt = _text(n, branch)
                assert nxt == "-1" or nxt in names
                if _text(n, "name") in reached and nxt != "-1":
                    reached.add(nxt)
            for branch in ("truescore", "falsescore"):
                assert 0 <= float(_text(n, branch)) <= 1
        assert reached == set(names), f"{name}: a node hangs from no other"
        code = _text(q, "questionvariables/text") + _text(prt, "feedbackvariables/text")
        assert _functions(code) <= STACK_FUNCTIONS, f"{name}: {_functions(code) - STACK_FUNCTIONS}"
        tests = q.findall("qtest")
        assert [_text(t, "testcase") for t in tests] == ["1", "2"]
        for t in tests:
            assert {_text(i, "name") for i in t.findall("testinput")} == {_text(i, "name") for i in inputs}
            (expected,) = t.findall("expected")
            assert _text(expected, "name") == "prt1" and _text(expected, "expectedanswernote") in notes


def test_the_same_seed_gives_the_same_xml_and_the_seed_is_stated():
    kinds = ["eigen", "system", "svd"]
    spec = exams.spec_from_mapping({"seed": 11, "question": [{"topics": kinds, "count": 3}]})
    first = stack.stack_xml(exams.draw_versions(spec))
    assert first == stack.stack_xml(exams.draw_versions(spec))
    root = ET.fromstring(first)
    for q in root.findall("question[@type='stack']"):
        assert "tutor exam seed 11" in _text(q, "questionvariables/text")
        assert "seed 11" in _text(q, "questionnote/text")
    assert "A: matrix(" in first


def test_a_formula_in_matrix_symbols_is_refused_with_one_line():
    spec = exams.spec_from_mapping({"seed": 1, "question": [{"topics": ["matrix_gradient"]}]})
    with pytest.raises(TutorError, match="question 1 \\(matrix_gradient\\): STACK cannot grade"):
        stack.stack_xml(exams.draw_versions(spec))


def test_multiple_choice_questions_stay_multichoice():
    spec = exams.spec_from_mapping({"seed": 2, "multiple_choice": True, "question": [{"topics": ["det", "kernel"],
                                                                                       "count": 2}]})
    root = ET.fromstring(stack.stack_xml(exams.draw_versions(spec)))
    types = [q.get("type") for q in root.findall("question")][1:]
    assert types == ["multichoice", "stack"] or types == ["stack", "multichoice"]


def test_cli_writes_the_stack_file(tmp_path: Path):
    from tutor.cli import main
    code = main(["exam", "--topics", "eigen,kernel", "--count", "2", "--seed", "3", "--format", "stack",
                 "-o", str(tmp_path)])
    assert code == 0
    assert (tmp_path / "exam-3-stack.xml").exists() and (tmp_path / "exam-3-key.json").exists()
    ET.parse(tmp_path / "exam-3-stack.xml")


def test_maxima_text_of_constants_and_matrices():
    x = sympy.Symbol("x")
    assert stack.maxima(sympy.pi / 3) == "%pi/3"
    assert stack.maxima(sympy.exp(2 * x)) == "exp(2*x)"
    assert stack.maxima(sympy.E ** 2) == "exp(2)" and stack.maxima(sympy.E) == "%e"
    assert stack.maxima(sympy.Matrix([[1, sympy.Rational(1, 2)], [sympy.sqrt(2), -3]])) == \
        "matrix([1, 1/2], [sqrt(2), -3])"
    assert stack.maxima(-sympy.Symbol("lambda") ** 2) == "-lam**2"
    assert stack.maxima(sympy.Max(0, 1 - 2 * x)) == "max(0, 1 - 2*x)"
    assert stack.maxima(abs(x) + sympy.sign(x)) in ("abs(x) + signum(x)", "signum(x) + abs(x)")
    with pytest.raises(ValueError, match="no Maxima function"):
        stack.maxima(sympy.Heaviside(x))
