"""The command line: argument parsing and printing only.

Every user mistake is one line on stderr and exit code 2; no traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from tutor import api
from tutor.cli import check as cli_check
from tutor.cli import exam as cli_exam
from tutor.cli import practice as cli_practice
from tutor.cli import serve as cli_serve
from tutor.cli import notebook as cli_notebook
from tutor import topics
from tutor.rendering import render
from tutor.cli.arguments import Parser, add_kind_arguments, kind_inputs, kinds_needed
from tutor.core.errors import TutorError


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser of ``tutor``; with ``argv``, holding only the kinds the command names."""
    needed = kinds_needed(argv)
    parser = Parser(prog="tutor", description="Step-by-step worked solutions for the "
                     "mathematics of machine learning.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    solve = sub.add_parser("solve", help="solve one problem with steps")
    kind_parsers = solve.add_subparsers(dest="kind", required=True, metavar="KIND",
                                        parser_class=Parser)
    for kind in needed:
        p = kind_parsers.add_parser(kind.name, help=kind.summary, description=kind.summary)
        add_kind_arguments(p, kind)
        p.add_argument("--format", choices=render.FORMATS, default=None,
                       help="output format (default: text, or from the -o suffix)")
        p.add_argument("-o", "--output", help="write to this file (.tex, .pdf, .md, .txt, .json)")

    sheet = sub.add_parser("sheet", help="worked-solution sheet from a TOML file")
    sheet.add_argument("file", help="the sheet, e.g. examples/lecture1.toml")
    sheet.add_argument("-o", "--output", default="out", help="output directory (default: out/)")
    sheet.add_argument("--format", choices=("latex", "markdown", "text"), default="latex")

    sub.add_parser("kinds", help="list the problem kinds")
    COMMANDS.update(cli_check.add_parsers(sub, needed))
    COMMANDS.update(cli_exam.add_parsers(sub))
    COMMANDS.update(cli_practice.add_parsers(sub))
    COMMANDS.update(cli_serve.add_parsers(sub))
    COMMANDS.update(cli_notebook.add_parsers(sub))
    return parser


_SUFFIX_FORMAT = {".tex": "latex", ".pdf": "latex", ".md": "markdown", ".txt": "text", ".json": "json"}


def _cmd_solve(ns: argparse.Namespace) -> int:
    kind = topics.get(ns.kind)
    solution = api.solve(kind.make(kind_inputs(kind, ns)))
    out = Path(ns.output) if ns.output else None
    fmt = ns.format or (_SUFFIX_FORMAT.get(out.suffix, "text") if out else "text")
    text = render.render_solution(solution, fmt)
    if out is None:
        sys.stdout.write(text)
        return 0
    tex_path = out.with_suffix(".tex") if out.suffix == ".pdf" else out
    render.write_output(tex_path, text)
    if out.suffix == ".pdf":
        _compile(text, out)
    print(f"wrote {out}")
    return 0


def _cmd_sheet(ns: argparse.Namespace) -> int:
    sheet = api.load_sheet(ns.file)
    out_dir = Path(ns.output)
    if ns.format != "latex":
        solutions = api.solve_sheet(sheet)
        suffix = {"markdown": "md", "text": "txt"}[ns.format]
        path = out_dir / f"{sheet.name}.{suffix}"
        document = render.render_document(solutions, title=sheet.title, subtitle=sheet.subtitle,
                                          titles=sheet.titles, fmt=ns.format)
        render.write_output(path, document)
        print(f"wrote {path}")
        return 0
    source = api.render_latex(sheet)
    tex_path = out_dir / f"{sheet.name}.tex"
    render.write_output(tex_path, source)
    print(f"wrote {tex_path}")
    pdf = _compile(source, out_dir / f"{sheet.name}.pdf")
    if pdf:
        print(f"wrote {pdf}")
    return 0


def _compile(source: str, pdf_path: Path) -> Path | None:
    try:
        return render.compile_pdf(source, pdf_path)
    except render.TexMissing as e:
        print(f"tutor: {e}", file=sys.stderr)
        return None


def _cmd_kinds(ns: argparse.Namespace) -> int:
    for kind in sorted(topics.all_kinds().values(), key=lambda k: (k.topic, k.name)):
        print(f"{kind.name:20} {kind.topic:15} {kind.summary}")
    return 0


COMMANDS = {"solve": _cmd_solve, "sheet": _cmd_sheet, "kinds": _cmd_kinds}


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        ns = build_parser(argv).parse_args(argv)
        return COMMANDS[ns.command](ns)
    except TutorError as e:
        print(f"tutor: error: {e}", file=sys.stderr)
        return 2
    except RecursionError:
        print("tutor: error: the input is nested too deeply", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug in the tutor: still one line, unless debugging
        if os.environ.get("TUTOR_DEBUG"):
            raise
        print(f"tutor: internal error: {type(e).__name__}: {e} (set TUTOR_DEBUG=1 for details)",
              file=sys.stderr)
        return 3
