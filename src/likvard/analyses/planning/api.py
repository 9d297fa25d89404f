"""API of planning: a region's cohort forecast and supply against demand, released."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from likvard.access.policy import viewer_for
from likvard.analyses.planning.schemas import CohortOut, SupplyDemandOut
from likvard.analyses.planning.services.report import planning_report
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.organisations.schemas import RegionCodeParam, SchoolYearParam
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["planning"])


def _region(code: str) -> Region:
    try:
        return organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error


@router.get(
    "/regions/{code}/forecast",
    response=list[CohortOut],
    summary="Framskrivna 16-åringar per kommun och år",
)
def forecast(
    request: HttpRequest, code: RegionCodeParam, from_year: SchoolYearParam | None = None
) -> list[CohortOut]:
    report = planning_report(
        viewer=viewer_for(request.user), region=_region(code), from_year=from_year, channel="api"
    )
    rows = report.forecast.rows() if report.forecast else []
    return [CohortOut.model_validate({k: r[k] for k in CohortOut.model_fields}) for r in rows]


@router.get(
    "/regions/{code}/supply-demand",
    response=list[SupplyDemandOut],
    summary="Platser mot efterfrågan per program och år, med regionens scenario",
)
def supply_demand(
    request: HttpRequest, code: RegionCodeParam, from_year: SchoolYearParam | None = None
) -> list[SupplyDemandOut]:
    report = planning_report(
        viewer=viewer_for(request.user), region=_region(code), from_year=from_year, channel="api"
    )
    return [
        SupplyDemandOut(
            year=row.year,
            programme_code=row.programme_code,
            supply=row.supply,
            demand=row.demand,
            gap=row.gap,
            scenario_change=row.scenario_change,
            scenario_gap=row.scenario_gap,
            status=row.status,
            basis_year=None if row.basis is None else row.basis.year,
            basis_assessment=None if row.basis is None else row.basis.assessment,
            basis_places=None if row.basis is None else row.basis.places,
            basis_applicants=None if row.basis is None else row.basis.applicants,
        )
        for row in report.comparison
    ]
