"""The problem kinds, one module per chapter of the course; importing a module registers its kinds.

A topic module is thin: the input fields of its kinds (how each is read from text), ``build``
(validate the parsed inputs into a :class:`~tutor.core.steps.Problem`), the ``solve`` that calls
the engines, and :func:`~tutor.core.kinds.register`.  The mathematics lives in the engines
(:mod:`tutor.linalg`, :mod:`tutor.calculus`, :mod:`tutor.probability`, ...).

May import: the engines, :mod:`tutor.parsing`, :mod:`tutor.core`, and (for an input field shared
by the kinds of one chapter) another topic module.  Imported by the services (rendering,
checking, exams) and the API.

:data:`MODULES` says which module registers which kind, so that a command imports only the
module of the kind it runs (a one-line ``tutor solve det`` need not import probability); a test
keeps the table true.  :mod:`tutor.topics.sheets` reads TOML sheets: problems of several kinds.
"""
from __future__ import annotations

import importlib

from typing import Any

from tutor.core.errors import TutorError
from tutor.core.kinds import Kind, registered
from tutor.core.steps import Problem, Solution

#: the topic module (in this package) that registers each kind
MODULES = {
    "system": "systems",
    **dict.fromkeys(("inverse", "det", "rank", "kernel", "image", "independence", "coordinates",
                     "change_of_basis"), "matrices"),
    **dict.fromkeys(("norm", "inner", "distance", "angle", "projection", "gram_schmidt",
                     "complement", "rotation"), "geometry"),
    **dict.fromkeys(("charpoly", "eigen", "diagonalize"), "eigen"),
    **dict.fromkeys(("cholesky", "svd", "low_rank"), "decompositions"),
    **dict.fromkeys(("derivative", "partial", "gradient", "jacobian", "hessian", "chain", "taylor"),
                    "calculus"),
    "matrix_gradient": "matrix_calculus",
    **dict.fromkeys(("backprop", "autodiff"), "ml_calculus"),
    **dict.fromkeys(("expectation", "variance", "moments"), "probability"),
    "change_of_variables": "transforms",
    **dict.fromkeys(("marginal", "conditional", "covariance", "correlation", "rv_independence",
                     "bayes"), "joint"),
    **dict.fromkeys(("gaussian_affine", "gaussian_conditional", "gaussian_product"), "gaussians"),
    "sample_stats": "statistics",
}


def get(name: str) -> Kind:
    """The kind called ``name`` (its topic module imported), or a TutorError listing the kinds."""
    module = MODULES.get(name)
    if module is None:
        raise TutorError(f"unknown kind {name!r}; known kinds: {', '.join(sorted(MODULES))}")
    importlib.import_module(f"{__name__}.{module}")
    return registered()[name]


def all_kinds() -> dict[str, Kind]:
    """Every kind, by name (every topic module imported)."""
    for module in sorted(set(MODULES.values())):
        importlib.import_module(f"{__name__}.{module}")
    return registered()


def make(kind: str, **inputs: Any) -> Problem:
    """Parse and validate the inputs of a kind (strings, numbers, lists or sympy objects)."""
    return get(kind).make(inputs)


def solve(kind: str | Problem, **inputs: Any) -> Solution:
    """A problem (or a kind and its inputs) solved with steps."""
    problem = kind if isinstance(kind, Problem) else make(kind, **inputs)
    return get(problem.kind).solve(problem)
