"""How a cell is written: Swedish text (decimal comma, no-break thousands, real minus sign)
for PDF, PPTX and DOCX, and the native Excel number format for XLSX."""

from __future__ import annotations

import math

from likvard.exports.document import Column, Hidden, Kind, Number, Value

NBSP = "\u00a0"
MINUS = "\u2212"

EXCEL_FORMATS: dict[Kind, str] = {
    Kind.COUNT: "#,##0",
    Kind.YEAR: "0",
}
"""Excel formats by kind; PERCENT, DECIMAL and SIGNED depend on the column's decimals."""


def excel_format(column: Column) -> str | None:
    """The number format of ``column`` in Excel (None for text)."""
    places = "." + "0" * column.decimals if column.decimals > 0 else ""
    if column.kind is Kind.PERCENT:
        return f"0{places}%"
    if column.kind is Kind.DECIMAL:
        return f"0{places}"
    if column.kind is Kind.SIGNED:
        return f"+0{places};-0{places};0{places}"
    return EXCEL_FORMATS.get(column.kind)


def own_column(value: Value, column: Column) -> tuple[Value, Column]:
    """A ``Number`` as its value in a column of its own kind; other values unchanged."""
    if isinstance(value, Number):
        return value.value, Column(column.header, value.kind, value.decimals)
    return value, column


def number_value(value: Value, column: Column) -> float | int | None:
    """``value`` as a number for a numeric column, else None (text, hidden, missing)."""
    value, column = own_column(value, column)
    if column.kind is Kind.TEXT or isinstance(value, Hidden | str | Number) or value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if column.kind in (Kind.COUNT, Kind.YEAR):
        return round(value)
    return value


def _grouped(number: float, decimals: int) -> str:
    body = f"{abs(number):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    zero = all(character in "0," + NBSP for character in body)
    return MINUS + body if number < 0 and not zero else body


def _number_text(value: float, column: Column) -> str:
    kind = column.kind
    if kind is Kind.YEAR:
        return str(round(value))
    if kind is Kind.COUNT:
        return _grouped(round(value), 0)
    if kind is Kind.PERCENT:
        return f"{_grouped(100 * value, column.decimals)}{NBSP}%"
    body = _grouped(value, column.decimals)
    if kind is Kind.SIGNED and value and not body.startswith(MINUS):
        return f"+{body}"
    return body


def text(value: Value, column: Column) -> str:
    """``value`` as Swedish text in ``column``."""
    value, column = own_column(value, column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, Hidden):
        return value.mark
    if isinstance(value, str | Number) or column.kind is Kind.TEXT:
        return str(value)
    return _number_text(value, column)
