"""National test results (provbetyg): one row per student and test."""

from __future__ import annotations

from likvard_core.ingest.kinds.row_kind import Column, RowKind
from likvard_core.ingest.kinds.shared_columns import PERSONNUMMER, SCHOOL_UNIT, SCHOOL_YEAR
from likvard_core.ingest.validation import cells
from likvard_core.warehouse.schema import NATIONAL_TESTS

_TEST_YEARS = (6, 9, 10)


def national_test_year(cell: str) -> int:
    """Årskurs 6 or 9, or 10 for an upper-secondary course test."""
    value = cells.integer(cell, 6, 10)
    if value not in _TEST_YEARS:
        raise cells.CellError("out_of_range", "6, 9 or 10 (upper secondary)")
    return value


NATIONAL_TESTS_KIND = RowKind(
    name="national_tests",
    table=NATIONAL_TESTS,
    description="National test results (provbetyg) per student and subject or course.",
    columns=(
        PERSONNUMMER,
        SCHOOL_YEAR,
        SCHOOL_UNIT,
        Column(
            "grade_year",
            ("årskurs", "arskurs", "åk"),
            national_test_year,
            "årskurs 6 or 9; 10 for upper-secondary course tests",
        ),
        Column(
            "subject_code",
            ("ämne", "kurs", "ämne/kurs", "amne", "subject"),
            cells.subject_code,
            "subject or course code (MA, EN, SV, SVA, MATMAT01a ...)",
        ),
        Column("test_grade", ("provbetyg", "betyg", "test grade"), cells.grade, "test grade A-F"),
    ),
)
