"""The capacity survey: the coordinator opens it, each municipality's analyst fills in its own."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from likvard.access.policy import viewer_for
from likvard.analyses.planning.forms import places_field_name
from likvard.analyses.planning.models import CapacityEntry, CapacityResponse, CapacitySurvey
from likvard.analyses.planning.selectors import response_open
from likvard.analyses.planning.services.report import planning_report
from likvard.analyses.planning.services.survey import SurveyClosedError, capacity_response_save
from tests.app.analyses.planning.conftest import PlanningWorld

pytestmark = pytest.mark.django_db


def _client(planning_world: PlanningWorld, role: str) -> Client:
    client = Client()
    client.force_login(planning_world.world.users[role])
    return client


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _open(planning_world: PlanningWorld) -> CapacitySurvey:
    client = _client(planning_world, "regional_coordinator")
    data = {"first_year": 2025, "years": 2, "deadline": _in_days(30).isoformat()}
    response = client.post(reverse("planning:survey-open", kwargs={"code": "gr"}), data)
    assert response.status_code == 302
    return CapacitySurvey.objects.get()


def test_survey_workflow(planning_world: PlanningWorld):
    survey = _open(planning_world)
    statuses = dict(survey.responses.values_list("municipality_id", "status"))
    assert statuses == {"1384": "not_started", "1481": "not_started"}
    analyst = _client(planning_world, "organizer_analyst")  # Kungsbacka kommun
    url = reverse("planning:response-edit", kwargs={"pk": survey.pk, "municipality": "1384"})
    page = analyst.get(url)
    assert page.status_code == 200
    assert page.context["editable"]
    unit = planning_world.own_upper.code
    field = places_field_name(unit, "NA", 2025)
    assert field in page.context["form"].fields
    saved = analyst.post(url, {field: "45", places_field_name(unit, "EE", 2026): "16", "save": ""})
    assert saved.status_code == 302
    response = CapacityResponse.objects.get(survey=survey, municipality_id="1384")
    assert response.status == "in_progress"
    assert CapacityEntry.objects.filter(response=response).count() == 2
    next_year = places_field_name(unit, "NA", 2026)
    submitted = analyst.post(url, {field: "45", next_year: "48", "submit": ""})
    assert submitted.status_code == 302
    response.refresh_from_db()
    assert response.status == "submitted"
    assert sorted(CapacityEntry.objects.values_list("year", "places")) == [(2025, 45), (2026, 48)]

    coordinator = _client(planning_world, "regional_coordinator")
    detail = coordinator.get(reverse("planning:survey-detail", kwargs={"pk": survey.pk}))
    content = detail.content.decode()
    assert "Inskickad" in content
    assert "Inte påbörjad" in content
    assert [r.municipality_id for r in detail.context["overview"].responses] == ["1384", "1481"]
    # the submitted places replace last year's enrolment for Kungsbacka's unit
    report = planning_report(
        viewer=viewer_for(planning_world.world.users["regional_coordinator"]),
        region=planning_world.world.region,
    )
    assert report.supply_demand is not None
    rows = {(r["year"], r["programme_code"]): r for r in report.supply_demand.rows()}
    assert rows[(2025, "NA")]["supply_survey"] == 45
    assert rows[(2030, "NA")]["supply"] == 48  # the survey's last year carries forward
    assert rows[(2025, "EE")]["supply_enrolment"] == 12  # Mölndal has not submitted


def test_an_analyst_edits_only_their_own_municipality(planning_world: PlanningWorld):
    survey = _open(planning_world)
    analyst = _client(planning_world, "organizer_analyst")
    other = reverse("planning:response-edit", kwargs={"pk": survey.pk, "municipality": "1481"})
    assert analyst.get(other).status_code == 403
    field = places_field_name(planning_world.other_upper.code, "NA", 2025)
    assert analyst.post(other, {field: "99", "submit": ""}).status_code == 403
    assert not CapacityEntry.objects.exists()
    # a cell of another municipality's unit posted to one's own form is ignored, not stored
    own = reverse("planning:response-edit", kwargs={"pk": survey.pk, "municipality": "1384"})
    analyst.post(own, {field: "99", "save": ""})
    assert not CapacityEntry.objects.filter(school_unit=planning_world.other_upper).exists()
    detail = analyst.get(reverse("planning:survey-detail", kwargs={"pk": survey.pk}))
    assert [r.municipality_id for r in detail.context["overview"].responses] == ["1384"]
    coordinator = _client(planning_world, "regional_coordinator")
    read_only = coordinator.get(own)
    assert read_only.status_code == 200
    assert not read_only.context["editable"]
    assert coordinator.post(own, {"submit": ""}).status_code == 403


def test_only_a_coordinator_opens_a_survey(planning_world: PlanningWorld):
    analyst = _client(planning_world, "organizer_analyst")
    data = {"first_year": 2025, "years": 2, "deadline": _in_days(30).isoformat()}
    url = reverse("planning:survey-open", kwargs={"code": "gr"})
    assert analyst.post(url, data).status_code == 403
    _open(planning_world)
    again = _client(planning_world, "regional_coordinator").post(url, data)
    assert again.status_code == 400  # one survey per region and year
    assert CapacitySurvey.objects.count() == 1


def test_the_deadline_day_is_open_and_the_next_is_closed(planning_world: PlanningWorld):
    survey = _open(planning_world)
    response = CapacityResponse.objects.get(survey=survey, municipality_id="1384")
    assert response_open(response=response, today=survey.deadline)
    assert not response_open(response=response, today=survey.deadline + datetime.timedelta(1))
    response.reopened_at = timezone.now()
    assert response_open(response=response, today=survey.deadline + datetime.timedelta(1))


def test_after_the_deadline_only_a_reopened_response_is_saved(planning_world: PlanningWorld):
    survey = _open(planning_world)
    analyst = _client(planning_world, "organizer_analyst")
    url = reverse("planning:response-edit", kwargs={"pk": survey.pk, "municipality": "1384"})
    field = places_field_name(planning_world.own_upper.code, "NA", 2025)
    assert analyst.post(url, {field: "45", "submit": ""}).status_code == 302
    CapacitySurvey.objects.filter(pk=survey.pk).update(deadline=_in_days(-1))

    page = analyst.get(url)  # read-only, with the reason
    assert page.status_code == 200
    assert not page.context["editable"]
    assert 'id="survey-closed"' in page.content.decode()
    assert analyst.post(url, {field: "50", "submit": ""}).status_code == 403
    response = CapacityResponse.objects.get(survey=survey, municipality_id="1384")
    viewer = viewer_for(planning_world.world.users["organizer_analyst"])
    with pytest.raises(SurveyClosedError):  # the service refuses too, whoever calls it
        capacity_response_save(
            viewer=viewer, response=response, places={}, submit=True,
            by=planning_world.world.users["organizer_analyst"],
        )  # fmt: skip
    assert list(CapacityEntry.objects.values_list("places", flat=True)) == [45]

    reopen = reverse("planning:response-reopen", kwargs={"pk": survey.pk, "municipality": "1384"})
    assert analyst.post(reopen).status_code == 403  # only the coordinator reopens
    coordinator = _client(planning_world, "regional_coordinator")
    detail = coordinator.get(reverse("planning:survey-detail", kwargs={"pk": survey.pk}))
    assert reopen in detail.content.decode()
    assert coordinator.post(reopen).status_code == 302
    response.refresh_from_db()
    assert response.status == "in_progress"
    assert response.reopened_at is not None

    assert analyst.get(url).context["editable"]
    assert analyst.post(url, {field: "50", "submit": ""}).status_code == 302
    submitted = CapacityResponse.objects.get(pk=response.pk)
    assert (submitted.status, submitted.reopened_at) == ("submitted", None)
    assert list(CapacityEntry.objects.values_list("places", flat=True)) == [50]
    assert analyst.post(url, {field: "60", "save": ""}).status_code == 403  # closed again
    assert issubclass(SurveyClosedError, ValidationError)
