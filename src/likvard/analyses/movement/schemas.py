"""Output schemas of the movement API (Ninja): released tables as rows with their status."""

from __future__ import annotations

from ninja import Schema

from likvard.access.schemas import ReleasedTableOut

__all__ = ["AdmissionsOut", "MunicipalityMovementOut", "RegionMovementOut", "ReleasedTableOut"]


class RegionMovementOut(Schema):
    """The region's dependency map figures for one school year."""

    region: str
    school_year: int | None
    years: list[int]
    other_organizer: ReleasedTableOut
    balance: ReleasedTableOut
    origin_destination: ReleasedTableOut
    flows: list[ReleasedTableOut]


class MunicipalityMovementOut(Schema):
    """One municipality: per programme, its residents' organizers, its pupils' homes, and its
    introduction-programme students by start year, programme and next-year outcome
    (``national``, ``introduction``, ``left``, ``all``)."""

    municipality: str
    school_year: int | None
    balance: ReleasedTableOut
    organizers: ReleasedTableOut
    origins: ReleasedTableOut
    introduction_followup: ReleasedTableOut


class AdmissionsOut(Schema):
    """Admitted against enrolled for one admission year."""

    region: str
    admission_year: int | None
    cells: ReleasedTableOut
    reconciliation: ReleasedTableOut
