"""The demo's synthetic Kolada answer imports cleanly and feeds every Kolada indicator."""

from __future__ import annotations

import json
from pathlib import Path

from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.public import public_indicator_values
from likvard_core.ingest import ingest_file
from likvard_core.synth.kolada import DEMO_KPIS, SYNTHETIC_NOTE, write_demo_kolada
from likvard_core.warehouse.snapshot import Snapshot

REFERENCE = Path(__file__).resolve().parents[4] / "src/likvard/organisations/reference_data"
YEARS = range(2020, 2026)


def test_demo_answer_covers_the_catalogue(tmp_path):
    path = tmp_path / "kolada.json"
    values = write_demo_kolada(REFERENCE, path, seed=2026, school_years=YEARS)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["synthetic"] == SYNTHETIC_NOTE
    result = ingest_file(path, "kolada", pseudonym_key=b"k" * 32)
    assert result.issues == []
    table = result.tables["public_stats"]
    assert table.num_rows == values
    catalogue = load_catalogue()
    kolada = {
        m.measure for i in catalogue.indicators for m in i.public_measures if m.source == "kolada"
    }
    assert kolada == {spec.kpi for spec in DEMO_KPIS}
    with Snapshot.from_tables(result.tables, version="demo") as db:
        rows = public_indicator_values(
            db, catalogue, years=list(YEARS), area_codes=["1384", "0000"]
        ).table.to_pylist()
    found = {(r["indicator"], r["area_code"], r["school_year"]) for r in rows if r["group"] is None}
    public = {i.code for i in catalogue.indicators if i.public_measures}
    for code in public:  # Kungsbacka answers Skolenkäten every other year, Riket every year
        assert {(code, "0000", year) for year in YEARS} <= found, code
        assert any((code, "1384", year) in found for year in YEARS[-2:]), code
    assert all(r["value"] is None or 0 < r["value"] < 300 for r in rows)
    again = tmp_path / "again.json"
    write_demo_kolada(REFERENCE, again, seed=2026, school_years=YEARS)
    assert again.read_bytes() == path.read_bytes()  # deterministic
