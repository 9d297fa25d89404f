"""#17: an import file that costs a reader far more than its size (a line of 200 MB, a
million columns, JSON nested ten million deep, a workbook with millions of shared strings) is
read in a limited child process: refused with a Swedish message, nothing imported, and the
worker that validates it (here the test process) does not grow."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from likvard.warehouse import jobs
from likvard.warehouse.models import ImportBatch, ImportJob, JobStatus
from likvard_core.ingest.issues import Issue
from tests.app.conftest import World
from tests.hostile import import_bombs

GROWTH_ALLOWED_MB = 100


def _peak_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")  # resets VmHWM


def _peak_mb() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) >> 10
    raise AssertionError("no VmHWM")


def _rss_mb() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) >> 10
    raise AssertionError("no VmRSS")


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("LIKVARD_TEST_DB") == "postgres",
    reason="reads files, not the database: the SQLite pass runs it (a minute saved)",
)
@pytest.mark.django_db
def test_import_bombs_are_refused_in_swedish_and_the_worker_does_not_grow(
    world: World, import_dirs, tmp_path, settings, monkeypatch
):
    settings.LIKVARD_IMPORT_MEMORY_MB = 512
    settings.LIKVARD_IMPORT_SECONDS = 15
    bombs = import_bombs(tmp_path / "bombs")
    growth: dict[str, int] = {}
    real_validate = jobs.batch_validate

    def validate_measured(**kwargs):
        _peak_reset()
        before = _rss_mb()
        try:
            return real_validate(**kwargs)
        finally:
            growth[kwargs["file_name"]] = _peak_mb() - before

    monkeypatch.setattr(jobs, "batch_validate", validate_measured)
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    for name, path in bombs.items():
        with path.open("rb") as handle:
            response = client.post(
                reverse("warehouse:import-start"),
                {"kind": "enrolments", "organizer": world.own.organisation_number, "file": handle},
            )
        path.unlink()
        assert response.status_code == 302, name
        job = ImportJob.objects.get(file_name=name)
        assert job.status == JobStatus.DONE, (name, job.error)
        assert job.issues, name
        assert not job.valid
        messages = [Issue(**fields).message_sv for fields in job.issues]
        assert all(message and "Traceback" not in message for message in messages), messages
    assert ImportBatch.objects.count() == 0
    assert set(growth) == set(bombs)
    assert {name: mb for name, mb in growth.items() if mb > GROWTH_ALLOWED_MB} == {}
    codes = {job.file_name: job.issues[0]["code"] for job in ImportJob.objects.all()}
    # Which limit a 200 MB line meets first depends on the child's address space at start:
    # with one BLAS thread (OPENBLAS_NUM_THREADS=1) the reader's field limit comes first.
    assert codes["huge-line.csv"] in {"memory_limit", "field_too_large"}
    assert codes["million-columns.csv"] in {"time_limit", "memory_limit"}
