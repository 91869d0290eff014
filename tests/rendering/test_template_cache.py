"""The compiled-template cache lives in the user's own cache directory, never in the shared
temporary directory where a planted symlink or file redirected or disabled it (issue 19,
item 11)."""
from __future__ import annotations

import os
import tempfile

from tutor.rendering import render


def test_the_cache_is_in_the_user_s_cache_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = render._compiled_templates()
    assert cache is not None and cache.directory == str(tmp_path / "tutor" / "templates")
    assert (tmp_path / "tutor" / "templates").stat().st_mode & 0o777 == 0o700
    assert not cache.directory.startswith(tempfile.gettempdir() + os.sep + "_jinja2-cache")


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert render.template_cache_directory() == tmp_path / ".cache" / "tutor" / "templates"


def test_a_planted_symlink_or_file_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    victim = tmp_path / "victim"
    victim.mkdir(mode=0o755)
    (tmp_path / "tutor").mkdir()
    (tmp_path / "tutor" / "templates").symlink_to(victim)
    assert render._compiled_templates() is None
    assert victim.stat().st_mode & 0o777 == 0o755
    (tmp_path / "tutor" / "templates").unlink()
    (tmp_path / "tutor" / "templates").write_text("planted")
    assert render._compiled_templates() is None


def test_a_cache_others_can_read_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "tutor" / "templates").mkdir(parents=True, mode=0o777)
    os.chmod(tmp_path / "tutor" / "templates", 0o777)
    assert render._compiled_templates() is None
