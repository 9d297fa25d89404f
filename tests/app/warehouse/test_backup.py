"""`likvard backup` and `likvard restore`: a backup restored into an empty installation shows
the same analysis basis; the pseudonym key is never in it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from likvard.cli.backup import backup, restore
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.keys import pseudonym_key
from likvard.warehouse.models import DataVersion
from tests.app.analyses.conftest import warehouse  # noqa: F401 (fixture)
from tests.app.conftest import World

YEAR = 2025


def _basis(world: World) -> str:
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    url = reverse("quality:basis-organizer", args=[world.own.organisation_number])
    page = client.get(f"{url}?year={YEAR}").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_an_empty_installation_shows_the_same_basis(
    warehouse: World,  # noqa: F811
    settings,
    tmp_path: Path,
):
    catalogue_load_shipped()
    settings.MEDIA_ROOT = tmp_path / "media"
    before = _basis(warehouse)
    assert "Analysunderlag: Kungsbacka kommun" in before
    versions = DataVersion.objects.count()
    folder = tmp_path / "backup"
    made = CliRunner().invoke(backup, [str(folder)])
    assert made.exit_code == 0, made.output
    assert f"{versions} dataversioner" in made.output
    key = pseudonym_key()
    assert len(key) >= 16  # the key the installation uses (from the setting or its file)
    assert all(key not in path.read_bytes() for path in folder.rglob("*") if path.is_file())

    # An empty installation: migrated tables, no rows, no warehouse files.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.LIKVARD_WAREHOUSE_DIR)
    assert DataVersion.objects.count() == 0
    restored = CliRunner().invoke(restore, [str(folder)])
    assert restored.exit_code == 0, restored.output
    assert DataVersion.objects.count() == versions
    assert _basis(warehouse) == before

    again = CliRunner().invoke(restore, [str(folder)])
    assert again.exit_code != 0
    assert "redan data" in again.output
