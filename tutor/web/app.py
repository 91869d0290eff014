"""The Starlette application: pages, the JSON API, static files (KaTeX), bounds, errors.

:func:`create_app` builds it; ``tutor serve`` runs it with uvicorn on 127.0.0.1 unless told
otherwise.  A :class:`~tutor.core.errors.TutorError` becomes one line: JSON under ``/api/``,
the page with the message elsewhere (400).
"""
from __future__ import annotations

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from tutor.checking.bounded import Budget
from tutor.core.errors import TutorError
from tutor.web import jsonapi, pages, tokens
from tutor.web.guard import Bounds, Guard


async def _refused(request: Request, exc: Exception) -> Response:
    message = str(exc)
    if request.url.path.startswith("/api/") or request.url.path == "/practice/preview":
        return JSONResponse({"error": message}, 400)
    return pages.page(request, "error.html.j2", 400, error=message)


def create_app(*, key: bytes | None = None, bounds: Bounds | None = None, budget: Budget | None = None) -> Starlette:
    """The app; ``key`` signs the practice tokens (default: :func:`tokens.default_key`), the
    bounds default to :meth:`Bounds.from_environment` (``tutor serve --rate``), the budget of
    one problem's draw (in a sandbox worker) to :meth:`Budget.from_settings`
    (``tutor --time-limit S --memory-limit MB serve``)."""
    bounds = bounds or Bounds.from_environment()
    routes = pages.ROUTES + jsonapi.ROUTES + [
        Mount("/static", StaticFiles(packages=[("tutor.web", "static")]), name="static")]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, bounds=bounds)],
                    exception_handlers={TutorError: _refused, RecursionError: _refused})
    environment = jinja2.Environment(loader=jinja2.PackageLoader("tutor.web", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    app.state.templates = Jinja2Templates(env=environment)
    app.state.key = key or tokens.default_key()
    app.state.budget = budget or Budget.from_settings()
    return app
