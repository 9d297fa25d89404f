"""Cohort forecast, transition, movement and demand on the tiny region, computed by hand."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from likvard_core.analytics.planning.cohorts import cohort_forecast, migration_ratios
from likvard_core.analytics.planning.demand import first_choice_shares, programme_demand
from likvard_core.analytics.planning.patterns import (
    expected_students,
    movement_pattern,
    transition_rate,
)
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.planning.tiny import SCHOOL_MUNICIPALITY, A, B, tiny_snapshot


def _by(table: pa.Table, *keys: str) -> dict[tuple[object, ...], dict[str, object]]:
    return {tuple(row[k] for k in keys): row for row in table.to_pylist()}


def test_migration_ratios_pool_genders_and_years():
    with tiny_snapshot() as db:
        ratios = _by(
            migration_ratios(db, municipalities=[A, B], from_year=2024), "municipality_code", "age"
        )
    assert ratios[(A, 14)]["ratio"] == pytest.approx(12 / 10)
    assert ratios[(A, 15)]["ratio"] == pytest.approx(22 / 20)
    assert ratios[(B, 15)]["ratio"] == pytest.approx(1.0)
    assert (B, 14) not in ratios  # no 14-year-olds in B: no step, ratio 1 in the forecast


def test_cohort_forecast_by_hand():
    with tiny_snapshot() as db:
        forecast = cohort_forecast(db, municipalities=[A, B], from_year=2024, horizon=2)
    rows = _by(forecast.table, "municipality_code", "year")
    assert rows[(A, 2024)]["cohort"] == pytest.approx(22)  # observed
    assert rows[(A, 2025)]["cohort"] == pytest.approx(12 * 1.1)
    assert rows[(A, 2026)]["cohort"] == pytest.approx(8 * 1.2 * 1.1)
    assert rows[(B, 2025)]["cohort"] == pytest.approx(5)
    assert (B, 2026) not in rows  # no 14-year-olds in B in 2024
    assert not forecast.population.student_level


def test_forecast_rejects_a_horizon_past_birth():
    with tiny_snapshot() as db, pytest.raises(ValueError, match="horizon"):
        cohort_forecast(db, municipalities=[A], from_year=2024, horizon=17)


def test_transition_rate_and_movement_shares():
    with tiny_snapshot() as db:
        rate = transition_rate(db, municipalities=[A, B], years=range(2019, 2024))
        pattern = movement_pattern(
            db, municipalities=[A, B], years=range(2019, 2024),
            school_municipality=SCHOOL_MUNICIPALITY,
        )  # fmt: skip
    assert (rate.students, rate.persons, rate.years) == (35, 40, (2023,))
    assert rate.rate == pytest.approx(0.875)
    shares = _by(
        pattern.table, "home_municipality_code", "programme_code", "school_municipality_code"
    )
    assert shares[(A, "NA", A)]["share"] == pytest.approx(18 / 27)
    assert shares[(A, "EE", B)]["share"] == pytest.approx(9 / 27)
    assert shares[(B, "NA", A)]["share"] == pytest.approx(1.0)
    assert pattern.organizers == {"2120000001", "2120000002"}


def test_expected_students_by_programme_and_school_municipality():
    with tiny_snapshot() as db:
        forecast = cohort_forecast(db, municipalities=[A, B], from_year=2024, horizon=1)
        rate = transition_rate(db, municipalities=[A, B], years=range(2023, 2024))
        pattern = movement_pattern(
            db, municipalities=[A, B], years=range(2023, 2024),
            school_municipality=SCHOOL_MUNICIPALITY,
        )  # fmt: skip
    expected = expected_students(forecast, rate, pattern, scope="tiny")
    rows = _by(expected.table, "year", "programme_code", "school_municipality_code")
    # 2025: A 13.2 · 0.875 split 2/3 NA in A, 1/3 EE in B; B 5 · 0.875 all NA in A.
    assert rows[(2025, "NA", A)]["expected_students"] == pytest.approx(
        13.2 * 0.875 * 2 / 3 + 5 * 0.875
    )
    assert rows[(2025, "EE", B)]["expected_students"] == pytest.approx(13.2 * 0.875 / 3)
    assert rows[(2025, "NA", A)]["basis_students"] == 26
    total_2025 = sum(
        r["expected_students"] for r in expected.table.to_pylist() if r["year"] == 2025
    )
    assert total_2025 == pytest.approx((13.2 + 5) * 0.875)
    assert expected.population.student_level


def test_home_without_history_gets_the_region_pattern():
    rows = [
        {"year": y, "municipality_code": code, "age": 16, "gender": "F", "persons": 10}
        for y in (2023, 2024) for code in (A, B)
    ]  # fmt: skip
    enrolments = [
        {"school_year": 2024, "student_key": f"s{i}", "school_unit_code": "11110001",
         "organizer_code": "o", "school_form": "gymnasieskola", "grade_year": 1,
         "programme_code": "NA" if i < 6 else "EE", "home_municipality_code": A, "gender": "F",
         "born_abroad": False, "newly_arrived": False, "parents_education": 2.0}
        for i in range(8)
    ]  # fmt: skip
    with Snapshot.from_tables(
        {"population": pa.Table.from_pylist(rows), "enrolments": pa.Table.from_pylist(enrolments)},
        "v",
    ) as db:
        forecast = cohort_forecast(db, municipalities=[A, B], from_year=2024, horizon=0)
        rate = transition_rate(db, municipalities=[A, B], years=range(2023, 2024))
        pattern = movement_pattern(
            db, municipalities=[A, B], years=range(2023, 2024),
            school_municipality={"11110001": A},
        )  # fmt: skip
    expected = expected_students(forecast, rate, pattern, scope="v")
    by_programme = _by(expected.table, "programme_code")
    # 20 persons · (8 / 20) = 8 expected, split 6:2 for both homes alike.
    assert by_programme[("NA",)]["expected_students"] == pytest.approx(6)
    assert by_programme[("EE",)]["expected_students"] == pytest.approx(2)


def test_first_choice_shares_and_demand():
    with tiny_snapshot() as db:
        shares = first_choice_shares(db, municipalities=[A, B], years=range(2019, 2024))
        forecast = cohort_forecast(db, municipalities=[A, B], from_year=2024, horizon=1)
    by_programme = _by(shares, "programme_code")
    assert by_programme[("NA",)]["first_choice_share"] == pytest.approx(26 / 40)
    assert by_programme[("EE",)]["first_choice_share"] == pytest.approx(12 / 40)
    assert ("SA",) not in by_programme  # second choices do not count
    demand = programme_demand(forecast, shares, scope="tiny", organizers=frozenset())
    rows = _by(demand.table, "year", "programme_code")
    assert rows[(2024, "NA")]["demand"] == pytest.approx(32 * 26 / 40)
    assert rows[(2025, "EE")]["demand"] == pytest.approx(18.2 * 12 / 40)
    assert rows[(2025, "EE")]["basis_applicants"] == 12


@settings(max_examples=25, deadline=None)
@given(counts=st.lists(st.integers(0, 400), min_size=6, max_size=6))
def test_forecast_of_a_closed_population_keeps_its_cohorts(counts):
    """With no migration (ratio 1 everywhere) each cohort arrives at 16 unchanged, and the
    forecast's sum over municipalities equals the sum of the observed cohorts."""
    rows = []
    for index, code in enumerate((A, B)):
        ages = counts[index * 3 : index * 3 + 3]
        for age, n in zip((14, 15, 16), ages, strict=True):
            rows.append(
                {"year": 2024, "municipality_code": code, "age": age, "gender": "F", "persons": n}
            )
            rows.append(
                {
                    "year": 2023,
                    "municipality_code": code,
                    "age": age - 1,
                    "gender": "F",
                    "persons": n,
                }
            )
    with Snapshot.from_tables({"population": pa.Table.from_pylist(rows)}, "p") as db:
        forecast = cohort_forecast(db, municipalities=[A, B], from_year=2024, horizon=2)
    table = forecast.table.to_pylist()
    for year, age in ((2024, 16), (2025, 15), (2026, 14)):
        observed = counts[age - 14] + counts[3 + age - 14]
        forecast_sum = sum(r["cohort"] for r in table if r["year"] == year)
        assert forecast_sum == pytest.approx(observed)
