"""Equity's region workbook and slides never release the region's units inside a request: from
a cold cache (GR on the demo: 171 units, 165 s, past the web server's 120 s) the file's address
queues one background task for the viewer's class and shows the units done; once the worker
has released them, the poll offers the file and the file comes from the kept releases."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from likvard.analyses.equity import services, tasks
from tests.app.conftest import World
from tests.app.task_recorder import TaskRecorder

pytestmark = pytest.mark.django_db

PREPARING = "XLSX-filen förbereds: varje skolenhets siffror tas fram för din behörighet."


def _cold(monkeypatch) -> tuple[object, TaskRecorder, list[str]]:
    """Empty caches, the task replaced by a recorder (its real self returned, for running
    what the worker would), and the list of units' cubes released from now on."""
    for cache in caches.all():
        cache.clear()
    services.RELEASES.clear()
    task = tasks.equity_region_release
    recorder = TaskRecorder()
    monkeypatch.setattr(tasks, "equity_region_release", recorder)
    released: list[str] = []
    real = services.release_cube

    def counted(*args: object, **kwargs: object) -> object:
        released.append(str(kwargs.get("purpose")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "release_cube", counted)  # a unit's cube released
    return task, recorder, released


def test_region_workbook_queues_shows_progress_then_offers_the_file(warehouse: World, monkeypatch):
    task, recorder, released = _cold(monkeypatch)
    client = Client()
    client.force_login(warehouse.users["organizer_analyst"])
    url = reverse("analyses:equity-region", kwargs={"code": "gr"}) + "?format=xlsx"

    first = client.get(url)
    text = first.content.decode()
    assert first["Content-Type"].startswith("text/html")
    assert PREPARING in text
    assert 'hx-trigger="every 10s"' in text
    assert "0 av " in text  # units done of all
    assert released == []  # nothing released inside the request
    poll = client.get(url, headers={"HX-Request": "true"})
    assert PREPARING in poll.content.decode()
    assert len(recorder.calls) == 1  # the poll queued nothing more
    assert recorder.calls[0]["region"] == "gr"

    task.call(**recorder.calls[0])  # what the worker runs
    units = len(released)
    assert units >= 1
    services.RELEASES.clear()  # a web process of its own: the shared cache only
    ready = client.get(url, headers={"HX-Request": "true"})
    assert "XLSX-filen är klar" in ready.content.decode()
    file = client.get(url)
    assert file["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(BytesIO(file.content)).sheetnames == ["Per år"]
    assert len(released) == units  # read from the kept releases (their reads replayed)
    assert len(recorder.calls) == 1


def test_region_page_from_a_cold_cache_waits_then_reloads(warehouse: World, monkeypatch):
    """The page's address as the file's: from a cold cache it queues the same task and shows
    the units done (it released them all inside the request before, past the web server's
    timeout on GR); once they are kept, the poll reloads the page, which shows the report."""
    task, recorder, released = _cold(monkeypatch)
    client = Client()
    client.force_login(warehouse.users["regional_coordinator"])
    url = reverse("analyses:equity-region", kwargs={"code": "gr"})

    first = client.get(url).content.decode()
    assert "Sidan förbereds: varje skolenhets siffror tas fram för din behörighet." in first
    assert f'hx-get="{url}"' in first
    assert released == []
    assert len(recorder.calls) == 1
    client.get(url, headers={"HX-Request": "true"})  # a poll while it runs
    assert len(recorder.calls) == 1

    task.call(**recorder.calls[0])
    services.RELEASES.clear()
    ready = client.get(url, headers={"HX-Request": "true"})
    assert ready["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "förbereds" not in page
    assert "Betyg och nationella prov" in page
    assert len(recorder.calls) == 1
