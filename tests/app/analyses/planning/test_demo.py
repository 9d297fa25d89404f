"""The demo's capacity survey: opened for GR, one municipality submitted, one in progress."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from likvard.analyses.planning.demo import capacity_survey_demo_ensure
from likvard.analyses.planning.models import CapacityEntry, CapacitySurvey
from likvard.analyses.planning.selectors import survey_supply
from tests.app.analyses.planning.conftest import PlanningWorld

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 6)


def test_demo_survey_is_open_with_a_submitted_and_a_started_response(
    planning_world: PlanningWorld,
):
    saved = capacity_survey_demo_ensure(
        today=TODAY, responses=(("analytiker", True), ("analytiker2", False))
    )
    survey = CapacitySurvey.objects.get()
    assert (survey.region.code, survey.first_year, survey.years) == ("gr", 2027, 3)
    assert survey.deadline == TODAY + datetime.timedelta(days=30)
    statuses = dict(survey.responses.values_list("municipality_id", "status"))
    assert statuses == {"1384": "submitted", "1481": "in_progress"}
    # 30 NA students at Kungsbacka's unit → 30 places, the biggest programme +5 from year two;
    # 12 EE students at Mölndal's → 15 places (whole classes of five).
    places = {
        (e.response.municipality_id, e.programme_id, e.year): e.places
        for e in CapacityEntry.objects.select_related("response")
    }
    assert places == {
        ("1384", "NA", 2027): 30, ("1384", "NA", 2028): 35, ("1384", "NA", 2029): 35,
        ("1481", "EE", 2027): 15, ("1481", "EE", 2028): 20, ("1481", "EE", 2029): 20,
    }  # fmt: skip
    assert saved == 6
    # Run again: nothing new.
    assert capacity_survey_demo_ensure(today=TODAY) == 0
    assert CapacitySurvey.objects.count() == 1


def test_demo_survey_pages_show_years_and_status(planning_world: PlanningWorld):
    capacity_survey_demo_ensure(today=TODAY, responses=(("analytiker", True),))
    survey = CapacitySurvey.objects.get()
    client = Client()
    client.force_login(planning_world.world.users["regional_coordinator"])
    page = client.get(reverse("planning:survey-detail", args=[survey.pk])).content.decode()
    assert "2027–2029" in page
    index = client.get(reverse("planning:index")).content.decode()
    assert "2027–2029" in index
    # The region's planning page takes Kungsbacka's submitted places as its supply.
    supply = survey_supply(region=planning_world.world.region)
    assert (supply.submitted, supply.municipalities) == (1, 2)
    unit = planning_world.own_upper.code
    assert sorted(supply.rows) == [
        (unit, "NA", 2027, 30),
        (unit, "NA", 2028, 35),
        (unit, "NA", 2029, 35),
    ]
