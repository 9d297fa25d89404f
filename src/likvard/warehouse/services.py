"""Importing files into the warehouse and withdrawing batches.

The order is what makes imports safe: validate the whole file (``likvard_core.ingest``), write
and fsync its Parquet files under a new batch directory (``likvard_core.warehouse.writer``),
then commit the batch and a new data version in one database transaction. A crash before the
commit leaves only an uncommitted directory, which ``sweep_orphans`` removes.
"""

from __future__ import annotations

import functools
import logging
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
from likvard.warehouse.kinds import kind_is_student_level
from likvard.warehouse.models import BatchStatus, DataVersion, ImportBatch
from likvard_core.ingest import KINDS, SchoolUnitScope
from likvard_core.ingest.issues import Issue
from likvard_core.ingest.pipeline import IngestResult, content_hash, ingest_file
from likvard_core.ingest.ss12000 import ingest_ss12000, looks_like_ss12000
from likvard_core.warehouse.lifecycle import sweep_orphans
from likvard_core.warehouse.writer import stage_batch

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


def _pseudonym_key() -> bytes:
    return str(settings.LIKVARD_PSEUDONYM_KEY).encode()


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
    result = _ingest(
        path,
        kind,
        pseudonym_key=_pseudonym_key(),
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
            )
        )
    except IntegrityError:  # the same file committed meanwhile by another import
        existing = ImportBatch.objects.get(
            kind=kind, content_hash=digest, status=BatchStatus.COMMITTED
        )
        return ImportOutcome(batch=existing, rows={}, already_imported=True)
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
) -> ValidationOutcome:
    """Validate every row of ``path`` as ``kind`` without writing anything.

    ``organizer`` or ``region`` limits the school units rows may name, as in
    ``batch_import``. Returns the issues (named by ``file_name``), or the committed batch of
    the same file when it has been imported already (then nothing is read).
    """
    name = file_name or path.name
    existing = ImportBatch.objects.filter(
        kind=kind, content_hash=content_hash(path), status=BatchStatus.COMMITTED
    ).first()
    if existing is not None:
        return ValidationOutcome(issues=[], existing=existing)
    result = _ingest(
        path,
        kind,
        pseudonym_key=_pseudonym_key(),
        known_school_units=_known_school_units(kind),
        school_unit_scope=_school_unit_scope(kind, organizer, region),
        progress=progress,
    )
    return ValidationOutcome(
        issues=[_renamed(issue, name) for issue in result.issues], rows_read=result.rows_read
    )


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
    with transaction.atomic():
        batch.full_clean()
        batch.save()
        _new_version(reason=f"import {batch.kind} {batch.file_name}")
    return batch


def _new_version(*, reason: str) -> DataVersion:
    number = (DataVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DataVersion.objects.create(number=number, reason=reason[:200])
    version.batches.set(ImportBatch.objects.filter(status=BatchStatus.COMMITTED))
    return version


def batch_withdraw(*, batch: ImportBatch, by: AbstractBaseUser) -> DataVersion:
    """Withdraw a batch: a new data version without it. Older versions keep it (reproducible)."""
    with transaction.atomic():
        batch.status = BatchStatus.WITHDRAWN
        batch.withdrawn_at = timezone.now()
        batch.withdrawn_by_id = by.pk
        batch.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
        version = _new_version(reason=f"withdraw {batch.file_name}")
    logger.info("batch %s withdrawn by %s", batch.id, by.get_username())
    return version
