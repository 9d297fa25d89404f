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

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Population
from likvard_core.disclosure.complementary import Decision, Settled, decide
from likvard_core.disclosure.cube import Cube, CubeError, Known, build_cube, known_mask
from likvard_core.disclosure.measures import (
    Melted,
    coupled_groups,
    folded_statuses,
    is_measure,
    melted,
)
from likvard_core.disclosure.partitions import (
    REMAINDER,
    ROW_COLUMN,
    merged_known,
    partition_cube,
    row_decisions,
)
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
    """``aggregate`` with small cells and their complements hidden; see ``suppress_cube``."""
    return suppress_cube([aggregate], min_group=min_group, known=known)[0]


@overload
def suppress_cube(
    cube: Sequence[Aggregate],
    *,
    min_group: int | Thresholds,
    known: Known | None = None,
    known_tables: Collection[int] = (),
    settled: Mapping[int, pa.Table] | None = None,
) -> tuple[SuppressedTable, ...]: ...
@overload
def suppress_cube(
    cube: Mapping[str, Aggregate],
    *,
    min_group: int | Thresholds,
    known: Known | None = None,
    known_tables: Collection[str] = (),
    settled: Mapping[str, pa.Table] | None = None,
) -> dict[str, SuppressedTable]: ...
def suppress_cube(
    cube: Sequence[Aggregate] | Mapping[str, Aggregate],
    *,
    min_group: int | Thresholds,
    known: Known | None = None,
    known_tables: Collection[int] | Collection[str] = (),
    settled: Mapping[int, pa.Table] | Mapping[str, pa.Table] | None = None,
) -> tuple[SuppressedTable, ...] | dict[str, SuppressedTable]:
    """Suppress a population's release cube jointly; one result per aggregate, in input shape.

    The aggregates must share one data version. The same cell in two aggregates is one cell; a
    null in a ``margins`` column marks a total over that column, and an aggregate with
    ``partitions`` (a total row as a value, e.g. ``group = "all"``) joins the cube as its
    partitions (``likvard_core.disclosure.partitions``). An aggregate's ``parts`` (value
    columns counting parts of its students) are cells too, tied to the count and across
    tables, and hidden with their row (``likvard_core.disclosure.measures``). A total whose
    shown parts add up to less than it gets an unpublished remainder; parts above their total
    raise ``CubeError``.
    ``min_group`` is a threshold for every cell or per breakdown column (``Thresholds``).
    ``known`` names the cells the viewer sees in full (e.g. its own organizer's), and
    ``known_tables`` the aggregates (by position or key) the viewer sees in full: both count as
    released when checking what could be recovered, and are shown unsuppressed.
    ``settled`` gives, per aggregate (by position or key), rows an earlier release decided
    (its breakdown columns, count and ``status``; rows of that aggregate's cells, say the
    totals released before their breakdown): a shown row's cell is public, so it counts as
    known and is never hidden; a hidden row's cell stays hidden (``too_few`` keeps its mark)
    and is protected given everything released now (``complementary.Settled``).
    """
    names: list[str | int] = list(cube.keys()) if isinstance(cube, Mapping) else [*range(len(cube))]
    aggregates = list(cube.values()) if isinstance(cube, Mapping) else list(cube)
    thresholds = min_group if isinstance(min_group, Thresholds) else Thresholds(min_group)
    _check_same_release(aggregates)
    expanded = _expanded(aggregates)
    cells = build_cube(expanded.tables)
    mask = known_mask(cells, merged_known(known, expanded.known))
    for name, span in zip(names, expanded.spans, strict=True):
        if name in known_tables:
            for position in span:
                mask[cells.rows[position]] = True
    cell_thresholds = np.array(
        [thresholds.for_columns(s) for s in cells.signatures], dtype=np.int64
    )
    measure = np.array([any(map(is_measure, s)) for s in cells.signatures], dtype=bool)
    groups = coupled_groups(cells.rows, expanded.origins)
    fixed = None
    if settled:
        by_name = dict(zip(names, aggregates, strict=True))
        fixed = _settled(cells, {n: (by_name[n], t) for n, t in settled.items()})
    rests = np.array([REMAINDER in k for k in cells.keys], dtype=bool)
    decision = decide(
        cells, cell_thresholds, mask, parts=measure, groups=groups, settled=fixed, rests=rests
    )
    results = []
    for aggregate, span, melt in zip(aggregates, expanded.spans, expanded.melts, strict=True):
        base = aggregate if melt is None else melt.aggregate
        if base.partitions is None:
            status = _statuses(cells.rows[span[0]], decision)
        else:
            decided = [_statuses(cells.rows[p], decision) for p in span]
            status = row_decisions(
                base,
                expanded.tables[span.start : span.stop],
                [
                    pa.table(
                        {ROW_COLUMN: expanded.tables[p].table.column(ROW_COLUMN), STATUS_COLUMN: d}
                    )
                    for p, d in zip(span, decided, strict=True)
                ],
            )
        if melt is not None:
            status = folded_statuses(melt, status.to_pylist(), aggregate.table.num_rows)
        results.append(apply_statuses(aggregate, status, thresholds))
    if isinstance(cube, Mapping):
        return dict(zip(cube.keys(), results, strict=True))
    return tuple(results)


@dataclass(slots=True)
class _Expanded:
    """The cube's tables: each aggregate in long form (``parts``) and as its partitions.

    ``spans[i]`` are aggregate ``i``'s tables, ``melts[i]`` its long form (or None),
    ``origins[t]`` per row of table ``t`` the original row it shows, as one number across
    aggregates (-1 for rows that show none, and for aggregates without parts), ``known`` the
    partitions' remainders.
    """

    tables: list[Aggregate] = field(default_factory=list)
    spans: list[range] = field(default_factory=list)
    melts: list[Melted | None] = field(default_factory=list)
    origins: list[npt.NDArray[np.int64]] = field(default_factory=list)
    known: Known = field(default_factory=dict)


def _expanded(aggregates: Sequence[Aggregate]) -> _Expanded:
    out = _Expanded()
    for number, aggregate in enumerate(aggregates):
        melt = melted(aggregate) if aggregate.parts else None
        base = aggregate if melt is None else melt.aggregate
        out.melts.append(melt)
        if base.partitions is None:
            parts = [base]
            rows = [np.arange(base.table.num_rows, dtype=np.int64)]
        else:
            parts, remainders = partition_cube(base)
            out.known = merged_known(out.known, remainders)
            rows = [p.table.column(ROW_COLUMN).to_numpy().astype(np.int64) for p in parts]
        if melt is not None:  # the cells of one original row are hidden together
            offset = number * (1 << 40)
            out.origins.extend(
                np.where(r >= 0, melt.origin[np.maximum(r, 0)] + offset, -1) for r in rows
            )
        else:
            out.origins.extend(np.full(len(r), -1, dtype=np.int64) for r in rows)
        out.spans.append(range(len(out.tables), len(out.tables) + len(parts)))
        out.tables.extend(parts)
    return out


_SHOWN = frozenset({ValueStatus.EXISTS.value, ValueStatus.ROUNDED.value})
_HIDDEN = frozenset(
    {
        ValueStatus.TOO_FEW.value,
        ValueStatus.SUPPRESSED_COMPLEMENTARY.value,
        ValueStatus.WITHDRAWN.value,
    }
)


def _settled(cells: Cube, settled: Mapping[str | int, tuple[Aggregate, pa.Table]]) -> Settled:
    """The cube's cells an earlier release decided, from its rows (see ``suppress_cube``)."""
    size = len(cells.counts)
    shown, hidden, marked = (np.zeros(size, dtype=bool) for _ in range(3))
    for name, (aggregate, table) in settled.items():
        if aggregate.partitions is not None:
            raise CubeError(f"settled rows of {name!r}: a table with partitions is not supported")
        order = sorted(aggregate.dims)
        margins = set(aggregate.margins)
        columns = {d: table.column(d).to_pylist() for d in order}
        counts = table.column(aggregate.count).to_pylist()
        for row, status in enumerate(table.column(STATUS_COLUMN).to_pylist()):
            present = tuple(d for d in order if not (d in margins and columns[d][row] is None))
            cell = cells.index.get((present, tuple(columns[d][row] for d in present)))
            if cell is None:
                raise CubeError(f"a settled row of {name!r} is no cell of the cube")
            if status in _SHOWN:
                if counts[row] is not None and int(counts[row]) != cells.counts[cell]:
                    raise CubeError(f"a settled row of {name!r} has another count")
                shown[cell] = True
            elif status in _HIDDEN:
                hidden[cell] = True
                marked[cell] |= status == ValueStatus.TOO_FEW.value
    if (shown & hidden).any():
        raise CubeError("an earlier release both showed and hid a cell")
    return Settled(shown=shown, hidden=hidden, marked=marked)


def _check_same_release(aggregates: Sequence[Aggregate]) -> None:
    if not aggregates:
        raise CubeError("a release cube needs at least one aggregate")
    first = aggregates[0]
    for other in aggregates[1:]:
        if other.data_version != first.data_version:
            raise CubeError("a release cube must share one data version")
    for aggregate in aggregates:
        if STATUS_COLUMN in aggregate.table.schema.names:
            raise CubeError(f"an aggregate may not have a column named {STATUS_COLUMN!r}")


def _statuses(rows: npt.NDArray[np.int64], decision: Decision) -> pa.Array:
    """Each row's status from the cube's decision on its cell."""
    hidden = decision.hidden[rows]
    primary = decision.primary[rows] & hidden
    status = np.where(
        primary,
        ValueStatus.TOO_FEW.value,
        np.where(hidden, ValueStatus.SUPPRESSED_COMPLEMENTARY.value, ValueStatus.EXISTS.value),
    )
    return pa.array(status.tolist(), pa.string())


def apply_statuses(
    aggregate: Aggregate, status: pa.Array, thresholds: Thresholds
) -> SuppressedTable:
    """The aggregate with its hidden rows' count and values nulled and ``status`` appended."""
    hidden = pc.not_equal(status, ValueStatus.EXISTS.value)
    table = withheld_nulled(aggregate)
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


def withheld_nulled(aggregate: Aggregate) -> pa.Table:
    """``aggregate``'s table with the parts of its ``withheld`` rows emptied (``~100``)."""
    table = aggregate.table
    if aggregate.withheld is None:
        return table
    mask = pc.fill_null(table.column(aggregate.withheld), False)
    for name in (p for s in (aggregate.parts, *aggregate.part_sets) for p in s):
        column = table.column(name)
        nulled = pc.if_else(mask, pa.scalar(None, column.type), column)
        table = table.set_column(table.schema.get_field_index(name), name, nulled)
    return table


__all__ = [
    "SKOLVERKET_THRESHOLDS",
    "STATUS_COLUMN",
    "CubeError",
    "Known",
    "SuppressedTable",
    "Thresholds",
    "apply_statuses",
    "suppress",
    "suppress_cube",
    "withheld_nulled",
]
