"""A komvux report as an export ``Document``: XLSX, PDF and PPTX through ``likvard.exports``.

The overview (every measure with its working definition), the charts (not in the workbook),
one table per breakdown of the year shown, and in the workbook the released tables themselves
with Swedish headers and names beside codes. Hidden figures are ``..`` with their reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from likvard.analyses.komvux import charts
from likvard.analyses.komvux.definitions import (
    BREAKDOWN_LABELS,
    DEFINITIONS,
    MEASURE_LABELS,
    WORDS,
)
from likvard.analyses.komvux.rows import FigureRow, breakdown_rows, trend_rows
from likvard.analyses.komvux.services import BREAKDOWNS, MEASURES, KomvuxReport
from likvard.exports.document import (
    NOT_WORKBOOK,
    WORKBOOK,
    Chart,
    Column,
    Document,
    Hidden,
    Kind,
    Medium,
    Number,
    Section,
    Table,
    Value,
)
from likvard.exports.released import Spec, released_table
from likvard.organisations.labels import LabelKind

FORMATS = ("xlsx", "pdf", "pptx")
TABLE_COLUMNS: tuple[tuple[str, str, Kind, int], ...] = (
    ("places", "Platser", Kind.COUNT, 0),
    ("applicants", "Sökande", Kind.COUNT, 0),
    ("soktryck", "Söktryck", Kind.DECIMAL, 2),
    ("soktryck_eligible", "Söktryck, behöriga", Kind.DECIMAL, 2),
    ("enrolled", "Registrerade", Kind.COUNT, 0),
    ("fill_rate", "Fyllnadsgrad (%)", Kind.DECIMAL, 1),
    ("completion_rate", "Slutfört (%)", Kind.DECIMAL, 1),
    ("interruption_rate", "Avbrutit (%)", Kind.DECIMAL, 1),
    ("outcome_rate", "I arbete eller studier (%)", Kind.DECIMAL, 1),
)
SLIDE_COLUMNS = ("places", "soktryck", "fill_rate", "completion_rate", "outcome_rate")
"""The columns a slide has room for."""
_SPECS = {
    "year": Spec("År", Kind.YEAR),
    "organizer_code": Spec("Kommun", names=LabelKind.MUNICIPALITY, code=True),
    "municipality_code": Spec("Kommun", names=LabelKind.MUNICIPALITY, code=True),
    "start_key": Spec("Kurstillfälle", names=LabelKind.PROGRAMME, code=True),
    "course_code": Spec("Kurs eller utbildning", names=LabelKind.PROGRAMME, code=True),
    "provider_type": Spec("Typ av anordnare", words=WORDS),
    "provision": Spec("Kommunal eller regional", words=WORDS),
    "size": Spec("Storlek", words=WORDS),
    "places": Spec("Platser", Kind.COUNT),
    "applicants": Spec("Sökande", Kind.COUNT),
    "first_hand": Spec("Förstahandssökande", Kind.COUNT),
    "eligible": Spec("Behöriga sökande", Kind.COUNT),
    "admitted": Spec("Antagna", Kind.COUNT),
    "enrolled": Spec("Registrerade", Kind.COUNT),
    "completed": Spec("Slutfört", Kind.COUNT),
    "interrupted": Spec("Avbrutit", Kind.COUNT),
    "continuing": Spec("Fortsätter", Kind.COUNT),
    "not_reported": Spec("Registrerade, resultat ej rapporterat", Kind.COUNT),
    "not_admitted": Spec("Ej antagna", Kind.COUNT),
    "neither": Spec("Varken arbete eller studier", Kind.COUNT),
    "enrolled_ended": Spec("Registrerade, rapporterade resultat", Kind.COUNT),
    "followed_up": Spec("Uppföljda", Kind.COUNT),
    "in_work": Spec("I arbete", Kind.COUNT),
    "in_studies": Spec("I studier", Kind.COUNT),
    "soktryck": Spec("Söktryck", Kind.DECIMAL, decimals=2),
    "fill_rate": Spec("Fyllnadsgrad", Kind.PERCENT),
    "completion_rate": Spec("Slutfört, andel", Kind.PERCENT),
    "completion_low": Spec("Slutfört, nedre gräns", Kind.PERCENT),
    "completion_high": Spec("Slutfört, övre gräns", Kind.PERCENT),
    "interruption_rate": Spec("Avbrutit, andel", Kind.PERCENT),
    "interruption_low": Spec("Avbrutit, nedre gräns", Kind.PERCENT),
    "interruption_high": Spec("Avbrutit, övre gräns", Kind.PERCENT),
    "outcome_rate": Spec("I arbete eller studier, andel", Kind.PERCENT),
    "outcome_low": Spec("I arbete eller studier, nedre gräns", Kind.PERCENT),
    "outcome_high": Spec("I arbete eller studier, övre gräns", Kind.PERCENT),
    "work_rate": Spec("I arbete, andel", Kind.PERCENT),
}
_SHEETS = {
    "applications": "Sökande",
    "first_hand": "Förstahandssökande",
    "eligible": "Behöriga sökande",
    "enrolment": "Registrerade och resultat",
    "outcomes": "Efter avslutad utbildning",
}
_SHEET_MEASURE = {
    "applications": "Sökande",
    "first_hand": "Förstahand",
    "eligible": "Behöriga",
    "enrolment": "Registrerade",
    "outcomes": "Efter utbildning",
}
_SHEET_BY = {
    "municipality_code": "kommun",
    "course_code": "kurs",
    "start_key": "tillfälle",
    "provider_type": "anordnare",
    "provision": "regional",
    "size": "storlek",
}
"""Short Swedish names of the breakdowns for sheet names (at most 31 characters in all)."""


def _cell(row: FigureRow, name: str) -> Value:
    value = row.get(name)
    if name in row.hidden:
        return Hidden(reason=row.reasons[0] if row.reasons else "")
    return "–" if value is None else value


def figure_table(rows: list[FigureRow], title: str, *, slide: bool = False) -> Table:
    """A breakdown's rows as a table (the total first); on a slide the main columns only."""
    chosen = [c for c in TABLE_COLUMNS if not slide or c[0] in SLIDE_COLUMNS]
    columns = [Column("Namn"), *(Column(h, k, d) for _, h, k, d in chosen)]
    body = [[row.name, *(_cell(row, name) for name, *_ in chosen)] for row in rows]
    media = frozenset({Medium.PPTX}) if slide else frozenset({Medium.PDF})
    return Table(title, columns, body, media=media)


RATIOS = frozenset({"soktryck", "soktryck_eligible"})
"""The measures that are applicants per place (two decimals); the others are percent."""


def _overview_value(row: FigureRow, name: str) -> Value:
    """A measure as the page writes it: söktryck with two decimals, a percent with one and
    its sign (``87,4 %``), not every measure with two (``87,40``)."""
    value = _cell(row, name)
    if not isinstance(value, int | float):
        return value
    if name in RATIOS:
        return Number(value, Kind.DECIMAL, decimals=2)
    return Number(value / 100, Kind.PERCENT, decimals=1)


def _overview(report: KomvuxReport, year: int) -> Section:
    rows = breakdown_rows(report, by="provider_type", year=year)
    total = rows[0] if rows and rows[0].key is None else FigureRow(None, "")
    lines: list[list[Value]] = [
        [str(MEASURE_LABELS[m]), _overview_value(total, m), str(DEFINITIONS[m])]
        for m in ("soktryck", "soktryck_eligible", "fill_rate", "completion_rate",
                  "interruption_rate", "outcome_rate")
    ]  # fmt: skip
    table = Table(
        f"Måtten {year}, med arbetsdefinitioner",
        [Column("Mått"), Column("Värde", Kind.DECIMAL, 1), Column("Definition")],
        lines,
        notes=[
            "Söktryck är sökande per plats; övriga mått är procent. Ingen myndighet publicerar "
            "definitioner av söktryck, fyllnadsgrad och genomströmning: de här är Likvärds "
            "arbetsdefinitioner.",
            f"Kurstillfällen {year}: {report.starts.get(year, 0)}.",
        ],
    )
    return Section("Översikt", [table])


def _charts(report: KomvuxReport, year: int) -> Section:
    courses = breakdown_rows(report, by="course_code", year=year)
    providers = breakdown_rows(report, by="provider_type", year=year)
    return Section(
        "Diagram",
        [
            Chart(
                _("Fill rate, completion and outcomes per year"),
                charts.rates_trend(trend_rows(report)),
            ),
            Chart(
                _("Application pressure per course or programme"),
                charts.soktryck_bars(courses, _("Applicants per place, per course")),
            ),
            Chart(
                _("Rates per provider type"),
                charts.rates_by(providers, _("Rates per provider type")),
            ),
        ],
        media=NOT_WORKBOOK,
    )


def komvux_document(report: KomvuxReport) -> Document:
    """The report of ``report.year`` as one export document (XLSX, PDF, PPTX)."""
    year = report.year
    sections: list[Section] = []
    if year is not None:
        sections += [_overview(report, year), _charts(report, year)]
        for by in BREAKDOWNS:
            if report.organizer is not None and by == "municipality_code":
                continue
            rows = breakdown_rows(report, by=by, year=year)
            title = f"{BREAKDOWN_LABELS[by]} {year}"
            sections.append(
                Section(
                    str(BREAKDOWN_LABELS[by]),
                    [figure_table(rows, title), figure_table(rows[:12], title, slide=True)],
                    media=NOT_WORKBOOK,
                )
            )
    for measure in MEASURES:
        for by in BREAKDOWNS:
            released = report.table(measure, by)
            sections.append(
                Section(
                    f"{_SHEETS[measure]}, {str(BREAKDOWN_LABELS[by]).lower()}",
                    [released_table(released, extra=_SPECS, names_of=report.names, total="Alla")],
                    sheet=f"{_SHEET_MEASURE[measure]}, {_SHEET_BY[by]}",
                    media=WORKBOOK,
                )
            )
    slug = (
        report.organizer.organisation_number
        if report.organizer is not None
        else (report.region.code if report.region is not None else "")
    )
    return Document(
        title=f"Komvux: {report.title}",
        subtitle=f"Söktryck, fyllnadsgrad och resultat {year or ''}".strip(),
        sections=sections,
        sources=[f"Källa: Likvärd, dataversion {report.data_version}"],
        filename=f"komvux-{slug}",
    )
