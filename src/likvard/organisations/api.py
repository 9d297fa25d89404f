"""API for organisations: public reference facts, for any signed-in user (the API's auth)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from likvard.organisations import selectors
from likvard.organisations.labels import LabelKind, label
from likvard.organisations.models import SchoolUnit
from likvard.organisations.schemas import (
    MunicipalityOut,
    OrganisationNumberParam,
    OrganizerOut,
    RegionCodeParam,
    RegionDetailOut,
    RegionOut,
    SchoolUnitCodeParam,
    SchoolUnitOut,
)
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["organisations"])


@router.get("/regions", response=list[RegionOut], summary="Alla regioner")
def list_regions(request: HttpRequest) -> list[RegionOut]:
    return [
        RegionOut(code=r.code, name=r.name, municipality_count=r.member_count)  # type: ignore[attr-defined]
        for r in selectors.region_list()
    ]


@router.get("/regions/{code}", response=RegionDetailOut, summary="En region med dess kommuner")
def get_region(request: HttpRequest, code: RegionCodeParam) -> RegionDetailOut:
    try:
        region = selectors.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no region with that code.")) from error
    return RegionDetailOut(
        code=region.code,
        name=region.name,
        municipalities=[
            MunicipalityOut(
                code=m.code, name=m.name, county_code=m.county.code, county_name=m.county.name
            )
            for m in selectors.region_municipalities(region=region)
        ],
    )


@router.get("/municipalities", response=list[MunicipalityOut], summary="Alla kommuner")
def list_municipalities(request: HttpRequest) -> list[MunicipalityOut]:
    return [
        MunicipalityOut(
            code=m.code, name=m.name, county_code=m.county.code, county_name=m.county.name
        )
        for m in selectors.municipality_list()
    ]


@router.get("/organizers/{organisation_number}", response=OrganizerOut, summary="En huvudman")
def get_organizer(
    request: HttpRequest, organisation_number: OrganisationNumberParam
) -> OrganizerOut:
    try:
        organizer = selectors.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    return OrganizerOut(
        organisation_number=organizer.organisation_number,
        name=organizer.name,
        organizer_type=organizer.organizer_type,
        organizer_type_label=label(LabelKind.ORGANIZER_TYPE, organizer.organizer_type),
        municipality_code=organizer.municipality.code if organizer.municipality else None,
        municipality_name=organizer.municipality.name if organizer.municipality else None,
    )


@router.get(
    "/organizers/{organisation_number}/school-units",
    response=list[SchoolUnitOut],
    summary="En huvudmans skolenheter",
)
def list_organizer_units(
    request: HttpRequest, organisation_number: OrganisationNumberParam
) -> list[SchoolUnitOut]:
    try:
        organizer = selectors.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    return [_unit_out(u) for u in selectors.organizer_school_units(organizer=organizer)]


@router.get("/school-units/{code}", response=SchoolUnitOut, summary="En skolenhet")
def get_school_unit(request: HttpRequest, code: SchoolUnitCodeParam) -> SchoolUnitOut:
    try:
        unit = selectors.school_unit_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no school unit with that code.")) from error
    return _unit_out(unit)


def _unit_out(unit: SchoolUnit) -> SchoolUnitOut:
    programmes = list(unit.programmes.all())
    return SchoolUnitOut(
        code=unit.code,
        name=unit.name,
        organisation_number=unit.organizer.organisation_number,
        municipality_code=unit.municipality.code,
        school_forms=list(unit.school_forms),
        school_form_labels=[label(LabelKind.SCHOOL_FORM, f) for f in unit.school_forms],
        programmes=[p.code for p in programmes],
        programme_labels=[p.name for p in programmes],
    )
