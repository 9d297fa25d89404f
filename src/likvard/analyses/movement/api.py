"""JSON API of student movement, mounted at ``/api/v1/movement/``: the same services as pages."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from likvard.access.interface import signed_in_viewer
from likvard.analyses.movement import services
from likvard.analyses.movement.schemas import (
    AdmissionsOut,
    MunicipalityMovementOut,
    RegionMovementOut,
    ReleasedTableOut,
)
from likvard.organisations import selectors as organisations
from likvard.organisations.schemas import MunicipalityCodeParam, RegionCodeParam, SchoolYearParam
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["movement"])

# Programme, school-form and organizer-type codes: letters, digits, dots, dashes, underscores.
CODE = r"^[-.\w]*$"


class FiltersIn(Schema):
    """Optional filters: school year (spring year), programme, school form, organizer type."""

    year: SchoolYearParam | None = None
    programme: Annotated[str, Field(max_length=20, pattern=CODE)] | None = None
    school_form: Annotated[str, Field(max_length=20, pattern=CODE)] | None = None
    organizer_type: Annotated[str, Field(max_length=20, pattern=CODE)] | None = None

    def filters(self) -> services.Filters:
        """The service's filters."""
        return services.Filters(
            year=self.year,
            programme=self.programme,
            school_form=self.school_form,
            organizer_type=self.organizer_type,
        )


@router.get("/regions/{code}", response=RegionMovementOut)
def region(
    request: HttpRequest, code: RegionCodeParam, filters: Query[FiltersIn]
) -> RegionMovementOut:
    """The region's dependency map: other-organizer shares, net flows, matrix, flow links."""
    viewer = signed_in_viewer(request)
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    report = services.region_report(
        viewer=viewer, region=found, filters=filters.filters(), channel="api"
    )
    return RegionMovementOut(
        region=found.code,
        school_year=report.year,
        years=report.years,
        other_organizer=ReleasedTableOut.from_released(report.share),
        balance=ReleasedTableOut.from_released(report.balance),
        origin_destination=ReleasedTableOut.from_released(report.matrix),
        flows=[ReleasedTableOut.from_released(r) for r in report.links],
    )


@router.get("/municipalities/{municipality_code}", response=MunicipalityMovementOut)
def municipality(
    request: HttpRequest, municipality_code: MunicipalityCodeParam, filters: Query[FiltersIn]
) -> MunicipalityMovementOut:
    """One municipality: outgoing, incoming and net per programme, and the follow-up of its
    introduction-programme students (every start year)."""
    viewer = signed_in_viewer(request)
    try:
        found = organisations.municipality_get(code=municipality_code)
    except NotFoundError as error:
        raise Http404(_("There is no such municipality.")) from error
    report = services.municipality_report(
        viewer=viewer, municipality=found, filters=filters.filters()
    )
    return MunicipalityMovementOut(
        municipality=found.code,
        school_year=report.year,
        balance=ReleasedTableOut.from_released(report.balance),
        organizers=ReleasedTableOut.from_released(report.organizers),
        origins=ReleasedTableOut.from_released(report.origins),
        introduction_followup=ReleasedTableOut.from_released(report.introduction),
    )


@router.get("/regions/{code}/admissions", response=AdmissionsOut)
def admissions(
    request: HttpRequest, code: RegionCodeParam, year: SchoolYearParam | None = None
) -> AdmissionsOut:
    """Admitted against enrolled per school unit and programme, and the reconciliation."""
    viewer = signed_in_viewer(request)
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    report = services.admissions_report(viewer=viewer, region=found, year=year)
    return AdmissionsOut(
        region=found.code,
        admission_year=report.year,
        cells=ReleasedTableOut.from_released(report.cells),
        reconciliation=ReleasedTableOut.from_released(report.summary),
    )
