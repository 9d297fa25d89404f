"""Primary and complementary suppression of aggregates before release.

``suppress_cube`` takes a population's whole release cube (every breakdown that may be released
at one data version) and decides jointly, so two released tables agree on what is hidden and
no difference between released figures reveals a hidden one. ``suppress`` is the same for a
cube of one aggregate (its margin rows, if any, marked by nulls in its ``margins`` columns).

Rules (docs/decisions/0003-suppression.md):
- a cell with ``0 < n < threshold`` is hidden, status ``TOO_FEW``; ``n == 0`` is shown as 0;
- cells are then hidden as ``SUPPRESSED_COMPLEMENTARY`` until no hidden cell can be computed
  exactly from released cells and the cells the viewer already knows (``known``);
- known cells are released in full; a hidden row has its count and every value column nulled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Population
from likvard_core.disclosure.complementary import Decision, decide
from likvard_core.disclosure.cube import CubeError, Known, build_cube, known_mask
from likvard_core.disclosure.partitions import merged_known, partition_cube, row_decisions
from likvard_core.terms import ValueStatus

STATUS_COLUMN = "status"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum group size per cell: ``default``, raised by the breakdown columns a cell has.

    ``Thresholds(default=5, by_dim={"school_unit_code": 10})`` is Skolverket's rule since
    2023/24: 10 for a cell about one school unit, 5 for organizer, municipality, region, nation.
    """

    default: int
    by_dim: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.default < 1 or any(v < 1 for v in self.by_dim.values()):
            raise ValueError("minimum group sizes must be at least 1")

    def for_columns(self, columns: Sequence[str]) -> int:
        """The minimum group size of a cell broken down by ``columns``."""
        return max([self.default, *(self.by_dim[c] for c in columns if c in self.by_dim)])


SKOLVERKET_THRESHOLDS = Thresholds(default=5, by_dim={"school_unit_code": 10})
"""Skolverket's minimum groups from 2023/24 (shared reference on statistics, section 7)."""


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    """An aggregate after suppression: hidden rows have null figures and a reason in ``status``.

    Carries the aggregate's description, never its unsuppressed table. ``status`` holds
    ``ValueStatus`` values: ``exists``, ``too_few`` or ``suppressed_complementary``.
    """

    table: pa.Table
    dims: tuple[str, ...]
    count: str
    values: tuple[str, ...]
    population: Population
    data_version: str
    source: str
    thresholds: Thresholds

    @property
    def hidden_rows(self) -> int:
        """Rows whose figures are hidden, for any reason."""
        status = self.table.column(STATUS_COLUMN)
        return int(pc.sum(pc.not_equal(status, ValueStatus.EXISTS.value)).as_py() or 0)


def suppress(
    aggregate: Aggregate, *, min_group: int | Thresholds, known: Known | None = None
) -> SuppressedTable:
    """``aggregate`` with small cells and their complements hidden; see ``suppress_cube``.

    An aggregate with ``partitions`` (a total row as a value, e.g. ``group = "all"``) is
    decided as the cube of its partitions (``likvard_core.disclosure.partitions``).
    """
    if aggregate.partitions is not None:
        return _suppress_partitioned(aggregate, min_group=min_group, known=known)
    return suppress_cube([aggregate], min_group=min_group, known=known)[0]


def _suppress_partitioned(
    aggregate: Aggregate, *, min_group: int | Thresholds, known: Known | None
) -> SuppressedTable:
    thresholds = min_group if isinstance(min_group, Thresholds) else Thresholds(min_group)
    cube, remainders = partition_cube(aggregate)
    decided = suppress_cube(cube, min_group=thresholds, known=merged_known(known, remainders))
    status = row_decisions(aggregate, cube, [result.table for result in decided])
    hidden = pc.not_equal(status, ValueStatus.EXISTS.value)
    table = aggregate.table
    for name in (aggregate.count, *aggregate.values):
        column = table.column(name)
        nulled = pc.if_else(hidden, pa.scalar(None, column.type), column)
        table = table.set_column(table.schema.get_field_index(name), name, nulled)
    return SuppressedTable(
        table=table.append_column(STATUS_COLUMN, status),
        dims=aggregate.dims,
        count=aggregate.count,
        values=aggregate.values,
        population=aggregate.population,
        data_version=aggregate.data_version,
        source=aggregate.source,
        thresholds=thresholds,
    )


@overload
def suppress_cube(
    cube: Sequence[Aggregate], *, min_group: int | Thresholds, known: Known | None = None
) -> tuple[SuppressedTable, ...]: ...
@overload
def suppress_cube(
    cube: Mapping[str, Aggregate], *, min_group: int | Thresholds, known: Known | None = None
) -> dict[str, SuppressedTable]: ...
def suppress_cube(
    cube: Sequence[Aggregate] | Mapping[str, Aggregate],
    *,
    min_group: int | Thresholds,
    known: Known | None = None,
) -> tuple[SuppressedTable, ...] | dict[str, SuppressedTable]:
    """Suppress a population's release cube jointly; one result per aggregate, in input shape.

    The aggregates must share population and data version, and each margin (a row of a coarser
    breakdown) must equal the sum of the finer rows under it, else ``CubeError``. ``min_group``
    is a threshold for every cell or per breakdown column (``Thresholds``). ``known`` names the
    cells the viewer sees in full (e.g. its own organizer's), counted as released when checking
    what could be recovered, and shown unsuppressed.
    """
    aggregates = list(cube.values()) if isinstance(cube, Mapping) else list(cube)
    thresholds = min_group if isinstance(min_group, Thresholds) else Thresholds(min_group)
    _check_same_release(aggregates)
    cells = build_cube(aggregates)
    cell_thresholds = np.array(
        [thresholds.for_columns(s) for s in cells.signatures], dtype=np.int64
    )
    decision = decide(cells, cell_thresholds, known_mask(cells, known))
    results = [
        _apply(aggregate, rows, decision, thresholds)
        for aggregate, rows in zip(aggregates, cells.rows, strict=True)
    ]
    if isinstance(cube, Mapping):
        return dict(zip(cube.keys(), results, strict=True))
    return tuple(results)


def _check_same_release(aggregates: Sequence[Aggregate]) -> None:
    if not aggregates:
        raise CubeError("a release cube needs at least one aggregate")
    first = aggregates[0]
    for other in aggregates[1:]:
        if other.population != first.population or other.data_version != first.data_version:
            raise CubeError("a release cube must share one population and data version")
    for aggregate in aggregates:
        if STATUS_COLUMN in aggregate.table.schema.names:
            raise CubeError(f"an aggregate may not have a column named {STATUS_COLUMN!r}")


def _apply(
    aggregate: Aggregate,
    rows: npt.NDArray[np.int64],
    decision: Decision,
    thresholds: Thresholds,
) -> SuppressedTable:
    hidden = decision.hidden[rows]
    primary = decision.primary[rows] & hidden
    status = np.where(
        primary,
        ValueStatus.TOO_FEW.value,
        np.where(hidden, ValueStatus.SUPPRESSED_COMPLEMENTARY.value, ValueStatus.EXISTS.value),
    )
    table = aggregate.table
    mask = pa.array(hidden, pa.bool_())
    for name in (aggregate.count, *aggregate.values):
        column = table.column(name)
        nulled = pc.if_else(mask, pa.scalar(None, column.type), column)
        table = table.set_column(table.schema.get_field_index(name), name, nulled)
    table = table.append_column(STATUS_COLUMN, pa.array(status.tolist(), pa.string()))
    return SuppressedTable(
        table=table,
        dims=aggregate.dims,
        count=aggregate.count,
        values=aggregate.values,
        population=aggregate.population,
        data_version=aggregate.data_version,
        source=aggregate.source,
        thresholds=thresholds,
    )


__all__ = [
    "SKOLVERKET_THRESHOLDS",
    "STATUS_COLUMN",
    "CubeError",
    "Known",
    "SuppressedTable",
    "Thresholds",
    "suppress",
    "suppress_cube",
]
