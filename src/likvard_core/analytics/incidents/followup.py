"""Incident follow-up per school year, school unit, organizer and kind, as release cells.

Definitions (one row per reported case, ``warehouse.schema.INCIDENTS``):
- the school year of a case is that of its report date (1 July starts a new year; 2025 means
  2024/25);
- every case is in exactly one *stage* at the end of the data: ``not_investigated`` (no
  investigation date), ``investigating`` (investigated, no measures, open), ``measures_taken``
  (measures dated, still open) or ``closed`` (closed, with or without measures). The stages are
  disjoint parts of ``reports``: each is a cell of the release cube (``Aggregate.parts``),
  tied to its row's ``reports`` and to the same stage at every level (a unit's stage counts
  add up to its organizer's, the organizers' to the region's), and hidden with its row;
- ``investigated_within`` and ``measures_within``: cases whose investigation (measures) is dated
  at most ``within_days`` days after the report. The Education Act asks for a prompt
  investigation without naming a number of days, so the number is a parameter of the page;
- ``students``: enrolled students (15 October) of the units counted, ``per_100`` reports per
  100 of them. Only units that delivered at least one case in the data count (a unit that
  never delivered is missing data, not a unit without incidents).

The release cube of a region is one per school year (``followup_cubes``): no released figure
spans years, so the years share no tie and are decided apart, each far smaller than all ten
together (a joint decision's cost grows faster than its cells). A year's cube holds its
organizer and kind tables and, for the year whose units are shown, the unit table with each
unit's organizer beside it, so the gate sees that an organizer's figures are its units' sum.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ENROLMENTS, INCIDENTS
from likvard_core.warehouse.snapshot import Snapshot

STAGES: tuple[str, ...] = ("not_investigated", "investigating", "measures_taken", "closed")
WITHIN: tuple[str, ...] = ("investigated_within", "measures_within")
COUNTS: tuple[str, ...] = ("reports", *STAGES, *WITHIN)
BREAKDOWNS: tuple[str, ...] = ("school_unit_code", "organizer_code", "incident_kind")
DEFAULT_WITHIN_DAYS = 14

_CELLS_SQL = f"""
WITH units AS (
    SELECT unnest($unit_codes) AS school_unit_code, unnest($unit_organizers) AS organizer_code
),
cases AS (
    SELECT i.*, u.organizer_code,
           (year(i.reported_on) + CASE WHEN month(i.reported_on) >= 7 THEN 1 ELSE 0 END)
               ::SMALLINT AS school_year,
           date_diff('day', i.reported_on, i.investigated_on) AS days_investigated,
           date_diff('day', i.reported_on, i.measures_on) AS days_measures
    FROM {INCIDENTS.name} AS i JOIN units AS u USING (school_unit_code)
)
SELECT school_year, organizer_code, school_unit_code, incident_kind,
       count(*)::BIGINT AS reports,
       count(*) FILTER (WHERE investigated_on IS NULL AND closed_on IS NULL
                        AND measures_on IS NULL)::BIGINT AS not_investigated,
       count(*) FILTER (WHERE investigated_on IS NOT NULL AND measures_on IS NULL
                        AND closed_on IS NULL)::BIGINT AS investigating,
       count(*) FILTER (WHERE measures_on IS NOT NULL AND closed_on IS NULL)::BIGINT
           AS measures_taken,
       count(*) FILTER (WHERE closed_on IS NOT NULL)::BIGINT AS closed,
       count(*) FILTER (WHERE days_investigated <= $within)::BIGINT AS investigated_within,
       count(*) FILTER (WHERE days_measures <= $within)::BIGINT AS measures_within,
       sum(days_investigated)::BIGINT AS days_investigated_sum,
       count(days_investigated)::BIGINT AS investigated,
       sum(days_measures)::BIGINT AS days_measures_sum,
       count(days_measures)::BIGINT AS measured
FROM cases
GROUP BY ALL
ORDER BY ALL
"""

_STUDENTS_SQL = f"""
SELECT school_year, school_unit_code, count(DISTINCT student_key)::BIGINT AS students
FROM {ENROLMENTS.name}
WHERE school_unit_code IN (SELECT unnest($unit_codes))
GROUP BY ALL
ORDER BY ALL
"""


def incident_cells(
    db: Snapshot, *, unit_organizers: Mapping[str, str], within_days: int = DEFAULT_WITHIN_DAYS
) -> tuple[pa.Table, pa.Table]:
    """The finest cells (school year × organizer × school unit × kind, with ``COUNTS`` and day
    sums) of the cases of the units in ``unit_organizers`` (unit code → organisation number),
    and the enrolled students per school year and unit that delivered a case."""
    codes = sorted(unit_organizers)
    params = {
        "unit_codes": codes,
        "unit_organizers": [unit_organizers[c] for c in codes],
        "within": int(within_days),
    }
    cases = db.query(_CELLS_SQL, params)
    delivering = sorted({str(c) for c in cases.column("school_unit_code").to_pylist()})
    students = db.query(_STUDENTS_SQL, {"unit_codes": delivering})
    return cases, students


_SUMMED: tuple[str, ...] = (
    *COUNTS,
    "days_investigated_sum",
    "investigated",
    "days_measures_sum",
    "measured",
)
VALUE_COLUMNS: tuple[str, ...] = (
    *STAGES,
    *WITHIN,
    "closed_share",
    "investigated_within_share",
    "measures_within_share",
    "mean_days_investigated",
    "mean_days_measures",
    "students",
    "per_100",
)


UNIT_VALUE_COLUMNS: tuple[str, ...] = (
    "mean_days_investigated",
    "mean_days_measures",
    "students",
    "per_100",
)
"""A school unit's figures besides its reports: no stage or within-days count or share. Most
units have too few reports in a year for those, and as cells of the cube the hundreds of
hidden unit rows' stages made the joint decision take minutes (GR 2025: 133 s)."""


def _sum_by(table: pa.Table, keys: list[str], columns: tuple[str, ...]) -> pa.Table:
    if table.num_rows == 0:
        return pa.table(
            {**{k: pa.array([], table.schema.field(k).type) for k in keys},
             **{c: pa.array([], pa.int64()) for c in columns}}
        )  # fmt: skip
    grouped = table.group_by(keys).aggregate([(c, "sum") for c in columns])
    return pa.table(
        {**{k: grouped.column(k) for k in keys}, **{c: grouped.column(f"{c}_sum") for c in columns}}
    )


def _ratio(numerator: pa.ChunkedArray, denominator: pa.ChunkedArray, scale: float) -> pa.Array:
    top = numerator.to_numpy().astype(float)
    bottom = denominator.to_numpy().astype(float)
    values = np.where(bottom > 0, top * scale / np.maximum(bottom, 1.0), np.nan)
    return pa.array(values, pa.float64(), from_pandas=True)


def _students_of(students: pa.Table, cases: pa.Table, by: str | None) -> pa.Table:
    """Enrolled students per school year and ``by`` (school unit or organizer; None: all)."""
    if by == "organizer_code":
        units = (
            cases.select(["school_unit_code", "organizer_code"])
            .group_by(["school_unit_code", "organizer_code"])
            .aggregate([])
        )
        students = students.join(units, "school_unit_code")
    keys = ["school_year"] if by is None else ["school_year", by]
    return _sum_by(students, keys, ("students",))


def _finish(table: pa.Table) -> pa.Table:
    table = table.append_column("closed_share", _ratio(table["closed"], table["reports"], 1.0))
    for name in WITHIN:
        table = table.append_column(f"{name}_share", _ratio(table[name], table["reports"], 1.0))
    table = table.append_column(
        "mean_days_investigated",
        _ratio(table["days_investigated_sum"], table["investigated"], 1.0),
    )
    table = table.append_column(
        "mean_days_measures", _ratio(table["days_measures_sum"], table["measured"], 1.0)
    )
    return table.append_column("per_100", _ratio(table["reports"], table["students"], 100.0))


def followup_by(
    cells: tuple[pa.Table, pa.Table],
    *,
    by: str,
    data_version: str,
    scope: str,
    level: Level = Level.REGION,
) -> Aggregate:
    """Reports per school year and ``by`` (one of ``BREAKDOWNS``) with ``by``'s total as a
    null row: stages (parts of ``reports``), within-days counts, shares 0-1, mean days and
    reports per 100 students (null for a kind, where students do not split)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    cases, students = cells
    parts = []
    for keep in (True, False):
        keys = ["school_year", by] if keep else ["school_year"]
        grouped = _sum_by(cases, keys, _SUMMED)
        if not keep:
            grouped = grouped.append_column(by, pa.nulls(grouped.num_rows, pa.string()))
        if by == "incident_kind" and keep:
            counted = grouped.append_column("students", pa.nulls(grouped.num_rows, pa.int64()))
        else:
            enrolled = _students_of(students, cases, None if not keep else by)
            counted = grouped.join(enrolled, keys, join_type="left outer")
        parts.append(counted.select(["school_year", by, *_SUMMED, "students"]))
    table = pa.concat_tables(parts, promote_options="permissive")
    table = table.sort_by([("school_year", "ascending"), (by, "ascending")])
    table = _finish(table)
    dims: tuple[str, ...] = ("school_year", by)
    values: tuple[str, ...] = VALUE_COLUMNS
    stages: tuple[str, ...] = STAGES
    if by == "school_unit_code":  # the unit's organizer: the tie between the two levels
        table = table.append_column("organizer_code", _organizer_of(table, cases))
        dims = ("school_year", "organizer_code", by)
        values, stages = UNIT_VALUE_COLUMNS, ()
    organizers = frozenset(str(o) for o in pc.unique(cases.column("organizer_code")).to_pylist())
    units = frozenset(str(u) for u in pc.unique(cases.column("school_unit_code")).to_pylist())
    return Aggregate(
        table=table.select([*dims, "reports", *values]),
        dims=dims,
        count="reports",
        values=values,
        population=Population(
            scope=f"incidents.followup/{scope}",
            organizers=organizers,
            level=level,
            school_units=units,
        ),
        data_version=data_version,
        margins=tuple(d for d in dims if d != "school_year"),
        parts=stages,
    )


def _organizer_of(table: pa.Table, cases: pa.Table) -> pa.Array:
    """Per row of a unit table, the unit's organizer (null on the total row)."""
    pairs = dict(
        zip(
            cases.column("school_unit_code").to_pylist(),
            cases.column("organizer_code").to_pylist(),
            strict=True,
        )
    )
    codes = table.column("school_unit_code").to_pylist()
    return pa.array([None if c is None else pairs[c] for c in codes], pa.string())


def _year(cells: tuple[pa.Table, pa.Table], year: int) -> tuple[pa.Table, pa.Table]:
    cases, students = cells
    return (
        cases.filter(pc.equal(cases.column("school_year"), year)),
        students.filter(pc.equal(students.column("school_year"), year)),
    )


def followup_breakdowns(
    cells: tuple[pa.Table, pa.Table], *, data_version: str, scope: str, unit_year: int | None
) -> dict[str, Aggregate]:
    """``followup_by`` for every breakdown: the tables a page shows. Organizers and kinds
    cover every year; school units only ``unit_year`` (there are hundreds)."""
    return {
        by: followup_by(
            _year(cells, unit_year) if by == "school_unit_code" and unit_year else cells,
            by=by,
            data_version=data_version,
            scope=scope,
        )
        for by in BREAKDOWNS
    }


def followup_cubes(
    cells: tuple[pa.Table, pa.Table], *, data_version: str, scope: str, unit_year: int | None
) -> dict[int, dict[str, Aggregate]]:
    """The release cubes of ``followup_breakdowns``' tables, one per school year (see module
    doc): each year's organizer and kind tables, and its unit table in ``unit_year``."""
    years = sorted({int(y) for y in cells[0].column("school_year").to_pylist()})
    cubes: dict[int, dict[str, Aggregate]] = {}
    for year in years:
        of_year = _year(cells, year)
        cubes[year] = {
            by: followup_by(of_year, by=by, data_version=data_version, scope=f"{scope}/{year}")
            for by in BREAKDOWNS
            if by != "school_unit_code" or year == unit_year
        }
    return cubes
