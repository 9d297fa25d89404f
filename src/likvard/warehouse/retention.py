"""What is kept, and for how long: rendered export files, old versions' tables and pages.

Three things grow with use and would fill the data folder if nothing removed them (issue #18):

- **Export files** (a region's PDF, slides, Word document; ``export_jobs``) hold released
  figures for one person. A finished job and its file are removed
  ``LIKVARD_EXPORT_RETENTION_DAYS`` after it finished, and a folder no job owns (its user was
  deleted) at once. The worker sweeps after every export it renders and when it starts.
- **Kept tables** (``<warehouse>/derived/<version key>/``, ADR 0007) are written per data
  version and never change, so an old version's tables are dead weight once pages have moved
  on. Kept: every version newer than the one pages show (being prepared), the one they show,
  and the complete one before it (a request that began before the switch may still read it).
- **Cached pages and release decisions** (Django's ``default`` cache: page fragments per data
  version and viewer kind, the gate's decisions) are keyed by the data version, so an old
  version's entries are never read again but stay on disk until they expire or the cache is
  full. In the file cache (development, the demo, one machine) every entry written before the
  shown version's warm-up began is removed, with every expired one; in the database cache
  (production) expired rows are deleted, and the gate's decisions written before that warm-up
  began. The gate's decisions do not expire (they are keyed by their inputs): a warm-up writes
  again each one it reuses, so what is removed is what the shown version never read. Other
  backends expire entries themselves.

The fact files stay (older versions remain reproducible), but their **row-group indexes**
(``<warehouse>/row-groups/``, ``likvard_core.warehouse.row_groups``) serve only the update after
an import, which reads the files a kept version shares with the next: ``stale_versions_sweep``
removes those of files no kept version reads (and of files gone or rewritten).

The warm-up calls ``stale_versions_sweep`` right after it marks a version complete.
"""

from __future__ import annotations

import logging
import pickle
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connections, router
from django.utils import timezone

from likvard.access.release import DECISION_TIMEOUT
from likvard.warehouse.export_jobs import export_dir
from likvard.warehouse.models import DataVersion, ExportJob, JobStatus
from likvard.warehouse.selectors import (
    data_version_get,
    version_complete,
    version_ref,
    version_warm_started,
)
from likvard_core.warehouse.derived import sweep_derived
from likvard_core.warehouse.row_groups import sweep_indexes

logger = logging.getLogger(__name__)

DECISION_PREFIX = "release-decision:"
"""How the gate's cache keys of joint decisions start (``likvard.access.release._decided``)."""


def export_jobs_sweep(*, now: datetime | None = None) -> int:
    """Remove export jobs finished more than ``LIKVARD_EXPORT_RETENTION_DAYS`` ago with their
    files, and folders of the export folder that no job owns; returns how many were removed.

    A job still queued or running is never touched (a dead worker's job is failed first, by
    ``export_job_get`` or the reaper, and then ages like any other).
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.LIKVARD_EXPORT_RETENTION_DAYS)
    expired = ExportJob.objects.filter(finished_at__lt=cutoff).exclude(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    )
    removed = 0
    for job_id in list(expired.values_list("pk", flat=True)):
        shutil.rmtree(export_dir() / str(job_id), ignore_errors=True)
        removed += ExportJob.objects.filter(pk=job_id).delete()[0]
    owned = {str(pk) for pk in ExportJob.objects.values_list("pk", flat=True)}
    for folder in export_dir().iterdir():
        if folder.is_dir() and _is_uuid(folder.name) and folder.name not in owned:
            shutil.rmtree(folder, ignore_errors=True)  # its job (or its user) was deleted
            removed += 1
    if removed:
        logger.info("export retention: %d job(s) or folder(s) removed", removed)
    return removed


def _is_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class StaleSweep:
    """What ``stale_versions_sweep`` removed: version keys of kept tables, cache entries, the
    row-group indexes of files no kept version reads."""

    derived_versions: list[str]
    cache_entries: int
    indexes: int = 0


def stale_versions_sweep() -> StaleSweep:
    """Remove the kept tables and cached pages of data versions pages no longer show, and the
    row-group indexes of fact files none of the kept versions reads (an update reads the
    files a kept version shares with the next; the files stay, for older versions' history).

    Kept: every version newer than the shown one, the shown one and the complete version
    before it. Returns what was removed.
    """
    shown = data_version_get()
    keep: list[str] = []
    files: set[str] = set()
    previous_complete = False
    for version in DataVersion.objects.all():
        ref = version_ref(version)
        kept = version.number >= shown.number
        if not kept and not previous_complete and version_complete(ref):
            kept = previous_complete = True
        if kept:
            keep.append(ref.key)
            files.update(p for paths in ref.files.values() for p in paths)
    root = Path(settings.LIKVARD_WAREHOUSE_DIR)
    derived = sweep_derived(root, keep) if keep else []
    indexes = sweep_indexes(root, keep=files) if keep else []
    entries = cache_sweep(before=version_warm_started(shown))
    if derived or entries or indexes:
        logger.info(
            "kept tables of %d old version(s), %d cache entries and %d row-group indexes removed",
            len(derived),
            entries,
            len(indexes),
        )
    return StaleSweep(derived_versions=derived, cache_entries=entries, indexes=len(indexes))


def cache_sweep(*, before: float | None) -> int:
    """Remove expired entries of the ``default`` cache, and in the file cache every entry
    written before ``before`` (a POSIX time: the shown version's warm-up start); returns how
    many (for the database cache: rows deleted)."""
    cache = caches["default"]
    location = str(settings.CACHES["default"].get("LOCATION", ""))
    if isinstance(cache, FileBasedCache):
        return _file_cache_sweep(Path(location), before=before)
    if isinstance(cache, DatabaseCache):
        connection = connections[router.db_for_write(cache.cache_model_class)]
        table = connection.ops.quote_name(location)
        with connection.cursor() as cursor:
            now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
            cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])
            removed = int(cursor.rowcount or 0)
            if before is not None:  # decisions written before: their expiry says when
                written = datetime.fromtimestamp(before + DECISION_TIMEOUT, tz=UTC)
                cursor.execute(
                    f"DELETE FROM {table} WHERE cache_key LIKE %s AND expires < %s",
                    [f"%:{DECISION_PREFIX}%", connection.ops.adapt_datetimefield_value(written)],
                )
                removed += int(cursor.rowcount or 0)
            return removed
    return 0


def _file_cache_sweep(folder: Path, *, before: float | None) -> int:
    now = time.time()
    removed = 0
    for path in folder.glob(f"*{FileBasedCache.cache_suffix}"):
        try:
            if before is not None and path.stat().st_mtime < before:
                path.unlink()
                removed += 1
                continue
            with path.open("rb") as entry:
                expires = pickle.load(entry)  # noqa: S301 (the cache's own header)
            if expires is not None and expires < now:
                path.unlink()
                removed += 1
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            continue  # removed or being written by another process meanwhile
    return removed


def retention_sweep() -> None:
    """Both sweeps, each failure logged and not raised (the worker calls it as it starts)."""
    for sweep in (export_jobs_sweep, stale_versions_sweep):
        try:
            sweep()
        except Exception as error:  # retention must never stop the worker
            logger.warning("%s failed: %s", sweep.__name__, type(error).__name__)
