"""Hostile notes files and attachments are refused with a Swedish message, never a 500.

Finding 2 of #17: PDF bytes named .docx and HTML named .pdf gave a 500 from the notes import;
finding 1: a DOCX bomb held the worker until gunicorn killed it (here: refused in a second).
The bound is on CPU seconds (this process and the untrusted-file children it waited for), not
on the clock: at a load of 15 the same loop took 18 s of wall time and 4 s of CPU.
"""

from __future__ import annotations

import datetime as dt
import resource
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from likvard.networks.models import Attachment, NotesUpload
from likvard.networks.services.meetings import agenda_item_add, meeting_create
from tests.app.networks.conftest import NetworkWorld
from tests.hostile import corpus

pytestmark = pytest.mark.django_db

NOTES_SUFFIXES = (".docx", ".pdf", ".txt")
ATTACHMENT_SUFFIXES = (".docx", ".pdf", ".pptx")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return corpus(tmp_path_factory.mktemp("hostile"))


def _client(nets: NetworkWorld) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(nets.world.users["network_secretary"])
    return client


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _swedish_error(page: str) -> bool:
    return any(
        words in page
        for words in (
            "Filen",
            "filen är tom",
            "PDF-filen",
            "Det tog för lång tid",
            "Läsningen av filen",
            "En sida",
        )
    )


def test_every_hostile_notes_file_is_refused_in_swedish(nets: NetworkWorld, files):
    client = _client(nets)
    for name, path in files.items():
        if path.suffix not in NOTES_SUFFIXES:
            continue
        started = _cpu_seconds()
        upload = SimpleUploadedFile(name, path.read_bytes())
        response = client.post(reverse("networks:notes-import"), {"file": upload})
        assert response.status_code == 400, name
        assert _swedish_error(response.content.decode()), name
        assert _cpu_seconds() - started < 10, name
    assert not NotesUpload.objects.exists()


def test_every_hostile_attachment_is_refused_in_swedish(nets: NetworkWorld, files):
    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    item = agenda_item_add(meeting=meeting, title="Elevrörelser")
    client = _client(nets)
    for name, path in files.items():
        if path.suffix not in ATTACHMENT_SUFFIXES:
            continue
        upload = SimpleUploadedFile(name, path.read_bytes())
        response = client.post(
            reverse("networks:attachment-upload", args=[item.pk]), {"file": upload, "title": ""}
        )
        assert response.status_code == 400, name
        assert _swedish_error(response.content.decode()), name
    assert not Attachment.objects.exists()
