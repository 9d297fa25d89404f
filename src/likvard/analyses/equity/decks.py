"""The slide deck of each equity view: the page's charts and tables, from the page's report.

Each deck is an export ``Document`` rendered by ``likvard.exports`` (16:9, tables split over
as many slides as they need, never past the edge); hidden cells are ``..``, never a number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from likvard.access.release import Released
from likvard.analyses.equity import services
from likvard.analyses.equity.forms import GROUP_LABELS
from likvard.analyses.equity.selection import subject_label
from likvard.exports.document import (
    Block,
    Chart,
    Column,
    Document,
    Hidden,
    Kind,
    Paragraph,
    Section,
    Table,
    Value,
)
from likvard.exports.files import render
from likvard.organisations.labels import LabelKind, names, school_year_label

MAX_ROWS = 90
"""Rows of a table put on slides (ten slides); the XLSX has every row."""
FLAGGED = "flag_reason"
"""The column that says why a year of a school, subject and group deviates."""
SYSTEMATIC = "pattern_reason"
"""The column that says why a pattern over the years is systematic."""

Row = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Field:
    """A column of a slide table: its column and how a released row's value is read."""

    column: Column
    value: Callable[[Row], Value]


def _figure(name: str, *, scale: float = 1.0) -> Callable[[Row], Value]:
    def value(row: Row) -> Value:
        raw = row.get(name)
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            return Hidden()
        return float(str(raw)) * scale

    return value


def _count(name: str) -> Callable[[Row], Value]:
    return lambda row: Hidden() if row.get(name) is None else int(str(row[name]))


def _flag(row: Row) -> Value:
    if row.get("n") is None:
        return Hidden()
    return _("Deviates") if row.get("flag_reason") else "–"


def _share(name: str) -> Callable[[Row], Value]:
    """A share in whole percent; ``~100``/``~0`` for a rounded row (``shares_rounded``)."""
    exact = _figure(name, scale=100)

    def value(row: Row) -> Value:
        if row.get("shares_rounded") and row.get(name) is not None:
            return "~100" if float(str(row[name])) >= 0.5 else "~0"  # noqa: PLR2004
        return exact(row)

    return value


def _group(row: Row) -> Value:
    return str(GROUP_LABELS.get(str(row["group"]), _("All")))


def _named(column: str, names: Mapping[str, str]) -> Callable[[Row], Value]:
    return lambda row: names.get(str(row[column]), str(row[column]))


def _year(row: Row) -> Value:
    return school_year_label(str(row["school_year"]))


def _yearly_fields(names: Mapping[str, str]) -> list[Field]:
    whole = Kind.DECIMAL
    return [
        Field(Column(_("School unit")), _named("school_unit_code", names)),
        Field(Column(_("Subject")), lambda r: subject_label(str(r["subject_code"]))),
        Field(Column(_("School year")), _year),
        Field(Column(_("Group")), _group),
        Field(Column(_("Students"), Kind.COUNT), _count("n")),
        Field(Column(_("Lower (%)"), whole, 0), _share("share_lower")),
        Field(Column(_("Same (%)"), whole, 0), _share("share_same")),
        Field(Column(_("Higher (%)"), whole, 0), _share("share_higher")),
        Field(
            Column(_("Mean difference (steps)"), Kind.DECIMAL, 2), _figure("mean_step_difference")
        ),
        Field(Column(_("Flag")), _flag),
    ]


def _table(
    title: str,
    released: Released,
    fields: Sequence[Field],
    *,
    only: str | None = None,
    key: int = 1,
) -> Table | None:
    """The rows of ``released`` that stand out (``only`` names the column that says why; None
    keeps every row), or None when none does: a deck shows what stands out, the workbook every
    row."""
    rows = [row for row in released.rows() if only is None or row.get(only)]
    if not rows:
        return None
    notes = [released.provenance]
    if len(rows) > MAX_ROWS:
        notes.insert(0, _("More rows than fit here: download the XLSX for every row."))
    return Table(
        title,
        [f.column for f in fields],
        [[f.value(row) for f in fields] for row in rows[:MAX_ROWS]],
        notes=notes,
        key=key,
    )


def _deck(
    title: str,
    charts: Sequence[tuple[str, Mapping[str, object]]],
    tables: Sequence[Table | None],
    *,
    sources: Sequence[Released],
    nothing: str,
    heading: str | None = None,
) -> bytes:
    """Slides of the charts and of the tables that have rows, under ``heading`` (default: what
    stands out); ``nothing`` is the one line said instead when no table has any."""
    sections = [Section(caption, [Chart(caption, spec=spec)]) for caption, spec in charts if spec]
    kept: list[Block] = [t for t in tables if t is not None]
    sections.append(Section(heading or _("What stands out"), kept or [Paragraph(nothing)]))
    subtitle = _("Likvärd: grades and national tests")
    if heading is None:
        subtitle += "\n" + _("The slides show what stands out; the Excel file has every row.")
    document = Document(
        title=title,
        subtitle=subtitle,
        sections=sections,
        sources=sorted({released.provenance for released in sources}),
    )
    return render(document, "pptx").content


def student_deck(report: services.StudentEquityReport) -> bytes:
    """A school's or an organizer's page as slides: the shares chart, yearly rows, patterns."""
    patterns = [
        Field(Column(_("School unit")), _named("school_unit_code", report.names)),
        Field(Column(_("Subject")), lambda r: subject_label(str(r["subject_code"]))),
        Field(Column(_("Group")), _group),
        Field(Column(_("Years"), Kind.COUNT), _count("years")),
        Field(Column(_("Students"), Kind.COUNT), _count("n")),
        Field(Column(_("Why")), lambda r: str(r[SYSTEMATIC])),
    ]
    return _deck(
        _("Grades and national tests: %(name)s") % {"name": report.title},
        [(_("Share of students graded higher than tested"), report.chart)],
        [
            _table(
                _("Years that deviate"),
                report.yearly,
                _yearly_fields(report.names),
                only=FLAGGED,
            ),
            _table(_("Systematic patterns"), report.patterns, patterns, only=SYSTEMATIC),
        ],
        sources=[report.yearly, report.patterns],
        nothing=_(
            "Nothing stands out: no school unit, subject or group deviates in any year or "
            "systematically over the years."
        ),
    )


def region_deck(report: services.RegionEquityReport) -> bytes:
    """A region's page as slides: the distribution chart and the released yearly rows."""
    return _deck(
        _("Grades and national tests across %(name)s") % {"name": report.region.name},
        [(_("Spread across school units"), report.chart)],
        [
            _table(
                _("Years that deviate"),
                report.yearly,
                _yearly_fields(report.names),
                only=FLAGGED,
            )
        ],
        sources=[report.yearly],
        nothing=_("Nothing stands out: no school unit, subject or group deviates in any year."),
    )


def _published_fields(*, by_municipality: bool, named: Mapping[str, str]) -> list[Field]:
    first = (
        Field(Column(_("Municipality")), _named("area_code", named))
        if by_municipality
        else Field(Column(_("Subject")), lambda r: str(r["subject"]))
    )
    return [
        first,
        Field(Column(_("School year")), _year),
        Field(Column(_("Students with a test grade"), Kind.COUNT), _count("n_tested")),
        Field(Column(_("Test grade A-E (%)"), Kind.DECIMAL), _figure("test_pass_share")),
        Field(Column(_("Subject grade A-E (%)"), Kind.DECIMAL), _figure("grade_pass_share")),
        Field(Column(_("Gap (percentage points)"), Kind.SIGNED), _figure("gap_pass")),
    ]


def published_region_deck(report: services.PublishedRegionReport) -> bytes:
    """The published comparison of a region's municipalities in one subject."""
    codes = {str(code) for code in report.yearly.table.column("area_code").to_pylist()}
    fields = _published_fields(by_municipality=True, named=names(LabelKind.MUNICIPALITY, codes))
    return _deck(
        _("Grades and national tests in %(name)s") % {"name": report.region.name},
        [(report.subject, report.chart)],
        [_table(_("Per year"), report.yearly, fields)],
        sources=[report.yearly],
        nothing=_("No published figures."),
        heading=_("Per year"),
    )


def published_municipality_deck(report: services.PublishedMunicipalityReport) -> bytes:
    """The published comparison of one municipality, every test subject."""
    fields = _published_fields(by_municipality=False, named={})
    return _deck(
        _("Grades and national tests in %(name)s") % {"name": report.municipality.name},
        [(_("Share passing the test and the subject"), report.chart)],
        [_table(_("Per year"), report.yearly, fields)],
        sources=[report.yearly],
        nothing=_("No published figures."),
        heading=_("Per year"),
    )
