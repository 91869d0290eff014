"""``python -m tutor.worker JOB_FD RESULT_FD``: one sandboxed checking worker.

Started by :class:`tutor.sandbox.Worker`, never by hand; it reads pickled jobs on
``JOB_FD`` and writes the results on ``RESULT_FD`` (see :func:`tutor.sandbox.serve`).
"""
import sys
from multiprocessing.connection import Connection

from tutor.checking.sandbox import serve

if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
