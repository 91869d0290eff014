"""One sandboxed checking worker, started by :class:`tutor.checking.sandbox.Worker`, never by hand.

The parent runs ``python -I -c <boot> PATHS MODULE JOB_FD RESULT_FD`` (see
``sandbox._command``): isolated mode, so neither the current directory nor ``PYTHON*``
variables decide what is imported; the boot line sets the import path to PATHS (a JSON
list: the directory holding this ``tutor``, then the caller's path without its current
directory) and calls :func:`main`, which reads pickled jobs on ``JOB_FD`` and writes the
results on ``RESULT_FD`` (see :func:`tutor.checking.sandbox.serve`).
"""
from __future__ import annotations

from multiprocessing.connection import Connection

from tutor.checking.sandbox import serve


def main(argv: list[str]) -> None:
    serve(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False))
