"""Each fact file's index of which row groups hold which students (issue #18) is built when
the file is imported, or by the warm-up for a file that lacks one, so no update after an
import builds one; the retention sweep removes the indexes no kept version reads."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from likvard.warehouse import warm
from likvard.warehouse.models import ImportJob, JobStatus
from likvard.warehouse.retention import stale_versions_sweep
from likvard.warehouse.selectors import VersionRef, data_version_newest
from likvard.warehouse.services import batch_import, batch_withdraw
from likvard_core.warehouse.lifecycle import ROW_GROUPS_DIR
from likvard_core.warehouse.row_groups import groups_of
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file

STUDENT = ["nobody"]


def _root() -> Path:
    return Path(django_settings.LIKVARD_WAREHOUSE_DIR)


def _indexed(files: dict[str, list[str]]) -> bool:
    """Whether the enrolments files have a usable index (``groups_of`` answers, not None)."""
    return all(groups_of(_root(), p, STUDENT) is not None for p in files["enrolments"])


def _import(world: World, folder: Path, *, seed: int, students: int = 12):
    path = folder / f"elever-{seed}.csv"
    enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=students,
        seed=seed,
    )
    return batch_import(path=path, kind="enrolments", by=None, organizer=world.own)


@pytest.mark.django_db
def test_an_import_indexes_its_files_before_any_update(world: World, import_dirs, settings):
    settings.LIKVARD_WARM_AFTER_IMPORT = False  # no warm-up: the import alone
    outcome = _import(world, import_dirs, seed=1)
    assert _indexed(outcome.batch.files)


@pytest.mark.django_db
def test_an_upload_committed_indexes_its_files_where_they_stay(world: World, import_dirs, settings):
    settings.LIKVARD_WARM_AFTER_IMPORT = False
    path = import_dirs / "elever.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=9
    )
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    with path.open("rb") as handle:
        client.post(
            reverse("warehouse:import-start"),
            {"kind": "enrolments", "organizer": world.own.organisation_number, "file": handle},
        )
    job = ImportJob.objects.order_by("-created_at").first()
    assert job is not None
    assert job.valid
    client.post(reverse("warehouse:job-commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.batch is not None
    assert _indexed(job.batch.files)


@pytest.mark.django_db
def test_the_warm_up_indexes_the_files_that_lack_one_before_its_warmers(
    world: World, import_dirs, monkeypatch
):
    outcome = _import(world, import_dirs, seed=1)
    shutil.rmtree(_root() / ROW_GROUPS_DIR)  # files from before indexes existed
    seen: list[bool] = []
    monkeypatch.setattr(warm, "_WARMERS", {})
    monkeypatch.setattr(warm, "_RELEASE_WARMERS", {})
    warm.register_warmer("index", lambda version: seen.append(_indexed(version.files)))
    warm.warm_version(data_version_newest())
    assert seen == [True]
    assert _indexed(outcome.batch.files)


@pytest.mark.django_db
def test_the_sweep_removes_the_indexes_no_kept_version_reads(
    world: World, import_dirs, monkeypatch
):
    monkeypatch.setattr(warm, "_WARMERS", {})
    monkeypatch.setattr(warm, "_RELEASE_WARMERS", {})
    withdrawn = _import(world, import_dirs, seed=1).batch
    kept = _import(world, import_dirs, seed=2).batch
    batch_withdraw(batch=withdrawn, by=world.users["administrator"])
    old = time.time() - 3600  # older than the sweep's grace for a batch being imported
    for index in (_root() / ROW_GROUPS_DIR).rglob("*.idx"):
        os.utime(index, (old, old))
    newest: VersionRef = data_version_newest()
    assert newest.files["enrolments"] == kept.files["enrolments"]
    warm.warm_version(newest)  # marks it complete; its sweep keeps its files' indexes only
    assert _indexed(kept.files)
    assert all(groups_of(_root(), p, STUDENT) is None for p in withdrawn.files["enrolments"])
    assert all((_root() / p).is_file() for p in withdrawn.files["enrolments"])  # history
    assert stale_versions_sweep().indexes == 0
