"""``tutor serve``: the web app and the JSON API with uvicorn (localhost unless told otherwise)."""
from __future__ import annotations

import argparse
from typing import Callable

from tutor.core.errors import TutorError

Command = Callable[[argparse.Namespace], int]


def _cmd_serve(ns: argparse.Namespace) -> int:
    try:
        import uvicorn

        from tutor.web.app import create_app
        from tutor.web.guard import Bounds
    except ImportError as e:
        raise TutorError(f"the web app needs its extra packages: pip install 'tutor[web]' ({e.name} is missing)") from None
    if ns.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"tutor: serving on {ns.host}: reachable from other machines")
    uvicorn.run(create_app(bounds=Bounds(rate=ns.rate)), host=ns.host, port=ns.port,
                workers=None, log_level="warning", limit_concurrency=ns.max_connections)
    return 0


def add_parsers(subparsers: argparse._SubParsersAction) -> dict[str, Command]:
    """Add ``serve`` to the CLI; returns its handler."""
    serve = subparsers.add_parser("serve", help="the web app (practice, teacher pages) and the JSON API")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--rate", type=float, default=200.0, help="requests per second per client (default 200; 0: no bound)")
    serve.add_argument("--max-connections", type=int, default=256, help="open connections at once (default 256)")
    return {"serve": _cmd_serve}
