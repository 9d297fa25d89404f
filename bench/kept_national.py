"""Kept tables after one municipality's yearly files, at national scale (issue #18).

``DJANGO_SETTINGS_MODULE=likvard.settings.dev python -m bench.kept_national`` reads the
national data set (``bench/out/national-1``, never written to) and builds, in a warehouse
folder of its own (``--work``, default ``var/kept-national``; the national files are linked,
not copied), two data versions:

- *before*: the nation without one municipal organizer's rows of the newest school year (its
  school units' enrolments, final grades, national tests, course grades and admissions of that
  year are cut out of the national files of that year);
- *after*: *before* plus those rows as a batch of their own (a few thousand rows per file),
  as when that municipality imports its yearly files.

It keeps *before*'s tables (every kept-table warmer), then times, on copies of *after* under
fresh labels, every kept-table warmer computing anew (the full national warm-up) and every
kept-table warmer updating *before*'s tables (``previous=before``); it checks every kept
table of the update equal to the one computed anew (every row and column) and prints the
seconds, the ratio and the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import django

NATIONAL = Path(__file__).resolve().parent / "out" / "national-1"
_TABLES = ("enrolments", "final_grades", "national_tests", "course_grades", "admissions")


CPU: dict[str, float] = {}
"""Process CPU seconds (every thread) of each timed step, by the step's name."""


def _timed(work: Callable[[], object], name: str = "") -> float:
    start, cpu = time.perf_counter(), time.process_time()
    work()
    if name:
        CPU[name] = time.process_time() - cpu
    return time.perf_counter() - start


def _organizer_units(source: Path, year: int) -> tuple[str, list[str]]:
    """A municipal organizer with a few thousand enrolments in ``year`` and its units."""
    import duckdb  # noqa: PLC0415

    path = source / "batches" / "national" / "enrolments" / f"{year}.parquet"
    con = duckdb.connect()  # noqa: TID251  (the bench's own file preparation)
    try:
        row = con.execute(
            "WITH o AS (SELECT organizer_code, count(*) AS n, "
            "count(*) FILTER (WHERE grade_year = 9) AS g9, "
            "count(*) FILTER (WHERE school_form = 'gymnasieskola') AS gy "
            "FROM read_parquet($p) WHERE organizer_code LIKE '212%' GROUP BY ALL) "
            "SELECT organizer_code FROM o WHERE g9 > 0 AND gy > 0 "
            "ORDER BY abs(n - 4000), organizer_code LIMIT 1",
            {"p": str(path)},
        ).fetchone()
        assert row is not None
        units = con.execute(
            "SELECT DISTINCT school_unit_code FROM read_parquet($p) "
            "WHERE organizer_code = $o ORDER BY 1",
            {"p": str(path), "o": row[0]},
        ).fetchall()
    finally:
        con.close()
    return str(row[0]), [str(u[0]) for u in units]


def prepare(work: Path, source: Path) -> tuple[dict[str, list[str]], dict[str, list[str]], str]:
    """The *before* files, the batch's files and the organizer (files relative to ``work``)."""
    import pyarrow.compute as pc  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    base = source / "batches" / "national"
    year = max(int(p.stem) for p in (base / "enrolments").glob("*.parquet"))
    marker = work / "PREPARED"
    organizer, units = _organizer_units(source, year)
    wanted = __import__("pyarrow").array(units)
    before: dict[str, list[str]] = {}
    batch: dict[str, list[str]] = {}
    for table in sorted(p.name for p in base.iterdir() if p.is_dir()):
        for path in sorted((base / table).glob("*.parquet")):
            if int(path.stem) != year or table not in _TABLES:
                link = work / "batches" / "national" / table / path.name
                if not marker.exists():
                    link.parent.mkdir(parents=True, exist_ok=True)
                    link.unlink(missing_ok=True)
                    os.link(path, link)  # a hard link: no copy, and the original stays
                before.setdefault(table, []).append(link.relative_to(work).as_posix())
                continue
            rest = work / "batches" / "national" / table / f"{year}-rest.parquet"
            mine = work / "batches" / "municipality" / table / f"{year}.parquet"
            if not marker.exists():
                data = pq.read_table(path)
                inside = pc.is_in(data.column("school_unit_code"), wanted)
                for target, rows in ((rest, pc.invert(inside)), (mine, inside)):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    pq.write_table(data.filter(rows), target)
            before.setdefault(table, []).append(rest.relative_to(work).as_posix())
            batch.setdefault(table, []).append(mine.relative_to(work).as_posix())
    marker.write_text(organizer)
    _index(work, before, batch)
    return before, batch, organizer


def _index(work: Path, *versions: dict[str, list[str]]) -> None:
    """Index the files' row groups by student as their import would (``row_groups``), off
    the update's clock; print each table's files built, CPU seconds and megabytes kept."""
    from likvard_core.warehouse.row_groups import (  # noqa: PLC0415
        INDEXED_TABLES,
        index_build,
        index_path,
    )

    for table in sorted({t for v in versions for t in v} & INDEXED_TABLES):
        paths = sorted({p for v in versions for p in v.get(table, [])})
        cpu, built, size = time.process_time(), 0, 0
        for relative in paths:
            built += index_build(work, relative)
            kept = index_path(work, relative)
            size += kept.stat().st_size if kept is not None and kept.is_file() else 0
        if size:
            print(f"row-group indexes {table}: {built} built in "
                  f"{time.process_time() - cpu:.2f} s CPU, {len(paths)} files' {size / 1e6:.1f} MB",
                  flush=True)  # fmt: skip


def main() -> None:
    """Print the timings (seconds), the ratio, the load and whether the tables are equal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("var") / "kept-national")
    parser.add_argument("--source", type=Path, default=NATIONAL)
    parser.add_argument("--keep", action="store_true", help="Keep the bench's kept tables.")
    parser.add_argument(
        "--only", default="", help="Comma-separated warmers to time (default: every one)."
    )
    parser.add_argument(
        "--profile", action="store_true", help="Print where the update's time goes (cProfile)."
    )
    parser.add_argument(
        "--cpu-profile",
        action="store_true",
        help="Profile the update by process CPU time (every thread), not wall time: under "
        "other work the wall time is mostly waiting for a core or the disk.",
    )
    args = parser.parse_args()
    django.setup()
    from django.conf import settings  # noqa: PLC0415

    from likvard.warehouse import warm  # noqa: PLC0415
    from likvard.warehouse.selectors import VersionRef, data_version_pinned  # noqa: PLC0415
    from likvard_core.warehouse.derived import DERIVED_DIR  # noqa: PLC0415

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    before_files, batch_files, organizer = prepare(work, args.source.resolve())
    settings.LIKVARD_WAREHOUSE_DIR = work
    after_files = {t: [*before_files.get(t, []), *batch_files.get(t, [])] for t in before_files}
    stamp = time.strftime("%H%M%S")
    before = VersionRef(label="kept-before", files=before_files)  # kept between runs
    full = VersionRef(label=f"kept-full-{stamp}", files=after_files)
    updated = VersionRef(label=f"kept-updated-{stamp}", files=after_files)
    with VersionRef(label="batch", files=batch_files).open() as db:
        rows = {t: int(db.query(f'SELECT count(*) AS n FROM "{t}"')["n"][0].as_py())
                for t in batch_files}  # fmt: skip
    print(f"batch: organizer {organizer}, rows {rows}", flush=True)
    print(f"load before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")

    chosen = {n.strip() for n in args.only.split(",") if n.strip()}
    warmers = {n: w for n, w in warm._WARMERS.items() if not chosen or n in chosen}
    print(f"warmers: {', '.join(warmers)}", flush=True)
    seconds: dict[str, float] = {}
    with data_version_pinned(before):
        for name, warmer in warmers.items():
            seconds[f"before {name}"] = _timed(lambda w=warmer: w(before), f"before {name}")  # type: ignore[misc]
            _show(f"before {name}", seconds)
    with data_version_pinned(full):
        for name, warmer in warmers.items():
            seconds[f"anew {name}"] = _timed(lambda w=warmer: w(full), f"anew {name}")  # type: ignore[misc]
            _show(f"anew {name}", seconds)
    _time_updates(warmers, updated, before, seconds, profile=args.profile, cpu=args.cpu_profile)
    print(f"load after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    root = work / DERIVED_DIR
    same = _same_tables(root / full.key, root / updated.key)
    anew = sum(v for k, v in seconds.items() if k.startswith("anew "))
    update = sum(v for k, v in seconds.items() if k.startswith("updated "))
    for name, value in seconds.items():
        print(f"| {name} | {value:.2f} | {CPU.get(name, float('nan')):.2f} |")
    print(f"| kept tables anew | {anew:.2f} |")
    print(f"| kept tables updated | {update:.2f} |")
    print(f"updated / anew: {update / anew:.1%}")
    print(f"tables equal: {same}")
    if not args.keep:
        for version in (full, updated):
            shutil.rmtree(root / version.key, ignore_errors=True)


def _time_updates(
    warmers: dict[str, Callable[..., object]],
    updated: object,
    before: object,
    seconds: dict[str, float],
    *,
    profile: bool,
    cpu: bool = False,
) -> None:
    """Time every warmer updating ``before``'s tables for ``updated``, maybe profiled (by
    wall time, or with ``cpu`` by the process's CPU time)."""
    from likvard.warehouse.selectors import data_version_pinned  # noqa: PLC0415

    profiler = None
    if cpu:
        profiler = cProfile.Profile(time.process_time)
    elif profile:
        profiler = cProfile.Profile()
    with data_version_pinned(updated):  # type: ignore[arg-type]
        for name, warmer in warmers.items():
            if profiler is not None:
                profiler.enable()
            update = functools.partial(warmer, updated, previous=before)
            seconds[f"updated {name}"] = _timed(update, f"updated {name}")
            if profiler is not None:
                profiler.disable()
            _show(f"updated {name}", seconds)
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        if out := os.environ.get("KEPT_PROFILE_OUT"):
            stats.dump_stats(out)


def _show(name: str, seconds: dict[str, float]) -> None:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    cpu = f", {CPU[name]:.2f} s CPU" if name in CPU else ""
    print(f"{time.strftime('%H:%M:%S')} {name}: {seconds[name]:.2f} s{cpu} (load {load})",
          flush=True)  # fmt: skip


def _same_tables(left: Path, right: Path) -> dict[str, bool]:
    import pyarrow.parquet as pq  # noqa: PLC0415

    names = sorted(
        {p.name for p in left.glob("*.parquet")} | {p.name for p in right.glob("*.parquet")}
    )
    result: dict[str, bool] = {}
    for name in names:
        a, b = left / name, right / name
        result[name] = a.is_file() and b.is_file() and _equal(pq.read_table(a), pq.read_table(b))
    return result


def _equal(left: object, right: object) -> bool:
    """Every row and column equal, NaN equal to NaN (a lone unit's rate has none)."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    assert isinstance(left, pa.Table)
    assert isinstance(right, pa.Table)
    if left.schema != right.schema or left.num_rows != right.num_rows:
        return False
    for name in left.schema.names:
        a, b = left.column(name), right.column(name)
        if pa.types.is_floating(a.type):
            same = pc.or_kleene(pc.equal(a, b), pc.and_(pc.is_nan(a), pc.is_nan(b)))
            nulls = pc.equal(pc.is_null(a), pc.is_null(b))
            if not (pc.all(pc.fill_null(same, True)).as_py() and pc.all(nulls).as_py()):
                return False
        elif not a.equals(b):
            return False
    return True


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "likvard.settings.dev")
    main()
