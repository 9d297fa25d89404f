"""``likvard movement``: a region's dependency map on the command line, from the same services."""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import astuple, fields
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.analyses.movement import services, slides
from likvard.analyses.movement.selectors import movement_reference
from likvard.analyses.movement.services.region import MapRow
from likvard.analyses.movement.tables import movement_workbook
from likvard.cli.lookup import cli_region
from likvard.cli.people import cli_viewer


def _csv(rows: list[MapRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow([f.name for f in fields(MapRow)])
    for row in rows:
        writer.writerow(
            ["" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
             for v in astuple(row)]
        )  # fmt: skip
    return buffer.getvalue()


@click.command("movement")
@click.option("--region", "region_code", required=True, help="Region code, e.g. GR.")
@click.option(
    "--year", type=int, default=None, help="School year (spring year); the latest by default."
)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pptx"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--user", "username", help="Run as this user (figures they own come in full).")
def movement(
    region_code: str, year: int | None, fmt: str, output: Path | None, username: str | None
) -> None:
    """A region's dependency map: where upper-secondary students live and study (15 October).

    CSV (the default) has one row per municipality: residents, those with another organizer,
    the share, outgoing, incoming and net; it goes to standard output unless -o is given.
    XLSX holds every table of the page, PPTX the slides with the map and the flow diagram; both
    need -o. Small groups are hidden unless the user owns the figures.
    """
    region = cli_region(region_code)
    report = services.region_report(
        viewer=cli_viewer(username),
        region=region,
        filters=services.Filters(year=year),
        channel="cli",
    )
    if year is not None and report.year != year:
        raise click.UsageError(_("no enrolments for school year %(year)s") % {"year": year})
    if fmt in ("xlsx", "pptx"):
        if output is None:
            raise click.UsageError(_("--format %(format)s needs -o FILE") % {"format": fmt})
        sheets = services.movement_export_tables(report)
        content = (
            movement_workbook(sheets, reference=movement_reference())
            if fmt == "xlsx"
            else slides.region_deck(report)
        )
        output.write_bytes(content)
    else:
        text = _csv(report.map_rows)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    click.echo(
        _("%(count)d municipalities, school year %(year)s.")
        % {"count": len(report.map_rows), "year": report.year}
        + f" {report.share.provenance}",
        err=True,
    )
