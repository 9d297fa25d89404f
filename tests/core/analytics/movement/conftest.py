"""Fixtures of the movement tests: reference lookups from the shipped CSV files, a small demo."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from likvard_core.analytics.movement.scope import Lookups, OrganizerInfo, UnitInfo
from likvard_core.ingest.pipeline import ingest_file
from likvard_core.synth.demo import demo_region_files
from likvard_core.warehouse.snapshot import Snapshot

REFERENCE_DIR = (
    Path(__file__).resolve().parents[4] / "src" / "likvard" / "organisations" / "reference_data"
)
KEY = b"movement-test-key-0123456789abcdef"


def reference_lookups(reference_dir: Path = REFERENCE_DIR) -> Lookups:
    """Lookups from ``organizers.csv`` and ``school_units.csv`` of the reference folder."""
    with (reference_dir / "organizers.csv").open(encoding="utf-8") as handle:
        organizers = {
            row["organisation_number"]: OrganizerInfo(
                row["organizer_type"], row["municipality_code"] or ""
            )
            for row in csv.DictReader(handle)
        }
    with (reference_dir / "school_units.csv").open(encoding="utf-8") as handle:
        units = {
            row["school_unit_code"]: UnitInfo(row["municipality_code"], row["organisation_number"])
            for row in csv.DictReader(handle)
        }
    return Lookups(organizers=organizers, school_units=units)


def gr_codes(reference_dir: Path = REFERENCE_DIR) -> frozenset[str]:
    """The municipality codes of Göteborgsregionen."""
    with (reference_dir / "regions.csv").open(encoding="utf-8") as handle:
        return frozenset(
            r["municipality_code"] for r in csv.DictReader(handle) if r["region_code"] == "GR"
        )


def _ingested(path: Path, kind: str) -> pa.Table:
    result = ingest_file(path, kind, pseudonym_key=KEY, batch_id="demo")
    assert result.ok, result.issues[:3]
    return result.tables[kind]


@pytest.fixture(scope="session")
def demo_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pa.Table]:
    """Enrolments and admissions of a small demo (scale 0.1, school years 2024/25-2025/26)."""
    out = tmp_path_factory.mktemp("movement-demo")
    files = demo_region_files(REFERENCE_DIR, out, seed=11, years=range(2025, 2027), scale=0.1)
    tables: dict[str, list[pa.Table]] = {"enrolments": [], "admissions": []}
    for file in files:
        if file.kind in tables:
            tables[file.kind].append(_ingested(file.path, file.kind))
    return {k: pa.concat_tables(v) for k, v in tables.items()}


@pytest.fixture
def demo_snapshot(demo_tables: dict[str, pa.Table]) -> Iterator[Snapshot]:
    """A snapshot over the small demo."""
    with Snapshot.from_tables(demo_tables, "demo") as snapshot:
        yield snapshot
