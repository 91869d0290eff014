"""Vector calculus with steps (MML chapter 5).

Derivatives rule by rule (:mod:`~tutor.calculus.derivatives`: one checked dataclass per rule),
partial derivatives, gradients, Jacobians, Hessians and Taylor polynomials
(:mod:`~tutor.calculus.multivariate`), matrix calculus by identities with shapes
(:mod:`~tutor.calculus.matrix_derivatives`, :mod:`~tutor.calculus.matrix_expressions`,
:mod:`~tutor.calculus.matrix_shapes`), and how the calculus kinds read their inputs
(:mod:`~tutor.calculus.inputs`).

May import: :mod:`tutor.core`, :mod:`tutor.parsing`, :mod:`tutor.linalg`.
"""
