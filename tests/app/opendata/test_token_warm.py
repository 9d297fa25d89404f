"""A token whose owner sees some figures in full reads decisions the warm-up took (#22).

The gate counts the owner's own cells as known, so the owner's class has decisions of its own;
the open data warm-up takes them for every live token's owner who owns figures, recording no
read, and the owner's first request (every gender: T, K and M) takes no decision and is
audited as any later request is. A token made after the warm-up queues the same release for
its owner's class (``kolada_token_warm``: the suite's task backend runs it inside ``enqueue``).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from likvard.access import release
from likvard.access.models import AuditEvent
from likvard.access.tokens import api_token_create
from likvard.opendata.tasks import kolada_token_warm, kolada_token_warm_enqueue
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


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The calls of the gate's ``suppress_cube`` from now on (each is a decision taken)."""
    decided: list[object] = []
    real = release.suppress_cube

    def counting(*args: object, **kwargs: object) -> object:
        decided.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(release, "suppress_cube", counting)
    return decided


def test_a_token_owners_first_request_takes_no_decision(region_world: World, monkeypatch):
    cache.clear()
    owner = region_world.users["small_analyst"]
    token = api_token_create(user=owner, name="kolada").secret
    assert [sorted(v.organizers) for v in token_viewer_classes()] == [[SMALL_ORGANIZER]]
    before = AuditEvent.objects.count()
    warm_open_data(data_version_get())
    assert AuditEvent.objects.count() == before  # the warm-up reads nothing

    decided = _counting(monkeypatch)
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


def test_a_token_made_after_the_warm_up_is_released_when_made(region_world: World, monkeypatch):
    cache.clear()
    warm_open_data(data_version_get())  # no token yet: the anonymous class only
    owner = region_world.users["small_analyst"]
    before = AuditEvent.objects.count()
    token = api_token_create(user=owner, name="kolada").secret  # queues kolada_token_warm
    assert AuditEvent.objects.count() == before  # the task reads nothing

    decided = _counting(monkeypatch)
    first = _answer(token)
    assert decided == []
    assert first[(SMALL, YEAR, "T")][1] == ""  # the owner's own unit, shown
    assert {g for _u, _p, g in first} == {"T", "K", "M"}
    assert AuditEvent.objects.filter(user_id=owner.pk).count() > 0  # the read is audited


def test_a_token_of_an_owner_who_owns_no_figures_queues_nothing(region_world: World):
    owner = region_world.users["regional_coordinator"]
    token = api_token_create(user=owner, name="kolada").token
    assert kolada_token_warm_enqueue(token) is False
    assert kolada_token_warm.call(user_id=owner.pk) == 0
