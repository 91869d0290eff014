"""The folder tree is the architecture: imports flow one way, downward, and every package says
what lives in it.

Each package of ``tutor`` has a rank; a module may import its own package and packages of a
lower rank, nothing else.  Packages of one rank are siblings that do not know each other (the
branches of mathematics; rendering and checking).  The imports are read from the source with
:mod:`ast` (every ``import`` statement, also those inside functions), so the rule holds for lazy
imports too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "tutor"

#: rank of each part of the tree: lower ranks never import higher ones
RANKS = {
    "tutor.core": 0,
    "tutor.parsing": 1,
    "tutor.linalg": 2,
    "tutor.calculus": 3,
    "tutor.probability": 3,
    "tutor.optimization": 4,
    "tutor.models": 4,
    "tutor.topics": 5,
    "tutor.rendering": 6,
    "tutor.checking": 6,
    "tutor.exams": 7,
    "tutor.practice": 8,
    "tutor.api": 9,
    "tutor.cli": 10,
    "tutor.web": 10,
    "tutor": 11,  # the public API (__init__), __main__ and the tutor.parse alias
}


def part(module: str) -> str:
    """The part of the tree (a key of RANKS) a dotted module name belongs to."""
    pieces = module.split(".")
    for n in range(len(pieces), 0, -1):
        if ".".join(pieces[:n]) in RANKS:
            return ".".join(pieces[:n])
    raise KeyError(module)


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """The tutor modules a source file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base)
    return {name for name in found if name == "tutor" or name.startswith("tutor.")}


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_imports_flow_downward(path):
    mine = part(module_name(path))
    upward = sorted(
        name for name in imported(path)
        if part(name) != mine and (RANKS[part(name)] >= RANKS[mine])
        and not (mine == "tutor" and name.startswith("tutor."))
    )
    assert not upward, f"{module_name(path)} ({mine}, rank {RANKS[mine]}) imports upward or sideways: {upward}"


def test_every_package_says_what_lives_there():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc) > 80, f"{init.relative_to(ROOT)} has no docstring saying what lives there"


def test_every_part_of_the_tree_is_ranked():
    for child in PACKAGE.iterdir():
        if child.is_dir() and (child / "__init__.py").exists():
            assert f"tutor.{child.name}" in RANKS, f"tutor/{child.name}/ has no rank in tests/test_layout.py"


def test_tests_mirror_the_packages():
    """A module's tests are found by its path: tests/<package>/ for every package that has tests."""
    for folder in (ROOT / "tests").iterdir():
        if folder.is_dir() and (folder / "__init__.py").exists() and folder.name not in ("differential",):
            assert (PACKAGE / folder.name).is_dir(), f"tests/{folder.name}/ mirrors no package of tutor"
