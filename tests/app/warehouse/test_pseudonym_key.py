"""Finding 8 of #17: the pseudonym key is handled like a key.

Created atomically with mode 0600, never regenerated silently once data exist, kept outside
the data folder in production, and recorded (as a fingerprint) by every batch, so an import
under another key is refused with a clear error instead of silently breaking every link.
"""

from __future__ import annotations

import stat
import threading

import pytest

from likvard.warehouse.keys import PseudonymKeyError, pseudonym_key
from likvard.warehouse.models import ImportBatch
from likvard.warehouse.services import ImportRejectedError, batch_import
from likvard_core.ingest.pseudonymisation.key_file import key_create, key_fingerprint, key_load
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


@pytest.fixture
def key_file(settings, tmp_path):
    settings.LIKVARD_PSEUDONYM_KEY = ""
    settings.LIKVARD_PSEUDONYM_KEY_FILE = tmp_path / "keys" / "pseudonym_key"
    settings.LIKVARD_PSEUDONYM_KEY_CREATE = True
    settings.LIKVARD_PSEUDONYM_KEY_OUTSIDE_DATA = False
    return settings.LIKVARD_PSEUDONYM_KEY_FILE


def test_key_is_created_once_private_and_racing_creators_agree(tmp_path):
    path = tmp_path / "pseudonym_key"
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(key_create(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key_load(path) == keys[0]


def test_a_key_readable_by_others_is_refused(tmp_path):
    path = tmp_path / "pseudonym_key"
    key_create(path)
    path.chmod(0o644)
    with pytest.raises(PseudonymKeyError, match="chmod 600"):
        key_load(path)


def _import(world: World, tmp_path, name: str = "elever.csv", seed: int = 1):
    path = tmp_path / name
    enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=5,
        seed=seed,
    )
    return batch_import(path=path, kind="enrolments", by=None, organizer=world.own)


@pytest.mark.django_db
def test_batches_record_the_key_and_another_key_is_refused(
    world: World, key_file, import_dirs, settings
):
    outcome = _import(world, import_dirs)
    key = key_load(key_file)
    assert outcome.batch.key_fingerprint == key_fingerprint(key)
    assert key not in outcome.batch.key_fingerprint.encode()

    settings.LIKVARD_PSEUDONYM_KEY = "en-helt-annan-nyckel-0123456789"
    with pytest.raises(ImportRejectedError) as rejected:
        _import(world, import_dirs, "fler.csv", seed=2)
    issue = rejected.value.issues[0]
    assert issue.code == "pseudonym_key_changed"
    assert "pseudonymiseringsnyckel" in issue.message_sv
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_a_lost_key_is_not_regenerated_once_data_exist(world: World, key_file, import_dirs):
    _import(world, import_dirs)
    key_file.unlink()
    with pytest.raises(PseudonymKeyError, match="restore it"):
        pseudonym_key()
    assert not key_file.exists()
    with pytest.raises(ImportRejectedError) as rejected:
        _import(world, import_dirs, "fler.csv", seed=2)
    assert rejected.value.issues[0].code == "pseudonym_key_missing"


@pytest.mark.django_db
def test_production_wants_the_key_outside_the_data_folder(settings, tmp_path):
    settings.LIKVARD_PSEUDONYM_KEY = ""
    settings.LIKVARD_PSEUDONYM_KEY_CREATE = False
    settings.LIKVARD_PSEUDONYM_KEY_OUTSIDE_DATA = True
    settings.DATA_DIR = tmp_path / "data"
    settings.LIKVARD_PSEUDONYM_KEY_FILE = tmp_path / "data" / "pseudonym_key"
    key_create(settings.LIKVARD_PSEUDONYM_KEY_FILE)
    with pytest.raises(PseudonymKeyError, match="inside the data folder"):
        pseudonym_key()
    settings.LIKVARD_PSEUDONYM_KEY_FILE = tmp_path / "secrets" / "pseudonym_key"
    with pytest.raises(PseudonymKeyError, match="no pseudonym key"):
        pseudonym_key()  # never created in production
    made = key_create(settings.LIKVARD_PSEUDONYM_KEY_FILE)
    assert pseudonym_key() == made
