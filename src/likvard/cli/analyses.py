"""``likvard equity ...``: the equity tables on the command line, from the same services."""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.access.release import Released
from likvard.analyses.equity.services import ORGANIZER_TYPES, published_table
from likvard.cli.people import cli_viewer
from likvard.exports.released import released_workbook


@click.group("equity")
def equity() -> None:
    """Grade equity: final grades against national test results."""


@equity.command("published")
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="Municipality code (repeatable); every imported municipality when left out.",
)
@click.option(
    "--organizer-type",
    "organizer_types",
    multiple=True,
    type=click.Choice(ORGANIZER_TYPES),
    help="all (default), kommunal or enskild; repeatable.",
)
@click.option("--trends", is_flag=True, help="One row per municipality and subject: the trend.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--user", "username", help="Run as this user (public statistics need none).")
def published(
    municipalities: tuple[str, ...],
    organizer_types: tuple[str, ...],
    trends: bool,
    fmt: str,
    output: Path | None,
    username: str | None,
) -> None:
    """Test pass rate against subject pass rate per municipality, subject and year.

    From Skolverket's published files imported with the public_stats kind. CSV goes to
    standard output unless -o is given; XLSX needs -o.
    """
    released = published_table(
        viewer=cli_viewer(username),
        municipalities=list(municipalities) or None,
        organizer_types=list(organizer_types) or ["all"],
        trends=trends,
    )
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(_("--format xlsx needs -o FILE"))
        output.write_bytes(released_workbook([("Trend" if trends else "Per år", released)]))
    else:
        text = _csv(released)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    rows = _("%(count)d rows.") % {"count": released.table.num_rows}
    click.echo(f"{rows} {released.provenance}", err=True)


def _csv(released: Released) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    columns = released.table.schema.names
    writer.writerow(columns)
    for row in released.table.to_pylist():
        writer.writerow([_cell(row[c]) for c in columns])
    return buffer.getvalue()


def _cell(value: object) -> str:
    """Swedish CSV: decimal comma, empty for a hidden or unpublished figure."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)
