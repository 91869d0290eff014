"""The hint ladder: the solution's own step tree, given away one rung at a time.

Rungs, in order: the method (what the whole solution does and why), then for each top-level
step its purpose ("compute the characteristic polynomial") followed by the step itself (its
part of the worked solution, rendered by the kind's own template).  A student who asks for
every rung has read the whole worked solution; one who stops after the method has read one
sentence.

The step itself is the part of the rendered solution that this step adds: the solution cut
after the step, minus the solution cut before it.  A kind's template may not render every cut
(a summary that reads a later step): such steps are shown together with the next ones, up to
the next cut that renders, so no rung is ever a template error.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from tutor import topics
from tutor.core.steps import Solution
from tutor.rendering import render

LEVELS = ("method", "purpose", "step")


@dataclass(frozen=True)
class Rung:
    """One hint: its ``level`` (method, purpose or step), the step group it is about (1-based;
    0 for the method), how many groups there are, and its text in the requested format;
    ``at``: the top-level step (1-based) the student works on once it is shown (the group's
    first step after its purpose, the step after the group once the group is shown)."""

    level: str
    step: int
    steps: int
    text: str
    at: int = 0

    def to_json(self) -> dict[str, object]:
        return {"level": self.level, "step": self.step, "steps": self.steps, "text": self.text}


def _words(fmt: str):
    dialect = "markdown" if fmt == "markdown" else "text"
    return render.environment(dialect).get_template("practice/ladder.j2").module


def _cut(solution: Solution, count: int, fmt: str) -> list[str] | None:
    """The worked solution of the first ``count`` top-level steps, as lines; None when the
    kind's template cannot render that cut."""
    part = Solution(solution.problem, solution.steps[:count], solution.answer)
    try:
        return render.solution_body(part, fmt).splitlines()
    except Exception:  # a template that reads a later step: this cut is not shown on its own
        return None


def _groups(solution: Solution, fmt: str) -> tuple[tuple[int, int, str], ...]:
    """(first step, end step, text it adds) for each group of top-level steps shown together."""
    groups: list[tuple[int, int, str]] = []
    start, before = 0, _cut(solution, 0, fmt) or []
    frame = set(before)  # what every cut shows (the answer's summary): given with the last step
    for end in range(1, len(solution.steps) + 1):
        last = end == len(solution.steps)
        after = render.solution_body(solution, fmt).splitlines() if last else _cut(solution, end, fmt)
        if after is None:
            continue
        if last:
            before = [line for line in before if line not in frame]
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        added = [line for tag, _, _, j1, j2 in matcher.get_opcodes() if tag in ("insert", "replace")
                 for line in after[j1:j2]]
        groups.append((start, end, "\n".join(added).strip("\n") + "\n"))
        start, before = end, after
    return tuple(groups)


def rungs(solution: Solution, fmt: str = "text") -> list[Rung]:
    """Every rung of the ladder, in the order a student climbs it."""
    words = _words(fmt)
    groups = _groups(solution, fmt)
    summary = topics.get(solution.kind).summary
    ladder = [Rung("method", 0, len(groups), str(words.method(solution, summary)).strip() + "\n")]
    for number, (first, end, text) in enumerate(groups, 1):
        purpose = str(words.purpose(solution.steps[first], number, len(groups))).strip() + "\n"
        ladder += [Rung("purpose", number, len(groups), purpose, first + 1),
                   Rung("step", number, len(groups), text, end + 1)]
    return ladder


def rung(solution: Solution, index: int, fmt: str = "text") -> Rung | None:
    """Rung ``index`` (0-based) of the ladder, or None when the ladder is climbed."""
    ladder = rungs(solution, fmt)
    return ladder[index] if 0 <= index < len(ladder) else None
