"""Probability with steps (MML chapter 6).

Distributions and random variables (:mod:`~tutor.probability.distributions`), integrals and
sums with steps for expectations and variances (:mod:`~tutor.probability.integrals`), joint
tables and their steps (:mod:`~tutor.probability.jointtable`,
:mod:`~tutor.probability.jointsteps`), Gaussian algebra (:mod:`~tutor.probability.gaussians`),
exact numbers and their decimal display (:mod:`~tutor.probability.numbers`), and how the
probability kinds read their inputs (:mod:`~tutor.probability.inputs`).

May import: :mod:`tutor.core`, :mod:`tutor.parsing`, :mod:`tutor.linalg`.
"""
