"""Import throughput: the real pipeline against DuckDB reading the same file into a table.

From the national data set this writes an enrolments file the way a Swedish student system
exports it (semicolons, Swedish headers, clear personnummer ``YYYYMMDD-NNNC``, läsår
``2024/25``, ja/nej, decimal commas), as CSV and as Parquet with the same columns. Then it times
``ingest_file`` + ``stage_batch`` (what ``batch_import`` does, without the app database) on
each, and DuckDB's ``CREATE TABLE AS SELECT * FROM read_csv(...)`` / ``read_parquet(...)``
of the same file, in the same run.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench.harness import OUT_DIR, best_of, national_files, national_root, raw_connection
from likvard_core.ingest import ingest_file
from likvard_core.synth.identity import personnummer
from likvard_core.warehouse.snapshot import Snapshot
from likvard_core.warehouse.writer import stage_batch

NOTES = (
    "all ten school years of the national enrolments as one student-system export "
    "(semicolons, clear personnummer; at scale 1 about 10.5 M rows of 1.8 M distinct "
    "students), as CSV and as Parquet with the same columns. `ingest.csv`/`ingest.parquet` "
    "time `ingest_file` + `stage_batch` as `batch_import` does: content hash, reading, "
    "validating every cell, personnummer checks, HMAC-SHA256 pseudonymisation (once per "
    "distinct student, in DuckDB), duplicate-key and school-unit checks, zstd Parquet write "
    "(a table of two or more row groups per core in parts, one thread each), "
    "fsync and sha256 of the output. The baselines are DuckDB's `CREATE TABLE AS SELECT * FROM "
    "read_csv(...)`/`read_parquet(...)` of the same file; their ratio is the import's rate "
    "as a share of DuckDB's. Above 2 M rows one timed run follows the warm-up."
)
KEY = b"benchmark-pseudonym-key-0123456789"
CSV_TARGET = 0.5
PARQUET_RATE_TARGET = 1_000_000

_EXPORT_SQL = """
SELECT
    e.pnr AS "personnummer",
    (school_year - 1)::VARCHAR || '/' || lpad((school_year % 100)::VARCHAR, 2, '0') AS "läsår",
    school_unit_code AS "skolenhetskod",
    organizer_code AS "huvudman",
    CASE school_form
        WHEN 'grundskola' THEN 'GR' WHEN 'forskoleklass' THEN 'FKLASS'
        WHEN 'anpassad_grundskola' THEN 'GRAN' WHEN 'gymnasieskola' THEN 'GY'
        WHEN 'anpassad_gymnasieskola' THEN 'GYAN' WHEN 'komvux' THEN 'VUX'
        ELSE upper(school_form) END AS "skolform",
    coalesce(grade_year::VARCHAR, '') AS "årskurs",
    coalesce(programme_code, '') AS "program",
    home_municipality_code AS "hemkommun",
    CASE gender WHEN 'F' THEN 'K' ELSE 'M' END AS "kön",
    CASE WHEN born_abroad THEN 'ja' WHEN NOT born_abroad THEN 'nej' ELSE '' END
        AS "född utomlands",
    CASE WHEN newly_arrived THEN 'ja' WHEN NOT newly_arrived THEN 'nej' ELSE '' END
        AS "nyanländ",
    coalesce(replace(parents_education::VARCHAR, '.', ','), '') AS "föräldrars utbildningsnivå"
FROM enrolments_source AS e
ORDER BY school_year, school_unit_code, e.pnr
"""

_PARQUET_SQL = """
SELECT
    e.pnr AS "personnummer",
    school_year AS "läsår",
    school_unit_code AS "skolenhetskod",
    organizer_code AS "huvudman",
    "skolform", grade_year AS "årskurs", programme_code AS "program",
    home_municipality_code AS "hemkommun", "kön",
    born_abroad AS "född utomlands", newly_arrived AS "nyanländ",
    parents_education AS "föräldrars utbildningsnivå"
FROM (SELECT *, CASE school_form
        WHEN 'grundskola' THEN 'GR' WHEN 'forskoleklass' THEN 'FKLASS'
        WHEN 'anpassad_grundskola' THEN 'GRAN' WHEN 'gymnasieskola' THEN 'GY'
        WHEN 'anpassad_gymnasieskola' THEN 'GYAN' WHEN 'komvux' THEN 'VUX'
        ELSE upper(school_form) END AS "skolform",
        CASE gender WHEN 'F' THEN 'K' ELSE 'M' END AS "kön"
      FROM enrolments_source) AS e
ORDER BY school_year, school_unit_code, e.pnr
"""


def _with_personnummer(enrolments: pa.Table) -> pa.Table:
    """The enrolments with a synthetic, valid personnummer per distinct student key."""
    encoded = pc.dictionary_encode(enrolments["student_key"].combine_chunks())
    first = np.unique(encoded.indices.to_numpy(), return_index=True)[1]
    years = enrolments["school_year"].to_numpy().astype(np.int64)[first]
    grades = pc.fill_null(enrolments["grade_year"], 5).to_numpy().astype(np.int64)[first]
    male = pc.equal(enrolments["gender"], "M").to_numpy(zero_copy_only=False)[first]
    numbers = personnummer(np.random.default_rng(4), years - grades - 7, male)
    return enrolments.append_column("pnr", numbers.take(encoded.indices))


def export_files(root: Path) -> tuple[Path, Path, int, frozenset[str]]:
    """The enrolments CSV and Parquet files (written once), their rows and the school units."""
    folder = root / "ingest"
    csv_path, parquet_path = folder / "elevregister.csv", folder / "elevregister.parquet"
    files = national_files(root)
    with Snapshot(root, files, "bench-ingest") as snapshot:
        enrolments = snapshot.query("SELECT * FROM enrolments")
    units = frozenset(pc.unique(enrolments["school_unit_code"]).to_pylist())
    if not parquet_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        con = raw_connection()
        con.register("enrolments_source", _with_personnummer(enrolments))
        con.execute(f"COPY ({_EXPORT_SQL}) TO '{csv_path}' (HEADER, DELIMITER ';')")
        partial = parquet_path.with_suffix(".tmp")
        con.execute(f"COPY ({_PARQUET_SQL}) TO '{partial}' (FORMAT PARQUET)")
        partial.rename(parquet_path)
        con.close()
    return csv_path, parquet_path, enrolments.num_rows, units


def _pipeline(path: Path, units: frozenset[str], warehouse: Path) -> int:
    """Import ``path`` as batch_import does: validate, pseudonymise, stage as Parquet."""
    batch_id = uuid.uuid4().hex
    result = ingest_file(
        path, "enrolments", pseudonym_key=KEY, known_school_units=units, batch_id=batch_id
    )
    if result.issues:
        raise RuntimeError("; ".join(issue.format_cli() for issue in result.issues[:5]))
    staged = stage_batch(warehouse, batch_id, result.tables)
    shutil.rmtree(warehouse / "batches" / batch_id)
    return staged.rows


def _duckdb_load(sql: str) -> int:
    con = raw_connection()
    try:
        con.execute(f"CREATE TABLE imported AS {sql}")
        row = con.execute("SELECT count(*) FROM imported").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def run(snapshot: Snapshot, scale: float, *, out_dir: Path = OUT_DIR) -> list[dict[str, object]]:
    """Seconds for importing the CSV and the Parquet file, and for DuckDB loading each."""
    del snapshot  # the files are written from the national root's Parquet directly
    root = national_root(scale, out_dir=out_dir)
    csv_path, parquet_path, rows, units = export_files(root)
    repeat = 1 if rows > 2_000_000 else 3
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(dir=out_dir) as warehouse:
        for label, path, reader in (
            ("csv", csv_path, f"read_csv('{csv_path}', delim=';', header=true)"),
            ("parquet", parquet_path, f"read_parquet('{parquet_path}')"),
        ):
            seconds, imported = best_of(
                functools.partial(_pipeline, path, units, Path(warehouse)), repeat=repeat
            )
            raw_seconds, loaded = best_of(
                functools.partial(_duckdb_load, f"SELECT * FROM {reader}"), repeat=repeat
            )
            if imported != rows or loaded != rows:
                raise RuntimeError(
                    f"{label}: imported {imported}, DuckDB {loaded}, expected {rows}"
                )
            baseline = f"ingest.duckdb_read_{label}"
            results.append(
                {"name": f"ingest.{label}", "seconds": seconds, "rows": rows, "scan": baseline}
            )
            results.append({"name": baseline, "seconds": raw_seconds, "rows": rows})
    return results


def targets(results: list[dict[str, object]]) -> list[tuple[str, bool, str]]:
    """The issue's import targets: (what, met, measured) from one run's results."""
    by_name = {str(r["name"]): r for r in results}
    checks: list[tuple[str, bool, str]] = []
    for label in ("csv", "parquet"):
        ours = by_name.get(f"ingest.{label}")
        duck = by_name.get(f"ingest.duckdb_read_{label}")
        if ours is None or duck is None:
            continue
        ratio = float(duck["seconds"]) / float(ours["seconds"])  # type: ignore[arg-type]
        checks.append(
            (
                f"{label.upper()} import >= {CSV_TARGET:g} x DuckDB's rate",
                ratio >= CSV_TARGET,
                f"{ratio:.2f}",
            )
        )
    parquet = by_name.get("ingest.parquet")
    if parquet is not None:
        rate = float(parquet["rows"]) / float(parquet["seconds"])  # type: ignore[arg-type]
        checks.append(
            ("Parquet import >= 1 M rows/s", rate >= PARQUET_RATE_TARGET, f"{rate:,.0f} rows/s")
        )
    return checks
