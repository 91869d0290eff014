"""A practice session in a signed token, so that the browser carries it and any server
process (or one restarted) can take the next request.

The token is ``base64url(json) "." base64url(hmac-sha256)``.  The key comes from
``TUTOR_SECRET``, else from a key file made once (``~/.cache/tutor/secret``): a restart keeps
the key, so open pages keep working.  A token says nothing secret (the seed is in the
page's link anyway); the signature only stops a student from setting ``solved`` by hand.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from tutor.core.errors import TutorError

MAX_TOKEN = 2000


def default_key() -> bytes:
    env = os.environ.get("TUTOR_SECRET")
    if env:
        return env.encode()
    path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tutor" / "secret"
    try:
        return path.read_bytes()
    except OSError:
        key = secrets.token_bytes(32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(key)
            path.chmod(0o600)
        except OSError:  # a read-only home: tokens last as long as this process
            pass
        return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(state: dict[str, Any], key: bytes) -> str:
    body = _b64(json.dumps(state, separators=(",", ":"), sort_keys=True).encode())
    return body + "." + _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def unsign(token: str, key: bytes) -> dict[str, Any]:
    """The state of a token, or TutorError when it is malformed or was changed."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 1:
        raise TutorError("the practice session is not valid: start the problem again")
    body, mac = token.split(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(mac, expected):
        raise TutorError("the practice session is not valid: start the problem again")
    try:
        state = json.loads(_unb64(body))
    except ValueError:
        raise TutorError("the practice session is not valid: start the problem again") from None
    if not isinstance(state, dict):
        raise TutorError("the practice session is not valid: start the problem again")
    return state
