"""``likvard surveys``: survey definitions and results on the command line, from the services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.analyses.surveys import rows, services
from likvard.analyses.surveys.exports import survey_document
from likvard.cli.lookup import cli_region
from likvard.cli.people import cli_viewer
from likvard.exports.files import render as render_file


@click.group("surveys")
def surveys() -> None:
    """Regional surveys: definitions, revisions and released results."""


@surveys.command("list")
def survey_list() -> None:
    """Every survey version with its indices and its revision against the previous one."""
    for version in services.survey_list():
        revision = services.revision_get(version=version)
        click.echo(f"{version.key}: {version.name}")
        click.echo(_("  indices: %(keys)s") % {"keys": ", ".join(i.key for i in version.indices)})
        if revision.previous:
            click.echo(
                _("  against %(previous)s: changed %(changed)s; new %(new)s; %(count)d comparable")
                % {
                    "previous": revision.previous,
                    "changed": ", ".join(revision.changed) or "-",
                    "new": ", ".join(revision.new) or "-",
                    "count": len(revision.comparable),
                }
            )


@surveys.command("results")
@click.argument("survey")
@click.option("--region", "region_code", required=True, help="Region code, e.g. gr.")
@click.option("--version", default=None, help="Survey version; the latest by default.")
@click.option("--level", type=click.Choice(["region", "municipality", "organizer", "school_unit"]),
              default="municipality")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "xlsx", "pdf", "pptx"]),
              default="text")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--user", "username", help="Run as this user (figures they own come in full).")
def results(
    survey: str,
    region_code: str,
    version: str | None,
    level: str,
    fmt: str,
    output: Path | None,
    username: str | None,
) -> None:
    """A survey's indices in a region, released as on the page: text per unit (hidden figures
    as '..' with their reason), or every table as XLSX, PDF or PPTX (needs -o)."""
    region = cli_region(region_code)
    try:
        chosen = services.survey_get(survey=survey, version=version)
    except services.UnknownSurveyError:
        raise click.UsageError(
            _("unknown survey %(survey)s %(version)s")
            % {"survey": survey, "version": version or ""}
        ) from None
    report = services.survey_region_report(
        viewer=cli_viewer(username),
        region=region,
        survey=survey,
        version=chosen.version,
        channel="cli",
    )
    if fmt != "text":
        if output is None:
            raise click.UsageError(_("--format %(format)s needs -o FILE") % {"format": fmt})
        output.write_bytes(render_file(survey_document(report), fmt).content)
        click.echo(_("Wrote %(file)s.") % {"file": output})
        return
    column = None if level == "region" else f"{level}_code"
    names = report.names.get(column or "", {})
    for row in rows.result_rows(
        report.tables[level], column=column, names=names, version=report.version
    ):
        note = f"  ({row.reason})" if row.reason else ""
        sys.stdout.write(f"{row.name}\t{row.index}\t{row.respondents}\t{row.value}{note}\n")
