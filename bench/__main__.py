"""Run every benchmark: ``python -m bench`` (or ``python -m bench systems eigen``).

Each ``bench/bench_*.py`` has a ``main()`` that prints a table of timings of the
tutor next to the bare sympy computation on the same inputs, in the same run.
"""
import importlib
import pathlib
import sys

available = sorted(p.stem[len("bench_"):] for p in pathlib.Path(__file__).parent.glob("bench_*.py"))
names = sys.argv[1:] or available
unknown = [n for n in names if n not in available]
if unknown:
    sys.exit(f"usage: python -m bench [{' | '.join(available)} ...]\n"
             f"unknown benchmark: {', '.join(unknown)}")
for name in names:
    print(f"== {name}")
    importlib.import_module(f"bench.bench_{name}").main()
