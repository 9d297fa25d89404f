"""Joint suppression of one region's whole equity release, and the auditor over it.

At national scale (every municipality of the generated data set), for one region (its
municipalities from the reference data) and grade year 9: every school unit's yearly rows
(all years, every group) and patterns, as the school pages release them, decided as **one**
cube (``suppress_cube``: groups, years tied to their patterns, ``n_lower``/``n_same``/
``n_higher`` as parts), once, for a viewer who knows nothing. Then the independent auditor
(``likvard_core.audit``) gathers the released tables with its own ties and bounds every
hidden cell with HiGHS. Both are timed once (no warm-up: a decision is made once per data
version and viewer class and then cached).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the gate's decisions depend on it

import argparse
import csv
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

import pyarrow as pa
import pyarrow.parquet as pq

from bench.harness import (
    OUT_DIR,
    REFERENCE_DIR,
    load_average,
    national_root,
    national_snapshot,
)
from likvard_core.analytics.equity.kept import kept_units_slice
from likvard_core.analytics.equity.national import UnitsSlice
from likvard_core.audit.audit import AuditResult, audit
from likvard_core.audit.model import ReleasedTable, Span, Total
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.disclosure.suppress import (
    SKOLVERKET_THRESHOLDS,
    STATUS_COLUMN,
    SuppressedTable,
    suppress_cube,
)
from likvard_core.terms import ValueStatus
from likvard_core.warehouse.derived import Filter, derived_table, version_key
from likvard_core.warehouse.snapshot import Snapshot

NOTES = (
    "`disclosure.region_cube.<region>` is the joint suppression of the region's whole equity "
    "release (grade 9: every unit's yearly rows of every year and group, with their patterns "
    "and outcome counts as parts) as one cube, on the national data set (the region's units "
    "are those whose students live mostly in its municipalities); `disclosure.audit.<region>` "
    "the independent auditor over the released tables (its own ties, HiGHS bounds of every "
    "hidden cell). Timed once each; `rows` is the cube's rows. Before a time is written the "
    "release is checked (every row kept, shown counts true, no count under the minimum shown, "
    "hidden rows without figures) and the auditor must find hidden cells and none exposed."
)
REGIONS = ("SKARABORG", "GR")
REFERENCE_LABEL = "övriga skolenheter i jämförelsen"
_GROUPS = Total(
    "all",
    partitions=(
        ("girls", "boys"),
        ("born_abroad", "born_in_sweden"),
        ("parents_low", "parents_middle", "parents_high"),
        ("newly_arrived",),
    ),
)


NATION = "NATION"
"""Every school unit of the country (``NATION:<n>``: the first ``n`` of them by unit code;
``NATION:<i>/<k>``: the ``i``-th of ``k`` equal slices of them by unit code)."""


def region_units(snapshot: Snapshot, region: str) -> list[str]:
    """The school units of ``region``: those whose students live mostly in its municipalities
    (reference data); the generated national units carry no municipality of their own.

    ``NATION`` is every unit of the country that has grade 9 final grades, ``NATION:<n>``
    the first ``n`` of those by unit code (to measure how the cost grows with the units), and
    ``NATION:<i>/<k>`` the ``i``-th (from 1) of ``k`` slices by unit code: the release has no
    tie between units, so the country is decided and audited as the sum of its slices, each
    a heavy run of its own."""
    if region == NATION or region.startswith(f"{NATION}:"):
        table = snapshot.query(
            "SELECT DISTINCT school_unit_code FROM final_grades WHERE grade_year = 9 "
            "ORDER BY school_unit_code"
        )
        units = [str(u) for u in table.column("school_unit_code").to_pylist()]
        _, _, first = region.partition(":")
        if "/" in first:
            part, _, parts = first.partition("/")
            number, count = int(part), int(parts)
            if not 1 <= number <= count:
                raise ValueError(f"{region}: the slice must be 1 to {count}")
            return units[(number - 1) * len(units) // count : number * len(units) // count]
        return units[: int(first)] if first else units
    with (REFERENCE_DIR / "regions.csv").open(encoding="utf-8") as handle:
        municipalities = sorted(
            r["municipality_code"] for r in csv.DictReader(handle) if r["region_code"] == region
        )
    table = snapshot.query(
        "SELECT school_unit_code, mode(home_municipality_code) AS home FROM enrolments "
        "GROUP BY school_unit_code"
    )
    wanted = set(municipalities)
    return sorted(
        str(u)
        for u, home in zip(
            table.column("school_unit_code").to_pylist(),
            table.column("home").to_pylist(),
            strict=True,
        )
        if home in wanted
    )


def _slice(
    snapshot: Snapshot, root: Path, units: Sequence[str], scale: float, out_dir: Path
) -> UnitsSlice:
    key = version_key(snapshot.version, [str(root)])

    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        return derived_table(root, key, name, params, compute, filters=filters)

    return kept_units_slice(
        keep=keep,
        open_snapshot=lambda: national_snapshot(scale, out_dir=out_dir),
        school_units=units,
        grade_year=9,
        data_version=snapshot.version,
        reference_label=REFERENCE_LABEL,
    )


def _audited(yearly: pa.Table, patterns: pa.Table) -> list[ReleasedTable]:
    """The released tables as the auditor describes them (its own ties, not the gate's)."""
    dims = ("school_unit_code", "subject_code", "school_year", "group")
    first = ReleasedTable(
        analysis="equity",
        name="yearly",
        family="equity.9",
        dims=dims,
        counts=("n", "n_lower", "n_same", "n_higher"),
        rows=yearly.to_pylist(),
        min_group=SKOLVERKET_THRESHOLDS.default,
        min_group_where=dict(SKOLVERKET_THRESHOLDS.by_dim),
        totals={"group": _GROUPS},
        parts={"n": ("n_lower", "n_same", "n_higher")},
    )
    second = ReleasedTable(
        analysis="equity",
        name="patterns",
        family="equity.9",
        dims=("school_unit_code", "subject_code", "group"),
        counts=("n",),
        rows=patterns.to_pylist(),
        min_group=SKOLVERKET_THRESHOLDS.default,
        min_group_where=dict(SKOLVERKET_THRESHOLDS.by_dim),
        totals={"group": _GROUPS},
        span=Span(),
    )
    return [first, second]


def _check_release(cube: Mapping[str, Aggregate], released: Mapping[str, SuppressedTable]) -> None:
    """The release is what the gate promises before any time of it is written: every row
    kept in order, shown rows with their true counts, hidden rows without figures, and no
    shown count between 0 and the minimum group (10 for a school unit's cells)."""
    floor = SKOLVERKET_THRESHOLDS.by_dim.get("school_unit_code", SKOLVERKET_THRESHOLDS.default)
    for name, aggregate in cube.items():
        table = released[name].table
        if table.num_rows != aggregate.table.num_rows:
            raise RuntimeError(
                f"{name}: {table.num_rows} rows released of {aggregate.table.num_rows}"
            )
        truth = aggregate.table.column(aggregate.count).to_pylist()
        shown = table.column(aggregate.count).to_pylist()
        statuses = table.column(STATUS_COLUMN).to_pylist()
        for true, seen, status in zip(truth, shown, statuses, strict=True):
            if status == ValueStatus.EXISTS.value:
                if seen != true:
                    raise RuntimeError(f"{name}: a shown count {seen} is not the true {true}")
                if 0 < int(true) < floor:
                    raise RuntimeError(f"{name}: a count of {true} is shown")
            elif seen is not None:
                raise RuntimeError(f"{name}: a hidden row keeps its count")


def _check_audit(result: AuditResult, hidden_rows: int, keep: Path | None = None) -> None:
    """The auditor saw the hidden cells and found none exposed (else no figure is written;
    the exposed cells are written to ``keep``/findings.txt first, when given)."""
    hidden = sum(s.hidden for s in result.summaries)
    if hidden_rows and not hidden:
        raise RuntimeError("the auditor saw no hidden cell of a release with hidden rows")
    if result.exposed:
        if keep is not None:
            lines = [f.describe() for f in result.findings]
            (keep / "findings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        raise RuntimeError(f"the auditor found {result.exposed} exposed cells")


def run(
    snapshot: Snapshot,
    scale: float,
    *,
    out_dir: Path = OUT_DIR,
    regions: Sequence[str] = REGIONS,
    log: Callable[[str], None] = lambda _line: None,
) -> list[dict[str, object]]:
    """Seconds for each region's joint equity release and for the auditor over it."""
    national_root(scale, out_dir=out_dir)
    derived_root = out_dir / f"equity-page-{scale:g}"
    results: list[dict[str, object]] = []
    for region in regions:
        units = region_units(snapshot, region)
        kept = _slice(snapshot, derived_root, units, scale, out_dir)
        yearly = replace(kept.yearly, margins=(*kept.yearly.margins, "school_year"))
        rows = yearly.table.num_rows + kept.patterns.table.num_rows
        log(f"{region}: {len(units)} units, {rows} rows, cube ...")
        started, cpu = time.perf_counter(), time.process_time()
        released = suppress_cube(
            {"yearly": yearly, "patterns": kept.patterns}, min_group=SKOLVERKET_THRESHOLDS
        )
        cube_seconds = time.perf_counter() - started
        cube_cpu = time.process_time() - cpu
        log(f"{region}: cube {cube_seconds:.1f} s (process CPU {cube_cpu:.1f} s), "
            f"load {load_average():.1f}")  # fmt: skip
        _check_release({"yearly": yearly, "patterns": kept.patterns}, released)
        keep = out_dir / f"disclosure-{region}-{scale:g}"
        keep.mkdir(parents=True, exist_ok=True)
        for name, table in released.items():  # to audit again without deciding again
            pq.write_table(table.table, keep / f"{name}.parquet")
        tables = _audited(released["yearly"].table, released["patterns"].table)
        started, cpu = time.perf_counter(), time.process_time()
        result = audit(tables)
        audit_seconds = time.perf_counter() - started
        audit_cpu = time.process_time() - cpu
        hidden = sum(r.hidden_rows for r in released.values())
        log(f"{region}: audit {audit_seconds:.1f} s (process CPU {audit_cpu:.1f} s), "
            f"{hidden} hidden rows, "
            f"{sum(s.hidden for s in result.summaries)} hidden cells, {result.exposed} exposed, "
            f"load {load_average():.1f}")  # fmt: skip
        _check_audit(result, hidden, keep)
        results += [
            {"name": f"disclosure.region_cube.{region}", "seconds": cube_seconds, "rows": rows,
             "scale": scale, "cpu_seconds": cube_cpu,
             "units": len(units), "hidden_rows": hidden, "load": load_average()},
            {"name": f"disclosure.audit.{region}", "seconds": audit_seconds, "rows": rows,
             "scale": scale, "cpu_seconds": audit_cpu,
             "released_cells": sum(s.released for s in result.summaries),
             "hidden_cells": sum(s.hidden for s in result.summaries),
             "exposed": result.exposed, "load": load_average()},
        ]  # fmt: skip
    return results


def audit_kept(
    out_dir: Path, region: str, scale: float, log: Callable[[str], None]
) -> dict[str, object]:
    """The auditor alone over the release an earlier ``run`` kept for ``region``."""
    keep = out_dir / f"disclosure-{region}-{scale:g}"
    yearly, patterns = (pq.read_table(keep / f"{n}.parquet") for n in ("yearly", "patterns"))
    rows = yearly.num_rows + patterns.num_rows
    hidden = sum(
        t.num_rows - t.column(STATUS_COLUMN).to_pylist().count(ValueStatus.EXISTS.value)
        for t in (yearly, patterns)
    )
    started, cpu = time.perf_counter(), time.process_time()
    result = audit(_audited(yearly, patterns))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    cells = sum(s.hidden for s in result.summaries)
    log(f"{region}: audit {seconds:.1f} s (process CPU {cpu:.1f} s), {hidden} hidden rows, "
        f"{cells} hidden cells, "
        f"{result.exposed} exposed, load {load_average():.1f}")  # fmt: skip
    _check_audit(result, hidden, keep)
    return {"name": f"disclosure.audit.{region}", "seconds": seconds, "rows": rows,
            "scale": scale, "cpu_seconds": cpu, "hidden_cells": cells, "exposed": result.exposed,
            "released_cells": sum(s.released for s in result.summaries),
            "load": load_average()}  # fmt: skip


def _sampler(path: Path, every: float = 0.2) -> Callable[[], None]:
    """A sampling profile of the main thread: every ``every`` seconds the functions on its
    stack are counted (inclusive, and the innermost one alone), written to ``path`` each
    minute and at the end, so a run stopped before it ends still says where its time went."""
    main = threading.main_thread().ident
    inclusive: Counter[str] = Counter()
    innermost: Counter[str] = Counter()
    samples = [0]
    stop = threading.Event()

    def where(frame: FrameType) -> str:
        code = frame.f_code
        return f"{Path(code.co_filename).name}:{code.co_name}"

    def write() -> None:
        lines = [f"samples {samples[0]} every {every} s", "", "inclusive:"]
        lines += [f"{n:7d} {name}" for name, n in inclusive.most_common(60)]
        lines += ["", "innermost:"]
        lines += [f"{n:7d} {name}" for name, n in innermost.most_common(40)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def loop() -> None:
        last = time.monotonic()
        while not stop.wait(every):
            frame = sys._current_frames().get(main or 0)
            if frame is None:
                continue
            samples[0] += 1
            innermost[where(frame)] += 1
            seen = set()
            while frame is not None:
                seen.add(where(frame))
                frame = frame.f_back
            inclusive.update(seen)
            if time.monotonic() - last > 60:
                write()
                last = time.monotonic()
        write()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()

    def finish() -> None:
        stop.set()
        thread.join()

    return finish


def main(argv: Sequence[str] | None = None) -> int:
    """One or more regions at a scale, each timed, results as JSON lines on stdout:
    ``python -m bench.disclosure --scale 1 --out-dir DIR --region GR [--profile FILE]``
    (a heavy run split by region; ``make bench`` runs both regions through ``bench.run``)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--region", action="append", help="region code, NATION, NATION:<n> or NATION:<i>/<k>"
    )
    parser.add_argument("--profile", type=Path, help="write a sampling profile here")
    parser.add_argument(
        "--audit-only", action="store_true", help="audit the release a run kept, decide nothing"
    )
    args = parser.parse_args(argv)
    finish = _sampler(args.profile) if args.profile else None

    def log(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)

    try:
        if args.audit_only:
            for region in args.region or REGIONS:
                print(json.dumps(audit_kept(args.out_dir, region, args.scale, log)), flush=True)
            return 0
        with national_snapshot(args.scale, out_dir=args.out_dir) as snapshot:
            for result in run(snapshot, args.scale, out_dir=args.out_dir,
                              regions=args.region or REGIONS, log=log):  # fmt: skip
                print(json.dumps(result), flush=True)
    finally:
        if finish is not None:
            finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
