"""Answers of the models kinds (MML 8-12): estimates by parameter, PCA axes up to sign (and,
for equal eigenvalues, any orthonormal basis of the eigenspace), one EM step to the digits
typed, an SVM by w, b (or its bias alone with a kernel) and its support set.

Each named part is one share of the credit (``mu = 3/4, sigma^2 = 7/2``; a bare value takes
the next name in order).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy

from tutor.checking.grading import reading
from tutor.checking.grading.labelled import read_parts
from tutor.checking.grading.matrices import show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.probability import compare_parts
from tutor.checking.grading.verdict import Verdict, graded


def _aliases(keys: list[str]) -> dict[str, str]:
    """``sigma^2``, ``\\sigma^2``, ``σ²``, ``\\hat\\mu`` ... for the keys ``sigma**2``, ``mu``."""
    out: dict[str, str] = {}
    for key in keys:
        plain = key.replace("**", "^")
        for form in (plain, plain.replace("^", ""), "hat" + plain, "hat" + plain.replace("^", "")):
            out[form.lower()] = key
        greek = {"mu": "μ", "lambda": "λ", "sigma": "σ"}
        for name, letter in greek.items():
            if plain.startswith(name):
                out[(letter + plain[len(name):]).lower()] = key
                out[(letter + plain[len(name):]).replace("^2", "²").lower()] = key
    return out


def compare_estimate(expected: Any, text: str, policy: Policy) -> Verdict:
    """Each parameter by name; a MAP estimate's posterior (``posterior = Beta(5, 3)``), which
    its question asks for, is one more share: a missing or wrong law earns nothing."""
    keys = list(expected.values)
    aliases = _aliases(keys)
    if expected.posterior is None:
        return compare_parts(dict(expected.values), text, aliases, policy)
    raw = read_parts(text, [*keys, "posterior"], {**aliases, "prior": "posterior"})
    if len(raw) == 1 and "posterior" in raw:  # a bare law took the first free name
        raise reading.ParseError(f"missing: {', '.join(keys)}")
    values = compare_parts(dict(expected.values), ", ".join(f"{k} = {raw[k][0]}" for k in keys if k in raw),
                           aliases, policy)
    given = raw.get("posterior", (None,))[0]
    ok = given is not None and _same_law(expected.posterior, given)
    feedback = list(values.feedback) + ([] if ok else [
        "the posterior is missing" if given is None
        else f"the posterior is not right (a {expected.posterior.split('(')[0]} law: check its parameters)"])
    score = (values.score * len(keys) + float(ok)) / (len(keys) + 1)
    return graded(f"{values.parsed}, posterior = {(given or '').strip()}", feedback, score)


def _law(text: str) -> tuple[str, list[sympy.Expr]] | None:
    """``Beta(5, 3)`` as ('beta', [5, 3]) (parameters read by the project's parser), or None."""
    head, _, rest = text.strip().partition("(")
    if not head.strip().isalpha() or not rest.endswith(")"):
        return None
    return head.strip().lower(), [reading.expression(a) for a in reading.split_top(rest[:-1], [","])]


def _same_law(expected: str, given: str) -> bool:
    """The same family with the same parameters (Gaussian and Normal are one family)."""
    a, b = _law(expected), _law(given)
    if a is None or b is None:
        return False
    family = {"normal": "gaussian"}
    return family.get(a[0], a[0]) == family.get(b[0], b[0]) and len(a[1]) == len(b[1]) \
        and all(sympy.simplify(x - y) == 0 for x, y in zip(a[1], b[1]))


def compare_gmm(expected: Any, text: str, policy: Policy) -> Verdict:
    """The updated weights, means and variances: decimals are the expected form, so they are
    compared to the digits typed (the rounded policy) whatever the policy says about exact values."""
    parts = {"weights": sympy.Matrix(expected.weights), "means": sympy.Matrix(expected.means),
             "variances": sympy.Matrix(expected.variances)}
    aliases = {"pi": "weights", "π": "weights", "mu": "means", "μ": "means", "sigma^2": "variances",
               "σ^2": "variances", "σ²": "variances", "weight": "weights", "mean": "means", "variance": "variances"}
    return compare_parts(parts, text, aliases, replace(policy, decimals="rounded"))


def _zero(e: sympy.Expr, numeric: bool) -> bool:
    """Exactly zero, or, when the reference is numeric (an irreducible cubic), within the
    rounding of 4 significant digits."""
    return abs(sympy.N(e)) < 5e-3 if numeric else sympy.simplify(e) == 0


def _unit_eigenvector(S: sympy.MatrixBase, value: sympy.Expr, v: sympy.MatrixBase, numeric: bool) -> bool:
    scale = 1 + abs(sympy.N(value)) if numeric else 1
    return all(_zero(e / scale, numeric) for e in (S * v - value * v)) and _zero((v.T * v)[0] - 1, numeric)


def _up_to_sign(expected: Any, given: sympy.MatrixBase) -> Verdict:
    bad = [j + 1 for j, c in enumerate(expected.components)
           if not any(all(sympy.simplify(a - sign * b) == 0 for a, b in zip(given.row(j), c)) for sign in (1, -1))]
    return graded(show_matrix(given), [f"component {j} is not a principal axis" for j in bad],
                  1.0 - len(bad) / len(expected.components))


def compare_pca(expected: Any, text: str, policy: Policy, problem: Any) -> Verdict:
    """``components = [[..], ..]`` (rows, k of them), optionally ``codes = [[..], ..]``: each
    component a unit eigenvector of the data covariance with the right eigenvalue (so any sign,
    and any orthonormal basis of an eigenspace of a repeated eigenvalue), orthogonal to the
    others; the codes are checked against the student's own components."""
    names = ["components", "codes"]
    parts = read_parts(text, names, {"b": "components", "axes": "components", "z": "codes"})
    if "components" not in parts:
        raise reading.ParseError("missing: components")
    given = reading.matrix(parts["components"][0]) if reading.is_matrix_text(parts["components"][0]) \
        else reading.vector(parts["components"][0])[0].T
    k = len(expected.components)
    if given.cols != len(expected.mean) and given.rows == len(expected.mean):
        given = given.T
    if given.rows != k:
        return graded(show_matrix(given), [f"{k} component(s) of {len(expected.mean)} entries are expected"], 0.0)
    if problem is None:  # no data to rebuild the covariance: each axis up to its sign
        return _up_to_sign(expected, given)
    data = problem["data"]
    centred = data - sympy.ones(data.rows, 1) * expected.mean.T
    S = centred.T * centred / data.rows
    numeric = any(isinstance(v, sympy.Float) for v in expected.variances)
    feedback = []
    for j in range(k):
        v = given.row(j).T
        if not _unit_eigenvector(S, expected.variances[j], v, numeric):
            feedback.append(f"component {j + 1} is not a unit eigenvector of the covariance with eigenvalue "
                            f"{expected.variances[j]}")
    if k > 1 and not feedback and not all(_zero(e, numeric) for e in (given * given.T - sympy.eye(k))):
        feedback.append("the components are not orthonormal")
    score = 1.0 if not feedback else 0.0
    total = 1
    if "codes" in parts:
        total += 1
        codes = reading.matrix(parts["codes"][0])
        own = centred * given.T
        if codes.shape != own.shape and codes.T.shape == own.shape:
            codes = codes.T
        if codes.shape == own.shape and all(_zero(a - b, numeric) for a, b in zip(codes, own)):
            score += 1
        else:
            feedback.append("the codes are not z_n = B^T (x_n - mean) for your components")
    return graded(show_matrix(given), feedback, score / total)


def compare_svm(expected: Any, text: str, policy: Policy) -> Verdict:
    """``w = (1, 1), b = -1, support = {1, 3}`` (support vectors counted from 1 as in the
    solution, or from 0: both are read); with a kernel only b and the support set."""
    parts: dict[str, Any] = {"b": expected.b}
    if expected.w is not None:
        parts = {"w": expected.w, **parts}
    names = [*parts, "support"]
    raw = read_parts(text, names, {"sv": "support", "supportvectors": "support"})
    missing = [n for n in names if n not in raw]
    if missing:
        raise reading.ParseError(f"missing: {', '.join(missing)}")
    values = compare_parts(parts, ", ".join(f"{n} = {raw[n][0]}" for n in parts), {}, policy)
    _, items = reading.items(raw["support"][0])
    given = sorted(int(reading.expression(i)) for i in items if i.strip())
    one_based = sorted(n + 1 for n in expected.support)
    # counted from 1, as the solution says; a set with a point 0 can only be counted from 0
    # (accepting either reading of any set gave full marks to {1, 2} meaning x_1, x_2 when the
    # support is x_2, x_3)
    ok = (given if 0 in given else [n - 1 for n in given]) == sorted(expected.support)
    feedback = list(values.feedback) + ([] if ok else [f"the support vectors are points {one_based} (from 1)"])
    score = (values.score * len(parts) + float(ok)) / (len(parts) + 1)
    return graded(f"{values.parsed}, support = {given}", feedback, score)
