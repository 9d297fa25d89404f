"""The warehouse's background tasks, on Django's task framework (ADR 0011).

Defined with the ``django-tasks`` backport (the same API as Django 6's ``django.tasks``: moving
there is a change of import). The installation's backend is the database one
(``django_tasks_db``): ``enqueue`` writes a row, and ``likvard worker`` (started by ``likvard
serve``, or as its own service) claims and runs it, so an import goes on while the web server
restarts. Tests use the immediate backend, which runs a task inside ``enqueue``.

The tasks themselves only call services: their state for users lives on ``ImportJob`` and in
the warehouse's completeness markers, not in the task rows.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from likvard_core.warehouse.lifecycle import pid_alive

logger = logging.getLogger(__name__)

IMPORT_QUEUE = "imports"
"""Validation and commit of uploads: short and awaited by someone at their screen."""
WARM_QUEUE = "warm"
"""Kept tables of a new data version: long, awaited by no one (pages answer from the last one)."""
EXPORT_QUEUE = "exports"
"""Large files (a region's PDF, slides, Word document): awaited by someone on the job's page."""
INTERACTIVE_QUEUE = "interactive"
"""Work a page asked for and waits on (a completion report's joint decision): served by a
worker of its own, so that it never waits behind a warm-up or an import."""
BACKGROUND_QUEUES = (IMPORT_QUEUE, WARM_QUEUE, EXPORT_QUEUE)
"""What the background worker serves; the interactive worker serves ``INTERACTIVE_QUEUE``."""


@task(queue_name=IMPORT_QUEUE, priority=10)
def import_job_step(job_id: str) -> str:
    """Run the queued step (validate or commit) of import job ``job_id``; returns its status."""
    from likvard.warehouse.jobs import import_job_run  # noqa: PLC0415 (jobs enqueues this)

    import_job_run(job_id=uuid.UUID(job_id))
    from likvard.warehouse.models import ImportJob  # noqa: PLC0415

    return str(ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first())


@task(queue_name=WARM_QUEUE, priority=0)
def version_warm(number: int) -> dict[str, float]:
    """Compute data version ``number``'s kept tables and mark it complete; seconds per warmer."""
    from likvard.warehouse.selectors import data_version_newest  # noqa: PLC0415
    from likvard.warehouse.warm import warm_version  # noqa: PLC0415

    return warm_version(data_version_newest(number=number))


def worker_id() -> str:
    """This worker process's id as the task rows record it: ``host:pid`` (at most 64 chars)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}"


def task_results_reap() -> int:
    """Mark task rows left "running" by a worker process that died (SIGKILL, power) as failed.

    Only rows of workers on this host can be judged (their pid is gone), and rows of workers
    elsewhere after ``LIKVARD_IMPORT_JOB_STALE_SECONDS`` without finishing. Returns how many.
    """
    if not _database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    host = socket.gethostname()[:50]
    stale = timezone.now() - timedelta(seconds=settings.LIKVARD_IMPORT_JOB_STALE_SECONDS)
    reaped = 0
    for row in DBTaskResult.objects.filter(status="RUNNING"):
        last = str(row.worker_ids[-1]) if row.worker_ids else ""
        worker_host, _sep, pid = last.rpartition(":")
        if worker_host == host and pid.isdigit():
            dead = not pid_alive(int(pid))
        else:
            dead = row.started_at is not None and row.started_at < stale
        if dead:
            reaped += DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="likvard.warehouse.tasks.WorkerDiedError",
                traceback=f"worker {last} died while running this task",
            )
            logger.warning("task %s of worker %s marked failed: worker died", row.pk, last)
    return reaped


def task_status(result_id: str) -> str | None:
    """The status (``READY``, ``RUNNING``, ``SUCCESSFUL``, ``FAILED``) of a task row, or None."""
    if not _database_backend():
        return None
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    try:
        return DBTaskResult.objects.filter(pk=result_id).values_list("status", flat=True).first()
    except (ValueError, TypeError):
        return None


def task_may_run(result_id: str) -> bool:
    """Whether task ``result_id`` may still run: False for what is no task's id and for a task
    done or failed (a worker's death is reaped as failed), True otherwise (a backend without
    task rows: assumed so). A page that queued work by a marker queues it again when not."""
    try:
        uuid.UUID(result_id)
    except ValueError:
        return False
    return task_status(result_id) not in {"FAILED", "SUCCESSFUL"}


def version_warm_queued(*, number: int) -> bool:
    """Whether a warm-up of version ``number`` is waiting or running in the task queue."""
    if not _database_backend():
        return False
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    return DBTaskResult.objects.filter(
        task_path=version_warm.module_path,
        status__in=["READY", "RUNNING"],
        args_kwargs__kwargs__number=number,
    ).exists()


def _database_backend() -> bool:
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.startswith("django_tasks_db.")


@task(queue_name=EXPORT_QUEUE, priority=5)
def export_file(job_id: str) -> str:
    """Render export job ``job_id`` to its file, then remove the files past their retention
    (``likvard.warehouse.retention``); returns the job's status."""
    from likvard.warehouse.export_jobs import export_job_run  # noqa: PLC0415
    from likvard.warehouse.models import ExportJob  # noqa: PLC0415
    from likvard.warehouse.retention import export_jobs_sweep  # noqa: PLC0415

    export_job_run(job_id=uuid.UUID(job_id))
    try:
        export_jobs_sweep()
    except Exception as error:  # the job is done; retention is tried again with the next one
        logger.warning("export retention failed: %s", type(error).__name__)
    return str(ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first())
