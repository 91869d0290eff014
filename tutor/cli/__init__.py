"""The command line: argument parsing and printing only.

``tutor.cli.main`` is the console script.  Every command turns its arguments into calls of the
public API (``tutor.api``) or of the services below it (checking, exams, rendering) and prints
what they return; no mathematics is done here.  May import anything in ``tutor``; nothing in
``tutor`` imports it.
"""
from tutor.cli.main import main

__all__ = ["main"]
