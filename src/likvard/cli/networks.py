"""``likvard notes``: import old meeting notes, and check the Swedish-letter repair alone."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.networks.selectors import NotFoundError, network_get
from likvard.networks.services.imports import (
    NotesImportError,
    NotesPreview,
    notes_commit,
    notes_read,
)
from likvard.networks.services.repair import notes_repair_text

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("notes")
def notes() -> None:
    """Meeting notes of the networks: import old notes, check their repair."""


def _show(preview: NotesPreview) -> None:
    parsed = preview.parsed
    click.echo(f"{preview.file_name}")
    click.echo(
        _("  network: %(network)s    date: %(date)s    repairs: %(repairs)d")
        % {
            "network": parsed.network or "-",
            "date": parsed.meeting_date or "-",
            "repairs": len(preview.repairs),
        }
    )
    for label, people in ((_("present"), parsed.present), (_("absent"), parsed.absent)):
        click.echo(f"  {label} ({len(people)}):")
        for person in people:
            roles = f" ({', '.join(person.roles)})" if person.roles else ""
            click.echo(
                f"    {person.name}, {person.municipality or person.organisation or '-'}{roles}"
            )
    click.echo(_("  items (%(count)d):") % {"count": len(parsed.items)})
    for item in parsed.items:
        presenters = f" – {', '.join(item.presenters)}" if item.presenters else ""
        click.echo(f"    {item.number}. {item.title}{presenters}")
    click.echo(
        _("  decisions: %(decisions)d    slide mentions: %(slides)d    links: %(links)d")
        % {
            "decisions": len(parsed.decisions),
            "slides": len(parsed.slide_mentions),
            "links": len(parsed.links),
        }
    )
    if preview.existing is not None:
        message = _("  already imported as meeting %(meeting)d: nothing to do")
        click.echo(message % {"meeting": preview.existing.pk})


@notes.command("import")
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option("--yes", is_flag=True, help="Commit without asking.")
@click.option("--network", "network_code", help="Code of the network the notes belong to.")
def notes_import(files: tuple[Path, ...], yes: bool, network_code: str | None) -> None:
    """Import FILES (TXT, DOCX, PDF, scanned PDF): parse, show the structure, commit.

    Each file is committed on confirmation, or at once with --yes. The same file again
    changes nothing. Exits 1 when a file could not be committed.
    """
    network = None
    if network_code:
        try:
            network = network_get(code=network_code)
        except NotFoundError:
            click.echo(_("error: unknown network %(code)s") % {"code": network_code}, err=True)
            sys.exit(2)
    failed = False
    for path in files:
        preview = notes_read(path=path)
        _show(preview)
        if preview.existing is not None:
            continue
        if not yes and not click.confirm(_("Commit these notes?"), default=False):
            click.echo(_("  skipped"))
            continue
        try:
            outcome = notes_commit(preview=preview, by=None, network=network)
        except NotesImportError as error:
            click.echo(_("error: %(file)s: %(error)s") % {"file": path, "error": error}, err=True)
            failed = True
            continue
        message = _("  committed as meeting %(meeting)d of %(network)s")
        click.echo(message % {"meeting": outcome.meeting.pk, "network": outcome.meeting.network})
    sys.exit(1 if failed else 0)


@notes.command("repair")
@click.argument("file", type=FILE)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the text.",
)
def notes_repair(file: Path, output: Path) -> None:
    """Write FILE's extracted and repaired text to OUTPUT, line for line, to check the repair."""
    text, repairs = notes_repair_text(path=file)
    output.write_text(text, encoding="utf-8")
    message = _("%(file)s: %(repairs)d repairs, %(lines)d lines -> %(output)s")
    lines = text.count(chr(10)) + 1
    click.echo(message % {"file": file, "repairs": repairs, "lines": lines, "output": output})
