"""Komvux measures for the whole country: per course, start, provider type and municipality.

``komvux.measures`` is the product's computation as the komvux pages do it: ``start_cells``
(every start of every municipality with its six-month follow-up, one query) and ``komvux_by``
for each of the five measures (applications, first-hand and eligible applicants, enrolment
with completion and interruption, outcomes) per year and course, start, provider type and
municipality, with each year's total: 20 tables of summed counts and parts, söktryck, fill
rate, completion, interruption and outcome rates with Wilson intervals, timed from the Parquet
files. Its baselines, timed alike (one untimed warm-up, best of three) and checked equal to it
in full (every row of the 20 tables, every count, part, rate and interval) before any ratio is
written: ``komvux.pandas_reference`` (``bench/reference/komvux.py``, written from the working
definitions, Parquet reading included), ``komvux.duckdb_sql`` (the 20 tables as plain SQL an
analyst would write, one GROUPING SETS query per measure and breakdown over the joined
starts) and ``komvux.bare_scan`` (DuckDB reading exactly the rows and columns the measures
read). The starts are drawn by the demo's rule for every municipality of the country, 2 to 40
a year by its size (``likvard_core.synth.national_extras``), so the table is small: a few
tens of thousands of starts at any scale; ``rows`` counts starts and follow-up rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.completion import WILSON_MACROS, paths_of
from bench.harness import OUT_DIR, Engine, canonical_frame, compare, national_root, raw_connection
from bench.reference.komvux import FOLLOWUP_COLUMNS, START_COLUMNS, measure_by, read_starts
from likvard_core.analytics.komvux.measures import FOLLOWUP_MONTHS, MEASURES, komvux_by, start_cells
from likvard_core.warehouse.snapshot import Snapshot

BREAKDOWNS = ("course_code", "start_key", "provider_type", "municipality_code")


def _product(snapshot: Snapshot) -> dict[tuple[str, str], pd.DataFrame]:
    municipalities = [
        str(m) for m in snapshot.query(
            "SELECT DISTINCT municipality_code FROM komvux_starts")["municipality_code"]
        .to_pylist()
    ]  # fmt: skip
    cells = start_cells(snapshot, municipalities=municipalities)
    owners = {m: m for m in municipalities}
    return {
        (measure, by): komvux_by(
            cells, measure=measure, by=by, data_version="bench", scope="bench", organizers=owners
        ).table.to_pandas()
        for measure in MEASURES
        for by in BREAKDOWNS
    }


def _pandas(
    start_paths: list[Path], followup_paths: list[Path]
) -> dict[tuple[str, str], pd.DataFrame]:
    starts = read_starts(start_paths, followup_paths, FOLLOWUP_MONTHS)
    return {(m, by): measure_by(starts, m, by) for m in MEASURES for by in BREAKDOWNS}


BASE_SQL = f"""
CREATE OR REPLACE TEMP TABLE starts AS
SELECT year(s.start_date) AS year, s.municipality_code,
       s.municipality_code || '/' || s.start_id AS start_key, s.course_code, s.provider_type,
       s.places, s.applicants, s.first_hand, s.eligible, s.admitted, s.enrolled, s.completed,
       s.interrupted, f.followed_up, f.in_work, f.in_studies
FROM read_parquet($starts) AS s
LEFT JOIN (SELECT * FROM read_parquet($followup) WHERE months = {FOLLOWUP_MONTHS}) AS f
    USING (municipality_code, start_id)
"""
"""Every start with its six-month follow-up."""

_SUMS = {
    "applications": ("applicants", """sum(places) AS places, sum(applicants) AS applicants,
        sum(coalesce(admitted, 0)) AS admitted,
        sum(applicants - coalesce(admitted, 0)) AS not_admitted"""),
    "first_hand": ("first_hand", "sum(places) AS places, sum(first_hand) AS first_hand"),
    "eligible": ("eligible", "sum(places) AS places, sum(eligible) AS eligible"),
    "enrolment": ("enrolled", """sum(places) AS places, sum(enrolled) AS enrolled,
        sum(completed) AS completed, sum(interrupted) AS interrupted,
        sum(CASE WHEN completed IS NOT NULL
                 THEN enrolled - coalesce(completed, 0) - coalesce(interrupted, 0) END)
            AS continuing,
        sum(CASE WHEN completed IS NULL THEN enrolled ELSE 0 END) AS not_reported,
        sum(CASE WHEN completed IS NOT NULL THEN enrolled ELSE 0 END) AS enrolled_ended"""),
    "outcomes": ("followed_up", """sum(places) AS places, sum(followed_up) AS followed_up,
        sum(in_work) AS in_work, sum(in_studies) AS in_studies,
        sum(followed_up - in_work - in_studies) AS neither"""),
}  # fmt: skip
_FIGURES = {
    "applications": "applicants / nullif(places, 0) AS soktryck",
    "first_hand": "first_hand / nullif(places, 0) AS soktryck",
    "eligible": "eligible / nullif(places, 0) AS soktryck",
    "enrolment": """enrolled / nullif(places, 0) AS fill_rate,
        coalesce(completed, 0) / nullif(enrolled_ended, 0) AS completion_rate,
        wilson_low(coalesce(completed, 0)::DOUBLE, enrolled_ended::DOUBLE) AS completion_low,
        wilson_high(coalesce(completed, 0)::DOUBLE, enrolled_ended::DOUBLE) AS completion_high,
        coalesce(interrupted, 0)
            / nullif(coalesce(completed, 0) + coalesce(interrupted, 0), 0) AS interruption_rate,
        wilson_low(coalesce(interrupted, 0)::DOUBLE,
                   (coalesce(completed, 0) + coalesce(interrupted, 0))::DOUBLE)
            AS interruption_low,
        wilson_high(coalesce(interrupted, 0)::DOUBLE,
                    (coalesce(completed, 0) + coalesce(interrupted, 0))::DOUBLE)
            AS interruption_high""",
    "outcomes": """(in_work + in_studies) / nullif(followed_up, 0) AS outcome_rate,
        wilson_low((in_work + in_studies)::DOUBLE, followed_up::DOUBLE) AS outcome_low,
        wilson_high((in_work + in_studies)::DOUBLE, followed_up::DOUBLE) AS outcome_high,
        in_work / nullif(followed_up, 0) AS work_rate""",
}  # fmt: skip


def analyst_query(measure: str, by: str) -> str:
    """One measure per year and ``by``, and per year, as plain SQL over ``starts``."""
    count, sums = _SUMS[measure]
    return f"""
        SELECT *, {_FIGURES[measure]} FROM (
            SELECT year, {by}, {sums} FROM starts WHERE {count} IS NOT NULL
            GROUP BY GROUPING SETS ((year, {by}), (year))
        )"""


def _analyst_sql(
    start_paths: list[Path], followup_paths: list[Path]
) -> dict[tuple[str, str], pd.DataFrame]:
    con = raw_connection()
    try:
        for statement in filter(str.strip, WILSON_MACROS.split(";")):
            con.execute(statement)
        con.execute(
            BASE_SQL,
            {"starts": [str(p) for p in start_paths],
             "followup": [str(p) for p in followup_paths]},
        )  # fmt: skip
        return {(m, by): con.sql(analyst_query(m, by)).df() for m in MEASURES for by in BREAKDOWNS}
    finally:
        con.close()


def _canonical(result: object) -> pd.DataFrame:
    """Every table's every figure as one long frame: table, key, measure, value."""
    assert isinstance(result, dict)
    parts = []
    for (measure, by), frame in result.items():
        keys = ["year", by]
        text = [frame[k].astype(object).where(frame[k].notna(), "None").astype(str) for k in keys]
        key = text[0].str.cat(text[1:], sep="|")
        parts.extend(
            pd.DataFrame({"table": f"{measure}/{by}", "key": key.to_numpy(), "measure": column,
                          "value": pd.to_numeric(frame[column], errors="coerce")
                          .astype("float64").to_numpy()})
            for column in frame.columns if column not in keys
        )  # fmt: skip
    long = pd.concat(parts, ignore_index=True)
    return canonical_frame(long, ["table", "key", "measure", "value"], ["table", "key", "measure"])


def _bare_scan(start_paths: list[Path], followup_paths: list[Path]) -> int:
    """DuckDB reading the measures' rows and columns: every start and six-month follow-up."""
    con = raw_connection()
    try:
        starts = con.execute(
            f"SELECT count(*), {', '.join(f'min({c})' for c in START_COLUMNS)} "
            "FROM read_parquet($files)",
            {"files": [str(p) for p in start_paths]},
        ).fetchone()
        followup = con.execute(
            f"SELECT count(*), {', '.join(f'min({c})' for c in FOLLOWUP_COLUMNS)} "
            f"FROM read_parquet($files) WHERE months = {FOLLOWUP_MONTHS}",
            {"files": [str(p) for p in followup_paths]},
        ).fetchone()
    finally:
        con.close()
    return int(starts[0] if starts else 0) + int(followup[0] if followup else 0)


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """Every municipality's komvux measures against pandas, plain SQL and the bare scan."""
    root = national_root(scale, out_dir=out_dir or OUT_DIR)
    starts, followup = paths_of(root, "komvux_starts"), paths_of(root, "komvux_followup")
    rows = _bare_scan(starts, followup)
    return compare(
        Engine("komvux.measures", lambda: _product(snapshot), _canonical),
        {
            "pandas": Engine("komvux.pandas_reference", lambda: _pandas(starts, followup),
                             _canonical),
            "sql": Engine("komvux.duckdb_sql", lambda: _analyst_sql(starts, followup),
                          _canonical),
            "scan": Engine("komvux.bare_scan", lambda: _bare_scan(starts, followup)),
        },
        rows=rows,
        repeat=3,
    )  # fmt: skip


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
