"""The command line in the user's language: click's own texts and every command's help.

Messages the commands print go through Django's gettext like the pages. What click writes
itself ("Usage:", "No such option") and the help texts of the commands come from the
catalogue ``likvard/locale/sv/LC_MESSAGES/cli.po`` (written by ``scripts/cli_messages_sv.py``),
beside the pages' ``django.po``: a ``locale`` folder inside ``cli/`` would make Django's
``makemessages`` move the commands' messages out of the main catalogue.
"""

from __future__ import annotations

import gettext
import inspect
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import click

DOMAIN = "cli"
LOCALE = Path(__file__).resolve().parents[1] / "locale"


def cli_language(environ: Mapping[str, str], *, default: str) -> str:
    """Swedish unless the user's ``LANGUAGE`` asks for English first (``LANGUAGE=en``)."""
    first = environ.get("LANGUAGE", "").split(":")[0]
    return "en" if first.startswith("en") else default


def speak(root: click.Command, language: str) -> None:
    """Let click and the help of every command under root speak language (English as is).

    click calls the standard library's ``gettext.gettext``, which reads the global text
    domain and the ``LANGUAGE`` variable; this process is the command line's own, so both
    are set here (a subprocess it starts inherits the same language).
    """
    if language.startswith("en"):
        return
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, LOCALE)
    gettext.textdomain(DOMAIN)
    catalogue = gettext.translation(DOMAIN, LOCALE, languages=[language], fallback=True)
    _translate_help(root, catalogue.gettext)


def _translate_help(command: click.Command, translate: Callable[[str], str]) -> None:
    if command.help:
        command.help = translate(inspect.cleandoc(command.help))
    if command.short_help:
        command.short_help = translate(inspect.cleandoc(command.short_help))
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = translate(inspect.cleandoc(param.help))
    # click makes each command's --help option once, in the language of that moment: drop a
    # made one so that the next use makes it in this language.
    if getattr(command, "_help_option", None) is not None:
        command._help_option = None
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _translate_help(sub, translate)
