"""``likvard planning ...``: the cohort forecast on the command line, from the same services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.analyses.planning.services.report import planning_report
from likvard.cli.analyses import _csv
from likvard.cli.lookup import cli_region
from likvard.cli.people import cli_viewer
from likvard.exports.released import released_workbook


@click.group("planning")
def planning() -> None:
    """Planning and dimensioning: cohort forecast, supply against demand."""


@planning.command("forecast")
@click.option("--region", "region_code", required=True, help="Region code, e.g. GR.")
@click.option(
    "--from-year", type=int, required=True, help="Base year of the population (31 December)."
)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--user", "username", help="Run as this user (suppression depends on the user).")
def forecast(
    region_code: str, from_year: int, fmt: str, output: Path | None, username: str | None
) -> None:
    """16-year-olds per municipality for the next ten years, from population by age.

    CSV (the forecast per municipality and year) goes to standard output unless -o is given.
    XLSX needs -o and also holds expected students per programme and school municipality and
    supply against demand per programme.
    """
    region = cli_region(region_code)
    report = planning_report(
        viewer=cli_viewer(username), region=region, from_year=from_year, channel="cli"
    )
    if report.forecast is None:
        raise click.ClickException(_("no population by age imported for the region"))
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(_("--format xlsx needs -o FILE"))
        sheets = [("16-åringar", report.forecast)]
        for title, released in (
            ("Förväntade elever", report.expected),
            ("Platser och efterfrågan", report.supply_demand),
        ):
            if released is not None:
                sheets.append((title, released))
        output.write_bytes(released_workbook(sheets))
    else:
        text = _csv(report.forecast)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    rows = _("%(count)d rows.") % {"count": report.forecast.table.num_rows}
    click.echo(f"{rows} {report.forecast.provenance}", err=True)
