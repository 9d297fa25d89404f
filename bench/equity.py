"""Grade versus national test: the analytics function, its pandas reference, a bare scan, a page.

``equity.grade_vs_test`` is ``grade_vs_test_by_school`` over the whole national snapshot (year
9, every group: all, girls/boys and the background groups), reading the Parquet files inside
its time. ``equity.pandas_reference`` is the vectorised pandas version of the same computation
(``bench/reference/equity.py``) over the same files, **load included** (reading the columns it
needs with the grade-year filter pushed down, then computing); its result is checked equal to
the analytics function's, row by row, before any number is reported. ``equity.bare_scan`` is
DuckDB reading every column the comparison reads, once (the floor for any query over them).
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

from bench.harness import OUT_DIR, best_of, national_files, national_root, national_snapshot
from bench.reference.equity import COLUMNS, grade_vs_test_reference, load_frames
from likvard_core.analytics.equity.grade_vs_test import DIMS, grade_vs_test_by_school
from likvard_core.analytics.equity.national import UnitsSlice, kept_units_slice
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress
from likvard_core.warehouse.derived import DERIVED_DIR, Filter, derived_table, version_key
from likvard_core.warehouse.snapshot import Snapshot

NOTES = (
    "`equity.grade_vs_test` is `grade_vs_test_by_school` over the whole snapshot (year 9, all "
    "groups incl. background); ratio to the bare scan = scan seconds over its own (target: "
    "at least 1/3). `equity.pandas_reference` is the vectorised pandas version of the same "
    "computation, Parquet load included (timed once, no warm-up); its result is checked equal "
    "row by row first. `equity.school_page_cold` is a school's page core on the first request "
    "of a data version (national tables computed and kept), `equity.school_page_warm` every "
    "later request (the unit's rows read, suppressed for an outside viewer, charted)."
)

SCAN_COLUMNS = {
    "final_grades": tuple(c for c in COLUMNS["final_grades"]),
    "national_tests": tuple(COLUMNS["national_tests"]),
    "enrolments": tuple(COLUMNS["enrolments"]),
}
REFERENCE_LABEL = "övriga skolenheter i jämförelsen"


def _bare_scan(snapshot: Snapshot) -> int:
    """Read every column the comparison reads, once, and aggregate it trivially."""
    rows = 0
    for table, columns in SCAN_COLUMNS.items():
        aggregates = ", ".join(f"min({column})" for column in columns)
        result = snapshot.query(f"SELECT count(*) AS n, {aggregates} FROM {table}")
        rows += int(result["n"][0].as_py())
    return rows


def _pandas(root: Path) -> pd.DataFrame:
    """Load the Parquet files and compute the comparison in pandas (what is timed)."""
    files: dict[str, Sequence[Path]] = {
        name: [root / p for p in paths] for name, paths in national_files(root).items()
    }
    frames = load_frames(files)
    return grade_vs_test_reference(
        frames["final_grades"], frames["national_tests"], frames["enrolments"]
    )


def _check_equal(table: pa.Table, frame: pd.DataFrame) -> None:
    """Raise unless the pandas reference and the analytics function agree on every row."""
    ours = table.select([*DIMS, "n", "n_lower", "n_same", "n_higher"]).to_pandas()
    ours = ours.sort_values(list(DIMS), ignore_index=True)
    theirs = frame.sort_values(list(DIMS), ignore_index=True)
    if len(ours) != len(theirs):
        raise RuntimeError(f"row counts differ: {len(ours)} and {len(theirs)}")
    for column in (*DIMS, "n", "n_lower", "n_same", "n_higher"):
        if ours[column].astype(str).tolist() != theirs[column].astype(str).tolist():
            raise RuntimeError(f"the pandas reference disagrees on column {column}")


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
    """Seconds for the national comparison, pandas, the bare scan and a school's page."""
    repeat = 3
    root = national_root(scale, out_dir=out_dir)
    scan_seconds, scanned = best_of(lambda: _bare_scan(snapshot), repeat=repeat)
    seconds, aggregate = best_of(lambda: grade_vs_test_by_school(snapshot), repeat=repeat)
    table: pa.Table = aggregate.table  # type: ignore[attr-defined]
    pandas_seconds, frame = best_of(lambda: _pandas(root), repeat=1, warmup=False)
    assert isinstance(frame, pd.DataFrame)  # best_of returns the result as object
    _check_equal(table, frame)
    derived_root = out_dir / f"equity-page-{scale:g}"
    shutil.rmtree(derived_root / DERIVED_DIR, ignore_errors=True)
    unit = _largest_unit(table)
    started = time.perf_counter()
    _page(snapshot, derived_root, unit, scale, out_dir)
    cold_seconds = time.perf_counter() - started
    warm_seconds, page_rows = best_of(
        lambda: _page(snapshot, derived_root, unit, scale, out_dir), repeat=5
    )
    return [
        {"name": "equity.grade_vs_test", "seconds": seconds, "rows": scanned,
         "scan": "equity.bare_scan", "pandas": "equity.pandas_reference",
         "result_rows": table.num_rows},
        {"name": "equity.bare_scan", "seconds": scan_seconds, "rows": scanned},
        {"name": "equity.pandas_reference", "seconds": pandas_seconds, "rows": scanned},
        {"name": "equity.school_page_cold", "seconds": cold_seconds, "rows": scanned},
        {"name": "equity.school_page_warm", "seconds": warm_seconds, "rows": page_rows},
    ]  # fmt: skip


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
