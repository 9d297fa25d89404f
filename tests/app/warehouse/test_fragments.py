"""The GR dependency map is rendered once per data version, viewer kind and choices; viewers
with rights to student-level data (audited reads) are computed every time."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import Role
from likvard.analyses.movement import services
from tests.app.analyses.movement.conftest import movement_warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World
from tests.factories.access import user_with_role


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = services.region_report

    def counting(**kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(kwargs["viewer"].username)  # type: ignore[attr-defined]
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "region_report", counting)
    caches["default"].clear()
    return calls


def _get(user, url: str, **query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_the_map_is_rendered_once_per_viewer_kind_and_choices(
    movement_warehouse,  # noqa: F811
    computed: list[str],
):
    world: World = movement_warehouse.world
    url = reverse("movement:region", args=["gr"])
    coordinator = world.users["regional_coordinator"]
    colleague = user_with_role("samordnare2", Role.REGIONAL_COORDINATOR, region="gr")
    first = _get(coordinator, url)
    again = _get(colleague, url)  # another person of the same kind: no computation
    assert computed == ["samordnare"]
    assert again.replace("samordnare2", "samordnare") == first
    assert "dataversion v3" in first
    _get(colleague, url, year="2026")  # other choices: computed
    assert computed == ["samordnare", "samordnare2"]
    partial = Client()
    partial.force_login(coordinator)
    fragment = partial.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert fragment.strip() in first
    assert len(computed) == 2

    analyst = world.users["organizer_analyst"]  # rights to Kungsbacka's students: audited
    _get(analyst, url)
    _get(analyst, url)
    assert computed[2:] == ["analytiker", "analytiker"]
