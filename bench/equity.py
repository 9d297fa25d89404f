"""Grade versus national test: the analytics function, its pandas reference, a bare scan, a page.

``equity.grade_vs_test`` is ``grade_vs_test_by_school`` over the whole national snapshot (year
9, every group: all, girls/boys and the background groups), reading the Parquet files inside
its time. ``equity.pandas_reference`` is the vectorised pandas version of the same computation
(``bench/reference/equity.py``) over the same files, **load included** (reading the columns it
needs with the grade-year filter pushed down, then computing); its result is checked equal to
the analytics function's, row by row, before any number is reported. ``equity.duckdb_sql`` is
the same comparison as one hand-written SQL statement; ``equity.bare_scan`` is DuckDB reading
exactly the rows and columns the comparison reads, once (the floor for any query over them).
``equity.school_page_cold`` is a school's page core the first time after an import (the
national tables are computed and kept per data version); ``equity.school_page_warm`` the same
page afterwards: read the unit's rows of the kept tables, rebuild its aggregates, suppress them
for a viewer without access (the heavier path of the release gate) and build the chart.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bench.harness import (
    OUT_DIR,
    Engine,
    best_of,
    canonical_frame,
    compare,
    national_files,
    national_root,
    national_snapshot,
)
from bench.reference.equity import COLUMNS, grade_vs_test_reference, load_frames
from likvard_core.analytics.equity.grade_vs_test import DIMS, grade_vs_test_by_school
from likvard_core.analytics.equity.groups import (
    BORN_ABROAD,
    BORN_IN_SWEDEN,
    NEWLY_ARRIVED,
    PARENTS_HIGH,
    PARENTS_HIGH_FROM,
    PARENTS_LOW,
    PARENTS_MIDDLE,
    PARENTS_MIDDLE_FROM,
)
from likvard_core.analytics.equity.kept import kept_units_slice
from likvard_core.analytics.equity.national import UnitsSlice
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress
from likvard_core.terms import GRADE_STEPS, NATIONAL_TESTS_NOT_HELD
from likvard_core.warehouse.derived import DERIVED_DIR, Filter, derived_table, version_key
from likvard_core.warehouse.snapshot import Snapshot

NOTES = (
    "`equity.grade_vs_test` is `grade_vs_test_by_school` over the whole snapshot (year 9, all "
    "groups incl. background), reading the Parquet files inside its time. Its baselines, timed "
    "alike (one warm-up, best of three) and checked equal to it on every row and on the "
    "columns n, n_lower, n_same, n_higher and mean_step_difference before any ratio is "
    "written: `equity.pandas_reference` (vectorised pandas, `bench/reference/equity.py`, "
    "Parquet load included), `equity.duckdb_sql` (the same comparison as one plain SQL "
    "statement an analyst would write: a join, a CASE per grade, a UNION ALL per kind of "
    "group) and `equity.bare_scan` (DuckDB reading exactly the rows and columns the "
    "comparison reads: year-9 grades and tests of the years with tests, the enrolment "
    "columns of the students' background). Target: within 3x the bare scan. "
    "`equity.school_page_cold` is a school's page core on the first request of a data "
    "version (national tables computed and kept), `equity.school_page_warm` every later "
    "request (the unit's rows read, suppressed for an outside viewer, charted); neither is "
    "given as a ratio to a raw computation."
)

REFERENCE_LABEL = "övriga skolenheter i jämförelsen"
_STEPS = " ".join(f"WHEN '{grade}' THEN {step}" for grade, step in GRADE_STEPS.items())
_NOT_HELD = ", ".join(str(year) for year in sorted(NATIONAL_TESTS_NOT_HELD))
_TESTED = f"grade_year = 9 AND school_year NOT IN ({_NOT_HELD})"


def _bare_scan(snapshot: Snapshot) -> int:
    """Read exactly the rows and columns the comparison reads, once, aggregating trivially."""
    reads = {
        "final_grades": (COLUMNS["final_grades"], _TESTED),
        "national_tests": (COLUMNS["national_tests"], _TESTED),
        "enrolments": (COLUMNS["enrolments"], f"school_year NOT IN ({_NOT_HELD})"),
    }
    rows = 0
    for table, (columns, where) in reads.items():
        aggregates = ", ".join(f"min({column})" for column in columns)
        result = snapshot.query(f"SELECT count(*) AS n, {aggregates} FROM {table} WHERE {where}")
        rows += int(result["n"][0].as_py())
    return rows


ANALYST_SQL = f"""
WITH pairs AS (
    SELECT f.school_unit_code, f.subject_code, f.school_year, f.student_key,
           (CASE f.grade {_STEPS} END) - (CASE t.test_grade {_STEPS} END) AS diff
    FROM final_grades f
    JOIN national_tests t USING (school_year, student_key, subject_code)
    WHERE f.grade_year = 9 AND t.grade_year = 9 AND f.school_year NOT IN ({_NOT_HELD})
),
students AS (
    SELECT school_year, student_key, min(gender) AS gender,
           bool_or(born_abroad) AS born_abroad, bool_or(newly_arrived) AS newly_arrived,
           max(parents_education) AS parents_education
    FROM enrolments
    WHERE (school_year, student_key) IN (SELECT school_year, student_key FROM pairs)
    GROUP BY school_year, student_key
),
tagged AS (
    SELECT p.*, s.gender, s.born_abroad, s.newly_arrived, s.parents_education
    FROM pairs p LEFT JOIN students s USING (school_year, student_key)
    WHERE p.diff IS NOT NULL
),
grouped AS (
    SELECT *, 'all' AS grp FROM tagged
    UNION ALL
    SELECT *, CASE gender WHEN 'F' THEN 'girls' ELSE 'boys' END FROM tagged
    WHERE gender IN ('F', 'M')
    UNION ALL
    SELECT *, CASE WHEN born_abroad THEN '{BORN_ABROAD}' ELSE '{BORN_IN_SWEDEN}' END
    FROM tagged WHERE born_abroad IS NOT NULL
    UNION ALL
    SELECT *, '{NEWLY_ARRIVED}' FROM tagged WHERE newly_arrived
    UNION ALL
    SELECT *, CASE WHEN parents_education >= {PARENTS_HIGH_FROM} THEN '{PARENTS_HIGH}'
                   WHEN parents_education >= {PARENTS_MIDDLE_FROM} THEN '{PARENTS_MIDDLE}'
                   ELSE '{PARENTS_LOW}' END
    FROM tagged WHERE parents_education IS NOT NULL
)
SELECT school_unit_code, subject_code, school_year, grp AS "group",
       count(*) AS n, count_if(diff < 0) AS n_lower, count_if(diff = 0) AS n_same,
       count_if(diff > 0) AS n_higher, avg(diff) AS mean_step_difference
FROM grouped
GROUP BY school_unit_code, subject_code, school_year, grp
"""
"""The comparison as one plain SQL statement, the way an analyst would write it by hand."""

_CANONICAL = [*DIMS, "n", "n_lower", "n_same", "n_higher", "mean_step_difference"]


def _canonical(result: object) -> pd.DataFrame:
    """Any engine's result as a pandas frame of the compared columns in one row order."""
    if isinstance(result, pa.Table):
        frame = result.to_pandas()
    elif isinstance(result, pd.DataFrame):
        frame = result
    else:
        frame = result.table.to_pandas()  # type: ignore[attr-defined]
    return canonical_frame(frame, _CANONICAL, list(DIMS))


def _pandas(root: Path) -> pd.DataFrame:
    """Load the Parquet files and compute the comparison in pandas (what is timed)."""
    files: dict[str, Sequence[Path]] = {
        name: [root / p for p in paths] for name, paths in national_files(root).items()
    }
    frames = load_frames(files)
    return grade_vs_test_reference(
        frames["final_grades"], frames["national_tests"], frames["enrolments"]
    )


def _largest_unit(table: pa.Table) -> str:
    """The school unit with the most rows in the comparison (the heaviest page)."""
    counts = table.group_by("school_unit_code").aggregate([("n", "count")])
    best = pc.index(counts.column("n_count"), pc.max(counts.column("n_count")))
    return str(counts.column("school_unit_code")[best.as_py()].as_py())


def _page(snapshot: Snapshot, root: Path, unit: str, scale: float, out_dir: Path) -> int:
    """A school page's core work: kept tables (computed when missing), slice, suppress, chart."""
    key = version_key(snapshot.version, [str(root)])

    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        return derived_table(root, key, name, params, compute, filters=filters)

    units: UnitsSlice = kept_units_slice(
        keep=keep,
        open_snapshot=lambda: national_snapshot(scale, out_dir=out_dir),
        school_units=[unit],
        grade_year=9,
        data_version=snapshot.version,
        reference_label=REFERENCE_LABEL,
    )
    yearly = suppress(units.yearly, min_group=SKOLVERKET_THRESHOLDS).table
    patterns = suppress(units.patterns, min_group=SKOLVERKET_THRESHOLDS).table
    rows = yearly.to_pylist()
    points = [r for r in rows if r["group"] == "all" and r["share_higher"] is not None]
    return yearly.num_rows + patterns.num_rows + len(points)


def run(snapshot: Snapshot, scale: float, *, out_dir: Path = OUT_DIR) -> list[dict[str, object]]:
    """The national comparison against pandas, plain DuckDB SQL and the bare scan; a page."""
    root = national_root(scale, out_dir=out_dir)
    scanned = _bare_scan(snapshot)
    product = Engine("equity.grade_vs_test", lambda: grade_vs_test_by_school(snapshot), _canonical)
    results = compare(
        product,
        {
            "pandas": Engine("equity.pandas_reference", lambda: _pandas(root), _canonical),
            "sql": Engine("equity.duckdb_sql", lambda: snapshot.query(ANALYST_SQL), _canonical),
            "scan": Engine("equity.bare_scan", lambda: _bare_scan(snapshot)),
        },
        rows=scanned,
        repeat=3,
    )
    table: pa.Table = grade_vs_test_by_school(snapshot).table
    derived_root = out_dir / f"equity-page-{scale:g}"
    shutil.rmtree(derived_root / DERIVED_DIR, ignore_errors=True)
    unit = _largest_unit(table)
    started = time.perf_counter()
    _page(snapshot, derived_root, unit, scale, out_dir)
    cold_seconds = time.perf_counter() - started
    warm_seconds, page_rows = best_of(
        lambda: _page(snapshot, derived_root, unit, scale, out_dir), repeat=5
    )
    results[0]["result_rows"] = table.num_rows
    return [
        *results,
        {"name": "equity.school_page_cold", "seconds": cold_seconds, "rows": scanned},
        {"name": "equity.school_page_warm", "seconds": warm_seconds, "rows": page_rows},
    ]


def targets(results: list[dict[str, object]]) -> list[tuple[str, bool, str]]:
    """The issue's targets on this run: 10x pandas, within 3x the bare scan, page < 300 ms."""
    by_name = {str(r["name"]): r for r in results}
    checks: list[tuple[str, bool, str]] = []
    main = by_name.get("equity.grade_vs_test")
    if main is not None and "ratio_pandas" in main and "ratio_scan" in main:
        pandas_ratio = float(main["ratio_pandas"])  # type: ignore[arg-type]
        scan_ratio = float(main["ratio_scan"])  # type: ignore[arg-type]
        checks.append(("equity: >= 10x pandas", pandas_ratio >= 10, f"{pandas_ratio:.1f}x"))
        checks.append(("equity: <= 3x bare scan", scan_ratio >= 1 / 3, f"{1 / scan_ratio:.2f}x"))
    for name in ("equity.school_page_warm", "equity.school_page_cold"):
        if name in by_name:
            page = float(by_name[name]["seconds"])  # type: ignore[arg-type]
            checks.append((f"{name} < 300 ms", page < 0.3, f"{page * 1000:.0f} ms"))
    return checks
