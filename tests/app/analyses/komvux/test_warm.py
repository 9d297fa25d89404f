"""Komvux's region decision is made by the warm-up, never on a visitor's request."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from likvard.access import release as gate
from likvard.analyses.warm import warm_region_releases
from likvard.warehouse.selectors import data_version_newest
from tests.app.conftest import World


def test_after_the_warm_up_the_region_page_decides_nothing(komvux_data: World, monkeypatch):
    cache.clear()
    assert warm_region_releases(data_version_newest()) >= 1
    decided: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    coordinator = Client()
    coordinator.force_login(komvux_data.users["regional_coordinator"])
    response = coordinator.get(reverse("komvux:region", args=[komvux_data.region.code]))
    assert response.status_code == 200
    assert decided == []


def test_after_the_warm_up_an_owners_region_page_releases_nothing(komvux_data: World, monkeypatch):
    """The warm-up computes the region's report for each owner class, reads withheld, and
    keeps it with its audited reads: the organizer's analyst's first page in a web process
    releases nothing (2.0 s of CPU on the demo before) and is audited for the same reads as a
    page computed anew."""
    from likvard.access.models import AuditEvent
    from likvard.analyses.komvux import services

    cache.clear()
    assert warm_region_releases(data_version_newest()) >= 1
    user = komvux_data.users["organizer_analyst"]
    assert not AuditEvent.objects.filter(user_id=user.pk).exists()  # nobody read yet
    released: list[int] = []
    real = services.release_cube

    def counting(*args, **kwargs):
        released.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "release_cube", counting)
    analyst = Client()
    analyst.force_login(user)
    url = reverse("komvux:region", args=[komvux_data.region.code])
    kept = analyst.get(url)
    assert kept.status_code == 200
    assert released == []
    reads = sorted(AuditEvent.objects.filter(user_id=user.pk).values_list("scope", "purpose"))
    assert reads
    AuditEvent.objects.all().delete()
    cache.clear()
    anew = analyst.get(url)
    assert released
    assert kept.content.count(b"<td") == anew.content.count(b"<td")
    assert reads == sorted(
        AuditEvent.objects.filter(user_id=user.pk).values_list("scope", "purpose")
    )
