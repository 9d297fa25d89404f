"""Value columns that count parts of a row's students, as cells of the release cube.

An equity row shows ``n`` students and how many of them got a lower, the same or a higher
grade than their test (``n_lower``, ``n_same``, ``n_higher``). Those value columns are counts
like ``n``: summed over the years they give the span's, summed over girls and boys the
group's, and ``n - n_lower - n_same`` is ``n_higher``. Left out of the cube, a hidden row's
``n_higher`` could be worked out from the shown rows beside it (issue #15: 194 such cells on
the demo). This module writes an aggregate with ``parts`` in long form: one row per row and
measure, the measure in a margin column that is null for the count, so the cube ties each
part to the count (the count is the parts' sum, plus an unshown rest when they do not cover
it) and to the same part in every related row, table and level.

A row's cells are one row on the page: they are shown or hidden together. ``coupled_groups``
gives, per original row, its cells, and the caller hides them together; ``folded_statuses``
turns the long form's decisions back into one status per original row. Part cells are never
hidden by the primary rule (a small numerator in a large group is not a small group), but once
their row is hidden they are protected like any hidden cell, a zero included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Partitions
from likvard_core.terms import ValueStatus

MEASURE = "\x00measure"
"""The breakdown column naming a row's measure: null for the count, else the part's column.
The parts of ``part_sets[i]`` have their own column, ``measure_column(i + 1)``, so that each
set is tied to the count alone (the cube sums a margin column's values into its total)."""


def measure_column(number: int) -> str:
    """The measure column of the ``number``-th set of parts (0: ``parts``)."""
    return MEASURE if number == 0 else f"{MEASURE}{number}"


def is_measure(column: str) -> bool:
    """True for a measure column (``measure_column``)."""
    return column.startswith(MEASURE)


CELL = "\x00cell"
"""The count column of the long form: the row's count or the part's value."""


@dataclass(frozen=True, slots=True)
class Melted:
    """An aggregate in long form and, per long row, the original row it comes from."""

    aggregate: Aggregate
    origin: npt.NDArray[np.int64]


def melted(aggregate: Aggregate) -> Melted:
    """``aggregate`` with one row per (row, measure); parts that are null are not cells.

    The count rows come first, in order, so ``origin[:num_rows]`` is ``0 .. num_rows - 1``.
    """
    table = aggregate.table
    rows = table.num_rows
    sets = [aggregate.parts, *aggregate.part_sets] if aggregate.parts else []
    columns = [measure_column(i) for i in range(len(sets))]
    base = table.select(list(aggregate.dims))
    blocks: list[pa.Table] = []
    origins: list[npt.NDArray[np.int64]] = []
    measures = [(None, -1), *((name, i) for i, s in enumerate(sets) for name in s)]
    for name, number in measures:
        column = table.column(aggregate.count if name is None else name)
        keep = pc.is_valid(column)
        if name is not None and aggregate.partitions is not None:
            keep = pc.and_(keep, _with_total(aggregate, aggregate.partitions, keep))
        block = base
        for i, measure in enumerate(columns):
            value = (
                pa.nulls(rows, pa.string()) if i != number else pa.array([name] * rows, pa.string())
            )
            block = block.append_column(measure, value)
        block = block.append_column(CELL, pc.cast(column, pa.int64()))
        blocks.append(block.filter(keep))
        origins.append(np.flatnonzero(keep.to_numpy(zero_copy_only=False)).astype(np.int64))
    long = replace(
        aggregate,
        table=pa.concat_tables(blocks),
        dims=(*aggregate.dims, *columns),
        count=CELL,
        values=(),
        margins=(*aggregate.margins, *columns),
        parts=(),
        part_sets=(),
        withheld=None,
    )
    return Melted(long, np.concatenate(origins))


def _with_total(
    aggregate: Aggregate, spec: Partitions, valid: pa.ChunkedArray | pa.Array
) -> pa.Array:
    """Per row, whether the partition's total row of the same other columns has the part.

    A group's part whose total has none (the total's outcomes shown as ``~100``) is no part
    of a total in the cube: it is left out with the total's.
    """
    table = aggregate.table
    others = [d for d in aggregate.dims if d != spec.column]
    columns = [table.column(d).to_pylist() for d in others]
    keys = list(zip(*columns, strict=True)) if columns else [()] * table.num_rows
    groups = table.column(spec.column).to_pylist()
    shown = valid.to_pylist()
    totals = {k for k, g, v in zip(keys, groups, shown, strict=True) if g == spec.total and v}
    return pa.array([g == spec.total or k in totals for k, g in zip(keys, groups, strict=True)])


def folded_statuses(melt: Melted, status: Sequence[str | None], rows: int) -> pa.Array:
    """One status per original row: its count's, or complementary when only a part is hidden.

    The caller hides a row's cells together, so a part hidden beside a shown count does not
    happen; should it, the row is hidden all the same.
    """
    exists = ValueStatus.EXISTS.value
    folded: list[str | None] = list(status[:rows])
    for position in range(rows, len(status)):
        row = int(melt.origin[position])
        if status[position] != exists and folded[row] == exists:
            folded[row] = ValueStatus.SUPPRESSED_COMPLEMENTARY.value
    return pa.array(folded, pa.string())


def coupled_groups(
    cells: Sequence[npt.NDArray[np.int64]], origins: Sequence[npt.NDArray[np.int64]]
) -> list[npt.NDArray[np.int64]]:
    """Per original row, the cells of its count and parts (from every expanded table of it).

    ``cells[i]`` are the cell indices of expanded table ``i``'s rows and ``origins[i]`` each of
    those rows' original row (negative for rows that are no row of the original: remainders).
    """
    by_row: dict[int, list[int]] = {}
    for row_cells, row_origins in zip(cells, origins, strict=True):
        for cell, origin in zip(row_cells.tolist(), row_origins.tolist(), strict=True):
            if origin >= 0:
                by_row.setdefault(origin, []).append(cell)
    return [np.unique(np.array(c, dtype=np.int64)) for c in by_row.values() if len(set(c)) > 1]


__all__ = [
    "CELL",
    "MEASURE",
    "Melted",
    "coupled_groups",
    "folded_statuses",
    "is_measure",
    "measure_column",
    "melted",
]
