"""The early-warning rule per student and term, and the counts per school unit."""

from __future__ import annotations

import pytest

from likvard_core.analytics.completion.warning import (
    WarningRule,
    student_terms,
    warning_counts,
    warning_list_rows,
)
from tests.core.analytics.completion import cohorts


@pytest.fixture
def db(make_snapshot):
    with make_snapshot(cohorts.history_tables()) as snapshot:
        yield snapshot


def _terms(db, rule):
    table = student_terms(db, rule)
    return {(r["student_key"], r["school_year"], r["term"]): r for r in table.to_pylist()}


def test_each_part_of_the_rule(db):
    terms = _terms(db, WarningRule())
    b_autumn_2020 = terms[("B", 2020, "HT")]
    assert b_autumn_2020["rate"] == pytest.approx(0.12)
    assert b_autumn_2020["previous_rate"] == pytest.approx(0.06)
    assert b_autumn_2020["window_rate"] == pytest.approx(0.09)
    assert (b_autumn_2020["by_level"], b_autumn_2020["by_window"]) == (True, False)
    assert b_autumn_2020["by_rise"] is True  # +6 points ≥ 5
    assert terms[("D", 2019, "HT")]["by_invalid"] is True  # 5 % invalid ≥ 3 %
    assert terms[("D", 2019, "HT")]["by_window"] is False  # no term before
    assert terms[("A", 2020, "VT")]["flagged"] is False
    c_spring = terms[("C", 2019, "VT")]
    assert (c_spring["by_level"], c_spring["by_window"], c_spring["flagged"]) == (
        False,
        False,  # (12 % + 2 %) / 2 = 7 %
        False,
    )


def test_switched_off_parts_never_match(db):
    terms = _terms(db, WarningRule(level=0.5, window_level=None, rise=None, invalid_level=None))
    assert not any(r["flagged"] for r in terms.values())


def test_counts_per_unit_organizer_and_total(db):
    aggregate = warning_counts(db, WarningRule(), years=(2019, 2019), organizers=None, scope="test")
    rows = {
        (r["term"], r["organizer_code"], r["school_unit_code"]): r
        for r in aggregate.table.to_pylist()
    }
    autumn = rows[("HT", "1111111111", cohorts.U1)]
    # Autumn 2019 at U1: A 2 %, B 4 %, C 12 %, D 25 % (+5 % invalid), F 2 %.
    assert (autumn["n"], autumn["flagged"], autumn["serious"], autumn["very_serious"]) == (
        5,
        2,
        1,
        1,
    )
    assert rows[("HT", None, None)]["n"] == 5
    assert rows[("HT", "1111111111", None)]["flagged_share"] == pytest.approx(0.4)


def test_the_schools_list_holds_the_latest_terms_flagged_students(db):
    table = warning_list_rows(db, WarningRule(), school_unit=cohorts.U1)
    rows = table.to_pylist()
    # Latest term with absence at U1: spring 2022 (F only, 2 %, not flagged).
    assert rows == []
    rule = WarningRule(level=0.01)
    rows = warning_list_rows(db, rule, school_unit=cohorts.U1).to_pylist()
    assert [(r["student_key"], r["school_year"], r["term"]) for r in rows] == [("F", 2022, "VT")]
    assert rows[0]["programme_code"] == "SA"
    assert rows[0]["grade_year"] == 4
