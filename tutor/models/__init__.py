"""The engines of "when models meet data" (MML chapters 8-12): estimation (maximum likelihood
and MAP), linear and Bayesian linear regression, PCA, one EM step of a Gaussian mixture, and
support vector machines.

Each module computes one model's answer together with its checked steps; the kinds that
expose them are in ``tutor.topics.models`` (thin: inputs, build, register).  The engines reuse
the other engines' derivations as substeps (the shared row reduction for the normal
equations, the eigen derivation for PCA, the Gauss-Jordan inverse for a posterior
covariance) instead of copying them.

Imports allowed here: the tutor core modules (steps, answers, errors, kinds, symcheck), the
parser (``tutor.parse``) and the linalg / calculus / probability engines (rowreduce,
inverses, determinants, roots, diffsteps, distributions, gaussiansteps, probnum); the eigen
derivation is imported from ``tutor.topics.eigen`` and the sample statistics steps from
``tutor.topics.statistics`` until they move to engine modules.  Never checking, exams or cli.
"""
