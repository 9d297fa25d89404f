"""The incident follow-up as XLSX, PDF and PPTX through ``likvard.exports``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from likvard.analyses.incidents.rows import KIND_LABELS
from likvard.analyses.incidents.services import IncidentReport
from likvard.exports.document import ALL, Chart, Document, Kind, Medium, Paragraph, Section
from likvard.exports.files import ExportFile, render
from likvard.exports.released import Spec, released_table

SPECS: dict[str, Spec] = {
    "reports": Spec(gettext_lazy("Reports"), Kind.COUNT),
    "not_investigated": Spec(gettext_lazy("Not investigated"), Kind.COUNT),
    "investigating": Spec(gettext_lazy("Investigated, no measures yet"), Kind.COUNT),
    "measures_taken": Spec(gettext_lazy("Measures taken, open"), Kind.COUNT),
    "closed": Spec(gettext_lazy("Closed"), Kind.COUNT),
    "investigated_within": Spec(gettext_lazy("Investigated within the days"), Kind.COUNT),
    "measures_within": Spec(gettext_lazy("Measures within the days"), Kind.COUNT),
    "closed_share": Spec(gettext_lazy("Closed (%)"), Kind.PERCENT),
    "investigated_within_share": Spec(
        gettext_lazy("Investigated within the days (%)"), Kind.PERCENT
    ),
    "measures_within_share": Spec(gettext_lazy("Measures within the days (%)"), Kind.PERCENT),
    "mean_days_investigated": Spec(gettext_lazy("Days to investigation (mean)"), Kind.DECIMAL),
    "mean_days_measures": Spec(gettext_lazy("Days to measures (mean)"), Kind.DECIMAL),
    "students": Spec(gettext_lazy("Students"), Kind.COUNT),
    "per_100": Spec(gettext_lazy("Reports per 100 students"), Kind.DECIMAL, decimals=2),
    "incident_kind": Spec(gettext_lazy("Kind of incident"), words=KIND_LABELS),
}
SLIM = ("investigated_within", "measures_within", "investigating", "measures_taken", "students")
"""Columns left out of the printed and slide tables (the workbook has them all)."""


def region_document(report: IncidentReport) -> Document:
    """Trend and stage charts, per organizer and kind every year; the school units of the
    latest year in the workbook only (hundreds of rows are no slide or printed page)."""
    days = _("Within %(days)d days of the report.") % {"days": report.within_days}
    total = _("All")
    sections = [
        Section(
            _("Trend"),
            [
                Chart(_("Reports per 100 students"), spec=report.charts["trend"]),
                Chart(_("Where the reports stand"), spec=report.charts["stages"]),
            ],
        )
    ]
    for by, title in (
        ("organizer_code", _("Organizer")),
        ("incident_kind", _("Kind of incident")),
        ("school_unit_code", _("School unit")),
    ):
        sections.append(
            Section(
                title,
                [
                    released_table(
                        report.tables[by], title=title, extra=SPECS,
                        names_of=report.names, total=total, hide=SLIM, notes=[days],
                    )
                ],
                media=frozenset({Medium.XLSX}) if by == "school_unit_code" else ALL,
            )
        )  # fmt: skip
    sections.append(
        Section(
            _("About the figures"),
            [Paragraph(_(NOTE))],
        )
    )
    return Document(
        title=_("Incident follow-up"),
        subtitle=report.region.name,
        sections=sections,
        filename=f"krankningar-{report.region.code}",
    )


NOTE = gettext_noop(
    "Reports of degrading treatment per school year of the report, from the school units' "
    "case systems. A unit counts from its first delivered case; units that never delivered "
    "are left out rather than shown as having no reports. Counts of fewer than the minimum "
    "group are hidden."
)


def region_file(report: IncidentReport, fmt: str) -> ExportFile:
    """The report as ``fmt`` (xlsx, pdf, pptx or docx)."""
    return render(region_document(report), fmt)
