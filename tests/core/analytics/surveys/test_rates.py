"""Response rates per unit and year group: respondents over the enrolled, each counted once."""

from __future__ import annotations

import pyarrow as pa

from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.analytics.surveys.results import index_aggregate
from likvard_core.disclosure.aggregate import Level

PLACES = {"11111111": ("2120001256", "1384"), "22222222": ("2120001256", "1384")}


def _aggregate(level: Level) -> pa.Table:
    version = definition_get("gr-elev/2025")
    assert version is not None
    respondents = pa.table({
        "school_unit_code": ["11111111"] * 3 + ["22222222"],
        "year_group": pa.array([5, 5, None, 8], pa.int8()),
        "gender": ["F", "M", None, "F"],
        "index_key": ["trygghet"] * 4,
        "index_value": [10.0, 5.0, 0.0, 8.0],
    })  # fmt: skip
    eligible = pa.table({
        "school_unit_code": ["11111111", "22222222", "33333333"],
        "year_group": pa.array([5, 8, 5], pa.int8()),
        "eligible": [6, 4, 50],
    })  # fmt: skip
    answered = pa.table({
        "school_unit_code": ["11111111", "11111111", "11111111", "22222222"],
        "year_group": pa.array([5, 5, None, 8], pa.int8()),
        "gender": ["F", "M", None, "F"],
        "respondents": [1, 1, 1, 1],
    })  # fmt: skip
    return index_aggregate(
        respondents, eligible, answered, version=version, level=level, places=PLACES,
        scope="test", data_version="1",
    ).table  # fmt: skip


def test_a_respondent_without_year_group_counts_once_in_the_unit_total():
    rows = {r["school_unit_code"]: r for r in _aggregate(Level.SCHOOL_UNIT).to_pylist()}
    assert rows["11111111"]["response_rate"] == 3 / 6  # not 4 / 6
    assert rows["11111111"]["n"] == 3
    assert rows["22222222"]["response_rate"] == 1 / 4


def test_the_municipality_rate_leaves_out_units_not_surveyed():
    rows = _aggregate(Level.MUNICIPALITY).to_pylist()
    total = next(r for r in rows if r["year_group"] is None and r["gender"] is None)
    assert total["response_rate"] == 4 / 10  # 33333333 did not take part
    year5 = next(r for r in rows if r["year_group"] == 5 and r["gender"] is None)
    assert year5["response_rate"] == 2 / 6


def test_a_guardians_rate_counts_two_guardians_per_pupil_and_never_passes_100_percent():
    """By hand: unit 11111111 has 4 pupils in year 5, so 8 guardians invited; 6 guardians
    answered (both guardians of two pupils, one of two others): 6 / 8 = 75 %. Counted against
    the 4 pupils it was 6 / 4 = 150 %. Unit 22222222: 5 pupils in year 8, 3 answers: 3 / 10."""
    version = definition_get("gr-vh/2025")
    assert version is not None
    units = ["11111111"] * 6 + ["22222222"] * 3
    respondents = pa.table({
        "school_unit_code": units, "year_group": pa.array([5] * 6 + [8] * 3, pa.int8()),
        "gender": pa.nulls(9, pa.string()), "index_key": ["trygghet"] * 9,
        "index_value": [10.0, 6.67, 6.67, 3.33, 10.0, 10.0, 0.0, 3.33, 6.67],
    })  # fmt: skip
    eligible = pa.table({
        "school_unit_code": ["11111111", "22222222"],
        "year_group": pa.array([5, 8], pa.int8()), "eligible": [4, 5],
    })  # fmt: skip
    answered = pa.table({
        "school_unit_code": ["11111111", "22222222"], "year_group": pa.array([5, 8], pa.int8()),
        "gender": pa.nulls(2, pa.string()), "respondents": [6, 3],
    })  # fmt: skip
    table = index_aggregate(
        respondents, eligible, answered, version=version, level=Level.SCHOOL_UNIT,
        places=PLACES, scope="test", data_version="1",
    ).table  # fmt: skip
    rows = {r["school_unit_code"]: r for r in table.to_pylist()}
    assert rows["11111111"]["response_rate"] == 6 / 8
    assert rows["22222222"]["response_rate"] == 3 / 10
    assert rows["22222222"]["response_ok"] is True  # 30 %: the survey's threshold, met
    municipality = index_aggregate(
        respondents, eligible, answered, version=version, level=Level.MUNICIPALITY,
        places=PLACES, scope="test", data_version="1",
    ).table.to_pylist()  # fmt: skip
    total = next(r for r in municipality if r["year_group"] is None and r["gender"] is None)
    assert total["response_rate"] == 9 / 18
    assert max(r["response_rate"] or 0 for r in municipality) <= 1
