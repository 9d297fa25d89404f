"""Large exports rendered by the worker: a region's PDF, slides or Word document (issue #18).

Rendering a region's analysis basis as a PDF takes 15-20 s on the demo, longer than a person
should watch a spinning tab and long enough to tie up a web process. The page instead starts
an ``ExportJob``; the worker renders it (the ``export_file`` task) and writes the file to a
private folder; the job's page polls its progress (htmx) and offers the file when ready, to
the person who asked for it alone.

The warehouse app cannot import the apps that build files (they sit above it), so each
registers a *builder* by name in its ``AppConfig.ready``, as warmers are registered. A builder
is called with the viewer (built afresh from the user, so the release gate and the audit see
the same person as on the page) and the job's parameters.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.utils import timezone

from likvard.access.policy import Viewer, viewer_for
from likvard.warehouse.models import ExportJob, JobStatus

logger = logging.getLogger(__name__)


class BuiltFile(Protocol):
    """What a builder returns (``likvard.exports.files.ExportFile`` is one)."""

    @property
    def content(self) -> bytes:
        """The file's bytes."""
        ...

    @property
    def content_type(self) -> str:
        """Its MIME type."""
        ...

    @property
    def filename(self) -> str:
        """Its download name."""
        ...


Builder = Callable[[Viewer, Mapping[str, str]], BuiltFile]
_BUILDERS: dict[str, Builder] = {}


def register_export(name: str, builder: Builder) -> None:
    """Make ``builder(viewer, params)`` available to export jobs as ``name``."""
    _BUILDERS[name] = builder


def export_dir() -> Path:
    """The private folder of rendered exports (never served as static files)."""
    root = Path(settings.MEDIA_ROOT) / "private" / "exports"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def export_job_start(
    *, user: User, builder: str, params: Mapping[str, str], title: str
) -> ExportJob:
    """Queue the export ``builder`` with ``params`` for ``user``; returns its job."""
    if builder not in _BUILDERS:
        raise ValueError(f"no export named {builder!r}")
    job = ExportJob(builder=builder, params=dict(params), title=title, created_by=user)
    job.full_clean()
    job.save()
    from likvard.warehouse.tasks import export_file  # noqa: PLC0415 (tasks import this module)

    result = export_file.enqueue(str(job.pk))
    ExportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: uuid.UUID) -> None:
    """Render export job ``job_id`` (the worker's task); a failure is kept on the job."""
    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        built = _BUILDERS[job.builder](viewer_for(job.created_by), job.params)
        relative = _write(job, built)
    except Exception as error:  # shown to its user as failed, logged without data
        logger.warning("export %s (%s) failed: %s", job.pk, job.builder, type(error).__name__)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), error=type(error).__name__
        )
        return
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        file_path=relative,
        file_name=built.filename,
        content_type=built.content_type,
    )


def _write(job: ExportJob, built: BuiltFile) -> str:
    """Write the file to ``<export dir>/<job id>/`` (temporary name, then renamed)."""
    folder = export_dir() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    safe = Path(built.filename).name or "export"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(built.content)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, folder / safe)
    return f"{job.pk}/{safe}"


def export_job_get(*, job_id: uuid.UUID, user: AbstractBaseUser) -> ExportJob | None:
    """Export job ``job_id`` if ``user`` started it (None otherwise), its status brought up
    to date: a job whose worker died (its task row failed) shows as failed."""
    job = ExportJob.objects.filter(pk=job_id, created_by_id=user.pk).first()
    if job is None or not job.active or not job.task_id:
        return job
    from likvard.warehouse.tasks import task_status  # noqa: PLC0415

    if task_status(job.task_id) == "FAILED":
        ExportJob.objects.filter(
            pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).update(status=JobStatus.FAILED, finished_at=timezone.now(), error="WorkerDiedError")
        job.refresh_from_db()
    return job


def export_job_file(job: ExportJob) -> Path | None:
    """The rendered file of a finished job, or None (not done, or removed)."""
    if job.status != JobStatus.DONE or not job.file_path:
        return None
    path = export_dir() / job.file_path
    return path if path.is_file() else None
