"""click's own texts and every command's help in Swedish; English with LANGUAGE=en."""

from __future__ import annotations

import copy
import gettext
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import polib  # type: ignore[import-untyped]  # no stubs published
import pytest
from click.testing import CliRunner, Result
from scripts import cli_messages_sv

from likvard.cli.language import LOCALE, speak
from likvard.cli.main import command_tree

ENGLISH_CLICK = ["Usage:", "Options:", "Show this message and exit.", "No such option", "Try '"]


@pytest.fixture
def speaking(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], click.Command]]:
    """A copy of the command tree made to speak a language; click's globals restored after."""
    monkeypatch.setenv("LANGUAGE", "")  # speak() sets it; restored after the test
    domain = gettext.textdomain()

    def make(language: str) -> click.Command:
        root = copy.deepcopy(command_tree())
        speak(root, language)
        return root

    yield make
    gettext.textdomain(domain)


def _run(root: click.Command, *args: str) -> Result:
    return CliRunner().invoke(root, list(args), prog_name="likvard")


def test_every_help_text_and_click_message_has_swedish_in_the_committed_catalogue():
    generated, missing = cli_messages_sv.catalogue(command_tree())
    assert missing == []
    committed = polib.pofile(str(Path(LOCALE) / "sv/LC_MESSAGES/cli.po"))
    as_pairs = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in committed}
    wanted = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in generated}
    assert wanted - as_pairs == set(), "run scripts/cli_messages_sv.py (make messages)"


def test_help_is_swedish(speaking):
    # English help asked first in this process: click keeps the --help option it made then
    _run(command_tree(), "planning", "forecast", "--help")
    result = _run(speaking("sv"), "planning", "forecast", "--help")
    assert result.exit_code == 0, result.output
    assert "Användning: likvard planning forecast" in result.output
    assert "16-åringar per kommun de kommande tio åren" in result.output
    assert "[krävs]" in result.output
    assert "Visa den här hjälpen och avsluta." in result.output
    assert [text for text in ENGLISH_CLICK if text in result.output] == []


def test_a_usage_error_is_swedish(speaking):
    swedish = _run(speaking("sv"), "import", "--bogus")
    assert swedish.exit_code == 2
    assert "Fel: Flaggan '--bogus' finns inte." in swedish.output
    assert "Skriv 'likvard import --help' för hjälp." in swedish.output
    assert [text for text in ENGLISH_CLICK if text in swedish.output] == []


def test_a_usage_error_is_english_on_request(speaking):
    english = _run(speaking("en"), "import", "--bogus")
    assert "Error: No such option '--bogus'." in english.output
    assert "Usage: likvard import" in english.output


def test_the_shared_command_tree_keeps_its_english_help(speaking):
    speaking("sv")
    assert command_tree().help is not None
    assert command_tree().help.startswith("Likvärd: quality follow-up")
