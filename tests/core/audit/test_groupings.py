"""Komvux: a start is a start of one course, so a course's starts add up to the course.

A region page shows applicants per course and per start (course, provider, date); the start
table's own total is every start of the year, so a small start hidden there is protected by
the other hidden starts. Tied to its course, the course's figure minus its shown starts gives
the small one back unless a second start of the same course is hidden too.
"""

import dataclasses

import pytest

from likvard_core.audit.audit import audit
from likvard_core.audit.model import Grouping, ReleasedTable, Total

SHOWN, TOO_FEW, COMPLEMENTARY = "exists", "too_few", "suppressed_complementary"
TOTAL = Total(None, complete=True)
COURSE_OF = {"1480/s1": "MATMAT01a", "1480/s2": "MATMAT01a", "1480/s3": "SVASVA01"}


def _courses(a: int | None, b: int | None, status_b: str = SHOWN) -> ReleasedTable:
    rows = [
        {"year": 2025, "course_code": None, "applicants": 40, "status": SHOWN},
        {"year": 2025, "course_code": "MATMAT01a", "applicants": a, "status": SHOWN},
        {"year": 2025, "course_code": "SVASVA01", "applicants": b, "status": status_b},
    ]
    return ReleasedTable(
        analysis="komvux",
        name="region/applications/course_code",
        family="komvux.applications",
        dims=("year", "course_code"),
        counts=("applicants",),
        rows=rows,
        min_group=5,
        totals={"course_code": TOTAL, "municipality_code": TOTAL, "start_key": TOTAL},
    )


def _starts(s2_status: str, s3_status: str, *, grouped: bool = True) -> ReleasedTable:
    values = {"1480/s1": 12, "1480/s2": 3, "1480/s3": 25}
    statuses = {"1480/s1": SHOWN, "1480/s2": s2_status, "1480/s3": s3_status}
    rows = [{"year": 2025, "municipality_code": None, "start_key": None, "applicants": 40,
             "status": SHOWN}]  # fmt: skip
    for start, n in values.items():
        shown = statuses[start] == SHOWN
        rows.append(
            {"year": 2025, "municipality_code": "1480", "start_key": start,
             "applicants": n if shown else None, "status": statuses[start]}
        )  # fmt: skip
    return ReleasedTable(
        analysis="komvux",
        name="region/applications/start_key",
        family="komvux.applications",
        dims=("year", "municipality_code", "start_key"),
        counts=("applicants",),
        rows=rows,
        min_group=5,
        totals={"course_code": TOTAL, "municipality_code": TOTAL, "start_key": TOTAL},
        groupings={"start_key": Grouping("course_code", COURSE_OF)} if grouped else {},
    )


def test_a_course_minus_its_shown_starts_exposes_the_hidden_start():
    # start s2 (3) hidden, s3 (25) hidden beside it in the start table: 40 - 12 = s2 + s3
    # alone protects both; the course MATMAT01a (15) minus s1 (12) gives s2 = 3.
    tables = [_courses(15, 25), _starts(TOO_FEW, COMPLEMENTARY)]
    result = audit(tables)
    assert {dict(f.key)["start_key"] for f in result.findings} == {"1480/s2", "1480/s3"}
    (s2,) = [f for f in result.findings if dict(f.key)["start_key"] == "1480/s2"]
    assert (s2.interval.low, s2.interval.high) == pytest.approx((3, 3))
    assert result.ties["grouping:start_key"] >= 1


def test_without_the_course_tie_the_same_release_looks_safe():
    result = audit([_courses(15, 25), _starts(TOO_FEW, COMPLEMENTARY, grouped=False)])
    assert result.exposed == 0


def test_hiding_the_course_too_protects_the_start():
    courses = _courses(None, None, COMPLEMENTARY)
    rows = [dict(r) for r in courses.rows]
    rows[1]["status"] = COMPLEMENTARY  # both courses hidden: 40 = MAT + SVA, MAT = 12 + s2
    result = audit([dataclasses.replace(courses, rows=rows), _starts(TOO_FEW, COMPLEMENTARY)])
    assert result.exposed == 0
