"""Enrolments (elevregister per 15 October): one row per student and school unit."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.kinds.row_kind import Column, Finding, RowKind
from likvard_core.ingest.kinds.shared_columns import (
    HOME_MUNICIPALITY,
    PERSONNUMMER,
    SCHOOL_UNIT,
    SCHOOL_YEAR,
)
from likvard_core.ingest.validation import cells
from likvard_core.terms import SchoolForm
from likvard_core.warehouse.schema import ENROLMENTS

_GRADE_YEAR_LIMITS = {
    SchoolForm.PRESCHOOL_CLASS.value: (0, 0),
    SchoolForm.COMPULSORY.value: (1, 9),
    SchoolForm.COMPULSORY_ADAPTED.value: (1, 9),
    SchoolForm.UPPER_SECONDARY.value: (1, 4),
    SchoolForm.UPPER_SECONDARY_ADAPTED.value: (1, 4),
}


def grade_year_fits_school_form(table: pa.Table) -> Iterable[Finding]:
    """Rows whose årskurs is impossible in their school form (e.g. year 7 in gymnasieskola)."""
    findings: list[Finding] = []
    for form, (low, high) in _GRADE_YEAR_LIMITS.items():
        in_form = pc.equal(table["school_form"], form)
        year = table["grade_year"]
        bad = pc.and_(in_form, pc.or_(pc.less(year, low), pc.greater(year, high)))
        expected = f"årskurs {low}-{high} in {form}"
        indices = pc.indices_nonzero(pc.fill_null(bad, False)).to_pylist()
        findings.extend((index, "grade_year", "out_of_range", expected) for index in indices)
    return findings


ENROLMENTS_KIND = RowKind(
    name="enrolments",
    table=ENROLMENTS,
    description="Students enrolled on 15 October: one row per student and school unit.",
    columns=(
        PERSONNUMMER,
        SCHOOL_YEAR,
        SCHOOL_UNIT,
        Column(
            "organizer_code",
            (
                "huvudman",
                "huvudmannens organisationsnummer",
                "huvudman orgnr",
                "organisationsnummer",
            ),
            cells.organisation_number,
            "organizer (huvudman), organisationsnummer",
        ),
        Column("school_form", ("skolform", "school form"), cells.SCHOOL_FORM, "skolform"),
        Column(
            "grade_year",
            ("årskurs", "arskurs", "åk", "grade year"),
            cells.integer_parser(0, 9, optional=True),
            "årskurs 0-9 (1-4 in upper secondary), empty for komvux/sfi",
            required=False,
        ),
        Column(
            "programme_code",
            ("program", "programkod", "studievägskod", "programme"),
            cells.programme_code,
            "programme code (NA, IMV ...), empty in grundskola",
            required=False,
        ),
        HOME_MUNICIPALITY,
        Column("gender", ("kön", "kon", "gender"), cells.GENDER, "legal gender F/M"),
        Column(
            "born_abroad",
            ("född utomlands", "fodd utomlands", "born abroad"),
            cells.BOOLEAN,
            "born abroad, ja/nej",
            required=False,
        ),
        Column(
            "newly_arrived",
            ("nyanländ", "nyanland", "newly arrived"),
            cells.BOOLEAN,
            "newly arrived (registered in Sweden in the last 4 years), ja/nej",
            required=False,
        ),
        Column(
            "parents_education",
            ("föräldrars utbildningsnivå", "föräldrars utbildning", "parents education"),
            cells.number_parser(1.0, 3.0),
            "parents' education on SALSA's 1-3 scale",
            required=False,
        ),
    ),
    checks=(grade_year_fits_school_form,),
)
