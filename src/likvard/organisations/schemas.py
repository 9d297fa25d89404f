"""API schemas for organisations (input and output per operation), and the bounded parameter
types every app's API uses for years, grade years, codes in paths and free text."""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated

from ninja import Field, Path, Schema

from likvard_core.terms import FIRST_SCHOOL_YEAR, LAST_SCHOOL_YEAR

# A school year by its spring year (2025 = 2024/25), within the years Likvärd can hold, so a
# value such as 100000 or 2147483648 is a 422 at the edge and never reaches the warehouse.
SchoolYearParam = Annotated[
    int,
    Field(
        ge=FIRST_SCHOOL_YEAR,
        le=LAST_SCHOOL_YEAR,
        description=f"Läsår som vårterminens år (2025 = 2024/25), {FIRST_SCHOOL_YEAR}–"
        f"{LAST_SCHOOL_YEAR}.",
    ),
]


class GradeYearParam(IntEnum):
    """The grade years with national tests: 6, 9, and 10 for upper-secondary courses."""

    YEAR6 = 6
    YEAR9 = 9
    COURSES = 10


# Codes in paths, in the shape the registers give them: anything else is a 422, not a lookup.
RegionCodeParam = Annotated[
    str, Path(pattern=r"^[-a-zA-Z0-9_]{1,40}$", description="Regionens kod, t.ex. gr")
]
MunicipalityCodeParam = Annotated[
    str, Path(pattern=r"^[0-9]{4}$", description="Kommunkod, fyra siffror, t.ex. 1384")
]
OrganisationNumberParam = Annotated[
    str,
    Path(pattern=r"^[0-9]{10}$", description="Huvudmannens organisationsnummer, tio siffror"),
]
SchoolUnitCodeParam = Annotated[
    str, Path(pattern=r"^[0-9]{8}$", description="Skolenhetskod, åtta siffror")
]
# Free text in a query: bounded, and no control characters (a NUL cannot reach the database).
TextParam = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


class RegionOut(Schema):
    code: str
    name: str
    municipality_count: int


class MunicipalityOut(Schema):
    code: str
    name: str
    county_code: str
    county_name: str


class RegionDetailOut(Schema):
    code: str
    name: str
    municipalities: list[MunicipalityOut]


class OrganizerOut(Schema):
    organisation_number: str
    name: str
    organizer_type: str
    organizer_type_label: str
    municipality_code: str | None
    municipality_name: str | None


class SchoolUnitOut(Schema):
    code: str
    name: str
    organisation_number: str
    municipality_code: str
    school_forms: list[str]
    school_form_labels: list[str]
    programmes: list[str]
    programme_labels: list[str]
