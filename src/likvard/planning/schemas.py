"""API schemas of planning: released rows, status of hidden cells kept."""

from __future__ import annotations

from ninja import Schema


class CohortOut(Schema):
    municipality_code: str
    year: int
    cohort: float | None
    status: str


class SupplyDemandOut(Schema):
    year: int
    programme_code: str
    supply: int | None
    demand: float | None
    gap: float | None
    scenario_change: int | None
    scenario_gap: float | None
    status: str
