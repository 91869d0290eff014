"""``tutor.parse``: kept importable for users and scripts; the parser lives in
:mod:`tutor.parsing.text`.  This module *is* that module (one object, so a patch or a
setting made through either name is seen by both)."""
import sys

from tutor.parsing import text

sys.modules[__name__] = text
