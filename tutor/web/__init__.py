"""The web app and the HTTP API: ``tutor serve``.

- :mod:`~tutor.web.app`: the Starlette application (routes, errors, static files);
- :mod:`~tutor.web.pages`: the student's practice pages and the teacher's pages (HTML);
- :mod:`~tutor.web.jsonapi`: the JSON API (solve, check, generate, kinds) and its OpenAPI
  description;
- :mod:`~tutor.web.tokens`: a practice session as a signed token: the server keeps nothing;
- :mod:`~tutor.web.guard`: request size and rate bounds;
- :mod:`~tutor.web.markup`: the Markdown dialect's text as HTML whose math KaTeX typesets
  in the browser (KaTeX is shipped in ``static/katex``: no CDN, works offline).

Every answer goes through the sandboxed checker (:mod:`tutor.checking`), every problem
through the practice model (:mod:`tutor.practice`).

May import: :mod:`tutor.api`, :mod:`tutor.practice`, :mod:`tutor.exams`, :mod:`tutor.checking`,
:mod:`tutor.rendering`, :mod:`tutor.topics`, the engines, :mod:`tutor.core`.
"""
