"""The cells of released tables: one cell per family, measure and breakdown key.

A row gives one cell per count column. Its key is the row's breakdown values without the
columns at their total marker (a total over a column simply lacks it), with the table's
constants, and with the finest level column only (a school unit's row names its organizer too,
but the unit decides it). A span table's key holds its span in place of a year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from likvard_core.audit.model import LEVELS, NOT_A_CELL, SHOWN_STATUSES, TOO_FEW, ReleasedTable

_SAME = 1e-9
"""Two shown figures of one cell differing by more than this conflict."""

Key = tuple[tuple[str, object], ...]
CellId = tuple[str, str, Key]
"""(family, measure, key)."""


@dataclass(slots=True)
class Cell:
    """What the released tables say of one cell: its value if shown, else its prior bounds."""

    value: float | None = None
    low: float = 0.0
    high: float = float("inf")
    places: list[tuple[str, str]] = field(default_factory=list)
    """(analysis, table) where the cell appears."""


class SpanYears(tuple[int, int]):
    """A span of years in a key, distinct from any single year."""

    __slots__ = ()


def key_of(table: ReleasedTable, row: Mapping[str, object]) -> Key:
    """The canonical breakdown key of ``row`` in ``table``."""
    values: dict[str, object] = dict(table.constants)
    for dim in table.dims:
        value = row.get(dim)
        total = table.totals.get(dim)
        if total is not None and value == total.marker:
            continue
        if value is None and total is None:
            continue
        values[dim] = value
    levels = [level for level in LEVELS if level in values]
    for coarser in levels[1:]:
        del values[coarser]
    if table.span is not None:
        first, last = row.get(table.span.first), row.get(table.span.last)
        if first is not None and last is not None:
            values[table.span.dim] = SpanYears((int(str(first)), int(str(last))))
    return tuple(sorted(values.items(), key=lambda item: item[0]))


def row_cells(table: ReleasedTable, row: Mapping[str, object]) -> dict[str, CellId]:
    """The cell of each count column of ``row`` (its measure is the column or its alias)."""
    key = key_of(table, row)
    return {c: (table.family, table.aliases.get(c, c), key) for c in table.counts}


def _min_group(table: ReleasedTable, key: Key) -> int:
    dims = {dim for dim, _ in key}
    stricter = [m for dim, m in table.min_group_where.items() if dim in dims]
    return max([table.min_group, *stricter])


@dataclass(slots=True)
class Registry:
    """Every cell of every table, shown or hidden, with where it appears."""

    cells: dict[CellId, Cell] = field(default_factory=dict)
    conflicts: list[CellId] = field(default_factory=list)

    def read(self, tables: Iterable[ReleasedTable]) -> None:
        """Register the cells of ``tables``."""
        for table in tables:
            for row in table.rows:
                self._row(table, row)

    def _row(self, table: ReleasedTable, row: Mapping[str, object]) -> None:
        status = str(row.get("status", "exists"))
        if status in NOT_A_CELL:
            return
        shown = table.known or status in SHOWN_STATUSES
        absent = table.absent(row)
        for column, cell_id in row_cells(table, row).items():
            value = row.get(column)
            if column in absent:  # no cell: a figure shown there contradicts its definition
                if shown and value is not None:
                    self.conflicts.append(cell_id)
                continue
            if shown and value is None:
                continue
            cell = self.cells.setdefault(cell_id, Cell())
            cell.places.append((table.analysis, table.name))
            if shown:
                number = float(str(value))
                if cell.value is not None and abs(cell.value - number) > _SAME:
                    self.conflicts.append(cell_id)
                cell.value = number
            elif status == TOO_FEW and column not in table.unbounded:
                first = column == table.counts[0]
                cell.low = max(cell.low, 1.0 if first else 0.0)
                cell.high = min(cell.high, float(_min_group(table, cell_id[2]) - 1))

    def hidden(self) -> list[CellId]:
        """The cells no table shows."""
        return [cell_id for cell_id, cell in self.cells.items() if cell.value is None]
