"""The changed students' rows of a changed school year, and the units' sums updated from them.

A row of the comparison (``grade_vs_test_sums``) is a sum over its students of each one's own
rows of the school year: their grades at the unit, joined with their tests and enrolments
wherever those were reported. After an import or a withdrawal only the students with a row
in it can count differently, so a changed unit's sums are the kept ones less those students'
part before plus their part after (issue #18). Their rows are read once for every grade year
(``changed_rows``): from the files both versions share, and from each version's own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity.grade_vs_test import (
    COMPULSORY_GRADE_YEARS,
    COURSE_GRADE_YEAR,
    DIMS,
    SUMS,
    grade_vs_test_sums,
    unit_organizers_by_year,
)
from likvard_core.warehouse.schema import COURSE_GRADES, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from likvard_core.warehouse.snapshot import Snapshot

READS: tuple[str, ...] = (FINAL_GRADES.name, COURSE_GRADES.name, NATIONAL_TESTS.name,
                          ENROLMENTS.name)  # fmt: skip
"""The fact tables the comparison of any grade year reads."""


@dataclass(frozen=True, slots=True)
class ChangedRows:
    """What a changed school year's parts need of the facts, read once for every grade year.

    ``sums`` holds, by grade year, the ``grade_vs_test_sums`` of the changed school years'
    rows of the students with a row in the changes (an import's or a withdrawal's), in the
    predecessor and in this version; ``organizers`` is ``unit_organizers_by_year`` of those
    years in this version. A unit's row is a sum over its students of each one's own rows of
    the year, so the changed units' rows are the kept ones less the students' part before
    plus their part after: no scan of the year's national files per grade year."""

    sums: Mapping[int, tuple[pa.Table, pa.Table]]
    organizers: pa.Table


_STUDENTS = " UNION ".join(
    f'SELECT DISTINCT student_key FROM "{t}" WHERE school_year IN (SELECT unnest($years))'
    for t in READS
)
_STUDENT_ROWS = """
SELECT * EXCLUDE (batch_id) FROM {source}
WHERE school_year IN (SELECT unnest($years)) AND student_key IN (SELECT unnest($students))
"""


def changed_rows(
    shared: Snapshot, before: Snapshot | None, after: Snapshot | None, db: Snapshot, *,
    years: Sequence[int],
) -> ChangedRows:  # fmt: skip
    """``ChangedRows`` of ``years`` from snapshots of the files two versions share
    (``shared``), the predecessor's own (``before``) and this version's own (``after``; None:
    no files), and this version (``db``). The rows the versions differ by are the own files'
    together, so their students are the changed ones."""
    params: dict[str, object] = {"years": list(years)}
    owns = [own for own in (before, after) if own is not None]
    found = {k for own in owns for k in own.query(_STUDENTS, params)["student_key"].to_pylist()}
    students = sorted(found)
    params["students"] = students
    sides: list[dict[str, pa.Table]] = [{}, {}]
    for table in READS:  # the shared files: only their row groups that can hold a student
        sql = _STUDENT_ROWS.format(source=f'"{table}"')
        narrowed = shared.students_source(table, students)
        both = shared.query(_STUDENT_ROWS.format(source=narrowed), params)
        for side, own in zip(sides, (before, after), strict=True):
            mine = [] if own is None else [own.query(sql, params).cast(both.schema)]
            side[table] = pa.concat_tables([both, *mine])
    sums: dict[int, tuple[pa.Table, pa.Table]] = {}
    with contextlib.ExitStack() as stack:
        new = stack.enter_context(Snapshot.from_tables(sides[1], f"{db.version}-students-after"))
        old = (  # none before an import whose students had no rows elsewhere
            stack.enter_context(Snapshot.from_tables(sides[0], f"{db.version}-students-before"))
            if any(t.num_rows for t in sides[0].values())
            else None
        )
        for grade_year in (*COMPULSORY_GRADE_YEARS, COURSE_GRADE_YEAR):
            grades = (COURSE_GRADES if grade_year == COURSE_GRADE_YEAR else FINAL_GRADES).name
            sums_of = [
                grade_vs_test_sums(small, grade_year=grade_year, years=years)
                if small is not None and side[grades].num_rows
                else None  # no grades, no rows
                for side, small in zip(sides, (old, new), strict=True)
            ]
            if sums_of[0] is None and sums_of[1] is None:
                sums_of[1] = grade_vs_test_sums(new, grade_year=grade_year, years=years)
            empty = next(f for f in sums_of if f is not None).slice(0, 0)
            gone, come = (f if f is not None else empty for f in sums_of)
            sums[grade_year] = (gone, come)
    organizers = unit_organizers_by_year(db, school_units=None, years=list(years))
    return ChangedRows(sums=sums, organizers=organizers)


STEP_COLUMNS: tuple[str, ...] = (*DIMS, *SUMS[:-1], "mean_step_difference")
"""The columns of kept rows ``with_step_sums`` reads."""


def with_step_sums(rows: pa.Table) -> pa.Table | None:
    """``DIMS`` and ``SUMS`` of some kept rows: the step difference's sum read back from its
    mean (``diff_sum / n`` in float64, so ``round(mean * n)`` for any sum below 2**51 in
    size), checked by dividing again; None when a row does not give its mean back."""
    n = rows.column("n").to_numpy()
    mean = rows.column("mean_step_difference").to_numpy()
    if rows.column("mean_step_difference").null_count or rows.column("n").null_count:
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        total = np.rint(mean * n)
    if not np.all(np.abs(total) < 2.0**51):
        return None
    diff = total.astype(np.int64)
    if not np.array_equal(diff.astype(np.float64) / n.astype(np.float64), mean):
        return None
    table = rows.select([*DIMS, *SUMS[:-1]])
    return table.append_column("diff_sum", pa.array(diff, pa.int64()))


def sums_added(
    tables: Sequence[pa.Table], signs: Sequence[int], *, year: int, names: Sequence[str]
) -> pa.Table:
    """The rows of ``year`` of ``tables`` (``DIMS`` and ``SUMS``), each table's sums times
    its sign, added by the dims; rows left without students dropped. Whole numbers: exact
    in any order."""
    signed = []
    for table, sign in zip(tables, signs, strict=True):
        chosen = table.select(list(names))
        year_type = chosen.schema.field("school_year").type
        mine = chosen.filter(pc.equal(chosen.column("school_year"), pa.scalar(year, year_type)))
        columns = [
            pc.multiply(mine.column(c).cast(pa.int64()), sign) if c in SUMS else mine.column(c)
            for c in names
        ]
        signed.append(pa.table(columns, names=list(names)).cast(tables[-1].schema))
    together = pa.concat_tables(signed)
    added = together.group_by(list(DIMS), use_threads=False).aggregate([(c, "sum") for c in SUMS])
    added = pa.table(
        [added.column(c if c in DIMS else f"{c}_sum") for c in names], names=list(names)
    )
    if pc.any(pc.less(added.column("n"), 0)).as_py():
        raise AssertionError("a student's part taken away from a row without it")
    return added.filter(pc.greater(added.column("n"), 0)).cast(tables[-1].schema)
