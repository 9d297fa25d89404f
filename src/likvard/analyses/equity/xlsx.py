"""XLSX workbooks of released equity tables (openpyxl), one sheet per table.

Cells hold numbers as numbers; a hidden cell is empty with the row's status in the last column,
and the provenance line closes every sheet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from likvard.access.release import Released

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_SHEET_TITLE = 31


def released_workbook(sheets: Sequence[tuple[str, Released]]) -> bytes:
    """An XLSX file with one sheet per ``(title, released)``: header, rows, provenance."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, released in sheets:
        sheet = workbook.create_sheet(title[:_MAX_SHEET_TITLE])
        columns = released.table.schema.names
        sheet.append(columns)
        for row in released.table.to_pylist():
            sheet.append([_cell(row[c]) for c in columns])
        sheet.append([])
        sheet.append([released.provenance])
        if not released.full:
            sheet.append([_("Small groups are hidden; the status column says why.")])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(name) + 2)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):  # NaN: not computable, shown empty
        return None
    return value
