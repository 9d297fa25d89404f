"""The warm-up fits the adjusted results' models and keeps the region pages' and an owner's
organizer pages' released rows, with their reads, so the first visit after it fits nothing
and an owner's releases nothing; every reader is still audited for the reads (issue #16: the
first visit after a deploy took 14 s wall on the demo, fitting both stages' models)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent
from likvard.analyses import warm
from likvard.analyses.adjusted import services
from likvard.warehouse.selectors import data_version_newest
from tests.app.conftest import World

pytestmark = pytest.mark.django_db

REGION = [
    reverse("analyses:adjusted-year9-region", kwargs={"code": "gr"}),
    reverse("analyses:adjusted-upper-secondary-region", kwargs={"code": "gr"}),
]
ORGANIZER = [
    reverse("analyses:adjusted-year9-organizer", kwargs={"organisation_number": "2120001256"}),
    reverse(
        "analyses:adjusted-upper-secondary-organizer",
        kwargs={"organisation_number": "2120001256"},
    ),
]


def _counted(monkeypatch) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How often a model was fitted and figures released, from here on."""
    calls = {"fitted": 0, "released": 0}
    fits = {"salsa_by_school": services.salsa_by_school,
            "upper_secondary_by_school": services.upper_secondary_by_school}  # fmt: skip
    release = services.release

    def fitting(real):  # type: ignore[no-untyped-def]
        def fit(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls["fitted"] += 1
            return real(*args, **kwargs)

        return fit

    def releasing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["released"] += 1
        return release(*args, **kwargs)

    for name, real in fits.items():
        monkeypatch.setattr(services, name, fitting(real))
    monkeypatch.setattr(services, "release", releasing)
    return calls


def _visit(user, urls: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 200


def _reads(user_id: int) -> list[tuple[str, str, str, str]]:
    events = AuditEvent.objects.filter(user_id=user_id).order_by("pk")
    return list(events.values_list("action", "scope", "purpose", "data_version"))


def _warm_up(monkeypatch) -> None:
    """The release warm-up's adjusted part only (the others are tested on their own)."""
    parts = tuple(part for part in warm.RELEASE_PARTS if part[0] == "adjusted")
    monkeypatch.setattr(warm, "RELEASE_PARTS", parts)
    caches["default"].clear()
    assert warm.warm_region_releases(data_version_newest()) >= 1


def test_after_the_warm_up_the_first_visit_fits_no_model(modelled: World, monkeypatch):
    _warm_up(monkeypatch)
    assert not AuditEvent.objects.exists()  # nobody read in the warm-up
    calls = _counted(monkeypatch)
    _visit(modelled.users["regional_coordinator"], REGION)
    _visit(modelled.users["network_member"], REGION)
    assert calls["fitted"] == 0


def test_after_the_warm_up_an_owners_pages_release_nothing_and_are_audited(
    modelled: World, monkeypatch
):
    _warm_up(monkeypatch)
    calls = _counted(monkeypatch)
    analyst = modelled.users["organizer_analyst"]
    _visit(analyst, [*REGION, *ORGANIZER])
    assert calls == {"fitted": 0, "released": 0}
    kept = _reads(analyst.pk)
    assert {purpose for _a, _s, purpose, _v in kept} >= {
        "adjusted.region.year9", "adjusted.organizer.year9"
    }  # fmt: skip
    AuditEvent.objects.all().delete()
    caches["default"].clear()
    _visit(analyst, [*REGION, *ORGANIZER])  # computed anew: the same reads
    assert calls["released"] == 4
    assert _reads(analyst.pk) == kept
