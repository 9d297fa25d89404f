"""The dependency map as slides: the map and the Sankey as pictures, the page's figures as
tables (every column of the matrix, split over slides where it is wide), provenance last.

Each deck is an export ``Document`` rendered by ``likvard.exports``; the map is the page's
Vega-Lite spec, the Sankey the page's own SVG. Hidden cells are ``..``, as on the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from likvard.analyses.movement.services import MunicipalityReport, RegionReport
from likvard.analyses.movement.services.introduction import FollowupRow
from likvard.exports.document import (
    Chart,
    Column,
    Document,
    Hidden,
    Kind,
    Section,
    Table,
    Value,
)
from likvard.exports.files import PPTX_TYPE, render
from likvard.organisations.labels import school_year_label

__all__ = ["PPTX_TYPE", "municipality_deck", "region_deck"]

COUNT = Kind.COUNT


def cell(value: int | float | None) -> Value:
    """A figure, ``..`` when hidden."""
    return Hidden() if value is None else value


def _year_label(year: int | None) -> str:
    return "–" if year is None else school_year_label(year)


def _deck(
    title: str, charts: Sequence[Chart], tables: Sequence[Table], sources: Sequence[str]
) -> bytes:
    document = Document(
        title=title,
        subtitle=_("Likvärd: where upper-secondary students live and study, 15 October"),
        sections=[
            *(Section(c.caption, [c]) for c in charts),
            *(Section(t.title, [t]) for t in tables),
        ],
        sources=sources,
    )
    return render(document, "pptx").content


def region_deck(report: RegionReport) -> bytes:
    """The region page as slides: map, Sankey, the map's figures and the whole matrix."""
    municipalities = Table(
        _("Municipalities"),
        [Column(_("Municipality")), Column(_("Residents"), COUNT),
         Column(_("Another organizer"), COUNT), Column(_("Share (%)"), Kind.PERCENT),
         Column(_("Outgoing"), COUNT), Column(_("Incoming"), COUNT),
         Column(_("Net"), Kind.SIGNED, 0)],
        [[r.name, cell(r.residents), cell(r.other), cell(r.share), cell(r.outgoing),
          cell(r.incoming), cell(r.net)] for r in report.map_rows],
    )  # fmt: skip
    matrix = Table(
        _("Origin and destination"),
        [
            Column(_("Home municipality")),
            *(Column(name, COUNT) for _c, name in report.matrix_columns),
            Column(_("Total"), COUNT),
        ],
        [[r.name, *(cell(v) for v in r.cells), cell(r.total)] for r in report.matrix_rows],
        notes=[_("Rows: where the students live; columns: where they go to school.")],
    )
    return _deck(
        _("Dependency map: %(region)s %(year)s")
        % {"region": report.region.name, "year": _year_label(report.year)},
        [
            Chart(
                _("Share with another organizer than the home municipality"), spec=report.map_chart
            ),
            Chart(
                _("Flows: home municipality, organizer, school unit, programme"), svg=report.sankey
            ),
        ],
        [municipalities, matrix],
        [report.share.provenance, report.matrix.provenance],
    )


def municipality_deck(report: MunicipalityReport) -> bytes:
    """The municipality page as slides: outgoing, incoming and net per programme."""
    balance = Table(
        _("Outgoing, incoming and net per programme"),
        [Column(_("Programme")), Column(_("Residents"), COUNT), Column(_("Outgoing"), COUNT),
         Column(_("Incoming"), COUNT), Column(_("Net"), Kind.SIGNED, 0)],
        [[r.label, cell(r.residents), cell(r.outgoing), cell(r.incoming), cell(r.net)]
         for r in report.balance_rows],
    )  # fmt: skip
    organizers = Table(
        _("Where our young people study"),
        [Column(_("Organizer")), Column(_("Students"), COUNT)],
        [[r.name, cell(r.students)] for r in report.organizer_rows],
    )
    origins = Table(
        _("Where the students of our schools live"),
        [Column(_("Home municipality")), Column(_("Students"), COUNT)],
        [[r.name, cell(r.students)] for r in report.origin_rows],
    )
    followup = _("Introduction programmes: where the students are the next year")
    charts = [Chart(followup, spec=report.introduction_chart)] if report.introduction_rows else []
    return _deck(
        _("Dependency map: %(name)s %(year)s")
        % {"name": report.municipality.name, "year": _year_label(report.year)},
        charts,
        [balance, organizers, origins, _followup_table(followup, report.introduction_rows)],
        [report.balance.provenance, report.introduction.provenance],
    )


def _followup_table(title: str, rows: Sequence[FollowupRow]) -> Table:
    """The introduction follow-up as on the page: students, then each outcome as count and
    percent of the students (``..`` when hidden)."""

    def outcome(count: int | None, percent: float | None) -> Value:
        if count is None:
            return Hidden()
        if percent is None:
            return str(count)
        return f"{count} ({percent:.1f} %)".replace(".", ",")

    return Table(
        title,
        [Column(_("Start year")), Column(_("Programme")), Column(_("Students"), COUNT),
         Column(_("National programme"), Kind.DECIMAL),
         Column(_("Still on an introduction programme"), Kind.DECIMAL),
         Column(_("Left upper secondary"), Kind.DECIMAL)],
        [[_year_label(r.school_year), r.label, cell(r.students),
          outcome(r.national, r.national_percent),
          outcome(r.introduction, r.introduction_percent), outcome(r.left, r.left_percent)]
         for r in rows],
        key=2,
    )  # fmt: skip
