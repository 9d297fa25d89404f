"""Never cold (ADR 0011): while a new data version is being warmed, pages answer from the newest
complete version, name it, and compute nothing for the new one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from likvard.warehouse import warm
from likvard.warehouse.selectors import data_version_get, data_version_newest, version_complete
from likvard.warehouse.services import batch_import
from likvard.warehouse.tasks import version_warm
from tests.app.analyses.conftest import warehouse  # noqa: F401 (fixture)
from tests.app.analyses.movement.conftest import movement_warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["imports", "warm", "exports", "interactive"],
    }
}


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_pages_answer_from_the_last_complete_version_during_a_warm_up(
    warehouse: World,  # noqa: F811
    movement_warehouse,  # noqa: F811
    settings,
    tmp_path: Path,
):
    world = warehouse
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    warm.warm_version()
    complete = data_version_get()
    assert version_complete(complete)

    settings.TASKS = DATABASE_TASKS  # the warm-up waits in the queue: no worker runs it
    path = tmp_path / "elever-ny.csv"
    enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=15,
        year="2025/26",
        seed=9,
    )
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    warm.warm_after_import(queued=True)
    warming = data_version_newest()
    assert warming.number == complete.number + 1
    assert DBTaskResult.objects.get().status == "READY"
    assert data_version_get() == complete

    pages = [
        ("organizer_analyst", reverse("analyses:equity-school", kwargs={"code": "65390344"})),
        ("regional_coordinator", reverse("movement:region", args=["gr"])),
    ]
    for role, url in pages:
        text = _client(world, role).get(url).content.decode()
        assert f"dataversion {complete.label}" in text, url
        assert warming.label.split()[0] + " " not in text, url
    derived = Path(settings.LIKVARD_WAREHOUSE_DIR) / "derived" / warming.key
    assert not derived.exists()  # no request computed a table of the version being warmed

    version_warm.call(number=warming.number)  # the worker's turn
    assert data_version_get() == warming
    text = _client(world, "regional_coordinator").get(pages[1][1]).content.decode()
    assert f"dataversion {warming.label}" in text
