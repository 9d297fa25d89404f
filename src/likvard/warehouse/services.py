"""Importing files into the warehouse and withdrawing batches.

The order is what makes imports safe: validate the whole file (``likvard_core.ingest``), write
and fsync its Parquet files under a new batch directory (``likvard_core.warehouse.writer``),
then commit the batch and a new data version in one database transaction. A crash before the
commit leaves only an uncommitted directory, which ``sweep_orphans`` removes.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
from likvard.warehouse.selectors import import_job_path
from likvard_core.ingest import KINDS, SchoolUnitScope
from likvard_core.ingest.issues import Issue
from likvard_core.ingest.limited import ChildRequest, ingest_any, ingest_in_child
from likvard_core.ingest.pipeline import IngestResult, content_hash
from likvard_core.ingest.pseudonymisation.key_file import key_fingerprint
from likvard_core.untrusted import Limits
from likvard_core.untrusted.inspect import DATA_FILE_LIMITS
from likvard_core.untrusted.sealed import sealed_file_key
from likvard_core.warehouse.lifecycle import BATCHES_DIR, sweep_orphans, write_owner
from likvard_core.warehouse.row_groups import indexes_build
from likvard_core.warehouse.writer import StagedBatch, read_staged_batch, stage_batch

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


def import_limits() -> Limits:
    """What reading one import file may cost (``LIKVARD_IMPORT_MEMORY_MB``, ``_SECONDS``)."""
    return dataclasses.replace(
        DATA_FILE_LIMITS,
        memory_bytes=int(settings.LIKVARD_IMPORT_MEMORY_MB) << 20,
        seconds=float(settings.LIKVARD_IMPORT_SECONDS),
    )


def upload_secret() -> bytes:
    """The secret that sealed uploads' keys derive from: the server's, never in the data."""
    return str(settings.SECRET_KEY).encode()


def batch_import(
    *,
    path: Path,
    kind: str,
    by: AbstractBaseUser | None,
    organizer: Organizer | None = None,
    region: Region | None = None,
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    limited: bool = False,
) -> ImportOutcome:
    """Import one file of ``kind`` all or nothing; the same file again changes nothing.

    ``organizer`` is whose data the file is (an organizer analyst's upload, ``likvard import
    --organizer``): every row must then name one of that organizer's school units in the
    register, else the row is an ``outside_organizer`` issue. ``region`` is whose joint file it
    is (the admissions office's): every row must then name a school unit located in one of the
    region's municipalities (``outside_region``). Without either (an administrator's import of
    national files, the demo) any unit in the register is accepted. With ``limited`` the file
    is read in a child process within ``import_limits()`` (``likvard import``); the demo's own
    files are read here. Raises ``ImportRejectedError`` with every issue of the file when it
    does not validate.
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
    root = warehouse_root()
    sweep_orphans(root, (str(i) for i in ImportBatch.objects.values_list("id", flat=True)))
    request = ChildRequest(
        source=path,
        name=name,
        kind=kind,
        pseudonym_key=key,
        batch_id=str(batch_id),
        known_school_units=_known_school_units(kind),
        school_unit_scope=_school_unit_scope(kind, organizer, region),
        stage_root=root,
    )
    staged = _read_here(request, progress) if not limited else _read_in_child(request, progress)
    _index_batch(root, staged)
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


def _read_here(request: ChildRequest, progress: Callable[[int], None] | None) -> StagedBatch:
    """Read a trusted file in this process and stage it; ``ImportRejectedError`` on issues."""
    result = _ingest(request, progress)
    if result.issues:
        raise ImportRejectedError([_renamed(issue, request.name) for issue in result.issues])
    assert request.stage_root is not None  # noqa: S101  # batch_import always stages
    return stage_batch(request.stage_root, request.batch_id, result.tables)


def _read_in_child(request: ChildRequest, progress: Callable[[int], None] | None) -> StagedBatch:
    """Read a file in a limited child that stages it; ``ImportRejectedError`` on issues."""
    outcome = ingest_in_child(request, limits=import_limits(), progress=progress)
    if outcome.issues or not outcome.staged or request.stage_root is None:
        issues = outcome.issues or [Issue(request.name, 0, "", "internal_error", "not staged")]
        raise ImportRejectedError([_renamed(issue, request.name) for issue in issues])
    write_owner(request.stage_root / BATCHES_DIR / request.batch_id)  # the child is gone
    return read_staged_batch(request.stage_root, request.batch_id)


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
    digest: str,
    organizer: Organizer | None = None,
    region: Region | None = None,
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    stage: tuple[Path, uuid.UUID] | None = None,
) -> ValidationOutcome:
    """Validate every row of the sealed upload ``path`` (``untrusted.sealed``) as ``kind``.

    ``digest`` is the SHA-256 of the clear file, taken as it arrived. ``organizer`` or
    ``region`` limits the school units rows may name, as in ``batch_import``. Returns the
    issues (named by ``file_name``), or the committed batch of the same file when it has been
    imported already (then nothing is read).

    The file is decrypted and read in a child process within ``import_limits()``; its clear
    bytes never reach a disk. With ``stage`` = (folder, batch id), a file without issues is
    kept as what it will be imported as: its pseudonymised tables, written as batch ``batch
    id`` under ``folder``, with its preview (personnummer masked) and the key's fingerprint
    beside them, so the sealed upload itself is no longer needed (``batch_commit_staged``
    imports the staging).
    """
    name = file_name or path.name
    existing = ImportBatch.objects.filter(
        kind=kind, content_hash=digest, status=BatchStatus.COMMITTED
    ).first()
    if existing is not None:
        return ValidationOutcome(issues=[], existing=existing)
    try:
        key = _pseudonym_key(name)
    except ImportRejectedError as rejected:
        return ValidationOutcome(issues=rejected.issues)
    request = ChildRequest(
        source=path,
        name=name,
        kind=kind,
        pseudonym_key=key,
        batch_id=str(stage[1]) if stage is not None else "",
        sealed_key=sealed_file_key(path, upload_secret()),
        known_school_units=_known_school_units(kind),
        school_unit_scope=_school_unit_scope(kind, organizer, region),
        stage_root=stage[0] / STAGED_DIR if stage is not None else None,
        preview_dir=stage[0] if stage is not None else None,
    )
    outcome = ingest_in_child(request, limits=import_limits(), progress=progress)
    if stage is not None and outcome.staged:
        write_owner(stage[0] / STAGED_DIR / BATCHES_DIR / str(stage[1]))
        (stage[0] / STAGED_DIR / _FINGERPRINT_FILE).write_text(
            f"{key_fingerprint(key)}\n{outcome.content_hash}\n", encoding="utf-8"
        )
    return ValidationOutcome(
        issues=[_renamed(issue, name) for issue in outcome.issues], rows_read=outcome.rows_read
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
    _index_batch(root, staged)
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


def _index_batch(root: Path, staged: StagedBatch) -> None:
    """Index which row groups of the batch's files hold which students, where the files stay
    and before their version exists, so no update after a later import pays for it (issue
    #18). A failure is logged: the update then reads those files whole, as without an index."""
    try:
        indexes_build(root, staged.paths_by_table())
    except Exception as error:  # an index must never fail an import
        logger.warning("indexing batch %s failed: %s", staged.batch_id, type(error).__name__)


def _committed_meanwhile(kind: str, digest: str) -> ImportOutcome:
    """The batch of the same file that another import committed first (a unique violation)."""
    existing = ImportBatch.objects.get(kind=kind, content_hash=digest, status=BatchStatus.COMMITTED)
    return ImportOutcome(batch=existing, rows={}, already_imported=True)


def _ingest(request: ChildRequest, progress: Callable[[int], None] | None) -> IngestResult:
    """Read a trusted (not sealed) file in this process, as the child would."""
    return ingest_any(
        request.source,
        request.kind,
        pseudonym_key=request.pseudonym_key,
        known_school_units=request.known_school_units,
        school_unit_scope=request.school_unit_scope,
        batch_id=request.batch_id,
        progress=progress,
    )


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
