"""After imports good and bad, no personnummer stands in clear anywhere Likvärd writes.

The run: an organizer analyst uploads a file with one bad personnummer (rejected), then the
fixed file (committed), then the same file again (a repeat). Then every place is read: the
warehouse's files, every row of every table in the app database, the log records of the run,
every page the analyst saw, and the upload folder.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.urls import reverse

from likvard.warehouse.models import ImportBatch, ImportJob
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _forms(number: str) -> set[str]:
    """The ways a personnummer can be written: 12 or 10 digits, with or without the dash."""
    digits = number.replace("-", "")
    return {number, digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"}


def _upload(client: Client, path: Path) -> str:
    with path.open("rb") as handle:
        response = client.post(
            reverse("warehouse:import-start"),
            {"kind": "enrolments", "organizer": "2120001256", "file": handle},
        )
    pages = [response.content.decode()]
    if response.status_code == 302:
        pages.append(client.get(response["Location"]).content.decode())
    return "\n".join(pages)


def _database_dump() -> str:
    return "\n".join(serializers.serialize("json", m.objects.all()) for m in apps.get_models())


def _folder_bytes(folder: Path) -> bytes:
    if not folder.exists():
        return b""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.mark.django_db
def test_no_personnummer_in_clear_after_good_bad_and_repeated_imports(
    world: World, import_dirs, caplog
):
    caplog.set_level(logging.DEBUG)
    path = import_dirs / "elever.csv"
    numbers = enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=40,
    )
    good_text = path.read_text(encoding="utf-8")
    bad_number = numbers[10][:-1] + str((int(numbers[10][-1]) + 1) % 10)
    path.write_text(good_text.replace(numbers[10], bad_number), encoding="utf-8")

    client = Client()
    client.force_login(world.users["organizer_analyst"])
    pages = [_upload(client, path)]
    rejected = ImportJob.objects.get()
    assert rejected.issues
    assert rejected.issues[0]["row"] == 12

    path.write_text(good_text, encoding="utf-8")
    pages.append(_upload(client, path))
    job = ImportJob.objects.exclude(pk=rejected.pk).get()
    committed = client.post(reverse("warehouse:job-commit", args=[job.pk]), follow=True)
    pages.append(committed.content.decode())
    assert ImportBatch.objects.count() == 1
    pages.append(_upload(client, path))
    pages.append(client.get(reverse("warehouse:import-history")).content.decode())
    path.unlink()  # the user's own file is theirs; everything below is Likvärd's

    places = {
        "warehouse": _folder_bytes(import_dirs / "warehouse").decode("latin-1"),
        "uploads": _folder_bytes(import_dirs / "media").decode("latin-1"),
        "database": _database_dump(),
        "logs": "\n".join(r.getMessage() + repr(r.args) for r in caplog.records),
        "issues": json.dumps([j.issues for j in ImportJob.objects.all()]),
        "pages": "\n".join(pages),
    }
    assert places["warehouse"], "the committed batch wrote files"
    assert places["logs"], "the run logged"
    forms = sorted({form for number in [*numbers, bad_number] for form in _forms(number)})
    pattern = re.compile("|".join(re.escape(form) for form in forms))
    for place, text in places.items():
        found = pattern.search(text)
        assert found is None, f"a personnummer stands in clear in {place}"
