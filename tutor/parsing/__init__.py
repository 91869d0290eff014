"""Untrusted text to sympy objects: the only door through which typed text enters.

- :mod:`~tutor.parsing.text`: one grammar for LaTeX and plain text (expressions, equations,
  vectors, matrices, assignments), linear in the input, capped in length, depth, number size
  and exponents; it builds sympy objects with sympy's constructors, so text never reaches
  ``eval``, ``sympify`` or ``parse_expr``.  Also importable as ``tutor.parse``.
- :mod:`~tutor.parsing.matrix_expressions`: matrix-calculus expressions
  (``x^T A x``, ``||Ax - b||^2``) as a small syntax tree of their own.

May import: :mod:`tutor.core`.
"""
