"""The warehouse's data contract: every fact table, its columns and their Arrow types.

Identifiers used in SQL come from here, never from user input. Every fact row carries the
``batch_id`` of the import batch that wrote it, so a batch can be withdrawn and a data version
can be named by the set of batches it contains.

Conventions:
- ``school_year`` is the spring year as an int: 2025 means 2024/25 (läsår).
- ``student_key`` is the keyed hash of a personnummer (see
  ``likvard_core.ingest.pseudonymisation.pseudonymise``); the clear number never reaches the
  warehouse.
- Codes are strings: municipality (4 digits), school unit (8 digits), organizer (10-digit
  organisation number), programme (e.g. ``NA``, ``IMV``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa


@dataclass(frozen=True, slots=True)
class FactTable:
    """One fact table of the warehouse: its name, Arrow schema and natural key."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    student_level: bool
    description: str

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in schema order."""
        return tuple(self.schema.names)

    @property
    def query_types(self) -> list[pa.DataType]:
        """Column types as a query over the table returns them (a dictionary column as its
        values' type: DuckDB reads the batch id as text)."""
        return [t.value_type if pa.types.is_dictionary(t) else t for t in self.schema.types]


BATCH = pa.field("batch_id", pa.dictionary(pa.int32(), pa.string()), nullable=False)
"""The import batch of each row: one value per batch, so held as a dictionary (one string and a
code per row; a plain string column of a 10 M-row batch costs a second to build). DuckDB reads
it as VARCHAR."""


def batch_column(batch_id: str, rows: int) -> pa.DictionaryArray:
    """``rows`` values of ``batch_id`` in the type of ``BATCH``."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, np.int32)), pa.array([batch_id], pa.string())
    )


ENROLMENTS = FactTable(
    name="enrolments",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("organizer_code", pa.string(), nullable=False),
            pa.field("school_form", pa.string(), nullable=False),
            pa.field("grade_year", pa.int8()),  # årskurs 1-9, or 1-4 in upper secondary
            pa.field("programme_code", pa.string()),
            pa.field("home_municipality_code", pa.string(), nullable=False),
            pa.field("gender", pa.string(), nullable=False),  # F / M
            pa.field("born_abroad", pa.bool_()),
            pa.field("newly_arrived", pa.bool_()),  # registered in Sweden in the last 4 years
            pa.field("parents_education", pa.float32()),  # SALSA level scale, 1-3
            BATCH,
        ]
    ),
    key=("school_year", "student_key", "school_unit_code"),
    student_level=True,
    description="Students enrolled on 15 October of each school year.",
)

FINAL_GRADES = FactTable(
    name="final_grades",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("grade_year", pa.int8(), nullable=False),  # 6 or 9
            pa.field("subject_code", pa.string(), nullable=False),  # e.g. MA, EN, SV, SVA
            pa.field("grade", pa.string(), nullable=False),  # A-F
            pa.field("language_choice", pa.bool_(), nullable=False),  # moderna språk, språkval
            BATCH,
        ]
    ),
    key=("school_year", "student_key", "grade_year", "subject_code"),
    student_level=True,
    description="Subject grades in year 6 and the year-9 final certificate (slutbetyg).",
)

NATIONAL_TESTS = FactTable(
    name="national_tests",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("grade_year", pa.int8(), nullable=False),  # 6, 9, or 10 for upper secondary
            pa.field("subject_code", pa.string(), nullable=False),  # subject or course code
            pa.field("test_grade", pa.string(), nullable=False),  # A-F (provbetyg)
            BATCH,
        ]
    ),
    key=("school_year", "student_key", "grade_year", "subject_code"),
    student_level=True,
    description="National test results (provbetyg) per student and subject or course.",
)

COURSE_GRADES = FactTable(
    name="course_grades",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("programme_code", pa.string()),
            pa.field("course_code", pa.string(), nullable=False),
            pa.field("course_points", pa.int16(), nullable=False),
            pa.field("grade", pa.string(), nullable=False),
            BATCH,
        ]
    ),
    key=("school_year", "student_key", "course_code"),
    student_level=True,
    description="Upper-secondary course grades.",
)

ABSENCE = FactTable(
    name="absence",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("term", pa.string(), nullable=False),  # HT / VT
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("scheduled_minutes", pa.int32(), nullable=False),
            pa.field("absent_minutes", pa.int32(), nullable=False),
            pa.field("unexcused_minutes", pa.int32(), nullable=False),
            BATCH,
        ]
    ),
    key=("school_year", "term", "student_key", "school_unit_code"),
    student_level=True,
    description="Absence per student and term, in minutes of scheduled time.",
)

DIPLOMAS = FactTable(
    name="diplomas",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),  # the year it was issued
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("programme_code", pa.string(), nullable=False),
            pa.field("certificate", pa.string(), nullable=False),  # see Certificate
            BATCH,
        ]
    ),
    key=("school_year", "student_key", "school_unit_code", "certificate"),
    student_level=True,
    description="Upper-secondary diplomas (examen) and study certificates (studiebevis).",
)

INCIDENTS = FactTable(
    name="incidents",
    schema=pa.schema(
        [
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("case_id", pa.string(), nullable=False),  # the case system's number
            pa.field("reported_on", pa.date32(), nullable=False),
            pa.field("incident_kind", pa.string(), nullable=False),  # see IncidentKind
            pa.field("investigated_on", pa.date32()),  # null: not (yet) investigated
            pa.field("measures_on", pa.date32()),  # null: no measures (yet)
            pa.field("closed_on", pa.date32()),  # null: still open
            BATCH,
        ]
    ),
    key=("school_unit_code", "case_id"),
    student_level=True,
    description="Reported incidents of degrading treatment (kränkande behandling), one per case.",
)

ADMISSIONS = FactTable(
    name="admissions",
    schema=pa.schema(
        [
            pa.field("school_year", pa.int16(), nullable=False),  # the year studies start
            pa.field("admission_round", pa.string(), nullable=False),  # see AdmissionRound
            pa.field("student_key", pa.string(), nullable=False),
            pa.field("home_municipality_code", pa.string(), nullable=False),
            pa.field("choice_rank", pa.int8(), nullable=False),  # 1 = first choice
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("programme_code", pa.string(), nullable=False),
            pa.field("admitted", pa.bool_(), nullable=False),
            BATCH,
        ]
    ),
    key=("school_year", "admission_round", "student_key", "choice_rank"),
    student_level=True,
    description="Applications and admission results per round (preliminary, final, reserve).",
)

PUBLIC_STATS = FactTable(
    name="public_stats",
    schema=pa.schema(
        [
            pa.field("source", pa.string(), nullable=False),  # skolverket / kolada / scb
            pa.field("table_name", pa.string(), nullable=False),
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("level", pa.string(), nullable=False),  # nation/county/municipality/...
            pa.field("area_code", pa.string(), nullable=False),
            pa.field("organizer_type", pa.string(), nullable=False),  # 'all' or OrganizerType
            pa.field("subject", pa.string(), nullable=False),  # '' when not by subject
            pa.field("measure", pa.string(), nullable=False),
            pa.field("group", pa.string(), nullable=False),  # Group
            pa.field("value", pa.float64()),
            pa.field("status", pa.string(), nullable=False),  # ValueStatus
            pa.field("raw", pa.string(), nullable=False),  # the cell as published
            BATCH,
        ]
    ),
    key=(
        "source",
        "table_name",
        "school_year",
        "level",
        "area_code",
        "organizer_type",
        "subject",
        "measure",
        "group",
    ),
    student_level=False,
    description="Published statistics in long form, marks kept as status with a missing value.",
)

POPULATION = FactTable(
    name="population",
    schema=pa.schema(
        [
            pa.field("year", pa.int16(), nullable=False),  # 31 December of this year
            pa.field("municipality_code", pa.string(), nullable=False),
            pa.field("age", pa.int8(), nullable=False),
            pa.field("gender", pa.string(), nullable=False),
            pa.field("persons", pa.int32(), nullable=False),
            BATCH,
        ]
    ),
    key=("year", "municipality_code", "age", "gender"),
    student_level=False,
    description="SCB population by municipality, age and gender.",
)

KOMVUX_STARTS = FactTable(
    name="komvux_starts",
    schema=pa.schema(
        [
            pa.field("municipality_code", pa.string(), nullable=False),  # the organizing kommun
            pa.field("start_id", pa.string(), nullable=False),  # kurstillfälle, unique per kommun
            pa.field("start_date", pa.date32(), nullable=False),
            pa.field("course_code", pa.string(), nullable=False),  # course or programme code
            pa.field("course_name", pa.string(), nullable=False),
            pa.field("study_type", pa.string(), nullable=False),  # KomvuxStudyType
            pa.field("provider", pa.string(), nullable=False),  # anordnare, by name
            pa.field("provider_type", pa.string(), nullable=False),  # KomvuxProviderType
            pa.field("provision", pa.string(), nullable=False),  # KomvuxProvision
            pa.field("places", pa.int32(), nullable=False),  # offered places
            pa.field("applicants", pa.int32(), nullable=False),
            pa.field("first_hand", pa.int32()),  # applicants with this start as first choice
            pa.field("eligible", pa.int32()),  # eligible (behöriga) applicants
            pa.field("admitted", pa.int32()),
            pa.field("check_date", pa.date32()),  # the date ``enrolled`` is counted on
            pa.field("enrolled", pa.int32()),
            pa.field("completed", pa.int32()),  # slutfört
            pa.field("interrupted", pa.int32()),  # avbrutit
            BATCH,
        ]
    ),
    key=("municipality_code", "start_id"),
    student_level=False,
    description="Komvux course and programme starts: places, applicants, admitted, enrolled "
    "at a check date, completed and interrupted (counts per start).",
)

KOMVUX_FOLLOWUP = FactTable(
    name="komvux_followup",
    schema=pa.schema(
        [
            pa.field("municipality_code", pa.string(), nullable=False),
            pa.field("start_id", pa.string(), nullable=False),
            pa.field("months", pa.int16(), nullable=False),  # months after completing
            pa.field("followed_up", pa.int32(), nullable=False),  # completers with a known status
            pa.field("in_work", pa.int32(), nullable=False),
            pa.field("in_studies", pa.int32(), nullable=False),  # studying, not working
            BATCH,
        ]
    ),
    key=("municipality_code", "start_id", "months"),
    student_level=False,
    description="Komvux follow-up: completers in work or studies N months after completing.",
)

SURVEY_ANSWERS = FactTable(
    name="survey_answers",
    schema=pa.schema(
        [
            pa.field("survey_key", pa.string(), nullable=False),  # gr-elev
            pa.field("version", pa.string(), nullable=False),  # 2025: the definition's version
            pa.field("school_year", pa.int16(), nullable=False),
            pa.field("respondent_key", pa.string(), nullable=False),  # hash, never a name
            pa.field("school_unit_code", pa.string(), nullable=False),
            pa.field("year_group", pa.int8()),  # årskurs; upper secondary year 2 is 11
            pa.field("gender", pa.string()),  # F / M / null (not answered or other)
            pa.field("question_code", pa.string(), nullable=False),
            pa.field("value", pa.int16()),  # the scale point; null when not answered
            BATCH,
        ]
    ),
    key=("survey_key", "version", "respondent_key", "question_code"),
    student_level=True,
    description="Survey answers: one row per respondent and question (vendor files, rounds).",
)

FACT_TABLES: dict[str, FactTable] = {
    table.name: table
    for table in (
        ENROLMENTS,
        FINAL_GRADES,
        NATIONAL_TESTS,
        COURSE_GRADES,
        ABSENCE,
        DIPLOMAS,
        INCIDENTS,
        ADMISSIONS,
        PUBLIC_STATS,
        POPULATION,
        KOMVUX_STARTS,
        KOMVUX_FOLLOWUP,
        SURVEY_ANSWERS,
    )
}
"""Every fact table by name."""


def fact_table(name: str) -> FactTable:
    """The fact table called ``name``; ``KeyError`` for an unknown name."""
    return FACT_TABLES[name]
