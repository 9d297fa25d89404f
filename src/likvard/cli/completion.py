"""``likvard completion ...``: completion and the early warning, from the same services."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from likvard.analyses.completion import services
from likvard.analyses.completion.xlsx import warning_list_workbook
from likvard.analyses.incidents import services as incidents
from likvard.cli.lookup import cli_region, cli_school_unit
from likvard.cli.people import cli_viewer


@click.group("completion")
def completion() -> None:
    """Completed upper-secondary studies and the absence early warning."""


@completion.command("region")
@click.argument("code")
@click.option("--user", "username", required=True, help="Run as this user.")
def region(code: str, username: str) -> None:
    """Diploma within 3, 4 and 5 years per start year for region CODE (CSV on stdout)."""
    found = cli_region(code)
    report = services.completion_region_report(
        viewer=cli_viewer(username), region=found, channel="cli"
    )
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    columns = ["start_year", "programme_group", "n", "diploma_3_share", "diploma_4_share",
               "diploma_5_share", "status"]  # fmt: skip
    writer.writerow(columns)
    for row in report.overview:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


@completion.command("warning-list")
@click.argument("school_unit_code")
@click.option("--user", "username", required=True, help="Run as this user (the principal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def warning_list(school_unit_code: str, username: str, output: Path | None) -> None:
    """The early-warning list of SCHOOL_UNIT_CODE: its principal only. XLSX with -o, else CSV."""
    school = cli_school_unit(school_unit_code)
    try:
        listing = services.warning_list(
            viewer=cli_viewer(username), school=school, channel="export" if output else "cli"
        )
    except PermissionDenied as error:
        raise click.ClickException(
            _("not allowed: the list is for the school's principal and student health team")
        ) from error
    if output is not None:
        output.write_bytes(warning_list_workbook(listing))
        click.echo(
            _("%(count)d students written to %(file)s")
            % {"count": len(listing.rows), "file": output}
        )
        return
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(["key", "school_year", "term", "programme", "rate", "invalid_rate", "reasons"])
    for r in listing.rows:
        writer.writerow([r.key, r.school_year, r.term, r.programme_code, f"{r.rate:.3f}",
                         f"{r.invalid_rate:.3f}", ",".join(r.reasons)])  # fmt: skip


@completion.command("incidents")
@click.argument("code")
@click.option("--user", "username", required=True, help="Run as this user.")
@click.option("--days", type=click.Choice(["7", "14", "30"]), default="14", show_default=True)
def incidents_region(code: str, username: str, days: str) -> None:
    """Reported incidents per school year and organizer in region CODE (CSV on stdout)."""
    found = cli_region(code)
    report = incidents.incident_region_report(
        viewer=cli_viewer(username), region=found, within_days=int(days), channel="cli"
    )
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    columns = ["school_year", "organizer_code", "reports", "per_100", "closed_share",
               "investigated_within_share", "measures_within_share", "status"]  # fmt: skip
    writer.writerow(columns)
    for row in report.tables["organizer_code"].rows():
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


@completion.command("incident-cases")
@click.argument("school_unit_code")
@click.option("--user", "username", required=True, help="Run as this user (principal, elevhälsa).")
def incident_cases(school_unit_code: str, username: str) -> None:
    """The incident cases of SCHOOL_UNIT_CODE: its principal and student health team only."""
    school = cli_school_unit(school_unit_code)
    try:
        listing = incidents.incident_cases(
            viewer=cli_viewer(username), school=school, channel="cli"
        )
    except PermissionDenied as error:
        raise click.ClickException(
            _("not allowed: the cases are for the school's principal and student health team")
        ) from error
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(["case", "reported", "kind", "investigated", "measures", "closed"])
    for r in listing.rows:
        writer.writerow([r.case_id, r.reported_on, r.incident_kind, r.investigated_on or "",
                         r.measures_on or "", r.closed_on or ""])  # fmt: skip
