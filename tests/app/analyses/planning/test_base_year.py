"""The planning page's base-year box shows the year the forecast starts from (the latest
population year) when none is chosen, for every reader; the box was empty before, so a
reader could not tell which year the page counted from nor change it by one."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.app.analyses.planning.conftest import PlanningWorld

pytestmark = pytest.mark.django_db

URL = reverse("planning:region", kwargs={"code": "gr"})


def _box(page: str) -> str:
    [box] = re.findall(r'<input[^>]*name="from_year"[^>]*>', page)
    return box


@pytest.mark.parametrize("role", ["regional_coordinator", "organizer_analyst"])
def test_the_base_year_box_shows_the_latest_population_year(
    planning_world: PlanningWorld, role: str
):
    caches["default"].clear()
    client = Client()
    client.force_login(planning_world.world.users[role])
    page = client.get(URL).content.decode()
    assert 'value="2024"' in _box(page)  # the latest population year of the world
    again = client.get(URL, {"from_year": ""}).content.decode()  # the box emptied and sent
    assert 'value="2024"' in _box(again)


def test_sending_the_default_year_shows_the_same_forecast(planning_world: PlanningWorld):
    caches["default"].clear()
    client = Client()
    client.force_login(planning_world.world.users["regional_coordinator"])
    default = client.get(URL)
    sent = client.get(URL, {"from_year": "2024"})
    assert sent.status_code == 200
    assert 'value="2024"' in _box(sent.content.decode())
    assert default.context["report"].totals == sent.context["report"].totals
    assert default.context["report"].from_year == sent.context["report"].from_year == 2024
    earlier = client.get(URL, {"from_year": "2023"})
    assert 'value="2023"' in _box(earlier.content.decode())
