"""The planning summary for the network meeting as an export ``Document``: slides, an A4 PDF,
a Word file and a workbook, all rendered by ``likvard.exports`` from the same released report.

The summary shows the forecast per year, supply, demand and gap per programme in the first
forecast year with Skolverket's assessment beside it, and the scenario's effect; the workbook
has the released tables themselves, with Swedish headers and names beside codes.
"""

from __future__ import annotations

from likvard.analyses.planning import charts
from likvard.analyses.planning.services.report import PlanningReport
from likvard.exports.document import (
    NOT_WORKBOOK,
    WORKBOOK,
    Chart,
    Column,
    Document,
    Hidden,
    Kind,
    Section,
    Table,
    Value,
)
from likvard.exports.released import released_table
from likvard.organisations.labels import school_year_label

EXPORT_WIDTH = 640
FORMATS = ("pptx", "pdf", "docx", "xlsx")

FORECAST_TITLE = "Framskrivna 16-åringar per kommun och år"
GAP_TITLE = "Platser minus efterfrågan per program och år, med scenariot"
"""Each chart's section heading, also its caption (one heading: the renderers print a caption
that repeats its section's heading once, and the exported chart carries no title of its own)."""

ASSESSMENT_TEXT = {1: "upp (+1)", 0: "behåll (0)", -1: "ned (−1)"}
"""Skolverket's assessment in the Swedish summaries."""


def _untitled(spec: dict[str, object]) -> dict[str, object]:
    """The chart without its own title: in a document the section heading (a slide's title)
    names it, and a title inside the picture printed the heading a second time."""
    return {key: value for key, value in spec.items() if key != "title"}


def _figure(value: float | None) -> Value:
    return Hidden() if value is None else value


def _assessment(value: int | None) -> str:
    return "–" if value is None else ASSESSMENT_TEXT.get(value, "–")


def summary_table(report: PlanningReport, year: int) -> Table:
    """Supply, demand and gap per programme in ``year`` (released figures only), with
    Skolverket's assessment and places from the planning basis ('–' where it has none)."""
    count, signed = Kind.COUNT, Kind.SIGNED
    columns = [
        Column("Program"), Column("Platser", count), Column("Efterfrågan", count),
        Column("Skillnad", signed, 0), Column("Platser (scenario)", count),
        Column("Skillnad (scenario)", signed, 0), Column("Skolverkets bedömning"),
        Column("Platser (Skolverket)", count),
    ]  # fmt: skip
    rows: list[list[Value]] = [
        [row.programme or row.programme_code, _figure(row.supply), _figure(row.demand),
         _figure(row.gap), _figure(row.scenario_supply), _figure(row.scenario_gap),
         _assessment(None if row.basis is None else row.basis.assessment),
         "–" if row.basis is None or row.basis.places is None else row.basis.places]
        for row in sorted(
            (r for r in report.comparison if r.year == year),
            key=lambda r: ((r.programme or r.programme_code).casefold(), r.programme_code),
        )  # by name, as on the page
    ]  # fmt: skip
    note = (
        "Skolverkets bedömning och platser: regionalt planeringsunderlag för programmet (samma "
        "år eller närmast tidigare år i underlaget), importerat av regionen; – där underlaget "
        "saknar programmet."
    )
    title = f"Platser och efterfrågan läsåret {school_year_label(year + 1)} (start hösten {year})"
    return Table(title, columns, rows, notes=[note], media=NOT_WORKBOOK)


def _workbook_sections(report: PlanningReport) -> list[Section]:
    tables = (
        ("16-åringar", report.forecast),
        ("Förväntade elever", report.expected),
        ("Platser och efterfrågan", report.supply_demand),
    )
    return [
        Section(title, [released_table(released)], media=WORKBOOK)
        for title, released in tables
        if released is not None
    ]


def planning_document(report: PlanningReport) -> Document:
    """The summary: the forecast chart and table, the gap chart, supply and demand per
    programme in the first forecast year; in the workbook, the released tables."""
    forecast_rows = report.forecast.rows() if report.forecast else []
    supply_rows = report.supply_demand.rows() if report.supply_demand else []
    forecast = _untitled(charts.forecast_chart(forecast_rows, report.names, width=EXPORT_WIDTH))
    gap = _untitled(
        charts.gap_chart(
            supply_rows,
            width=EXPORT_WIDTH,
            names={r.programme_code: r.programme for r in report.comparison if r.programme},
        )
    )
    totals = Table(
        "16-åringar per år (regionen)",
        [Column("År", Kind.YEAR), Column("16-åringar", Kind.COUNT)],
        [[t.year, _figure(t.cohort)] for t in report.totals],
        media=NOT_WORKBOOK,
    )
    sections = [
        Section(FORECAST_TITLE, [Chart(FORECAST_TITLE, spec=forecast), totals], media=NOT_WORKBOOK),
        Section(GAP_TITLE, [Chart(GAP_TITLE, spec=gap)], media=NOT_WORKBOOK),
    ]
    first = report.years[0] if report.years else None
    if first is not None:
        sections.append(
            Section("Platser och efterfrågan per program", [summary_table(report, first)],
                    media=NOT_WORKBOOK)
        )  # fmt: skip
    sections += _workbook_sections(report)
    rate = f"{report.transition_rate:.2f}".replace(".", ",")
    sources = [report.supply_demand.provenance] if report.supply_demand else []
    return Document(
        title=f"Planering och dimensionering – {report.region.name}",
        subtitle=(
            f"Underlag för nätverksmötet. Basår {report.from_year}. Övergångsandel (elever i år 1 "
            f"per 16-åring): {rate}."
        ),
        sections=sections,
        sources=sources,
        filename=f"planering-{report.region.code}",
    )


__all__ = ["EXPORT_WIDTH", "FORMATS", "planning_document"]
