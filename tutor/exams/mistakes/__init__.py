"""The catalogue of named mistakes, one module per chapter, each registering its kinds into
:data:`MISTAKES` (:mod:`.registry`).  :mod:`tutor.exams.choices` turns them into options."""
from __future__ import annotations

from tutor.exams.mistakes import (backprop, calculus, decompositions, eigen, geometry, matrices,  # noqa: F401 (they register)
                                  matrix_calculus, models, optimization, probability, systems)
from tutor.exams.mistakes.registry import MISTAKES, Mistake, mistakes

__all__ = ["MISTAKES", "Mistake", "mistakes"]
