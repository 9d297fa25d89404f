"""Final and year-6 subject grades: one row per student and subject."""

from __future__ import annotations

from likvard_core.ingest.kinds.row_kind import Column, RowKind
from likvard_core.ingest.kinds.shared_columns import PERSONNUMMER, SCHOOL_UNIT, SCHOOL_YEAR
from likvard_core.ingest.validation import cells
from likvard_core.warehouse.schema import FINAL_GRADES


def grade_year_6_or_9(cell: str) -> int:
    """Årskurs 6 or 9, the years with grades that Likvärd analyses."""
    value = cells.integer(cell, 6, 9)
    if value not in (6, 9):
        raise cells.CellError("out_of_range", "6 or 9")
    return value


SUBJECT = Column(
    "subject_code",
    ("ämne", "amne", "ämneskod", "subject"),
    cells.subject_code,
    "subject code (MA, EN, SV, SVA, M2 ...)",
)

FINAL_GRADES_KIND = RowKind(
    name="final_grades",
    table=FINAL_GRADES,
    description="Subject grades in year 6 and the year-9 final certificate (slutbetyg).",
    columns=(
        PERSONNUMMER,
        SCHOOL_YEAR,
        SCHOOL_UNIT,
        Column("grade_year", ("årskurs", "arskurs", "åk"), grade_year_6_or_9, "årskurs 6 or 9"),
        SUBJECT,
        Column("grade", ("betyg", "grade"), cells.grade, "grade A-F"),
        Column(
            "language_choice",
            ("språkval", "sprakval", "moderna språk språkval", "language choice"),
            cells.BOOLEAN,
            "moderna språk taken as språkval (counts as 17th merit subject), ja/nej",
            required=False,
            default=False,
        ),
    ),
)
