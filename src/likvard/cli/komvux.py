"""``likvard komvux ...``: komvux measures on the command line, from the same services.

CSV on standard output (``;``-separated, one row per value of the breakdown in the year shown,
the total first; hidden figures empty with their status), or XLSX, PDF or PPTX with ``-o``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.analyses.komvux import documents, rows, services
from likvard.cli.lookup import cli_organizer, cli_region
from likvard.cli.people import cli_viewer
from likvard.exports.files import render

COLUMNS = ("places", "applicants", "soktryck", "soktryck_first_hand", "soktryck_eligible",
           "enrolled", "fill_rate", "completion_rate", "interruption_rate", "followed_up",
           "outcome_rate", "outcome_low", "outcome_high")  # fmt: skip


@click.group("komvux")
def komvux() -> None:
    """Komvux: söktryck, fill rate, completion and outcomes of course starts."""


def _emit(report: services.KomvuxReport, by: str, output: Path | None) -> None:
    if output is not None:
        fmt = output.suffix.lstrip(".").lower()
        if fmt not in documents.FORMATS:
            raise click.UsageError(_("-o must end in .xlsx, .pdf or .pptx"))
        output.write_bytes(render(documents.komvux_document(report), fmt).content)
        click.echo(f"{report.title}: {output}")
        return
    if report.year is None:
        raise click.ClickException(_("no komvux starts imported for these municipalities"))
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(["year", by, "name", *COLUMNS, "hidden"])
    for row in rows.breakdown_rows(report, by=by, year=report.year):
        figures = ["" if row.get(c) is None else row.get(c) for c in COLUMNS]
        writer.writerow([report.year, row.key or "", row.name, *figures, ",".join(row.reasons)])


_BY = click.option(
    "--by",
    type=click.Choice(services.BREAKDOWNS),
    default="course_code",
    show_default=True,
    help="Breakdown of the CSV rows.",
)
_YEAR = click.option("--year", type=int, default=None, help="Year the starts began (latest).")
_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write the report as .xlsx, .pdf or .pptx instead of CSV.",
)  # fmt: skip
_USER = click.option("--user", "username", help="Run as this user (suppression depends on it).")


@komvux.command("region")
@click.argument("code")
@_BY
@_YEAR
@_OUTPUT
@_USER
def region(code: str, by: str, year: int | None, output: Path | None, username: str | None) -> None:
    """Komvux measures of region CODE's municipalities."""
    found = cli_region(code)
    report = services.komvux_region_report(
        viewer=cli_viewer(username), region=found, year=year, channel="cli"
    )
    _emit(report, by, output)


@komvux.command("organizer")
@click.argument("organisation_number")
@_BY
@_YEAR
@_OUTPUT
@_USER
def organizer(
    organisation_number: str, by: str, year: int | None, output: Path | None, username: str | None
) -> None:
    """Komvux measures of the municipal organizer ORGANISATION_NUMBER."""
    found = cli_organizer(organisation_number)
    report = services.komvux_organizer_report(
        viewer=cli_viewer(username), organizer=found, year=year, channel="cli"
    )
    _emit(report, by, output)
