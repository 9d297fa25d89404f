"""The demo's capacity survey: GR's coordinator has opened one for the next three intakes, the
Kungsbacka analyst has submitted Kungsbacka's places and the Mölndal analyst has started on
Mölndal's, so the survey pages, the response form and the supply that the region's planning
page takes from submitted places can be tried (the dimensioning part of the product).

The places are the demo's own first-year students on 15 October of the newest year, per school
unit and programme, rounded up to whole classes of five and carried over the survey's years
(one programme of Kungsbacka's grows by a class from the second year, so the planning page has a
change to show). Idempotent: nothing is made when the region has a survey.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib.auth import get_user_model
from django.utils import timezone

from likvard.access.policy import viewer_for
from likvard.analyses.planning import selectors
from likvard.analyses.planning.models import CapacitySurvey
from likvard.analyses.planning.services.survey import (
    EntryKey,
    capacity_response_save,
    capacity_survey_open,
)
from likvard.organisations.models import Municipality, Region
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.planning.supply import first_year_enrolment, latest_enrolment_year

REGION = "gr"
COORDINATOR = "samordnare"
YEARS = 3
DEADLINE_DAYS = 30
CLASS = 5
"""Places are reported in steps of five."""
RESPONSES = (("analytiker", True), ("analytiker.molndal", False))
"""(reporting analyst, submitted): Kungsbacka has submitted, Mölndal has saved a draft."""


def _places(municipality: Municipality, first_year: int) -> dict[EntryKey, int]:
    """Places per (unit, programme, year): the newest first-year students, in whole classes."""
    municipality_units = [u.code for u in selectors.survey_school_units(municipality=municipality)]
    known = {p.code for p in selectors.national_programmes()}
    with data_version_get().open() as db:
        latest = latest_enrolment_year(db, school_units=municipality_units)
        if latest is None:
            return {}
        enrolled = first_year_enrolment(
            db, school_units=municipality_units, school_year=latest
        ).to_pylist()
    places: dict[EntryKey, int] = {}
    grown = False
    for row in sorted(enrolled, key=lambda r: (-int(r["students"]), str(r["programme_code"]))):
        unit, programme = str(row["school_unit_code"]), str(row["programme_code"])
        if programme not in known:
            continue
        base = CLASS * math.ceil(int(row["students"]) / CLASS)
        extra = 0 if grown else CLASS  # the biggest programme grows by a class
        grown = True
        for offset in range(YEARS):
            places[(unit, programme, first_year + offset)] = base + (extra if offset else 0)
    return places


def capacity_survey_demo_ensure(
    *,
    today: dt.date | None = None,
    responses: tuple[tuple[str, bool], ...] = RESPONSES,
) -> int:
    """Open the demo's survey with its ``responses`` unless the region has one; the number of
    places rows saved."""
    region = Region.objects.filter(code=REGION).first()
    users = get_user_model().objects
    coordinator = users.filter(username=COORDINATOR).first()
    if region is None or coordinator is None or CapacitySurvey.objects.filter(region=region):
        return 0
    today = today or timezone.localdate()
    survey = capacity_survey_open(
        viewer=viewer_for(coordinator),
        region=region,
        first_year=today.year + 1,
        years=YEARS,
        deadline=today + dt.timedelta(days=DEADLINE_DAYS),
        by=coordinator,
    )
    saved = 0
    for username, submit in responses:
        user = users.filter(username=username).first()
        if user is None:
            continue
        viewer = viewer_for(user)
        for response in survey.responses.select_related("municipality"):
            if not selectors.may_report(viewer=viewer, municipality=response.municipality):
                continue
            places = _places(response.municipality, survey.first_year)
            capacity_response_save(
                viewer=viewer, response=response, places=places, submit=submit, by=user
            )
            saved += len(places)
    return saved
