"""Practice: one problem at a time, with hints on request and the student's own working checked.

The model is shared by the terminal (``tutor practice``), the web app (``tutor serve``) and
notebooks, so that a seed, a hint or a verdict means the same thing everywhere:

- :mod:`~tutor.practice.draw`: the problem of (kind or topic, seed, difficulty), the same
  one ``tutor generate`` prints for that seed;
- :mod:`~tutor.practice.ladder`: the hint ladder over the solution's own step tree (the
  method, then the next step's purpose, then the step itself, one rung per request);
- :mod:`~tutor.practice.lines`: an intermediate line of the student's working checked against
  the step tree (which step it matches, or the first mistake), in the sandbox;
- :mod:`~tutor.practice.session`: a practice session as small JSON-ready state (hints used,
  attempts), so that a browser or a signed token can carry it and the server keeps nothing.

May import: :mod:`tutor.exams`, :mod:`tutor.checking`, :mod:`tutor.rendering`,
:mod:`tutor.topics`, the engines, :mod:`tutor.core`.
"""
