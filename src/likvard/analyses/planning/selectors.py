"""Reading planning data: surveys and responses the viewer may see, scenarios, the basis."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from likvard.access.policy import Action, Viewer, allowed
from likvard.analyses.planning.models import (
    CapacityEntry,
    CapacityResponse,
    CapacitySurvey,
    PlanningBasis,
    PlanningBasisValue,
    ResponseStatus,
    ScenarioChange,
)
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Municipality, Organizer, Programme, Region, SchoolUnit
from likvard_core.terms import SchoolForm


@dataclass(frozen=True, slots=True)
class SurveyOverview:
    """A survey and the responses the viewer may see, with what they may do."""

    survey: CapacitySurvey
    responses: list[CapacityResponse]
    coordinator: bool
    editable: frozenset[str]  # municipality codes the viewer reports for
    past_deadline: bool = False


def municipal_organizer(*, municipality: Municipality) -> Organizer | None:
    """The municipality's own organizer (the kommun as huvudman), or None."""
    for organizer in organisations.organizers_in_municipality(municipality=municipality):
        if (
            organizer.organizer_type == "kommunal"
            and organizer.municipality_id == municipality.code
        ):
            return organizer
    return None


def may_report(*, viewer: Viewer, municipality: Municipality) -> bool:
    """Whether ``viewer`` reports capacity for ``municipality`` (its organizer's analyst)."""
    organizer = municipal_organizer(municipality=municipality)
    return organizer is not None and allowed(
        viewer, Action.REPORT_CAPACITY, organizer=organizer.organisation_number
    )


def survey_past_deadline(*, survey: CapacitySurvey, today: datetime.date | None = None) -> bool:
    """Whether the survey's deadline has passed (the deadline day itself is still open), by
    the local date in Sweden."""
    return (today or timezone.localdate()) > survey.deadline


def response_open(*, response: CapacityResponse, today: datetime.date | None = None) -> bool:
    """Whether the municipality may still save or submit ``response``: until the deadline,
    and after it only while the coordinator has reopened it."""
    return response.reopened_at is not None or not survey_past_deadline(
        survey=response.survey, today=today
    )


def may_coordinate(*, viewer: Viewer, region: Region) -> bool:
    """Whether ``viewer`` coordinates ``region``'s planning."""
    return allowed(viewer, Action.COORDINATE_PLANNING, region=region.code)


def survey_list(*, viewer: Viewer) -> list[SurveyOverview]:
    """Surveys the viewer coordinates or reports in, newest first."""
    result = []
    for survey in CapacitySurvey.objects.select_related("region"):
        try:
            result.append(survey_overview(viewer=viewer, survey=survey))
        except PermissionDenied:
            continue
    return result


def survey_get(*, pk: int) -> CapacitySurvey | None:
    """The survey ``pk``, or None."""
    return CapacitySurvey.objects.select_related("region").filter(pk=pk).first()


def survey_overview(*, viewer: Viewer, survey: CapacitySurvey) -> SurveyOverview:
    """The coordinator sees every municipality's status; an analyst sees their own row only.

    Raises ``PermissionDenied`` for anyone else.
    """
    responses = list(
        survey.responses.select_related("municipality", "updated_by").order_by("municipality__name")
    )
    coordinator = may_coordinate(viewer=viewer, region=survey.region)
    editable = frozenset(
        r.municipality_id
        for r in responses
        if may_report(viewer=viewer, municipality=r.municipality)
    )
    if not coordinator and not editable:
        raise PermissionDenied("planning.survey")
    shown = responses if coordinator else [r for r in responses if r.municipality_id in editable]
    return SurveyOverview(survey, shown, coordinator, editable, survey_past_deadline(survey=survey))


def response_get(*, survey: CapacitySurvey, municipality_code: str) -> CapacityResponse | None:
    """The survey's response of ``municipality_code``, or None."""
    return (
        survey.responses.select_related("municipality")
        .filter(municipality_id=municipality_code)
        .first()
    )


def survey_school_units(*, municipality: Municipality) -> list[SchoolUnit]:
    """Upper-secondary school units located in ``municipality``, any organizer."""
    units = SchoolUnit.objects.filter(municipality=municipality).select_related("organizer")
    return [u for u in units if u.runs(SchoolForm.UPPER_SECONDARY)]


def region_survey_units(*, region: Region) -> list[tuple[int, str, str]]:
    """``(id, code, name)`` of the upper-secondary school units located in the region's
    municipalities, any organizer, by code: what ``survey_school_units`` gives for every
    member municipality, in one query of the columns needed (not one query per municipality
    of whole units with their organizers)."""
    rows = SchoolUnit.objects.filter(municipality__in=region.municipalities.all()).values_list(
        "pk", "code", "name", "school_forms"
    )
    form = SchoolForm.UPPER_SECONDARY.value
    found = [(pk, code, name) for pk, code, name, forms in rows if form in forms]
    return sorted(found, key=lambda u: u[1])


def national_programmes() -> list[Programme]:
    """Programmes that take places in a capacity survey (national and introduction)."""
    return organisations.programme_list()


def response_entries(*, response: CapacityResponse) -> dict[tuple[str, str, int], int]:
    """(school unit, programme, year) → places of one response."""
    entries = CapacityEntry.objects.filter(response=response).select_related("school_unit")
    return {(e.school_unit.code, str(e.programme_id), int(e.year)): int(e.places) for e in entries}


@dataclass(frozen=True, slots=True)
class SurveySupply:
    """The latest survey's places of submitted municipalities, for the supply computation."""

    survey: CapacitySurvey | None
    rows: list[tuple[str, str, int, int]]  # school unit code, programme, year, places
    covered_units: frozenset[str]
    submitted: int
    municipalities: int


def survey_supply(*, region: Region) -> SurveySupply:
    """Places from the region's newest survey, from municipalities that have submitted."""
    survey = CapacitySurvey.objects.filter(region=region).order_by("-first_year").first()
    if survey is None:
        return SurveySupply(None, [], frozenset(), 0, 0)
    responses = list(survey.responses.select_related("municipality"))
    submitted = [r for r in responses if r.status == ResponseStatus.SUBMITTED]
    covered = frozenset(
        unit.code for r in submitted for unit in survey_school_units(municipality=r.municipality)
    )
    entries = CapacityEntry.objects.filter(response__in=submitted).select_related("school_unit")
    rows = [(e.school_unit.code, str(e.programme_id), int(e.year), int(e.places)) for e in entries]
    return SurveySupply(survey, rows, covered, len(submitted), len(responses))


def region_school_units(*, region: Region) -> dict[str, str]:
    """Every school unit in the register → its municipality code (for movement patterns)."""
    del region  # students of the region study anywhere: the whole register is needed
    return dict(SchoolUnit.objects.values_list("code", "municipality_id"))


def scenario_changes(*, region: Region) -> list[ScenarioChange]:
    """The changes of the region's scenario, in year order."""
    return list(
        ScenarioChange.objects.filter(region=region).select_related("school_unit", "programme")
    )


def planning_basis_latest(
    *, region: Region
) -> tuple[PlanningBasis | None, list[PlanningBasisValue]]:
    """The region's newest imported planning basis and its values."""
    basis = PlanningBasis.objects.filter(region=region).first()
    if basis is None:
        return None, []
    return basis, list(basis.values.all())
