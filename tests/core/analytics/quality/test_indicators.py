"""Warehouse indicator values against hand-computed answers on the tiny warehouse."""

from __future__ import annotations

import math

import pytest

from likvard_core.analytics.quality.indicators import indicator_values
from likvard_core.disclosure.aggregate import Level
from tests.core.analytics.quality.tiny_warehouse import SCHOOL_MUNICIPALITY


def _value(values, level, indicator, group=None, code=None):
    aggregate = values.level(level)
    column = aggregate.dims[0] if aggregate.dims[0] != "indicator" else None
    for row in aggregate.table.to_pylist():
        same = row["indicator"] == indicator and row["group"] == group
        if same and (column is None or row[column] == code):
            return row
    raise AssertionError(f"no row {level} {indicator} {group} {code}")


def test_nation_values(tiny):
    values = indicator_values(tiny, years=[2025])
    row = _value(values, Level.NATION, "gr9_merit_value")
    assert (row["n"], row["denominator"]) == (5, 4)  # s5 has no E: not in the merit mean
    assert row["value"] == pytest.approx((180 + 225 + 260 + 295) / 4)
    assert _value(values, Level.NATION, "gr9_pass_all")["value"] == pytest.approx(40.0)
    assert _value(values, Level.NATION, "gr9_eligible_vocational")["value"] == pytest.approx(60.0)
    assert _value(values, Level.NATION, "gr9_eligible_es")["value"] == pytest.approx(60.0)
    assert _value(values, Level.NATION, "gr9_eligible_ek_hu_sa")["value"] == pytest.approx(60.0)
    assert _value(values, Level.NATION, "gr9_eligible_na_te")["value"] == pytest.approx(40.0)
    boys = _value(values, Level.NATION, "gr9_pass_all", "boys")
    assert (boys["n"], boys["value"]) == (3, pytest.approx(100 / 3))
    girls = _value(values, Level.NATION, "gr9_merit_value", "girls")
    assert (girls["n"], girls["value"]) == (2, pytest.approx(220.0))
    tests = _value(values, Level.NATION, "gr9_test_vs_grade")
    assert (tests["n"], tests["denominator"]) == (2, 3)
    assert tests["value"] == pytest.approx(100 / 3)


def test_unit_organizer_and_absence(tiny):
    values = indicator_values(tiny, years=[2025])
    org = _value(values, Level.ORGANIZER, "gr9_merit_value", code="O1")
    assert (org["n"], org["value"]) == (3, pytest.approx((180 + 225 + 260) / 3))
    unit = _value(values, Level.SCHOOL_UNIT, "gr_absence", code="U1")
    assert (unit["n"], unit["value"]) == (2, pytest.approx(20.0))
    assert values.level(Level.SCHOOL_UNIT).population.organizers == frozenset({"O1", "O2"})
    assert values.level(Level.ORGANIZER).dims == (
        "organizer_code",
        "indicator",
        "school_year",
        "group",
    )


def test_home_versus_school_municipality_and_region(tiny):
    home = indicator_values(tiny, years=[2025], regions={"R": ["1480"]})
    school = indicator_values(
        tiny, years=[2025], regions={"R": ["1480"]}, school_municipalities=SCHOOL_MUNICIPALITY
    )
    assert _value(home, Level.MUNICIPALITY, "gr9_merit_value", code="1480")["n"] == 2
    assert _value(school, Level.MUNICIPALITY, "gr9_merit_value", code="1480")["n"] == 3
    region = _value(school, Level.REGION, "gr9_merit_value", code="R")
    assert region["value"] == pytest.approx((180 + 225 + 260) / 3)
    assert home.municipality_basis.value == "home"
    assert school.municipality_basis.value == "school"


def test_interval_contains_value_and_filter(tiny):
    values = indicator_values(tiny, years=[2025], only_school_units=["U1", "U2"])
    assert set(values.aggregates) == {Level.SCHOOL_UNIT, Level.ORGANIZER}
    row = _value(values, Level.ORGANIZER, "gr9_pass_all", code="O1")
    assert row["ci_low"] <= row["value"] <= row["ci_high"]
    assert row["value"] == pytest.approx(100 / 3)
    merit = _value(values, Level.ORGANIZER, "gr9_merit_value", code="O1")
    assert merit["ci_low"] < merit["value"] < merit["ci_high"]
    assert not math.isnan(merit["ci_high"])
    with pytest.raises(ValueError, match="not warehouse"):
        indicator_values(tiny, years=[2025], indicators=["safety"])
