"""``tutor serve``: the web app and the JSON API with uvicorn (localhost unless told otherwise).

uvicorn loads the app by name (``tutor.web.app:create_app``), which is what lets it start
several worker processes (``--workers``); the bounds reach the app through the environment
(``TUTOR_RATE``, ``TUTOR_CHECK_WORKERS``), the one channel every worker process shares.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
from typing import Callable

from tutor.core.errors import TutorError

Command = Callable[[argparse.Namespace], int]
APP = "tutor.web.app:create_app"


def _cmd_serve(ns: argparse.Namespace) -> int:
    missing = [name for name in ("starlette", "uvicorn", "multipart") if importlib.util.find_spec(name) is None]
    if missing:
        raise TutorError(f"the web app needs its extra packages: pip install 'tutor[web]' "
                         f"({', '.join(missing)} missing)")
    if not 1 <= ns.port <= 65535 or ns.workers < 1 or ns.rate < 0:
        raise TutorError("--port must be from 1 to 65535, --workers at least 1, --rate not negative")
    import uvicorn

    os.environ["TUTOR_RATE"] = str(ns.rate)
    os.environ["TUTOR_TIME_LIMIT"] = f"{ns.budget.seconds:g}"  # each problem's draw
    os.environ["TUTOR_MEMORY_LIMIT"] = str(ns.budget.memory_bytes // 1024 ** 2)
    os.environ.setdefault("TUTOR_CHECK_WORKERS", str(ns.check_workers))
    if ns.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"tutor: serving on {ns.host}: reachable from other machines")
    print(f"tutor: open http://{ns.host}:{ns.port}/ (Ctrl-C stops)")
    uvicorn.run(APP, factory=True, host=ns.host, port=ns.port, workers=ns.workers,
                log_level="warning", limit_concurrency=ns.max_connections)
    return 0


def add_parsers(subparsers: argparse._SubParsersAction) -> dict[str, Command]:
    """Add ``serve`` to the CLI; returns its handler."""
    serve = subparsers.add_parser("serve", help="the web app (practice, teacher pages) and the JSON API")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.add_argument("--rate", type=float, default=200.0,
                       help="requests per second per client and process (default 200; 0: no bound)")
    serve.add_argument("--check-workers", type=int, default=min(4, os.cpu_count() or 1),
                       help="sandboxed checking processes per server process (default: the cores, at most 4)")
    serve.add_argument("--max-connections", type=int, default=256, help="open connections at once (default 256)")
    return {"serve": _cmd_serve}
