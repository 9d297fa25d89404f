"""Reading the warehouse: the current data version, snapshots of a version, import history."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from likvard.warehouse.models import DataVersion, ImportBatch
from likvard_core.warehouse.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class VersionRef:
    """A pinned data version: its label and the Parquet files of each fact table."""

    label: str
    files: dict[str, list[str]]

    def open(self) -> Snapshot:
        """A read-only DuckDB snapshot of exactly this version."""
        return Snapshot(settings.LIKVARD_WAREHOUSE_DIR, self.files, self.label)


def data_version_get(*, number: int | None = None) -> VersionRef:
    """The data version ``number``, or the newest; an empty version when nothing is imported."""
    query = DataVersion.objects.prefetch_related("batches")
    version = query.filter(number=number).first() if number else query.first()
    if version is None:
        return VersionRef(label="v0", files={})
    files: dict[str, list[str]] = {}
    for batch in version.batches.all():
        for table, paths in batch.files.items():
            files.setdefault(table, []).extend(paths)
    return VersionRef(label=version.label, files=files)


def batch_history(*, limit: int = 200) -> list[ImportBatch]:
    """The latest import batches, newest first."""
    return list(ImportBatch.objects.select_related("organizer", "imported_by")[:limit])
