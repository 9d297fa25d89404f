"""JSON API of the quality work, mounted at ``/api/v1/quality/``: the same services as the pages.

The analysis basis is released for the caller exactly as on the page: hidden figures come as
``value: null`` with their mark and reason, in the JSON and in the files.
"""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from likvard.access.interface import signed_in_viewer
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.organisations.schemas import (
    OrganisationNumberParam,
    RegionCodeParam,
    SchoolUnitCodeParam,
    SchoolYearParam,
)
from likvard.organisations.selectors import NotFoundError
from likvard.quality import selectors
from likvard.quality.schemas import BasisOut, RevisionOut, SelfEvaluationOut
from likvard.quality.services import basis as services
from likvard.quality.services.basis import AnalysisBasis
from likvard.quality.services.basis_export import basis_file

router = Router(tags=["quality"])

FileFormat = Literal["xlsx", "pdf", "pptx", "docx"]


def _organizer(organisation_number: str) -> Organizer:
    try:
        return organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error


def _year(year: int | None) -> int:
    if year is not None:
        return year
    years = services.basis_years()
    return years[0] if years else services.fallback_year()


@router.get("/catalogue/indicators", response=list[RevisionOut])
def catalogue_indicators(
    request: HttpRequest, year: SchoolYearParam | None = None
) -> list[RevisionOut]:
    """Every national indicator's definition in force in ``year`` (default: this school year),
    and the caller's organizers' and regions' local ones, marked ``local``."""
    viewer = signed_in_viewer(request)
    rows = selectors.indicators_in_force(
        viewer=viewer, year=year or selectors.default_school_year()
    )
    return [
        RevisionOut(
            code=indicator.code,
            name=revision.name,
            definition=revision.definition,
            unit=revision.unit,
            direction=revision.direction,
            population=revision.population,
            data_source=revision.data_source,
            school_forms=list(revision.school_forms),
            kolada_kpi=revision.kolada_kpi,
            status=revision.status,
            sources=list(revision.sources),
            valid_from=revision.valid_from,
            valid_to=revision.valid_to,
            local=indicator.is_local,
        )
        for indicator, revision in rows
    ]


@router.get("/organizers/{organisation_number}/self-evaluations", response=list[SelfEvaluationOut])
def self_evaluations(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    year: SchoolYearParam | None = None,
) -> list[SelfEvaluationOut]:
    """The answers the caller may read for the organizer in ``year``, units by name."""
    viewer = signed_in_viewer(request)
    organizer = _organizer(organisation_number)
    overview = selectors.self_evaluation_overview(
        viewer=viewer, organizer=organizer, school_year=year
    )
    out: list[SelfEvaluationOut] = []
    for row in overview.factors:
        pairs = [(None, row.own), *((a.school_unit, a.answer) for a in row.units)]
        for unit, answer in pairs:
            if answer is None:
                continue
            out.append(
                SelfEvaluationOut(
                    school_unit_code=unit.code if unit else None,
                    school_unit_name=unit.name if unit else None,
                    success_factor=row.factor.code,
                    school_year=answer.school_year,
                    rating=answer.rating,
                    rating_label=answer.get_rating_display(),
                    evidence=answer.evidence,
                    next_steps=answer.next_steps,
                )
            )
    return out


@router.get("/analysis-basis/organizers/{organisation_number}", response=BasisOut)
def organizer_basis(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    year: SchoolYearParam | None = None,
) -> BasisOut:
    """The organizer's analysis basis for ``year`` (default: the latest year with data)."""
    viewer = signed_in_viewer(request)
    organizer = _organizer(organisation_number)
    basis = services.organizer_basis(
        viewer=viewer, organizer=organizer, year=_year(year), channel="api"
    )
    return BasisOut.of(basis)


@router.get("/analysis-basis/organizers/{organisation_number}/file")
def organizer_basis_file(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    year: SchoolYearParam | None = None,
    format: FileFormat = "xlsx",
) -> HttpResponse:
    """The organizer's analysis basis as an XLSX, PDF, PPTX or DOCX file."""
    viewer = signed_in_viewer(request)
    organizer = _organizer(organisation_number)
    basis = services.organizer_basis(
        viewer=viewer, organizer=organizer, year=_year(year), channel="api"
    )
    return _file(basis, format)


def _file(basis: AnalysisBasis, fmt: str) -> HttpResponse:
    export = basis_file(basis=basis, fmt=fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _school_unit(code: str) -> SchoolUnit:
    try:
        return organisations.school_unit_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such school unit.")) from error


def _region(code: str) -> Region:
    try:
        return organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error


@router.get("/analysis-basis/school-units/{school_unit_code}", response=BasisOut)
def school_unit_basis(
    request: HttpRequest, school_unit_code: SchoolUnitCodeParam, year: SchoolYearParam | None = None
) -> BasisOut:
    """A school unit's analysis basis for ``year``."""
    viewer = signed_in_viewer(request)
    unit = _school_unit(school_unit_code)
    basis = services.school_unit_basis(
        viewer=viewer, school_unit=unit, year=_year(year), channel="api"
    )
    return BasisOut.of(basis)


@router.get("/analysis-basis/school-units/{school_unit_code}/file")
def school_unit_basis_file(
    request: HttpRequest,
    school_unit_code: SchoolUnitCodeParam,
    year: SchoolYearParam | None = None,
    format: FileFormat = "xlsx",
) -> HttpResponse:
    """A school unit's analysis basis as an XLSX, PDF, PPTX or DOCX file."""
    viewer = signed_in_viewer(request)
    unit = _school_unit(school_unit_code)
    basis = services.school_unit_basis(
        viewer=viewer, school_unit=unit, year=_year(year), channel="api"
    )
    return _file(basis, format)


@router.get("/analysis-basis/regions/{code}", response=BasisOut)
def region_basis(
    request: HttpRequest, code: RegionCodeParam, year: SchoolYearParam | None = None
) -> BasisOut:
    """A region's analysis basis for ``year``."""
    viewer = signed_in_viewer(request)
    basis = services.region_basis(
        viewer=viewer, region=_region(code), year=_year(year), channel="api"
    )
    return BasisOut.of(basis)


@router.get("/analysis-basis/regions/{code}/file")
def region_basis_file(
    request: HttpRequest,
    code: RegionCodeParam,
    year: SchoolYearParam | None = None,
    format: FileFormat = "xlsx",
) -> HttpResponse:
    """A region's analysis basis as an XLSX, PDF, PPTX or DOCX file."""
    viewer = signed_in_viewer(request)
    basis = services.region_basis(
        viewer=viewer, region=_region(code), year=_year(year), channel="api"
    )
    return _file(basis, format)
