"""The core: what every other part of the tutor speaks.

- :mod:`~tutor.core.steps`: the step model (a derivation is a tree of frozen dataclasses that
  check themselves), problems and solutions;
- :mod:`~tutor.core.answers`: typed answers (expression, matrix, solution set, eigenpairs, ...);
- :mod:`~tutor.core.errors`: ``TutorError`` (a user's mistake, one line, exit 2) and ``ParseError``;
- :mod:`~tutor.core.kinds`: a kind's fields and the registry (:mod:`tutor.topics` fills it);
- :mod:`~tutor.core.symcheck`: the independent equality test the step checks use;
- :mod:`~tutor.core.functions`: the functions of machine learning (sigmoid, softplus, ReLU) as
  sympy functions, known to the parser, the engines and the checks alike.

May import: nothing of ``tutor`` outside this package (sympy and the standard library only).
"""
