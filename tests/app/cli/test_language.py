"""The command line speaks Swedish, like the pages; English only when LANGUAGE asks for it."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from django.utils import translation

from likvard.cli.language import cli_language
from likvard.cli.main import command_tree
from tests.app.conftest import World

pytestmark = pytest.mark.django_db

# Words that gave the English away in the command line's output before it was translated.
ENGLISH = re.compile(
    r"\b(error|errors|expected|not a|unknown|nothing|imported|got|grade|number|school year|"
    r"whole|value|was|the|or)\b",
    re.IGNORECASE,
)

HEADER = "personnummer;läsår;skolenhetskod;årskurs;ämne;betyg;språkval\n"
BAD_ROWS = (
    "20120910-4940;2024/25;59624096;6;BI;Q;nej\n20121218-4012;2024/X;72090315;sju;BI;F;kanske\n"
)


def _bad_import(tmp_path) -> str:
    data = tmp_path / "slutbetyg.csv"
    data.write_text(HEADER + BAD_ROWS, encoding="utf-8")
    result = CliRunner().invoke(command_tree(), ["import", "final_grades", str(data)])
    assert result.exit_code == 1, result.output
    return result.output


def test_a_bad_import_is_reported_in_swedish(world: World, tmp_path):
    output = _bad_import(tmp_path)
    assert "slutbetyg.csv:2:betyg:" in output
    assert "inget importerades" in output
    assert ENGLISH.findall(output) == [], output


def test_language_en_gives_english(world: World, tmp_path):
    with translation.override("en"):
        output = _bad_import(tmp_path)
    assert "not a grade" in output
    assert "nothing was imported" in output


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "sv"),
        ({"LANGUAGE": "en"}, "en"),
        ({"LANGUAGE": "en_GB:en"}, "en"),
        ({"LANGUAGE": "sv_SE:en"}, "sv"),
        ({"LANGUAGE": "de"}, "sv"),
    ],
)
def test_the_cli_language_comes_from_language(environ, language):
    assert cli_language(environ, default="sv") == language
