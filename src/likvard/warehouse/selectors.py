"""Reading the warehouse: data versions, snapshots of a version, import history and jobs."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import Q

from likvard.access.policy import Action, Viewer, allowed, student_data_organizers
from likvard.warehouse.kinds import KindOption, kind_option, meaning_display
from likvard.warehouse.models import BatchStatus, DataVersion, ImportBatch, ImportJob
from likvard.warehouse.previews import upload_preview_load
from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import Preview
from likvard_core.warehouse.derived import (
    DERIVED_DIR,
    Filter,
    derived_table,
    derived_tables_read,
    has_derived,
    link_derived,
    version_key,
)
from likvard_core.warehouse.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class VersionRef:
    """A pinned data version: its label and the Parquet files of each fact table."""

    label: str
    files: dict[str, list[str]]
    number: int = 0

    def open(self) -> Snapshot:
        """A read-only DuckDB snapshot of exactly this version."""
        return Snapshot(settings.LIKVARD_WAREHOUSE_DIR, self.files, self.label)

    @property
    def key(self) -> str:
        """A short key naming exactly this version (label and files), for derived tables."""
        return version_key(self.label, [p for paths in self.files.values() for p in paths])

    def derived(
        self,
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        """The table ``name`` derived from this version, computed once and kept on disk.

        See ``likvard_core.warehouse.derived``: ``compute`` runs on the first request of a
        version (usually in ``open()``'s snapshot); every later request, process and restart
        reads the kept Parquet file, optionally only the rows matching ``filters``.
        """
        return derived_table(
            settings.LIKVARD_WAREHOUSE_DIR, self.key, name, params, compute, filters=filters
        )

    def derived_linked(self, source: VersionRef, name: str, params: Mapping[str, object]) -> bool:
        """Make ``source``'s kept table ``name`` this version's too (a hard link, nothing
        written); False when ``source`` does not keep it."""
        root = Path(settings.LIKVARD_WAREHOUSE_DIR)
        return link_derived(root, source.key, self.key, name, params)

    def derived_parts(
        self,
        name: str,
        params: Sequence[Mapping[str, object]],
        *,
        filters: Sequence[Filter] | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table | None:
        """The kept tables ``name`` of every ``params`` read together in one scan, or None
        when one of them is not kept (nothing is computed); maybe only ``columns``."""
        root = Path(settings.LIKVARD_WAREHOUSE_DIR)
        return derived_tables_read(root, self.key, name, params, filters=filters, columns=columns)

    def derived_kept(self, name: str, params: Mapping[str, object]) -> pa.Table | None:
        """The kept table ``name``, or None when it is not kept (nothing is computed)."""
        if not self.has_derived(name, params):
            return None
        return self.derived(name, params, _kept_elsewhere)

    def has_derived(self, name: str, params: Mapping[str, object]) -> bool:
        """Whether the table ``name`` with ``params`` is kept for this version."""
        return has_derived(Path(settings.LIKVARD_WAREHOUSE_DIR), self.key, name, params)


def data_version_get(*, number: int | None = None) -> VersionRef:
    """The data version ``number``, or else the one pages show: the newest that is complete.

    Complete means its kept tables are computed (``version_mark_complete``, ADR 0011), so no
    request computes national tables: while a new version is being warmed, pages, the API and
    exports answer from the one before and name it. Without any complete version (a new
    installation, or warming switched off) it is the newest. An empty version when nothing is
    imported.
    """
    if number:
        return data_version_newest(number=number)
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    newest: VersionRef | None = None
    rows = DataVersion.objects.only("pk", "number", "created_at")[:_SERVED_LOOKBACK]
    for version in rows:
        ref, marker = _version_ref_kept(version)
        newest = newest or ref
        if not settings.LIKVARD_WARM_AFTER_IMPORT or marker.is_file():
            return ref
    return newest or VersionRef(label="v0", files={})


_SERVED_LOOKBACK = 20
"""How many versions back pages look for a complete one before taking the newest."""

_PINNED: ContextVar[VersionRef | None] = ContextVar("likvard_pinned_version", default=None)


@contextmanager
def data_version_pinned(version: VersionRef) -> Iterator[VersionRef]:
    """Within the block, ``data_version_get()`` is ``version`` (complete or not).

    A warm-up runs the pages' own services on the version it prepares, before pages move to
    it, so that what they compute and cache (kept tables, release decisions) is that version's.
    """
    token = _PINNED.set(version)
    try:
        yield version
    finally:
        _PINNED.reset(token)


def data_version_newest(*, number: int | None = None) -> VersionRef:
    """The data version ``number``, or the newest committed one, complete or not (for imports
    and warmers); an empty version when nothing is imported."""
    query = DataVersion.objects.all()
    version = query.filter(number=number).first() if number else query.first()
    return VersionRef(label="v0", files={}) if version is None else version_ref(version)


def version_ref(version: DataVersion) -> VersionRef:
    """The pinned reference (label and Parquet files) of data version row ``version``."""
    files: dict[str, list[str]] = {}
    for batch in version.batches.all():
        for table, paths in batch.files.items():
            files.setdefault(table, []).extend(paths)
    return VersionRef(label=version.label, files=files, number=version.number)


_KEPT_REFS: dict[tuple[int, int, str], tuple[VersionRef, Path]] = {}
"""This process's pinned references by version row, with their complete markers: a version
never changes once committed (a withdrawal makes a new one), so its files are read from the
database and its key hashed once per process (the key of a version of 85 batches took about
1 ms, and pages looked up to 20 versions back several times a request while none was
complete)."""
_KEPT_REFS_MAX = 64


def _kept_elsewhere() -> pa.Table:
    raise LookupError("the kept table was removed meanwhile")


def _version_ref_kept(version: DataVersion) -> tuple[VersionRef, Path]:
    """``version_ref(version)`` and its complete marker, read once per process (keyed by row,
    number and creation time, so a restored or recreated database with the same numbers is
    read again)."""
    key = (version.pk, version.number, version.created_at.isoformat())
    kept = _KEPT_REFS.get(key)
    if kept is None:
        ref = version_ref(version)
        kept = (ref, _complete_marker(ref))
        if len(_KEPT_REFS) >= _KEPT_REFS_MAX:
            _KEPT_REFS.clear()
        _KEPT_REFS[key] = kept
    return kept


def _complete_marker(version: VersionRef) -> Path:
    return Path(settings.LIKVARD_WAREHOUSE_DIR) / DERIVED_DIR / version.key / "COMPLETE"


def version_complete(version: VersionRef) -> bool:
    """Whether every warmer has run on ``version`` (its marker file exists)."""
    return _complete_marker(version).is_file()


def version_mark_complete(
    version: VersionRef, *, warmed: Sequence[str], started: float | None = None
) -> None:
    """Record that ``version``'s kept tables are computed (``warmed`` names the warmers that
    succeeded, ``started`` is when the warm-up began, a POSIX time); written to a temporary
    file and renamed, so a reader sees all or nothing.

    A version warmed again keeps the start of its first warm-up: the sweep removes cache
    entries written before it (what older versions left), and a second warm-up finds the
    first one's entries and the pages' own without writing them again."""
    marker = _complete_marker(version)
    first = version_warm_started(version)
    if first is not None and (started is None or first < started):
        started = first
    marker.parent.mkdir(parents=True, exist_ok=True)
    partial = marker.with_suffix(".tmp")
    record = {"label": version.label, "warmed": list(warmed), "started": started}
    partial.write_text(json.dumps(record), "utf-8")
    partial.replace(marker)


def data_version_previous_complete(version: VersionRef) -> VersionRef | None:
    """The newest complete version older than ``version``, whose kept tables a warm-up of
    ``version`` may update instead of computing anew; None if there is none."""
    older = DataVersion.objects.filter(number__lt=version.number)[:_SERVED_LOOKBACK]
    for row in older:
        ref = version_ref(row)
        if version_complete(ref):
            return ref
    return None


def version_changed_files(
    old: VersionRef, new: VersionRef, *, tables: Sequence[str]
) -> dict[str, list[str]]:
    """The files of ``tables`` that one version has and the other lacks (its batches'), by
    table; a snapshot of them holds exactly the rows the two versions differ by."""
    changed: dict[str, list[str]] = {}
    for table in tables:
        before, after = set(old.files.get(table, [])), set(new.files.get(table, []))
        if before ^ after:
            changed[table] = sorted(before ^ after)
    return changed


def version_changed_years(
    old: VersionRef, new: VersionRef, *, tables: Sequence[str]
) -> set[int] | None:
    """The school years of the rows in ``tables`` that one version has and the other lacks.

    The versions differ by whole batches (files), so these are the years of the files in
    one of them and not both: an import's or a withdrawal's years. None if such a file can
    no longer be read (then nothing can be updated: compute anew).
    """
    changed = version_changed_files(old, new, tables=tables)
    root = Path(settings.LIKVARD_WAREHOUSE_DIR)
    years: set[int] = set()
    try:  # one column of a batch's files: no DuckDB database opened (about 25 ms each)
        for relative in sorted({p for paths in changed.values() for p in paths}):
            column = pq.read_table(root / relative, columns=["school_year"]).column(0)
            years.update(int(y) for y in pc.unique(column).to_pylist() if y is not None)
    except FileNotFoundError:
        return None
    return years


def version_warm_started(version: VersionRef) -> float | None:
    """When ``version``'s completed warm-up began (POSIX time), or None if unknown."""
    try:
        started = json.loads(_complete_marker(version).read_text("utf-8")).get("started")
    except (OSError, ValueError, AttributeError):
        return None
    return float(started) if isinstance(started, int | float) else None


def batch_history(*, viewer: Viewer | None = None, limit: int = 200) -> list[ImportBatch]:
    """The latest import batches the viewer may see, newest first (all when ``viewer`` is None).

    Administrators see every batch; an organizer analyst sees their own organizers' batches, a
    regional coordinator their regions' joint files.
    """
    query = ImportBatch.objects.select_related("organizer", "region", "imported_by", "withdrawn_by")
    if viewer is not None and not allowed(viewer, Action.IMPORT_PUBLIC_DATA):
        query = query.filter(
            Q(organizer__organisation_number__in=sorted(student_data_organizers(viewer)))
            | Q(region__code__in=sorted(viewer.coordinated_regions))
        )
    return list(query[:limit])


def batch_get(*, batch_id: uuid.UUID) -> ImportBatch | None:
    """The import batch ``batch_id``, or None."""
    return (
        ImportBatch.objects.select_related("organizer", "region", "imported_by")
        .filter(pk=batch_id)
        .first()
    )


def upload_dir() -> Path:
    """The private folder of uploaded files (never served; readable by the app only)."""
    root = Path(settings.MEDIA_ROOT) / "private" / "uploads"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def import_job_path(job: ImportJob) -> Path:
    """Where the job's uploaded file lies (it may have been deleted)."""
    return upload_dir() / job.upload_path


def batch_may_withdraw(viewer: Viewer, batch: ImportBatch) -> bool:
    """Whether ``viewer`` may withdraw ``batch``: administrators any committed batch, organizer
    analysts their own organizers' committed batches, regional coordinators their regions'."""
    if batch.status != BatchStatus.COMMITTED:
        return False
    if allowed(viewer, Action.IMPORT_PUBLIC_DATA):
        return True
    if batch.region is not None:
        return allowed(viewer, Action.IMPORT_REGIONAL_DATA, region=batch.region.code)
    return batch.organizer is not None and allowed(
        viewer, Action.IMPORT_STUDENT_DATA, organizer=batch.organizer.organisation_number
    )


def import_job_get(*, job_id: uuid.UUID) -> ImportJob | None:
    """The import job ``job_id`` with its organizer and batch, or None."""
    return (
        ImportJob.objects.select_related("organizer", "region", "batch", "created_by")
        .filter(pk=job_id)
        .first()
    )


@dataclass(frozen=True, slots=True)
class PreviewColumn:
    """A column of the uploaded file and what it was recognised as (in the active language)."""

    header: str
    meaning: str
    used: bool


@dataclass(frozen=True, slots=True)
class ImportJobView:
    """What the upload page shows: the job, its kind, the preview and the issues."""

    job: ImportJob
    kind: KindOption
    columns: list[PreviewColumn]
    rows: list[tuple[int, tuple[str, ...]]]
    issues: list[Issue]


def import_job_view(*, job: ImportJob) -> ImportJobView:
    """The preview of the job's file (personnummer masked; made by validation, never read here
    from the sealed upload), and its validation issues, or the issues that stopped the preview."""
    issues = [Issue(**fields) for fields in job.issues]
    columns: list[PreviewColumn] = []
    rows: list[tuple[int, tuple[str, ...]]] = []
    preview = upload_preview_load(import_job_path(job).parent)
    if preview is not None:
        if isinstance(preview, Preview):
            columns = [
                PreviewColumn(c.header, meaning_display(c), c.field is not None)
                for c in preview.columns
            ]
            rows = [(number, cells) for number, cells in preview.rows]
        elif not issues:
            issues = [_renamed_issue(issue, job.file_name) for issue in preview]
    return ImportJobView(job, kind_option(job.kind), columns, rows, issues)


def _renamed_issue(issue: Issue, name: str) -> Issue:
    return Issue(name, issue.row, issue.column, issue.code, issue.expected, issue.value_hint)
