"""The equity pages ask the database a fixed number of times, however many units a place has."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from likvard.analyses.equity import tasks
from likvard.analyses.equity.kept import RELEASES
from likvard.warehouse import selectors
from tests.app.conftest import World
from tests.app.task_recorder import TaskRecorder
from tests.factories.organisations import OrganizerFactory, SchoolUnitFactory

RELEASE_TASK = tasks.equity_region_release


def _queries(world: World, role: str, name: str, kwargs: dict[str, str], monkeypatch) -> int:
    """The page's queries from scratch; for the region page, the most of its two requests
    from scratch: the one that queues its units' release (which the worker runs, not the
    request) and the one that renders it after."""
    client = Client()
    client.force_login(world.users[role])
    url = reverse(f"analyses:{name}", kwargs=kwargs)
    cache.clear()  # the page as rendered from scratch, not its kept fragment
    RELEASES.clear()  # nor the units' releases this process decided before (the region page)
    selectors._KEPT_REFS.clear()  # nor the data versions' files this process has read once
    queued: list[dict[str, object]] = []
    task = RELEASE_TASK
    monkeypatch.setattr(tasks, "equity_region_release", TaskRecorder(queued))
    counts = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    counts.append(len(queries))
    for call in queued:  # what the worker runs
        task.call(**call)
        RELEASES.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert "förbereds" not in response.content.decode()
        counts.append(len(queries))
    assert len(queued) == (1 if name == "equity-region" else 0)
    return max(counts)


def _more_places(world: World, count: int) -> None:
    """Add school units to both organizers and organizers to the region's municipalities."""
    for i in range(count):
        SchoolUnitFactory(
            code=f"9{i:07d}",
            name=f"Extra skola {i}",
            organizer=world.own,
            municipality=world.own.municipality,
        )
        organizer = OrganizerFactory(
            organisation_number=f"55{i:08d}",
            name=f"Extra huvudman {i}",
            organizer_type="enskild",
            municipality=world.other.municipality,
        )
        SchoolUnitFactory(
            code=f"8{i:07d}",
            name=f"Friskola {i}",
            organizer=organizer,
            municipality=world.other.municipality,
        )


PAGES = [
    ("regional_coordinator", "equity-index", {}),
    ("regional_coordinator", "equity-region", {"code": "gr"}),
    ("regional_coordinator", "equity-published-region", {"code": "gr"}),
    ("organizer_analyst", "equity-organizer", {"organisation_number": "2120001256"}),
    ("principal", "equity-school", {"code": "65390344"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "kwargs"), PAGES, ids=[p[1] for p in PAGES])
def test_equity_page_queries_do_not_grow_with_places(
    warehouse: World, role: str, name: str, kwargs: dict[str, str], monkeypatch
):
    before = _queries(warehouse, role, name, kwargs, monkeypatch)
    _more_places(warehouse, 6)
    after = _queries(warehouse, role, name, kwargs, monkeypatch)
    assert after == before, f"{name}: {before} queries, {after} with six more units and organizers"
    assert before <= 30, f"{name}: {before} queries"
