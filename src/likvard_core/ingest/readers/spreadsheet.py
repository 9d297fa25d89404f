"""Workbooks (XLSX, XLSM, XLS, ODS) through python-calamine, every cell read as text.

Numbers become their shortest text (``17.1``; whole numbers without ``.0``), dates ISO 8601,
booleans ``true``/``false``. Formulas are not evaluated: calamine returns the value Excel
cached, and text cells that start like a formula are rejected by the kinds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineWorkbook

from likvard_core.ingest.readers.base import HeaderTest, ReadError, Row, TableBlock
from likvard_core.ingest.readers.header import locate_header

_EXACT_FLOAT = 2**53


def cell_text(value: object) -> str:
    """A calamine cell value as text."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _sheet_rows(workbook: CalamineWorkbook, name: str) -> Iterator[Row]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        for number, values in enumerate(sheet.iter_rows(), start=1):
            yield number, [cell_text(value) for value in values]
    except ReadError:
        raise
    except Exception as error:  # a damaged sheet inside a readable workbook
        raise ReadError("file_unreadable", 0, type(error).__name__) from error


def _open(path: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several unrelated types for corrupt files
        raise ReadError("file_unreadable", 0, type(error).__name__) from error


def read_workbook(
    path: Path, *, is_header: HeaderTest, stop_at_blank: bool = False
) -> list[TableBlock]:
    """Every sheet of the workbook that has a header row accepted by ``is_header``.

    Raises ``ReadError('file_unreadable')`` for a corrupt or encrypted workbook.
    """
    workbook = _open(path)
    blocks: list[TableBlock] = []
    for name in workbook.sheet_names:
        block = locate_header(
            _sheet_rows(workbook, name),
            is_header=is_header,
            source=f"{path.name}#{name}",
            sheet=name,
            stop_at_blank=stop_at_blank,
        )
        if block is not None:
            blocks.append(block)
    return blocks
