"""``likvard demo`` serves before the regions' releases are decided (issue #18): it keeps the
national tables and leaves the release warm-up to the worker ``likvard serve`` starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rich.console import Console

from likvard.access import release as gate
from likvard.cli.demo import _demo_warm
from likvard.warehouse.selectors import data_version_get, data_version_newest, version_complete
from likvard.warehouse.tasks import version_warm
from tests.app.analyses.conftest import warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db
def test_the_demo_keeps_the_tables_and_queues_the_release_warm_up(
    warehouse: World,  # noqa: F811
    settings,
    monkeypatch,
) -> None:
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    # As in the demo: a worker runs the queues, not the command. Every queue of the settings
    # stays valid: a module that declares a task on another queue may be imported first here.
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": DATABASE_BACKEND}}
    decided: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    console = Console(record=True)
    _demo_warm(console)

    newest = data_version_newest()
    assert decided == [], "no release is decided before the server starts"
    assert not version_complete(newest)
    assert (Path(settings.LIKVARD_WAREHOUSE_DIR) / "derived" / newest.key).is_dir()
    assert DBTaskResult.objects.get().status == "READY"
    assert "bakgrunden" in console.export_text()

    client = Client()  # the server answers meanwhile, naming the version it shows
    client.force_login(warehouse.users["organizer_analyst"])
    url = reverse("analyses:equity-school", kwargs={"code": warehouse.own_unit.code})
    assert client.get(url).status_code == 200

    version_warm.call(number=newest.number)  # the worker's turn
    assert version_complete(newest)
    assert data_version_get() == newest
    _demo_warm(Console(record=True))  # the demo again: nothing more is queued
    assert DBTaskResult.objects.count() == 1
