"""The capacity survey: a coordinator opens it, each member municipality's analyst fills it in."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from likvard.access.policy import Action, Viewer, require
from likvard.analyses.planning import selectors
from likvard.analyses.planning.models import (
    CapacityEntry,
    CapacityResponse,
    CapacitySurvey,
    ResponseStatus,
)
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region

EntryKey = tuple[str, str, int]
"""(school unit code, programme code, year)."""


class SurveyClosedError(ValidationError):
    """The survey's deadline has passed and the coordinator has not reopened the response."""


def capacity_survey_open(
    *,
    viewer: Viewer,
    region: Region,
    first_year: int,
    years: int,
    deadline: datetime.date,
    by: User,
) -> CapacitySurvey:
    """Open a survey for ``region`` with a not-started response per member municipality."""
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    if CapacitySurvey.objects.filter(region=region, first_year=first_year).exists():
        raise ValidationError(_("The region already has a capacity survey for that year."))
    with transaction.atomic():
        survey = CapacitySurvey(
            region=region, first_year=first_year, years=years, deadline=deadline, opened_by=by
        )
        survey.full_clean()
        survey.save()
        for municipality in organisations.region_municipalities(region=region):
            response = CapacityResponse(survey=survey, municipality=municipality)
            response.full_clean()
            response.save()
    return survey


def capacity_response_save(
    *,
    viewer: Viewer,
    response: CapacityResponse,
    places: Mapping[EntryKey, int | None],
    submit: bool,
    by: User,
) -> CapacityResponse:
    """Replace the response's places with ``places`` (None or absent: no row) and set status.

    Only the analyst of the municipality's own organizer may save; every school unit must lie
    in the municipality and every year in the survey's years, else ``ValidationError``.
    """
    if not selectors.may_report(viewer=viewer, municipality=response.municipality):
        raise PermissionDenied("planning.report_capacity")
    if not selectors.response_open(response=response):
        raise SurveyClosedError(
            _("The deadline has passed. Ask the region's coordinator to reopen the response.")
        )
    survey = response.survey
    units = {u.code: u for u in selectors.survey_school_units(municipality=response.municipality)}
    programmes = {p.code: p for p in selectors.national_programmes()}
    entries = []
    for (unit, programme, year), value in sorted(places.items()):
        if value is None:
            continue
        if unit not in units or programme not in programmes or year not in survey.year_range:
            raise ValidationError(_("A row is outside this municipality's survey."))
        entry = CapacityEntry(
            response=response,
            school_unit=units[unit],
            programme=programmes[programme],
            year=year,
            places=value,
        )
        entry.full_clean(exclude=["response"])
        entries.append(entry)
    with transaction.atomic():
        CapacityEntry.objects.filter(response=response).delete()
        CapacityEntry.objects.bulk_create(entries)
        now = timezone.now()
        response.status = ResponseStatus.SUBMITTED if submit else ResponseStatus.IN_PROGRESS
        response.updated_by = by
        response.updated_at = now
        response.submitted_at = now if submit else None
        if submit:  # a reopened response closes again when it is submitted
            response.reopened_at = None
            response.reopened_by = None
        response.full_clean()
        response.save()
    return response


def capacity_response_reopen(
    *, viewer: Viewer, response: CapacityResponse, by: User
) -> CapacityResponse:
    """Let the municipality save and submit ``response`` again after the deadline.

    Only the region's coordinator may reopen; a submitted response goes back to in progress
    and stays open until the municipality submits it again.
    """
    require(viewer, Action.COORDINATE_PLANNING, region=response.survey.region.code)
    with transaction.atomic():
        response.reopened_at = timezone.now()
        response.reopened_by = by
        if response.status == ResponseStatus.SUBMITTED:
            response.status = ResponseStatus.IN_PROGRESS
        response.full_clean()
        response.save()
    return response
