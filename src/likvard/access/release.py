"""The release gate: the only code that turns an ``Aggregate`` into a ``Released`` value.

A viewer with the right to every organizer in the aggregate's population, or a principal of
every school unit it is built from, gets the figures in full, and the read is audited.
Anyone else gets them through ``likvard_core.disclosure``'s suppression, with the minimum
groups of the statistics reference (10 for a school unit, 5 for organizer, municipality,
region and nation) and the viewer's own figures counted as known.
Rows of a publication level an administrator has withdrawn (``likvard.access.publication``)
are hidden from everyone without the right to the student-level data, status ``withdrawn``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard.access.audit import audit_student_read
from likvard.access.policy import Viewer
from likvard.access.publication import withdrawn_levels
from likvard_core.disclosure.aggregate import Aggregate, Level
from likvard_core.disclosure.suppress import STATUS_COLUMN, Thresholds, suppress
from likvard_core.terms import ValueStatus

_GATE = object()


@dataclass(frozen=True, slots=True)
class Released:
    """Figures cleared for one viewer: a table with a ``status`` column, its source and version.

    ``full`` is true when the viewer sees the figures unsuppressed (their own student-level data).
    """

    table: pa.Table
    dims: tuple[str, ...]
    count: str
    values: tuple[str, ...]
    data_version: str
    source: str
    full: bool
    _gate: object

    def __post_init__(self) -> None:
        if self._gate is not _GATE:
            raise TypeError("Released values are made only by likvard.access.release.release")

    def rows(self) -> list[dict[str, object]]:
        """The rows as dictionaries, for templates and JSON."""
        return list(self.table.to_pylist())

    @property
    def provenance(self) -> str:
        """Where the figures come from, as shown under tables and charts."""
        return f"Källa: {self.source}, dataversion {self.data_version}"


def release(
    aggregate: Aggregate,
    *,
    viewer: Viewer,
    purpose: str,
    channel: str = "web",
    thresholds: Thresholds | None = None,
) -> Released:
    """Clear ``aggregate`` for ``viewer``: in full (audited) or suppressed."""
    population = aggregate.population
    owns = bool(population.organizers) and population.organizers <= viewer.organizers
    heads = bool(population.school_units) and population.school_units <= viewer.school_units
    if population.student_level and (owns or heads):
        audit_student_read(
            viewer=viewer,
            action="read",
            scope=population.scope,
            purpose=purpose,
            data_version=aggregate.data_version,
            channel=channel,
        )
        status = pa.array([ValueStatus.EXISTS.value] * aggregate.table.num_rows, pa.string())
        return Released(
            aggregate.table.append_column(STATUS_COLUMN, status),
            aggregate.dims,
            aggregate.count,
            aggregate.values,
            aggregate.data_version,
            aggregate.source,
            True,
            _GATE,
        )
    if not population.student_level:
        status = pa.array([ValueStatus.EXISTS.value] * aggregate.table.num_rows, pa.string())
        return Released(
            _withdrawn(aggregate, aggregate.table.append_column(STATUS_COLUMN, status)),
            aggregate.dims,
            aggregate.count,
            aggregate.values,
            aggregate.data_version,
            aggregate.source,
            False,
            _GATE,
        )
    known = (
        {"organizer_code": viewer.organizers}
        if "organizer_code" in aggregate.dims and viewer.organizers
        else None
    )
    hidden = suppress(
        aggregate,
        min_group=thresholds or Thresholds(default=5, by_dim={"school_unit_code": 10}),
        known=known,
    )
    return Released(
        _withdrawn(aggregate, hidden.table),
        aggregate.dims,
        aggregate.count,
        aggregate.values,
        aggregate.data_version,
        aggregate.source,
        False,
        _GATE,
    )


# The breakdown column that puts a row at a publication level, finest level first.
_LEVEL_COLUMNS = (
    ("school_unit_code", Level.SCHOOL_UNIT),
    ("organizer_code", Level.ORGANIZER),
    ("municipality_code", Level.MUNICIPALITY),
    ("home_municipality_code", Level.MUNICIPALITY),
    ("region_code", Level.REGION),
)


def _withdrawn(aggregate: Aggregate, table: pa.Table) -> pa.Table:
    """``table`` with the rows of withdrawn publication levels hidden, status ``withdrawn``.

    A row's level is that of its finest non-empty breakdown column (a margin row with an empty
    school unit is at the organizer level, say), else the population's level.
    """
    levels = withdrawn_levels()
    if not levels or table.num_rows == 0:
        return table
    default = aggregate.population.level.value in levels
    hide = pa.array([default] * table.num_rows, pa.bool_())
    for column, level in reversed(_LEVEL_COLUMNS):
        if column in aggregate.dims:
            present = pc.is_valid(table.column(column))
            hide = pc.if_else(present, pa.scalar(level.value in levels), hide)
    for name in (aggregate.count, *aggregate.values):
        index = table.schema.get_field_index(name)
        nulls = pa.nulls(table.num_rows, table.schema.field(index).type)
        table = table.set_column(index, name, pc.if_else(hide, nulls, table.column(index)))
    index = table.schema.get_field_index(STATUS_COLUMN)
    status = pc.if_else(hide, pa.scalar(ValueStatus.WITHDRAWN.value), table.column(index))
    return table.set_column(index, STATUS_COLUMN, status)
