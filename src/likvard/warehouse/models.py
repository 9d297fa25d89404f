"""The warehouse manifest: which import batches are committed, and the data versions.

Parquet files are written and renamed into place by ``likvard_core.warehouse.writer`` first;
they become visible only when a ``DataVersion`` naming their batch is committed here, in one
database transaction (ADR 0002). Readers open the files of one data version, so they never see
a half-done import, and a figure can always name the version it was computed on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer, Region


class BatchStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ImportBatch(models.Model):
    """One imported file: who, when, which file (name and SHA-256), how many rows, its status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    content_hash = models.CharField(max_length=64)
    organizer = models.ForeignKey(
        Organizer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organizer whose student-level data the batch holds, if any."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The region whose joint file the batch is (the admissions office's), if any."),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=BatchStatus.choices, default=BatchStatus.COMMITTED
    )
    rows = models.JSONField(default=dict, help_text=_("Rows per fact table."))
    files = models.JSONField(default=dict, help_text=_("Parquet paths per fact table."))
    key_fingerprint = models.CharField(
        max_length=16,
        blank=True,
        default="",
        help_text=_("Fingerprint of the pseudonym key the batch was made with (ADR 0004)."),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_hash"],
                condition=models.Q(status="committed"),
                name="one_committed_batch_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind})"


class DataVersion(models.Model):
    """A numbered, immutable set of committed batches: what every analysis is computed on."""

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    batches = models.ManyToManyField(ImportBatch, related_name="versions", blank=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The version as shown with figures, e.g. ``v12 (2026-11-23)``."""
        return f"v{self.number} ({self.created_at:%Y-%m-%d})"


class DataVersionLock(models.Model):
    """One row that a transaction creating a data version updates first.

    The update takes the database's write lock (SQLite) or the row's lock (PostgreSQL) before
    the next number is read, so two imports committing at once are numbered one after the
    other instead of colliding on the same number.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data version lock")
        verbose_name_plural = _("data version locks")

    def __str__(self) -> str:
        return f"data version lock ({self.taken_at})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobStep(models.TextChoices):
    VALIDATE = "validate", _("Validation")
    COMMIT = "commit", _("Import")


class ImportJob(models.Model):
    """An uploaded file on its way in: validated, then committed, each step in the background.

    The file lies in the private upload folder (``upload_path``, relative to it) until it is
    imported. ``status`` is that of the current ``step``; ``rows_read`` is its progress,
    ``issues`` the validation report (dicts of ``likvard_core.ingest.issues.Issue`` fields).
    ``runner`` names the process that runs the step (``host:pid:token``), so a step whose
    process died is shown as failed (``likvard.warehouse.jobs``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    organizer = models.ForeignKey(
        Organizer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    upload_path = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    step = models.CharField(max_length=20, choices=JobStep.choices, default=JobStep.VALIDATE)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_expected = models.PositiveIntegerField(null=True, blank=True)
    issues = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=200, blank=True)
    runner = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    already_imported = models.BooleanField(default=False)
    rows = models.JSONField(default=dict, blank=True, help_text=_("Rows added per fact table."))
    data_version = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}, {self.step} {self.status})"

    @property
    def active(self) -> bool:
        """True while the current step is queued or running."""
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}

    @property
    def valid(self) -> bool:
        """True when validation finished without issues and nothing is committed yet."""
        return (
            self.step == JobStep.VALIDATE
            and self.status == JobStatus.DONE
            and not self.issues
            and not self.already_imported
        )


class ExportJob(models.Model):
    """A large file (a region's PDF, slides or Word document) rendered by the worker.

    ``builder`` names a registered export (``likvard.warehouse.export_jobs``) and ``params``
    its choices; the file lies in the private export folder (``file_path``, relative to it)
    once ``status`` is done, for ``created_by`` alone to download.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    builder = models.CharField(max_length=100)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.builder} ({self.status})"

    @property
    def active(self) -> bool:
        """True while the file is queued or being rendered."""
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}
