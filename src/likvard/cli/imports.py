"""``likvard import KIND FILE...``: import files all or nothing, like a compiler reports errors."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from likvard.cli.people import cli_user
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region
from likvard.organisations.selectors import NotFoundError
from likvard.warehouse.kinds import REGIONAL_KINDS
from likvard.warehouse.services import ImportRejectedError, batch_import
from likvard.warehouse.warm import warm_after_import
from likvard_core.ingest.kinds import KINDS


@click.command("import")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--organizer", help="Organisation number of the organizer whose data this is.")
@click.option(
    "--region",
    "region_code",
    help="Region code (e.g. gr) for its admissions office's joint file (admissions only).",
)
@click.option("--user", "username", help="Record the import as made by this user.")
def import_files(
    kind: str,
    files: tuple[Path, ...],
    organizer: str | None,
    region_code: str | None,
    username: str | None,
) -> None:
    """Import FILES of KIND. Exits 0 with what was added, non-zero on a bad file.

    A bad file writes nothing; every problem is listed as FILE:ROW:COLUMN: message.
    Importing the same file again changes nothing ("redan importerad"). With --organizer
    every row must name one of that organizer's school units; with --region (admissions only)
    a school unit in one of the region's municipalities.
    """
    owner = _owner(kind, organizer, region_code)
    user = cli_user(username) if username else None
    console = Console(stderr=True)
    failed, added = False, False
    for path in files:
        imported = _import_one(console, kind, path, owner, user)
        failed |= imported is None
        added |= bool(imported)
    if added:
        with console.status(_("Preparing the pages for the new data version …")):
            warm_after_import()
    sys.exit(1 if failed else 0)


def _owner(kind: str, organizer: str | None, region_code: str | None) -> Organizer | Region | None:
    """The organizer or region named on the command line (exit 2 when unknown or misused)."""
    if organizer and region_code:
        click.echo(_("error: give --organizer or --region, not both"), err=True)
        sys.exit(2)
    if region_code:
        if kind not in REGIONAL_KINDS:
            kinds = ", ".join(sorted(REGIONAL_KINDS))
            click.echo(_("error: --region is for %(kinds)s") % {"kinds": kinds}, err=True)
            sys.exit(2)
        try:
            return organisations.region_get(code=region_code)
        except NotFoundError:
            click.echo(_("error: unknown region %(code)s") % {"code": region_code}, err=True)
            sys.exit(2)
    if organizer:
        try:
            return organisations.organizer_get(organisation_number=organizer)
        except NotFoundError:
            click.echo(_("error: unknown organizer %(code)s") % {"code": organizer}, err=True)
            sys.exit(2)
    return None


def _import_one(
    console: Console,
    kind: str,
    path: Path,
    owner: Organizer | Region | None,
    user: AbstractBaseUser | None,
) -> bool | None:
    """Import one file: True when it made a new batch, False for a repeat, None when refused."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} " + _("rows")),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(_("Reading %(file)s") % {"file": path.name}, total=None)
        try:
            outcome = batch_import(
                limited=True,
                path=path,
                kind=kind,
                by=user,
                organizer=owner if isinstance(owner, Organizer) else None,
                region=owner if isinstance(owner, Region) else None,
                progress=lambda rows: progress.update(task, completed=rows),
            )
        except ImportRejectedError as error:
            progress.stop()
            for issue in error.issues:
                click.echo(issue.format_cli(language=get_language()))
            message = _("%(file)s: %(count)d errors; nothing was imported.")
            click.echo(message % {"file": path.name, "count": len(error.issues)}, err=True)
            return None
    if outcome.already_imported:
        message = _("%(file)s: already imported (batch %(batch)d)")
        click.echo(message % {"file": path.name, "batch": outcome.batch.id})
        return False
    added = ", ".join(f"{table}: {rows}" for table, rows in outcome.rows.items())
    message = _("%(file)s: imported as batch %(batch)d (%(added)s)")
    click.echo(message % {"file": path.name, "batch": outcome.batch.id, "added": added})
    return True
