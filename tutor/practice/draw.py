"""The problem of (kind or topic, seed, difficulty): one function for ``generate``,
``practice`` and the web app, so one seed is one problem everywhere.

``random.Random(seed)`` first picks the kind when a topic is given, then draws the variant
(:func:`tutor.exams.generators.draw`).  A practice run of several problems uses seeds
``seed, seed + 1, ...``: problem ``i`` of ``tutor practice --seed s`` is
``tutor generate --seed s+i``.
"""
from __future__ import annotations

import functools
import random

from tutor.exams import documents as exams
from tutor.exams import generators
from tutor.exams.generators import Variant


def pick_kind(word: str, rng: random.Random) -> str:
    """A kind name as it is, or one kind of a topic that has a generator, drawn."""
    pool = exams.resolve(word)
    if len(pool) == 1:
        return pool[0]
    return rng.choice([kind for kind in pool if kind in generators.RAW_GENERATORS] or pool)


@functools.lru_cache(maxsize=256)
def variant(word: str, seed: int, difficulty: int = 2) -> Variant:
    """The solved variant of ``word`` (a kind or a topic) for this seed and difficulty.

    Cached: a stateless web session rebuilds its problem from the seed on every request.
    """
    rng = random.Random(seed)
    kind = pick_kind(word, rng)
    return generators.draw(kind, rng, difficulty)
