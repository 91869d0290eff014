"""Start-up: a one-line command as a whole process, against a bare ``python -c "import sympy"``.

A command pays for what it imports: since the layout issue it imports the topic module of
its own kind only (``tutor.topics.MODULES``), and the public API loads the checker, the exam
generators and the renderer on first use.  Measured in CPU time of the child process
(user + system, best of 5), so that other load on the machine does not count.
"""
from __future__ import annotations

import resource
import subprocess
import sys

from bench.common import table

COMMANDS = {
    "import sympy (baseline)": ["-c", "import sympy"],
    "import tutor": ["-c", "import tutor"],
    "tutor solve det 2x2": ["-m", "tutor", "solve", "det", "[[1,2],[3,4]]"],
    "tutor solve system": ["-m", "tutor", "solve", "system", "3x + y = 9", "4x - 2y = 5"],
    "tutor solve derivative": ["-m", "tutor", "solve", "derivative", "x^2 \\sin(x)", "--wrt", "x"],
    "tutor check system": ["-m", "tutor", "check", "system", "3x = 6", "--answer", "x = 2"],
}


def cpu_seconds(args: list[str], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def main() -> None:
    times = {name: cpu_seconds(args) for name, args in COMMANDS.items()}
    base = times["import sympy (baseline)"]
    table(["command", "CPU s", "x import sympy"],
          [(name, f"{t:.2f}", f"{t / base:.2f}") for name, t in times.items()])


if __name__ == "__main__":
    main()
