"""``likvard quality``: the national quality system's catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from likvard.quality.services.catalogue import (
    CatalogueRejectedError,
    catalogue_load_file,
    catalogue_load_shipped,
)


@click.group()
def quality() -> None:
    """The quality system: goals, indicators and success factors (the catalogue)."""


@quality.command("load-catalogue")
@click.argument(
    "file",
    required=False,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
def load_catalogue(file: Path | None) -> None:
    """Load the catalogue FILE (default: the one shipped with Likvärd), all or nothing.

    FILE is in the documented catalogue format (docs/quality-catalogue-format.md), for
    example Skolverket's official lists. Loading the same file again changes nothing.
    """
    try:
        outcome = (
            catalogue_load_file(path=file, official=True) if file else (catalogue_load_shipped())
        )
    except CatalogueRejectedError as error:
        for issue in error.issues:
            click.echo(issue.format_cli(), err=True)
        click.echo(f"{len(error.issues)} problem(s); nothing was loaded.", err=True)
        sys.exit(1)
    state = "loaded" if outcome.created else "already loaded, nothing changed"
    click.echo(
        f"Catalogue {outcome.version.label} ({outcome.version.source_name}): {state}. "
        f"{outcome.goals} goals, {outcome.indicators} indicators "
        f"({outcome.revisions} revisions), {outcome.success_factors} success factors."
    )
