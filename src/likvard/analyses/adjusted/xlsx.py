"""The XLSX of an adjusted-results page: the released results and the models' diagnostics."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from likvard.analyses.adjusted.services import AdjustedReport
from likvard.analyses.equity.xlsx import released_workbook


def adjusted_workbook(report: AdjustedReport) -> bytes:
    """Sheet "Resultat" (released rows, with status) and sheet "Modell" (one row per term)."""
    workbook = load_workbook(BytesIO(released_workbook([(_("Results"), report.results)])))
    sheet = workbook.create_sheet(_("Model"))
    sheet.append(
        ["school_year", "stratum", "schools", "r_squared", "adj_r_squared",
         "residual_std_error", "f_p_value", "term", "estimate", "std_error", "p_value"]
    )  # fmt: skip
    for row in report.diagnostics:
        for name, estimate, std_error, p_value in row.coefficients:
            sheet.append(
                [row.school_year, row.stratum, row.schools, row.r_squared, row.adj_r_squared,
                 row.residual_std_error, row.f_p_value, name, estimate, std_error, p_value]
            )  # fmt: skip
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
