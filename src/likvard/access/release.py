"""The release gate: the only code that turns an ``Aggregate`` into a ``Released`` value.

``release_cube`` takes the tables that describe the same students (one page's or report's
tables, or a population's whole cube) and releases them together. A table whose population the
viewer has the right to (every organizer in it is the viewer's own, or the viewer is principal
of every school unit it is built from) comes in full, and the read is audited; its cells then
count as known. All other student-level tables go through ``likvard_core.disclosure``'s
suppression *jointly*, as one cube: the same cell in two tables is one cell, totals (nulls in
margin columns, partitions such as ``group = "all"``) are tied to their parts across tables, and
the viewer's own organizer's and own school units' cells are known. So no difference between
figures released together reveals a hidden one. The minimum groups come from one place,
``thresholds_for``. Rows of a publication level an administrator has withdrawn
(``likvard.access.publication``) are hidden from everyone without the right to the
student-level data, status ``withdrawn``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.cache import cache as decision_cache
from django.db.models import Max

import likvard_core.disclosure
from likvard.access.audit import audit_student_read
from likvard.access.policy import Viewer
from likvard.access.publication import withdrawn_levels
from likvard.organisations.models import Region
from likvard_core.disclosure.aggregate import Aggregate, Level
from likvard_core.disclosure.cube import Known
from likvard_core.disclosure.suppress import (
    STATUS_COLUMN,
    Thresholds,
    apply_statuses,
    suppress_cube,
    withheld_nulled,
)
from likvard_core.terms import ValueStatus

_GATE = object()
NOT_APPLICABLE_COLUMN = "not_applicable"
"""The column of a released table that gives, per row, why its ``Released.not_applicable``
columns are no figure there (a reason code such as ``not_yet_observable``; null: they are)."""


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
    not_applicable: tuple[str, ...] = ()
    """Value columns that are no figure in the rows whose ``NOT_APPLICABLE_COLUMN`` holds a
    reason (``released_not_applicable``): empty there, shown or hidden, never a 0 nor ``..``."""

    def __post_init__(self) -> None:
        if self._gate is not _GATE:
            raise TypeError("Released values are made only by likvard.access.release.release")

    def __reduce__(self) -> tuple[object, tuple[dict[str, object]]]:
        """Pickled (a release kept in Django's cache) and read back as the gate's own."""
        fields = {f: getattr(self, f) for f in self.__slots__ if f != "_gate"}
        return _released_again, (fields,)

    def rows(self) -> list[dict[str, object]]:
        """The rows as dictionaries, for templates and JSON."""
        return list(self.table.to_pylist())

    @property
    def provenance(self) -> str:
        """Where the figures come from, as shown under tables and charts."""
        return f"Källa: {self.source}, dataversion {self.data_version}"


def _released_again(fields: dict[str, Any]) -> Released:
    """A ``Released`` read back from a pickle (``Released.__reduce__``)."""
    return Released(**fields, _gate=_GATE)


def thresholds_for(*, organizers: frozenset[str] = frozenset()) -> Thresholds:
    """The minimum group sizes for figures about ``organizers``' students.

    Skolverket's rule (settings ``LIKVARD_MIN_GROUP_SCHOOL_UNIT``, 10, for a cell about one
    school unit, and ``LIKVARD_MIN_GROUP_AREA``, 5, for larger areas), raised to the stricter
    values of any region whose municipalities hold one of the organizers' school units. The one
    place that decides a threshold: nothing else hard-codes one.
    """
    unit = int(settings.LIKVARD_MIN_GROUP_SCHOOL_UNIT)
    area = int(settings.LIKVARD_MIN_GROUP_AREA)
    if organizers:
        strictest = Region.objects.filter(
            municipalities__school_units__organizer__organisation_number__in=organizers
        ).aggregate(unit=Max("min_group_school_unit"), area=Max("min_group_area"))
        unit = max(unit, int(strictest["unit"] or 0))
        area = max(area, int(strictest["area"] or 0))
    return Thresholds(default=area, by_dim={"school_unit_code": max(unit, area)})


def thresholds_in_force() -> str:
    """Every minimum group size the gate can apply right now, as text for cache keys: the
    settings' and each region's own values. A region that raises its values changes what is
    released, not the data version, so every kept release names them, as it names the
    withdrawn publication levels (else the stricter rule waits for the cache to expire)."""
    regions = Region.objects.order_by("code").values_list(
        "code", "min_group_school_unit", "min_group_area"
    )
    return json.dumps(
        [
            int(settings.LIKVARD_MIN_GROUP_SCHOOL_UNIT),
            int(settings.LIKVARD_MIN_GROUP_AREA),
            [list(region) for region in regions],
        ]
    )


def release(
    aggregate: Aggregate,
    *,
    viewer: Viewer,
    purpose: str,
    channel: str = "web",
    thresholds: Thresholds | None = None,
) -> Released:
    """Clear one ``aggregate`` for ``viewer``: in full (audited) or suppressed."""
    return release_cube(
        {"table": aggregate},
        viewer=viewer,
        purpose=purpose,
        channel=channel,
        thresholds=thresholds,
    )["table"]


def release_cube(
    aggregates: Mapping[str, Aggregate],
    *,
    viewer: Viewer,
    purpose: str,
    channel: str = "web",
    thresholds: Thresholds | None = None,
    settled: Mapping[str, pa.Table] | None = None,
) -> dict[str, Released]:
    """Clear tables about the same students for ``viewer``, deciding suppression jointly.

    Returns one ``Released`` per key. ``thresholds`` overrides ``thresholds_for`` (tests and
    the auditor's what-ifs only). ``settled`` holds, per key, the table of an earlier release
    to the same viewer class of some of that table's cells (a ``Released`` table, or one kept
    from it: the totals released before their breakdown, same breakdown columns, count and
    ``status``): its shown cells are public, so they stay shown with their values and the
    joint decision protects the hidden cells given them; its hidden cells stay hidden.
    """
    full = {name for name, a in aggregates.items() if _has_right(a, viewer)}
    read = set(full)
    cube = {n: a for n, a in aggregates.items() if a.population.student_level}
    decided: dict[str, pa.Table] = {}
    if set(cube) - full:
        decided = _decided(
            cube, **_decision_inputs(cube, viewer, full, thresholds=thresholds, settled=settled)
        )
        read.update(n for n in set(decided) - full if _shows_known(decided[n], viewer))
    for name in sorted(read):  # a table shown in full, or showing the viewer's own cells
        audit_student_read(
            viewer=viewer,
            action="read",
            scope=aggregates[name].population.scope,
            purpose=purpose,
            data_version=aggregates[name].data_version,
            channel=channel,
        )
    released = {}
    for name, aggregate in aggregates.items():
        if name in full or name not in decided:
            status = pa.array([ValueStatus.EXISTS.value] * aggregate.table.num_rows, pa.string())
            table = withheld_nulled(aggregate).append_column(STATUS_COLUMN, status)
        else:
            table = decided[name]
        if name not in full:
            table = _withdrawn(aggregate, table)
        released[name] = Released(
            table,
            aggregate.dims,
            aggregate.count,
            aggregate.values,
            aggregate.data_version,
            aggregate.source,
            name in full,
            _GATE,
        )
    return released


def release_cube_ready(
    aggregates: Mapping[str, Aggregate],
    *,
    viewer: Viewer,
    settled: Mapping[str, pa.Table] | None = None,
) -> bool:
    """True when ``release_cube`` would release ``aggregates`` to ``viewer`` without taking a
    joint decision: it is in Django's cache, or nothing needs one. Decides and audits nothing
    (a page asks this before it releases, so that no request waits for a decision)."""
    full = {name for name, a in aggregates.items() if _has_right(a, viewer)}
    cube = {n: a for n, a in aggregates.items() if a.population.student_level}
    if not set(cube) - full:
        return True
    key = _decision_key(cube, **_decision_inputs(cube, viewer, full, settled=settled))
    return decision_cache.get(key) is not None


def release_cube_decide(
    aggregates: Mapping[str, Aggregate],
    *,
    viewer: Viewer,
    settled: Mapping[str, pa.Table] | None = None,
) -> None:
    """Take (or find) the joint decision ``release_cube`` needs for ``aggregates`` and
    ``viewer`` and keep it in Django's cache, releasing nothing: no read, so no audit (a
    background task's work before the viewer's own request releases and audits)."""
    full = {name for name, a in aggregates.items() if _has_right(a, viewer)}
    cube = {n: a for n, a in aggregates.items() if a.population.student_level}
    if set(cube) - full:
        _decided(cube, **_decision_inputs(cube, viewer, full, settled=settled))


class _DecisionInputs(TypedDict):
    thresholds: Thresholds
    known: Known | None
    full: set[str]
    settled: Mapping[str, pa.Table]


def _decision_inputs(
    cube: Mapping[str, Aggregate],
    viewer: Viewer,
    full: set[str],
    *,
    thresholds: Thresholds | None = None,
    settled: Mapping[str, pa.Table] | None = None,
) -> _DecisionInputs:
    """What the joint decision of ``cube`` for ``viewer`` depends on besides its cells."""
    organizers = frozenset(o for a in cube.values() for o in a.population.organizers)
    return {
        "thresholds": thresholds or thresholds_for(organizers=organizers),
        "known": _present(_known(viewer), cube.values()),
        "full": full,
        "settled": {n: t for n, t in (settled or {}).items() if n in cube and n not in full},
    }


def released_union(
    parts: Sequence[Released], *, keep: Mapping[str, Sequence[object]] | None = None
) -> Released:
    """The rows of several releases of one kind of table as one table.

    Each of ``parts`` is a whole cube's release (one school unit's, say) whose statuses the
    joint decision of that cube made; a page showing several populations side by side shows
    their rows as released, so every page shows a population's cells the same way.
    ``keep`` keeps only the rows whose column values are among the given ones (a page's
    groups, its school year): a slice of the releases, never a new decision.
    ``full`` is true when every part is.
    """
    first = parts[0]
    if any(p.not_applicable != first.not_applicable for p in parts):
        raise ValueError("parts of a union declare different not-applicable columns")
    table = pa.concat_tables([p.table for p in parts])
    for column, values in (keep or {}).items():
        wanted = pa.array(list(values), table.schema.field(column).type)
        table = table.filter(pc.is_in(table.column(column), wanted))
    return Released(
        table,
        first.dims,
        first.count,
        first.values,
        first.data_version,
        first.source,
        all(p.full for p in parts),
        _GATE,
        first.not_applicable,
    )


def released_not_applicable(
    released: Released,
    *,
    columns: Sequence[str],
    where: Mapping[str, Sequence[object]],
    reason: str,
) -> Released:
    """``released`` with ``columns`` marked not applicable in the rows ``where`` selects.

    A figure that cannot exist in a row (a path of a cohort whose second year is not in the
    data yet) is neither a 0 nor a hidden small group: its cells are released empty with
    ``reason`` in ``NOT_APPLICABLE_COLUMN``, whether the row is shown or hidden, and the
    pages, exports and API show the reason instead of a number or ``..``. ``where`` picks
    rows by breakdown values only (a public fact of the design, such as the start year,
    never a figure about students). The joint decision is not changed: it was taken with the
    cells' true counts, which are 0 here, as a shown 0 is, so marking them reveals nothing
    the decision did not assume known; the auditor reads them as no cell
    (``likvard.audit.catalogue.released_table``).

    Every row gets the reason column (null where the figures apply), so that releases of one
    table kind can be joined (``released_union``).
    """
    wrong = [c for c in columns if c not in released.values]
    if wrong:
        raise ValueError(f"only value columns can be not applicable, not {wrong}")
    if released.not_applicable and tuple(columns) != released.not_applicable:
        raise ValueError("a released table has one set of not-applicable columns")
    stray = [c for c in where if c not in released.dims]
    if stray:
        raise ValueError(f"rows are chosen by breakdown columns only, not {stray}")
    table = released.table
    rows = pa.array([True] * table.num_rows, pa.bool_())
    for column, values in where.items():
        wanted = pa.array(list(values), table.schema.field(column).type)
        rows = pc.and_(rows, pc.fill_null(pc.is_in(table.column(column), wanted), False))
    for name in columns:
        index = table.schema.get_field_index(name)
        nulls = pa.nulls(table.num_rows, table.schema.field(index).type)
        table = table.set_column(index, name, pc.if_else(rows, nulls, table.column(index)))
    marked = pc.if_else(rows, pa.scalar(reason, pa.string()), pa.scalar(None, pa.string()))
    if NOT_APPLICABLE_COLUMN in table.schema.names:
        index = table.schema.get_field_index(NOT_APPLICABLE_COLUMN)
        earlier = table.column(index)
        if pc.any(pc.and_(rows, pc.is_valid(earlier))).as_py():
            raise ValueError("a row is marked not applicable twice")
        table = table.set_column(index, NOT_APPLICABLE_COLUMN, pc.if_else(rows, marked, earlier))
    else:
        table = table.append_column(NOT_APPLICABLE_COLUMN, marked)
    return Released(
        table,
        released.dims,
        released.count,
        released.values,
        released.data_version,
        released.source,
        released.full,
        _GATE,
        tuple(columns),
    )


def sees_in_full(aggregate: Aggregate, viewer: Viewer) -> bool:
    """True when ``viewer`` may see ``aggregate``'s student-level figures unsuppressed."""
    return _has_right(aggregate, viewer)


DECISION_TIMEOUT = 10 * 365 * 24 * 3600
"""A joint decision's timeout in seconds, from when it is taken or, by a warm-up, reused:
in effect never. It is keyed by a digest of its inputs, so it cannot go stale; the cache's
sweep (``likvard.warehouse.retention``) removes the decisions no warm-up of a shown version
has taken or reused. Finite, so that the database cache's expiry tells when it was written."""


def _decided(
    cube: Mapping[str, Aggregate],
    *,
    thresholds: Thresholds,
    known: Known | None,
    full: set[str],
    settled: Mapping[str, pa.Table],
) -> dict[str, pa.Table]:
    """Each table suppressed by the joint decision, kept in Django's cache.

    The decision depends only on the tables' cells and ties, the thresholds, what the viewer
    knows (its organizers and school units) and the settled cells: the key is a digest of
    exactly those, so viewers of one class share it, changed cells never meet an old decision,
    and a new data version whose cells are the same (another region's import) meets the
    decision already taken.
    """
    key = _decision_key(cube, thresholds=thresholds, known=known, full=full, settled=settled)
    statuses: dict[str, list[str]] | None = decision_cache.get(key)
    if statuses is None:
        results = suppress_cube(
            cube, min_group=thresholds, known=known, known_tables=full, settled=settled
        )
        statuses = {n: r.table.column(STATUS_COLUMN).to_pylist() for n, r in results.items()}
        decision_cache.set(key, statuses, DECISION_TIMEOUT)
    return {
        name: apply_statuses(cube[name], pa.array(status, pa.string()), thresholds).table
        for name, status in statuses.items()
    }


@functools.cache
def gate_version() -> str:
    """A digest of the gate's own code (``likvard_core.disclosure``): a decision kept under
    one rule is never served once the rule changes (a deploy that protects more must not go
    on serving what the old rule released; one that frees cells shows them)."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(likvard_core.disclosure.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _decision_key(
    cube: Mapping[str, Aggregate],
    *,
    thresholds: Thresholds,
    known: Known | None,
    full: set[str],
    settled: Mapping[str, pa.Table],
) -> str:
    """The cache key of a joint decision: a digest of what it depends on (the gate's code,
    cells, ties, thresholds, known, settled)."""
    digest = hashlib.blake2b(digest_size=20)
    parts = [
        gate_version(),
        repr((thresholds.default, sorted(thresholds.by_dim.items()))),
        repr(sorted((k, sorted(map(str, v))) for k, v in (known or {}).items())),
        repr(sorted(full)),
    ]
    for part in parts:
        digest.update(part.encode())
    for name in sorted(cube):
        aggregate = cube[name]
        ties = (
            name,
            aggregate.dims,
            aggregate.count,
            aggregate.margins,
            aggregate.partitions,
            aggregate.parts,
            aggregate.part_sets,
        )
        digest.update(repr(ties).encode())
        counted = [*aggregate.parts, *(p for s in aggregate.part_sets for p in s)]
        cells = aggregate.table.select([*aggregate.dims, aggregate.count, *counted])
        digest.update(_table_bytes(cells))
        if name in settled:
            earlier = settled[name]
            digest.update(b"settled")
            digest.update(_table_bytes(earlier.select([*aggregate.dims, STATUS_COLUMN])))
    return "release-decision:" + digest.hexdigest()


def _table_bytes(table: pa.Table) -> bytes:
    """``table`` in Arrow's stream format (for digests)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _has_right(aggregate: Aggregate, viewer: Viewer) -> bool:
    """True when ``viewer`` may see ``aggregate``'s student-level figures in full."""
    population = aggregate.population
    owns = bool(population.organizers) and population.organizers <= viewer.organizers
    heads = bool(population.school_units) and population.school_units <= viewer.school_units
    return population.student_level and (owns or heads)


def _shows_known(table: pa.Table, viewer: Viewer) -> bool:
    """True when ``table`` has a row of the viewer's own organizer or school unit."""
    for column, values in (_known(viewer) or {}).items():
        if (
            column in table.schema.names
            and pc.any(
                pc.is_in(
                    table.column(column).cast(pa.string()),
                    pa.array(sorted(map(str, values)), pa.string()),
                )
            ).as_py()
        ):
            return True
    return False


def _present(known: Known | None, aggregates: Iterable[Aggregate]) -> Known | None:
    """``known`` narrowed to the values the tables hold, so that viewers whose own cells are
    not in the cube (an analyst of another region) share one decision and its cache entry."""
    if not known:
        return None
    tables = list(aggregates)
    narrowed: dict[str, frozenset[object]] = {}
    for column, values in known.items():
        wanted = pa.array(sorted(map(str, values)), pa.string())
        held: set[object] = set()
        for aggregate in tables:
            if column in aggregate.table.schema.names:
                found = aggregate.table.column(column).cast(pa.string())
                held.update(pc.unique(found.filter(pc.is_in(found, wanted))).to_pylist())
        if held:
            narrowed[column] = frozenset(v for v in values if str(v) in held)
    return narrowed or None


def _known(viewer: Viewer) -> Known | None:
    """The cells ``viewer`` sees in full anyway: its organizers' and its school units'."""
    known: dict[str, frozenset[str]] = {}
    if viewer.organizers:
        known["organizer_code"] = viewer.organizers
    if viewer.school_units:
        known["school_unit_code"] = viewer.school_units
    return known or None


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
