"""Importing files into the warehouse and withdrawing batches.

The order is what makes imports safe: validate the whole file (``likvard_core.ingest``), write
and fsync its Parquet files under a new batch directory (``likvard_core.warehouse.writer``),
then commit the batch and a new data version in one database transaction. A crash before the
commit leaves only an uncommitted directory, which ``sweep_orphans`` removes.
"""

from __future__ import annotations

import functools
import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.warehouse.keys import PseudonymKeyError, pseudonym_key, pseudonym_key_conflict
from likvard.warehouse.kinds import kind_is_student_level
from likvard.warehouse.models import (
    BatchStatus,
    DataVersion,
    DataVersionLock,
    ImportBatch,
    ImportJob,
)
from likvard.warehouse.previews import upload_preview, upload_preview_save
from likvard.warehouse.selectors import import_job_path
from likvard_core.ingest import KINDS, SchoolUnitScope
from likvard_core.ingest.issues import Issue
from likvard_core.ingest.pipeline import IngestResult, content_hash, ingest_file
from likvard_core.ingest.pseudonym_key import key_fingerprint
from likvard_core.ingest.ss12000 import ingest_ss12000, looks_like_ss12000
from likvard_core.warehouse.lifecycle import BATCHES_DIR, sweep_orphans, write_owner
from likvard_core.warehouse.writer import read_staged_batch, stage_batch

logger = logging.getLogger(__name__)


class ImportRejectedError(Exception):
    """The file has problems; nothing was written. ``issues`` lists them all."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} issue(s)")
        self.issues = issues


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import did: the batch, rows added per table, and whether it was a repeat."""

    batch: ImportBatch
    rows: dict[str, int] = field(default_factory=dict)
    already_imported: bool = False


def warehouse_root() -> Path:
    """The folder holding the warehouse's Parquet batches."""
    root = Path(settings.LIKVARD_WAREHOUSE_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _pseudonym_key(file_name: str) -> bytes:
    """The installation's key, or ``ImportRejectedError`` when it is missing or is not the key
    the committed data were made with (an import under another key would never link)."""
    try:
        key = pseudonym_key()
    except PseudonymKeyError as error:
        logger.error("pseudonym key unavailable: %s", error)
        raise ImportRejectedError([Issue(file_name, 0, "", "pseudonym_key_missing", "")]) from None
    other = pseudonym_key_conflict(key)
    if other is not None:
        expected = f"{other}, not {key_fingerprint(key)}"
        raise ImportRejectedError([Issue(file_name, 0, "", "pseudonym_key_changed", expected)])
    return key


def batch_import(
    *,
    path: Path,
    kind: str,
    by: AbstractBaseUser | None,
    organizer: Organizer | None = None,
    region: Region | None = None,
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Import one file of ``kind`` all or nothing; the same file again changes nothing.

    ``organizer`` is whose data the file is (an organizer analyst's upload, ``likvard import
    --organizer``): every row must then name one of that organizer's school units in the
    register, else the row is an ``outside_organizer`` issue. ``region`` is whose joint file it
    is (the admissions office's): every row must then name a school unit located in one of the
    region's municipalities (``outside_region``). Without either (an administrator's import of
    national files, the demo) any unit in the register is accepted. Raises
    ``ImportRejectedError`` with every issue of the file when it does not validate.
    """
    name = file_name or path.name
    digest = content_hash(path)
    existing = ImportBatch.objects.filter(
        kind=kind, content_hash=digest, status=BatchStatus.COMMITTED
    ).first()
    if existing is not None:
        return ImportOutcome(batch=existing, rows={}, already_imported=True)
    batch_id = uuid.uuid4()
    key = _pseudonym_key(name)
    result = _ingest(
        path,
        kind,
        pseudonym_key=key,
        known_school_units=_known_school_units(kind),
        school_unit_scope=_school_unit_scope(kind, organizer, region),
        batch_id=str(batch_id),
        progress=progress,
    )
    if result.issues:
        raise ImportRejectedError([_renamed(issue, name) for issue in result.issues])
    root = warehouse_root()
    sweep_orphans(root, (str(i) for i in ImportBatch.objects.values_list("id", flat=True)))
    staged = stage_batch(root, str(batch_id), result.tables)
    rows = staged.rows_by_table()
    try:
        batch = _commit(
            ImportBatch(
                id=batch_id,
                kind=kind,
                file_name=name,
                content_hash=digest,
                organizer=organizer,
                region=region,
                imported_by_id=by.pk if by else None,
                rows=rows,
                files={t: list(p) for t, p in staged.paths_by_table().items()},
                key_fingerprint=key_fingerprint(key),
            )
        )
    except IntegrityError:  # the same file committed meanwhile by another import
        return _committed_meanwhile(kind, digest)
    logger.info("imported %s as batch %s: %s", kind, batch_id, rows)
    return ImportOutcome(batch=batch, rows=rows)


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    """What validating a file found: its issues, or the batch that already holds it."""

    issues: list[Issue]
    rows_read: int = 0
    existing: ImportBatch | None = None


def batch_validate(
    *,
    path: Path,
    kind: str,
    organizer: Organizer | None = None,
    region: Region | None = None,
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    stage: tuple[Path, uuid.UUID] | None = None,
) -> ValidationOutcome:
    """Validate every row of ``path`` as ``kind``.

    ``organizer`` or ``region`` limits the school units rows may name, as in
    ``batch_import``. Returns the issues (named by ``file_name``), or the committed batch of
    the same file when it has been imported already (then nothing is read).

    With ``stage`` = (folder, batch id), a file without issues is kept as what it will be
    imported as: its pseudonymised tables, written as batch ``batch id`` under ``folder``,
    with its preview (personnummer masked) and the key's fingerprint beside them. The
    uploaded file itself is then no longer needed (``batch_commit_staged`` imports the
    staging), so no clear personnummer need stay on disk after validation.
    """
    name = file_name or path.name
    existing = ImportBatch.objects.filter(
        kind=kind, content_hash=content_hash(path), status=BatchStatus.COMMITTED
    ).first()
    if existing is not None:
        return ValidationOutcome(issues=[], existing=existing)
    try:
        key = _pseudonym_key(name)
    except ImportRejectedError as rejected:
        return ValidationOutcome(issues=rejected.issues)
    if stage is not None:
        upload_preview_save(stage[0], upload_preview(path, kind))
    result = _ingest(
        path,
        kind,
        pseudonym_key=key,
        known_school_units=_known_school_units(kind),
        school_unit_scope=_school_unit_scope(kind, organizer, region),
        batch_id=str(stage[1]) if stage is not None else "",
        progress=progress,
    )
    if stage is not None and not result.issues:
        stage_batch(stage[0] / STAGED_DIR, str(stage[1]), result.tables)
        (stage[0] / STAGED_DIR / _FINGERPRINT_FILE).write_text(
            f"{key_fingerprint(key)}\n{result.content_hash}\n", encoding="utf-8"
        )
    return ValidationOutcome(
        issues=[_renamed(issue, name) for issue in result.issues], rows_read=result.rows_read
    )


STAGED_DIR = "staged"
_FINGERPRINT_FILE = "key_fingerprint"


def batch_commit_staged(*, job: ImportJob) -> ImportOutcome:
    """Import the batch that validating ``job`` staged (``batch_validate(stage=...)``).

    The staged, pseudonymised files are moved into the warehouse and committed as batch
    ``job.pk`` with a new data version. Raises ``ImportRejectedError`` when the staging is gone
    (``staging_expired``: not imported within ``LIKVARD_UPLOAD_RETENTION_HOURS``) or the
    pseudonym key has changed since validation (``pseudonym_key_changed``).
    """
    existing = ImportBatch.objects.filter(
        kind=job.kind, content_hash=job.content_hash, status=BatchStatus.COMMITTED
    ).first()
    if existing is not None:
        return ImportOutcome(batch=existing, rows={}, already_imported=True)
    staged_root = import_job_path(job).parent / STAGED_DIR
    try:
        staged_with = (staged_root / _FINGERPRINT_FILE).read_text(encoding="utf-8").split()[0]
        staged = read_staged_batch(staged_root, str(job.pk))
    except (FileNotFoundError, IndexError):
        raise ImportRejectedError([Issue(job.file_name, 0, "", "staging_expired", "")]) from None
    key = _pseudonym_key(job.file_name)
    if staged_with != key_fingerprint(key):
        expected = f"{key_fingerprint(key)}, not {staged_with}"
        raise ImportRejectedError([Issue(job.file_name, 0, "", "pseudonym_key_changed", expected)])
    root = warehouse_root()
    sweep_orphans(root, (str(i) for i in ImportBatch.objects.values_list("id", flat=True)))
    final = root / BATCHES_DIR / str(job.pk)
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged_root / BATCHES_DIR / str(job.pk), final)
    write_owner(final)  # this process owns it now: no sweep removes it before the commit
    try:
        batch = _commit(
            ImportBatch(
                id=job.pk,
                kind=job.kind,
                file_name=job.file_name,
                content_hash=job.content_hash,
                organizer=job.organizer,
                region=job.region,
                imported_by_id=job.created_by_id,
                rows=staged.rows_by_table(),
                files={t: list(p) for t, p in staged.paths_by_table().items()},
                key_fingerprint=staged_with,
            )
        )
    except IntegrityError:
        return _committed_meanwhile(job.kind, job.content_hash)
    logger.info("imported %s as batch %s: %s", job.kind, job.pk, staged.rows_by_table())
    return ImportOutcome(batch=batch, rows=staged.rows_by_table())


def _committed_meanwhile(kind: str, digest: str) -> ImportOutcome:
    """The batch of the same file that another import committed first (a unique violation)."""
    existing = ImportBatch.objects.get(kind=kind, content_hash=digest, status=BatchStatus.COMMITTED)
    return ImportOutcome(batch=existing, rows={}, already_imported=True)


def _ingest(path: Path, kind: str, **options: Any) -> IngestResult:
    """``ingest_file``, or for an SS 12000 JSON export of enrolments its adapter first."""
    if kind == "enrolments" and looks_like_ss12000(path):
        result, _conversion = ingest_ss12000(
            path, functools.partial(ingest_file, kind=kind, **options)
        )
        return result
    return ingest_file(path, kind, **options)


def _renamed(issue: Issue, name: str) -> Issue:
    return Issue(name, issue.row, issue.column, issue.code, issue.expected, issue.value_hint)


def _known_school_units(kind: str) -> frozenset[str] | None:
    if kind in {"public_stats", "population"}:
        return None
    return frozenset(SchoolUnit.objects.values_list("code", flat=True))


def _school_unit_scope(
    kind: str, organizer: Organizer | None, region: Region | None = None
) -> SchoolUnitScope | None:
    """The organizer's school units with the years the register gives them, the units located
    in the region's municipalities for a region's joint file, or None.

    None (no limit beyond the register) for kinds without student-level data and imports made
    for neither.
    """
    if kind not in KINDS or not kind_is_student_level(kind):
        return None
    if region is not None:
        located = SchoolUnit.objects.filter(municipality__regions=region).values_list(
            "code", flat=True
        )
        return SchoolUnitScope(
            label=region.name, units=dict.fromkeys(located, (None, None)), issue="outside_region"
        )
    if organizer is None:
        return None
    units = SchoolUnit.objects.filter(organizer=organizer).values_list(
        "code", "active_from", "active_to"
    )
    return SchoolUnitScope(
        label=organizer.name,
        units={code: (first, last) for code, first, last in units},
    )


def _commit(batch: ImportBatch) -> ImportBatch:
    batch.full_clean()  # its reads come before the transaction, whose first statement locks
    with transaction.atomic():
        _lock_versions()
        batch.save()
        _new_version(reason=f"import {batch.kind} {batch.file_name}")
    return batch


def _lock_versions() -> None:
    """Serialise data-version allocation until the surrounding transaction ends.

    Must be the transaction's first statement: an UPDATE makes SQLite take its write lock
    now, waiting for another committer (a read first would make the later write fail with
    "database is locked"), and locks the row in PostgreSQL, so the number read next is final.
    """
    updated = DataVersionLock.objects.filter(pk=1).update(taken_at=timezone.now())
    if not updated:  # the row is made by migration 0004; a flushed test database lacks it
        DataVersionLock.objects.bulk_create([DataVersionLock(pk=1)], ignore_conflicts=True)
        DataVersionLock.objects.filter(pk=1).update(taken_at=timezone.now())


def _new_version(*, reason: str) -> DataVersion:
    number = (DataVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DataVersion.objects.create(number=number, reason=reason[:200])
    version.batches.set(ImportBatch.objects.filter(status=BatchStatus.COMMITTED))
    return version


def batch_withdraw(*, batch: ImportBatch, by: AbstractBaseUser) -> DataVersion:
    """Withdraw a batch: a new data version without it. Older versions keep it (reproducible)."""
    with transaction.atomic():
        _lock_versions()
        batch.status = BatchStatus.WITHDRAWN
        batch.withdrawn_at = timezone.now()
        batch.withdrawn_by_id = by.pk
        batch.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
        version = _new_version(reason=f"withdraw {batch.file_name}")
    logger.info("batch %s withdrawn by %s", batch.id, by.get_username())
    return version
