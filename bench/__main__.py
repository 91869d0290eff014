"""Run every benchmark: ``python -m bench`` (or ``python -m bench systems``).

Each ``bench/bench_*.py`` has a ``main()`` that prints a table of timings of the
tutor next to the bare sympy computation on the same inputs, in the same run.
"""
import importlib
import pathlib
import sys

names = sys.argv[1:] or sorted(p.stem[len("bench_"):] for p in pathlib.Path(__file__).parent.glob("bench_*.py"))
for name in names:
    print(f"== {name}")
    importlib.import_module(f"bench.bench_{name}").main()
