"""A national-scale synthetic warehouse for benchmarks: Parquet in the contract's schemas.

``national_dataset`` writes ``<out>/<table>/<school_year>.parquet`` for enrolments,
final_grades, national_tests, course_grades and admissions, and (``national_extras``) absence
per student and term, diplomas, incidents and komvux starts and follow-up, streaming one chunk
of municipalities at a time through a ``ParquetWriter`` so memory stays bounded. At scale 1.0
the first five tables hold about 55 million rows over ten years, absence about twice the
enrolments. ``tables`` names the tables to write: the extras draw from their own random
streams, so they can be added to a set written before them and every table is the same bytes
whichever others are written with it. Run as
``python -m likvard_core.synth.national --out DIR --scale 0.01``.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from likvard_core.synth.identity import student_keys
from likvard_core.synth.national_extras import (
    EXTRA_TABLES,
    KOMVUX_TABLES,
    STUDENT_TABLES,
    StudentExtras,
    komvux_rows,
)
from likvard_core.synth.national_extras import Columns as ExtraColumns
from likvard_core.synth.national_rows import chunk_rows
from likvard_core.synth.national_world import Country, build_country
from likvard_core.warehouse.schema import batch_column, fact_table

BASE_TABLES = ("enrolments", "final_grades", "national_tests", "course_grades", "admissions")
TABLES = (*BASE_TABLES, *EXTRA_TABLES)
FIRST_SCHOOL_YEAR = 2016


@dataclass(frozen=True, slots=True)
class NationalSummary:
    """What ``national_dataset`` wrote: rows per table, files, and the time it took."""

    out_dir: Path
    rows: dict[str, int]
    files: tuple[Path, ...]
    seconds: float
    school_units: int
    municipalities: int

    @property
    def total_rows(self) -> int:
        """All fact rows written."""
        return sum(self.rows.values())


@dataclass
class _Writers:
    folder: Path
    year: int
    writers: dict[str, pq.ParquetWriter] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def write(self, name: str, table: pa.Table) -> None:
        if name not in self.writers:
            path = self.folder / name / f"{self.year}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            schema = fact_table(name).schema
            self.writers[name] = pq.ParquetWriter(path, schema, compression="zstd")
        self.writers[name].write_table(table)
        self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def close(self) -> list[Path]:
        for writer in self.writers.values():
            writer.close()
        return [self.folder / name / f"{self.year}.parquet" for name in self.writers]


def _as_tables(
    rows: dict[str, ExtraColumns], country: Country, year: int, seed: int
) -> dict[str, pa.Table]:
    codes = pa.array(country.school_codes)
    batch = f"synthetic-national-{seed}-{year}"
    tables: dict[str, pa.Table] = {}
    for name, columns in rows.items():
        schema = fact_table(name).schema
        arrays = []
        for column in schema:
            if column.name == "batch_id":
                size = len(next(iter(columns.values())))
                arrays.append(batch_column(batch, size))
            elif column.name == "student_key":
                arrays.append(student_keys(np.asarray(columns["student_id"], np.uint64), seed))
            elif column.name == "school_unit_code":
                arrays.append(codes.take(pa.array(columns["school"])))
            else:
                values = columns[column.name]
                array = values if isinstance(values, pa.Array) else pa.array(values)
                arrays.append(array.cast(column.type))
        tables[name] = pa.Table.from_arrays(arrays, schema=schema)
    return tables


def national_dataset(
    out_dir: Path,
    *,
    seed: int = 1,
    years: int = 10,
    municipalities: int = 290,
    school_units: int = 6000,
    scale: float = 1.0,
    reference_dir: Path | None = None,
    tables: tuple[str, ...] = TABLES,
) -> NationalSummary:
    """Write ``years`` school years of synthetic national data; returns what was written.

    ``scale`` multiplies the students and (down to a floor) the school units, so tests can ask
    for a tiny dataset; ``reference_dir`` supplies the real municipality codes (and names);
    ``tables`` picks the tables written (the others are not drawn).
    """
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    started = time.perf_counter()
    units = max(8, round(school_units * min(scale * 10, 1.0)))
    country = build_country(
        seed=seed,
        municipalities=min(municipalities, max(2, units // 4)),
        school_units=units,
        reference_dir=reference_dir,
    )
    per_school = scale * school_units / units
    totals: dict[str, int] = dict.fromkeys(tables, 0)
    files: list[Path] = []
    school_years = range(FIRST_SCHOOL_YEAR, FIRST_SCHOOL_YEAR + years)
    extras = StudentExtras(country, seed, per_school, school_years[-1])
    student_tables = tuple(t for t in STUDENT_TABLES if t in tables)
    komvux = (
        komvux_rows(country, seed=seed, years=school_years, names=_names(reference_dir))
        if set(KOMVUX_TABLES) & set(tables)
        else {}
    )
    for year in school_years:
        writers = _Writers(out_dir, year)
        for chunk, schools in enumerate(country.chunks()):
            rows: dict[str, ExtraColumns] = {}
            if set(BASE_TABLES) & set(tables):
                rows.update(chunk_rows(country, chunk, schools, year, seed=seed, scale=per_school))
            if student_tables:
                rows.update(extras.rows(chunk, schools, year, student_tables))
            wanted = {name: columns for name, columns in rows.items() if name in tables}
            for name, table in _as_tables(wanted, country, year, seed).items():
                writers.write(name, table)
        wanted = {n: c for n, c in komvux.get(year, {}).items() if n in tables}
        for name, table in _as_tables(wanted, country, year, seed).items():
            writers.write(name, table)
        files.extend(writers.close())
        for name, count in writers.rows.items():
            totals[name] += count
    return NationalSummary(
        out_dir=out_dir,
        rows=totals,
        files=tuple(files),
        seconds=time.perf_counter() - started,
        school_units=units,
        municipalities=int(country.municipality_codes.size),
    )


def _names(reference_dir: Path | None) -> dict[str, str]:
    """Municipality names by code from the reference folder (none without one)."""
    if reference_dir is None:
        return {}
    with (reference_dir / "municipalities.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def main(argv: list[str] | None = None) -> int:
    """Command line: write a national dataset and print rows, seconds and peak RSS."""
    parser = argparse.ArgumentParser(description="Write a synthetic national warehouse.")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = about 55 M rows")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--reference", type=Path, default=None, help="reference_data folder")
    args = parser.parse_args(argv)
    summary = national_dataset(
        args.out, seed=args.seed, years=args.years, scale=args.scale, reference_dir=args.reference
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name, count in summary.rows.items():
        sys.stdout.write(f"{name}: {count} rows\n")
    rate = summary.total_rows / max(summary.seconds, 1e-9)
    sys.stdout.write(
        f"total: {summary.total_rows} rows in {summary.seconds:.1f} s "
        f"({rate:,.0f} rows/s), peak RSS {peak_mib:.0f} MiB\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
