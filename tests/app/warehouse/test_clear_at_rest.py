"""Finding 7 of #17: no personnummer stays in clear on disk after an upload, whatever its fate.

After each kind of upload (imported, refused, validated and abandoned, an SS 12000 bundle)
every file under the data folder (the test's data, media and warehouse folders) is searched
for the numbers in all their written forms. Before the fix a validated upload lay in clear in
the upload folder for 24 hours, and the SS 12000 import wrote the numbers to a temporary CSV.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from likvard.warehouse.jobs import import_jobs_reap
from likvard.warehouse.models import ImportBatch, ImportJob
from likvard.warehouse.selectors import import_job_path
from likvard_core.ingest.sources.ss12000 import on_converted
from tests.app.conftest import World
from tests.factories.ss12000 import bundle, enrolment, person
from tests.factories.warehouse import enrolment_file


def _forms(number: str) -> set[str]:
    digits = number.replace("-", "")
    return {number, digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"}


def _clear_numbers_on_disk(folders: list[Path], numbers: list[str]) -> list[str]:
    """The files under ``folders`` that hold any of ``numbers`` in clear."""
    forms = sorted({form for number in numbers for form in _forms(number)})
    pattern = re.compile("|".join(re.escape(form) for form in forms).encode())
    return [
        str(path)
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and pattern.search(path.read_bytes())
    ]


def _upload(client: Client, path: Path, organizer: str):
    with path.open("rb") as handle:
        return client.post(
            reverse("warehouse:import-start"),
            {"kind": "enrolments", "organizer": organizer, "file": handle},
        )


@pytest.fixture
def analyst(world: World) -> Client:
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    return client


def _folders(import_dirs: Path) -> list[Path]:
    return [import_dirs / "media", import_dirs / "warehouse", Path(settings.DATA_DIR)]


def _user_file(world: World, folder: Path, seed: int) -> tuple[Path, list[str]]:
    """The user's own file, kept outside the data folder (it is theirs, not Likvärd's)."""
    folder.mkdir(exist_ok=True)
    path = folder / "elever.csv"
    numbers = enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=15,
        seed=seed,
    )
    return path, numbers


@pytest.mark.django_db
def test_no_clear_numbers_after_imported_refused_and_abandoned_uploads(
    world: World, import_dirs, analyst, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("users-own-files")
    organizer = world.own.organisation_number

    path, imported = _user_file(world, outside, seed=1)
    assert _upload(analyst, path, organizer).status_code == 302
    job = ImportJob.objects.get()
    analyst.post(reverse("warehouse:job-commit", args=[job.pk]))
    assert ImportBatch.objects.count() == 1
    assert _clear_numbers_on_disk(_folders(import_dirs), imported) == []

    path, refused = _user_file(world, outside, seed=2)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(refused[3], refused[3][:-1] + "X"), encoding="utf-8")
    _upload(analyst, path, organizer)
    assert ImportJob.objects.exclude(pk=job.pk).get().issues
    assert _clear_numbers_on_disk(_folders(import_dirs), refused) == []

    path, abandoned = _user_file(world, outside, seed=3)
    _upload(analyst, path, organizer)
    waiting = ImportJob.objects.order_by("-created_at").first()
    assert waiting is not None
    assert waiting.valid
    assert _clear_numbers_on_disk(_folders(import_dirs), abandoned) == []
    page = analyst.get(reverse("warehouse:job-detail", args=[waiting.pk])).content.decode()
    assert "••••••••-••••" in page  # the preview survives the clear file, masked

    folder = import_job_path(waiting).parent
    hour_ago = time.time() - 3601
    os.utime(folder, (hour_ago, hour_ago))
    import_jobs_reap()
    assert not folder.exists()  # a validated upload not imported within an hour goes
    committed = analyst.post(reverse("warehouse:job-commit", args=[waiting.pk]), follow=True)
    assert "ladda upp den igen" in committed.content.decode()


@pytest.mark.django_db
def test_ss12000_bundle_is_converted_in_memory(world: World, import_dirs):
    persons = [person(i, [enrolment("s2", "GR", 9)]) for i in range(1, 6)]
    path = import_dirs / "ss12000-export.json"
    path.write_bytes(bundle(persons, units=(world.own_unit.code, world.own_unit.code)))
    seen: list[str] = []

    def where(csv_path: Path) -> str:
        seen.append(str(csv_path))
        return csv_path.read_text(encoding="utf-8")

    text, _conversion = on_converted(path, where)
    assert text.startswith("personnummer;")
    assert seen[0].startswith("/proc/self/fd/")  # never a file on a disk
