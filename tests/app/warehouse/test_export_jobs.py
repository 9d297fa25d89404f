"""Large exports run on the worker: a region's basis as PDF, PPTX or DOCX is queued, its page
shows the progress (htmx polling) and offers the file, to the person who asked alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from likvard.warehouse.models import ExportJob, JobStatus
from tests.app.conftest import World
from tests.app.warehouse.test_worker import start_worker  # noqa: F401 (fixture)

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


@pytest.mark.django_db(transaction=True)
def test_a_region_pdf_is_made_by_the_worker_and_offered_when_ready(
    world: World,
    import_dirs: Path,
    settings,
    start_worker,  # noqa: F811
):
    coordinator = _client(world, "regional_coordinator")
    url = reverse("quality:basis-region-download", args=["gr", "pdf"])
    # the page's figures prepared by the test's immediate backend (in a served installation
    # the worker prepares them before the page is shown: quality.tasks)
    basis = coordinator.get(reverse("quality:basis-region", args=["gr"])).content.decode()
    assert f'href="{url}?year=' in basis
    assert "download" not in basis.split(f'href="{url}?year=')[1].split(">")[0]  # no download attr
    assert " download>" in basis  # the XLSX is still a direct download
    settings.TASKS = DATABASE_TASKS
    response = coordinator.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("warehouse:export-detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED  # no worker yet: the web request rendered nothing
    page = coordinator.get(response["Location"]).content.decode()
    assert reverse("warehouse:export-progress", args=[job.pk]) in page  # polled by htmx
    assert 'hx-trigger="every 1s"' in page

    start_worker()
    deadline = time.monotonic() + 180
    while job.active and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    progress = coordinator.get(
        reverse("warehouse:export-progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert progress["HX-Refresh"] == "true"
    download = reverse("warehouse:export-download", args=[job.pk])
    assert download in coordinator.get(response["Location"]).content.decode()
    file = coordinator.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content).startswith(b"%PDF")
    assert "attachment" in file["Content-Disposition"]
    # Someone else learns nothing of it, not even that it exists.
    other = _client(world, "network_member")
    assert other.get(response["Location"]).status_code == 404
    assert other.get(download).status_code == 404


@pytest.mark.django_db
def test_xlsx_stays_direct(world: World, import_dirs: Path):
    response = _client(world, "regional_coordinator").get(
        reverse("quality:basis-region-download", args=["gr", "xlsx"])
    )
    assert response.status_code == 200
    assert not ExportJob.objects.exists()
