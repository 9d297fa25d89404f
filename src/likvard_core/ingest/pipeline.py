"""Import one file: read, validate everything, and return Arrow tables or issues, never both.

``ingest_file`` is all or nothing: when any issue is found the result has no tables. It
never writes; the warehouse writer stores the tables under the file's ``content_hash``, which
makes re-importing the same bytes a no-op. Bad input never raises: every failure to read or
parse becomes an ``Issue``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import KINDS, Context, Preview
from likvard_core.ingest.pseudonymisation.pseudonymise import pseudonymiser
from likvard_core.ingest.readers import ReadError
from likvard_core.ingest.validation.table_checks import SchoolUnitScope
from likvard_core.untrusted import FileKind, FileRefused, Limits, inspect_file
from likvard_core.untrusted.inspect import DATA_FILE_LIMITS

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 20
DATA_FILE_KINDS = frozenset({FileKind.TEXT, FileKind.ZIP, FileKind.OLE, FileKind.PARQUET})
"""What an import file may be when its name has no suffix we know."""
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The outcome of importing one file.

    ``tables`` maps fact-table names to schema-conformant tables with ``batch_id`` filled; it
    is empty whenever ``issues`` is not. ``content_hash`` is the SHA-256 of the file's bytes
    (hex), the idempotency key of the batch; ``rows_read`` counts data rows read.
    """

    file: str
    kind: str
    content_hash: str
    rows_read: int
    tables: dict[str, pa.Table] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file imported without issues."""
        return not self.issues


def content_hash(path: Path) -> str:
    """The SHA-256 of the file's bytes as 64 hex characters."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unknown_kind(path: Path, kind: str) -> IngestResult:
    issue = Issue(path.name, 0, "", "unsupported_format", "one of " + ", ".join(sorted(KINDS)))
    return IngestResult(path.name, kind, "", 0, issues=[issue])


def ingest_file(
    path: Path,
    kind: str,
    *,
    pseudonym_key: bytes,
    known_school_units: frozenset[str] | None = None,
    school_unit_scope: SchoolUnitScope | None = None,
    batch_id: str = "",
    progress: Callable[[int], None] | None = None,
    name: str | None = None,
) -> IngestResult:
    """Read and validate ``path`` as a file of ``kind``; tables only if there are no issues.

    ``pseudonym_key`` keys the personnummer pseudonymisation; ``known_school_units``, when
    given, makes every school unit code outside it an issue (``unknown_school_unit``);
    ``school_unit_scope``, when given (an organizer's upload), makes every row naming a unit
    in the register that is not one of the organizer's, in that school year, an issue
    (``outside_organizer``, with the code shown); ``progress`` is called with the number of
    data rows read so far; ``name`` is the name the user gave the file (default: the path's),
    whose suffix declares its type.
    """
    if kind not in KINDS:
        return _unknown_kind(path, kind)
    ctx = Context(
        file=name or path.name,
        pseudonymise=pseudonymiser(pseudonym_key),
        batch_id=batch_id,
        known_school_units=known_school_units,
        school_unit_scope=school_unit_scope,
        progress=progress,
    )
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: overlap it
        hashing = pool.submit(content_hash, path)
        result = _read(path, kind, ctx, name)
        try:
            digest = hashing.result()
        except OSError as error:
            issue = Issue(path.name, 0, "", "file_unreadable", type(error).__name__)
            return IngestResult(path.name, kind, "", 0, issues=[issue])
    return dataclasses.replace(result, content_hash=digest)


def inspect_data_file(
    path: Path, limits: Limits = DATA_FILE_LIMITS, *, name: str | None = None
) -> Issue | None:
    """The issue that stops ``path`` from being read at all, or None.

    The file's bytes must be the type its suffix declares (CSV, XLSX, XLS, ODS, Parquet, JSON)
    and stay within ``limits``: a zip bomb, a workbook with a DTD (billion laughs), a truncated
    container or a spoofed type is refused before any reader opens it.
    """
    try:
        inspect_file(path, name=name, limits=limits, undeclared=DATA_FILE_KINDS)
    except FileRefused as refused:
        return Issue(name or path.name, 0, "", refused.code, refused.detail)
    except OSError as error:
        return Issue(name or path.name, 0, "", "file_unreadable", type(error).__name__)
    return None


def _read(path: Path, kind: str, ctx: Context, name: str | None) -> IngestResult:
    """``ingest_file`` without the content hash (left empty)."""
    tables: dict[str, pa.Table] = {}
    refused = inspect_data_file(path, name=name)
    if refused is not None:
        return IngestResult(path.name, kind, "", 0, issues=[refused])
    try:
        tables = KINDS[kind].read(path, ctx)
    except ReadError as error:
        ctx.log.add(error.row, "", error.code, error.expected)
    except MemoryError:  # within run_limited's memory limit: the file asks too much
        ctx.log.add(0, "", "memory_limit", "")
    except (OSError, RecursionError) as error:
        ctx.log.add(0, "", "file_unreadable", type(error).__name__)
    except Exception as error:  # a bug must not crash an upload; messages may hold cell values
        logger.error("import of %s (%s) failed: %s", path.name, kind, type(error).__name__)
        ctx.log.add(0, "", "internal_error", type(error).__name__)
    ctx.finish_progress()
    issues = ctx.log.issues()
    if issues:
        logger.info("import of %s (%s): %d issues", path.name, kind, len(ctx.log))
        tables = {}
    return IngestResult(path.name, kind, "", ctx.rows_read, tables, issues)


def detect_columns(
    path: Path, kind: str, rows: int = PREVIEW_ROWS, *, name: str | None = None
) -> Preview | list[Issue]:
    """The first ``rows`` data rows and each column's detected meaning, or the issues.

    Personnummer cells are masked in the preview; ``name`` as in ``ingest_file``.
    """
    if kind not in KINDS:
        return _unknown_kind(path, kind).issues
    refused = inspect_data_file(path, name=name)
    if refused is not None:
        return [refused]
    try:
        return KINDS[kind].preview(path, rows)
    except ReadError as error:
        return [Issue(path.name, error.row, "", error.code, error.expected)]
    except OSError as error:
        return [Issue(path.name, 0, "", "file_unreadable", type(error).__name__)]
