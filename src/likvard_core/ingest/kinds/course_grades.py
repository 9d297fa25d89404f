"""Upper-secondary course grades: one row per student and course."""

from __future__ import annotations

from likvard_core.ingest.kinds.row_kind import Column, RowKind
from likvard_core.ingest.kinds.shared_columns import PERSONNUMMER, SCHOOL_UNIT, SCHOOL_YEAR
from likvard_core.ingest.validation import cells
from likvard_core.warehouse.schema import COURSE_GRADES

COURSE_GRADES_KIND = RowKind(
    name="course_grades",
    table=COURSE_GRADES,
    description="Upper-secondary course grades.",
    columns=(
        PERSONNUMMER,
        SCHOOL_YEAR,
        SCHOOL_UNIT,
        Column(
            "programme_code",
            ("program", "programkod", "studievägskod"),
            cells.programme_code,
            "programme code (NA, EK, IMV ...)",
            required=False,
        ),
        Column(
            "course_code", ("kurskod", "kurs", "course code"), cells.subject_code, "course code"
        ),
        Column(
            "course_points",
            ("poäng", "gymnasiepoäng", "kurspoäng", "points"),
            cells.integer_parser(1, 2500),
            "course points (gymnasiepoäng), 1-2500",
        ),
        Column("grade", ("betyg", "grade"), cells.grade, "grade A-F"),
    ),
)
