"""What every reader produces: rows of text cells with their 1-based row numbers in the file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

Row = tuple[int, list[str]]
"""A physical row: its 1-based number in the file (or sheet) and its cells as text."""

HeaderTest = Callable[[Sequence[str]], bool]
"""Decides whether a row is the column header a file kind expects."""


class ReadError(Exception):
    """A file cannot be read further. ``code`` is an issue code; never holds cell values."""

    def __init__(self, code: str, row: int = 0, expected: str = "") -> None:
        super().__init__(code, row, expected)
        self.code = code
        self.row = row
        self.expected = expected


@dataclass(frozen=True, slots=True)
class TableBlock:
    """One table found in a file (a CSV file has one, a workbook one per matching sheet).

    ``header`` has trailing empty cells removed; ``group_header`` is the row above it when it
    groups columns (Skolverket's two-row headers), forward-filled over merged cells;
    ``preamble`` holds the non-blank rows above the header (title, "Valt läsår: ...").
    ``rows`` streams the data rows after the header and may raise ``ReadError``.
    """

    source: str
    sheet: str
    preamble: tuple[tuple[str, ...], ...]
    group_header: tuple[str, ...] | None
    header: tuple[str, ...]
    header_row: int
    rows: Iterator[Row]


def is_blank(cells: Sequence[str]) -> bool:
    """True when every cell is empty or whitespace."""
    return not "".join(cells).strip()
