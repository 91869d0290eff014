"""The optimization engine (MML chapter 7): stationary points, gradient descent, Lagrange
multipliers, KKT conditions, convexity, linear and quadratic programs, convex conjugates.

Each module solves one kind of problem and records what it did as checked steps
(:mod:`tutor.steps`); the kinds that read the inputs and register the problems live in
:mod:`tutor.topics.optimization`, the words in the templates.

This package may import only :mod:`tutor.core` (steps, answers, errors, kinds, symcheck),
:mod:`tutor.parsing` (through :mod:`tutor.calculus.inputs`) and the engines below it,
:mod:`tutor.linalg` and :mod:`tutor.calculus`; never topics, checking, exams, rendering or
the command line.
"""
