"""The registry: each kind is registered by the topic module :data:`tutor.topics.MODULES` names,
so that a command that imports only that module finds its kind."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import tutor
from tutor import topics
from tutor.core.errors import TutorError

RECORD = """
import json, sys
from tutor.core import kinds
where = {}
original = kinds.register
def register(kind):
    where[kind.name] = sys._getframe(1).f_globals["__name__"].rsplit(".", 1)[-1]
    return original(kind)
kinds.register = register
import importlib, pkgutil, tutor.topics as T
for m in pkgutil.iter_modules(T.__path__):
    importlib.import_module("tutor.topics." + m.name)
print(json.dumps(where))
"""


def test_modules_names_the_module_that_registers_each_kind():
    proc = subprocess.run([sys.executable, "-c", RECORD], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == topics.MODULES


def test_a_kind_loads_only_its_own_topic_module():
    code = ("import sys, tutor; tutor.solve('det', matrix='[[1,2],[3,4]]'); "
            "print(sorted(m for m in sys.modules if m.startswith('tutor.topics.') and m != 'tutor.topics.sheets'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['tutor.topics.matrices']"


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(TutorError, match="unknown kind 'eigne'; known kinds: .*eigen"):
        tutor.solve("eigne", matrix="[[1]]")
