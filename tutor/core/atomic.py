"""Writing an output file so that nobody else's file is touched and no reader sees half of it.

Every output (.tex, .pdf, .md, .json, .xml, .csv) is written to a private temporary file
in the target directory (``mkstemp``: a unique name, created exclusively with mode 0600,
so a symlink planted under a predictable name such as ``lecture1.pdf.part`` is never
followed and two concurrent runs never share one) and then renamed over the target:
``rename`` replaces a symlink planted at ``out/lecture1.tex`` instead of writing
through it to the file it points at.  A failure is one TutorError naming the file.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterator

from tutor.core.errors import TutorError

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once, while importing (one thread): the final file gets the usual mode


@contextlib.contextmanager
def replacing(path: Path, binary: bool = False) -> Iterator[IO]:
    """A file open for writing that becomes ``path`` when the block ends without error."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(21, "it is a directory")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise TutorError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else
                                                      {"encoding": "utf-8", "newline": ""})) as f:
            yield f
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as e:
        _discard(tmp)
        raise TutorError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        _discard(tmp)
        raise


def write_text(path: Path, text: str) -> Path:
    with replacing(path) as f:
        f.write(text)
    return path


def copy_file(source: Path, path: Path) -> Path:
    with replacing(path, binary=True) as f, open(source, "rb") as src:
        shutil.copyfileobj(src, f)
    return path


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
