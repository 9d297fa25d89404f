"""Upload → preview → validation report → commit → result, through the views and services."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.warehouse.jobs import import_upload
from likvard.warehouse.models import ImportBatch, ImportJob, JobStatus, JobStep
from likvard.warehouse.selectors import import_job_path
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _csv(world: World, tmp_path, *, students: int = 12, bad_row: int | None = None):
    path = tmp_path / "elever.csv"
    numbers = enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=students,
    )
    bad = None
    if bad_row is not None:
        good = numbers[bad_row - 2]
        bad = good[:-1] + str((int(good[-1]) + 1) % 10)
        path.write_text(path.read_text(encoding="utf-8").replace(good, bad), encoding="utf-8")
    return path, numbers, bad


def _upload(client: Client, path, kind="enrolments", organizer="2120001256"):
    with path.open("rb") as handle:
        return client.post(
            reverse("warehouse:import-start"),
            {"kind": kind, "organizer": organizer, "file": handle},
        )


@pytest.mark.django_db
def test_upload_preview_commit_result_and_repeat(world: World, import_dirs):
    path, numbers, _bad = _csv(world, import_dirs)
    client = _client(world, "organizer_analyst")
    response = _upload(client, path)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.organizer == world.own
    assert job.status == JobStatus.DONE
    assert job.valid
    assert not import_job_path(job).exists()  # validated: only the pseudonymised staging stays
    assert (import_job_path(job).parent / "staged" / "batches" / str(job.pk)).is_dir()
    assert str(import_job_path(job)).startswith(str(import_dirs / "media" / "private"))

    page = client.get(response["Location"]).content.decode()
    assert "Förhandsvisning" in page
    assert "skolenhetskod, 8 siffror" in page  # the detected column's meaning, in Swedish
    assert "••••••••-••••" in page
    assert not any(number in page for number in numbers)
    assert "Importera filen" in page
    assert ImportBatch.objects.count() == 0  # nothing committed before the button

    result = client.post(reverse("warehouse:job-commit", args=[job.pk]), follow=True)
    text = result.content.decode()
    job.refresh_from_db()
    assert job.step == JobStep.COMMIT
    assert job.status == JobStatus.DONE
    assert job.rows == {"enrolments": 12}
    assert "Filen har importerats" in text
    assert str(job.batch_id) in text
    assert job.data_version.startswith("v1")
    assert job.data_version in text
    assert not import_job_path(job).exists()  # the clear personnummer file is gone

    _upload(client, path)
    again = ImportJob.objects.order_by("-created_at").first()
    assert again.already_imported
    assert again.batch_id == job.batch_id
    page = client.get(reverse("warehouse:job-detail", args=[again.pk])).content.decode()
    assert "redan importerad" in page.lower()
    assert "Importera filen" not in page
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_validation_report_names_row_and_column_never_the_number(world: World, import_dirs):
    path, _numbers, bad = _csv(world, import_dirs, bad_row=8)
    client = _client(world, "organizer_analyst")
    response = _upload(client, path)
    page = client.get(response["Location"]).content.decode()
    assert "Valideringsrapport" in page
    row = re.search(r"<tr><td class=\"num\">(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)
    assert row is not None
    assert row.groups()[:2] == ("8", "personnummer")
    assert "kontrollsiffra" in row.group(3)
    assert bad not in page
    assert bad[-4:] not in page
    assert "Importera filen" not in page
    job = ImportJob.objects.get()
    assert job.issues
    assert job.issues[0]["row"] == 8
    commit = client.post(reverse("warehouse:job-commit", args=[job.pk]), follow=True)
    assert "inte godkänts" in commit.content.decode()
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_progress_fragment_polls_then_refreshes(world: World, import_dirs):
    path, _numbers, _bad = _csv(world, import_dirs)
    client = _client(world, "organizer_analyst")
    _upload(client, path)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rows_read=7)
    from likvard.warehouse import jobs

    jobs._RUNNING.add((job.pk, "validate"))  # this process runs it
    try:
        url = reverse("warehouse:job-progress", args=[job.pk])
        running = client.get(url, HTTP_HX_REQUEST="true")
        assert "7 rader lästa" in running.content.decode()
        assert "HX-Refresh" not in running
        page = client.get(reverse("warehouse:job-detail", args=[job.pk])).content.decode()
        assert 'hx-trigger="every 1s"' in page
        assert 'role="status"' in page
    finally:
        jobs._RUNNING.discard((job.pk, "validate"))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_job_of_a_dead_process_shows_as_failed(world: World, import_dirs):
    import subprocess
    import sys

    path, _numbers, _bad = _csv(world, import_dirs)
    _upload(_client(world, "organizer_analyst"), path)
    job = ImportJob.objects.get()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    runner = job.runner.split(":")
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, runner=f"{runner[0]}:{dead.stdout.strip()}:earlier"
    )
    page = _client(world, "organizer_analyst").get(reverse("warehouse:job-detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "interrupted"
    assert "avbröts" in page.content.decode()
    assert ImportBatch.objects.count() == 0
    assert not import_job_path(job).exists()


@pytest.mark.django_db
def test_a_commit_whose_worker_died_after_its_transaction_shows_as_done(world: World, import_dirs):
    """A SIGKILL between the commit's transaction and marking the job done (seen in CI) left a
    committed batch under a job shown as failed ("avbröts"): the data was in, the job said not.
    The reaper now finds the job's committed batch and marks it done with it."""
    import subprocess
    import sys

    from likvard.warehouse.jobs import import_job_commit, import_jobs_reap

    path, _numbers, _bad = _csv(world, import_dirs)
    _upload(_client(world, "organizer_analyst"), path)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE
    assert not job.issues
    job = import_job_commit(job=job)
    assert job.status == JobStatus.DONE
    assert job.batch is not None
    batch = job.batch
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    host = job.runner.split(":")[0]
    # As the kill left it: the batch committed, the job still running the commit step.
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, batch=None, rows={}, data_version="", finished_at=None,
        runner=f"{host}:{dead.stdout.strip()}:earlier",
    )  # fmt: skip
    assert import_jobs_reap() == 0
    job.refresh_from_db()
    assert (job.status, job.error, job.batch) == (JobStatus.DONE, "", batch)
    assert job.rows == batch.rows
    assert job.data_version
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_restarted_process_with_the_same_pid_fails_old_jobs(world: World, import_dirs):
    path, _numbers, _bad = _csv(world, import_dirs)
    _upload(_client(world, "organizer_analyst"), path)
    job = ImportJob.objects.get()
    host, pid, _token = job.runner.split(":")
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, runner=f"{host}:{pid}:before-restart"
    )
    from likvard.warehouse.jobs import import_jobs_reap

    assert import_jobs_reap() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kind", "allowed_"),
    [
        ("organizer_analyst", "enrolments", True),
        ("organizer_analyst", "public_stats", False),
        ("administrator", "public_stats", True),
        ("administrator", "enrolments", False),
        ("principal", "enrolments", False),
    ],
)
def test_who_may_upload_which_kind(world: World, import_dirs, role, kind, allowed_):
    from django.core.exceptions import PermissionDenied

    upload = SimpleUploadedFile("fil.csv", b"a;b\n1;2\n")
    viewer = viewer_for(world.users[role])
    if allowed_:
        job = import_upload(
            viewer=viewer, by=world.users[role], kind=kind, upload=upload, organizer=world.own
        )
        assert job.status == JobStatus.DONE
        assert job.issues
    else:
        with pytest.raises(PermissionDenied):
            import_upload(
                viewer=viewer, by=world.users[role], kind=kind, upload=upload, organizer=world.own
            )


@pytest.mark.django_db
def test_analyst_cannot_import_for_another_organizer(world: World, import_dirs):
    path, _numbers, _bad = _csv(world, import_dirs)
    client = _client(world, "organizer_analyst")
    response = _upload(client, path, organizer=world.other.organisation_number)
    assert response.status_code == 400  # not one of the choices
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_another_analysts_job_is_not_found(world: World, import_dirs):
    path, _numbers, _bad = _csv(world, import_dirs)
    _upload(_client(world, "organizer_analyst"), path)
    job = ImportJob.objects.get()
    other = _client(world, "other_analyst")
    assert other.get(reverse("warehouse:job-detail", args=[job.pk])).status_code == 404
    assert other.post(reverse("warehouse:job-commit", args=[job.pk])).status_code == 404
    admin = _client(world, "administrator")
    assert admin.get(reverse("warehouse:job-detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_kind_docs_page(world: World):
    page = _client(world, "organizer_analyst").get(
        reverse("warehouse:kind-docs", args=["enrolments"])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "personnummer" in text
    # The column help is Swedish and rendered, not the English Markdown of docs/imports.
    assert '<th scope="row">skolenhetskod</th>' in text
    assert "Obligatorisk" in text
    assert "skolenhetskod, 8 siffror" in text
    for english in ("## Columns", "| header (Swedish)", "stored as", "school_unit_code", "Rules"):
        assert english not in text
    missing = _client(world, "organizer_analyst").get(
        reverse("warehouse:kind-docs", args=["finns-inte"])
    )
    assert missing.status_code == 404


@pytest.mark.django_db
def test_old_uploads_are_swept(world: World, import_dirs, settings):
    import os

    from likvard.warehouse.jobs import import_jobs_reap

    path, _numbers, _bad = _csv(world, import_dirs)
    _upload(_client(world, "organizer_analyst"), path)
    job = ImportJob.objects.get()
    folder = import_job_path(job).parent
    assert folder.is_dir()
    import_jobs_reap()
    assert folder.is_dir()  # young: kept for the commit
    old = folder.stat().st_mtime - (settings.LIKVARD_UPLOAD_RETENTION_HOURS + 1) * 3600
    os.utime(folder, (old, old))
    import_jobs_reap()
    assert not folder.exists()


@pytest.mark.django_db
def test_a_step_dying_on_a_database_error_is_marked_failed(world: World, import_dirs, monkeypatch):
    from django.db import OperationalError

    from likvard.warehouse import jobs

    path, _numbers, _bad = _csv(world, import_dirs)
    real_finish = jobs._finish
    calls: list[str] = []

    def broken_validate(**_kwargs: object) -> None:
        raise OperationalError("database is locked")

    def finish_once_broken(job: ImportJob, **fields: object) -> None:
        calls.append(str(fields.get("status")))
        if len(calls) == 1:
            raise OperationalError("database is locked")
        real_finish(job, **fields)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "batch_validate", broken_validate)
    monkeypatch.setattr(jobs, "_finish", finish_once_broken)
    _upload(_client(world, "organizer_analyst"), path)
    job = ImportJob.objects.get()
    assert calls == [JobStatus.FAILED, JobStatus.FAILED]
    assert job.status == JobStatus.FAILED
    assert job.error == "OperationalError"
    assert not import_job_path(job).exists()
    assert ImportBatch.objects.count() == 0
