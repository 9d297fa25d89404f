"""The incident stage counts are cells of the release cube: no hidden one can be worked out.

A made-up year at six units of four organizers: unit U2 has four reports (under a school
unit's minimum of ten), organizer O3 three (under five), all closed, as are the six of O4. The
organizer table shows O1 = U1 + U2, so the gate must tie the unit table to the organizer's (the
unit's organizer beside it); O3's row is hidden and O4's with it, and were their stage counts
mere values, the region's "not investigated" minus the shown organizers' would pin both to 0.
So each stage count must be a cell tied to its row's reports and to the other levels. The
disclosure auditor's LP, which knows those ties from the definitions and the organisations'
hierarchy, then bounds every hidden count and stage count (the old shape: 7 exposed).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from likvard_core.analytics.incidents.followup import (
    STAGES,
    followup_by,
    followup_cubes,
    incident_cells,
)
from likvard_core.audit.audit import audit
from likvard_core.audit.model import Hierarchy, ReleasedTable, Total
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress_cube

U1, U2, U3, U4, U5, U6 = "11111111", "22222222", "33333333", "44444444", "55555555", "66666666"
O1, O2, O3, O4 = "1111111111", "2222222222", "3333333333", "4444444444"
ORGANIZERS = {U1: O1, U2: O1, U3: O2, U4: O2, U5: O3, U6: O4}
KINDS = ("student_to_student", "staff_to_student", "discrimination", "other")
D = dt.date


def _cases(unit: str, n: int, start: int = 0, closed: bool = False) -> list[dict[str, object]]:
    """``n`` cases in 2024/25 spread over the stages and kinds (all closed if ``closed``)."""
    out = []
    for i in range(start, start + n):
        reported = D(2024, 9, 1) + dt.timedelta(days=i)
        step = 3 if closed else i % 4  # 0 none, 1 investigated, 2 measures, 3 closed
        out.append({
            "school_unit_code": unit, "case_id": f"{unit}-{i}", "reported_on": reported,
            "incident_kind": KINDS[i % 3 if unit != U4 else 3],
            "investigated_on": reported + dt.timedelta(days=3) if step >= 1 else None,
            "measures_on": reported + dt.timedelta(days=20) if step >= 2 else None,
            "closed_on": reported + dt.timedelta(days=40) if step == 3 else None,
        })  # fmt: skip
    return out


CASES = [
    *_cases(U1, 30), *_cases(U2, 4, start=1), *_cases(U3, 12), *_cases(U4, 25),
    *_cases(U5, 3, closed=True), *_cases(U6, 6, closed=True),
]  # fmt: skip


@pytest.fixture
def cells(make_snapshot):
    enrolled = [
        {"school_year": 2025, "student_key": f"{u}-{i}", "school_unit_code": u,
         "organizer_code": o, "school_form": "grundskola", "grade_year": 7,
         "programme_code": None, "home_municipality_code": "1480", "gender": "F",
         "born_abroad": False, "newly_arrived": False, "parents_education": 2.0}
        for u, o in ORGANIZERS.items() for i in range(40)
    ]  # fmt: skip
    tables = {
        "incidents": pa.Table.from_pylist(CASES),
        "enrolments": pa.Table.from_pylist(enrolled),
    }
    with make_snapshot(tables) as db:
        return incident_cells(db, unit_organizers=ORGANIZERS, within_days=14)


def test_stages_are_parts_and_units_name_their_organizer(cells):
    for by in ("organizer_code", "incident_kind"):
        assert followup_by(cells, by=by, data_version="t", scope="x").parts == STAGES
    units = followup_by(cells, by="school_unit_code", data_version="t", scope="x")
    assert units.parts == ()  # a unit shows its reports, not its stages
    assert not set(STAGES) & set(units.table.schema.names)
    assert "closed_share" not in units.table.schema.names
    assert units.dims == ("school_year", "organizer_code", "school_unit_code")
    assert set(units.margins) == {"organizer_code", "school_unit_code"}
    row = next(r for r in units.table.to_pylist() if r["school_unit_code"] == U2)
    assert row["organizer_code"] == O1
    total = next(r for r in units.table.to_pylist() if r["school_unit_code"] is None)
    assert total["organizer_code"] is None


def test_one_cube_per_year_with_the_units_of_the_unit_year(cells, make_snapshot):
    cubes = followup_cubes(cells, data_version="t", scope="x", unit_year=2025)
    assert set(cubes) == {2025}
    assert set(cubes[2025]) == {"school_unit_code", "organizer_code", "incident_kind"}
    assert cubes[2025]["organizer_code"].population.scope == "incidents.followup/x/2025"


def _released(name: str, table: pa.Table, dims: tuple[str, ...], by: str) -> ReleasedTable:
    """A suppressed table as the auditor reads it: definitions from the documentation."""
    return ReleasedTable(
        analysis="incidents",
        name=name,
        family="incidents",
        dims=dims,
        counts=tuple(c for c in ("reports", *STAGES) if c in table.schema.names),
        rows=table.to_pylist(),
        min_group=SKOLVERKET_THRESHOLDS.default,
        min_group_where=dict(SKOLVERKET_THRESHOLDS.by_dim),
        totals={by: Total(None, complete=True)},
        parts={"reports": STAGES} if "closed" in table.schema.names else {},
    )


def test_no_hidden_count_or_stage_count_can_be_worked_out(cells):
    cube = followup_cubes(cells, data_version="t", scope="x", unit_year=2025)[2025]
    released = suppress_cube(cube, min_group=SKOLVERKET_THRESHOLDS)
    units = {r["school_unit_code"]: r for r in released["school_unit_code"].table.to_pylist()}
    assert units[U2]["status"] == "too_few"
    assert units[U2]["reports"] is None
    organizers = {r["organizer_code"]: r for r in released["organizer_code"].table.to_pylist()}
    # a shown row shows its stage counts, however small (a part of a large group)
    shown = [r for r in organizers.values() if r["status"] == "exists"]
    assert shown
    assert all(r["closed"] is not None for r in shown)
    tables = [
        _released(by, released[by].table, cube[by].dims, by)
        for by in ("school_unit_code", "organizer_code", "incident_kind")
    ]
    hierarchy = Hierarchy(unit_organizer=ORGANIZERS)
    result = audit(tables, hierarchy)
    (summary,) = result.summaries
    assert organizers[O3]["status"] == "too_few"
    assert organizers[O3]["closed"] is None
    assert summary.hidden >= 2 * 5  # at least two organizers' reports and stages
    assert result.exposed == 0, [f.describe() for f in result.findings]
