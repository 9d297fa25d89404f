"""JSON API of the incident follow-up: the same services as the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from likvard.access.interface import found_or_404, signed_in_viewer
from likvard.access.schemas import ReleasedTableOut
from likvard.analyses.incidents import services
from likvard.organisations import selectors as organisations

router = Router(tags=["incidents"])


class IncidentsOut(Schema):
    """Released follow-up tables of a region, one per breakdown (``organizer_code``,
    ``incident_kind``, ``school_unit_code``; a null breakdown value is the region's total):
    reports per school year, the stages they are in now (``not_investigated``,
    ``investigating``, ``measures_taken``, ``closed``), how many were investigated and had
    measures within ``within_days`` days, shares 0-1, mean days and reports per 100 students."""

    within_days: int
    tables: dict[str, ReleasedTableOut]


class IncidentsIn(Schema):
    """The number of days that counts as prompt: 7, 14 or 30."""

    within_days: int = services.DEFAULT_WITHIN_DAYS


class CaseOut(Schema):
    """One case of the school's own list: dates, and days from the report to each step."""

    case_id: str
    reported_on: dt.date
    incident_kind: str
    investigated_on: dt.date | None
    measures_on: dt.date | None
    closed_on: dt.date | None
    days_investigated: int | None
    days_measures: int | None
    days_closed: int | None


class CaseListOut(Schema):
    """A school unit's incident cases (its principal and student health team only)."""

    school_unit_code: str
    data_version: str
    rows: list[CaseOut]


@router.get("/regions/{code}", response=IncidentsOut)
def region(request: HttpRequest, code: str, params: Query[IncidentsIn]) -> IncidentsOut:
    """A region's incident follow-up, through the release gate."""
    viewer = signed_in_viewer(request)
    if params.within_days not in services.WITHIN_CHOICES:
        raise Http404(_("The number of days can be 7, 14 or 30."))
    found = found_or_404(lambda: organisations.region_get(code=code), _("There is no such region."))
    report = services.incident_region_report(
        viewer=viewer, region=found, within_days=params.within_days, channel="api"
    )
    return IncidentsOut(
        within_days=report.within_days,
        tables={k: ReleasedTableOut.from_released(v) for k, v in report.tables.items()},
    )


@router.get("/school-units/{school_unit_code}/cases", response=CaseListOut)
def cases(request: HttpRequest, school_unit_code: str) -> CaseListOut:
    """The school's cases: for its own principal and student health team only (403 for
    everyone else); every read is audited."""
    viewer = signed_in_viewer(request)
    school = found_or_404(
        lambda: organisations.school_unit_get(code=school_unit_code),
        _("There is no such school unit."),
    )
    listing = services.incident_cases(viewer=viewer, school=school, channel="api")
    return CaseListOut(
        school_unit_code=school.code,
        data_version=listing.data_version,
        rows=[CaseOut(**asdict(row)) for row in listing.rows],
    )
