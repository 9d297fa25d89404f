"""Finding the header row below a preamble, and the group row above it."""

from __future__ import annotations

from collections.abc import Iterator

from likvard_core.ingest.readers.base import HeaderTest, Row, TableBlock, is_blank

MAX_PREAMBLE_ROWS = 60
"""Rows searched for the header before giving up."""


def _trim(cells: list[str]) -> tuple[str, ...]:
    stripped = [cell.strip() for cell in cells]
    while stripped and not stripped[-1]:
        stripped.pop()
    return tuple(stripped)


def _forward_filled(cells: list[str], width: int) -> tuple[str, ...]:
    filled: list[str] = []
    current = ""
    for index in range(width):
        cell = cells[index].strip() if index < len(cells) else ""
        current = cell or current
        filled.append(current)
    return tuple(filled)


def _data_rows(rows: Iterator[Row], *, stop_at_blank: bool) -> Iterator[Row]:
    for row in rows:
        if is_blank(row[1]):
            if stop_at_blank:
                return
            continue
        yield row


def locate_header(
    rows: Iterator[Row],
    *,
    is_header: HeaderTest,
    source: str,
    sheet: str = "",
    stop_at_blank: bool = False,
    max_rows: int = MAX_PREAMBLE_ROWS,
) -> TableBlock | None:
    """The table in ``rows`` whose header satisfies ``is_header``, or None if none is found.

    Searches the first ``max_rows`` rows. The row directly above the header is taken as a
    group row when it is not blank and its first cell is empty (Skolverket's two-row headers).
    With ``stop_at_blank`` the data end at the first blank row (the footer follows it);
    otherwise blank rows are skipped.
    """
    preamble: list[tuple[str, ...]] = []
    previous: Row | None = None
    for number, cells in rows:
        if number > max_rows:
            return None
        stripped = [cell.strip() for cell in cells]
        if is_header(stripped):
            header = _trim(cells)
            group = None
            if previous is not None and previous[0] == number - 1 and not previous[1][0].strip():
                group = _forward_filled(previous[1], len(header))
                preamble.pop()
            return TableBlock(
                source=source,
                sheet=sheet,
                preamble=tuple(preamble),
                group_header=group,
                header=header,
                header_row=number,
                rows=_data_rows(rows, stop_at_blank=stop_at_blank),
            )
        if not is_blank(cells):
            preamble.append(_trim(cells))
            previous = (number, cells)
    return None
