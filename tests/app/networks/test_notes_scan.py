"""A scanned notes PDF uploaded on the web is read by OCR in the worker, not in the request.

OCR takes about 4.5 s of CPU a page: a two-page scan took 24 s of wall time at a load of 3-5,
past the 20 s an upload may take, so a busy server refused it as "took too long". The upload
now checks the scan in the request (its type and pages), queues its reading and shows the
pages read until the review is ready. Here the task backend keeps the task (``DummyBackend``)
so the page can be seen while the scan waits; the test then runs the task's body itself.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from likvard.networks.models import NotesUpload, ReadingStatus
from likvard.networks.services import imports
from likvard.networks.services.imports import notes_scan_read, scan_dir
from tests.app.networks.conftest import NetworkWorld

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

SCAN = "scanned/kvalitetsnatverket-2022-11-30-scan.pdf"
KEPT_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["interactive"]}
}


def _client(nets: NetworkWorld, role: str = "network_secretary") -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


@pytest.fixture
def kept(settings, tmp_path) -> None:
    """Tasks kept, not run (``DummyBackend``), and a media folder of the test's own."""
    settings.TASKS = KEPT_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client: Client, notes_dir: Path) -> tuple[str, NotesUpload]:
    scan = SimpleUploadedFile("protokoll-2022-11-30.pdf", (notes_dir / SCAN).read_bytes())
    response = client.post(reverse("networks:notes-import"), {"file": scan})
    assert response.status_code == 302
    return response["Location"], NotesUpload.objects.get()


@pytest.mark.slow
def test_a_scan_is_read_in_the_background_then_reviewed(nets: NetworkWorld, notes_dir, kept):
    client = _client(nets)
    review_url, upload = _upload(client, notes_dir)
    assert (upload.status, upload.pages, upload.text) == (ReadingStatus.QUEUED, 2, "")
    assert [p.name for p in scan_dir().iterdir()] == [upload.source]  # kept for the worker
    waiting = client.get(review_url).content.decode()
    assert "Läser protokoll-2022-11-30.pdf" in waiting
    assert reverse("networks:notes-reading", args=[upload.pk]) in waiting  # the page polls
    assert 'role="status"' in waiting
    poll = client.get(reverse("networks:notes-reading", args=[upload.pk]), HTTP_HX_REQUEST="true")
    assert "Väntar på att starta" in poll.content.decode()
    assert "HX-Refresh" not in poll

    notes_scan_read(upload_id=upload.pk)  # the worker's task

    upload.refresh_from_db()
    assert (upload.status, upload.pages_read, upload.source) == (ReadingStatus.DONE, 2, "")
    assert not any(scan_dir().iterdir())  # the scan is removed once read
    done = client.get(reverse("networks:notes-reading", args=[upload.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    review = client.get(review_url)
    assert "Anna Österlund" in review.context["form"].initial["text"]
    assert "30 november 2022" in review.content.decode()  # parsed from the OCR text


def test_a_scan_that_cannot_be_read_says_why(nets: NetworkWorld, notes_dir, kept, monkeypatch):
    client = _client(nets)
    review_url, upload = _upload(client, notes_dir)
    quick = dataclasses.replace(imports.OCR_UPLOAD_LIMITS, seconds=0.05)
    monkeypatch.setattr(imports, "OCR_UPLOAD_LIMITS", quick)
    notes_scan_read(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == ReadingStatus.FAILED
    assert not any(scan_dir().iterdir())
    page = client.get(review_url).content.decode()
    assert "Det tog för lång tid att läsa filen" in page
    assert reverse("networks:notes-import") in page  # the way to try again


def test_a_scan_whose_worker_died_shows_as_interrupted(
    nets: NetworkWorld, notes_dir, kept, monkeypatch
):
    client = _client(nets)
    review_url, upload = _upload(client, notes_dir)
    monkeypatch.setattr("likvard.warehouse.tasks.task_status", lambda _task_id: "FAILED")
    page = client.get(review_url).content.decode()
    assert "Läsningen av filen avbröts" in page
    upload.refresh_from_db()
    assert upload.status == ReadingStatus.FAILED
    assert not any(scan_dir().iterdir())


def test_someone_elses_scan_is_not_found(nets: NetworkWorld, notes_dir, kept):
    _review_url, upload = _upload(_client(nets), notes_dir)
    other = _client(nets, "administrator")
    assert other.get(reverse("networks:notes-reading", args=[upload.pk])).status_code == 404
    assert other.get(reverse("networks:notes-review", args=[upload.pk])).status_code == 404
