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
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from likvard_core.synth.national import BASE_TABLES, TABLES, national_dataset
from likvard_core.warehouse.snapshot import Snapshot

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
REFERENCE_DIR = REPO / "src" / "likvard" / "organisations" / "reference_data"
_DONE = "ROWS"


def national_root(scale: float, *, out_dir: Path = OUT_DIR) -> Path:
    """The folder holding the national data set at ``scale``; generated on first use.

    Files are ``<root>/batches/national/<table>/<school_year>.parquet``; a ``ROWS`` file with
    the total row count marks a finished generation (an interrupted one is redone). A set
    generated before the generator had some tables gets them added (the others are left as
    they are: every table draws from its own random streams); a ``<table>.ROWS`` file marks
    each added table.
    """
    root = out_dir / f"national-{scale:g}"
    if (root / _DONE).exists():
        _add_missing_tables(root, scale)
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    summary = national_dataset(
        root / "batches" / "national", scale=scale, reference_dir=REFERENCE_DIR
    )
    for table in TABLES:
        (root / f"{table}.{_DONE}").write_text(str(summary.rows.get(table, 0)))
    (root / _DONE).write_text(str(summary.total_rows))
    return root


def _add_missing_tables(root: Path, scale: float) -> None:
    base = root / "batches" / "national"
    missing = tuple(t for t in TABLES if not (root / f"{t}.{_DONE}").exists()
                    and not (base / t).is_dir())  # fmt: skip
    partial = tuple(t for t in TABLES if (base / t).is_dir()
                    and not (root / f"{t}.{_DONE}").exists() and t not in BASE_TABLES)  # fmt: skip
    for table in partial:  # an interrupted addition is redone
        shutil.rmtree(base / table)
    wanted = tuple(t for t in TABLES if t in missing or t in partial)
    if not wanted:
        return
    summary = national_dataset(base, scale=scale, reference_dir=REFERENCE_DIR, tables=wanted)
    for table in wanted:
        (root / f"{table}.{_DONE}").write_text(str(summary.rows.get(table, 0)))


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
    return {
        name: int(snapshot.query(f"SELECT count(*) AS n FROM {name}")["n"][0].as_py())
        for name in TABLES
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


@dataclass(slots=True)
class RepeatCap:
    """At most ``cap`` timed runs of any engine (``python -m bench.run --max-repeat N``; the smoke
    test sets 1: every engine still runs after its warm-up and is compared in full, only fewer
    times). ``None``: each benchmark's own count."""

    cap: int | None = None


REPEAT_CAP = RepeatCap()


@contextmanager
def max_repeat(cap: int | None) -> Iterator[None]:
    """``REPEAT_CAP`` set to ``cap`` inside the block, restored after it."""
    before, REPEAT_CAP.cap = REPEAT_CAP.cap, cap
    try:
        yield
    finally:
        REPEAT_CAP.cap = before


def timed_runs(repeat: int) -> int:
    """How many timed runs a benchmark asking for ``repeat`` gets (``REPEAT_CAP``)."""
    cap = REPEAT_CAP.cap
    return max(1, min(repeat, cap) if cap else repeat)


def best_of(
    run: Callable[[], object], *, repeat: int = 3, warmup: bool = True, name: str = ""
) -> tuple[float, object]:
    """The shortest wall-clock time of ``repeat`` runs of ``run`` and the last result.

    One untimed warm-up run comes first (page cache, imports, DuckDB's first-query costs).
    With ``name``, every run's wall and process CPU seconds (all threads) and the load are
    printed to stderr as it ends, so a long run stopped early still shows what finished.
    """
    result: object = None
    if warmup:
        result = _logged(run, name, "warm-up")
    best = float("inf")
    for index in range(timed_runs(repeat)):
        started = time.perf_counter()
        result = _logged(run, name, f"run {index + 1}")
        best = min(best, time.perf_counter() - started)
    return best, result


def _logged(run: Callable[[], object], name: str, which: str) -> object:
    """``run()``, its wall and CPU seconds printed to stderr under ``name`` (if any)."""
    if not name:
        return run()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stamp = time.strftime("%H:%M:%S", time.gmtime())
    print(f"{stamp} {name} {which}: {wall:.2f} s wall, {cpu:.2f} s CPU, load "
          f"{load_average():.1f}", file=sys.stderr, flush=True)  # fmt: skip
    return result


def raw_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for the bare-engine baselines (never for the product's queries)."""
    return duckdb.connect(":memory:")  # noqa: TID251  (the benchmark's own baseline engine)


@dataclass(frozen=True, slots=True)
class Engine:
    """One way of computing a benchmark's result, timed like every other engine of it.

    ``canonical`` turns the engine's result into a pandas frame in one agreed shape (columns,
    order of rows) so the engines' outputs can be compared in full; ``None`` for an engine whose
    output is not the result (the bare scan).
    """

    name: str
    run: Callable[[], object]
    canonical: Callable[[object], pd.DataFrame] | None = None


BASELINES = ("pandas", "sql", "scan")
"""Baseline roles a measurement may name: the pandas reference, the same computation written
as plain DuckDB SQL, and DuckDB's bare scan of exactly the rows and columns read."""


def compare(
    product: Engine,
    baselines: dict[str, Engine],
    *,
    rows: int,
    repeat: int = 3,
    **extra: object,
) -> list[dict[str, object]]:
    """Time ``product`` and its baselines the same way, check their outputs equal, report.

    Every engine gets the same untimed warm-up and the best of ``repeat`` runs. The canonical
    outputs of every engine that has one are compared in full (every row, every column) with
    the product's before any timing is returned: a disagreement raises, so no ratio is ever
    written for engines that computed different things.
    """
    unknown = set(baselines) - set(BASELINES)
    if unknown:
        raise ValueError(f"unknown baseline roles: {sorted(unknown)}")
    assert product.canonical is not None, "the product's output must be comparable"
    timed: dict[str, tuple[float, object]] = {}
    timed[product.name] = best_of(product.run, repeat=repeat, name=product.name)
    expected = product.canonical(timed[product.name][1])
    # The pandas reference, the longest, last: a run stopped early has the others' figures.
    for role, engine in sorted(baselines.items(), key=lambda item: item[0] == "pandas"):
        timed[engine.name] = best_of(engine.run, repeat=repeat, name=engine.name)
        if engine.canonical is not None:  # checked at once: a long run fails early
            assert_same(expected, engine.canonical(timed[engine.name][1]), engine.name)
            print(f"{engine.name} ({role}): output equal to {product.name} in full",
                  file=sys.stderr, flush=True)  # fmt: skip
    main: dict[str, object] = {
        "name": product.name, "seconds": timed[product.name][0], "rows": rows,
        "repeat": timed_runs(repeat), **extra,
    }  # fmt: skip
    out = [main]
    for role, engine in baselines.items():
        main[role] = engine.name
        out.append({"name": engine.name, "seconds": timed[engine.name][0], "rows": rows,
                    "repeat": timed_runs(repeat),
                    "checked_equal": engine.canonical is not None})  # fmt: skip
    return out


def assert_same(expected: pd.DataFrame, actual: pd.DataFrame, who: str) -> None:
    """Raise unless two canonical outputs hold the same rows and values (floats to 1e-9)."""
    if list(expected.columns) != list(actual.columns):
        raise AssertionError(f"{who}: columns {list(actual.columns)} != {list(expected.columns)}")
    if len(expected) != len(actual):
        raise AssertionError(f"{who}: {len(actual)} rows, expected {len(expected)}")
    left = expected.reset_index(drop=True)
    right = actual.reset_index(drop=True)
    for column in left.columns:
        a, b = left[column], right[column]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            x = pd.to_numeric(a, errors="coerce").to_numpy(dtype="float64", na_value=float("nan"))
            y = pd.to_numeric(b, errors="coerce").to_numpy(dtype="float64", na_value=float("nan"))
            if not np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True):
                raise AssertionError(f"{who}: column {column} differs")
        elif a.astype(str).tolist() != b.astype(str).tolist():
            raise AssertionError(f"{who}: column {column} differs")


def canonical_frame(frame: pd.DataFrame, columns: list[str], order: list[str]) -> pd.DataFrame:
    """``frame`` narrowed to ``columns``, integer-like columns as int64, sorted by ``order``."""
    out = frame[columns].copy()
    for column in columns:
        if pd.api.types.is_bool_dtype(out[column]) or pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("int64")
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(str)
    return out.sort_values(order, ignore_index=True)
