"""API schemas for access."""

from __future__ import annotations

from ninja import Field, Schema


class RoleOut(Schema):
    role: str
    region: str | None
    organizer: str | None
    school_unit: str | None


class MeOut(Schema):
    username: str
    roles: list[RoleOut]
    student_data_organizers: list[str]
    student_data_school_units: list[str]


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="Ett namn på nyckeln")


class TokenOut(Schema):
    name: str
    token: str = Field(description="Visas bara en gång: spara den.")
