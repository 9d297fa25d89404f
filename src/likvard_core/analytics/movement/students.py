"""Movement's kept cells of the changed school years from the changed students' rows (#18).

A student is counted in one cell of a school year from their own enrolments of that year
(``tables.movement_cells``), and an introduction student's follow-up cell of year ``y`` comes
from their own enrolments of ``y`` and ``y + 1`` (``introduction.introduction_cells``). Two
versions that differ by whole files of some school years (an import, a withdrawal) therefore
count every other student in the same cells: only the students with a row of those years in
the files one version has and the other lacks (the *changed students*) can move. So a changed
year's cells are the kept ones, less the changed students' cells counted in the previous
version, plus their cells counted in the new one; the follow-up likewise for the changed years
and the years before them. The changed students' rows are read once from the files both
versions share (a filter by student: the year's national enrolments are not grouped by student
again) and once from each version's own files. The counts are whole numbers, so the cells
equal the ones counted anew, row for row (``tests/core/analytics/movement/test_kept_updated.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.introduction import introduction_cells, newest_year
from likvard_core.analytics.movement.scope import UPPER_SECONDARY_FORMS, Lookups, Scope
from likvard_core.analytics.movement.tables import movement_cells
from likvard_core.analytics.sorting import column_ranks, ranks_key
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

_STUDENTS_SQL = f"""
SELECT DISTINCT student_key FROM "{ENROLMENTS.name}"
WHERE school_year IN ({{years}}) AND school_form IN (SELECT unnest($forms::VARCHAR[]))
"""
_ROWS_SQL = """
SELECT * FROM {source}
WHERE school_year IN ({years}) AND school_form IN (SELECT unnest($forms::VARCHAR[]))
  AND student_key IN (SELECT unnest($students::VARCHAR[]))
"""


@dataclass(frozen=True, slots=True)
class ChangedRows:
    """The changed students' enrolment rows (of the update's school forms) in the changed
    years and the years just before and after them, in the previous version and the new,
    and each version's newest school year (any school form; 0 without enrolments)."""

    before: pa.Table
    after: pa.Table
    last_before: int
    last_after: int


def changed_rows(
    *,
    shared: Snapshot,
    before: Snapshot,
    after: Snapshot,
    years: Collection[int],
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
) -> ChangedRows:
    """The rows of the students with a row of ``years`` in ``before`` or ``after`` (the
    files only the previous or only the new version has), from those and from ``shared``
    (the files both have): every row of theirs an update counts again, in each version."""
    changed = sorted({int(y) for y in years})
    span = sorted({y + step for y in changed for step in (-1, 0, 1)})
    params: dict[str, object] = {"forms": list(forms)}
    own = _STUDENTS_SQL.format(years=_integers(changed))
    students = sorted(
        {
            str(s)
            for side in (before, after)
            for s in side.query(own, params)["student_key"].to_pylist()
        }
    )
    params["students"] = students
    sql = _ROWS_SQL.format(years=_integers(span), source=f'"{ENROLMENTS.name}"')
    narrowed = shared.students_source(ENROLMENTS.name, students)  # the groups that hold them
    common = _without_batch(
        shared.query(_ROWS_SQL.format(years=_integers(span), source=narrowed), params)
    )
    newest = newest_year(shared)
    old, new = (
        pa.concat_tables([common, _without_batch(side.query(sql, params)).cast(common.schema)])
        for side in (before, after)
    )
    return ChangedRows(old, new, max(newest, newest_year(before)), max(newest, newest_year(after)))


def cells_updated(
    kept: Mapping[int, pa.Table],
    kept_follow_up: pa.Table,
    rows: ChangedRows,
    lookups: Lookups,
    *,
    years: Collection[int],
    orders: tuple[Sequence[str], Sequence[str]],
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
) -> tuple[dict[int, pa.Table], pa.Table]:
    """The cells' parts of ``years`` and the follow-up cells of the new version, from
    ``kept`` (the previous version's parts of those years; a year without cells there is
    missing), ``kept_follow_up`` (its follow-up cells, every year) and the changed students'
    ``rows``; each sorted by its order in ``orders`` (the parts' order, the follow-up's), a
    year without cells left out of the parts (``kept.year_parts`` of the new version).

    The follow-up of the changed years and of the years before them is counted again; the
    newest school year must be the same in both versions (``rows.last_before`` and
    ``rows.last_after``): only that year has no follow-up."""
    if rows.last_before != rows.last_after:
        raise ValueError("the newest school year differs: count the follow-up anew")
    changed = sorted({int(y) for y in years})
    scope = Scope.of(school_forms=forms, years=changed)
    followed = Scope.of(years=sorted({y - step for y in changed for step in (0, 1)}))
    counted = []
    for side in (rows.after, rows.before):
        with Snapshot.from_tables({ENROLMENTS.name: side}, "changed-students") as db:
            counted.append(
                (
                    movement_cells(db, lookups, scope),
                    introduction_cells(db, lookups, followed, last=rows.last_after),
                )
            )
    (came, came_next), (gone, gone_next) = counted
    parts: dict[int, pa.Table] = {}
    for year in changed:
        part = applied(kept.get(year), _of_year(came, year), _of_year(gone, year), order=orders[0])
        if part.num_rows:
            parts[year] = part
    return parts, applied(kept_follow_up, came_next, gone_next, order=orders[1])


def applied(
    kept: pa.Table | None, came: pa.Table, gone: pa.Table, *, order: Sequence[str]
) -> pa.Table:
    """``kept`` (cells sorted by ``order``, whose columns name a cell) with the counts ``n``
    of ``came`` added and those of ``gone`` taken away, cells left with no student dropped,
    sorted by ``order`` (nulls last): what counting the cells anew gives. A cell's other
    columns are taken from its first row (they follow from the cell's key)."""
    schema = came.schema if kept is None else kept.schema
    tables = [] if kept is None else [kept]
    tables.append(came.select(schema.names).cast(schema))
    gone = gone.select(schema.names).cast(schema)
    where = schema.get_field_index("n")
    tables.append(gone.set_column(where, schema.field("n"), pc.negate(gone.column("n"))))
    both = pa.concat_tables(tables)
    if both.num_rows == 0:
        return both
    key = ranks_key([column_ranks(both.column(c)) for c in order])
    rows = np.argsort(key, kind="stable")
    ordered = key[rows]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    counts = np.add.reduceat(np.asarray(both.column("n").to_numpy())[rows], starts)
    present = counts > 0
    cells = both.take(pa.array(rows[starts][present]))
    return cells.set_column(
        where, schema.field("n"), pa.array(counts[present], schema.field("n").type)
    )


def _of_year(cells: pa.Table, year: int) -> pa.Table:
    years = cells.column("school_year")
    return cells.filter(pc.equal(years, pa.scalar(year, years.type)))


def _without_batch(table: pa.Table) -> pa.Table:
    """``table`` without its batch column (rows of several batches; a snapshot of tables
    fills in one of its own)."""
    return table.select([n for n in table.schema.names if n != "batch_id"])


def _integers(years: Sequence[int]) -> str:
    """Years as a plain list of integers, which the scan prunes row groups by."""
    return ", ".join(str(int(y)) for y in years) or "NULL"
