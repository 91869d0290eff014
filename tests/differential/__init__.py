"""The differential test (issue 20): every kind's answers against an independent computation.

For every kind, problems come from the generators (:mod:`tutor.generators`) and from an
independent random source of inputs (:mod:`.inputs`: singular, rank-deficient, defective,
irreducible characteristic polynomials, decimals, symbols); each is solved, every step check
is walked, and the answer is compared *by meaning* with what sympy/numpy compute from the raw
inputs (:mod:`.oracles`: solution sets and spans, eigenvectors up to scale, decompositions by
their defining equations).  :mod:`.runner` runs it and prints a table per kind; the test
module runs it with a fixed seed and a budget, and feeds the comparisons altered answers that
they must flag.
"""
