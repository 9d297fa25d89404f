"""The early-warning list as an XLSX workbook for the student-health team's meeting."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from likvard.analyses.completion.rows import REASON_LABELS
from likvard.analyses.completion.services import WarningList
from likvard.organisations.labels import school_year_label


def warning_list_workbook(listing: WarningList) -> bytes:
    """One sheet: a row per flagged student, percentages as numbers, provenance below."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Early warning")[:31]
    sheet.append(
        [
            _("Student key"),
            _("School year"),
            _("School term"),
            _("Programme"),
            _("Grade year"),
            _("Absence (%)"),
            _("Invalid absence (%)"),
            _("Previous term (%)"),
            _("Two terms (%)"),
            _("Why flagged"),
        ]
    )
    for row in listing.rows:
        sheet.append(
            [
                row.key,
                school_year_label(row.school_year),
                row.term,
                row.programme_code,
                row.grade_year,
                round(row.rate * 100, 1),
                round(row.invalid_rate * 100, 1),
                None if row.previous_rate is None else round(row.previous_rate * 100, 1),
                None if row.window_rate is None else round(row.window_rate * 100, 1),
                ", ".join(_(REASON_LABELS[r]) for r in row.reasons),
            ]
        )
    sheet.append([])
    sheet.append([f"{listing.school.name} ({listing.school.code})"])
    sheet.append(
        [_("Source: Likvärd, data version %(version)s") % {"version": listing.data_version}]
    )
    sheet.append([_("Student-level data: for the school's own student-health team only.")])
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
