"""The movement pages' tables as an XLSX workbook a person can read: Swedish column headers,
names beside codes, school years as years, and a total row named as a total.

A released movement table marks a total (every programme, every municipality, every outcome) by
a null in its breakdown column (ADR 0003); here that null becomes "Totalt". Hidden cells stay
empty and the status column says why, in Swedish; the provenance line closes every sheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from likvard.access.release import Released
from likvard.movement.selectors import Reference

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_SHEET_TITLE = 31
_STATUS = "status"

HEADERS: Mapping[str, object] = {
    "school_year": gettext_lazy("School year"),
    "municipality_code": gettext_lazy("Municipality"),
    "home_municipality_code": gettext_lazy("Home municipality"),
    "school_municipality_code": gettext_lazy("School municipality"),
    "organizer_code": gettext_lazy("Organizer"),
    "organizer_type": gettext_lazy("Organizer type"),
    "school_unit_code": gettext_lazy("School unit"),
    "programme_code": gettext_lazy("Programme"),
    "outcome": gettext_lazy("The next school year"),
    "category": gettext_lazy("Between final admission and 15 October"),
    "n": gettext_lazy("Students"),
    "n_other": gettext_lazy("Another organizer"),
    "share_other": gettext_lazy("Share with another organizer (%)"),
    "residents": gettext_lazy("Residents"),
    "outgoing": gettext_lazy("Outgoing"),
    "incoming": gettext_lazy("Incoming"),
    "net": gettext_lazy("Net"),
    "first_choice": gettext_lazy("First-choice applicants"),
    "admitted_preliminary": gettext_lazy("Admitted, preliminary round"),
    "admitted_final": gettext_lazy("Admitted, final round"),
    "admitted_reserve": gettext_lazy("Admitted from the reserve"),
    "enrolled": gettext_lazy("Enrolled 15 October"),
    "added_places": gettext_lazy("Places added after final admission"),
    "added_flag": gettext_lazy("Places added"),
    _STATUS: gettext_lazy("Status"),
}
"""The Swedish header of each column the movement tables have (English msgids)."""

_CODES = {
    "municipality_code": "municipality",
    "home_municipality_code": "municipality",
    "school_municipality_code": "municipality",
    "organizer_code": "organizer",
    "school_unit_code": "school_unit",
    "programme_code": "programme",
}
"""Breakdown columns of codes: the sheet shows the name, with the code in a column beside it."""

_WORDS: Mapping[str, object] = {
    "exists": gettext_lazy("shown"),
    "too_few": gettext_lazy("too few students (..)"),
    "suppressed_complementary": gettext_lazy("hidden to protect another cell (..)"),
    "withdrawn": gettext_lazy("withdrawn"),
    "national": gettext_lazy("National programme"),
    "introduction": gettext_lazy("Still on an introduction programme"),
    "left": gettext_lazy("Left upper secondary"),
    "stayed": gettext_lazy("Enrolled where admitted"),
    "moved": gettext_lazy("Enrolled elsewhere"),
    "arrived": gettext_lazy("Enrolled without final admission"),
    "kommunal": gettext_lazy("Municipal"),
    "enskild": gettext_lazy("Independent"),
    "region": gettext_lazy("Region"),
    "statlig": gettext_lazy("State"),
}
"""Swedish words for the code words that appear as values (statuses, outcomes, categories)."""


def school_year_label(year: object) -> str:
    """A spring year as the school year ``2024/25``."""
    value = int(str(year))
    return f"{value - 1}/{value % 100:02d}"


def _namer(reference: Reference, kind: str) -> Callable[[str], str]:
    return {
        "municipality": reference.municipality,
        "organizer": reference.organizer,
        "school_unit": reference.school_unit,
        "programme": reference.programme,
    }[kind]


def _value(column: str, value: object, dims: Sequence[str], *, admission: bool) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("Total") if value is None and column in dims else None
    if column == "school_year":
        return int(str(value)) if admission else school_year_label(value)
    if column == "share_other" and isinstance(value, float):
        return round(100 * value, 1)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(_WORDS[value]) if isinstance(value, str) and value in _WORDS else value


def _header(column: str, *, admission: bool = False) -> str:
    if admission and column == "school_year":
        return _("Admission year")
    return str(HEADERS.get(column, column))


def _fit_columns(sheet: Worksheet, count: int) -> None:
    """Each column as wide as its header and values (10 to 45 characters); long text wraps."""
    for index in range(1, count + 1):
        letter = get_column_letter(index)
        longest = max(
            (len(str(c.value)) for c in sheet[letter][: sheet.max_row - 3] if c.value is not None),
            default=0,
        )
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 45)


def movement_workbook(
    sheets: Sequence[tuple[str, Released]], *, reference: Reference, admission: bool = False
) -> bytes:
    """An XLSX file with one sheet per ``(title, released)`` table, for people to read.

    ``admission``: the tables' ``school_year`` is an admission year (written as the year, under
    "Antagningsår"), not the spring year of a school year."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, released in sheets:
        sheet = workbook.create_sheet(title[:_MAX_SHEET_TITLE])
        columns = list(released.table.schema.names)
        header: list[str] = []
        for column in columns:
            header.append(_header(column, admission=admission))
            if column in _CODES:
                header.append(f"{_header(column)} ({_('code')})")
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in released.table.to_pylist():
            line: list[object] = []
            for column in columns:
                value = row[column]
                if column in _CODES:
                    code = None if value is None else str(value)
                    total = _("Total") if column in released.dims else None
                    line.append(total if code is None else _namer(reference, _CODES[column])(code))
                    line.append(code)
                else:
                    line.append(_value(column, value, released.dims, admission=admission))
            sheet.append(line)
        sheet.append([])
        sheet.append([released.provenance])
        if not released.full:
            sheet.append([_("Small groups are hidden; the status column says why.")])
        sheet.freeze_panes = "A2"
        _fit_columns(sheet, len(header))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
