"""One oracle per kind: ``oracle(raw, answer)`` raises :class:`Wrong` when the tutor's answer
disagrees in meaning with an independent computation from the raw inputs."""
from __future__ import annotations

from typing import Any, Callable

from .common import Wrong
from . import calculus, linalg, probability
from . import optimization
from . import models

Oracle = Callable[[dict[str, Any], Any], None]

ORACLES: dict[str, Oracle] = {**linalg.ORACLES, **calculus.ORACLES, **probability.ORACLES,
                            **optimization.ORACLES, **models.ORACLES}

__all__ = ["ORACLES", "Oracle", "Wrong"]
