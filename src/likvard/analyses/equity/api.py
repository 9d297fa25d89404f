"""JSON API of grade equity: the same services as the pages, mounted under ``equity/``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router

from likvard.access.policy import Action, Viewer, require, viewer_for
from likvard.analyses.equity import services
from likvard.analyses.equity.schemas import (
    DistributionOut,
    PublishedOut,
    RegionEquityOut,
    ReleasedTableOut,
    StudentEquityOut,
)
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["equity"])

Subject = Literal["Matematik", "Engelska", "Svenska", "Svenska som andraspråk"]
OrganizerType = Literal["all", "kommunal", "enskild"]


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    return viewer


@router.get("/published/regions/{code}", response=PublishedOut)
def published_region(
    request: HttpRequest,
    code: str,
    subject: Subject = "Matematik",
    organizer_type: OrganizerType = "all",
) -> PublishedOut:
    """Published test against subject pass rates of a region's municipalities in one subject."""
    viewer = _viewer(request)
    try:
        region = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404("Regionen finns inte.") from error
    report = services.published_region_report(
        viewer=viewer, region=region, subject=subject, organizer_type=organizer_type
    )
    return PublishedOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        trends=ReleasedTableOut.from_released(report.trends),
    )


@router.get("/published/trends", response=ReleasedTableOut)
def published_trends(
    request: HttpRequest, organizer_type: OrganizerType = "all"
) -> ReleasedTableOut:
    """The gap's trend for every imported municipality (all 290) and test subject."""
    viewer = _viewer(request)
    released = services.published_table(
        viewer=viewer, organizer_types=[organizer_type], trends=True, channel="api"
    )
    return ReleasedTableOut.from_released(released)


@router.get("/published/municipalities/{municipality_code}", response=PublishedOut)
def published_municipality(
    request: HttpRequest, municipality_code: str, organizer_type: OrganizerType = "all"
) -> PublishedOut:
    """Published test against subject pass rates of one municipality, every subject and year."""
    viewer = _viewer(request)
    try:
        municipality = organisations.municipality_get(code=municipality_code)
    except NotFoundError as error:
        raise Http404("Kommunen finns inte.") from error
    report = services.published_municipality_report(
        viewer=viewer, municipality=municipality, organizer_type=organizer_type
    )
    return PublishedOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        trends=ReleasedTableOut.from_released(report.trends),
    )


@router.get("/school-units/{school_unit_code}", response=StudentEquityOut)
def school(request: HttpRequest, school_unit_code: str) -> StudentEquityOut:
    """Final grade against test grade for one school unit, with flags, reasons and patterns."""
    viewer = _viewer(request)
    try:
        unit = organisations.school_unit_get(code=school_unit_code)
    except NotFoundError as error:
        raise Http404("Skolenheten finns inte.") from error
    report = services.school_equity_report(viewer=viewer, school=unit)
    return StudentEquityOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        patterns=ReleasedTableOut.from_released(report.patterns),
    )


@router.get("/organizers/{organisation_number}", response=StudentEquityOut)
def organizer(request: HttpRequest, organisation_number: str) -> StudentEquityOut:
    """Final grade against test grade for every school unit of an organizer."""
    viewer = _viewer(request)
    try:
        found = organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404("Huvudmannen finns inte.") from error
    report = services.organizer_equity_report(viewer=viewer, organizer=found)
    return StudentEquityOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        patterns=ReleasedTableOut.from_released(report.patterns),
    )


@router.get("/regions/{code}", response=RegionEquityOut)
def region(request: HttpRequest, code: str) -> RegionEquityOut:
    """The spread across a region's school units per subject and year (suppressed rows)."""
    viewer = _viewer(request)
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404("Regionen finns inte.") from error
    report = services.region_equity_report(viewer=viewer, region=found)
    return RegionEquityOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        distribution=[DistributionOut(**asdict(row)) for row in report.distribution],
    )
