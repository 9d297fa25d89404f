"""Each completion rate derived by hand from a small cohort (see ``cohorts.py``)."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from likvard_core.analytics.completion.cohort import (
    BREAKDOWNS,
    completion_by,
    completion_followup,
    starter_cells,
)
from tests.core.analytics.completion import cohorts


@pytest.fixture
def cells(make_snapshot):
    with make_snapshot(cohorts.tables()) as db:
        return starter_cells(db, unit_municipalities=cohorts.unit_municipalities())


def _row(aggregate, year, group, key=None, by="home_municipality_code"):
    rows = [
        r
        for r in aggregate.table.to_pylist()
        if r["start_year"] == year and r["programme_group"] == group and r[by] == key
    ]
    assert len(rows) == 1
    return rows[0]


def test_all_starters_of_2019(cells):
    aggregate = completion_by(cells, by="home_municipality_code", data_version="t", scope="x")
    row = _row(aggregate, 2019, "all")
    # A-G start in 2019 (H is first seen in årskurs 2, so not a starter).
    assert row["n"] == 7
    assert row["diploma_3"] == 1  # A
    assert row["diploma_4"] == 4  # A, B (a year late), C (changed school), E (from IMV)
    assert row["diploma_5"] == 5  # and F after a fourth year
    assert row["diploma_4_share"] == pytest.approx(4 / 7)
    assert row["diploma_4_low"] < 4 / 7 < row["diploma_4_high"]
    # At 4 years: F still studying, G left with a studiebevis, D interrupted.
    assert (row["studying_4"], row["certificate_4"], row["interrupted_4"]) == (1, 1, 1)
    assert row["diploma_4"] + row["studying_4"] + row["certificate_4"] + row["interrupted_4"] == 7
    assert (row["moved_programme"], row["moved_organizer"], row["moved_municipality"]) == (2, 1, 1)
    assert row["im_to_national"] == 1  # E
    assert row["im_to_national_share"] == pytest.approx(1 / 7)


def test_national_programmes_exclude_introduction(cells):
    aggregate = completion_by(cells, by="home_municipality_code", data_version="t", scope="x")
    preparatory = _row(aggregate, 2019, "preparatory")  # A, D, F (NA, SA)
    assert (preparatory["n"], preparatory["diploma_3"], preparatory["diploma_4"]) == (3, 1, 1)
    assert preparatory["diploma_5_share"] == pytest.approx(2 / 3)  # F after a fourth year
    introduction = _row(aggregate, 2019, "introduction")
    assert (introduction["n"], introduction["diploma_4"]) == (1, 1)
    vocational = _row(aggregate, 2019, "vocational")
    assert (vocational["n"], vocational["diploma_4"]) == (3, 2)  # B, C of B, C, G


def test_horizon_not_reached_is_null(cells):
    aggregate = completion_by(cells, by="home_municipality_code", data_version="t", scope="x")
    row = _row(aggregate, 2023, "all")
    assert row["n"] == 1
    assert row["observed_3"] == 0
    assert row["diploma_3_share"] is None or math.isnan(row["diploma_3_share"])


def test_breakdowns_by_unit_and_background(cells):
    by_unit = completion_by(cells, by="school_unit_code", data_version="t", scope="x")
    assert _row(by_unit, 2019, "all", cohorts.U1, by="school_unit_code")["n"] == 7  # start unit
    units = {r["school_unit_code"] for r in by_unit.table.to_pylist() if r["start_year"] == 2019}
    assert units == {cohorts.U1, None}  # C is counted where C started, not where C moved
    by_background = completion_by(cells, by="background", data_version="t", scope="x")
    abroad = _row(by_background, 2019, "all", "born_abroad", by="background")
    assert (abroad["n"], abroad["diploma_4"]) == (1, 1)


def test_organizer_filter_limits_the_population(cells):
    aggregate = completion_by(
        cells, by="organizer_code", data_version="t", scope="x", organizers=frozenset({"x"})
    )
    assert aggregate.table.num_rows == 0


def test_a_double_enrolment_and_years_past_the_window_do_not_count_as_moves(make_snapshot):
    enrolment, u1, u2 = cohorts.enrolment, cohorts.U1, cohorts.U2
    rows = [
        # K: enrolled at both units in 2019; the smaller unit code's row (U1, NA) is the start,
        # so staying in NA at U1 is no move, and the U2 row is not a second school.
        enrolment("K", 2019, u2, "BA", 1),
        *cohorts.span("K", 2019, u1, "NA", 3),
        # L: six years at U1 in SA, then BA at U2 in the sixth, past the five followed.
        *cohorts.span("L", 2016, u1, "SA", 5),
        enrolment("L", 2021, u2, "BA", 6),
    ]
    tables = {"enrolments": pa.Table.from_pylist(rows), "diplomas": cohorts.tables()["diplomas"]}
    with make_snapshot(tables) as db:
        cells = starter_cells(db, unit_municipalities=cohorts.unit_municipalities())
    by_unit = completion_by(cells, by="school_unit_code", data_version="t", scope="x")
    k = _row(by_unit, 2019, "all", u1, by="school_unit_code")
    assert (k["n"], k["moved_programme"], k["moved_organizer"], k["moved_municipality"]) == (
        1, 0, 0, 0,
    )  # fmt: skip
    row = _row(by_unit, 2016, "all", u1, by="school_unit_code")
    assert (row["n"], row["moved_programme"], row["moved_organizer"]) == (1, 0, 0)
    assert row["studying_4"] == 1  # still enrolled in its fourth year


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_the_direct_follow_up_is_the_cells_follow_up(make_snapshot, by):
    """``completion_followup`` counts one breakdown straight from the starters (the national
    follow-up); its table, rates and population equal ``completion_by`` over the cells."""
    enrolment, u1, u2 = cohorts.enrolment, cohorts.U1, cohorts.U2
    extra = [enrolment("K", 2019, u2, "BA", 1), *cohorts.span("K", 2019, u1, "NA", 3)]
    tables = cohorts.tables()
    tables["enrolments"] = pa.concat_tables(
        [tables["enrolments"], pa.Table.from_pylist(extra, schema=tables["enrolments"].schema)]
    )
    units = cohorts.unit_municipalities()
    with make_snapshot(tables) as db:
        cells = starter_cells(db, unit_municipalities=units)
        direct = completion_followup(
            db, by=by, unit_municipalities=units, data_version="t", scope="x"
        )
    expected = completion_by(cells, by=by, data_version="t", scope="x")
    assert direct.table.num_rows > 0
    assert direct.table.to_pylist() == expected.table.to_pylist()
    assert direct.table.schema == expected.table.schema
    assert direct.population == expected.population
    for field in ("dims", "values", "margins", "partitions", "parts", "part_sets"):
        assert getattr(direct, field) == getattr(expected, field), field
