"""``tutor notebook SHEET -o X.ipynb``: a sheet as a Jupyter notebook ("Code + Paper")."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Callable

Command = Callable[[argparse.Namespace], int]


def _cmd_notebook(ns: argparse.Namespace) -> int:
    from tutor import api
    from tutor.rendering import render
    from tutor.rendering.notebook import notebook

    sheet = api.load_sheet(ns.file)
    out = Path(ns.output or f"{sheet.name}.ipynb")
    document = notebook(api.solve_sheet(sheet), title=sheet.title, subtitle=sheet.subtitle, titles=sheet.titles)
    render.write_output(out, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
    return 0


def add_parsers(subparsers: argparse._SubParsersAction) -> dict[str, Command]:
    """Add ``notebook`` to the CLI; returns its handler."""
    nb = subparsers.add_parser("notebook", help="a sheet as a Jupyter notebook: worked solutions and "
                               "SymPy code that recomputes each answer")
    nb.add_argument("file", help="the sheet, e.g. examples/lecture1.toml")
    nb.add_argument("-o", "--output", help="the notebook to write (default: <sheet name>.ipynb)")
    return {"notebook": _cmd_notebook}
