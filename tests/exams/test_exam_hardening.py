"""Exams: enough distinct SVDs for a long exam, options validated whichever way the spec
comes, and Moodle XML that parses whatever the title (issue 19, item 14)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tutor.cli.main import main
from tutor.exams import documents as exams


def test_an_exam_of_sixteen_distinct_svds(tmp_path):
    assert main(["exam", "--topics", "svd", "--count", "16", "--seed", "1", "--format", "latex",
                 "-o", str(tmp_path)]) == 0
    signatures = {q.variant.signature for q in exams.draw_exam(exams.spec_from_topics(["svd"], count=16, seed=1)).questions}
    assert len(signatures) == 16


@pytest.mark.parametrize("options, message", [
    (["--seed=-5"], "--seed must be from 0"),
    (["--versions", "0"], "--versions must be from 1"),
    (["--versions", "27"], "--versions must be from 1"),
])
@pytest.mark.parametrize("source", ["spec", "topics"])
def test_options_are_validated_with_a_spec_and_with_topics(tmp_path, capsys, options, message, source):
    spec = tmp_path / "spec.toml"
    spec.write_text('title = "T"\n[[question]]\ntopics = ["system"]\n')
    given = ["--spec", str(spec)] if source == "spec" else ["--topics", "system", "--count", "1"]
    assert main(["exam", *given, *options, "--format", "latex", "-o", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_control_character_in_a_title_is_refused(tmp_path, capsys):
    assert main(["exam", "--topics", "system", "--count", "1", "--title", "Mid\x01term", "--format", "moodle",
                 "-o", str(tmp_path)]) == 2
    assert "control character U+0001" in capsys.readouterr().err


def test_moodle_xml_parses_with_any_printable_title(tmp_path):
    spec = exams.spec_from_topics(["system"], count=1, seed=3, title="Prüfung — α < β & \"q\" \u202e")
    ET.fromstring(exams.moodle_xml(exams.draw_versions(spec)).split("\n", 1)[1])
