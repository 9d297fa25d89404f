"""Issue #16: an owner's first completion page in a fresh web process releases nothing.

An organizer's analyst sees their own organizer's cells in full, and every such read is
audited, so the region report was released again (13 cubes on the demo) on the owner's first
page in every web process. It is now kept in Django's cache per data version and rights class
with the reads made releasing it (the warm-up fills it for each owner class, reads withheld),
and every reader served from there is audited for the same reads. The early-warning list is
kept the same way: its read is audited for every reader, computed or not.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent, Role
from likvard.access.policy import viewer_for
from likvard.analyses.completion import services
from likvard.analyses.warm import warm_region_releases
from likvard.warehouse.selectors import data_version_newest
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.organisations import OrganizerFactory

pytestmark = pytest.mark.django_db


def _fresh_process() -> None:
    """Another web process: nothing in this one's memory, only Django's cache is shared."""
    for kept in ("_AGGREGATES", "_REGION_CUBES"):
        if hasattr(services, kept):
            getattr(services, kept).clear()


def _counted(monkeypatch, name: str) -> list[int]:
    """The calls of ``services.<name>`` from here on."""
    calls: list[int] = []
    real = getattr(services, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, name, counted)
    return calls


def _reads(user_id: int) -> Counter[tuple[str, str, str, str]]:
    events = AuditEvent.objects.filter(user_id=user_id)
    return Counter(events.values_list("action", "scope", "purpose", "channel"))


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_after_the_warm_up_an_owners_region_page_releases_nothing(
    completion_world: World, monkeypatch
):
    """The warm-up keeps the owner class's report with its reads: the analyst's first page
    in a fresh process releases no cube and is audited for the same reads as a page that
    released anew."""
    caches["default"].clear()
    assert warm_region_releases(data_version_newest()) >= 1
    user = completion_world.users["organizer_analyst"]
    assert _reads(user.pk) == Counter()  # nobody read in the warm-up
    _fresh_process()
    released = _counted(monkeypatch, "release_cube")
    url = reverse("analyses:completion-region", kwargs={"code": completion_world.region.code})
    kept = _client(completion_world, "organizer_analyst").get(url)
    assert kept.status_code == 200
    assert released == []
    replayed = _reads(user.pk)
    assert replayed  # the analyst's own organizer's cells, read in full
    assert {purpose for _a, _s, purpose, _c in replayed} == {"completion.region"}
    AuditEvent.objects.all().delete()
    caches["default"].clear()
    _fresh_process()
    anew = _client(completion_world, "organizer_analyst").get(url)
    assert released  # computed and released anew
    assert _reads(user.pk) == replayed
    assert kept.context["report"].totals.table.equals(anew.context["report"].totals.table)
    assert kept.content.count(b"<td") == anew.content.count(b"<td")


def test_a_viewer_who_knows_no_cell_shares_the_report_of_one_who_owns_nothing(
    completion_world: World, monkeypatch
):
    """A viewer who owns none of the region's organizers and heads none of its units is
    released its cubes as a viewer who owns nothing: they read that report, audited for
    nothing, in a fresh process too."""
    caches["default"].clear()
    assert warm_region_releases(data_version_newest()) >= 1
    _fresh_process()
    released = _counted(monkeypatch, "release_cube")
    elsewhere = OrganizerFactory(
        organisation_number="2120001439", municipality=completion_world.own.municipality
    )
    user = user_with_role(
        "analytiker3", Role.ORGANIZER_ANALYST, organizer=elsewhere.organisation_number
    )
    client = Client()
    client.force_login(user)
    url = reverse("analyses:completion-region", kwargs={"code": completion_world.region.code})
    response = client.get(url)
    assert response.status_code == 200
    assert released == []
    assert _reads(user.pk) == Counter()


def test_a_region_not_ready_builds_its_start_years_cubes_once_per_process(
    completion_world: World, monkeypatch
):
    """While a class's decisions are being taken, each request finds the report not ready:
    that check built every start year's tables anew (0.44 s of 0.58 s a request on GR)."""
    caches["default"].clear()
    _fresh_process()
    built = _counted(monkeypatch, "year_cube_aggregates")
    analyst = viewer_for(completion_world.users["organizer_analyst"])
    for _request in range(3):
        with pytest.raises(services.CompletionNotReady):
            services.completion_region_report(
                viewer=analyst, region=completion_world.region, decide=False
            )
    assert len(built) == 1  # the world's one start year, built once
