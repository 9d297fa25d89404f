"""A basis page whose figures are not kept for the viewer's class never computes them in the
request (issue #18): it queues the task worker's ``basis_prepare`` once, says in Swedish that
the figures are being prepared and polls; once they are kept, the poll reloads the page, which
reads them and is audited as if it had computed them. On a fresh demo during its first warm-up,
a principal's first page computed every trend year's national context and levels cube in the
request, and the web server's timeout killed it at 120 s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent
from likvard.quality import tasks
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.app.quality.conftest import count_builds

PREPARING = "Siffrorna förbereds för din behörighet"


@dataclass
class _Queue:
    """``basis_prepare`` as a worker that has not run yet: what is queued, run on demand."""

    queued: list[dict[str, Any]] = field(default_factory=list)

    def enqueue(self, **kwargs: Any) -> Any:
        self.queued.append(kwargs)
        return type("Result", (), {"id": f"00000000-0000-0000-0000-{len(self.queued):012d}"})

    def run(self) -> None:
        for kwargs in self.queued:
            tasks.basis_prepare.func(**kwargs)


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> _Queue:
    waiting = _Queue()
    monkeypatch.setattr(tasks, "basis_prepare", type("Task", (), {
        "enqueue": staticmethod(waiting.enqueue), "func": tasks.basis_prepare.func,
    }))  # fmt: skip
    return waiting


@pytest.mark.django_db
def test_a_principals_first_page_is_prepared_by_the_worker_not_the_request(
    region_world: World,  # noqa: F811
    queue: _Queue,
    monkeypatch: pytest.MonkeyPatch,
):
    world = region_world
    caches["default"].clear()
    built = count_builds(monkeypatch)
    principal = world.users["principal"]
    url = reverse("quality:basis-school-unit", args=[world.own_unit.code])
    client = Client()
    client.force_login(principal)

    first = client.get(url)
    assert first.status_code == 200
    page = first.content.decode()
    assert PREPARING in page
    assert world.own_unit.name in page  # which basis, in the title and the heading
    assert f'hx-get="{url}"' in page  # it polls itself
    assert built == []  # nothing computed in the request
    assert len(queue.queued) == 1

    polled = client.get(url, headers={"HX-Request": "true"})
    assert PREPARING in polled.content.decode()
    assert "HX-Refresh" not in polled
    assert client.get(url).status_code == 200  # a reload neither computes nor queues again
    assert built == []
    assert len(queue.queued) == 1
    assert not AuditEvent.objects.filter(username=principal.username).exists()

    queue.run()  # the interactive worker
    assert built == [principal.username]
    assert not AuditEvent.objects.exists()  # the worker read nothing for anyone
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    shown = client.get(url).content.decode()
    assert PREPARING not in shown
    assert "Analysunderlag: Björkris skola" in shown
    assert built == [principal.username]  # read from what the worker kept
    assert AuditEvent.objects.filter(username=principal.username).exists()  # audited on read


@pytest.mark.django_db
def test_the_organizer_and_region_pages_wait_for_the_worker_too(
    region_world: World,  # noqa: F811
    queue: _Queue,
    monkeypatch: pytest.MonkeyPatch,
):
    world = region_world
    caches["default"].clear()
    built = count_builds(monkeypatch)
    analyst, coordinator = world.users["organizer_analyst"], world.users["regional_coordinator"]
    organizer_url = reverse("quality:basis-organizer", args=[world.own.organisation_number])
    region_url = reverse("quality:basis-region", args=["gr"])
    first, second = Client(), Client()
    first.force_login(analyst)
    second.force_login(coordinator)

    assert PREPARING in first.get(organizer_url).content.decode()
    assert PREPARING in second.get(region_url).content.decode()
    assert built == []
    assert [q["kind"] for q in queue.queued] == ["organizer", "region"]

    queue.run()
    assert "Analysunderlag: Kungsbacka kommun" in first.get(organizer_url).content.decode()
    assert "Analysunderlag: Göteborgsregionen" in second.get(region_url).content.decode()
    assert sorted(built) == sorted([analyst.username, coordinator.username])


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_queued_again(
    region_world: World,  # noqa: F811
    queue: _Queue,
    monkeypatch: pytest.MonkeyPatch,
):
    world = region_world
    caches["default"].clear()
    client = Client()
    client.force_login(world.users["principal"])
    url = reverse("quality:basis-school-unit", args=[world.own_unit.code])
    client.get(url)
    client.get(url)
    assert len(queue.queued) == 1
    monkeypatch.setattr("likvard.warehouse.tasks.task_status", lambda _id: "FAILED")  # reaped
    client.get(url)
    assert len(queue.queued) == 2


@pytest.mark.django_db
def test_a_file_asked_for_before_its_page_waits_for_the_worker_too(
    region_world: World,  # noqa: F811
    queue: _Queue,
    monkeypatch: pytest.MonkeyPatch,
):
    # A download link reached directly (a bookmark, a shared link) before the figures are kept
    # computed them in the request, as the page did.
    world = region_world
    caches["default"].clear()
    built = count_builds(monkeypatch)
    client = Client()
    client.force_login(world.users["principal"])
    url = reverse("quality:basis-school-unit-download", args=[world.own_unit.code, "xlsx"])
    first = client.get(url)
    assert PREPARING in first.content.decode()
    assert built == []
    assert len(queue.queued) == 1
    queue.run()
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    file = client.get(url)
    assert "attachment" in file["Content-Disposition"]
    assert file.content.startswith(b"PK")  # an XLSX
