"""Completed upper-secondary studies: every municipality's cohort follow-up over ten years.

``completion.cohort_followup`` is the product's national follow-up per home municipality,
``completion_followup``: one pass over the enrolments and diplomas (every starter's outcome at
3, 4 and 5 years and paths) counted in DuckDB straight into the table (every municipality and
the nation, each start year, each programme type and all starters: starters, observed, diploma
within 3/4/5 years with Wilson intervals, studying, certificate and interrupted at 4 years,
moves, IM to national programme), timed from the Parquet files. It is the same table, to the
row, as the pages' path (``starter_cells``, the finest cells of every breakdown, then
``completion_by``; a test holds the two equal for every breakdown), without the finest cells
the pages keep to release five breakdowns from one pass. Its
baselines, timed alike (one untimed warm-up, best of three) and checked equal to it in full
(every row; every count, share and interval) before any ratio is written:
``completion.pandas_reference`` (``bench/reference/completion.py``, written from the
definitions, Parquet reading included), ``completion.duckdb_sql`` (the same table as one
plain SQL statement an analyst would write, with window functions and GROUPING SETS) and
``completion.bare_scan`` (DuckDB reading exactly the rows and columns the follow-up reads:
the gymnasieskola enrolments' eight columns and the diplomas' three). The school units'
municipalities (for "moved municipality") come from the synthetic country. The national
enrolments follow the demo's rules through upper secondary (``likvard_core.synth.national_paths``):
about 6 % of national-programme starters leave after one or two years, introduction students
stay one or two years and 10-45 % of them then start a national programme, often with another
organizer or in another municipality, so every path the follow-up counts occurs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.harness import (
    OUT_DIR,
    Engine,
    canonical_frame,
    compare,
    national_files,
    national_root,
    raw_connection,
)
from bench.movement import national_lookups
from bench.reference.completion import (
    COUNTS,
    GY_COLUMNS,
    HORIZONS,
    followup_by_home,
    read_diplomas,
    read_upper_secondary,
    starters,
)
from likvard_core.analytics.completion.cohort import completion_followup
from likvard_core.warehouse.snapshot import Snapshot

KEYS = ["start_year", "programme_group", "home_municipality_code"]
FIGURES = [
    *(f"diploma_{k}_{s}" for k in HORIZONS for s in ("share", "low", "high")),
    *(f"{o}_4_share" for o in ("studying", "certificate", "interrupted")),
    *(f"{p}_share" for p in ("moved_programme", "moved_organizer", "moved_municipality",
                             "im_to_national")),
]  # fmt: skip
COLUMNS = [*KEYS, *COUNTS, *FIGURES]


def unit_municipalities(scale: float) -> dict[str, str]:
    """Each school unit's municipality in the synthetic country at ``scale``."""
    lookups = national_lookups(scale)
    return {code: info.municipality_code for code, info in lookups.school_units.items()}


def _product(snapshot: Snapshot, units: dict[str, str]) -> pd.DataFrame:
    by = completion_followup(
        snapshot,
        by="home_municipality_code",
        unit_municipalities=units,
        data_version="bench",
        scope="bench",
    )
    return by.table.to_pandas()


def _pandas(gy_paths: list[Path], diploma_paths: list[Path], units: dict[str, str]) -> pd.DataFrame:
    gy = read_upper_secondary(gy_paths)
    last_year = int(gy["school_year"].max())
    return followup_by_home(starters(gy, read_diplomas(diploma_paths), units, last_year))


_OUTCOME = """CASE WHEN s.start_year + {k} - 1 > (SELECT max(school_year) FROM gy) THEN NULL
         WHEN c.diploma_year <= s.start_year + {k} - 1 THEN 'diploma'
         WHEN c.certificate_year <= s.start_year + {k} - 1 THEN 'certificate'
         WHEN p.last_{k} >= s.start_year + {k} - 1 THEN 'studying'
         ELSE 'interrupted' END AS outcome_{k}"""

EACH_SQL = f"""
WITH gy AS (
    SELECT e.school_year, e.student_key, e.organizer_code,
           coalesce(e.programme_code, '') AS programme_code, e.home_municipality_code,
           e.grade_year, e.born_abroad, coalesce(u.municipality_code, '') AS school_municipality
    FROM read_parquet($enrolments) AS e LEFT JOIN units AS u USING (school_unit_code)
    WHERE e.school_form = 'gymnasieskola'
    QUALIFY row_number() OVER (PARTITION BY e.school_year, e.student_key
                               ORDER BY e.school_unit_code) = 1
),
firsts AS (
    SELECT *, min(school_year) OVER (PARTITION BY student_key) AS first_year FROM gy
),
s AS (
    SELECT * EXCLUDE (school_year, first_year), school_year AS start_year FROM firsts
    WHERE school_year = first_year AND grade_year = 1
),
p AS (
    SELECT s.student_key,
           max(g.school_year) FILTER (WHERE g.school_year <= s.start_year + 2) AS last_3,
           max(g.school_year) FILTER (WHERE g.school_year <= s.start_year + 3) AS last_4,
           max(g.school_year) FILTER (WHERE g.school_year <= s.start_year + 4) AS last_5,
           bool_or(g.programme_code <> s.programme_code) AS moved_programme,
           bool_or(g.organizer_code <> s.organizer_code) AS moved_organizer,
           bool_or(g.school_municipality <> s.school_municipality) AS moved_municipality,
           bool_or(s.programme_code LIKE 'IM%' AND g.programme_code NOT LIKE 'IM%')
               AS im_to_national
    FROM s JOIN gy AS g ON g.student_key = s.student_key
     AND g.school_year BETWEEN s.start_year AND s.start_year + 4
    GROUP BY s.student_key
),
c AS (
    SELECT student_key,
           min(school_year) FILTER (WHERE certificate IN (
               'preparatory_diploma', 'vocational_diploma', 'diploma')) AS diploma_year,
           min(school_year) FILTER (WHERE certificate = 'study_certificate') AS certificate_year
    FROM read_parquet($diplomas) GROUP BY student_key
),
each AS (
    SELECT s.student_key, s.start_year, s.home_municipality_code, p.last_3,
           CASE WHEN s.programme_code LIKE 'IM%' THEN 'introduction'
                WHEN s.programme_code IN ('EK', 'ES', 'HU', 'NA', 'SA', 'TE', 'IB')
                    THEN 'preparatory'
                ELSE 'vocational' END AS programme_group,
           {", ".join(_OUTCOME.format(k=k) for k in HORIZONS)},
           p.moved_programme, p.moved_organizer, p.moved_municipality, p.im_to_national
    FROM s JOIN p USING (student_key) LEFT JOIN c USING (student_key)
)
"""  # fmt: skip
"""Plain SQL CTEs ending in ``each``: one row per starter with its groups and outcomes."""

WILSON_MACROS = """
CREATE OR REPLACE TEMP MACRO wilson_low(k, n) AS CASE WHEN n > 0 THEN least(greatest(least(
    ((k / n) + 3.841458820694124 / (2 * n)) / (1 + 3.841458820694124 / n)
    - 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n + 3.841458820694124 / (4 * n * n))
      / (1 + 3.841458820694124 / n), 1.0), 0.0), k / n) END;
CREATE OR REPLACE TEMP MACRO wilson_high(k, n) AS CASE WHEN n > 0 THEN greatest(least(greatest(
    ((k / n) + 3.841458820694124 / (2 * n)) / (1 + 3.841458820694124 / n)
    + 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n + 3.841458820694124 / (4 * n * n))
      / (1 + 3.841458820694124 / n), 0.0), 1.0), k / n) END;
"""
"""Wilson 95 % bounds of k / n as SQL macros (z = 1.959963984540054), clipped like the
product's."""

ANALYST_SQL = f"""
{WILSON_MACROS}CREATE OR REPLACE TEMP TABLE followup AS
{EACH_SQL.strip()},
both_groups AS (
    SELECT * FROM each UNION ALL SELECT * REPLACE ('all' AS programme_group) FROM each
),
counted AS (
    SELECT start_year, programme_group, home_municipality_code, count(*) AS n,
           count(outcome_3) AS observed_3, count(outcome_4) AS observed_4,
           count(outcome_5) AS observed_5,
           count(*) FILTER (WHERE outcome_3 = 'diploma') AS diploma_3,
           count(*) FILTER (WHERE outcome_4 = 'diploma') AS diploma_4,
           count(*) FILTER (WHERE outcome_5 = 'diploma') AS diploma_5,
           count(*) FILTER (WHERE outcome_4 = 'studying') AS studying_4,
           count(*) FILTER (WHERE outcome_4 = 'certificate') AS certificate_4,
           count(*) FILTER (WHERE outcome_4 = 'interrupted') AS interrupted_4,
           count_if(moved_programme) AS moved_programme,
           count_if(moved_organizer) AS moved_organizer,
           count_if(moved_municipality) AS moved_municipality,
           count_if(im_to_national) AS im_to_national
    FROM both_groups
    GROUP BY GROUPING SETS ((start_year, programme_group, home_municipality_code),
                            (start_year, programme_group))
)
SELECT *,
       {", ".join(f'''diploma_{k} / nullif(observed_{k}, 0) AS diploma_{k}_share,
       wilson_low(diploma_{k}::DOUBLE, observed_{k}::DOUBLE) AS diploma_{k}_low,
       wilson_high(diploma_{k}::DOUBLE, observed_{k}::DOUBLE) AS diploma_{k}_high'''
                  for k in HORIZONS)},
       {", ".join(f"{o}_4 / nullif(observed_4, 0) AS {o}_4_share"
                  for o in ("studying", "certificate", "interrupted"))},
       {", ".join(f"{p} / n AS {p}_share" for p in ("moved_programme", "moved_organizer",
                                                    "moved_municipality", "im_to_national"))}
FROM counted;
"""  # fmt: skip
"""The follow-up per home municipality as plain SQL over the Parquet files."""


def _analyst_sql(
    gy_paths: list[Path], diploma_paths: list[Path], units: dict[str, str]
) -> pd.DataFrame:
    con = raw_connection()
    try:
        con.register(
            "units",
            pd.DataFrame(
                {"school_unit_code": list(units), "municipality_code": list(units.values())}
            ),
        )
        con.execute(
            ANALYST_SQL,
            {"enrolments": [str(p) for p in gy_paths], "diplomas": [str(p) for p in diploma_paths]},
        )
        return con.sql("SELECT * FROM followup").df()
    finally:
        con.close()


def _canonical(result: object) -> pd.DataFrame:
    frame = result if isinstance(result, pd.DataFrame) else pd.DataFrame(result)
    frame = frame.copy()
    for column in FIGURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["home_municipality_code"] = frame["home_municipality_code"].where(
        frame["home_municipality_code"].notna(), None
    )
    return canonical_frame(frame, COLUMNS, KEYS)


def bare_scan(gy_paths: list[Path], diploma_paths: list[Path]) -> int:
    """DuckDB reading the follow-up's rows and columns: gymnasieskola enrolments, diplomas."""
    columns = ", ".join(f"min({c})" for c in GY_COLUMNS)
    con = raw_connection()
    try:
        gy = con.execute(
            f"SELECT count(*), {columns} FROM read_parquet($files) "
            "WHERE school_form = 'gymnasieskola'",
            {"files": [str(p) for p in gy_paths]},
        ).fetchone()
        certificates = con.execute(
            "SELECT count(*), min(school_year), min(student_key), min(certificate) "
            "FROM read_parquet($files)",
            {"files": [str(p) for p in diploma_paths]},
        ).fetchone()
    finally:
        con.close()
    return int(gy[0] if gy else 0) + int(certificates[0] if certificates else 0)


def paths_of(root: Path, table: str) -> list[Path]:
    """The Parquet files of ``table`` in the national set at ``root``."""
    return [root / p for p in national_files(root).get(table, ())]


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """The national follow-up per municipality against pandas, plain SQL and the bare scan."""
    root = national_root(scale, out_dir=out_dir or OUT_DIR)
    gy_paths, diploma_paths = paths_of(root, "enrolments"), paths_of(root, "diplomas")
    units = unit_municipalities(scale)
    rows = bare_scan(gy_paths, diploma_paths)
    return compare(
        Engine("completion.cohort_followup", lambda: _product(snapshot, units), _canonical),
        {
            "pandas": Engine("completion.pandas_reference",
                             lambda: _pandas(gy_paths, diploma_paths, units), _canonical),
            "sql": Engine("completion.duckdb_sql",
                          lambda: _analyst_sql(gy_paths, diploma_paths, units), _canonical),
            "scan": Engine("completion.bare_scan", lambda: bare_scan(gy_paths, diploma_paths)),
        },
        rows=rows,
        repeat=3,
    )  # fmt: skip


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
