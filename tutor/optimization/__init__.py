"""The optimization engine (MML chapter 7): stationary points, gradient descent, Lagrange
multipliers, KKT conditions, convexity, linear and quadratic programs, convex conjugates.

Each module solves one kind of problem and records what it did as checked steps
(:mod:`tutor.steps`); the kinds that read the inputs and register the problems live in
:mod:`tutor.topics.optimization`, the words in the templates.

This package may import only the tutor's core modules (steps, answers, errors, kinds,
symcheck), its parser (:mod:`tutor.parse`, through :mod:`tutor.calcinputs`) and the
linear-algebra and calculus engines (rowreduce, determinants, roots, diffsteps, calcsteps);
never topics, checking, exams or the command line.
"""
