"""The survey report as an export document (XLSX, PDF, PPTX through ``likvard.exports``)."""

from __future__ import annotations

import dataclasses
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from likvard.analyses.surveys.rows import no_answers, rate_definition, reason_of, revision_lines
from likvard.analyses.surveys.services import SurveyReport, survey_get
from likvard.exports.document import (
    NOT_WORKBOOK,
    WORKBOOK,
    Block,
    Column,
    Document,
    Hidden,
    Kind,
    Paragraph,
    Section,
    Table,
    Value,
)
from likvard.exports.released import Spec, released_table

SPECS = {
    "index_key": Spec(gettext_lazy("Index")),
    "year_group": Spec(gettext_lazy("Year group"), Kind.COUNT),
    "gender": Spec(gettext_lazy("Gender")),
    "n": Spec(gettext_lazy("Respondents"), Kind.COUNT),
    "index_value": Spec(gettext_lazy("Index value"), Kind.DECIMAL),
    "ci_low": Spec(gettext_lazy("Interval, low"), Kind.DECIMAL),
    "ci_high": Spec(gettext_lazy("Interval, high"), Kind.DECIMAL),
    "response_rate": Spec(gettext_lazy("Response rate"), Kind.PERCENT),
    "effect": Spec(gettext_lazy("Effect"), Kind.DECIMAL, decimals=2),
}
TITLES = {
    "region": gettext_lazy("The region"),
    "municipality": gettext_lazy("Municipalities"),
    "organizer": gettext_lazy("Organizers"),
    "school_unit": gettext_lazy("School units"),
}


WORKBOOK_ONLY = ("organizer", "school_unit")
"""Levels whose tables only the workbook holds: every organizer and school unit by index is
hundreds of rows (1 763 for GR's school units in the demo, an 82-page PDF that took 160 s
and ran past the server's timeout); the printed report and the slides name the workbook."""


def _print_totals(table: Table, total: str) -> Table:
    """``table`` for print and slides: only the rows of all year groups and genders, without
    the two columns that would say "All" on every row."""
    breakdowns = {str(SPECS["year_group"].header), str(SPECS["gender"].header)}
    at = [i for i, c in enumerate(table.columns) if c.header in breakdowns]
    if not at:
        return dataclasses.replace(table, media=NOT_WORKBOOK)
    keep = [i for i in range(len(table.columns)) if i not in at]
    rows = [[r[i] for i in keep] for r in table.rows if all(r[i] == total for i in at)]
    columns = [table.columns[i] for i in keep]
    return dataclasses.replace(table, columns=columns, rows=rows, media=NOT_WORKBOOK)


def _blocks(key: str, table: Table, total: str) -> list[Block]:
    """The workbook's full table, and what print and slides show of it."""
    full = dataclasses.replace(table, media=WORKBOOK)
    if key in WORKBOOK_ONLY:
        note = _("%(rows)s rows: the full table is in the workbook (XLSX).") % {
            "rows": len(table.rows)
        }
        return [full, Paragraph(note, media=NOT_WORKBOOK)]
    return [full, _print_totals(table, total)]


def survey_document(report: SurveyReport) -> Document:
    """The report's released tables, one section each with what its response rate divides,
    plus the priority matrix. The workbook holds every row; print and slides show all year
    groups and genders together, and name the workbook for organizers and school units
    (``WORKBOOK_ONLY``). A region whose units did not answer gets one line saying so."""
    title = f"{report.version.name} {report.version.version}: {report.region.name}"
    filename = f"enkat-{report.version.survey}-{report.version.version}-{report.region.code}"
    if not report.answered:  # one line saying so, not empty tables
        said = Section(str(TITLES["region"]), [Paragraph(no_answers(report.region.name))])
        return Document(title=title, sections=[said], filename=filename)
    genders = {"F": _("Girls"), "M": _("Boys")}
    names = {**report.names, "index_key": report.indices, "gender": genders}
    specs = {
        **SPECS,
        "index_key": Spec(gettext_lazy("Index"), words=report.indices),
        "gender": Spec(gettext_lazy("Gender"), words=genders),
    }
    total = _("All")
    definition = Paragraph(rate_definition(report.version), note=True)
    sections = [
        Section(
            str(TITLES[key]),
            [
                *_blocks(
                    key,
                    released_table(
                        table,
                        extra=specs,
                        names_of=names,
                        hide=("response_ok",),
                        total=total,
                        withheld=partial(reason_of, version=report.version),
                    ),
                    total,
                ),
                definition,
            ],
        )
        for key, table in report.tables.items()
    ]
    sections.append(_trend_section(report))
    sections.append(
        Section(
            _("Priority matrix"),
            [released_table(report.priority, extra=specs, names_of=names)],
        )
    )
    return Document(
        title=title,
        sections=sections,
        sources=[report.tables["region"].provenance],
        filename=filename,
    )


def _trend_section(report: SurveyReport) -> Section:
    """The revision against the previous version and the region's comparable indices per
    version, as on the page (the trend skips an index whose question changed)."""
    title = _("Revision and trend")
    revision = report.revision
    if not revision.previous:
        return Section(title, [Paragraph(_("The first version: no trend yet."))])
    earlier = survey_get(survey=report.version.survey, version=revision.previous)
    lines = revision_lines(report.version, revision, earlier)
    blocks: list[Block] = [Paragraph(line) for line in lines]
    if report.not_comparable:
        changed = _("Not compared over time, because a question in them changed:")
        blocks.append(Paragraph(f"{changed} {', '.join(report.not_comparable)}."))
    rows: list[list[Value]] = []
    for row in sorted(report.trend, key=lambda r: (str(r["index_key"]), str(r["version"]))):
        hidden = Hidden(reason=reason_of(row, report.version))
        n, value = row["n"], row["index_value"]
        rows.append(
            [
                report.indices.get(str(row["index_key"]), str(row["index_key"])),
                str(row["version"]),
                hidden if n is None else int(str(n)),
                hidden if value is None else float(str(value)),
            ]
        )
    columns = [
        Column(str(SPECS["index_key"].header)),
        Column(_("Version")),
        Column(str(SPECS["n"].header), Kind.COUNT),
        Column(str(SPECS["index_value"].header), Kind.DECIMAL),
    ]
    table = Table(_("Comparable indices per version (the region)"), columns, rows)
    return Section(title, [*blocks, table])
