"""The region's planning page is rendered once per kept figures and what else it shows, with
the reader's own CSRF token in its forms; the scenario form's school units are read in one
query (issue #16: a query per member municipality and the whole page rendered on every
request before, 0.5-1 s warm at load 8-10 for the coordinator)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from likvard.access.models import Role
from likvard.analyses.planning import forms
from likvard.organisations.models import Municipality
from tests.app.analyses.planning.conftest import PlanningWorld
from tests.factories.access import user_with_role
from tests.factories.organisations import SchoolUnitFactory

pytestmark = pytest.mark.django_db

URL = reverse("planning:region", kwargs={"code": "gr"})


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """Every scenario form built (only to render the page's body)."""
    calls: list[str] = []
    real = forms.ScenarioChangeForm

    class Counting(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            calls.append("built")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(forms, "ScenarioChangeForm", Counting)
    caches["default"].clear()
    return calls


def _token(page: str) -> str:
    [token] = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    return token


def test_a_second_coordinator_gets_the_kept_page_with_a_token_of_their_own(
    planning_world: PlanningWorld, built: list[str]
):
    world = planning_world.world
    first = Client(enforce_csrf_checks=True)
    first.force_login(world.users["regional_coordinator"])
    page = first.get(URL).content.decode()
    second = Client(enforce_csrf_checks=True)
    second.force_login(user_with_role("samordnare2", Role.REGIONAL_COORDINATOR, region="gr"))
    with CaptureQueriesContext(connection) as queries:
        kept = second.get(URL).content.decode()
    assert built == ["built"]  # the second page is the kept one
    read = 'FROM "organisations_schoolunit"'
    units = [q["sql"] for q in queries.captured_queries if read in q["sql"]]
    assert len(units) == 1  # the scenario form's units in one query, whatever the members
    assert "likvard-csrf-placeholder" not in kept
    assert planning_world.other_upper.name in kept
    data = {"csrfmiddlewaretoken": _token(kept.split("<main")[1]),
            "scenario-school_unit": planning_world.other_upper.pk,
            "scenario-programme": "EE", "scenario-from_year": 2027,
            "scenario-places": 30}  # fmt: skip
    added = second.post(reverse("planning:scenario-add", kwargs={"code": "gr"}), data)
    assert added.status_code == 302
    assert _token(page.split("<main")[1]) != _token(kept.split("<main")[1])
    assert built == ["built", "built"]  # the posted form
    changed = second.get(URL).content.decode()  # the scenario changed: figures and page anew
    assert built == ["built", "built", "built"]
    assert "30 platser i El- och energiprogrammet från 2027" in changed


def test_a_new_upper_secondary_unit_renders_the_form_anew(
    planning_world: PlanningWorld, built: list[str]
):
    client = Client()
    client.force_login(planning_world.world.users["regional_coordinator"])
    client.get(URL)
    client.get(URL)
    assert built == ["built"]
    SchoolUnitFactory(
        code="99887766", name="Nya gymnasiet", organizer=planning_world.world.own,
        municipality=Municipality.objects.get(code="1384"), school_forms=["gymnasieskola"],
    )  # fmt: skip
    page = client.get(URL).content.decode()
    assert built == ["built", "built"]
    assert "Nya gymnasiet" in page

    analyst = Client()
    analyst.force_login(planning_world.world.users["organizer_analyst"])
    assert 'id="scenario-form"' not in analyst.get(URL).content.decode()
    assert built == ["built", "built"]  # no form for one who does not coordinate
