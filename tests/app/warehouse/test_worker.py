"""Import steps run in a real `likvard worker` process (ADR 0011): a restarted web process
leaves its queued and running jobs be; killing the worker mid-import leaves the warehouse whole
and the job failed.

The test process plays the web server (it queues the task); the worker is a subprocess on the
same database file and data folder, with the database task backend.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.models import DBTaskResult

from likvard.access.policy import viewer_for
from likvard.warehouse import jobs
from likvard.warehouse.jobs import import_job_commit, import_job_refresh, import_upload
from likvard.warehouse.models import DataVersion, ImportBatch, ImportJob, JobStatus, JobStep
from likvard.warehouse.selectors import data_version_newest
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["imports", "warm"]}
}


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite://{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "likvard.settings.test",
        "LIKVARD_DATA_DIR": str(data_dir),
        "LIKVARD_DATABASE_URL": _database_url(),
        "LIKVARD_TASKS_BACKEND": "database",
        "LIKVARD_PSEUDONYM_KEY": str(django_settings.LIKVARD_PSEUDONYM_KEY),
        # uploads are sealed with keys from the server's secret: every process shares it
        "LIKVARD_SECRET_KEY": str(django_settings.SECRET_KEY),
    }


@pytest.fixture
def start_worker(import_dirs: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "likvard.cli.main", "worker", "--interval", "0.2"],
            env=_env(import_dirs),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def _wait(job: ImportJob, done: Callable[[ImportJob], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if done(job):
            return
        time.sleep(0.05)
    pytest.fail(f"job stayed {job.step} {job.status} ({job.rows_read} rows) for {seconds} s")


def _committing(job: ImportJob) -> bool:
    """The commit step runs or has already ended (a small commit can end between two looks)."""
    return job.step == JobStep.COMMIT and (job.status == JobStatus.RUNNING or not job.active)


def _upload(world: World, path: Path) -> ImportJob:
    with path.open("rb") as handle:
        return import_upload(
            viewer=viewer_for(world.users["organizer_analyst"]),
            by=world.users["organizer_analyst"],
            kind="enrolments",
            upload=SimpleUploadedFile(path.name, handle.read()),
            organizer=world.own,
        )


def _file(world: World, folder: Path, *, students: int, year: str, seed: int) -> Path:
    """An enrolments file of ``students`` distinct students (the factory's rows, deduplicated)."""
    path = folder / f"elever-{seed}.csv"
    enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=students,
        year=year,
        seed=seed,
    )
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    unique = list({row.split(";")[0]: row for row in rows}.values())
    path.write_text("\n".join([header, *unique]) + "\n", encoding="utf-8")
    return path


def test_worker_survives_a_web_restart_and_a_sigkill_leaves_the_warehouse_whole(
    world: World, import_dirs: Path, settings, start_worker, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    job = _upload(world, _file(world, import_dirs, students=40, year="2023/24", seed=1))
    assert job.status == JobStatus.QUEUED
    assert job.runner.startswith("task:")

    # The web server restarts: to a new process every job it queued belongs to another one.
    monkeypatch.setattr(jobs, "PROCESS_TOKEN", "restarted")
    monkeypatch.setattr(jobs, "_RUNNING", set())
    assert jobs.import_jobs_reap() == 0
    worker = start_worker()
    _wait(job, lambda j: not j.active)
    assert job.valid, (job.error, job.issues)
    import_job_commit(job=job)
    _wait(job, _committing)
    assert jobs.import_jobs_reap() == 0  # a page view of the new web process meanwhile
    _wait(job, lambda j: not j.active)
    assert job.status == JobStatus.DONE
    assert job.rows == {"enrolments": 40}
    before = data_version_newest()
    with before.open() as db:
        rows_before = db.relation("select count(*) from enrolments").fetchall()

    big = _upload(world, _file(world, import_dirs, students=25_000, year="2024/25", seed=2))
    _wait(big, lambda j: not j.active)
    assert big.valid, big.issues[:3]
    import_job_commit(job=big)
    # The commit step moves the validated, pseudonymised staging into the warehouse and commits
    # it in one database transaction: a short window. Kill the worker as soon as it runs; both
    # outcomes must leave the warehouse whole: the step failed and nothing changed, or (when
    # the commit won the race) the new version is complete.
    _wait(
        big, lambda j: j.step == JobStep.COMMIT and (j.status == JobStatus.RUNNING or not j.active)
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    big = import_job_refresh(job=big)
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    if big.status == JobStatus.DONE:
        assert ImportBatch.objects.count() == 2
        assert DataVersion.objects.count() == 2
        with data_version_newest().open() as db:
            assert db.relation("select count(*) from enrolments").fetchall()[0][0] == (
                rows_before[0][0] + big.rows["enrolments"]
            )
        # Killed after the commit's transaction the task row says the worker died, and the
        # job is still done: its batch is found by the reaper (test_upload_flow).
        assert statuses in (["FAILED", *["SUCCESSFUL"] * 3], ["SUCCESSFUL"] * 4)
    else:
        assert big.status == JobStatus.FAILED
        assert big.error == "interrupted"
        assert ImportBatch.objects.count() == 1
        assert DataVersion.objects.count() == 1
        assert data_version_newest() == before  # the manifest names the same files
        with before.open() as db:
            assert db.relation("select count(*) from enrolments").fetchall() == rows_before
        assert statuses == ["FAILED", "SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"]
    assert not (import_dirs / "media" / "private" / "uploads" / str(big.pk)).exists()
