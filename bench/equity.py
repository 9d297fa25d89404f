"""Grade versus national test: the analytics function, its pandas reference and a bare scan.

``grade_vs_test_by_school`` runs over the whole national snapshot and is compared with DuckDB
scanning just the columns it reads (the floor for any query over those files). The pandas
reference loops over groups in Python, so it is timed on a sample (the latest school year,
the first ``SAMPLE_UNITS`` school units by code), against the analytics function on that same
sample (the ratio compares like with like); its input frames (that year) are loaded before
the clock starts, while the analytics function reads the Parquet files inside its time.
"""

from __future__ import annotations

from pathlib import Path

from bench.harness import OUT_DIR, best_of
from bench.reference.equity import grade_vs_test_reference
from likvard_core.analytics.equity.grade_vs_test import grade_vs_test_by_school
from likvard_core.warehouse.snapshot import Snapshot

NOTES = (
    "`equity.grade_vs_test` is `grade_vs_test_by_school` over the whole snapshot; its ratio is "
    "the bare scan's seconds (DuckDB reading every column it reads) over its own. The pandas "
    "reference loops over groups in Python, so both run on a sample (latest school year, the "
    "first 40 school units by code); the pandas frames are loaded before its clock starts."
)
SAMPLE_UNITS = 40
"""School units in the pandas comparison (its group loop is too slow for the whole nation)."""

SCAN_COLUMNS = {
    "final_grades": (
        "school_year",
        "student_key",
        "school_unit_code",
        "grade_year",
        "subject_code",
        "grade",
    ),
    "national_tests": ("school_year", "student_key", "grade_year", "subject_code", "test_grade"),
    "enrolments": ("school_year", "student_key", "gender"),
}


def _bare_scan(snapshot: Snapshot) -> int:
    """Read every column the comparison reads, once, and aggregate it trivially."""
    rows = 0
    for table, columns in SCAN_COLUMNS.items():
        aggregates = ", ".join(f"min({column})" for column in columns)
        result = snapshot.query(f"SELECT count(*) AS n, {aggregates} FROM {table}")
        rows += int(result["n"][0].as_py())
    return rows


def _sample(snapshot: Snapshot) -> tuple[int, list[str]]:
    """The latest school year and up to ``SAMPLE_UNITS`` of its school units (first by code)."""
    year = int(snapshot.query("SELECT max(school_year) AS y FROM final_grades")["y"][0].as_py())
    units = snapshot.query(
        "SELECT DISTINCT school_unit_code AS u FROM final_grades WHERE school_year = $year "
        "ORDER BY u LIMIT $limit",
        {"year": year, "limit": SAMPLE_UNITS},
    )
    return year, [str(unit) for unit in units["u"].to_pylist()]


def run(snapshot: Snapshot, scale: float, *, out_dir: Path = OUT_DIR) -> list[dict[str, object]]:
    """Seconds for the national comparison, the bare scan, and both engines on one year."""
    del scale, out_dir
    repeat = 3
    scan_seconds, scanned = best_of(lambda: _bare_scan(snapshot), repeat=repeat)
    seconds, aggregate = best_of(lambda: grade_vs_test_by_school(snapshot), repeat=repeat)
    year, units = _sample(snapshot)
    frames = {
        name: snapshot.query(
            f"SELECT {', '.join(columns)} FROM {name} WHERE school_year = $year",
            {"year": year},
        ).to_pandas()
        for name, columns in SCAN_COLUMNS.items()
    }
    pandas_seconds, reference = best_of(
        lambda: grade_vs_test_reference(
            frames["final_grades"],
            frames["national_tests"],
            frames["enrolments"],
            school_units=units,
            years=[year],
        ),
        repeat=1,
    )
    year_seconds, year_aggregate = best_of(
        lambda: grade_vs_test_by_school(snapshot, years=[year], school_units=units),
        repeat=repeat,
    )
    year_rows = sum(len(frame) for frame in frames.values())
    if len(reference) != year_aggregate.table.num_rows:  # type: ignore[arg-type, attr-defined]
        raise RuntimeError("the analytics function and the pandas reference disagree on rows")
    return [
        {
            "name": "equity.grade_vs_test",
            "seconds": seconds,
            "rows": scanned,
            "scan": "equity.bare_scan",
            "result_rows": aggregate.table.num_rows,  # type: ignore[attr-defined]
        },
        {"name": "equity.bare_scan", "seconds": scan_seconds, "rows": scanned},
        {
            "name": "equity.grade_vs_test_sample",
            "seconds": year_seconds,
            "rows": year_rows,
            "pandas": "equity.pandas_reference_sample",
        },
        {"name": "equity.pandas_reference_sample", "seconds": pandas_seconds, "rows": year_rows},
    ]
