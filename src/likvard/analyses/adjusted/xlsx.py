"""The XLSX of an adjusted-results page: the released results and the models' diagnostics.

Swedish column headers, school units by name with the code in its own column, numbers as
numbers with native Excel formats (shares as percent, points with one decimal), a frozen,
filterable header row, and the source under the table. Hidden rows keep their school and
year, with empty figures and the assessment "Dold".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from likvard.access.release import Released
from likvard.analyses.adjusted.labels import (
    MODEL_LABELS,
    PROGRAMME_TYPE_LABELS,
    term_label,
    year_label,
)
from likvard.analyses.adjusted.rows import ResultRow
from likvard.analyses.adjusted.services import (
    AdjustedReport,
    DiagnosticsRow,
    SchoolReport,
    Stage,
)

PERCENT = "0%"
POINTS = "0.0"
DIFFERENCE = "+0.0;-0.0;0.0"
INTEGER = "0"
DECIMALS = "0.000"
Cell = Callable[[ResultRow], object]


def _columns(stage: Stage, share: bool) -> list[tuple[str, Cell, str | None, int]]:
    """(header, cell, number format, width) of the results sheet."""
    figure = PERCENT if share else POINTS
    scale = 100.0 if share else 1.0
    unit = _("percentage points") if share else _("points")
    columns: list[tuple[str, Cell, str | None, int]] = [
        (_("School unit"), lambda r: r.name, None, 34),
        (_("School unit code"), lambda r: r.code, None, 12),
        (_("Municipality"), lambda r: r.municipality, None, 16),
    ]
    if stage is Stage.UPPER_SECONDARY:
        columns.append((_("Programme type"), lambda r: r.programme_label, None, 24))
    columns += [
        (_("School year"), lambda r: r.year_label, None, 10),
        (_("Students"), lambda r: r.students, INTEGER, 9),
        (_("Result"), lambda r: r.actual, figure, 10),
        (_("Model value"), lambda r: r.model_value, figure, 12),
        (
            f"{_('Difference')} ({unit})",
            lambda r: None if r.residual is None else r.residual * scale,
            DIFFERENCE,
            14,
        ),
        (_("95 % interval, lower"), lambda r: r.low, figure, 13),
        (_("95 % interval, upper"), lambda r: r.high, figure, 13),
        (
            _("In the model"),
            lambda r: None if r.in_model is None else (_("Yes") if r.in_model else _("No")),
            None,
            10,
        ),
        (_("Assessment"), lambda r: r.assessment_label, None, 18),
    ]
    return columns


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(headers))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _results_sheet(
    workbook: Workbook, rows: Sequence[ResultRow], released: Released, stage: Stage, share: bool
) -> None:
    sheet = workbook.create_sheet(_("Results"))
    columns = _columns(stage, share)
    _header(sheet, [c[0] for c in columns], [c[3] for c in columns])
    for row in rows:
        sheet.append([cell(row) for _h, cell, _f, _w in columns])
        for index, (_h, _c, number_format, _w) in enumerate(columns, start=1):
            if number_format:
                sheet.cell(row=sheet.max_row, column=index).number_format = number_format
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    sheet.append([])
    sheet.append([released.provenance])
    if not released.full:
        sheet.append([_("Small groups are hidden; the assessment says Hidden.")])


def _model_sheet(workbook: Workbook, diagnostics: Sequence[DiagnosticsRow]) -> None:
    sheet = workbook.create_sheet(_("Model"))
    headers = [
        (_("School year"), 10), (_("Programme type"), 24), (_("Model"), 30),
        (_("Schools in the fit"), 10), ("R²", 8), (_("Adjusted R²"), 10),
        (_("Residual standard error"), 14), (_("F test p-value"), 10), (_("Term"), 30),
        (_("Estimate"), 11), (_("Standard error"), 11), (_("p-value"), 10),
    ]  # fmt: skip
    _header(sheet, [h for h, _w in headers], [w for _h, w in headers])
    formats = [None, None, None, INTEGER, DECIMALS, DECIMALS, DECIMALS, DECIMALS, None,
               DECIMALS, DECIMALS, DECIMALS]  # fmt: skip
    for fit in diagnostics:
        for name, estimate, std_error, p_value in fit.coefficients:
            sheet.append(
                [year_label(fit.school_year), str(PROGRAMME_TYPE_LABELS.get(fit.stratum, "")),
                 str(MODEL_LABELS.get(fit.model, fit.model)), fit.schools, fit.r_squared,
                 fit.adj_r_squared, fit.residual_std_error, fit.f_p_value, term_label(name),
                 estimate, std_error, p_value]
            )  # fmt: skip
            for index, number_format in enumerate(formats, start=1):
                if number_format:
                    sheet.cell(row=sheet.max_row, column=index).number_format = number_format
    sheet.auto_filter.ref = f"A1:L{max(1, sheet.max_row)}"


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def adjusted_workbook(report: AdjustedReport) -> bytes:
    """Sheet "Resultat" (every released row) and sheet "Modell" (one row per model term)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    share = report.rows[0].share if report.rows else False
    _results_sheet(workbook, report.rows, report.results, report.stage, share)
    _model_sheet(workbook, report.diagnostics)
    return _save(workbook)


def school_workbook(report: SchoolReport) -> bytes:
    """The same two sheets for one school unit."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    share = report.rows[0].share if report.rows else False
    _results_sheet(workbook, report.rows, report.results, report.stage, share)
    _model_sheet(workbook, report.diagnostics)
    return _save(workbook)
