"""XLSX workbooks of released equity tables (openpyxl), one sheet per table.

Cells hold numbers as numbers; a hidden cell is empty with the row's status in the last column,
and the provenance line closes every sheet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    number_format: str | None = None


_PERCENT = "0%"
_COUNT = "0"
_HEADERS: dict[str, _Column] = {
    "school_unit_code": _Column("Skolenhetskod"),
    "subject_code": _Column("Ämnes- eller kurskod"),
    "group": _Column("Grupp"),
    "period": _Column("Period"),
    "n": _Column("Elever", _COUNT),
    "n_lower": _Column("Lägre betyg än prov (antal)", _COUNT),
    "n_same": _Column("Samma betyg som prov (antal)", _COUNT),
    "n_higher": _Column("Högre betyg än prov (antal)", _COUNT),
    "share_lower": _Column("Lägre betyg än prov (andel)", _PERCENT),
    "share_same": _Column("Samma betyg som prov (andel)", _PERCENT),
    "share_higher": _Column("Högre betyg än prov (andel)", _PERCENT),
    "mean_step_difference": _Column("Medelskillnad (betygssteg)", "0.00"),
    "share_lower_ci_low": _Column("Lägre: 95 % intervall från", _PERCENT),
    "share_lower_ci_high": _Column("Lägre: 95 % intervall till", _PERCENT),
    "share_same_ci_low": _Column("Samma: 95 % intervall från", _PERCENT),
    "share_same_ci_high": _Column("Samma: 95 % intervall till", _PERCENT),
    "share_higher_ci_low": _Column("Högre: 95 % intervall från", _PERCENT),
    "share_higher_ci_high": _Column("Högre: 95 % intervall till", _PERCENT),
    "flag_higher": _Column("Avviker: högre"),
    "flag_lower": _Column("Avviker: lägre"),
    "above_higher": _Column("Högre: över övriga skolenheter"),
    "above_lower": _Column("Lägre: över övriga skolenheter"),
    "comparison_share_higher": _Column("Hela jämförelsen: högre (avrundad)", _PERCENT),
    "comparison_share_lower": _Column("Hela jämförelsen: lägre (avrundad)", _PERCENT),
    "flag_reason": _Column("Förklaring"),
    "shares_rounded": _Column("~100 (alla utom högst fyra)"),
    "years": _Column("År", _COUNT),
    "first_year": _Column("Första läsåret"),
    "last_year": _Column("Sista läsåret"),
    "observed_share_higher": _Column("Högre: andel under perioden", _PERCENT),
    "expected_share_higher": _Column("Högre: förväntad andel", _PERCENT),
    "observed_share_lower": _Column("Lägre: andel under perioden", _PERCENT),
    "expected_share_lower": _Column("Lägre: förväntad andel", _PERCENT),
    "years_above_higher": _Column("Högre: år över", _COUNT),
    "years_below_higher": _Column("Högre: år under", _COUNT),
    "systematic_higher": _Column("Systematiskt: högre"),
    "years_above_lower": _Column("Lägre: år över", _COUNT),
    "years_below_lower": _Column("Lägre: år under", _COUNT),
    "systematic_lower": _Column("Systematiskt: lägre"),
    "pattern_reason": _Column("Förklaring"),
    "status": _Column("Status"),
}
"""Swedish headers and Excel number formats of the equity tables' columns."""
_NAMED = {"school_unit_code": "Skolenhet", "subject_code": "Ämne eller kurs"}
_STATUS = {
    "exists": "",
    "too_few": "För få elever (..)",
    "suppressed_complementary": "Dold för att skydda en annan grupp (..)",
    "withdrawn": "Tillbakadragen",
}
_YEAR_COLUMNS = ("school_year", "first_year", "last_year")


def equity_workbook(
    sheets: Sequence[tuple[str, Released]],
    *,
    names: Mapping[str, str],
    labels: Mapping[str, Mapping[str, str]],
) -> bytes:
    """An XLSX file of the student-level equity tables: Swedish headers, names beside codes.

    ``names`` maps school unit codes to names; ``labels`` maps a column to display values (e.g.
    subject codes to subject names, groups to their Swedish names). Shares are numbers with a
    percent format, counts integers, years written ``2024/25``; the header row is frozen.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, released in sheets:
        sheet = workbook.create_sheet(title[:_MAX_SHEET_TITLE])
        columns = [c for c in released.table.schema.names if c != "period"]
        headers: list[str] = []
        for name in columns:
            if name in _NAMED:
                headers.append(_NAMED[name])
            headers.append(_HEADERS.get(name, _Column(name)).header)
        if "school_year" in columns:
            headers[_position(columns, "school_year")] = "Läsår"
        sheet.append(headers)
        for row in released.table.to_pylist():
            sheet.append(_equity_row(row, columns, names, labels))
        _format(sheet, columns)
        sheet.append([])
        sheet.append([released.provenance])
        if not released.full:
            sheet.append([_("Small groups are hidden; the status column says why.")])
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _position(columns: Sequence[str], wanted: str) -> int:
    """The sheet column index of ``wanted`` (name columns shift the ones after them)."""
    index = 0
    for name in columns:
        if name == wanted:
            return index
        index += 2 if name in _NAMED else 1
    raise KeyError(wanted)


def _equity_row(
    row: Mapping[str, object],
    columns: Sequence[str],
    names: Mapping[str, str],
    labels: Mapping[str, Mapping[str, str]],
) -> list[object]:
    cells: list[object] = []
    for name in columns:
        value = _cell(row[name])
        if name == "school_unit_code":
            cells.append(names.get(str(value), str(value)))
        elif name == "subject_code":
            cells.append(labels.get(name, {}).get(str(value), str(value)))
        if name in _YEAR_COLUMNS and value is not None:
            value = f"{int(str(value)) - 1}/{int(str(value)) % 100:02d}"
        elif name == "status":
            value = _STATUS.get(str(value), str(value))
        elif name in labels and name != "subject_code":
            value = labels[name].get(str(value), value)
        elif isinstance(value, bool):
            value = "ja" if value else "nej"
        cells.append(value)
    return cells


def _format(sheet: Worksheet, columns: Sequence[str]) -> None:
    index = 1
    for name in columns:
        if name in _NAMED:
            sheet.column_dimensions[get_column_letter(index)].width = 28
            index += 1
        spec = _HEADERS.get(name, _Column(name))
        letter = get_column_letter(index)
        wide = name in ("flag_reason", "pattern_reason")
        sheet.column_dimensions[letter].width = 60 if wide else max(10, min(len(spec.header), 24))
        if spec.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = spec.number_format
        index += 1
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
