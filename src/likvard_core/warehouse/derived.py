"""Tables derived from one data version, computed once and kept as Parquet beside the warehouse.

A data version never changes once committed (an import or a withdrawal makes a new one), so a
table computed from it by a deterministic function can never go stale: it is written once and
read by every later request, worker process and restart. Pages that must answer in a few
hundred milliseconds at national scale read their slice of such a table instead of scanning the
facts again.

Layout: ``<root>/derived/<version key>/<name>-<parameter digest>.parquet``. A table is written
to a temporary file in the same folder, flushed to disk and renamed into place, so a reader
sees either nothing (and computes) or the whole table. A table is computed by one process at a
time: the first takes a lock file beside it (``flock``, released by the system if the process
dies), and another process or thread that wants the same table meanwhile waits for it and reads
what it wrote, instead of computing the same national table again beside it (on a fresh demo
two web processes and the warm-up each computed every trend year's context at once). A wait
longer than ``LOCK_WAIT`` computes anyway, as before: both write the same content and the last
rename wins. Derived tables hold unreleased aggregates, exactly like the facts they come from:
release and audit still happen per request.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DERIVED_DIR = "derived"
"""The folder under the warehouse root that holds derived tables."""

Filter = tuple[str, str, object]
"""A pyarrow row filter ``(column, operator, value)``, e.g. ``("school_unit_code", "=", "123")``."""

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def version_key(label: str, files: Sequence[str]) -> str:
    """A short key that names one data version: its label and the files it consists of."""
    text = json.dumps([label, sorted(files)], ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def derived_path(root: Path, key: str, name: str, params: Mapping[str, object]) -> Path:
    """Where the table ``name`` with ``params`` for version ``key`` is kept under ``root``."""
    if not _NAME.match(name):
        raise ValueError(f"derived table name {name!r} must be lower-case letters, digits and _")
    if not re.fullmatch(r"[0-9a-f]{8,64}", key):
        raise ValueError(f"version key {key!r} must be hexadecimal")
    digest = hashlib.sha256(
        json.dumps(params, sort_keys=True, default=str, ensure_ascii=True).encode()
    ).hexdigest()[:16]
    return root / DERIVED_DIR / key / f"{name}-{digest}.parquet"


def derived_table(
    root: Path,
    key: str,
    name: str,
    params: Mapping[str, object],
    compute: Callable[[], pa.Table],
    *,
    filters: Sequence[Filter] | None = None,
) -> pa.Table:
    """The derived table ``name`` for version ``key``, computed by ``compute()`` on first use.

    ``compute`` must be a deterministic function of the data version and ``params``. With
    ``filters``, only the matching rows are returned (pushed down to the Parquet row groups);
    the whole table is still what is kept.
    """
    path = derived_path(root, key, name, params)
    if not path.is_file():
        with _computing(path):
            if not path.is_file():  # another process may have written it while this waited
                _write_atomically(path, compute())
    return pq.read_table(path, filters=list(filters) if filters else None)


LOCK_WAIT = 600.0
"""Seconds a process waits for another computing the same table before computing it too."""
_LOCK_POLL = 0.05


@contextmanager
def _computing(path: Path) -> Iterator[None]:
    """Within the block, this process alone computes ``path`` (see module doc): an exclusive
    ``flock`` on a lock file beside it, waited for at most ``LOCK_WAIT`` seconds, and removed
    when done (nothing is left beside the kept tables)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".lock-{path.stem}")
    with open(lock, "a+b") as handle:
        deadline = time.monotonic() + LOCK_WAIT
        locked = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break  # computed anyway (module doc)
                time.sleep(_LOCK_POLL)
        try:
            yield
        finally:
            if locked:  # removed while held: a waiter on it finds the table (or computes)
                lock.unlink(missing_ok=True)
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def derived_tables_read(
    root: Path,
    key: str,
    name: str,
    params: Sequence[Mapping[str, object]],
    *,
    filters: Sequence[Filter] | None = None,
    columns: Sequence[str] | None = None,
) -> pa.Table | None:
    """The kept tables ``name`` of every ``params`` together, read in one scan (a table kept
    in parts, e.g. one per school year), or None when one of them is not kept; with
    ``columns``, only those."""
    paths = [derived_path(root, key, name, p) for p in params]
    if not paths or not all(path.is_file() for path in paths):
        return None
    try:
        return pq.read_table(
            [str(p) for p in paths],
            filters=list(filters) if filters else None,
            columns=list(columns) if columns is not None else None,
        )
    except FileNotFoundError:
        return None


def has_derived(root: Path, key: str, name: str, params: Mapping[str, object]) -> bool:
    """Whether the table is already kept (tests and warm-up jobs ask)."""
    return derived_path(root, key, name, params).is_file()


def link_derived(
    root: Path, source: str, key: str, name: str, params: Mapping[str, object]
) -> bool:
    """Make version ``source``'s kept table ``name`` version ``key``'s too; whether it could.

    A table derived from facts the two versions share is the same for both: a hard link keeps
    it once on disk, and either version's folder can be swept without touching the other's.
    """
    kept = derived_path(root, source, name, params)
    target = derived_path(root, key, name, params)
    if target.is_file():
        return True
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".link-{os.getpid()}-{target.name}")
    try:
        os.link(kept, temporary)
    except FileNotFoundError:
        return False
    except OSError:  # another file system: copy instead
        try:
            shutil.copyfile(kept, temporary)
        except FileNotFoundError:
            return False
    os.replace(temporary, target)
    return True


def sweep_derived(root: Path, keep: Sequence[str]) -> list[str]:
    """Remove the derived tables of every version key not in ``keep``; returns the removed keys."""
    base = root / DERIVED_DIR
    if not base.is_dir():
        return []
    removed: list[str] = []
    for child in sorted(base.iterdir()):
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed


def row_group_size(rows: int) -> int:
    """Rows per Parquet row group: about 32 groups per table, 2,048 to 65,536 rows each.

    A page reads its rows of several tables (equity keeps one per school year) by row-group
    statistics, so a group is what a page decodes: small tables get small groups too.
    """
    return max(2048, min(64 * 1024, rows // 32))


DERIVED_COMPRESSION = "lz4"
"""Parquet compression of the kept tables. Against zstd (the fact files'), on the national
update's six largest kept tables (issue #18): 27 % less CPU to write, 34 % less to read, 9 %
larger files. The kept tables are written after every import and read by every page; the
fact files are written once and kept for years, so they stay zstd."""


def _dictionary_columns(schema: pa.Schema) -> list[str]:
    """The columns written dictionary-encoded: all but the floating-point ones. A float
    column of counts' shares, rates and p-values has nearly every value its own, so Parquet's
    writer built a dictionary of each only to give it up (issue #18: about 30 % of writing
    equity's national tables, which are written after every import)."""
    return [f.name for f in schema if not pa.types.is_floating(f.type)]


def _write_atomically(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
    os.close(handle)
    try:
        size = row_group_size(table.num_rows)
        pq.write_table(
            table,
            temporary,
            row_group_size=size,
            compression=DERIVED_COMPRESSION,
            use_dictionary=_dictionary_columns(table.schema),
        )
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
