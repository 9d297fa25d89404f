"""Which row groups of a fact file can hold some students: a kept index per file (issue #18).

An update after an import reads the changed students' rows from the national files both
versions share, filtered by ``student_key``. The key is a hash, so Parquet's min/max
statistics never skip a row group and every group's key column was decoded, though one
municipality's students sit in about one group of ten. ``groups_of`` answers from an index of
the file: for each row group, a 64-bit digest of every key in it (``key_digests``), sorted.
A row group can hold a student only if it holds that student's digest, so the groups it
names are a superset of those holding one of the students (two keys with one digest add a
group, never lose one): reading only those and filtering by key gives the same rows.

The index is built on the first use of a file (its key column read once) and kept in the
process and, where the folder is writable, on disk under ``index_dir``, named by the file's
path, size, modification time and inode: a file rewritten under the same name is indexed
anew, never answered from a stale index.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

KEY_COLUMN = "student_key"
KEPT_INDEXES = 256
"""How many files' indexes a process keeps in memory (a national year's file: some 10 MB)."""

_STORED_ROWS = 2
"""A stored index is a 2-D uint64 array: its digests, then the row group of each."""

_INDEXES: OrderedDict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_LOCK = threading.Lock()


def key_digests(keys: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit digest (uint64) of each key: its first 16 bytes of UTF-8 as two words mixed.
    Deterministic, so equal keys have equal digests; keys that share their first 16 bytes
    (never two hashed personnummer in practice) share a digest."""
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    if len(keys) == 0:
        return np.zeros(0, dtype=np.uint64)
    head = pc.binary_slice(keys.cast(pa.binary()), 0, 16)
    fixed = np.asarray(head.to_numpy(zero_copy_only=False), dtype="S16")
    words = np.frombuffer(fixed.tobytes(), dtype="<u8").reshape(-1, 2)
    with np.errstate(over="ignore"):
        mixed: np.ndarray = words[:, 0] * np.uint64(0x9E3779B97F4A7C15) ^ words[:, 1]
    return mixed


def _identity(path: Path) -> tuple[object, ...]:
    stat = os.stat(path)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _build(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The sorted digests of ``path``'s keys with the row group of each (once per group)."""
    parquet = pq.ParquetFile(path)
    digests, groups = [], []
    for group in range(parquet.num_row_groups):
        keys = pc.unique(parquet.read_row_group(group, columns=[KEY_COLUMN]).column(0))
        found = np.unique(key_digests(keys))
        digests.append(found)
        groups.append(np.full(len(found), group, dtype=np.int32))
    digest = np.concatenate(digests) if digests else np.zeros(0, dtype=np.uint64)
    group_of = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int32)
    order = np.argsort(digest, kind="stable")
    return digest[order], group_of[order]


def _stored_name(identity: tuple[object, ...]) -> str:
    """The stored index's name: a digest of the file's path, size, mtime and inode."""
    return hashlib.sha256(repr(identity).encode()).hexdigest()[:32] + ".npy"


def _index(path: Path, index_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    identity = _identity(path)
    with _LOCK:
        kept = _INDEXES.get(identity)
        if kept is not None:
            _INDEXES.move_to_end(identity)
            return kept
    kept = _read_stored(index_dir, identity)
    if kept is None:
        kept = _build(path)
        if _identity(path) != identity:  # rewritten while read: answer it, keep nothing
            return kept
        _store(index_dir, identity, kept)
    with _LOCK:
        _INDEXES[identity] = kept
        while len(_INDEXES) > KEPT_INDEXES:
            _INDEXES.popitem(last=False)
    return kept


def _read_stored(
    index_dir: Path | None, identity: tuple[object, ...]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The stored index, mapped from its file, not read: a lookup touches only the pages
    its binary searches land on (loading the 40-odd national files' indexes whole cost about
    0.5 CPU s, most of what they save)."""
    if index_dir is None:
        return None
    try:
        stored = np.load(index_dir / _stored_name(identity), mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None
    if (
        stored.dtype != np.uint64
        or stored.shape[:1] != (_STORED_ROWS,)
        or stored.ndim != _STORED_ROWS
    ):
        return None
    return stored[0], stored[1]


def _store(
    index_dir: Path | None, identity: tuple[object, ...], kept: tuple[np.ndarray, np.ndarray]
) -> None:
    """Write the index atomically; a folder that cannot be written keeps it in memory only."""
    if index_dir is None:
        return
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=index_dir, prefix=".tmp-", suffix=".npy")
        try:
            with os.fdopen(handle, "wb") as out:
                np.save(out, np.stack([kept[0], kept[1].astype(np.uint64)]))
            os.replace(temporary, index_dir / _stored_name(identity))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return


def groups_of(path: Path, students: Sequence[str], *, index_dir: Path | None = None) -> list[int]:
    """The row groups of the Parquet file ``path`` that can hold a row of one of
    ``students`` (every group that does, and perhaps a few more), in order."""
    digest, group = _index(path, index_dir)
    wanted = np.unique(key_digests(pa.array(list(students), pa.string())))
    left = np.searchsorted(digest, wanted, side="left")
    right = np.searchsorted(digest, wanted, side="right")
    hit = right > left
    if not hit.any():
        return []
    counts = (right - left)[hit]
    starts = np.repeat(left[hit], counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return sorted({int(g) for g in group[starts + offsets]})


def row_ranges(path: Path, groups: Sequence[int]) -> list[tuple[int, int]]:
    """The file row numbers ``[start, stop)`` of ``groups``, adjacent groups joined."""
    meta = pq.ParquetFile(path).metadata
    bounds = np.cumsum([0] + [meta.row_group(g).num_rows for g in range(meta.num_row_groups)])
    ranges: list[tuple[int, int]] = []
    for g in groups:
        start, stop = int(bounds[g]), int(bounds[g + 1])
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], stop)
        else:
            ranges.append((start, stop))
    return ranges
