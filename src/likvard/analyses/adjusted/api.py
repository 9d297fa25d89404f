"""JSON API of the adjusted results: the same services as the pages, mounted under ``adjusted/``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from likvard.access.interface import signed_in_viewer
from likvard.access.schemas import ReleasedTableOut
from likvard.analyses.adjusted import services
from likvard.analyses.adjusted.labels import term_label
from likvard.organisations import selectors as organisations
from likvard.organisations.schemas import OrganisationNumberParam, RegionCodeParam
from likvard.organisations.selectors import NotFoundError

router = Router(tags=["adjusted"])

Year9Outcome = Literal["merit_value", "share_passing_all"]
UpperSecondaryOutcome = Literal["share_diploma", "grade_point_average"]


class DiagnosticsOut(Schema):
    """One fitted model: school year, stratum (programme type), fit measures and terms.

    ``coefficients`` lists ``[name, estimate, standard error, p-value]``, the constant first;
    ``model`` is ``linear`` (points) or ``fractional_logit`` (shares: coefficients on the logit
    scale); ``term_labels`` names the terms in Swedish, in the same order.
    """

    school_year: int
    stratum: str
    schools: int
    r_squared: float
    adj_r_squared: float
    residual_std_error: float
    f_p_value: float
    coefficients: list[tuple[str, float, float, float]]
    model: str
    term_labels: list[str]


class AdjustedOut(Schema):
    """Released per-school results (actual, model value, residual, interval) and the fits."""

    outcome: str
    weighted: bool
    results: ReleasedTableOut
    diagnostics: list[DiagnosticsOut]


def _out(report: services.AdjustedReport) -> AdjustedOut:
    return AdjustedOut(
        outcome=report.outcome,
        weighted=report.weighted,
        results=ReleasedTableOut.from_released(report.results),
        diagnostics=[
            DiagnosticsOut(**asdict(d), term_labels=[term_label(c[0]) for c in d.coefficients])
            for d in report.diagnostics
        ],
    )


def _region(code: str) -> Callable[..., services.AdjustedReport]:
    try:
        found = organisations.region_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no such region.")) from error
    return lambda **kwargs: services.adjusted_region_report(region=found, **kwargs)


def _organizer(number: str) -> Callable[..., services.AdjustedReport]:
    try:
        found = organisations.organizer_get(organisation_number=number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    return lambda **kwargs: services.adjusted_organizer_report(organizer=found, **kwargs)


@router.get("/year9/regions/{code}", response=AdjustedOut)
def year9_region(
    request: HttpRequest,
    code: RegionCodeParam,
    outcome: Year9Outcome = "merit_value",
    weighted: bool = False,
) -> AdjustedOut:
    """Year-9 results of a region's school units against the SALSA-style model value."""
    build = _region(code)
    stage = services.Stage.YEAR9
    return _out(
        build(viewer=signed_in_viewer(request), stage=stage, outcome=outcome, weighted=weighted)
    )


@router.get("/year9/organizers/{organisation_number}", response=AdjustedOut)
def year9_organizer(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    outcome: Year9Outcome = "merit_value",
    weighted: bool = False,
) -> AdjustedOut:
    """Year-9 results of an organizer's school units against the model value."""
    build = _organizer(organisation_number)
    stage = services.Stage.YEAR9
    return _out(
        build(viewer=signed_in_viewer(request), stage=stage, outcome=outcome, weighted=weighted)
    )


@router.get("/upper-secondary/regions/{code}", response=AdjustedOut)
def upper_secondary_region(
    request: HttpRequest,
    code: RegionCodeParam,
    outcome: UpperSecondaryOutcome = "share_diploma",
    weighted: bool = False,
) -> AdjustedOut:
    """Upper-secondary results by programme type of a region's school units (not published by
    Skolverket): diploma within 3 years or GBP against the model value."""
    build = _region(code)
    stage = services.Stage.UPPER_SECONDARY
    return _out(
        build(viewer=signed_in_viewer(request), stage=stage, outcome=outcome, weighted=weighted)
    )


@router.get("/upper-secondary/organizers/{organisation_number}", response=AdjustedOut)
def upper_secondary_organizer(
    request: HttpRequest,
    organisation_number: OrganisationNumberParam,
    outcome: UpperSecondaryOutcome = "share_diploma",
    weighted: bool = False,
) -> AdjustedOut:
    """Upper-secondary results by programme type of an organizer's school units."""
    build = _organizer(organisation_number)
    stage = services.Stage.UPPER_SECONDARY
    return _out(
        build(viewer=signed_in_viewer(request), stage=stage, outcome=outcome, weighted=weighted)
    )
