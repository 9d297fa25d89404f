"""Columns that several student-level kinds share, with their Swedish headers."""

from __future__ import annotations

from likvard_core.ingest.kinds.row_kind import Column
from likvard_core.ingest.validation import cells

PERSONNUMMER = Column(
    "student_key",
    (
        "personnummer",
        "personnr",
        "pnr",
        "personnummer/samordningsnummer",
        "elevens personnummer",
        "civicno",
        "personal identity number",
    ),
    None,
    "personnummer or samordningsnummer, pseudonymised on import",
)
SCHOOL_YEAR = Column(
    "school_year",
    ("läsår", "lasar", "school year", "år"),
    cells.school_year,
    "school year (läsår), 2024/25 or its spring year 2025",
)
SCHOOL_UNIT = Column(
    "school_unit_code",
    ("skolenhetskod", "skolenhet", "skol-enhetskod", "school unit code"),
    cells.school_unit_code,
    "skolenhetskod, 8 digits",
)
HOME_MUNICIPALITY = Column(
    "home_municipality_code",
    ("hemkommun", "folkbokföringskommun", "hemkommunkod", "kommunkod", "home municipality"),
    cells.municipality_code,
    "home municipality (folkbokföringskommun), kommunkod",
)
