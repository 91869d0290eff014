"""The problem of (kind or topic, seed, difficulty): one function for ``generate``,
``practice`` and the web app, so one seed is one problem everywhere.

``random.Random(seed)`` first picks the kind when a topic is given, then draws the variant
(:func:`tutor.exams.generators.draw`).  A practice run of several problems uses seeds
``seed, seed + 1, ...``: problem ``i`` of ``tutor practice --seed s`` is
``tutor generate --seed s+i``.

With a budget (the web app's), the draw runs in a sandbox worker within that budget's time
and memory: a seed from the network picks the work, and a slow draw (a hard SVD takes
seconds) must cost one worker for a while, never the server's event loop or its memory.
"""
from __future__ import annotations

import functools
import random

from tutor.checking import bounded
from tutor.checking.check import run_sandboxed
from tutor.checking.sandbox import Failure
from tutor.core.errors import TutorError
from tutor.exams import documents as exams
from tutor.exams import generators
from tutor.exams.generators import Variant


def pick_kind(word: str, rng: random.Random) -> str:
    """A kind name as it is, or one kind of a topic that has a generator, drawn."""
    pool = exams.resolve(word)
    if len(pool) == 1:
        return pool[0]
    return rng.choice([kind for kind in pool if kind in generators.RAW_GENERATORS] or pool)


def _draw(word: str, seed: int, difficulty: int) -> Variant | TutorError:
    """The draw itself; in a worker, a refusal comes back as a value (the worker reports an
    exception as an internal error)."""
    rng = random.Random(seed)
    try:
        return generators.draw(pick_kind(word, rng), rng, difficulty)
    except TutorError as e:
        return e


@functools.lru_cache(maxsize=256)
def variant(word: str, seed: int, difficulty: int = 2, budget: bounded.Budget | None = None) -> Variant:
    """The solved variant of ``word`` (a kind or a topic) for this seed and difficulty, drawn
    here or, with a ``budget``, in a sandbox worker within it.

    Cached: a stateless web session rebuilds its problem from the seed on every request.
    """
    result = _draw(word, seed, difficulty) if budget is None else \
        run_sandboxed(_draw, word, seed, difficulty, bound=budget)
    if isinstance(result, Failure):
        raise TutorError(f"drawing problem {word} (seed {seed}) was stopped: {result.reason} "
                         f"(the budget: {budget.describe() if budget else 'none'})")
    if isinstance(result, TutorError):
        raise result
    return result
