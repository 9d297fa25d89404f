"""The completion region page, API and exports never take a joint decision inside a request
(issues #16, #18): with a decision missing they queue one background task for the viewer's
class and say the figures are being prepared; after the task, the figures are there."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access import release
from likvard.access.policy import viewer_for
from likvard.analyses.completion import services, tasks
from likvard.organisations.models import Region
from tests.app.conftest import World
from tests.app.task_recorder import TaskRecorder

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


def _record(monkeypatch) -> list[dict[str, object]]:
    """Make ``completion_decide.enqueue`` record its arguments (the test backend would run it)."""
    recorder = TaskRecorder()
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
    monkeypatch.setattr("likvard.warehouse.tasks.task_status", lambda task_id: "FAILED")  # reaped
    assert PREPARING in client.get(url).content.decode()
    assert len(queued) == 2


def test_a_poll_while_the_task_waits_computes_no_start_year(
    completion_world: World, queued, monkeypatch, django_assert_max_num_queries
):
    """The notice's poll reads the task's progress from the cache (0.6 s a poll on the demo's
    GR when it computed every start year's tables to count the decided ones); the task's
    progress shows as it decides."""
    calls: list[int] = []
    compute = services.year_cube_aggregates

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return compute(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "year_cube_aggregates", counted)
    client = _client(completion_world, "regional_coordinator")
    url = reverse("analyses:completion-region", kwargs={"code": "gr"}) + "?format=pdf"
    first = client.get(url)
    assert "PDF-filen förbereds" in first.content.decode()
    total = first.context["total"]
    assert calls  # the first visit looked, and queued the task
    assert len(queued) == 1
    calls.clear()
    with django_assert_max_num_queries(8):
        poll = client.get(url, headers={"HX-Request": "true"})
    assert "PDF-filen förbereds" in poll.content.decode()
    assert (poll.context["ready"], poll.context["total"]) == (0, total)
    assert calls == []
    page = reverse("analyses:completion-region", kwargs={"code": "gr"})
    with django_assert_max_num_queries(8):
        assert PREPARING in client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert calls == []
    viewer = viewer_for(completion_world.users["regional_coordinator"])
    key = tasks._marker("gr", sorted(viewer.organizers), sorted(viewer.school_units))
    caches["default"].set(key + ":progress", [1, total])  # the worker, one year done
    poll = client.get(url, headers={"HX-Request": "true"})
    assert (poll.context["ready"], poll.context["total"]) == (1, total)
    assert client.get("/api/v1/analyses/completion/regions/gr").json()["ready"] == 1
    assert calls == []
    assert len(queued) == 1


def test_the_task_counts_its_progress(completion_world: World):
    for cache in caches.all():
        cache.clear()
    seen: list[tuple[int, int]] = []
    region = Region.objects.get(code="gr")
    viewer = viewer_for(completion_world.users["regional_coordinator"])
    done, years = services.completion_region_decide(
        viewer=viewer, region=region, progress=lambda ready, total: seen.append((ready, total))
    )
    assert years >= 1
    assert done == years  # nothing decided before: every year taken now
    assert seen == [(i, years) for i in range(1, years + 1)]
