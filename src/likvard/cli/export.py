"""``likvard export ...``: files from the same services as the pages (the analysis basis)."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.cli.lookup import cli_organizer
from likvard.cli.people import cli_viewer
from likvard.quality.services.basis import basis_years, fallback_year, organizer_basis
from likvard.quality.services.basis_export import FORMATS, basis_file


@click.group("export")
def export() -> None:
    """Export reports as files (XLSX, PDF, PPTX, DOCX)."""


@export.command("analysunderlag")
@click.option("--organizer", "organizer_code", required=True, help="Organisation number.")
@click.option("--year", type=int, default=None, help="School year as its spring year (2025).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--user",
    "username",
    help="Run as this user; without it, small groups are hidden as for anyone.",
)
def analysunderlag(
    organizer_code: str, year: int | None, fmt: str, output: Path, username: str | None
) -> None:
    """The analysis basis (analysunderlag) of an organizer for a school year, as a file.

    Figures the user has no right to in full are suppressed exactly as on the page. The year
    defaults to the latest one with students in the warehouse.
    """
    organizer = cli_organizer(organizer_code)
    if year is None:
        years = basis_years()
        year = years[0] if years else fallback_year()
    basis = organizer_basis(
        viewer=cli_viewer(username), organizer=organizer, year=year, channel="cli"
    )
    exported = basis_file(basis=basis, fmt=fmt)
    output.write_bytes(exported.content)
    click.echo(
        _("%(file)s: %(size)d bytes, %(organizer)s %(year)s, data version %(version)s.")
        % {
            "file": output,
            "size": len(exported.content),
            "organizer": organizer.name,
            "year": basis.year_label,
            "version": basis.data_version,
        },
        err=True,
    )
