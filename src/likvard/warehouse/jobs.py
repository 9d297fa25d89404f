"""Uploads and the background jobs that validate and import them (ADR 0011, replacing 0006).

An upload is saved to a private folder under ``MEDIA_ROOT`` and gets an ``ImportJob``. Each step
(validate, then commit) is a task (``likvard.warehouse.tasks.import_job_step``) that a worker
process runs, with its state, progress and issues in the database, so any process can show it
and a restart of the web server does not touch it. A step whose worker died is marked failed
when it is next looked at (``import_jobs_reap``): the warehouse commits nothing until the
step's final database transaction, so a killed step leaves nothing behind.
Uploaded files hold personnummer in clear, so they are never written in clear: sealed as they
arrive (``likvard.warehouse.uploads``), read decrypted in memory by a limited child process,
and deleted as soon as validated. The commit imports the pseudonymised tables that validation
staged (``batch_commit_staged``), and a staging not imported is deleted
``LIKVARD_UPLOAD_RETENTION_HOURS`` (one) after upload.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connections
from django.utils import timezone
from django.utils.text import get_valid_filename

from likvard.access.policy import Action, Viewer, allowed
from likvard.organisations.models import Organizer, Region
from likvard.warehouse.kinds import REGIONAL_KINDS, import_kinds, kind_is_student_level
from likvard.warehouse.models import BatchStatus, ImportBatch, ImportJob, JobStatus, JobStep
from likvard.warehouse.selectors import import_job_path, upload_dir
from likvard.warehouse.services import (
    ImportRejectedError,
    batch_commit_staged,
    batch_validate,
    upload_secret,
)
from likvard.warehouse.tasks import import_job_step, task_results_reap, task_status
from likvard.warehouse.uploads import INCOMING_DIR, SealedUpload
from likvard.warehouse.warm import warm_after_import
from likvard_core.untrusted.sealed import SealedWriter
from likvard_core.warehouse.lifecycle import pid_alive

logger = logging.getLogger(__name__)

PROCESS_TOKEN = uuid.uuid4().hex[:12]
"""Tells this process from an earlier one that had the same pid (a restarted container)."""

_RUNNING: set[tuple[uuid.UUID, str]] = set()  # (job, step) with a live runner here
_RUNNING_LOCK = threading.Lock()
_QUEUED = "task:"  # runner prefix of a step waiting in the task queue: ``task:<result id>``
_LINE_COUNT_SUFFIXES = {".csv", ".txt", ".tsv"}
SEALED_SUFFIX = ".sealed"


class JobNotReadyError(Exception):
    """The job cannot be committed: it is not validated, has issues, or was imported already."""


def import_upload(
    *,
    viewer: Viewer,
    by: AbstractBaseUser,
    kind: str,
    upload: UploadedFile,
    organizer: Organizer | None = None,
    region: Region | None = None,
) -> ImportJob:
    """Save ``upload`` privately and start validating it in the background; returns the job.

    Student-level kinds need ``organizer`` (one of the viewer's own), or for a region's joint
    file (``REGIONAL_KINDS``) ``region`` (one the viewer coordinates); public kinds neither.
    Raises ``PermissionDenied`` when the viewer may not import that kind for them.
    """
    if region is not None:
        _require_regional_import(viewer, kind, region)
        organizer = None
    else:
        _require_import(viewer, kind, organizer)
    import_jobs_reap()
    job_id = uuid.uuid4()
    original = Path(upload.name or "fil").name[:255]
    folder = upload_dir() / str(job_id)
    folder.mkdir(mode=0o700)
    path = folder / ((get_valid_filename(original) or "fil") + SEALED_SUFFIX)
    digest, lines = _sealed_into(upload, path)
    job = ImportJob(
        id=job_id,
        kind=kind,
        organizer=organizer if kind_is_student_level(kind) else None,
        region=region,
        file_name=original,
        upload_path=str(path.relative_to(upload_dir())),
        content_hash=digest,
        created_by_id=by.pk,
        rows_expected=max(lines - 1, 0) if _counts_lines(original) else None,
        runner=_runner_id(),
        heartbeat_at=timezone.now(),
    )
    job.full_clean()
    job.save()
    _start(job)
    job.refresh_from_db()
    return job


def _sealed_into(upload: UploadedFile, path: Path) -> tuple[str, int]:
    """Put ``upload`` sealed at ``path``: the SHA-256 and the line count of its clear bytes.

    A ``SealedUpload`` (the import page's) is moved there as it is; any other upload (the
    tests', a caller's) is sealed now, chunk by chunk, never written in clear.
    """
    if isinstance(upload, SealedUpload):
        os.replace(upload.sealed_path, path)
        return upload.content_hash, upload.lines
    digest = hashlib.sha256()
    lines = 0
    writer = SealedWriter(path, upload_secret())
    try:
        for chunk in upload.chunks():
            writer.write(chunk)
            digest.update(chunk)
            lines += chunk.count(b"\n")
    except BaseException:
        writer.abort()
        path.unlink(missing_ok=True)
        raise
    writer.close()
    return digest.hexdigest(), lines


def _counts_lines(name: str) -> bool:
    return Path(name).suffix.lower() in _LINE_COUNT_SUFFIXES


def _require_import(viewer: Viewer, kind: str, organizer: Organizer | None) -> None:
    if kind not in {option.name for option in import_kinds(viewer=viewer)}:
        raise PermissionDenied(Action.IMPORT_STUDENT_DATA.value)
    if kind_is_student_level(kind) and (
        organizer is None
        or not allowed(viewer, Action.IMPORT_STUDENT_DATA, organizer=organizer.organisation_number)
    ):
        raise PermissionDenied(Action.IMPORT_STUDENT_DATA.value)


def _require_regional_import(viewer: Viewer, kind: str, region: Region) -> None:
    if kind not in REGIONAL_KINDS or not allowed(
        viewer, Action.IMPORT_REGIONAL_DATA, region=region.code
    ):
        raise PermissionDenied(Action.IMPORT_REGIONAL_DATA.value)


def import_job_allowed(viewer: Viewer, job: ImportJob) -> bool:
    """Whether ``viewer`` may see and commit ``job`` (the rights to import its kind)."""
    if job.region is not None:
        return allowed(viewer, Action.IMPORT_REGIONAL_DATA, region=job.region.code)
    if job.organizer is not None:
        return allowed(
            viewer, Action.IMPORT_STUDENT_DATA, organizer=job.organizer.organisation_number
        )
    return allowed(viewer, Action.IMPORT_PUBLIC_DATA)


def import_job_commit(*, job: ImportJob) -> ImportJob:
    """Start importing a validated job in the background; returns it (queued or finished).

    Raises ``JobNotReadyError`` unless validation finished without issues.
    """
    claimed = ImportJob.objects.filter(
        pk=job.pk,
        step=JobStep.VALIDATE,
        status=JobStatus.DONE,
        issues=[],
        already_imported=False,
    ).update(
        step=JobStep.COMMIT,
        status=JobStatus.QUEUED,
        rows_read=0,
        runner=_runner_id(),
        heartbeat_at=timezone.now(),
    )
    if not claimed:
        raise JobNotReadyError(str(job.pk))
    job.refresh_from_db()
    _start(job)
    job.refresh_from_db()
    return job


def import_job_refresh(*, job: ImportJob) -> ImportJob:
    """``job`` as it stands now, marked failed first if the process running it has died."""
    import_jobs_reap(jobs=[job])
    job.refresh_from_db()
    return job


def import_jobs_reap(*, jobs: list[ImportJob] | None = None) -> int:
    """Mark active jobs whose process is gone as failed and delete stale uploads.

    Looks at ``jobs``, or at every active job; returns how many were marked failed.
    """
    task_results_reap()
    active = jobs if jobs is not None else list(ImportJob.objects.filter(status__in=_ACTIVE))
    failed = 0
    for job in active:
        if job.status in _ACTIVE and not _runner_alive(job):
            committed = _committed_batch(job)
            if committed is not None:  # the worker died after the commit, before saying so
                ImportJob.objects.filter(pk=job.pk, status__in=_ACTIVE).update(
                    status=JobStatus.DONE, finished_at=timezone.now(), batch=committed,
                    rows=committed.rows, data_version=_first_version(committed),
                )  # fmt: skip
                _delete_upload(job)
                logger.warning("import job %s was committed; its runner died after", job.pk)
                continue
            failed += ImportJob.objects.filter(pk=job.pk, status__in=_ACTIVE).update(
                status=JobStatus.FAILED, error="interrupted", finished_at=timezone.now()
            )
            _delete_upload(job)
            logger.warning("import job %s was interrupted (runner %s)", job.pk, job.runner)
        elif ImportJob.objects.filter(
            pk=job.pk, step=JobStep.COMMIT, status=JobStatus.DONE
        ).exists():  # committed, and a kill between the commit and its clean-up left the staging
            _delete_upload(job)
    if jobs is None:
        _sweep_uploads()
    return failed


_ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def _committed_batch(job: ImportJob) -> ImportBatch | None:
    """The batch a commit step of ``job`` committed, if its transaction went through.

    Validation refuses a file already committed (``already_imported``), so a committed batch of
    the same kind and content is this job's own: the commit's transaction won the race with a
    kill that came before the job was marked done."""
    if job.step != JobStep.COMMIT:
        return None
    return ImportBatch.objects.filter(
        kind=job.kind, content_hash=job.content_hash, status=BatchStatus.COMMITTED
    ).first()


def _runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{PROCESS_TOKEN}"


def _runner_alive(job: ImportJob) -> bool:
    if job.runner.startswith(_QUEUED):
        return _queued_alive(job)
    host, _sep, rest = job.runner.partition(":")
    pid_text, _sep, token = rest.partition(":")
    if not pid_text.isdigit():
        return False
    stale = timedelta(seconds=settings.LIKVARD_IMPORT_JOB_STALE_SECONDS)
    fresh = job.heartbeat_at is not None and timezone.now() - job.heartbeat_at < stale
    if host != socket.gethostname():
        return fresh
    if int(pid_text) == os.getpid():
        with _RUNNING_LOCK:
            return token == PROCESS_TOKEN and (job.pk, str(job.step)) in _RUNNING
    return pid_alive(int(pid_text)) and fresh


def _queued_alive(job: ImportJob) -> bool:
    """A queued step lives while its task row waits, or was claimed moments ago."""
    status = task_status(job.runner.removeprefix(_QUEUED))
    if status == "READY":
        return True
    stale = timedelta(seconds=settings.LIKVARD_IMPORT_JOB_STALE_SECONDS)
    return (
        status == "RUNNING"
        and job.heartbeat_at is not None
        and timezone.now() - job.heartbeat_at < stale
    )


def _start(job: ImportJob) -> None:
    """Queue the job's current step as a task; a worker (or, in tests, ``enqueue``) runs it."""
    result = import_job_step.enqueue(job_id=str(job.pk))
    ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED, runner=job.runner).update(
        runner=f"{_QUEUED}{result.id}"
    )


def import_job_run(*, job_id: uuid.UUID) -> None:
    """Run the queued step of job ``job_id`` to the end, recording progress and the outcome."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, runner=_runner_id(), heartbeat_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("organizer", "region", "created_by").get(pk=job_id)
    key = (job.pk, str(job.step))
    with _RUNNING_LOCK:
        _RUNNING.add(key)
    try:
        if job.step == JobStep.VALIDATE:
            _validate(job, _progress(job_id))
        else:
            _commit(job, _progress(job_id))
    except Exception as error:  # a failed step is shown on the job, not raised into the worker
        logger.error("import job %s failed: %s", job_id, type(error).__name__)
        _delete_upload(job)
        _finish_failed(job, type(error).__name__)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(key)


def _finish_failed(job: ImportJob, error: str) -> None:
    """Mark ``job`` failed, on a fresh connection if the step's error broke the old one.

    Should even that fail, the job stays active without a live runner here, and the next look
    at it (``import_jobs_reap``) marks it interrupted: it is never left "running" for good.
    """
    for attempt in (1, 2):
        try:
            _finish(job, status=JobStatus.FAILED, error=error)
            return
        except DatabaseError:
            logger.warning("could not mark import job %s failed (attempt %d)", job.pk, attempt)
            connection = connections[ImportJob.objects.db]
            if not connection.in_atomic_block:  # a background step's own connection
                connection.close()


def _progress(job_id: uuid.UUID) -> Callable[[int], None]:
    def record(rows: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_read=rows, heartbeat_at=timezone.now())

    return record


def _validate(job: ImportJob, progress: Callable[[int], None]) -> None:
    outcome = batch_validate(
        path=import_job_path(job),
        kind=job.kind,
        digest=job.content_hash,
        organizer=job.organizer,
        region=job.region,
        file_name=job.file_name,
        progress=progress,
        stage=(import_job_path(job).parent, job.pk),
    )
    import_job_path(job).unlink(missing_ok=True)  # only the pseudonymised staging stays
    _finish(
        job,
        status=JobStatus.DONE,
        issues=[dataclasses.asdict(issue) for issue in outcome.issues],
        already_imported=outcome.existing is not None,
        batch=outcome.existing,
        data_version=_first_version(outcome.existing),
    )
    if outcome.issues or outcome.existing is not None:
        _delete_upload(job)  # it will never be committed: keep no clear personnummer


def _commit(job: ImportJob, progress: Callable[[int], None]) -> None:
    try:
        outcome = batch_commit_staged(job=job)
    except ImportRejectedError as rejected:
        issues = [dataclasses.asdict(issue) for issue in rejected.issues]
        _finish(job, status=JobStatus.DONE, issues=issues)
        return
    _finish(
        job,
        status=JobStatus.DONE,
        batch=outcome.batch,
        rows=outcome.rows,
        already_imported=outcome.already_imported,
        data_version=_first_version(outcome.batch),
    )
    _delete_upload(job)
    if not outcome.already_imported:
        warm_after_import(queued=True)  # the new version's kept tables, as a task of their own


def _first_version(batch: object) -> str:
    versions = getattr(batch, "versions", None)
    if versions is None:
        return ""
    first = versions.order_by("number").first()
    return str(first.label) if first else ""


def _finish(job: ImportJob, *, status: JobStatus, **fields: object) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields
    )


def _delete_upload(job: ImportJob) -> None:
    shutil.rmtree(import_job_path(job).parent, ignore_errors=True)


def _sweep_uploads() -> None:
    cutoff = (timezone.now() - timedelta(hours=settings.LIKVARD_UPLOAD_RETENTION_HOURS)).timestamp()
    active = {
        str(pk) for pk in ImportJob.objects.filter(status__in=_ACTIVE).values_list("pk", flat=True)
    }
    incoming = upload_dir() / INCOMING_DIR
    for folder in [*upload_dir().iterdir(), *(incoming.iterdir() if incoming.is_dir() else [])]:
        if folder.name in active or folder == incoming or folder.stat().st_mtime >= cutoff:
            continue
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
