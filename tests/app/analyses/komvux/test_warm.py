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
