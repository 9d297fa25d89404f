"""Write one import batch of fact tables as Parquet files, all or nothing.

Layout under the warehouse root::

    .staging/<batch_id>.<token>/   a batch being written, with an ``owner`` file (host, pid)
    batches/<batch_id>/            a staged batch: ``<table>.parquet`` per table (a large table
                                   also ``<table>.1.parquet``... , written in parallel), ``owner``

A batch is written into a private staging directory, every file and the directory are fsynced,
and the directory is renamed into ``batches/`` in one atomic step. A staged batch is still not
part of any data version: it becomes visible only when the Django app writes a manifest row
(a DataVersion) naming it. ``sweep_orphans`` removes what no committed version names.
See docs/decisions/0002-warehouse-storage.md.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import pyarrow as pa
import pyarrow.parquet as pq

from likvard_core.warehouse.contract import (
    ContractError,
    check_batch_id,
    conform_batch,
    conform_batches,
    contract_table,
)
from likvard_core.warehouse.lifecycle import (
    BATCHES_DIR,
    STAGING_DIR,
    fsync_dir,
    sweep_orphans,
    write_owner,
)
from likvard_core.warehouse.schema import FactTable

__all__ = [
    "ROW_GROUP_ROWS",
    "BatchConflictError",
    "StagedBatch",
    "StagedFile",
    "TableData",
    "read_staged_batch",
    "stage_batch",
    "sweep_orphans",
]

ROW_GROUP_ROWS = 1 << 20
"""Rows per Parquet row group: 1 Mi rows gives ~50 groups at 50M rows, enough to spread a scan
over the cores while keeping per-group statistics useful for pruning."""

TableData: TypeAlias = pa.Table | Iterable[pa.RecordBatch | pa.Table]
"""What ``stage_batch`` accepts per table: a whole table, or a stream of batches (streamed)."""

_HASH_CHUNK = 1 << 20

WRITE_THREADS = max(1, min(4, os.cpu_count() or 1))
"""Parts of a large table written at once. pyarrow encodes one file on one core, so a table of
at least ``2 * ROW_GROUP_ROWS`` rows per part is split at row-group boundaries into parts written
by as many threads (10.5 M enrolment rows: 3.9 s as one file, 2.1 s as two on two cores)."""

_PLAIN_COLUMNS = frozenset({"student_key"})
"""Columns written without a dictionary: a student's keyed hash repeats a few times per row
group at most, so its dictionary page overflows and falls back to plain pages anyway, after
hashing every value (a fifth of the write time of an enrolments file)."""


_UNFILTERED_COLUMNS = frozenset({"student_key", "batch_id"})
"""Columns written without min/max statistics: no query prunes row groups on a keyed hash
(its values are spread over the whole range in every group) or on the batch id (one per file),
and computing them costs about a tenth of an enrolments file's write."""


def _dictionary_columns(fact: FactTable) -> list[str]:
    return [name for name in fact.columns if name not in _PLAIN_COLUMNS]


def _statistics_columns(fact: FactTable) -> list[str]:
    return [name for name in fact.columns if name not in _UNFILTERED_COLUMNS]


class BatchConflictError(RuntimeError):
    """``batches/<batch_id>`` already exists with different content."""


@dataclass(frozen=True, slots=True)
class StagedFile:
    """One written Parquet file: its table, path relative to the root, rows and sha256."""

    table: str
    path: str
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class StagedBatch:
    """A batch whose files are durable under ``batches/<batch_id>/``, ordered by table name."""

    batch_id: str
    files: tuple[StagedFile, ...]

    @property
    def rows(self) -> int:
        """Rows over all tables of the batch."""
        return sum(f.rows for f in self.files)

    def paths_by_table(self) -> dict[str, tuple[str, ...]]:
        """Relative paths per fact table (a large table's parts in order), as ``Snapshot``
        takes them."""
        paths: dict[str, tuple[str, ...]] = {}
        for f in self.files:
            paths[f.table] = (*paths.get(f.table, ()), f.path)
        return paths

    def rows_by_table(self) -> dict[str, int]:
        """Rows per fact table, over its parts."""
        rows: dict[str, int] = {}
        for f in self.files:
            rows[f.table] = rows.get(f.table, 0) + f.rows
        return rows


def stage_batch(root: Path, batch_id: str, tables: Mapping[str, TableData]) -> StagedBatch:
    """Write ``tables`` as batch ``batch_id`` under ``root`` and return what was written.

    Each table is checked against the contract and cast to it (``ContractError`` otherwise,
    before anything becomes visible), written zstd-compressed to a staging directory, fsynced,
    and the directory is renamed to ``batches/<batch_id>``. Re-staging identical content returns
    the existing batch; different content raises ``BatchConflictError``. A stream of record
    batches is written incrementally, so memory stays bounded by one row group.
    """
    check_batch_id(batch_id)
    facts = [contract_table(name) for name in sorted(tables)]
    if not facts:
        raise ContractError(f"batch {batch_id!r} has no tables")
    staging_parent = root / STAGING_DIR
    batches_dir = root / BATCHES_DIR
    staging_parent.mkdir(parents=True, exist_ok=True)
    batches_dir.mkdir(parents=True, exist_ok=True)
    staging = staging_parent / f"{batch_id}.{secrets.token_hex(8)}"
    staging.mkdir()
    try:
        write_owner(staging)
        written = [
            part
            for fact in facts
            for part in _write_table(staging, fact, tables[fact.name], batch_id)
        ]
        fsync_dir(staging)
        final = batches_dir / batch_id
        if _publish(staging, final):
            fsync_dir(batches_dir)
            fsync_dir(staging_parent)
            return _relocate(batch_id, written)
        existing = read_staged_batch(root, batch_id)
        candidate = _relocate(batch_id, written)
        if existing != candidate:
            raise BatchConflictError(
                f"batch {batch_id!r} already exists with different content; "
                "use a new batch id for new data"
            )
        return existing
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_staged_batch(root: Path, batch_id: str) -> StagedBatch:
    """Describe the staged batch ``batches/<batch_id>`` from its files (rows, sha256)."""
    check_batch_id(batch_id)
    directory = root / BATCHES_DIR / batch_id
    if not directory.is_dir():
        raise FileNotFoundError(f"no staged batch {batch_id!r} under {root}")
    files = []
    for path in sorted(directory.glob("*.parquet"), key=_part_order):
        fact = contract_table(path.name.split(".", 1)[0])
        rows = pq.ParquetFile(path).metadata.num_rows
        files.append(StagedFile(fact.name, path.relative_to(root).as_posix(), rows, _sha256(path)))
    return StagedBatch(batch_id, tuple(files))


def _part_order(path: Path) -> tuple[str, int]:
    """``<table>.parquet`` (part 0), then ``<table>.<k>.parquet`` by k."""
    table, _, rest = path.name.partition(".")
    part = rest.removesuffix("parquet").rstrip(".")
    return table, int(part) if part.isdigit() else 0


def _part_name(fact: FactTable, part: int) -> str:
    return f"{fact.name}.parquet" if part == 0 else f"{fact.name}.{part}.parquet"


def _part_slices(rows: int) -> list[tuple[int, int]]:
    """(offset, length) of each part: whole row groups, at least two groups per part."""
    groups = -(-rows // ROW_GROUP_ROWS)
    parts = max(1, min(WRITE_THREADS, groups // 2))
    per_part = -(-groups // parts) * ROW_GROUP_ROWS
    return [(start, min(per_part, rows - start)) for start in range(0, rows, per_part)] or [(0, 0)]


def _write_table(
    directory: Path, fact: FactTable, data: TableData, batch_id: str
) -> list[StagedFile]:
    if not isinstance(data, pa.Table):
        path = directory / _part_name(fact, 0)
        return [_durable(path, fact, _write_stream(path, fact, data, batch_id))]
    table = conform_batch(fact, data, batch_id)
    slices = _part_slices(table.num_rows)

    def write(part: int) -> StagedFile:
        offset, length = slices[part]
        path = directory / _part_name(fact, part)
        pq.write_table(
            table.slice(offset, length),
            path,
            row_group_size=ROW_GROUP_ROWS,
            compression="zstd",
            write_statistics=_statistics_columns(fact),
            use_dictionary=_dictionary_columns(fact),
        )
        return _durable(path, fact, length)

    if len(slices) == 1:
        return [write(0)]
    with ThreadPoolExecutor(max_workers=len(slices)) as pool:  # pyarrow releases the GIL
        return list(pool.map(write, range(len(slices))))


def _durable(path: Path, fact: FactTable, rows: int) -> StagedFile:
    """The written file fsynced, with its sha256."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # both release the GIL: overlap them
        digest = pool.submit(_sha256, path)
        _fsync_file(path)
        return StagedFile(fact.name, path.name, rows, digest.result())


def _write_stream(
    path: Path, fact: FactTable, batches: Iterable[pa.RecordBatch | pa.Table], batch_id: str
) -> int:
    """Write a stream, buffering up to one row group so small batches make full groups."""
    rows = 0
    buffered: list[pa.Table] = []
    buffered_rows = 0
    with pq.ParquetWriter(
        path,
        fact.schema,
        compression="zstd",
        write_statistics=_statistics_columns(fact),
        use_dictionary=_dictionary_columns(fact),
    ) as parquet_writer:
        for table in conform_batches(fact, batches, batch_id):
            buffered.append(table)
            buffered_rows += table.num_rows
            rows += table.num_rows
            if buffered_rows >= ROW_GROUP_ROWS:
                parquet_writer.write_table(
                    pa.concat_tables(buffered), row_group_size=ROW_GROUP_ROWS
                )
                buffered, buffered_rows = [], 0
        if buffered_rows or not rows:
            combined = pa.concat_tables(buffered) if buffered else fact.schema.empty_table()
            parquet_writer.write_table(combined, row_group_size=ROW_GROUP_ROWS)
    return rows


def _publish(staging: Path, final: Path) -> bool:
    """Rename ``staging`` to ``final``; False when ``final`` already exists."""
    if final.exists():
        return False
    try:
        staging.rename(final)
    except OSError as error:
        if error.errno in (errno.EEXIST, errno.ENOTEMPTY):
            return False
        raise
    return True


def _relocate(batch_id: str, written: list[StagedFile]) -> StagedBatch:
    files = tuple(
        StagedFile(f.table, f"{BATCHES_DIR}/{batch_id}/{f.path}", f.rows, f.sha256) for f in written
    )
    return StagedBatch(batch_id, files)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
