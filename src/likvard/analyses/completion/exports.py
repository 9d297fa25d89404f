"""The region's completion analysis as XLSX, PDF and PPTX through ``likvard.exports``.

The printed and slide versions carry what the page opens with (the trend chart and table, the
programme types and home municipalities of the chosen start year, the warning's evaluation);
the workbook also has every breakdown as released (organizers and school units included).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from likvard.analyses.completion import rows
from likvard.analyses.completion.services import (
    NOT_YET_OBSERVABLE,
    CompletionReport,
    EvaluationReport,
)
from likvard.exports.document import (
    NOT_WORKBOOK,
    WORKBOOK,
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
from likvard.exports.files import ExportFile, render
from likvard.exports.released import NOT_APPLICABLE, Spec, released_table
from likvard.organisations.labels import LabelKind, label, school_year_label

BREAKDOWNS = ("home_municipality_code", "background", "organizer_code", "school_unit_code")
PRINTED = ("home_municipality_code", "background")

_COUNT = Kind.COUNT
_PERCENT = Kind.DECIMAL  # the released shares are percentages (0-100), written as such

SPECS: dict[str, Spec] = {
    "start_year": Spec(gettext_lazy("Start (school year)"), school_year=True),
    "n": Spec(gettext_lazy("Starters"), _COUNT),
    "programme_group": Spec(
        gettext_lazy("Programme type"),
        words={code: gettext_lazy(text) for code, text in rows.GROUP_LABELS.items()},
    ),
    "background": Spec(
        gettext_lazy("Background"),
        words={code: gettext_lazy(text) for code, text in rows.BACKGROUND_LABELS.items()},
    ),
    "observed_3": Spec(gettext_lazy("Followed 3 years"), _COUNT),
    "observed_4": Spec(gettext_lazy("Followed 4 years"), _COUNT),
    "observed_5": Spec(gettext_lazy("Followed 5 years"), _COUNT),
    "diploma_3": Spec(gettext_lazy("Diploma within 3 years"), _COUNT),
    "diploma_4": Spec(gettext_lazy("Diploma within 4 years"), _COUNT),
    "diploma_5": Spec(gettext_lazy("Diploma within 5 years"), _COUNT),
    "diploma_3_share": Spec(gettext_lazy("Diploma within 3 years (%)"), _PERCENT),
    "diploma_4_share": Spec(gettext_lazy("Diploma within 4 years (%)"), _PERCENT),
    "diploma_5_share": Spec(gettext_lazy("Diploma within 5 years (%)"), _PERCENT),
    "diploma_3_low": Spec(gettext_lazy("Diploma within 3 years, lower limit (%)"), _PERCENT),
    "diploma_4_low": Spec(gettext_lazy("Diploma within 4 years, lower limit (%)"), _PERCENT),
    "diploma_5_low": Spec(gettext_lazy("Diploma within 5 years, lower limit (%)"), _PERCENT),
    "diploma_3_high": Spec(gettext_lazy("Diploma within 3 years, upper limit (%)"), _PERCENT),
    "diploma_4_high": Spec(gettext_lazy("Diploma within 4 years, upper limit (%)"), _PERCENT),
    "diploma_5_high": Spec(gettext_lazy("Diploma within 5 years, upper limit (%)"), _PERCENT),
    "studying_4": Spec(gettext_lazy("Still studying after 4 years"), _COUNT),
    "certificate_4": Spec(gettext_lazy("Certificate after 4 years"), _COUNT),
    "interrupted_4": Spec(gettext_lazy("Interrupted within 4 years"), _COUNT),
    "studying_4_share": Spec(gettext_lazy("Still studying after 4 years (%)"), _PERCENT),
    "certificate_4_share": Spec(gettext_lazy("Certificate after 4 years (%)"), _PERCENT),
    "interrupted_4_share": Spec(gettext_lazy("Interrupted within 4 years (%)"), _PERCENT),
    "moved_programme": Spec(gettext_lazy("Changed programme"), _COUNT),
    "moved_organizer": Spec(gettext_lazy("Changed organizer"), _COUNT),
    "moved_municipality": Spec(gettext_lazy("Changed school municipality"), _COUNT),
    "im_to_national": Spec(gettext_lazy("IM to national programme"), _COUNT),
    "moved_programme_share": Spec(gettext_lazy("Changed programme (%)"), _PERCENT),
    "moved_organizer_share": Spec(gettext_lazy("Changed organizer (%)"), _PERCENT),
    "moved_municipality_share": Spec(gettext_lazy("Changed school municipality (%)"), _PERCENT),
    "im_to_national_share": Spec(gettext_lazy("IM to national programme (%)"), _PERCENT),
}
"""Swedish headers and number kinds of the completion tables' own columns in the workbook."""


def _share(value: float | None) -> float | None:
    return None if value is None else value / 100


def _trend_table(report: CompletionReport) -> Table:
    columns = [
        Column(_("Start")),
        Column(_("Starters"), Kind.COUNT),
        Column(_("3 years, national"), Kind.PERCENT),
        Column(_("4 years, all"), Kind.PERCENT),
        Column(_("5 years, all"), Kind.PERCENT),
        Column(_("IM to national"), Kind.PERCENT),
    ]
    not_yet = Hidden(mark=NOT_APPLICABLE, reason=label(LabelKind.STATUS, NOT_YET_OBSERVABLE))
    body: list[Sequence[Value]] = [
        [
            r.year,
            r.n,
            _share(r.diploma_3_national),
            _share(r.diploma_4),
            _share(r.diploma_5),
            not_yet if r.im_to_national_not_applicable else _share(r.im_to_national),
        ]
        for r in rows.trend_rows(report.overview)
    ]
    return Table(
        title=_("Diploma within 3, 4 and 5 years per start year (percent)"),
        columns=columns,
        rows=body,
        notes=[report.totals.provenance, *_path_notes(report)],
    )


def _path_notes(report: CompletionReport) -> list[str]:
    years = rows.path_years(report.last_year)
    if years is None:
        return []
    return [
        _(
            "IM to national is counted so far, within five years of the start; it can be seen "
            "for starters up to %(observable)s, for all five years up to %(complete)s."
        )
        % {"observable": years.observable, "complete": years.complete}
    ]


def _breakdown_table(title: str, lines: list[rows.CompletionRow]) -> Table:
    hidden = Hidden(reason=_("Too few students"))
    columns = [
        Column(title),
        Column(_("Starters"), Kind.COUNT),
        Column(_("Diploma 3 y. (%)"), Kind.PERCENT),
        Column(_("Diploma 4 y. (%)"), Kind.PERCENT),
        Column(_("Diploma 5 y. (%)"), Kind.PERCENT),
        Column(_("Interrupted (%)"), Kind.PERCENT),
    ]
    body: list[Sequence[Value]] = [
        [
            r.label,
            hidden if r.hidden else r.n,
            *(
                hidden if r.hidden else _share(v)
                for v in (r.diploma_3, r.diploma_4, r.diploma_5, r.interrupted_4)
            ),
        ]
        for r in lines
    ]
    return Table(title=title, columns=columns, rows=body, media=NOT_WORKBOOK)


def _evaluation_table(evaluation: EvaluationReport) -> Table:
    columns = [
        Column(_("Rule")),
        Column(_("Level (%)"), Kind.DECIMAL, decimals=0),
        Column(_("Flagged"), Kind.COUNT),
        Column(_("Precision (%)"), Kind.PERCENT),
        Column(_("Recall (%)"), Kind.PERCENT),
        Column(_("Lead time (terms)"), Kind.DECIMAL),
    ]
    body: list[Sequence[Value]] = [
        [r.kind, r.threshold, r.flagged, _share(r.precision), _share(r.recall), r.lead_terms]
        for r in rows.evaluation_rows(evaluation.released)
    ]
    return Table(
        title=_("The warning evaluated on history"),
        columns=columns,
        rows=body,
        notes=[evaluation.released.provenance],
    )


def region_document(report: CompletionReport, evaluation: EvaluationReport) -> Document:
    """Trend, the chosen start year's breakdowns and the evaluation, for every medium."""
    year = report.year
    sections = [
        Section(
            _("Trend"),
            [
                Chart(_("Diploma within 3, 4 and 5 years"), spec=report.chart),
                _trend_table(report),
            ],
        )
    ]
    if year is not None:
        label = _("Starters of the school year %(year)s") % {"year": school_year_label(year)}
        blocks: list[Table | Paragraph] = [
            _breakdown_table(_("Programme type"), rows.group_rows(report.overview, year=year))
        ]
        for by in PRINTED:
            lines = rows.breakdown_rows(
                report.tables[by], by=by, year=year, group="all", names=report.names.get(by, {})
            )
            blocks.append(_breakdown_table(_(rows.BREAKDOWN_LABELS[by]), lines))
        sections.append(Section(label, blocks, media=NOT_WORKBOOK))
        for by in BREAKDOWNS:
            title = _(rows.BREAKDOWN_LABELS[by])
            table = released_table(
                report.tables[by], extra=SPECS, names_of=report.names, total=_("All")
            )
            sections.append(Section(title, [table], media=WORKBOOK))
    sections.append(
        Section(
            _("The warning evaluated on history"),
            [
                Chart(_("Precision and recall"), spec=evaluation.chart),
                _evaluation_table(evaluation),
            ],
        )
    )
    return Document(
        title=_("Completed upper-secondary studies"),
        subtitle=report.region.name,
        sections=sections,
        filename=f"fullfoljda-{report.region.code}",
    )


def region_file(report: CompletionReport, evaluation: EvaluationReport, fmt: str) -> ExportFile:
    """The region's analysis as ``fmt`` (xlsx, pdf, pptx or docx)."""
    return render(region_document(report, evaluation), fmt)
