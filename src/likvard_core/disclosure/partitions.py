"""Suppression of a table whose groups split a total row: ``all`` = girls + boys + unknown.

Tables of student groups carry the total as a value (``group = "all"``) beside the groups, and a
group kind may not cover everyone (a student without a recorded gender counts only in
``all``). Left as they are, such rows look like unrelated cells to complementary suppression,
and ``all - boys`` would give a hidden ``girls``. This module rewrites the table as a release
cube the suppression understands: for each partition, one aggregate whose own column is null
on the total rows and holds the parts and a *remainder* row (total minus the parts). The total
rows are the same cells in every partition, so all equations are decided jointly.

The remainder is never shown, but the viewer may well know it (that every student has a gender,
say), so it counts as *known*: released in the check, never chosen for hiding. Hiding a part
therefore hides another shown cell of its equation, whatever the remainder. Where a total has
no part rows at all, its remainder is the total itself; that one is an ordinary (unshown) cell,
else the total would count as known and be shown in full.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Partitions
from likvard_core.disclosure.cube import CubeError, Known
from likvard_core.disclosure.measures import is_measure

REMAINDER = "\x00remainder"
"""The value of the remainder rows in a partition column (never a real group name)."""
ALONE = "\x00alone"
"""The remainder of a total with no part rows at all: the total itself, so not known."""
ROW_COLUMN = "\x00row"
"""The original row number, carried by the partition tables (not a breakdown)."""
_KIND = "\x00kind"


def partition_cube(aggregate: Aggregate) -> tuple[list[Aggregate], Known]:
    """One aggregate per partition (with its remainder rows) and the remainder cells as known.

    Each returned aggregate has the original breakdown columns except the partition column,
    plus a column ``<column>#<parts joined by +>`` (null on the total rows; named by its parts so
    that two tables with the same partition share its cells), the count, and the original row
    number in ``"\\x00row"`` (-1 on remainder rows); it has no value columns.
    """
    spec = _spec(aggregate)
    table = aggregate.table.append_column(ROW_COLUMN, pa.array(np.arange(aggregate.table.num_rows)))
    others = [d for d in aggregate.dims if d != spec.column]
    column = table.column(spec.column)
    covered = pc.is_in(column, pa.array([spec.total, *(v for p in spec.parts for v in p)]))
    if not pc.all(covered).as_py():
        raise CubeError(f"{spec.column!r} has values outside its total and partitions")
    totals = table.filter(pc.equal(column, spec.total))
    cube: list[Aggregate] = []
    known: dict[str, set[object]] = {}
    for parts in spec.parts:
        name = f"{spec.column}#{'+'.join(sorted(parts))}"
        rows = table.filter(pc.is_in(column, pa.array(parts)))
        remainder = _remainder(totals, rows, others, aggregate.count)
        if spec.complete:  # no rest by definition: the total is the parts' sum, no cell
            remainder = remainder.filter(
                pc.or_(
                    pc.not_equal(remainder.column(_KIND), REMAINDER),
                    pc.not_equal(remainder.column(aggregate.count), 0),
                )
            )
        pieces = [
            _shaped(totals, others, name, None, aggregate.count),
            _shaped(rows, others, name, rows.column(spec.column), aggregate.count),
            _shaped(remainder, others, name, remainder.column(_KIND), aggregate.count),
        ]
        merged = pa.concat_tables(pieces)
        cube.append(
            Aggregate(
                table=merged,
                dims=(*others, name),
                count=aggregate.count,
                values=(),
                population=aggregate.population,
                data_version=aggregate.data_version,
                source=aggregate.source,
                margins=(*(m for m in aggregate.margins if m != spec.column), name),
            )
        )
        known[name] = {REMAINDER}
    return cube, known


def merged_known(first: Known | None, second: Known) -> Known:
    """Both mappings of known cells together."""
    merged: dict[str, set[object]] = {k: set(v) for k, v in (first or {}).items()}
    for name, values in second.items():
        merged.setdefault(name, set()).update(values)
    return merged


def row_decisions(
    aggregate: Aggregate, cube: Sequence[Aggregate], statuses: Sequence[pa.Table]
) -> pa.Array:
    """Each original row's status, from the partitions' suppressed tables (``status`` column)."""
    status: list[str | None] = [None] * aggregate.table.num_rows
    for part, suppressed in zip(cube, statuses, strict=True):
        rows = suppressed.column(ROW_COLUMN).to_numpy()
        values = suppressed.column("status").to_pylist()
        for row, value in zip(rows, values, strict=True):
            if row < 0:
                continue
            if status[row] is not None and status[row] != value:
                raise CubeError(f"a total row was decided differently in {part.dims[-1]!r}")
            status[row] = value
    if any(s is None for s in status):
        raise CubeError("a row was left out of every partition")
    return pa.array(status, pa.string())


def _spec(aggregate: Aggregate) -> Partitions:
    if aggregate.partitions is None:
        raise ValueError("the aggregate has no partitions")
    if aggregate.partitions.column in aggregate.margins:
        raise CubeError("a partition column must not also be a null-margin column")
    return aggregate.partitions


def _shaped(
    table: pa.Table,
    others: Sequence[str],
    name: str,
    values: pa.Array | pa.ChunkedArray | None,
    count: str,
) -> pa.Table:
    column = (
        values.cast(pa.string()) if values is not None else pa.nulls(table.num_rows, pa.string())
    )
    return table.select([*others, count, ROW_COLUMN]).append_column(name, column)


def _keys(table: pa.Table, others: Sequence[str]) -> list[tuple[object, ...]]:
    if not others:
        return [()] * table.num_rows
    return list(zip(*(table.column(d).to_pylist() for d in others), strict=True))


def _remainder(totals: pa.Table, rows: pa.Table, others: list[str], count: str) -> pa.Table:
    """Per total row: its count minus the parts' counts with the same other columns."""
    parts: dict[tuple[object, ...], int] = {}
    for key, n in zip(_keys(rows, others), rows.column(count).to_pylist(), strict=True):
        parts[key] = parts.get(key, 0) + int(n)
    total_keys = _keys(totals, others)
    if set(parts) - set(total_keys):
        raise CubeError("a part has no total row")
    shown = _shown_parts(rows, others)
    left, kinds, kept = [], [], []
    for key, n in zip(total_keys, totals.column(count).to_pylist(), strict=True):
        rest = int(n) - parts.get(key, 0)
        if rest < 0:
            raise CubeError("the parts of a partition count more than their total")
        left.append(rest)
        kinds.append(REMAINDER if key in parts else ALONE)
        kept.append(_whole(key, others, shown))
    table = pa.table(
        {
            **{d: totals.column(d) for d in others},
            count: pa.array(left, totals.schema.field(count).type),
            ROW_COLUMN: pa.array([-1] * totals.num_rows, pa.int64()),
            _KIND: pa.array(kinds, pa.string()),
        }
    )
    return table.filter(pa.array(kept, pa.bool_()))


def _shown_parts(rows: pa.Table, others: list[str]) -> dict[tuple[object, ...], int]:
    """Per key, how many part rows it has."""
    shown: dict[tuple[object, ...], int] = {}
    for key in _keys(rows, others):
        shown[key] = shown.get(key, 0) + 1
    return shown


def _whole(
    key: tuple[object, ...], others: list[str], shown: dict[tuple[object, ...], int]
) -> bool:
    """False for a part measure's key (``measures``) that lacks a group its count has.

    A group row whose outcomes are not counted (shown as ``~100``) has no part cells: the
    total's part minus the other groups' is then not a known remainder but holds that group's
    part, so the cube gives it an unknown rest instead.
    """
    at = next((i for i, d in enumerate(others) if is_measure(d) and key[i] is not None), None)
    if at is None:
        return True
    count_key = (*key[:at], None, *key[at + 1 :])
    return shown.get(key, 0) >= shown.get(count_key, 0)
