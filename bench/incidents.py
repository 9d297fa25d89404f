"""Incident follow-up for the whole country: every organizer and school unit, ten years.

``incidents.followup`` is the product's follow-up as the incident pages compute it:
``incident_cells`` (one pass over the cases: school year, organizer, unit and kind with the
stage counts, within-14-days counts and day sums; and the enrolled students of every unit that
delivered a case) and ``followup_by`` per organizer and per school unit over all school years
(reports, stages, within 14 days, shares, mean days to investigation and to measures,
students, reports per 100 students; each year's total), timed from the Parquet files. Its
baselines, timed alike (one untimed warm-up, best of three) and checked equal to it in full
(every row of both tables, every count and figure) before any ratio is written:
``incidents.pandas_reference`` (``bench/reference/incidents.py``, written from the
definitions, Parquet reading included), ``incidents.duckdb_sql`` (the same two tables as plain
SQL an analyst would write) and ``incidents.bare_scan`` (DuckDB reading exactly the rows and
columns the follow-up reads: the cases' five columns and the three enrolment columns of the
units' students). ``rows`` counts cases and enrolment rows read. The cases are drawn by the
demo's rule (about 3 reports per 100 students a year, ``likvard_core.synth.national_extras``);
every school unit's organizer comes from the synthetic country.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.completion import paths_of
from bench.harness import OUT_DIR, Engine, canonical_frame, compare, national_root, raw_connection
from bench.movement import national_lookups
from bench.reference.incidents import CASE_COLUMNS, case_cells, followup, read_cases, read_students
from likvard_core.analytics.incidents.followup import (
    DEFAULT_WITHIN_DAYS,
    UNIT_VALUE_COLUMNS,
    VALUE_COLUMNS,
    followup_by,
    incident_cells,
)
from likvard_core.warehouse.snapshot import Snapshot

TABLES = {
    "organizer_code": ["school_year", "organizer_code"],
    "school_unit_code": ["school_year", "organizer_code", "school_unit_code"],
}
MEASURES = {
    "organizer_code": ["reports", *VALUE_COLUMNS],
    "school_unit_code": ["reports", *UNIT_VALUE_COLUMNS],
}


def unit_organizers(scale: float) -> dict[str, str]:
    """Each school unit's organizer in the synthetic country at ``scale``."""
    return {
        code: info.organizer_code for code, info in national_lookups(scale).school_units.items()
    }


def _product(snapshot: Snapshot, units: dict[str, str]) -> dict[str, pd.DataFrame]:
    cells = incident_cells(snapshot, unit_organizers=units)
    return {
        by: followup_by(cells, by=by, data_version="bench", scope="bench").table.to_pandas()
        for by in TABLES
    }


def _pandas(
    case_paths: list[Path], enrolment_paths: list[Path], units: dict[str, str]
) -> dict[str, pd.DataFrame]:
    cells = case_cells(read_cases(case_paths), units, DEFAULT_WITHIN_DAYS)
    delivering = sorted(cells["school_unit_code"].unique())
    students = read_students(enrolment_paths, delivering)
    return {by: followup(cells, students, by) for by in TABLES}


ANALYST_SQL = """
CREATE OR REPLACE TEMP TABLE cases AS
SELECT c.school_unit_code, u.organizer_code,
       year(c.reported_on) + CASE WHEN month(c.reported_on) >= 7 THEN 1 ELSE 0 END AS school_year,
       c.investigated_on - c.reported_on AS days_investigated,
       c.measures_on - c.reported_on AS days_measures,
       c.investigated_on IS NOT NULL AS investigated, c.measures_on IS NOT NULL AS measured,
       c.closed_on IS NOT NULL AS closed
FROM read_parquet($cases) AS c JOIN units AS u USING (school_unit_code);
CREATE OR REPLACE TEMP TABLE students AS
SELECT school_year, school_unit_code, count(DISTINCT student_key) AS students
FROM read_parquet($enrolments)
WHERE school_unit_code IN (SELECT school_unit_code FROM cases)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE unit_owner AS
SELECT DISTINCT school_unit_code, organizer_code FROM cases;
"""
"""The cases with their year, organizer and days, and the delivering units' students."""

_COUNTS = f"""
       count(*) AS reports,
       count(*) FILTER (WHERE NOT investigated AND NOT closed AND NOT measured) AS not_investigated,
       count(*) FILTER (WHERE investigated AND NOT measured AND NOT closed) AS investigating,
       count(*) FILTER (WHERE measured AND NOT closed) AS measures_taken,
       count(*) FILTER (WHERE closed) AS closed,
       count(*) FILTER (WHERE days_investigated <= {DEFAULT_WITHIN_DAYS}) AS investigated_within,
       count(*) FILTER (WHERE days_measures <= {DEFAULT_WITHIN_DAYS}) AS measures_within,
       avg(days_investigated) AS mean_days_investigated,
       avg(days_measures) AS mean_days_measures"""

_SHARES = """
       closed / nullif(reports, 0) AS closed_share,
       investigated_within / nullif(reports, 0) AS investigated_within_share,
       measures_within / nullif(reports, 0) AS measures_within_share,
       reports * 100 / nullif(students, 0) AS per_100"""

ANALYST_TABLES = {
    "organizer_code": f"""
        WITH counted AS (
            SELECT school_year, organizer_code, {_COUNTS}
            FROM cases GROUP BY GROUPING SETS ((school_year, organizer_code), (school_year))
        ), enrolled AS (
            SELECT s.school_year, o.organizer_code, sum(s.students) AS students
            FROM students AS s JOIN unit_owner AS o USING (school_unit_code)
            GROUP BY GROUPING SETS ((s.school_year, o.organizer_code), (s.school_year))
        )
        SELECT *, {_SHARES} FROM counted AS c LEFT JOIN enrolled AS e
            ON e.school_year = c.school_year
           AND e.organizer_code IS NOT DISTINCT FROM c.organizer_code""",
    "school_unit_code": f"""
        WITH counted AS (
            SELECT school_year, school_unit_code, {_COUNTS}
            FROM cases GROUP BY GROUPING SETS ((school_year, school_unit_code), (school_year))
        ), enrolled AS (
            SELECT school_year, school_unit_code, sum(students) AS students FROM students
            GROUP BY GROUPING SETS ((school_year, school_unit_code), (school_year))
        )
        SELECT c.*, e.students, o.organizer_code, {_SHARES}
        FROM counted AS c
        LEFT JOIN enrolled AS e ON e.school_year = c.school_year
         AND e.school_unit_code IS NOT DISTINCT FROM c.school_unit_code
        LEFT JOIN unit_owner AS o ON o.school_unit_code = c.school_unit_code""",
}
"""The organizer and unit tables as plain SQL over ``cases`` and ``students``."""


def _analyst_sql(
    case_paths: list[Path], enrolment_paths: list[Path], units: dict[str, str]
) -> dict[str, pd.DataFrame]:
    con = raw_connection()
    try:
        con.register("units", pd.DataFrame({"school_unit_code": list(units),
                                            "organizer_code": list(units.values())}))  # fmt: skip
        params = {"cases": [str(p) for p in case_paths],
                  "enrolments": [str(p) for p in enrolment_paths]}  # fmt: skip
        for statement in filter(str.strip, ANALYST_SQL.split(";")):
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
        return {by: con.sql(sql).df() for by, sql in ANALYST_TABLES.items()}
    finally:
        con.close()


def _canonical(result: object) -> pd.DataFrame:
    """Both tables' every figure as one long frame: table, key, measure, value."""
    assert isinstance(result, dict)
    parts = []
    for by, keys in TABLES.items():
        frame = result[by].loc[:, ~result[by].columns.duplicated()]
        text = [frame[k].astype(object).where(frame[k].notna(), "None").astype(str) for k in keys]
        key = text[0].str.cat(text[1:], sep="|")
        parts.extend(
            pd.DataFrame({"table": by, "key": key.to_numpy(), "measure": measure,
                          "value": pd.to_numeric(frame[measure], errors="coerce")
                          .astype("float64").to_numpy()})
            for measure in MEASURES[by]
        )  # fmt: skip
    long = pd.concat(parts, ignore_index=True)
    return canonical_frame(long, ["table", "key", "measure", "value"], ["table", "key", "measure"])


def _bare_scan(case_paths: list[Path], enrolment_paths: list[Path], units: list[str]) -> int:
    """DuckDB reading the follow-up's rows and columns: the cases, the units' enrolments."""
    con = raw_connection()
    try:
        cases = con.execute(
            f"SELECT count(*), {', '.join(f'min({c})' for c in CASE_COLUMNS)} "
            "FROM read_parquet($files)",
            {"files": [str(p) for p in case_paths]},
        ).fetchone()
        enrolled = con.execute(
            "SELECT count(*), min(school_year), min(student_key) FROM read_parquet($files) "
            "WHERE school_unit_code IN (SELECT unnest($units))",
            {"files": [str(p) for p in enrolment_paths], "units": units},
        ).fetchone()
    finally:
        con.close()
    return int(cases[0] if cases else 0) + int(enrolled[0] if enrolled else 0)


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """Every organizer's and unit's follow-up against pandas, plain SQL and the bare scan."""
    root = national_root(scale, out_dir=out_dir or OUT_DIR)
    cases, enrolments = paths_of(root, "incidents"), paths_of(root, "enrolments")
    units = unit_organizers(scale)
    delivering = sorted(
        str(u) for u in snapshot.query(
            "SELECT DISTINCT school_unit_code FROM incidents")["school_unit_code"].to_pylist()
    )  # fmt: skip
    rows = _bare_scan(cases, enrolments, delivering)
    return compare(
        Engine("incidents.followup", lambda: _product(snapshot, units), _canonical),
        {
            "pandas": Engine("incidents.pandas_reference",
                             lambda: _pandas(cases, enrolments, units), _canonical),
            "sql": Engine("incidents.duckdb_sql",
                          lambda: _analyst_sql(cases, enrolments, units), _canonical),
            "scan": Engine("incidents.bare_scan",
                           lambda: _bare_scan(cases, enrolments, delivering)),
        },
        rows=rows,
        repeat=3,
    )  # fmt: skip


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
