"""The region's historic transition and movement patterns, and the students they imply.

- **Transition rate**: first-year upper-secondary students (``grade_year = 1`` in gymnasieskola on
  15 October of enrolment year Y + 1) whose home municipality is in the region, divided by the
  region's 16-year-olds on 31 December Y, pooled over the base years. Students who start late
  or repeat year 1 count in the year they are enrolled in year 1, so the rate can exceed 1.
- **Movement pattern**: for each home municipality, the share of its first-year students per
  programme and school municipality (the municipality of the school unit), pooled over the
  base years. A home municipality without first-year students in the base years gets the
  region's pooled pattern.
- **Expected students** per year, programme and school municipality::

      expected(Y, p, s) = Σ_m cohort(m, Y) · transition_rate · share(m → p, s)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.snapshot import Snapshot

UNKNOWN = ""
"""School municipality of a school unit missing from the register (shown as unknown)."""
SOURCE = "Elevregister 15 oktober, SCB folkmängd; Likvärds framskrivning"

_TRANSITION_SQL = """
WITH cohort AS (
    SELECT year::INTEGER AS year, sum(persons)::BIGINT AS persons
    FROM population
    WHERE list_contains($codes, municipality_code) AND age = $target
      AND year BETWEEN $first AND $last
    GROUP BY 1
), starters AS (
    SELECT (school_year - 1)::INTEGER AS year, count(DISTINCT student_key)::BIGINT AS students
    FROM enrolments
    WHERE school_form = 'gymnasieskola' AND grade_year = 1
      AND list_contains($codes, home_municipality_code)
      AND school_year - 1 BETWEEN $first AND $last
    GROUP BY 1
)
SELECT c.year, c.persons, s.students FROM cohort AS c JOIN starters AS s USING (year) ORDER BY 1
"""

_MOVEMENT_SQL = """
SELECT home_municipality_code, coalesce(programme_code, '') AS programme_code, school_unit_code,
       count(*)::BIGINT AS students, list(DISTINCT organizer_code) AS organizers
FROM enrolments
WHERE school_form = 'gymnasieskola' AND grade_year = 1
  AND list_contains($codes, home_municipality_code)
  AND school_year - 1 BETWEEN $first AND $last
GROUP BY ALL
"""


@dataclass(frozen=True, slots=True)
class TransitionRate:
    """First-year students per 16-year-old, pooled over ``years`` (0.0 when nothing is known)."""

    students: int
    persons: int
    years: tuple[int, ...]

    @property
    def rate(self) -> float:
        """``students / persons``; 0.0 without 16-year-olds."""
        return self.students / self.persons if self.persons else 0.0


@dataclass(frozen=True, slots=True)
class MovementPattern:
    """Shares per home municipality, programme and school municipality; organizers counted."""

    table: (
        pa.Table
    )  # home_municipality_code, programme_code, school_municipality_code, students, share
    organizers: frozenset[str]


def transition_rate(
    db: Snapshot, *, municipalities: Sequence[str], years: range, target_age: int = 16
) -> TransitionRate:
    """The region's transition rate over the base ``years`` (calendar years of the autumn start)."""
    rows = db.query(
        _TRANSITION_SQL,
        {
            "codes": list(municipalities),
            "target": target_age,
            "first": min(years),
            "last": max(years),
        },
    ).to_pylist()
    return TransitionRate(
        students=sum(int(r["students"]) for r in rows),
        persons=sum(int(r["persons"]) for r in rows),
        years=tuple(int(r["year"]) for r in rows),
    )


def movement_pattern(
    db: Snapshot,
    *,
    municipalities: Sequence[str],
    years: range,
    school_municipality: Mapping[str, str],
) -> MovementPattern:
    """Where each home municipality's first-year students study, as shares (see module doc).

    ``school_municipality`` maps school-unit codes to their municipality (from the register).
    """
    raw = db.query(
        _MOVEMENT_SQL,
        {"codes": list(municipalities), "first": min(years), "last": max(years)},
    )
    organizers = frozenset(
        str(code) for codes in raw.column("organizers").to_pylist() for code in codes or []
    )
    units = raw.column("school_unit_code")
    keys = pa.array(list(school_municipality), pa.string())
    values = pa.array(list(school_municipality.values()), pa.string())
    index = pc.index_in(units, value_set=keys)
    mapped = pc.fill_null(pc.take(values, index), UNKNOWN)
    table = pa.table(
        {
            "home_municipality_code": raw.column("home_municipality_code"),
            "programme_code": raw.column("programme_code"),
            "school_municipality_code": mapped,
            "students": raw.column("students"),
        }
    )
    grouped = table.group_by(
        ["home_municipality_code", "programme_code", "school_municipality_code"]
    ).aggregate([("students", "sum")])
    grouped = grouped.rename_columns([*grouped.column_names[:-1], "students"])
    return MovementPattern(_with_shares(grouped), organizers)


def _with_shares(table: pa.Table) -> pa.Table:
    """``table`` with ``share``: students over the home municipality's total."""
    totals = table.group_by("home_municipality_code").aggregate([("students", "sum")])
    joined = table.join(totals, "home_municipality_code")
    share = pc.divide(
        pc.cast(joined.column("students"), pa.float64()),
        pc.cast(joined.column("students_sum"), pa.float64()),
    )
    return joined.drop_columns(["students_sum"]).append_column("share", share)


def expected_students(
    forecast: Aggregate,
    rate: TransitionRate,
    pattern: MovementPattern,
    *,
    scope: str,
    region_organizers: frozenset[str] | None = None,
) -> Aggregate:
    """Expected first-year students per year, programme and school municipality.

    ``forecast`` is ``cohorts.cohort_forecast``'s aggregate. The count column ``basis_students``
    is the number of first-year students in the base years the cell's shares rest on, so
    suppression hides cells that rest on few students. A student-level aggregate: release it.
    """
    shares = _pattern_for_every_home(forecast.table, pattern.table)
    cohorts = forecast.table.select(["municipality_code", "year", "cohort"]).rename_columns(
        ["home_municipality_code", "year", "cohort"]
    )
    joined = cohorts.join(shares, "home_municipality_code", join_type="inner")
    expected = pc.multiply(
        pc.multiply(joined.column("cohort"), pa.scalar(rate.rate)), joined.column("share")
    )
    joined = joined.append_column("expected", expected)
    grouped = joined.group_by(["year", "programme_code", "school_municipality_code"]).aggregate(
        [("expected", "sum"), ("students", "sum")]
    )
    table = pa.table(
        {
            "year": pc.cast(grouped.column("year"), pa.int16()),
            "programme_code": grouped.column("programme_code"),
            "school_municipality_code": grouped.column("school_municipality_code"),
            "basis_students": pc.cast(grouped.column("students_sum"), pa.int64()),
            "expected_students": grouped.column("expected_sum"),
        }
    ).sort_by([("year", "ascending"), ("programme_code", "ascending"),
               ("school_municipality_code", "ascending")])  # fmt: skip
    organizers = region_organizers if region_organizers is not None else pattern.organizers
    return Aggregate(
        table=table,
        dims=("year", "programme_code", "school_municipality_code"),
        count="basis_students",
        values=("expected_students",),
        population=Population(scope, organizers, Level.REGION),
        data_version=forecast.data_version,
        source=SOURCE,
    )


def _pattern_for_every_home(forecast: pa.Table, pattern: pa.Table) -> pa.Table:
    """``pattern`` plus the region's pooled pattern for homes in ``forecast`` without one."""
    homes = pc.unique(forecast.column("municipality_code"))
    known = pc.unique(pattern.column("home_municipality_code"))
    missing = pc.filter(homes, pc.invert(pc.is_in(homes, value_set=known)))
    if len(missing) == 0 or pattern.num_rows == 0:
        return pattern
    pooled = pattern.group_by(["programme_code", "school_municipality_code"]).aggregate(
        [("students", "sum")]
    )
    total = pc.sum(pooled.column("students_sum")).as_py()
    share = pc.divide(pc.cast(pooled.column("students_sum"), pa.float64()), float(total))
    size = pooled.num_rows
    homes_missing = missing.to_pylist()
    repeated = pooled.take(pa.array(np.tile(np.arange(size), len(homes_missing))))
    filled = pa.table(
        {
            "home_municipality_code": pa.array(np.repeat(homes_missing, size), pa.string()),
            "programme_code": repeated.column("programme_code"),
            "school_municipality_code": repeated.column("school_municipality_code"),
            # the pooled shares rest on the whole region's students, not this home's
            "students": pa.array(np.zeros(repeated.num_rows, dtype=np.int64)),
            "share": share.take(pa.array(np.tile(np.arange(size), len(homes_missing)))),
        }
    )
    parts = [pattern, filled.cast(pattern.schema)]
    return pa.concat_tables(parts)
