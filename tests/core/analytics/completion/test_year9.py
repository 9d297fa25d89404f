"""Year-9 cohorts followed to upper secondary and a diploma, by hand (``cohorts.py``)."""

from __future__ import annotations

import pytest

from likvard_core.analytics.completion.year9 import year9_followup
from tests.core.analytics.completion import cohorts


def test_year9_cohort_of_2018(make_snapshot):
    with make_snapshot(cohorts.tables()) as db:
        aggregate = year9_followup(db, municipalities=None, scope="t")
    rows = {(r["year9_year"], r["home_municipality_code"]): r for r in aggregate.table.to_pylist()}
    total = rows[(2018, None)]
    assert total["n"] == 3  # A, D, J
    assert total["started_next_year"] == 2  # A and D start in 2019
    assert total["started_share"] == pytest.approx(2 / 3)
    assert total["diploma_3"] == 1  # A in 2021 = 2018 + 3; D never
    assert total["diploma_3_share"] == pytest.approx(1 / 3)
    assert rows[(2017, "1480")]["n"] == 1
    # B left year 9 in 2017 but started upper secondary only in 2019: not "the next autumn".
    assert rows[(2017, None)]["started_next_year"] == 0
    assert rows[(2017, None)]["diploma_5"] == 1  # B's diploma in 2022 = 2017 + 5
    assert rows[(2017, None)]["diploma_4_share"] == 0.0
