"""Solutions into words and formulas: Jinja templates to LaTeX, Markdown, text and JSON; PDF.

- :mod:`~tutor.rendering.render`: the Jinja environment of each dialect, solutions and
  documents rendered, LaTeX compiled to PDF;
- :mod:`~tutor.rendering.dialects`: what differs between LaTeX, Markdown and plain text
  (formulas, matrices, escaping);
- :mod:`~tutor.rendering.rows`: how row operations are written beside the matrices;
- ``templates/``: one template per kind (``kinds/<kind>.j2``) and per document format
  (``documents/``): the words live there, not in Python.

May import: :mod:`tutor.topics` (a kind's template name), the engines, :mod:`tutor.core`.
"""
