"""API schemas for organisations (input and output per operation)."""

from __future__ import annotations

from ninja import Schema


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
