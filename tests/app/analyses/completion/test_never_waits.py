"""The completion region page, API and exports never take a joint decision inside a request
(issues #16, #18): with a decision missing they queue one background task for the viewer's
class and say the figures are being prepared; after the task, the figures are there."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access import release
from likvard.analyses.completion import tasks
from tests.app.conftest import World

pytestmark = pytest.mark.django_db

PREPARING = "Siffrorna för fullföljda studier beräknas för din behörighet."


@pytest.fixture
def queued(completion_world: World, monkeypatch) -> list[dict[str, object]]:
    """Empty caches, no decision taken in a request, and enqueue recording without running."""
    for cache in caches.all():
        cache.clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a joint decision was taken inside the request")

    monkeypatch.setattr(release, "suppress_cube", refuse)
    return _record(monkeypatch)


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def enqueue(self, **kwargs: object) -> SimpleNamespace:
        self.calls.append(kwargs)
        return SimpleNamespace(id=str(uuid.uuid4()))


def _record(monkeypatch) -> list[dict[str, object]]:
    """Make ``completion_decide.enqueue`` record its arguments (the test backend would run it)."""
    recorder = _Recorder()
    monkeypatch.setattr(tasks, "completion_decide", recorder)
    return recorder.calls


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ["organizer_analyst", "regional_coordinator"])
def test_page_queues_one_task_then_shows_the_figures(completion_world: World, queued, role):
    client = _client(completion_world, role)
    url = reverse("analyses:completion-region", kwargs={"code": "gr"}) + "?year=2022"
    first = client.get(url)
    assert first.status_code == 200
    assert PREPARING in first.content.decode()
    assert 'hx-trigger="every 10s"' in first.content.decode()
    assert "trend" not in first.context
    # A second visit (and the poll) while it waits queues nothing more.
    assert PREPARING in client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert len(queued) == 1
    assert queued[0]["region"] == "gr"


def test_after_the_task_the_page_shows_the_figures(completion_world: World, monkeypatch):
    for cache in caches.all():
        cache.clear()
    task = tasks.completion_decide
    calls = _record(monkeypatch)
    client = _client(completion_world, "organizer_analyst")
    url = reverse("analyses:completion-region", kwargs={"code": "gr"}) + "?year=2022"
    assert PREPARING in client.get(url).content.decode()
    assert len(calls) == 1
    task.call(**calls[0])  # what the worker runs
    poll = client.get(url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    ready = client.get(url)  # the page the poll rendered, kept for the analyst's class
    assert PREPARING not in ready.content.decode()
    trend = {row.year: row for row in poll.context["trend"]}
    assert trend["2021/22"].n == 60
    assert len(calls) == 1


def test_api_answers_202(completion_world: World, queued):
    client = _client(completion_world, "regional_coordinator")
    response = client.get("/api/v1/analyses/completion/regions/gr")
    assert response.status_code == 202
    body = response.json()
    assert body["message"].startswith(PREPARING)
    assert body["total"] >= 1
    assert body["ready"] < body["total"]
    assert len(queued) == 1


def test_export_queues_shows_progress_then_offers_the_file(completion_world: World, monkeypatch):
    """A file asked for before its decisions are taken: the task is queued, the notice shows the
    start years done and polls; once the worker has run, the poll offers the file (issue #16)."""
    for cache in caches.all():
        cache.clear()
    task = tasks.completion_decide
    calls = _record(monkeypatch)
    client = _client(completion_world, "regional_coordinator")
    url = reverse("analyses:completion-region", kwargs={"code": "gr"}) + "?format=pdf"
    export = client.get(url)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/html")
    html = export.content.decode()
    assert "PDF-filen förbereds" in html
    assert "Fråga igen" not in html
    assert 'hx-trigger="every 10s"' in html
    assert f'hx-get="{url}"' in html
    assert "<progress" in html
    assert "startår klara" in html
    waiting = client.get(url, headers={"HX-Request": "true"})  # the poll while it waits
    assert "PDF-filen förbereds" in waiting.content.decode()
    assert len(calls) == 1
    task.call(**calls[0])  # what the worker runs
    poll = client.get(url, headers={"HX-Request": "true"})
    assert poll["Content-Type"].startswith("text/html")  # a poll never fetches the file
    ready = poll.content.decode()
    assert "PDF-filen är klar" in ready
    assert "hx-trigger" not in ready
    assert f'href="{url}" download' in ready.replace("&amp;", "&")
    file = client.get(url)
    assert file["Content-Type"] == "application/pdf"
    assert file.content.startswith(b"%PDF")
    assert len(calls) == 1


def test_a_task_whose_worker_died_is_queued_again(completion_world: World, queued, monkeypatch):
    client = _client(completion_world, "organizer_analyst")
    url = reverse("analyses:completion-region", kwargs={"code": "gr"})
    client.get(url)
    client.get(url)
    assert len(queued) == 1
    monkeypatch.setattr(tasks, "task_status", lambda task_id: "FAILED")  # reaped
    assert PREPARING in client.get(url).content.decode()
    assert len(queued) == 2
