"""The early-warning list as an XLSX workbook for the student-health team's meeting."""

from __future__ import annotations

from django.utils.translation import gettext as _

from likvard.analyses.completion.rows import REASON_LABELS
from likvard.analyses.completion.services import WarningList
from likvard.exports.document import Column, Document, Kind, Paragraph, Section, Table
from likvard.exports.files import render
from likvard.organisations import selectors as organisations
from likvard.organisations.labels import school_year_label


def warning_list_document(listing: WarningList) -> Document:
    """One table: a row per flagged student, shares as native percentages, provenance below."""
    columns = [
        Column(_("Student key")),
        Column(_("School year")),
        Column(_("School term")),
        Column(_("Programme")),
        Column(_("Grade year"), Kind.COUNT),
        Column(_("Absence (%)"), Kind.PERCENT),
        Column(_("Invalid absence (%)"), Kind.PERCENT),
        Column(_("Previous term (%)"), Kind.PERCENT),
        Column(_("Two terms (%)"), Kind.PERCENT),
        Column(_("Why flagged")),
    ]
    programmes = {p.code: p.name for p in organisations.programme_list()}
    rows = [
        [
            row.key,
            school_year_label(row.school_year),
            row.term,
            programmes.get(row.programme_code, row.programme_code),
            row.grade_year,
            row.rate,
            row.invalid_rate,
            row.previous_rate,
            row.window_rate,
            ", ".join(_(REASON_LABELS[r]) for r in row.reasons),
        ]
        for row in listing.rows
    ]
    school = f"{listing.school.name} ({listing.school.code})"
    return Document(
        title=_("Early warning"),
        subtitle=school,
        sections=[
            Section(
                title=_("Early warning"),
                sheet=_("Early warning")[:31],
                blocks=[
                    Table(title=school, columns=columns, rows=rows),
                    Paragraph(
                        _("Student-level data: for the school's own student-health team only."),
                        note=True,
                    ),
                ],
            )
        ],
        sources=[
            _("Source: Likvärd, data version %(version)s") % {"version": listing.data_version}
        ],
        filename=f"tidig-varning-{listing.school.code}",
    )


def warning_list_workbook(listing: WarningList) -> bytes:
    """The list as an XLSX workbook (frozen header, native percentages) via likvard.exports."""
    return render(warning_list_document(listing), "xlsx").content
