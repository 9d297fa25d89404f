"""JSON API of grade equity: the same services as the pages, mounted under ``equity/``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from likvard.access.interface import signed_in_viewer
from likvard.analyses.equity import decks, services
from likvard.analyses.equity.schemas import (
    DistributionOut,
    PublishedOut,
    RegionEquityOut,
    ReleasedTableOut,
    StudentEquityOut,
)
from likvard.exports.files import PPTX_TYPE
from likvard.organisations import selectors as organisations
from likvard.organisations.schemas import (
    GradeYearParam,
    MunicipalityCodeParam,
    OrganisationNumberParam,
    RegionCodeParam,
    SchoolUnitCodeParam,
)
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["equity"])

Subject = Literal["Matematik", "Engelska", "Svenska", "Svenska som andraspråk"]
OrganizerType = Literal["all", "kommunal", "enskild"]
GradeYear = GradeYearParam
Breakdown = Literal["gender", "background"]


def _checked(grade_year: int) -> int:
    return int(grade_year)


def _pptx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=PPTX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.pptx"'
    return response


def _published_region(
    request: HttpRequest, code: str, subject: str, organizer_type: str
) -> services.PublishedRegionReport:
    try:
        region = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    return services.published_region_report(
        viewer=signed_in_viewer(request),
        region=region,
        subject=subject,
        organizer_type=organizer_type,
    )


@router.get("/published/regions/{code}", response=PublishedOut)
def published_region(
    request: HttpRequest,
    code: RegionCodeParam,
    subject: Subject = "Matematik",
    organizer_type: OrganizerType = "all",
) -> PublishedOut:
    """Published test against subject pass rates of a region's municipalities in one subject."""
    report = _published_region(request, code, subject, organizer_type)
    return PublishedOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        trends=ReleasedTableOut.from_released(report.trends),
    )


@router.get("/published/regions/{code}/pptx")
def published_region_pptx(
    request: HttpRequest,
    code: RegionCodeParam,
    subject: Subject = "Matematik",
    organizer_type: OrganizerType = "all",
) -> HttpResponse:
    """The published comparison of a region's municipalities as a PPTX deck."""
    report = _published_region(request, code, subject, organizer_type)
    return _pptx(f"betyg-prov-{code}", decks.published_region_deck(report))


@router.get("/published/trends", response=ReleasedTableOut)
def published_trends(
    request: HttpRequest, organizer_type: OrganizerType = "all"
) -> ReleasedTableOut:
    """The gap's trend for every imported municipality (all 290) and test subject."""
    viewer = signed_in_viewer(request)
    released = services.published_table(
        viewer=viewer, organizer_types=[organizer_type], trends=True, channel="api"
    )
    return ReleasedTableOut.from_released(released)


@router.get("/published/municipalities/{municipality_code}", response=PublishedOut)
def published_municipality(
    request: HttpRequest,
    municipality_code: MunicipalityCodeParam,
    organizer_type: OrganizerType = "all",
) -> PublishedOut:
    """Published test against subject pass rates of one municipality, every subject and year."""
    viewer = signed_in_viewer(request)
    try:
        municipality = organisations.municipality_get(code=municipality_code)
    except NotFoundError as error:
        raise Http404(_("There is no such municipality.")) from error
    report = services.published_municipality_report(
        viewer=viewer, municipality=municipality, organizer_type=organizer_type
    )
    return PublishedOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        trends=ReleasedTableOut.from_released(report.trends),
    )


def _school_report(
    request: HttpRequest, school_unit_code: str, grade_year: int, breakdown: str = "gender"
) -> services.StudentEquityReport:
    viewer = signed_in_viewer(request)
    try:
        unit = organisations.school_unit_get(code=school_unit_code)
    except NotFoundError as error:
        raise Http404(_("There is no such school unit.")) from error
    return services.school_equity_report(
        viewer=viewer, school=unit, grade_year=_checked(grade_year), breakdown=breakdown
    )


@router.get("/school-units/{school_unit_code}", response=StudentEquityOut)
def school(
    request: HttpRequest,
    school_unit_code: SchoolUnitCodeParam,
    grade_year: GradeYear = GradeYear.YEAR9,
    breakdown: Breakdown = "gender",
) -> StudentEquityOut:
    """Final grade against test grade for one school unit, with flags, reasons and patterns.

    ``grade_year``: 9 (default), 6, or 10 for upper-secondary courses against the course's
    national test. ``breakdown``: ``gender`` (all, girls, boys) or ``background`` (all, born
    abroad or in Sweden, newly arrived, parents' education in three bands).
    """
    report = _school_report(request, school_unit_code, grade_year, breakdown)
    return StudentEquityOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        patterns=ReleasedTableOut.from_released(report.patterns),
    )


@router.get("/school-units/{school_unit_code}/pptx")
def school_pptx(
    request: HttpRequest,
    school_unit_code: SchoolUnitCodeParam,
    grade_year: GradeYear = GradeYear.YEAR9,
) -> HttpResponse:
    """The school page as a PPTX deck: the chart as a picture and the tables as slides."""
    report = _school_report(request, school_unit_code, grade_year)
    return _pptx(f"betyg-prov-{school_unit_code}", decks.student_deck(report))


def _organizer_report(
    request: HttpRequest, organisation_number: str, grade_year: int, breakdown: str = "gender"
) -> services.StudentEquityReport:
    viewer = signed_in_viewer(request)
    try:
        found = organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    return services.organizer_equity_report(
        viewer=viewer, organizer=found, grade_year=_checked(grade_year), breakdown=breakdown
    )


@router.get("/organizers/{organisation_number}", response=StudentEquityOut)
def organizer(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    grade_year: GradeYear = GradeYear.YEAR9,
    breakdown: Breakdown = "gender",
) -> StudentEquityOut:
    """Final grade against test grade for every school unit of an organizer (see ``school``)."""
    report = _organizer_report(request, organisation_number, grade_year, breakdown)
    return StudentEquityOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        patterns=ReleasedTableOut.from_released(report.patterns),
    )


@router.get("/organizers/{organisation_number}/pptx")
def organizer_pptx(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    grade_year: GradeYear = GradeYear.YEAR9,
) -> HttpResponse:
    """The organizer page as a PPTX deck."""
    report = _organizer_report(request, organisation_number, grade_year)
    return _pptx(f"betyg-prov-{organisation_number}", decks.student_deck(report))


def _region_report(request: HttpRequest, code: str, grade_year: int) -> services.RegionEquityReport:
    viewer = signed_in_viewer(request)
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    return services.region_equity_report(
        viewer=viewer, region=found, grade_year=_checked(grade_year)
    )


@router.get("/regions/{code}/pptx")
def region_pptx(
    request: HttpRequest, code: RegionCodeParam, grade_year: GradeYear = GradeYear.YEAR9
) -> HttpResponse:
    """The region page as a PPTX deck."""
    report = _region_report(request, code, grade_year)
    return _pptx(f"betyg-prov-region-{code}", decks.region_deck(report))


@router.get("/regions/{code}", response=RegionEquityOut)
def region(
    request: HttpRequest, code: RegionCodeParam, grade_year: GradeYear = GradeYear.YEAR9
) -> RegionEquityOut:
    """The spread across a region's school units per subject and year (suppressed rows)."""
    report = _region_report(request, code, grade_year)
    return RegionEquityOut(
        yearly=ReleasedTableOut.from_released(report.yearly),
        distribution=[DistributionOut(**asdict(row)) for row in report.distribution],
    )
