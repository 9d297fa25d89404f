"""Komvux: a start that has not ended has no completed, interrupted or continuing outcome.

The demo's shape (issue #15): a course in a municipality shows 16 enrolled, all 16 not
reported (its starts run into next year), and its outcomes empty; its two starts are hidden.
Sent to the auditor as hidden cells, the starts' outcomes were pinned to 0 (enrolled = the
outcomes + not reported, summed over the starts gives 16 = 0 + 16): reported as exposed,
though they are no figure at all. Declared not applicable (the course calendar says which
starts have ended), they are no cell, and the starts' real cells stay protected.
"""

import dataclasses

from likvard_core.audit.audit import audit
from likvard_core.audit.model import Grouping, NotApplicable, ReleasedTable, Total

SHOWN, TOO_FEW, COMPLEMENTARY = "exists", "too_few", "suppressed_complementary"
TOTAL = Total(None, complete=True)
TOTALS = {"course_code": TOTAL, "municipality_code": TOTAL, "start_key": TOTAL}
COUNTS = ("enrolled", "completed", "interrupted", "continuing", "not_reported")
PARTS = {"enrolled": COUNTS[1:]}
OUTCOMES = ("completed", "interrupted", "continuing")
STARTS = ("1482/s5", "1482/s7")


def _row(**values: object) -> dict[str, object]:
    return {"year": 2025, "municipality_code": "1482", **values}


def _courses() -> ReleasedTable:
    rows = [
        _row(course_code="RESTKO", enrolled=16, completed=None, interrupted=None,
             continuing=None, not_reported=16, status=SHOWN),
    ]  # fmt: skip
    return ReleasedTable(
        analysis="komvux", name="organizer/enrolment/course_code", family="komvux.enrolment",
        dims=("year", "municipality_code", "course_code"), counts=COUNTS, rows=rows,
        min_group=5, totals=TOTALS, parts=PARTS,
    )  # fmt: skip


def _starts(*, declared: bool) -> ReleasedTable:
    rows = [
        _row(course_code="RESTKO", start_key=start, status=status,
             **dict.fromkeys(COUNTS))
        for start, status in zip(STARTS, (COMPLEMENTARY, TOO_FEW), strict=True)
    ]  # fmt: skip
    keys = frozenset((2025, "1482", "RESTKO", s) for s in STARTS)
    return ReleasedTable(
        analysis="komvux", name="organizer/enrolment/start_key", family="komvux.enrolment",
        dims=("year", "municipality_code", "course_code", "start_key"), counts=COUNTS,
        rows=rows, min_group=5, totals=TOTALS, parts=PARTS,
        groupings={"start_key": Grouping("course_code", dict.fromkeys(STARTS, "RESTKO"))},
        not_applicable=NotApplicable(OUTCOMES, keys) if declared else None,
    )  # fmt: skip


def test_outcomes_of_unended_starts_sent_as_hidden_cells_are_pinned_to_zero():
    result = audit([_courses(), _starts(declared=False)])
    assert {f.measure for f in result.findings} == set(OUTCOMES)
    assert result.exposed == 2 * len(OUTCOMES)
    assert all(f.interval.high < 0.5 for f in result.findings)


def test_declared_not_applicable_they_are_no_cell_and_nothing_is_exposed():
    result = audit([_courses(), _starts(declared=True)])
    assert result.findings == []
    assert result.exposed == 0
    measures = {cell_id[1] for cell_id in result.intervals}
    assert measures == {"enrolled", "not_reported"}
    for start in STARTS:  # the starts' enrolled stay protected: 16 shared by two
        key = (("course_code", "RESTKO"), ("municipality_code", "1482"),
               ("start_key", start), ("year", 2025))  # fmt: skip
        assert result.intervals["komvux.enrolment", "enrolled", key].width >= 1


def test_a_figure_shown_where_it_cannot_occur_is_a_conflict():
    starts = _starts(declared=True)
    rows = [dict(r) for r in starts.rows]
    rows[0].update(status=SHOWN, enrolled=12, completed=0, interrupted=0, continuing=0,
                   not_reported=12)  # fmt: skip
    result = audit([_courses(), dataclasses.replace(starts, rows=rows)])
    assert result.conflicts == len(OUTCOMES)
