"""``likvard quality``: the national quality system's catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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
            click.echo(issue.format_cli(language=get_language()), err=True)
        message = _("%(count)d errors; nothing was loaded.")
        click.echo(message % {"count": len(error.issues)}, err=True)
        sys.exit(1)
    state = _("loaded") if outcome.created else _("already loaded, nothing changed")
    click.echo(
        _(
            "Catalogue %(label)s (%(source)s): %(state)s. %(goals)d goals, %(indicators)d "
            "indicators (%(revisions)d revisions), %(factors)d success factors."
        )
        % {
            "label": outcome.version.label,
            "source": outcome.version.source_name,
            "state": state,
            "goals": outcome.goals,
            "indicators": outcome.indicators,
            "revisions": outcome.revisions,
            "factors": outcome.success_factors,
        }
    )
