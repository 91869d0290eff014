"""STACK question XML (Moodle's STACK plug-in): answers graded by property in Maxima.

A stock Moodle can only compare numbers (:mod:`tutor.exams.moodle`), so it must ask for one
unique form of every answer.  STACK runs Maxima: each question here holds the generated
numbers as question variables (``A: matrix([2,1],[1,2])``), the student types the answer
into STACK inputs, and the potential response tree checks what ``tutor check`` checks —
an eigenvector by ``A.v = λv`` and ``v ≠ 0`` at any scale, a basis by membership, independence
and dimension, a solution set by substitution and dimension, a decomposition by its defining
equations, a formula by simplifying its difference with the reference to 0.

Each property is a boolean feedback variable (``ok1``, ``ok2``, ...; each is false when an
earlier one is, so that a malformed answer never reaches a later computation), and the tree
has one node per property, ``AlgEquiv(okK, true)``, whose false branch scores 0 with a
sentence saying which property failed (``documents/stack_feedback.md.j2``).  Kinds that no
property describes better are graded by equality with the one form the Moodle export states
(:func:`tutor.exams.moodle.form`), exactly (no decimals); a formula in matrix symbols
(``matrix_gradient``) has no Maxima form: the export is refused, naming the question.

The same seed and spec give byte-identical XML; the question note names the seed, the
version and the number, so a teacher can regenerate the exam with ``tutor``.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import sympy
from sympy.printing.str import StrPrinter

from tutor.core import answers as A
from tutor.core.errors import TutorError
from tutor.exams import choices, moodle
from tutor.rendering import render
from tutor.topics.transforms import DensityAnswer

#: STACK's version number written in the export (4.11: the version whose importer was read)
STACK_VERSION = "2026010500"

#: symbol names that Maxima reserves, and what the question calls them instead
_RENAMED = {"lambda": "lam", "E": "EE", "I": "II", "i": "ii", "e": "ee", "t": "tt"}

#: sympy's functions and Maxima's names for them (any other has no Maxima form here)
_FUNCTIONS = {**{f: f for f in ("sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "sinh", "cosh",
                                "tanh", "asinh", "acosh", "atanh", "exp", "log", "floor", "gamma", "erf", "atan2")},
              "Abs": "abs", "sign": "signum", "Max": "max", "Min": "min", "ceiling": "ceiling"}

#: the variable of the polynomials written by the checks (not a name the student types)
_T = "t"


# ---------------------------------------------------------------- sympy -> Maxima

class _Maxima(StrPrinter):
    """sympy's ``str`` form, with Maxima's names for constants, ``abs`` and matrices."""

    def _print_Pi(self, expr: Any) -> str:
        return "%pi"

    def _print_Exp1(self, expr: Any) -> str:
        return "%e"

    def _print_ImaginaryUnit(self, expr: Any) -> str:
        return "%i"

    def _print_Infinity(self, expr: Any) -> str:
        return "inf"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "minf"

    def _print_Function(self, expr: Any) -> str:
        name = _FUNCTIONS.get(type(expr).__name__)
        if name is None:
            raise ValueError(f"no Maxima function for {type(expr).__name__}")
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    _print_Max = _print_Min = _print_Function

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if isinstance(expr, sympy.Function):  # also those with a str form of their own (Heaviside)
            return self._print_Function(expr)
        return super()._print(expr, **kwargs)

    def _print_Symbol(self, expr: Any) -> str:
        return _RENAMED.get(expr.name, expr.name)

    def _print_Equality(self, expr: Any) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_BooleanTrue(self, expr: Any) -> str:
        return "true"

    def _print_BooleanFalse(self, expr: Any) -> str:
        return "false"

    def _print_MatrixBase(self, expr: Any) -> str:
        rows = (", ".join(self._print(e) for e in expr.row(i)) for i in range(expr.rows))
        return "matrix(" + ", ".join(f"[{r}]" for r in rows) + ")"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_MatrixBase

    def emptyPrinter(self, expr: Any) -> str:  # noqa: N802 (sympy's name)
        raise ValueError(f"no Maxima form for {type(expr).__name__}")


_PRINTER = _Maxima({"full_prec": False})


def maxima(value: Any) -> str:
    """Maxima's text of a number, formula or matrix (``sqrt(2)/2``, ``%pi/3``, ``matrix([1, 2])``)."""
    if isinstance(value, (sympy.MatrixExpr, sympy.Piecewise)) and not isinstance(value, sympy.MatrixBase):
        raise ValueError(f"no Maxima form for {value}")
    if isinstance(value, bool):
        return "true" if value else "false"
    return _PRINTER.doprint(sympy.sympify(value, strict=True) if isinstance(value, int) else value)


def _column(v: Any) -> str:
    """A column vector as the list a student types (``[1, -2, 3]``)."""
    return "[" + ", ".join(maxima(e) for e in sympy.Matrix(v)) + "]"


def _columns(vectors: Sequence[Any]) -> str:
    return "[" + ", ".join(_column(v) for v in vectors) + "]"


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- what the student fills in

@dataclass(frozen=True)
class Slot:
    """One STACK input: a label (LaTeX), its type, and the Maxima text of a value typed into it
    (None: left empty); a ``dropdown`` holds the number of the chosen option (1, 2, ...)."""

    label: str
    type: str  # "matrix", "algebraic" or "dropdown"
    value: str | None
    options: tuple[str, ...] = ()
    exact: bool = True  # floats forbidden
    optional: bool = False  # may be left empty (STACK's ``allowempty``: its value is then EMPTYANSWER)

    @property
    def typed(self) -> str | None:
        """The Maxima value the tree sees (None: STACK runs no tree)."""
        return "EMPTYANSWER" if self.value is None and self.optional else self.value


@dataclass(frozen=True)
class Check:
    """One property of the answer: ``rule`` names its sentence in the feedback template,
    ``code`` is a Maxima boolean over the inputs (``ans1``, ...) and the question variables."""

    rule: str
    code: str
    about: str = ""  # LaTeX: which part of the answer it is about


@dataclass(frozen=True)
class Grading:
    """How a kind's answer is asked and graded: ``slots`` of an answer (the reference or any
    other of its type, such as a student's mistake) and the ``checks`` of the question."""

    slots: Callable[[A.Answer], list[Slot]]
    checks: list[Check]
    by_form: bool = False  # graded by equality with the Moodle form (whose sentence it then states)


def _choice(label: str, options: Sequence[str], chosen: str | None) -> Slot:
    return Slot(label, "dropdown", None if chosen is None else str(options.index(chosen) + 1), tuple(options))


def zero(code: str) -> str:
    """Maxima: the scalar or matrix ``code`` simplifies to 0 — rationally with surds
    (``algebraic``) and trigonometric squares, or else with logarithms contracted and sums of
    angles expanded once, or else with hyperbolic functions as exponentials (``or`` stops at the
    first that succeeds).  Each is an identity: none makes a wrong answer right.  Stronger
    canonical forms (``trigrat``, the ``trigexpand`` flag) took minutes on some wrong answers
    (sin((1 - x)^3)^7), which STACK would cut off."""
    routes = (f"fullratsimp(trigsimp({code}))", f"fullratsimp(trigsimp(trigexpand(logcontract({code}))))",
              f"fullratsimp(exponentialize({code}))")
    return "(" + " or ".join(f"(if matrixp({code}) then zeromatrixp(ev({r}, algebraic: true)) "
                             f"else is(ev({r}, algebraic: true) = 0))" for r in routes) + ")"


def _vectors_of(name: str, n: int) -> str:
    """Maxima: ``name`` is a list of lists of ``n`` entries (vectors typed as lists)."""
    return f"listp({name}) and every(lambda([tv], listp(tv) and is(length(tv) = {n})), {name})"


def _independent(name: str) -> str:
    return f"(is({name} = []) or is(rank(apply(matrix, {name})) = length({name})))"


def _each(name: str, condition: str) -> str:
    """Maxima: ``condition`` holds for every vector of the list ``name``, as a column ``tc``."""
    return f"every(lambda([tv], block([tc: transpose(matrix(tv))], {condition})), {name})"


def _kept(name: str, condition: str, m: int, n: int) -> str:
    """Maxima: the m x n matrix ``name`` with the entries (ri, cj) where ``condition`` fails set to 0."""
    return f"genmatrix(lambda([ri, cj], if {condition} then {name}[ri, cj] else 0), {m}, {n})"


# ---------------------------------------------------------------- gradings by answer type

def _equal_matrix(label: str, shape_of: Any) -> Callable[[A.Answer], list[Slot]]:
    return lambda a: [Slot(label, "matrix", maxima(sympy.Matrix(shape_of(a))))]


def _matrix(ref: A.Answer, problem: Any, q: dict[str, str]) -> Grading:
    slots = _equal_matrix("", lambda a: a.value)
    M = sympy.Matrix(ref.value)
    kind = problem.kind
    if kind == "inverse":
        checks = [Check("inverse", zero(f"{q['A']} . ans1 - ident({M.rows})"))]
    elif kind == "cholesky":
        n = M.rows
        checks = [Check("lower", zero(f"ans1 - {_kept('ans1', 'ri >= cj', n, n)}")),
                  Check("positive_diagonal", f"every(lambda([ri], is(ans1[ri, ri] > 0)), makelist(ri, ri, 1, {n}))"),
                  Check("product", zero(f"ans1 . transpose(ans1) - {q['A']}"), "LL^\\top")]
    else:
        checks = [Check("equal", zero("ans1 - ta1"))]
    if isinstance(ref, A.ProjectionAnswer):
        return Grading(lambda a: slots(a) + [Slot("d(\\boldsymbol{x}, U)", "algebraic", maxima(a.distance))],
                       checks + [Check("equal", zero("ans2 - ta2"), "d(\\boldsymbol{x}, U)")])
    return Grading(slots, checks)


def _expression(ref: A.ExpressionAnswer, problem: Any, q: dict[str, str]) -> Grading:
    if problem.kind == "charpoly":  # det(A − λI), or det(λI − A) = −det(A − λI) for an odd size
        p = f"subst({maxima(sympy.Symbol('lambda'))}, {_T}, charpoly({q['A']}, {_T}))"
        same = zero(f"ans1 - {p}")
        odd = sympy.Matrix(problem["A"]).rows % 2
        check = Check("charpoly", f"({same} or {zero(f'ans1 + {p}')})" if odd else same)
    elif any(isinstance(e, sympy.Float) for e in sympy.sympify(ref.value).atoms(sympy.Number)):
        check = Check("close", f"is(abs(float(ans1 - ta1)) <= {moodle.TOLERANCE})")
    else:
        check = Check("equal", zero("ans1 - ta1"))
    exact = not ref.value.atoms(sympy.Float)
    return Grading(lambda a: [Slot("", "algebraic", maxima(a.value), exact=exact)], [check])


def _density(ref: DensityAnswer, problem: Any, q: dict[str, str]) -> Grading:
    """The density's formula where it is positive, and the ends a < b of that interval."""
    return Grading(lambda a: [Slot("", "algebraic", maxima(a.value)), Slot("a", "algebraic", maxima(a.lower)),
                              Slot("b", "algebraic", maxima(a.upper))],
                   [Check("equal", zero(f"ans{k} - ta{k}"), label) for k, label in ((1, ""), (2, "a"), (3, "b"))])


def _dependence(ref: A.BooleanAnswer, problem: Any, q: dict[str, str]) -> Grading | None:
    """Independent or not; if not, coefficients of a dependency relation: not all 0, and the
    combination of the vectors with them is 0 (any relation is right)."""
    if problem.kind != "independence":
        return _by_form(ref, problem, q)
    words = ("no", "yes")
    k = len(problem["vectors"])

    def slots(a: A.BooleanAnswer) -> list[Slot]:
        return [_choice("", words, "yes" if a.value else "no"),
                Slot("(c_1, \\dots, c_k)", "algebraic", None if a.relation is None else
                     "[" + ", ".join(maxima(c) for c in a.relation) + "]", optional=True)]

    if ref.value:
        return Grading(slots, [Check("choice", "is(ans1 = 2)")])
    return Grading(slots, [
        Check("choice", "is(ans1 = 1)"),
        Check("vector", f"listp(ans2) and is(length(ans2) = {k})"),
        Check("nontrivial", f"not {zero('matrix(ans2)')}"),
        Check("relation", zero(f"apply(addcol, {q['vectors']}) . transpose(matrix(ans2))")),
    ])


def _basis(ref: A.BasisAnswer, problem: Any, q: dict[str, str]) -> Grading:
    """Kernel, image and complement by property; any other basis (Gram-Schmidt's) by equality."""
    n = len(ref.vectors[0]) if ref.vectors else _dimension(problem)
    shape = Check("vectors", _vectors_of("ans1", n))
    independent = Check("independent", _independent("ans1"))
    kind = problem.kind
    if kind == "kernel":
        Am = q["A"]
        inside = Check("in_kernel", _each("ans1", zero(f"{Am} . tc")))
        count = Check("dimension", f"is(length(ans1) = {n} - rank({Am}))")
    elif kind == "image":
        Am = q["A"]
        inside = Check("in_image", _each("ans1", f"is(rank(addcol({Am}, tc)) = rank({Am}))"))
        count = Check("dimension", f"is(length(ans1) = rank({Am}))")
    elif kind == "complement":
        U = f"transpose(apply(matrix, map(lambda([tu], list_matrix_entries(tu)), {q['U']})))"
        inside = Check("orthogonal", _each("ans1", zero(f"transpose({U}) . tc")))
        count = Check("dimension", f"is(length(ans1) = {n} - rank({U}))")
    else:
        return Grading(lambda a: [Slot("", "algebraic", _columns(a.vectors))],
                       [shape, Check("equal", f"is(length(ans1) = length(ta1)) and "
                                              f"{zero('apply(matrix, ans1) - apply(matrix, ta1)')}")], by_form=True)
    return Grading(lambda a: [Slot("", "algebraic", _columns(a.vectors))], [shape, inside, independent, count])


def _dimension(problem: Any) -> int:
    return sympy.Matrix(problem["A"]).cols if "A" in problem.inputs else len(problem["U"][0])


_OUTCOMES = ("no solution", "exactly one solution", "infinitely many solutions")


def _outcome(a: A.SolutionSetAnswer) -> str:
    return _OUTCOMES[0 if a.particular is None else 2 if a.directions else 1]


def _solution_set(ref: A.SolutionSetAnswer, problem: Any, q: dict[str, str]) -> Grading:
    """The outcome; then a particular solution (it satisfies Ax = b) and directions (in the
    kernel, independent, as many as the kernel's dimension): any point, any basis."""
    right = _OUTCOMES.index(_outcome(ref)) + 1
    outcome = Check("outcome", f"is(ans1 = {right})")
    if ref.particular is None:
        return Grading(lambda a: [_choice("", _OUTCOMES, _outcome(a))], [outcome])
    n = len(ref.variables)
    Am, b = q["A"], q["b"]
    names = ", ".join(maxima(v) for v in ref.variables)

    def slots(a: A.SolutionSetAnswer) -> list[Slot]:
        typed = a.particular is not None
        return [_choice("", _OUTCOMES, _outcome(a)),
                Slot(f"({names})", "algebraic", _column(a.particular) if typed else None),
                Slot("\\text{directions}", "algebraic", _columns(a.directions) if typed else None)]

    return Grading(slots, [
        outcome,
        Check("vector", f"listp(ans2) and is(length(ans2) = {n})"),
        Check("particular", zero(f"{Am} . transpose(matrix(ans2)) - {b}")),
        Check("vectors", _vectors_of("ans3", n)),
        Check("in_kernel", _each("ans3", zero(f"{Am} . tc"))),
        Check("independent", _independent("ans3")),
        Check("dimension", f"is(length(ans3) = {n} - rank({Am}))"),
    ])


def _eigen(ref: A.EigenAnswer, problem: Any, q: dict[str, str]) -> Grading:
    """Per eigenvalue: its value, algebraic multiplicity and an eigenspace basis.  The values
    with their multiplicities are exactly the roots of det(A − tI); each vector satisfies
    (A − λI)v = 0, the vectors are independent and as many as dim ker(A − λI)."""
    Am = q["A"]
    n = sympy.Matrix(problem["A"]).rows
    k = len(ref.eigenvalues)

    def slots(a: A.EigenAnswer) -> list[Slot]:
        out: list[Slot] = []
        for j in range(k):
            e = a.eigenvalues[j] if j < len(a.eigenvalues) else None
            out += [Slot(f"\\lambda_{{{j + 1}}}", "algebraic", None if e is None else maxima(e.value)),
                    Slot(f"\\text{{algebraic multiplicity of }}\\lambda_{{{j + 1}}}", "algebraic",
                         None if e is None else str(e.algebraic_multiplicity)),
                    Slot(f"\\text{{basis of }}E_{{\\lambda_{{{j + 1}}}}}", "algebraic",
                         None if e is None else _columns(e.basis))]
        return out

    lam = [f"ans{3 * j + 1}" for j in range(k)]
    mult = [f"ans{3 * j + 2}" for j in range(k)]
    bases = [f"ans{3 * j + 3}" for j in range(k)]
    product = " * ".join(f"({l} - {_T})^{m}" for l, m in zip(lam, mult))
    checks = [Check("multiplicities", " and ".join(f"integerp({m}) and is({m} >= 1)" for m in mult)),
              Check("distinct", "true" if k == 1 else " and ".join(
                  f"not {zero(f'{lam[i]} - {lam[j]}')}" for i in range(k) for j in range(i + 1, k))),
              Check("eigenvalues", f"is(expand(charpoly({Am}, {_T}) - {product}) = 0)")]
    for j, (l, V) in enumerate(zip(lam, bases), start=1):
        about = f"\\lambda_{{{j}}}"
        checks += [Check("vectors", _vectors_of(V, n), about),
                   Check("eigenvector", _each(V, zero(f"({Am} - {l} * ident({n})) . tc")), about),
                   Check("independent", _independent(V), about),
                   Check("eigenspace", f"is(length({V}) = {n} - rank({Am} - {l} * ident({n})))", about)]
    return Grading(slots, checks)


def _diagonalization(ref: A.DiagonalizationAnswer, problem: Any, q: dict[str, str]) -> Grading:
    """Diagonalizable or not; then P invertible, D diagonal, AP = PD (Q orthogonal if asked)."""
    words = ("diagonalizable", "not diagonalizable")
    right = 1 if ref.diagonalizable else 2
    said = Check("diagonalizable", f"is(ans1 = {right})")
    word = lambda a: words[0] if a.diagonalizable else words[1]  # noqa: E731
    if not ref.diagonalizable:
        return Grading(lambda a: [_choice("", words, word(a))], [said])
    n = sympy.Matrix(problem["A"]).rows
    Am = q["A"]
    orthogonal = bool(problem.inputs.get("orthogonal"))

    def slots(a: A.DiagonalizationAnswer) -> list[Slot]:
        return [_choice("", words, word(a)),
                Slot("P", "matrix", maxima(sympy.Matrix(a.P)) if a.diagonalizable else None),
                Slot("D", "matrix", maxima(sympy.Matrix(a.D)) if a.diagonalizable else None)]

    checks = [said, Check("diagonal", zero(f"ans3 - {_kept('ans3', 'ri = cj', n, n)}"), "D"),
              Check("invertible", f"not {zero('determinant(ans2)')}", "P"),
              Check("product", zero(f"{Am} . ans2 - ans2 . ans3"), "AP = PD")]
    if orthogonal:
        checks.append(Check("orthogonal", zero(f"transpose(ans2) . ans2 - ident({n})"), "P"))
    return Grading(slots, checks)


def _svd(ref: A.SVDAnswer, problem: Any, q: dict[str, str]) -> Grading:
    """U and V orthogonal, Σ diagonal with decreasing nonnegative entries, UΣVᵀ = A."""
    m, n = sympy.Matrix(ref.S).shape
    r = min(m, n)
    slots = lambda a: [Slot("U", "matrix", maxima(sympy.Matrix(a.U))),  # noqa: E731
                       Slot("\\Sigma", "matrix", maxima(sympy.Matrix(a.S))),
                       Slot("V", "matrix", maxima(sympy.Matrix(a.V)))]
    order = " and ".join([f"is(ans2[{i}, {i}] >= 0)" for i in range(1, r + 1)]
                         + [f"is(ans2[{i}, {i}] >= ans2[{i + 1}, {i + 1}])" for i in range(1, r)])
    return Grading(slots, [
        Check("orthogonal", zero(f"transpose(ans1) . ans1 - ident({m})"), "U"),
        Check("orthogonal", zero(f"transpose(ans3) . ans3 - ident({n})"), "V"),
        Check("diagonal", zero(f"ans2 - {_kept('ans2', 'ri = cj', m, n)}"), "\\Sigma"),
        Check("singular_order", order, "\\Sigma"),
        Check("product", zero(f"ans1 . ans2 . transpose(ans3) - {q['A']}"), "U\\Sigma V^\\top"),
    ])


def _by_form(ref: A.Answer, problem: Any, q: dict[str, str]) -> Grading | None:
    """Any other answer as the parts of its Moodle form, each equal to the reference's (exactly;
    a decimal of the solver's, such as an EM step's, within the Moodle tolerance)."""
    f = moodle.form(ref)
    if f is None or f.points:
        return None  # no Maxima form (matrix symbols), or only values at points in Moodle's form

    def slots(a: A.Answer) -> list[Slot]:
        g = moodle.form(a)
        given = list(g.parts) if g is not None else []
        return [_part_slot(part, given[k] if k < len(given) and _same_shape(given[k], part) else None)
                for k, part in enumerate(f.parts)]

    checks = []
    for k, part in enumerate(f.parts, start=1):
        blank = part.rows[0][0]
        if blank.choices:
            checks.append(Check("choice", f"is(ans{k} = {_options(blank).index(blank.choices[0]) + 1})", part.label))
        elif _decimal(part):
            checks.append(Check("close", _close(f"ans{k} - ta{k}"), part.label))
        else:
            checks.append(Check("equal", zero(f"ans{k} - ta{k}"), part.label))
    return Grading(slots, checks, by_form=True)


def _pca(ref: A.PCAAnswer, problem: Any, q: dict[str, str]) -> Grading | None:
    """The Moodle form's variances and error, then the principal axes: each a unit vector
    parallel to the solver's (either sign, which Moodle cannot ask)."""
    g = _by_form(ref, problem, q)
    if g is None or any(e.atoms(sympy.Float) for c in ref.components for e in sympy.Matrix(c)):
        return g
    first = len(g.checks) + 1
    axes = range(first, first + len(ref.components))

    def slots(a: A.PCAAnswer) -> list[Slot]:
        return g.slots(a) + [Slot(f"\\boldsymbol{{b}}_{{{k - first + 1}}}", "matrix", maxima(sympy.Matrix(c)))
                             for k, c in zip(axes, a.components)]

    checks = [c for k in axes for c in (
        Check("unit", zero(f"transpose(ans{k}) . ans{k} - 1"), f"\\boldsymbol{{b}}_{{{k - first + 1}}}"),
        Check("axis", f"is(rank(addcol(ans{k}, ta{k})) = 1)", f"\\boldsymbol{{b}}_{{{k - first + 1}}}"))]
    return Grading(slots, g.checks + checks, by_form=True)


def _close(code: str) -> str:
    """Maxima: every entry of ``code`` is within the Moodle export's tolerance of 0."""
    small = f"lambda([te], is(abs(float(te)) <= {moodle.TOLERANCE}))"
    return f"(if matrixp({code}) then every({small}, list_matrix_entries({code})) else {small}({code}))"


def _decimal(part: moodle.Part) -> bool:
    return any(isinstance(b.value, sympy.Float) for row in part.rows for b in row)


def _options(blank: moodle.Blank) -> tuple[str, ...]:
    """A choice's options in an order that does not depend on the right one."""
    return tuple(sorted(blank.choices))


def _is_grid(part: moodle.Part) -> bool:
    return len(part.rows) > 1 or len(part.rows[0]) > 1


def _same_shape(a: moodle.Part, b: moodle.Part) -> bool:
    return ((len(a.rows), len(a.rows[0]), bool(a.rows[0][0].choices))
            == (len(b.rows), len(b.rows[0]), bool(b.rows[0][0].choices)))


def _part_slot(reference: moodle.Part, given: moodle.Part | None) -> Slot:
    """The input of one part of a Moodle form, holding ``given`` (the same part of another answer)."""
    blank = reference.rows[0][0]
    if blank.choices:
        chosen = given.rows[0][0].choices[0] if given is not None else None
        return _choice(reference.label, _options(blank), chosen)
    grid = _is_grid(reference)
    value = None
    if given is not None:
        value = maxima(sympy.Matrix([[b.value for b in row] for row in given.rows]) if grid else given.rows[0][0].value)
    return Slot(reference.label, "matrix" if grid else "algebraic", value, exact=not _decimal(reference))


GRADINGS: dict[type, Callable[[Any, Any, dict[str, str]], Grading | None]] = {
    DensityAnswer: _density, A.BooleanAnswer: _dependence, A.PCAAnswer: _pca,
    A.EigenAnswer: _eigen, A.DiagonalizationAnswer: _diagonalization, A.SVDAnswer: _svd,
    A.SolutionSetAnswer: _solution_set, A.BasisAnswer: _basis,
    A.MatrixAnswer: _matrix, A.VectorAnswer: _matrix,
}


def grading(answer: A.Answer, problem: Any, q: dict[str, str]) -> Grading | None:
    """How ``answer`` (the reference) is asked and graded; None: STACK cannot grade it."""
    if type(answer) is A.ExpressionAnswer or isinstance(answer, A.ConjugateAnswer):
        if isinstance(answer.value, sympy.MatrixExpr):
            return None
        return _expression(answer, problem, q)
    for cls in type(answer).__mro__:
        if cls in GRADINGS:
            if cls in (A.MatrixAnswer, A.VectorAnswer) and sympy.Matrix(answer.value).atoms(sympy.MatrixSymbol):
                return None
            return GRADINGS[cls](answer, problem, q)
    return _by_form(answer, problem, q)


# ---------------------------------------------------------------- the question's Maxima

def question_variables(problem: Any, answer: A.Answer) -> dict[str, str]:
    """The problem's numbers as Maxima question variables: name in the problem -> name in Maxima
    (a longer name, one Maxima reserves or a variable of the answer gets ``q_`` in front)."""
    taken = {str(s) for s in _symbols(answer)}
    out = {}
    for name, value in problem.inputs.items():
        if _maxima_value(value) is not None:
            plain = re.fullmatch(r"[A-Za-z][0-9]*", name) and name not in taken | set(_RENAMED) | _RESERVED
            out[name] = name if plain else f"q_{name}"
    return out


#: Maxima's own names that a problem's input could carry
_RESERVED = {"at", "apply", "block", "col", "diff", "ev", "for", "if", "is", "matrix", "rank", "row", "sum",
             "product", "t", "i", "j", "e", "tv", "tc", "tu", "te", "ri", "cj"}


def _symbols(answer: A.Answer) -> set[sympy.Symbol]:
    found: set[sympy.Symbol] = set()
    for value in vars(answer).values():
        if isinstance(value, (sympy.Basic, sympy.MatrixBase)):
            found |= value.free_symbols
    return found


def _maxima_value(value: Any) -> str | None:
    """A problem input as Maxima: a matrix, a number, a list of them; None for anything else."""
    try:
        if isinstance(value, (tuple, list)):
            return "[" + ", ".join(maxima(v) for v in value) + "]" if value else None
        if isinstance(value, (sympy.MatrixBase, sympy.Expr)) and not isinstance(value, sympy.MatrixExpr) \
                or isinstance(value, sympy.MatrixBase):
            return maxima(value)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class StackQuestion:
    """A question ready for STACK: its question variables, inputs, checks and the reference."""

    variables: tuple[tuple[str, str], ...]  # (name, Maxima), in order
    slots: tuple[Slot, ...]  # the reference answer's inputs (``taK`` holds the value of ``ansK``)
    checks: tuple[Check, ...]
    grading: Grading

    def feedback_variables(self) -> list[tuple[str, str]]:
        """``ok1: ...; ok2: ok1 and (...); ...``: each check false when an earlier one is."""
        out = []
        for k, check in enumerate(self.checks, start=1):
            out.append((f"ok{k}", check.code if k == 1 else f"ok{k - 1} and ({check.code})"))
        return out

    def answers(self, answer: A.Answer) -> list[str | None]:
        """What a student who means ``answer`` types into each input (None: left empty)."""
        slots = self.grading.slots(answer)
        return [s.typed for s in slots] + [None] * (len(self.slots) - len(slots))


def stack_question(problem: Any, answer: A.Answer) -> StackQuestion | None:
    """The STACK form of a solved problem; None when its answer has no Maxima form (a formula in
    matrix symbols, a function Maxima does not know)."""
    names = question_variables(problem, answer)
    try:
        g = grading(answer, problem, names)
        if g is None:
            return None
        slots = tuple(g.slots(answer))
    except ValueError:
        return None
    variables = [(names[n], _maxima_value(problem.inputs[n])) for n in names]
    for k, s in enumerate(slots, start=1):
        variables.append((f"ta{k}", _dropdown(s) if s.type == "dropdown" else s.typed))
    return StackQuestion(tuple(variables), slots, tuple(g.checks), g)


def _dropdown(slot: Slot) -> str:
    chosen = int(slot.value)
    return "[" + ", ".join(f"[{k}, {'true' if k == chosen else 'false'}, {_string(o)}]"
                           for k, o in enumerate(slot.options, start=1)) + "]"


# ---------------------------------------------------------------- question tests

#: the input changed, and how, in the wrong answer of a question's second test, by the rule of
#: the tree's first node: so the first node is the one that fails (the test says so)
_WRONG = {"choice": (1, None), "outcome": (1, None), "diagonalizable": (1, None), "vectors": (1, "0"),
          "multiplicities": (2, "0"), "orthogonal": (1, "2 * ta1")}


def wrong_answer(sq: StackQuestion) -> list[str]:
    """The inputs of a wrong answer that fails the tree's first node: the reference with one input
    changed (another option, ``taK + 1``, a number for a list, a multiplicity 0, 2U for U)."""
    values = [f"ta{k}" if s.type != "dropdown" else s.value for k, s in enumerate(sq.slots, start=1)]
    k, value = _WRONG.get(sq.checks[0].rule, (1, "ta1 + 1"))
    slot = sq.slots[k - 1]
    values[k - 1] = str(int(slot.value) % len(slot.options) + 1) if value is None else value
    return values


# ---------------------------------------------------------------- XML


def _fields(parent: ET.Element, **values: str) -> None:
    for tag, value in values.items():
        ET.SubElement(parent, tag).text = value


def _markdown_html(template: str, **context: Any) -> str:
    text = render.environment("markdown").get_template(f"documents/{template}.md.j2").render(**context)
    return moodle.html(text)


def question_text(variant: Any, sq: StackQuestion) -> str:
    """The statement, the form of the answer, one input (with its validation) per slot, the feedback."""
    answer = variant.solution.answer
    by_form = sq.grading.by_form
    f = moodle.form(answer) if by_form else None
    renamed = sorted((sympy.latex(s), _RENAMED[s.name]) for s in _symbols(answer) if s.name in _RENAMED)
    note = _markdown_html(
        "stack_form", kind=variant.kind, by_form=by_form, orthogonal=bool(variant.raw.get("orthogonal")),
        coefficients_of=f.coefficients_of if f else "", points=(), cases_of=f.cases_of if f else "",
        decimals=any(not s.exact for s in sq.slots),
        stack=True, lists=any(s.type == "algebraic" and (s.value or "").startswith("[") for s in sq.slots),
        renamed=renamed)
    boxes = "".join(f"<p>{_label(s)}[[input:ans{k}]] [[validation:ans{k}]]</p>"
                    for k, s in enumerate(sq.slots, start=1))
    return castext(moodle.html(render.statement_body(variant.solution, "markdown")) + note) + boxes + \
        "<div>[[feedback:prt1]]</div>"


def castext(html: str) -> str:
    """HTML that STACK's CAS text reads as it is: ``[[`` would open a block (``\\[[B | x]`` is
    display math of an augmented matrix), ``{@`` and ``{#`` a computation; a space keeps the TeX."""
    return html.replace("[[", "[ [").replace("{@", "{ @").replace("{#", "{ #")


def _label(slot: Slot) -> str:
    return _escape("\\(" + slot.label + " = \\) ") if slot.label else ""


def _input(question: ET.Element, k: int, slot: Slot) -> None:
    el = ET.SubElement(question, "input")
    choice = slot.type == "dropdown"
    _fields(el, name=f"ans{k}", type=slot.type, tans=f"ta{k}", boxsize="30" if slot.type == "algebraic" else "5",
            strictsyntax="1", insertstars="0", syntaxhint="", syntaxattribute="0", forbidwords="", allowwords="",
            forbidfloat="1" if slot.exact else "0", requirelowestterms="0", checkanswertype="0",
            mustverify="0" if choice else "1", showvalidation="0" if choice else "1",
            options="allowempty" if slot.optional else "")


def _prt(question: ET.Element, sq: StackQuestion) -> None:
    prt = ET.SubElement(question, "prt")
    _fields(prt, name="prt1", value="1.0000000", autosimplify="1", feedbackstyle="1")
    moodle.text_element(prt, "feedbackvariables", "\n".join(f"{n}: {code};" for n, code in sq.feedback_variables()))
    last = len(sq.checks)
    for k, check in enumerate(sq.checks, start=1):
        node = ET.SubElement(prt, "node")
        _fields(node, name=str(k - 1), description=check.rule, answertest="AlgEquiv", sans=f"ok{k}", tans="true",
                testoptions="", quiet="0", truescoremode="=", truescore="1.0000000" if k == last else "0.0000000",
                truepenalty="", truenextnode="-1" if k == last else str(k), trueanswernote=f"prt1-{k}-T")
        moodle.text_element(node, "truefeedback", "", format="html")
        _fields(node, falsescoremode="=", falsescore="0.0000000", falsepenalty="", falsenextnode="-1",
                falseanswernote=f"prt1-{k}-F")
        moodle.text_element(node, "falsefeedback", _markdown_html("stack_feedback", rule=check.rule, about=check.about),
             format="html")


def _qtest(question: ET.Element, number: int, description: str, values: Sequence[str], note: str,
           right: bool) -> None:
    test = ET.SubElement(question, "qtest")
    _fields(test, testcase=str(number), description=description)
    for k, value in enumerate(values, start=1):
        _fields(ET.SubElement(test, "testinput"), name=f"ans{k}", value=value)
    _fields(ET.SubElement(test, "expected"), name="prt1", expectedscore="1.0000000" if right else "0.0000000",
            expectedpenalty="0.0000000" if right else PENALTY, expectedanswernote=note)


#: the penalty of each wrong try (STACK's default)
PENALTY = "0.1000000"


def stack_element(quiz: ET.Element, exam: Any, q: Any, sq: StackQuestion) -> ET.Element:
    """One ``<question type="stack">`` in the order of STACK's own export (questiontype.php)."""
    sol = q.variant.solution
    question = ET.SubElement(quiz, "question", type="stack")
    moodle.text_element(question, "name", f"{exam.stem} Q{q.number}: {q.title or q.kind}")
    moodle.text_element(question, "questiontext", question_text(q.variant, sq), format="html")
    moodle.text_element(question, "generalfeedback", castext(moodle.html(render.solution_body(sol, "markdown"))), format="html")
    _fields(question, defaultgrade=str(q.points), penalty=PENALTY, hidden="0", idnumber="")
    moodle.text_element(question, "stackversion", STACK_VERSION)
    origin = f"tutor exam seed {exam.spec.seed}, version {exam.label or 'A'}, question {q.number} ({q.kind})"
    moodle.text_element(question, "questionvariables",
         f"/* {origin} */\n" + "\n".join(f"{n}: {v};" for n, v in sq.variables))
    moodle.text_element(question, "specificfeedback", "", format="html")
    moodle.text_element(question, "questionnote", _escape(origin), format="html")
    moodle.text_element(question, "questiondescription", "", format="html")
    _fields(question, questionsimplify="1", assumepositive="0", assumereal="0")
    for tag, text in (("prtcorrect", "Correct answer, well done."),
                      ("prtpartiallycorrect", "Your answer is partially correct."),
                      ("prtincorrect", "Incorrect answer.")):
        moodle.text_element(question, tag, text, format="html")
    _fields(question, decimals=".", scientificnotation="*10", multiplicationsign="dot", sqrtsign="1",
            complexno="i", inversetrig="cos-1", logicsymbol="lang", matrixparens="[", variantsselectionseed="")
    for k, slot in enumerate(sq.slots, start=1):
        _input(question, k, slot)
    _prt(question, sq)
    reference = [f"ta{k}" if s.type != "dropdown" else s.value for k, s in enumerate(sq.slots, start=1)]
    _qtest(question, 1, "the reference answer", reference, f"prt1-{len(sq.checks)}-T", True)
    _qtest(question, 2, "a wrong answer", wrong_answer(sq), "prt1-1-F", False)
    return question


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stack_xml(exams: Sequence[Any]) -> str:
    """A Moodle quiz import of STACK questions: one category per version, one question per
    variant (a ``multichoice`` one for a question asked as multiple choice)."""
    quiz = ET.Element("quiz")
    for exam in exams:
        category = ET.SubElement(quiz, "question", type="category")
        moodle.text_element(category, "category", f"$course$/{exam.spec.title}" + (f"/Version {exam.label}" if exam.label else ""))
        for q in exam.questions:
            options = choices.question_options(exam, q)
            if options:
                moodle.multichoice_question(quiz, exam, q, options)  # the same question as in the Moodle export
                continue
            sol = q.variant.solution
            sq = stack_question(sol.problem, sol.answer)
            if sq is None:
                raise TutorError(f"question {q.number} ({q.kind}): STACK cannot grade this answer (no Maxima form: a "
                                 f"formula in matrix symbols, or a function Maxima does not know); leave the kind "
                                 f"out of a --format stack exam")
            stack_element(quiz, exam, q, sq)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


__all__ = ["Slot", "Check", "Grading", "StackQuestion", "stack_question", "grading", "maxima", "zero", "question_text",
           "wrong_answer", "stack_xml", "STACK_VERSION"]
