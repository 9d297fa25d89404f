"""#17: an uploaded import file is never written in clear, neither by Django (which writes
uploads over 2.5 MB to the temporary folder) nor by Likvärd while the file waits for and goes
through validation: it is sealed as it arrives and decrypted only in the memory of the child
process that reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from likvard.warehouse import jobs, views
from likvard.warehouse.models import ImportJob
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _clear_files(folders: list[Path], numbers: list[str]) -> list[str]:
    forms = {f for n in numbers for f in (n, n.replace("-", ""), n.replace("-", "")[2:])}
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms)).encode())
    return [
        str(path)
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file() and pattern.search(path.read_bytes())
    ]


@pytest.mark.django_db
def test_an_upload_is_never_in_clear_on_disk_after_upload_or_during_validation(
    world: World, import_dirs, tmp_path_factory, settings, monkeypatch
):
    temporary = tmp_path_factory.mktemp("system-tmp")
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64  # as if the file were over Django's 2.5 MB
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    outside = tmp_path_factory.mktemp("users-own-files")
    path = outside / "elever.csv"
    numbers = enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=12,
        seed=77,
    )
    folders = [temporary, import_dirs / "media", import_dirs / "warehouse", Path(settings.DATA_DIR)]
    found: dict[str, list[str]] = {}

    real_upload = views.import_upload
    real_validate = jobs.batch_validate

    def upload_seen(**kwargs):
        found["after upload"] = _clear_files(folders, numbers)
        return real_upload(**kwargs)

    def validate_seen(**kwargs):
        found["during validation"] = _clear_files(folders, numbers)
        return real_validate(**kwargs)

    monkeypatch.setattr(views, "import_upload", upload_seen)
    monkeypatch.setattr(jobs, "batch_validate", validate_seen)
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    with path.open("rb") as handle:
        response = client.post(
            reverse("warehouse:import-start"),
            {"kind": "enrolments", "organizer": world.own.organisation_number, "file": handle},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.valid, [
        i["expected"] for i in job.issues
    ]  # the sealed file was read, decrypted in memory
    assert job.rows_expected == 12
    assert found == {"after upload": [], "during validation": []}
    assert _clear_files(folders, numbers) == []
    page = client.get(reverse("warehouse:job-detail", args=[job.pk])).content.decode()
    assert "••••••••-••••" in page  # the preview, masked, made in the child
    client.post(reverse("warehouse:job-commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.batch is not None
    assert str(temporary) == settings.FILE_UPLOAD_TEMP_DIR


@pytest.mark.django_db
def test_a_form_that_does_not_validate_leaves_no_sealed_file(world: World, import_dirs):
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    path = import_dirs / "elever.csv"
    path.write_text("personnummer;läsår\n", encoding="utf-8")
    with path.open("rb") as handle:
        response = client.post(reverse("warehouse:import-start"), {"kind": "nej", "file": handle})
    assert response.status_code == 400
    uploads = Path(settings.MEDIA_ROOT) / "private" / "uploads"
    assert [p for p in uploads.rglob("*") if p.is_file()] == []
