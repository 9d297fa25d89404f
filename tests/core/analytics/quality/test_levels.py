"""Issue #16: every level shows its own figure; the municipality's is named as such."""

from __future__ import annotations

import pyarrow as pa
import pytest

from bench.unsuppressed import without_suppression
from likvard_core.analytics.quality.basis import AnalysisBasis, SubjectKind
from likvard_core.analytics.quality.basis_build import build_basis
from likvard_core.analytics.quality.basis_context import basis_context
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.charts import chart_rows
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import tiny_tables

CATALOGUE = load_catalogue()
NAMES = {"R": "Testregionen", "1480": "Göteborg", "1401": "Härryda"}
SAFETY = "safety"  # Skolenkäten, published per municipality only (Kolada N15643)


def _public() -> pa.Table:
    rows = [
        ("1480", 2024, 81.0), ("1480", 2025, 82.0), ("1401", 2024, 71.0), ("1401", 2025, 72.0),
    ]  # fmt: skip
    n = len(rows)
    return pa.table(
        {
            "source": ["kolada"] * n, "measure": ["N15643"] * n,
            "school_year": [r[1] for r in rows], "level": ["municipality"] * n,
            "area_code": [r[0] for r in rows], "group": ["all"] * n,
            "value": [r[2] for r in rows], "status": ["exists"] * n,
            "raw": [str(r[2]) for r in rows], "table_name": ["t"] * n,
            "organizer_type": ["all"] * n, "subject": [""] * n,
        }
    )  # fmt: skip


UNITS = {"U1": "1480", "U2": "1480", "U3": "1401"}


def _basis(kind: SubjectKind, code: str, *, cached: bool = False) -> AnalysisBasis:
    tables = tiny_tables(2025)
    older = tiny_tables(2024)
    tables = {k: pa.concat_tables([tables[k], older[k]]) for k in tables}
    tables["public_stats"] = _public()
    with Snapshot.from_tables(tables, version="tiny-v1") as db:
        context = (
            basis_context(db, year=2025, trend_years=2, school_municipalities=UNITS)
            if cached
            else None
        )
        return build_basis(
            db, CATALOGUE, subject_kind=kind, subject_code=code, year=2025,
            release=without_suppression, regions={"R": ["1480", "1401"]},
            school_municipalities=UNITS, trend_years=2, similar=1, names=NAMES,
            context=context,
        )  # fmt: skip


def _block(basis: AnalysisBasis, code: str):
    return next(b for b in basis.all_blocks() if b.indicator.code == code)


@pytest.mark.parametrize(
    ("kind", "code"), [(SubjectKind.SCHOOL_UNIT, "U1"), (SubjectKind.ORGANIZER, "O1")]
)
def test_a_municipality_figure_is_never_the_subjects_own_value(kind, code):
    safety = _block(_basis(kind, code), SAFETY)
    assert not safety.value.shown  # it was 82,0: Göteborg's figure as the unit's own value
    assert not safety.flags
    [municipality] = [c for c in safety.comparisons if c.kind == "municipality"]
    assert municipality.label_sv == "Göteborg (hela kommunen)"
    assert municipality.figure.value == pytest.approx(82.0)
    assert "Göteborg som helhet" in safety.note_sv
    assert safety.trend_of_sv == "Göteborg (hela kommunen)"
    assert [p.figure.value for p in safety.trend] == [pytest.approx(81.0), pytest.approx(82.0)]
    assert {r["serie"] for r in chart_rows(safety)} >= {"Göteborg (hela kommunen)"}
    assert "Eget värde" not in {r["serie"] for r in chart_rows(safety)}


def test_the_region_shows_each_members_published_figure_side_by_side():
    safety = _block(_basis(SubjectKind.REGION, "R"), SAFETY)
    assert not safety.value.shown
    members = {m.label_sv: m.figure.value for m in safety.members}
    assert members == {"Göteborg": pytest.approx(82.0), "Härryda": pytest.approx(72.0)}


def test_each_level_has_its_own_warehouse_figure():
    # U1: s1 180, s2 225 -> 202,5; O1 (U1, U2): + s3 260 -> 221,7; municipality 1480 by
    # school (U1, U2): 221,7; region and nation: + s4 295 -> 240,0
    unit = _block(_basis(SubjectKind.SCHOOL_UNIT, "U1"), "gr9_merit_value")
    organizer = _block(_basis(SubjectKind.ORGANIZER, "O1"), "gr9_merit_value")
    region = _block(_basis(SubjectKind.REGION, "R"), "gr9_merit_value")
    assert unit.value.value == pytest.approx(202.5)
    assert organizer.value.value == pytest.approx(665 / 3)
    assert region.value.value == pytest.approx(240.0)
    by_kind = {c.kind: c for c in unit.comparisons}
    assert by_kind["nation"].figure.value == pytest.approx(240.0)
    assert by_kind["municipality"].label_sv == "Göteborg (hela kommunen)"
    assert by_kind["municipality"].figure.value == pytest.approx(665 / 3)
    assert by_kind["region"].label_sv == "Testregionen"


@pytest.mark.parametrize("cached", [False, True])
def test_the_region_shows_each_members_own_figure_side_by_side(cached):
    # by school municipality: 1480 holds U1 and U2 (221,7), 1401 holds U3 (295,0)
    merit = _block(_basis(SubjectKind.REGION, "R", cached=cached), "gr9_merit_value")
    members = {m.label_sv: m.figure.value for m in merit.members}
    assert members == {"Göteborg": pytest.approx(665 / 3), "Härryda": pytest.approx(295.0)}


def test_levels_cube_ties_every_level_of_the_region():
    from likvard_core.analytics.quality.indicators import indicator_values
    from likvard_core.analytics.quality.levels_cube import MARGINS, level_of, levels_cube
    from likvard_core.disclosure.suppress import suppress_cube

    with Snapshot.from_tables(tiny_tables(2025), version="tiny-v1") as db:
        values = indicator_values(
            db, years=[2025], regions={"R": ["1480", "1401"]}, school_municipalities=UNITS
        )
    cube = levels_cube(
        values.long, indicator="gr9_merit_value", region_code="R", members=["1480", "1401"],
        unit_municipalities=UNITS, version="tiny-v1", year=2025,
    )  # fmt: skip
    assert set(MARGINS) <= set(cube.dims)
    rows = {level_of(r): r["n"] for r in cube.table.to_pylist()}
    # U1 2 + U2 1 = O1 3 = municipality 1480; U3 2 = O2 = 1401; R = nation = 5
    assert rows == {
        ("school_unit", "U1"): 2, ("school_unit", "U2"): 1, ("school_unit", "U3"): 2,
        ("organizer", "O1"): 3, ("organizer", "O2"): 2, ("municipality", "1480"): 3,
        ("municipality", "1401"): 2, ("region", "R"): 5, ("nation", ""): 5,
    }  # fmt: skip
    released = suppress_cube({"c": cube}, min_group=3, known={"organizer_code": {"O1"}})["c"]
    status = {level_of(r): r["status"] for r in released.table.to_pylist()}
    # U3 (2) is too few; O2 and 1401 are the same students: hidden with it, not left to
    # be read off as the region's 5 minus 1480's 3
    assert status[("school_unit", "U3")] == "too_few"
    assert status[("organizer", "O2")] != "exists"
    assert status[("municipality", "1401")] != "exists"
    assert status[("organizer", "O1")] == "exists"  # the viewer's own, known
