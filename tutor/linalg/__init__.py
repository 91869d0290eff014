"""Linear algebra with steps (MML chapters 2-4): the engine of most kinds.

Row reduction as a teacher does it (:mod:`~tutor.linalg.rowreduce`), kernels by the Minus-1
trick (:mod:`~tutor.linalg.kernels`), linear systems (:mod:`~tutor.linalg.systems`),
determinants (:mod:`~tutor.linalg.determinants`), inverses (:mod:`~tutor.linalg.inverses`),
polynomial roots (:mod:`~tutor.linalg.roots`), the factor common to the terms of det(A - λI)
(:mod:`~tutor.linalg.commonfactor`), eigenvalues and eigenspaces
(:mod:`~tutor.linalg.eigen`), inner products and written-out arithmetic
(:mod:`~tutor.linalg.innerproducts`, :mod:`~tutor.linalg.expansions`), Gram-Schmidt
(:mod:`~tutor.linalg.gramschmidt`), projections,
orthogonal complements and rotations.  Each module records its work as checked steps.

May import: :mod:`tutor.core`, :mod:`tutor.parsing`.
"""
