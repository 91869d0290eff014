"""The orthogonal complement of U = span(u_1, ..., u_k) in R^n (MML section 3.6).

x is in U^⊥ exactly when ``<u_i, x> = 0`` for every i, a homogeneous linear system
``M x = 0`` whose rows are ``u_i^T A`` (``B^T`` for the dot product).  Its kernel is
found by the ``kernel`` kind's solver (its steps are the substeps here: row reduction
and the Minus-1 trick, without the machinery of an inhomogeneous system), and its
basis is a basis of U^⊥.  A last step checks ``dim U + dim U^⊥ = n``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy
from sympy import ImmutableMatrix

from tutor.core.answers import BasisAnswer
from tutor.linalg.innerproducts import positive_definite, same
from tutor.linalg.projections import columns, form
from tutor.linalg.rowreduce import same_matrix
from tutor.core.steps import Problem, Solution, Step
from tutor.linalg.kernels import solve_kernel


@dataclass(frozen=True, kw_only=True)
class ComplementSystem(Step):
    """``M = B^T A`` (row i: ``u_i^T A``), so that x ⟂ U exactly when ``M x = 0``."""

    rule: ClassVar[str] = "complement.system"
    vectors: tuple[ImmutableMatrix, ...]
    A: ImmutableMatrix | None
    M: ImmutableMatrix

    def check(self) -> bool:
        B = columns(self.vectors)
        return same_matrix(B.T * form(self.A, B.rows), self.M)


@dataclass(frozen=True, kw_only=True)
class HomogeneousSolution(Step):
    """The kernel of M by the ``kernel`` solver (``problem``; its steps are the substeps);
    ``basis`` is the kernel basis it found."""

    rule: ClassVar[str] = "complement.kernel"
    M: ImmutableMatrix
    problem: Problem
    basis: tuple[ImmutableMatrix, ...]

    @property
    def solution(self) -> Solution:
        """The kernel's worked solution, for its template."""
        return Solution(self.problem, self.substeps, BasisAnswer(self.basis))

    def check(self) -> bool:
        M, n = self.M, self.M.cols
        zero = sympy.zeros(M.rows, 1)
        return (same_matrix(self.problem["A"], M) and bool(self.substeps)
                and len(self.basis) == n - M.rank(simplify=True)
                and all(same_matrix(M * v, zero) for v in self.basis)
                and (not self.basis or columns(self.basis).rank(simplify=True) == len(self.basis)))


@dataclass(frozen=True, kw_only=True)
class ComplementDimension(Step):
    """``dim U + dim U^⊥ = n``, and every basis vector of U^⊥ is orthogonal to every u_i."""

    rule: ClassVar[str] = "complement.dimension"
    vectors: tuple[ImmutableMatrix, ...]
    A: ImmutableMatrix | None
    basis: tuple[ImmutableMatrix, ...]
    dim_U: int
    n: int

    def check(self) -> bool:
        B = columns(self.vectors)
        A = form(self.A, self.n)
        return (B.rank(simplify=True) == self.dim_U and self.dim_U + len(self.basis) == self.n
                and all(same((u.T * A * w)[0], 0) for u in self.vectors for w in self.basis))


def solve_complement(problem: Problem) -> Solution:
    """The system ``<u_i, x> = 0``; its kernel, found with steps, is U^⊥."""
    vectors, A = problem["U"], problem["A"]
    n = vectors[0].rows
    M = ImmutableMatrix(columns(vectors).T * form(A, n))
    kernel = Problem("kernel", {"A": M})
    worked = solve_kernel(kernel)
    basis = tuple(ImmutableMatrix(v) for v in worked.answer.vectors)
    dim_U = n - len(basis)
    steps: list[Step] = [] if A is None else [positive_definite(A)]
    steps += [
        ComplementSystem(vectors=vectors, A=A, M=M),
        HomogeneousSolution(M=M, problem=kernel, basis=basis, substeps=worked.steps),
        ComplementDimension(vectors=vectors, A=A, basis=basis, dim_U=dim_U, n=n),
    ]
    return Solution(problem, tuple(steps), BasisAnswer(basis))
