"""``likvard knowledge``: import items into the knowledge bank from a spreadsheet, export them."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.access.policy import ANONYMOUS, viewer_for
from likvard.cli.people import cli_user
from likvard.knowledge.services.exports import items_export
from likvard.knowledge.services.imports import ImportRejectedError, items_import


@click.group()
def knowledge() -> None:
    """The regional knowledge bank: research, methods and material from finished projects."""


@knowledge.command("import")
@click.argument("sheet", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--user", "username", required=True, help="The editor the items are written as.")
@click.option(
    "--files",
    "folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder holding the files the sheet names (column filer).",
)
def import_items(sheet: Path, username: str, folder: Path | None) -> None:
    """Import SHEET (XLSX or CSV, one row per item), all or nothing.

    Every row is checked first: columns, vocabularies, the user's right to edit the row's region
    or network, and each named file (type checked against its content). Problems are printed as
    FILE:ROW:COLUMN: message and nothing is imported.
    """
    user = cli_user(username)
    try:
        created = items_import(
            name=sheet.name,
            data=sheet.read_bytes(),
            viewer=viewer_for(user),
            by=user,
            folder=folder,
        )
    except ImportRejectedError as error:
        for issue in error.issues:
            click.echo(issue.line(), err=True)
        message = _("%(count)d errors; nothing was imported.")
        click.echo(message % {"count": len(error.issues)}, err=True)
        sys.exit(1)
    click.echo(_("%(count)d items imported.") % {"count": len(created)})


@knowledge.command("export")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--user", "username", help="Export what this user may read (default: public).")
def export_items(out: Path, username: str | None) -> None:
    """Write the items the user may read to OUT (XLSX) in the import's columns."""
    viewer = viewer_for(cli_user(username)) if username else ANONYMOUS
    out.write_bytes(items_export(viewer=viewer))
    click.echo(_("Wrote %(file)s.") % {"file": out})
