"""``likvard reference load``: load or update the public reference tables."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from likvard.organisations.reference import SHIPPED_DIR
from likvard.organisations.services import ReferenceDataError, reference_load


@click.group()
def reference() -> None:
    """Public reference data: municipalities, regions, programmes, organizers, school units."""


@reference.command("load")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=SHIPPED_DIR,
    show_default="the files shipped with Likvärd",
    help="A folder with newer files of the same kinds and columns.",
)
def load(directory: Path) -> None:
    """Load the reference tables from DIR, all or nothing; loading again changes nothing."""
    console = Console()
    try:
        summary = reference_load(directory=directory)
    except ReferenceDataError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        message = _("%(count)d errors; nothing was loaded.")
        click.echo(message % {"count": len(error.problems)}, err=True)
        sys.exit(1)
    table = Table(title="Referensdata")
    table.add_column("Tabell")
    table.add_column("Rader", justify="right")
    for name, count in summary.counts.items():
        table.add_row(name, str(count))
    console.print(table)
