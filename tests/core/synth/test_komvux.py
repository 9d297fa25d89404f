"""The demo's komvux files: deterministic, valid, and GR's söktryck and fill rate vary."""

from __future__ import annotations

from likvard_core.analytics.komvux.measures import komvux_by, start_cells
from likvard_core.ingest import ingest_file
from likvard_core.synth.komvux import write_demo_komvux
from likvard_core.warehouse.snapshot import Snapshot

YEARS = range(2023, 2026)
GR_KUNGSBACKA = "1384"


def test_same_seed_same_bytes_and_every_file_imports(reference_dir, tmp_path):
    first = write_demo_komvux(reference_dir, tmp_path / "a", seed=7, years=YEARS)
    second = write_demo_komvux(reference_dir, tmp_path / "b", seed=7, years=YEARS)
    tables = {}
    for (kind, path, rows), (_, again, _) in zip(first, second, strict=True):
        assert path.read_bytes() == again.read_bytes()
        result = ingest_file(path, kind, pseudonym_key=b"k" * 32, batch_id="demo")
        assert result.issues == []
        assert result.tables[kind].num_rows == rows > 0
        tables[kind] = result.tables[kind]
    municipalities = set(tables["komvux_starts"].column("municipality_code").to_pylist())
    assert GR_KUNGSBACKA in municipalities
    assert "1496" in municipalities  # Skövde, Skaraborg
    with Snapshot.from_tables(tables, "demo") as db:
        cells = start_cells(db, municipalities=sorted(municipalities))
    by_course = komvux_by(
        cells, measure="applications", by="course_code", data_version="d", scope="t",
        organizers={},
    ).table.to_pylist()  # fmt: skip
    pressures = [r["soktryck"] for r in by_course if r["course_code"] and r["year"] == 2024]
    assert max(pressures) > 1.5  # some courses are sought after
    assert min(pressures) < 1.0  # and some are not
    outcomes = komvux_by(
        cells, measure="outcomes", by="provider_type", data_version="d", scope="t",
        organizers={},
    ).table.to_pylist()  # fmt: skip
    total = next(r for r in outcomes if r["provider_type"] is None and r["year"] == 2024)
    assert 0.7 < total["outcome_rate"] < 0.95
