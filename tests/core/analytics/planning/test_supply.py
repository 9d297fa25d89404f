"""Supply against demand and scenarios, by hand and as properties."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from likvard_core.analytics.planning.cohorts import cohort_forecast
from likvard_core.analytics.planning.demand import first_choice_shares, programme_demand
from likvard_core.analytics.planning.supply import (
    NO_SURVEY,
    SURVEY_SCHEMA,
    Change,
    Coverage,
    first_year_enrolment,
    latest_enrolment_year,
    supply_vs_demand,
    with_scenario,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from tests.core.analytics.planning.tiny import U1, U2, A, B, tiny_snapshot

YEARS = [2025, 2026]


def _demand() -> tuple[Aggregate, pa.Table]:
    with tiny_snapshot() as db:
        forecast = cohort_forecast(db, municipalities=[A, B], from_year=2024, horizon=2)
        shares = first_choice_shares(db, municipalities=[A, B], years=range(2019, 2024))
        year = latest_enrolment_year(db, school_units=[U1, U2])
        assert year == 2024
        enrolment = first_year_enrolment(db, school_units=[U1, U2], school_year=year)
    return programme_demand(forecast, shares, scope="tiny", organizers=frozenset()), enrolment


def _survey(rows: list[tuple[str, str, int, int]]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
    return pa.table(dict(zip(SURVEY_SCHEMA.names, columns, strict=True)), schema=SURVEY_SCHEMA)


def _by(table: pa.Table) -> dict[tuple[int, str], dict[str, object]]:
    return {(r["year"], r["programme_code"]): r for r in table.to_pylist()}


def test_supply_from_enrolment_without_a_survey():
    demand, enrolment = _demand()
    result = supply_vs_demand(
        demand, years=YEARS, survey=_survey([]), coverage=NO_SURVEY, enrolment=enrolment
    )
    rows = _by(result.table)
    assert rows[(2025, "NA")]["supply"] == 26  # last year's first-year students at U1
    assert rows[(2026, "EE")]["supply"] == 9
    # 2025 region cohort 13.2 + 5 = 18.2; NA share 26/40.
    assert rows[(2025, "NA")]["gap"] == pytest.approx(26 - 18.2 * 26 / 40)
    assert {year for year, _ in rows} == set(YEARS)


def test_survey_places_replace_enrolment_for_covered_units_and_carry_forward():
    demand, enrolment = _demand()
    survey = _survey([(U1, "NA", 2025, 30), (U1, "TE", 2025, 15), (U2, "EE", 2025, 99)])
    coverage = Coverage(frozenset({U1}), 2025, 2025)  # U2's municipality has not submitted
    rows = _by(
        supply_vs_demand(
            demand, years=YEARS, survey=survey, coverage=coverage, enrolment=enrolment
        ).table
    )
    assert rows[(2025, "NA")]["supply_survey"] == 30
    assert rows[(2025, "NA")]["supply_enrolment"] == 0
    assert rows[(2026, "NA")]["supply"] == 30  # carried forward past the survey's last year
    assert rows[(2025, "TE")]["supply"] == 15
    assert rows[(2025, "TE")]["demand"] == 0
    assert rows[(2025, "EE")]["supply"] == 9  # U2 is not covered: its enrolment, not 99


def test_scenario_adds_places_from_its_year():
    demand, enrolment = _demand()
    base = supply_vs_demand(
        demand, years=YEARS, survey=_survey([]), coverage=NO_SURVEY, enrolment=enrolment
    )
    changed = with_scenario(base, [Change(U2, "EE", 2026, 30), Change(U1, "BA", 2025, 10)])
    rows = _by(changed.table)
    assert rows[(2025, "EE")]["scenario_change"] == 0
    assert rows[(2026, "EE")]["scenario_supply"] == 9 + 30
    assert rows[(2026, "EE")]["scenario_gap"] == pytest.approx(rows[(2026, "EE")]["gap"] + 30)
    assert rows[(2025, "BA")]["supply"] == 0  # a programme new to the region gets a row
    assert rows[(2025, "BA")]["scenario_supply"] == 10
    assert changed.table.num_rows == base.table.num_rows + 2


def _random_aggregate(years: list[int], programmes: list[str], supply: list[int]) -> Aggregate:
    keys = [(y, p) for y in years for p in programmes]
    table = pa.table(
        {
            "year": pa.array([k[0] for k in keys], pa.int16()),
            "programme_code": [k[1] for k in keys],
            "basis_applicants": pa.array([10] * len(keys), pa.int64()),
            "supply": pa.array([supply[i % len(supply)] for i in range(len(keys))], pa.int64()),
            "demand": pa.array([5.5] * len(keys), pa.float64()),
            "gap": pa.array([supply[i % len(supply)] - 5.5 for i in range(len(keys))]),
        }
    )
    return Aggregate(
        table, ("year", "programme_code"), "basis_applicants", ("supply", "demand", "gap"),
        Population("p", frozenset(), Level.REGION), "v",
    )  # fmt: skip


CHANGE = st.builds(
    Change,
    school_unit_code=st.just(U1),
    programme_code=st.sampled_from(["EE", "NA", "BA", "VO"]),
    from_year=st.integers(2023, 2031),
    places=st.integers(-60, 60),
)


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(CHANGE, max_size=6),
    supply=st.lists(st.integers(0, 200), min_size=1, max_size=5),
)
def test_scenario_differences_sum_to_the_changes(changes, supply):
    years = list(range(2025, 2030))
    base = _random_aggregate(years, ["EE", "NA"], supply)
    changed = with_scenario(base, changes).table.to_pylist()
    expected = sum(c.places * sum(1 for y in years if y >= c.from_year) for c in changes)
    assert sum(r["scenario_change"] for r in changed) == expected
    for row in changed:
        assert row["scenario_supply"] - row["supply"] == row["scenario_change"]
        assert row["scenario_gap"] == pytest.approx(row["scenario_supply"] - row["demand"])
    kept = {(r["year"], r["programme_code"]): r["supply"] for r in changed}
    for row in base.table.to_pylist():
        assert kept[(row["year"], row["programme_code"])] == row["supply"]
