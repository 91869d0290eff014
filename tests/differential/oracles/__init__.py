"""One oracle per kind: ``oracle(raw, answer)`` raises :class:`Wrong` when the tutor's answer
disagrees in meaning with an independent computation from the raw inputs."""
from __future__ import annotations

from typing import Any, Callable

import tutor

from .common import Wrong
from . import calculus, linalg, probability
from . import optimization
from . import models

Oracle = Callable[[dict[str, Any], Any], None]

ORACLES: dict[str, Oracle] = {**linalg.ORACLES, **calculus.ORACLES, **probability.ORACLES,
                            **optimization.ORACLES, **models.ORACLES}



def solved(kind: str, **raw: Any) -> tuple[dict[str, Any], Any]:
    """The raw inputs and the tutor's answer, as an oracle receives them."""
    return raw, tutor.solve(kind, **raw).answer


def flagged(kind: str, raw: dict[str, Any], answer: Any) -> bool:
    """Whether the kind's oracle calls ``answer`` wrong (the comparisons' own tests)."""
    try:
        ORACLES[kind](raw, answer)
    except Wrong:
        return True
    return False


__all__ = ["ORACLES", "Oracle", "Wrong", "flagged", "solved"]
