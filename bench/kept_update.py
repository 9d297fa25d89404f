"""Kept tables after one batch: updated from the previous version vs computed anew (issue #18).

``DJANGO_SETTINGS_MODULE=likvard.settings.dev python -m bench.kept_update [--kind final_grades]``
on the demo (or any installation). It takes the newest data version and drops the newest
committed batch of ``--kind`` from it to make "the version before that import". Then it
times, on copies of the two versions with fresh labels (so nothing already kept is reused):

- every kept-table warmer (equity, movement, quality) on the new version computed anew, and
  the release warmers after them: what a full warm-up costs today;
- the equity warmer on the new version given the previous one's kept tables
  (``likvard.analyses.equity.updates``): only the batch's school years counted again;

checks that the updated equity tables equal the ones computed anew (every row of the four
tables of every grade year), prints the seconds and ratios, and removes the tables it kept.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import django


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    """Print the timings (seconds), ratios and whether the updated tables are equal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="final_grades", help="Kind of the batch to re-import.")
    parser.add_argument("--keep", action="store_true", help="Keep the bench's tables.")
    parser.add_argument("--no-releases", action="store_true", help="Skip the release warmers.")
    args = parser.parse_args()
    django.setup()
    from django.conf import settings  # noqa: PLC0415

    from likvard.analyses.equity.services import GRADE_YEARS, equity_tables_warm  # noqa: PLC0415
    from likvard.warehouse import warm  # noqa: PLC0415
    from likvard.warehouse.models import BatchStatus, ImportBatch  # noqa: PLC0415
    from likvard.warehouse.selectors import (  # noqa: PLC0415
        VersionRef,
        data_version_newest,
        data_version_pinned,
        version_changed_years,
    )
    from likvard_core.warehouse.derived import DERIVED_DIR  # noqa: PLC0415

    newest = data_version_newest()
    batch = (
        ImportBatch.objects.filter(status=BatchStatus.COMMITTED, kind=args.kind)
        .order_by("-imported_at")
        .first()
    )
    if batch is None:
        raise SystemExit(f"no committed {args.kind} batch")
    dropped = {p for paths in batch.files.values() for p in paths}
    before_files = {t: [p for p in ps if p not in dropped] for t, ps in newest.files.items()}
    stamp = time.strftime("%H%M%S")
    before = VersionRef(label=f"bench-before-{stamp}", files=before_files)
    full = VersionRef(label=f"bench-full-{stamp}", files=newest.files)
    updated = VersionRef(label=f"bench-updated-{stamp}", files=newest.files)
    years = version_changed_years(before, full, tables=list(batch.files))
    rows = sum(int(n) for n in batch.rows.values())
    print(f"load average before: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print(f"batch: {batch.kind}, {rows} rows, school years {sorted(years or [])}")

    seconds: dict[str, float] = {}
    with data_version_pinned(before):
        equity_tables_warm(before, previous=None)  # the previous version's tables, kept
    with data_version_pinned(full):
        for name, warmer in warm._WARMERS.items():
            seconds[name] = _timed(lambda w=warmer: w(full))  # type: ignore[misc]
        for name, warmer in warm._RELEASE_WARMERS.items():
            if args.no_releases:
                break
            seconds[f"release.{name}"] = _timed(lambda w=warmer: w(full))  # type: ignore[misc]
    with data_version_pinned(updated):
        seconds["equity updated"] = _timed(lambda: equity_tables_warm(updated, previous=before))

    root = Path(settings.LIKVARD_WAREHOUSE_DIR) / DERIVED_DIR
    equal = _same_tables(root / full.key, root / updated.key, prefix="equity_")
    _report(seconds)
    print(f"grade years {list(GRADE_YEARS)}; updated tables equal to anew: {equal}")
    print(f"tables: {root / full.key} {root / updated.key}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if not args.keep:
        for version in (before, full, updated):
            shutil.rmtree(root / version.key, ignore_errors=True)


def _report(seconds: dict[str, float]) -> None:
    kept_tables = sum(v for k, v in seconds.items() if not k.startswith(("release.", "equity ")))
    releases = sum(v for k, v in seconds.items() if k.startswith("release."))
    print("| step | seconds | share of the kept-table warm-up |")
    print("|---|---:|---:|")
    for name, value in seconds.items():
        print(f"| {name} | {value:.2f} | {value / kept_tables:.1%} |")
    print(f"| kept tables anew (equity + movement + quality) | {kept_tables:.2f} | 100% |")
    print(f"| release warmers | {releases:.2f} | |")
    print(f"equity updated / equity anew: {seconds['equity updated'] / seconds['equity']:.1%}")


def _same_tables(left: Path, right: Path, *, prefix: str) -> bool:
    import pyarrow.parquet as pq  # noqa: PLC0415

    names = sorted(p.name for p in right.glob(f"{prefix}*.parquet"))  # what the warmer kept
    if not names or not all((left / n).is_file() for n in names):
        return False
    return all(
        str(pq.read_table(left / n).to_pylist()) == str(pq.read_table(right / n).to_pylist())
        for n in names
    )


if __name__ == "__main__":
    main()
