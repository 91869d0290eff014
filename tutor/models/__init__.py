"""The engines of "when models meet data" (MML chapters 8-12): estimation (maximum likelihood
and MAP), linear and Bayesian linear regression, PCA, one EM step of a Gaussian mixture, and
support vector machines.

Each module computes one model's answer together with its checked steps; the kinds that
expose them are in ``tutor.topics.models`` (thin: inputs, build, register).  The engines reuse
the other engines' derivations as substeps (the shared row reduction for the normal
equations, the eigen derivation for PCA, the Gauss-Jordan inverse for a posterior
covariance) instead of copying them.

May import: :mod:`tutor.core`, :mod:`tutor.parsing`, :mod:`tutor.linalg` (row reduction,
inverses, the eigen derivation), :mod:`tutor.calculus` and :mod:`tutor.probability` (Gaussian
algebra, sample statistics, exact numbers); never topics, checking, exams or cli.
"""
