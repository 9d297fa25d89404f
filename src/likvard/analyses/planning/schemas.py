"""API schemas of planning: released rows, status of hidden cells kept."""

from __future__ import annotations

from ninja import Schema


class CohortOut(Schema):
    municipality_code: str
    year: int
    cohort: float | None
    status: str


class SupplyDemandOut(Schema):
    """A released supply-and-demand row; ``basis_*``: Skolverket's planning basis for the
    programme (the row's year or the latest earlier basis year; assessment −1, 0, 1)."""

    year: int
    programme_code: str
    supply: int | None
    demand: float | None
    gap: float | None
    scenario_change: int | None
    scenario_gap: float | None
    status: str
    basis_year: int | None = None
    basis_assessment: int | None = None
    basis_places: float | None = None
    basis_applicants: float | None = None
