"""What every benchmark shares: the national data set, the machine, and a fair timer.

``national_root(scale)`` generates the synthetic national warehouse once per scale under
``bench/out/national-<scale>`` (gitignored) and reuses it; ``national_snapshot(scale)`` opens
all of it as one data version. ``best_of`` times a function after a warm-up, as the best of N
runs, so the engines compared in one run are measured the same way.
"""

from __future__ import annotations

import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from likvard_core.synth.national import national_dataset
from likvard_core.warehouse.snapshot import Snapshot

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
REFERENCE_DIR = REPO / "src" / "likvard" / "organisations" / "reference_data"
_DONE = "ROWS"


def national_root(scale: float, *, out_dir: Path = OUT_DIR) -> Path:
    """The folder holding the national data set at ``scale``; generated on first use.

    Files are ``<root>/batches/national/<table>/<school_year>.parquet``; a ``ROWS`` file with
    the total row count marks a finished generation (an interrupted one is redone).
    """
    root = out_dir / f"national-{scale:g}"
    if (root / _DONE).exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    summary = national_dataset(
        root / "batches" / "national", scale=scale, reference_dir=REFERENCE_DIR
    )
    (root / _DONE).write_text(str(summary.total_rows))
    return root


def national_files(root: Path) -> dict[str, tuple[str, ...]]:
    """The Parquet files of each fact table, relative to ``root`` (the shape Snapshot takes)."""
    base = root / "batches" / "national"
    return {
        table.name: tuple(
            path.relative_to(root).as_posix() for path in sorted(table.glob("*.parquet"))
        )
        for table in sorted(base.iterdir())
        if table.is_dir()
    }


def national_snapshot(scale: float, *, out_dir: Path = OUT_DIR) -> Snapshot:
    """The whole national data set at ``scale`` as one data version."""
    root = national_root(scale, out_dir=out_dir)
    return Snapshot(root, national_files(root), f"national-{scale:g}")


def table_rows(snapshot: Snapshot) -> dict[str, int]:
    """Rows per fact table of a snapshot."""
    names = ("enrolments", "final_grades", "national_tests", "course_grades", "admissions")
    return {
        name: int(snapshot.query(f"SELECT count(*) AS n FROM {name}")["n"][0].as_py())
        for name in names
    }


@dataclass(frozen=True, slots=True)
class Machine:
    """Where a benchmark ran."""

    cpu: str
    cores: int
    memory_gib: float
    system: str
    python: str
    duckdb: str
    pandas: str
    pyarrow: str

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the report."""
        return [
            ("CPU", f"{self.cpu} ({self.cores} cores)"),
            ("Memory", f"{self.memory_gib:.1f} GiB"),
            ("System", self.system),
            ("Python", self.python),
            ("DuckDB", self.duckdb),
            ("pandas", self.pandas),
            ("pyarrow", self.pyarrow),
        ]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return 0.0
    return pages * size / 2**30


def machine() -> Machine:
    """The CPU, cores, memory and library versions of this run."""
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        memory_gib=_memory_gib(),
        system=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        duckdb=duckdb.__version__,
        pandas=pd.__version__,
        pyarrow=pa.__version__,
    )


def load_average() -> float:
    """The one-minute load average (other work on the machine skews timings)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def best_of(
    run: Callable[[], object], *, repeat: int = 3, warmup: bool = True
) -> tuple[float, object]:
    """The shortest wall-clock time of ``repeat`` runs of ``run`` and the last result.

    One untimed warm-up run comes first (page cache, imports, DuckDB's first-query costs).
    """
    result: object = run() if warmup else None
    best = float("inf")
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def raw_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for the bare-engine baselines (never for the product's queries)."""
    return duckdb.connect(":memory:")  # noqa: TID251  (the benchmark's own baseline engine)
