"""The release gate: the only code that turns an ``Aggregate`` into a ``Released`` value.

A viewer with the right to every organizer in the aggregate's population gets the figures in
full, and the read is audited. Anyone else gets them through ``likvard_core.disclosure``'s
suppression, with the minimum groups of the statistics reference (10 for a school unit, 5 for
organizer, municipality, region and nation) and the viewer's own figures counted as known.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from likvard.access.audit import audit_student_read
from likvard.access.policy import Viewer
from likvard_core.disclosure.aggregate import Aggregate
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
    if population.student_level and owns:
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
            aggregate.table.append_column(STATUS_COLUMN, status),
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
        hidden.table,
        aggregate.dims,
        aggregate.count,
        aggregate.values,
        aggregate.data_version,
        aggregate.source,
        False,
        _GATE,
    )
