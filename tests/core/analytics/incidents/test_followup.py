"""Incident follow-up figures derived by hand from six cases at three school units."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from likvard_core.analytics.incidents.cases import school_unit_cases
from likvard_core.analytics.incidents.followup import (
    followup_breakdowns,
    followup_by,
    incident_cells,
)

U1, U2, U3, U4 = "11111111", "22222222", "33333333", "44444444"
O1, O2 = "1111111111", "2222222222"
ORGANIZERS = {U1: O1, U2: O1, U3: O2, U4: O2}  # U4 delivered no case: not counted
D = dt.date


def _case(unit, case, reported, kind, *steps):  # steps: investigated, measures, closed
    investigated, measures, closed = (*steps, None, None, None)[:3]
    return {
        "school_unit_code": unit, "case_id": case, "reported_on": reported,
        "incident_kind": kind, "investigated_on": investigated, "measures_on": measures,
        "closed_on": closed,
    }  # fmt: skip


CASES = [
    # school year 2024/25 (2025)
    _case(
        U1, "1", D(2024, 9, 2), "student_to_student",
        D(2024, 9, 4), D(2024, 9, 10), D(2024, 10, 1),
    ),
    _case(U1, "2", D(2024, 11, 5), "student_to_student", D(2024, 11, 25), D(2024, 12, 20)),
    _case(U1, "3", D(2025, 3, 1), "staff_to_student", D(2025, 3, 1)),
    _case(U2, "1", D(2025, 6, 30), "discrimination"),
    _case(U3, "1", D(2025, 2, 1), "student_to_student", D(2025, 2, 10), None, D(2025, 2, 20)),
    # school year 2025/26 (2026): 1 July starts it
    _case(U3, "2", D(2025, 7, 1), "other", D(2025, 7, 3)),
]  # fmt: skip


def _enrolled(unit, year, n):
    return [
        {"school_year": year, "student_key": f"{unit}-{i}", "school_unit_code": unit,
         "organizer_code": ORGANIZERS[unit], "school_form": "grundskola", "grade_year": 7,
         "programme_code": None, "home_municipality_code": "1480", "gender": "F",
         "born_abroad": False, "newly_arrived": False, "parents_education": 2.0}
        for i in range(n)
    ]  # fmt: skip


ENROLMENTS = [
    *_enrolled(U1, 2025, 50), *_enrolled(U2, 2025, 30), *_enrolled(U3, 2025, 20),
    *_enrolled(U4, 2025, 100), *_enrolled(U3, 2026, 25),
]  # fmt: skip


@pytest.fixture
def cells(make_snapshot):
    tables = {
        "incidents": pa.Table.from_pylist(CASES),
        "enrolments": pa.Table.from_pylist(ENROLMENTS),
    }
    with make_snapshot(tables) as db:
        return incident_cells(db, unit_organizers=ORGANIZERS, within_days=14)


def _row(aggregate, year, key):
    by = aggregate.dims[-1]
    rows = [r for r in aggregate.table.to_pylist() if r["school_year"] == year and r[by] == key]
    assert len(rows) == 1
    return rows[0]


def test_region_total_of_2025(cells):
    aggregate = followup_by(cells, by="organizer_code", data_version="t", scope="x")
    row = _row(aggregate, 2025, None)
    assert row["reports"] == 5
    # stages: U2/1 not investigated; U1/3 investigating; U1/2 measures, open; U1/1, U3/1 closed
    stages = (row["not_investigated"], row["investigating"], row["measures_taken"], row["closed"])
    assert stages == (1, 1, 1, 2)
    assert sum(stages) == row["reports"]
    # investigated within 14 days: U1/1 (2 d), U1/3 (0 d), U3/1 (9 d); not U1/2 (20 d)
    assert row["investigated_within"] == 3
    # measures within 14 days: U1/1 (8 d); not U1/2 (45 d)
    assert row["measures_within"] == 1
    assert row["closed_share"] == pytest.approx(2 / 5)
    assert row["mean_days_investigated"] == pytest.approx((2 + 20 + 0 + 9) / 4)
    assert row["mean_days_measures"] == pytest.approx((8 + 45) / 2)
    # students of the delivering units U1, U2, U3 only (U4 never delivered a case)
    assert row["students"] == 100
    assert row["per_100"] == pytest.approx(5.0)


def test_per_unit_and_organizer(cells):
    units = followup_by(cells, by="school_unit_code", data_version="t", scope="x")
    u1 = _row(units, 2025, U1)
    assert (u1["reports"], u1["students"], u1["per_100"]) == (3, 50, pytest.approx(6.0))
    assert _row(units, 2025, U2)["reports"] == 1
    assert "not_investigated" not in units.table.schema.names  # a unit shows no stages
    organizers = followup_by(cells, by="organizer_code", data_version="t", scope="x")
    o1 = _row(organizers, 2025, O1)
    assert (o1["reports"], o1["students"]) == (4, 80)
    assert o1["per_100"] == pytest.approx(5.0)
    assert _row(organizers, 2025, O2)["per_100"] == pytest.approx(5.0)  # 1 of 20
    assert U4 not in units.population.school_units


def test_school_year_starts_on_1_july(cells):
    aggregate = followup_by(cells, by="incident_kind", data_version="t", scope="x")
    row = _row(aggregate, 2026, None)
    assert (row["reports"], row["investigating"], row["students"]) == (1, 1, 25)
    assert _row(aggregate, 2026, "other")["students"] is None  # students do not split by kind
    assert _row(aggregate, 2025, "student_to_student")["reports"] == 3


def test_aggregate_counts_reports_with_margin_totals(cells):
    aggregate = followup_by(cells, by="organizer_code", data_version="t", scope="x")
    assert aggregate.count == "reports"
    assert aggregate.margins == ("organizer_code",)
    assert "closed" in aggregate.values


def test_units_for_one_year_only(cells):
    tables = followup_breakdowns(cells, data_version="t", scope="x", unit_year=2026)
    assert set(tables["school_unit_code"].table.column("school_year").to_pylist()) == {2026}
    assert set(tables["organizer_code"].table.column("school_year").to_pylist()) == {2025, 2026}


def test_case_list_of_one_unit(make_snapshot):
    with make_snapshot({"incidents": pa.Table.from_pylist(CASES)}) as db:
        table = school_unit_cases(db, school_unit=U1)
    assert table.column("case_id").to_pylist() == ["3", "2", "1"]  # newest first
    assert table.column("days_measures").to_pylist() == [None, 45, 8]
