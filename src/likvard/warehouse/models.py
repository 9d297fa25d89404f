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

from likvard.organisations.models import Organizer


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
