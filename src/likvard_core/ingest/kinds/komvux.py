"""Komvux course starts and their follow-up: one row per start (counts, no personnummer).

An organizer's study administration or a region's survey (GR Vuxenutbildningssamverkan,
Skaraborg) reports each course or programme start with its offered places, applicants,
admitted, enrolled at a check date, completed and interrupted; the follow-up reports, per
start and number of months after completing, how many completers were reached and how many
were in work or in studies. Counts that cannot hold together (more first-hand applicants than
applicants, more completed and interrupted than enrolled) are refused with their row and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.kinds.row_kind import Column, RowKind
from likvard_core.ingest.validation import cells
from likvard_core.ingest.validation.table_checks import Finding
from likvard_core.terms import KomvuxProviderType, KomvuxProvision, KomvuxStudyType
from likvard_core.warehouse.schema import KOMVUX_FOLLOWUP, KOMVUX_STARTS

MAX_COUNT = 100_000
"""The largest count a start may report (a sanity bound, far above any real start)."""
FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years a komvux date may lie in."""


def start_date(cell: str) -> date:
    """A date as ``2025-08-18`` (or ``20250818``), between 2000 and 2100."""
    text = cell.strip()
    if not text:
        raise cells.CellError("required_value", "a date, 2025-08-18")
    compact = len(text) == 8 and text.isdigit()  # noqa: PLR2004 (YYYYMMDD)
    iso = f"{text[:4]}-{text[4:6]}-{text[6:]}" if compact else text
    try:
        parsed = date.fromisoformat(iso)
    except ValueError:
        raise cells.CellError("invalid_date", "a date, 2025-08-18") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR or len(iso) != 10:  # noqa: PLR2004
        raise cells.CellError("invalid_date", "a date, 2025-08-18")
    return parsed


def optional_date(cell: str) -> date | None:
    """``start_date`` or None for an empty cell."""
    return start_date(cell) if cell.strip() else None


def text(cell: str) -> str:
    """A required free text of at most 200 characters (names of courses and providers)."""
    value = " ".join(cell.split())
    if not value:
        raise cells.CellError("required_value", "a name")
    if len(value) > 200:  # noqa: PLR2004
        raise cells.CellError("out_of_range", "at most 200 characters")
    return value


def code(cell: str) -> str:
    """An identifier of a start or a course: letters, digits, ``-``, ``_``, ``.``, ``/``."""
    value = cell.strip()
    if not value or len(value) > 40 or not all(c.isalnum() or c in "-_./" for c in value):  # noqa: PLR2004
        raise cells.CellError("invalid_code", "letters, digits, - _ . / (at most 40)")
    return value


STUDY_TYPE = cells.choice_parser(
    {
        **dict.fromkeys(("kurs", "course", "enstakakurs"), KomvuxStudyType.COURSE.value),
        **dict.fromkeys(
            ("program", "programme", "utbildning", "yrkespaket", "yrkesutbildning"),
            KomvuxStudyType.PROGRAMME.value,
        ),
    },
    "kurs or program",
)
PROVIDER_TYPE = cells.choice_parser(
    {
        **dict.fromkeys(("egenregi", "egen", "kommunal", "own"), KomvuxProviderType.OWN.value),
        **dict.fromkeys(
            ("upphandlad", "extern", "externanordnare", "entreprenad", "contracted"),
            KomvuxProviderType.CONTRACTED.value,
        ),
        **dict.fromkeys(
            ("annankommun", "region", "samverkan", "avtal", "otherpublic"),
            KomvuxProviderType.OTHER_PUBLIC.value,
        ),
    },
    "egen regi, upphandlad or annan kommun",
)
PROVISION = cells.choice_parser(
    {
        **dict.fromkeys(
            ("kommunal", "kommun", "lokal", "municipal"), KomvuxProvision.MUNICIPAL.value
        ),
        **dict.fromkeys(
            ("regional", "regionalt", "regionaltyrkesvux", "regionalyrkesvux"),
            KomvuxProvision.REGIONAL.value,
        ),
    },
    "kommunal or regional",
)
COUNT = cells.integer_parser(0, MAX_COUNT)
OPTIONAL_COUNT = cells.integer_parser(0, MAX_COUNT, optional=True)

MUNICIPALITY = Column(
    "municipality_code",
    ("kommun", "kommunkod", "huvudmannens kommun", "municipality"),
    cells.municipality_code,
    "organizing municipality (kommunkod)",
)
START = Column(
    "start_id",
    ("kurstillfälle", "starttillfälle", "tillfälle", "start-id", "start id"),
    code,
    "start identifier, unique within the municipality",
)


def _larger(table: pa.Table, part: str, whole: str, expected: str) -> Iterator[Finding]:
    """Rows where ``part`` exceeds ``whole`` (either may be empty: then no finding)."""
    over = pc.fill_null(pc.greater(table.column(part), table.column(whole)), False)
    for index in pc.indices_nonzero(over).to_pylist():
        yield (int(index), part, "inconsistent_values", expected)


def starts_consistent(table: pa.Table) -> Iterator[Finding]:
    """Counts of a start that cannot hold together, each named at the column that breaks."""
    yield from _larger(table, "first_hand", "applicants", "first-hand applicants ≤ applicants")
    yield from _larger(table, "eligible", "applicants", "eligible applicants ≤ applicants")
    yield from _larger(table, "admitted", "applicants", "admitted ≤ applicants")
    ended = pc.add(
        pc.fill_null(table.column("completed"), 0), pc.fill_null(table.column("interrupted"), 0)
    )
    over = pc.fill_null(pc.greater(ended, table.column("enrolled")), False)
    for index in pc.indices_nonzero(over).to_pylist():
        yield (
            int(index),
            "interrupted",
            "inconsistent_values",
            "completed + interrupted ≤ enrolled",
        )
    early = pc.fill_null(pc.less(table.column("check_date"), table.column("start_date")), False)
    for index in pc.indices_nonzero(early).to_pylist():
        yield (int(index), "check_date", "inconsistent_values", "check date on or after the start")


def followup_consistent(table: pa.Table) -> Iterator[Finding]:
    """Rows whose completers in work and in studies exceed those followed up."""
    both = pc.add(table.column("in_work"), table.column("in_studies"))
    over = pc.greater(both, table.column("followed_up"))
    for index in pc.indices_nonzero(over).to_pylist():
        yield (
            int(index),
            "in_studies",
            "inconsistent_values",
            "in work + in studies ≤ followed up",
        )


KOMVUX_STARTS_KIND = RowKind(
    name="komvux_starts",
    table=KOMVUX_STARTS,
    description="Komvux course and programme starts: places, applicants, admitted, enrolled, "
    "completed and interrupted.",
    columns=(
        MUNICIPALITY,
        START,
        Column("start_date", ("startdatum", "start", "kursstart"), start_date, "start date"),
        Column(
            "course_code",
            ("kurskod", "programkod", "utbildningskod", "kurs-/programkod"),
            code,
            "course or programme code",
        ),
        Column(
            "course_name",
            ("kursnamn", "utbildning", "benämning", "utbildningsnamn"),
            text,
            "course or programme name",
        ),
        Column("study_type", ("typ", "studieform", "kurs/program"), STUDY_TYPE, "kurs or program"),
        Column("provider", ("anordnare", "utförare"), text, "provider (anordnare), by name"),
        Column(
            "provider_type",
            ("anordnartyp", "regi", "typ av anordnare"),
            PROVIDER_TYPE,
            "provider type: egen regi, upphandlad or annan kommun",
        ),
        Column(
            "provision",
            ("kommunal eller regional", "utbud", "regional"),
            PROVISION,
            "kommunal or regional (regionalt yrkesvux)",
        ),
        Column("places", ("platser", "erbjudna platser", "antal platser"), COUNT, "offered places"),
        Column("applicants", ("sökande", "antal sökande"), COUNT, "applicants, all choices"),
        Column(
            "first_hand",
            ("förstahandssökande", "sökande i första hand"),
            OPTIONAL_COUNT,
            "first-hand applicants",
            required=False,
        ),
        Column(
            "eligible",
            ("behöriga sökande", "behöriga"),
            OPTIONAL_COUNT,
            "eligible applicants",
            required=False,
        ),
        Column("admitted", ("antagna",), OPTIONAL_COUNT, "admitted", required=False),
        Column(
            "check_date",
            ("kontrolldatum", "mätdatum"),
            optional_date,
            "check date of the enrolled count",
            required=False,
        ),
        Column(
            "enrolled",
            ("registrerade", "inskrivna", "registrerade vid kontrolldatum"),
            OPTIONAL_COUNT,
            "enrolled at the check date",
            required=False,
        ),
        Column("completed", ("slutfört", "slutförda"), OPTIONAL_COUNT, "completed", required=False),
        Column(
            "interrupted", ("avbrutit", "avbrott"), OPTIONAL_COUNT, "interrupted", required=False
        ),
    ),
    checks=(starts_consistent,),
)

KOMVUX_FOLLOWUP_KIND = RowKind(
    name="komvux_followup",
    table=KOMVUX_FOLLOWUP,
    description="Komvux follow-up: completers in work or studies some months after completing.",
    columns=(
        MUNICIPALITY,
        START,
        Column(
            "months",
            ("månader", "månader efter avslut", "uppföljning efter månader"),
            cells.integer_parser(1, 60),
            "months after completing, 1-60",
        ),
        Column("followed_up", ("uppföljda", "svarande"), COUNT, "completers followed up"),
        Column("in_work", ("i arbete", "arbete", "sysselsatta"), COUNT, "in work"),
        Column("in_studies", ("i studier", "studier"), COUNT, "in studies (not in work)"),
    ),
    checks=(followup_consistent,),
)
