"""Eigenvalues and eigenvectors.

Eigenvalues are compared as a multiset; multiplicities are checked when the answer
states them (a repeated value, or "(multiplicity 2)").  Eigenvectors need no
reference vector: ``v`` is right for ``λ`` when it is nonzero and lies in the
eigenspace ``E_λ`` (equivalently ``Av = λv``), at any scale; the vectors given for
``λ`` must span ``E_λ``.  Credit: half per eigenvalue for the value (and its
multiplicity), half for its eigenspace.

Forms read: ``λ=3: (1,1); λ=1: (1,-1)``, ``λ_1 = 3, v_1 = (1,1), λ_2 = 1, v_2 = (1,-1)``,
``3, 1`` (values only), ``λ = 2 (multiplicity 2): (1,0), (0,1)``, ``2: span{(1,0),(0,1)}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sympy

from tutor.checking.grading import numeric
from tutor.checking.grading import reading
from tutor.checking.grading.expressions import show
from tutor.checking.grading.matrices import show_matrix
from tutor.checking.grading.policy import Policy
from tutor.checking.grading.spans import in_span, is_zero, rank, read_vectors
from tutor.checking.grading.verdict import Verdict, graded

_MULT = re.compile(r"\(\s*(?:alg(?:ebraic)?\.?\s*)?(?:multiplicity|mult\.?)\s*:?\s*=?\s*(\d+)\s*\)"
                   r"|\((double|twice|triple|thrice)\)", re.I)
_WORDS = {"double": 2, "twice": 2, "triple": 3, "thrice": 3}
_LABEL = re.compile(r"^\s*(\\?lambda|\\?mu|λ|μ)\s*(_\s*\{?\s*\w+\s*\}?)?\s*=", re.I)
_VLABEL = re.compile(r"^\s*(\\mathbf\{?\w\}?|\\vec\{?\w\}?|[vxeu])\s*(_\s*\{?\s*\w+\s*\}?)?\s*=", re.I)
_ELABEL = re.compile(r"^\s*E\s*_\s*\{?[^=]*\}?\s*=")


@dataclass
class Stated:
    """One eigenvalue as the student gave it."""

    value: sympy.Expr
    multiplicity: int | None = None
    listed: int = 1
    vectors: list[sympy.Matrix] = field(default_factory=list)


def _value(label: str) -> tuple[sympy.Expr, int | None]:
    mult = None
    m = _MULT.search(label)
    if m:
        mult = int(m.group(1)) if m.group(1) else _WORDS[m.group(2).lower()]
        label = label[: m.start()] + label[m.end():]
    label = _LABEL.sub("", label)
    return numeric.exact_decimals(reading.expression(label))[0], mult


def _is_vector_text(text: str) -> bool:
    t = _VLABEL.sub("", _ELABEL.sub("", text)).strip()
    box = reading.enclosed(t)
    return "\\begin{" in t or t.lower().startswith(("span", "\\operatorname{span}", "\\text{span}")) or \
        (box is not None and len(reading.split_top(box[1], [","])) > 1)


def read_eigen(text: str) -> list[Stated]:
    out: list[Stated] = []
    for group in reading.split_top(text, [";", "\n"]):
        if not group:
            continue
        head = reading.split_top(group, [":"])
        if len(head) == 2:
            value, mult = _value(head[0])
            body = _ELABEL.sub("", head[1]).strip()
            out.append(Stated(value, mult, 1, read_vectors(body) if body else []))
            continue
        for item in reading.split_top(group, [",", " or ", " and "]):
            if _is_vector_text(item):
                if not out:
                    raise reading.ParseError("an eigenvector came before any eigenvalue")
                out[-1].vectors += read_vectors(_VLABEL.sub("", _ELABEL.sub("", item)))
            elif item:
                value, mult = _value(item)
                out.append(Stated(value, mult))
    if not out:
        raise reading.ParseError("no eigenvalues found")
    return _merge(out)


def _merge(stated: list[Stated]) -> list[Stated]:
    merged: list[Stated] = []
    for s in stated:
        same = next((m for m in merged if numeric.equal(m.value, s.value)), None)
        if same is None:
            merged.append(s)
        else:
            same.listed += 1
            same.multiplicity = same.multiplicity or s.multiplicity
            same.vectors += s.vectors
    return merged


def compare_eigen(expected: Any, text: str, policy: Policy) -> Verdict:
    """``expected`` is a :class:`tutor.answers.EigenAnswer`."""
    stated = read_eigen(text)
    parsed = "; ".join(
        f"λ = {show(s.value)}" + (f" (×{s.multiplicity or s.listed})" if (s.multiplicity or s.listed) > 1 else "")
        + (": " + ", ".join(map(show_matrix, s.vectors)) if s.vectors else "") for s in stated)
    with_vectors = any(e.basis for e in expected.eigenvalues)
    gave_vectors = any(s.vectors for s in stated)
    gave_multiplicity = any(s.multiplicity or s.listed > 1 for s in stated)
    feedback: list[str] = []
    points = 0.0
    unmatched = list(stated)
    for ev in expected.eigenvalues:
        s = next((s for s in unmatched if numeric.equal(ev.value, s.value)), None)
        if s is None:
            feedback.append("an eigenvalue is missing" + (f" (with multiplicity {ev.algebraic_multiplicity})"
                                                          if ev.algebraic_multiplicity > 1 else ""))
            continue
        unmatched.remove(s)
        given_mult = s.multiplicity or s.listed
        value_ok = not gave_multiplicity or given_mult == ev.algebraic_multiplicity
        if not value_ok:
            feedback.append(f"the eigenvalue {show(s.value)} has algebraic multiplicity "
                            f"{ev.algebraic_multiplicity}, the answer gives {given_mult}")
        if not with_vectors:
            points += value_ok
            continue
        points += 0.5 * value_ok
        if gave_vectors:  # else one "the eigenvectors are missing" below says it all
            space = _eigenspace_feedback(ev, s)
            feedback += space
            points += 0.5 * (not space)
    for s in unmatched:
        feedback.append(f"{show(s.value)} is not an eigenvalue")
    if with_vectors and not gave_vectors:
        feedback.append("the eigenvectors are missing")
    total = len(expected.eigenvalues) + len(unmatched)
    return graded(parsed, feedback, points / total if total else 1.0)


def _eigenspace_feedback(ev: Any, s: Stated) -> list[str]:
    basis = [sympy.Matrix(b) for b in ev.basis]
    out = []
    for v in s.vectors:
        if v.rows != basis[0].rows:
            out.append(f"eigenvectors have {basis[0].rows} entries, not {v.rows}")
        elif is_zero(v):
            out.append("the zero vector is never an eigenvector")
        elif not in_span(v, basis):
            out.append(f"Av ≠ λv for v = {show_matrix(v)}, λ = {show(s.value)}")
    if out or not s.vectors:
        return out if s.vectors else [f"no eigenvector given for λ = {show(s.value)}"]
    r = rank(s.vectors)
    if r < len(s.vectors):
        return [f"the eigenvectors given for λ = {show(s.value)} are linearly dependent"]
    if r < len(basis):
        return [f"the eigenspace of λ = {show(s.value)} has dimension {len(basis)}: "
                f"{len(basis)} independent eigenvectors are expected, the answer has {r}"]
    return []
