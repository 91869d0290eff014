"""Bounds on what one client may ask: the size of a request and how many per second.

A body larger than the bound is refused with 413 before it is read whole; a client (by its
address) over its rate gets 429.  The rate is a token bucket per address held in this
process: losing it in a restart only forgives a few requests.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Bounds:
    """``body``: bytes of one request (``upload`` for the teacher's CSV); ``rate`` requests per
    second per client with bursts of ``burst`` (``rate`` 0: no rate bound)."""

    body: int = 64 * 1024
    upload: int = 4 * 1024 * 1024
    rate: float = 200.0
    burst: int = 400

    @classmethod
    def from_environment(cls) -> "Bounds":
        """``TUTOR_RATE`` (requests per second per client; 0: none), else the defaults."""
        try:
            rate = float(os.environ.get("TUTOR_RATE", cls.rate))
        except ValueError:
            rate = cls.rate
        return cls(rate=max(rate, 0.0), burst=max(int(2 * rate), 1))


class _Buckets:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.lock = threading.Lock()
        self.level: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            tokens, then = self.level.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if len(self.level) > 10_000:  # many addresses: forget the idle ones
                self.level = {k: v for k, v in self.level.items() if now - v[1] < 60}
            if tokens < 1:
                self.level[client] = (tokens, now)
                return False
            self.level[client] = (tokens - 1, now)
            return True


class Guard:
    """ASGI middleware enforcing :class:`Bounds`."""

    def __init__(self, app: ASGIApp, bounds: Bounds = Bounds()) -> None:
        self.app, self.bounds = app, bounds
        self.buckets = _Buckets(bounds.rate, bounds.burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        if self.bounds.rate and not self.buckets.take(client):
            await JSONResponse({"error": "too many requests: slow down"}, 429)(scope, receive, send)
            return
        limit = self.bounds.upload if scope["path"].startswith("/teacher/") else self.bounds.body
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, bounded, send)
        except _TooLarge:
            await _too_large(limit)(scope, receive, send)


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"error": f"the request is too large (at most {limit} bytes)"}, 413)
