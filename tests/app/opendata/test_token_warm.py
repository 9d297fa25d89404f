"""A token whose owner sees some figures in full reads decisions the warm-up took (#22).

The gate counts the owner's own cells as known, so the owner's class has decisions of its own;
the open data warm-up takes them for every live token's owner who owns figures, recording no
read, and the owner's first request (every gender: T, K and M) takes no decision and is
audited as any later request is.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from likvard.access import release
from likvard.access.models import AuditEvent
from likvard.access.tokens import api_token_create
from likvard.opendata.warm import token_viewer_classes, warm_open_data
from likvard.warehouse.selectors import data_version_get
from tests.app.conftest import World
from tests.app.opendata.conftest import MERIT_KPI, SMALL, YEAR
from tests.app.quality.conftest import SMALL_ORGANIZER

pytestmark = pytest.mark.django_db


def _answer(token: str) -> dict[tuple[str, int, str], tuple[float | None, str]]:
    response = Client().get(
        f"/kolada/v3/oudata/kpi/{MERIT_KPI}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content[:300]
    return {
        (r["ou"], r["period"], v["gender"]): (v["value"], v["status"])
        for r in response.json()["values"]
        for v in r["values"]
    }


def test_a_token_owners_first_request_takes_no_decision(region_world: World, monkeypatch):
    cache.clear()
    owner = region_world.users["small_analyst"]
    token = api_token_create(user=owner, name="kolada").secret
    assert [sorted(v.organizers) for v in token_viewer_classes()] == [[SMALL_ORGANIZER]]
    before = AuditEvent.objects.count()
    warm_open_data(data_version_get())
    assert AuditEvent.objects.count() == before  # the warm-up reads nothing

    decided: list[object] = []
    real = release.suppress_cube

    def counting(*args: object, **kwargs: object) -> object:
        decided.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(release, "suppress_cube", counting)
    first = _answer(token)
    assert decided == []
    assert first[(SMALL, YEAR, "T")][1] == ""  # the owner's own unit, shown
    assert {g for _u, _p, g in first} == {"T", "K", "M"}
    assert AuditEvent.objects.filter(user_id=owner.pk).count() > 0  # the read is audited
    assert _answer(token) == first
    assert decided == []


def test_owners_who_own_no_figures_are_the_anonymous_class(region_world: World):
    api_token_create(user=region_world.users["regional_coordinator"], name="kolada")
    assert token_viewer_classes() == []
