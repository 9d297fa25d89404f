"""The warm-up decides the region pages', the Kolada API's and open data's releases of a new
data version ahead of time, so that their first visitor computes no suppression."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from likvard.access import release as gate
from likvard.analyses.equity.kept import RELEASES, SLICES
from likvard.warehouse import warm
from likvard.warehouse.selectors import data_version_get, data_version_newest
from tests.app.analyses.conftest import warehouse  # noqa: F401 (fixture)
from tests.app.analyses.movement.conftest import movement_warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World
from tests.app.opendata.conftest import YEAR, region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import small_unit  # noqa: F401 (fixture)


def test_the_apps_register_release_warmers() -> None:
    names = warm.registered_warmers()
    assert {"release.analyses", "release.movement", "release.opendata"} <= set(names)
    assert names.index("release.analyses") > names.index("equity")  # after the kept tables


@pytest.mark.django_db
def test_after_the_warm_up_region_pages_and_open_data_decide_nothing(
    region_world: World,  # noqa: F811
    movement_warehouse,  # noqa: F811
    settings,
    monkeypatch,
):
    world = region_world
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    cache.clear()
    warm.warm_version()
    assert data_version_get() == data_version_newest()
    SLICES.clear()  # a web process other than the worker's: only the shared cache is warm
    RELEASES.clear()
    decided: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    coordinator = Client()
    coordinator.force_login(world.users["regional_coordinator"])
    pages = [
        (coordinator, reverse("analyses:equity-region", args=["gr"])),
        (coordinator, reverse("analyses:equity-region", args=["gr"]) + "?grade_year=6"),
        (coordinator, reverse("movement:region", args=["gr"])),
        (coordinator, reverse("analyses:completion-region", args=["gr"])),
        (Client(), "/kolada/v3/data/kpi/N15504/municipality/1384"),  # T, K and M
        (Client(), "/kolada/v3/oudata/kpi/N15504,L00001"),
        (Client(), f"/oppna-data/analysunderlag/{YEAR}.csv"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert decided == [], url
