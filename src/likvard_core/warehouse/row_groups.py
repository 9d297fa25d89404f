"""Which row groups of a fact file can hold some students: a kept index per file (issue #18).

An update after an import reads the changed students' rows from the national files both
versions share, filtered by ``student_key``. The key is a hash, so Parquet's min/max
statistics never skip a row group and every group's key column was decoded, though one
municipality's students sit in about one group of ten. ``groups_of`` answers from an index of
the file: for each row group, a 64-bit digest of every key in it (``key_digests``), sorted.
Each group is searched on its own, so a group is named when it holds the digest of one of the
students: two keys with one digest can only add a group, never lose one, and reading the
groups named and filtering by key gives the same rows as reading the whole file.

An index is built when its file is written (``indexes_build``: the import, and ``likvard warm``
for files that lack one), never by a reader: a file without a usable index (none yet, another
format, cut short, or of an earlier file under the same name) is read whole, as before.

Layout: ``<root>/row-groups/<the file's path under batches/>.<identity>.idx``, the identity a
digest of the file's size, modification time and inode (a file rewritten under its name is
indexed anew, never answered from the old one). An index is written to a temporary file in its
folder, flushed and renamed into place, so a reader sees the whole index or none; two builders
write the same bytes and the last rename wins. The file holds little-endian 64-bit words: a
header (``_MAGIC``, ``_FORMAT``, the file's size, mtime and inode, the number of row groups and
of digests), each group's first digest's offset and the end, then the digests. A header that
does not match the file, a length that does not match the header or offsets out of order make
the index unusable. ``sweep_indexes`` removes the indexes of files gone, rewritten, or named
by no kept version; ``sweep_orphans`` removes a removed batch's with it.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from likvard_core.warehouse.lifecycle import BATCHES_DIR, DEFAULT_GRACE, ROW_GROUPS_DIR

KEY_COLUMN = "student_key"
INDEXED_TABLES = frozenset(
    {"enrolments", "final_grades", "national_tests", "course_grades", "absence"}
)
"""The fact tables whose files are indexed: those the updates after an import read by student
(equity's and quality's changed rows, movement's enrolments)."""

SUFFIX = ".idx"
_TEMPORARY = ".tmp-"
_MAGIC = int.from_bytes(b"LKVRGIDX", "little")
_FORMAT = 1
_HEADER = 7
_WORD = 8


def key_digests(keys: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit digest (uint64) of each key: its first 16 bytes of UTF-8 as two words mixed.
    Deterministic, so equal keys have equal digests; keys that share their first 16 bytes
    (never two hashed personnummer in practice) share a digest, which costs a group read."""
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


def _stat_words(path: Path) -> tuple[int, int, int]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _identity(words: tuple[int, int, int]) -> str:
    return hashlib.sha256(repr(words).encode()).hexdigest()[:16]


def index_path(root: Path, relative: str) -> Path | None:
    """Where the index of the fact file ``relative`` (``batches/...``) as it is now is kept;
    None when the file is missing or not under ``batches/``."""
    parts = PurePosixPath(relative).parts
    if parts[:1] != (BATCHES_DIR,) or len(parts) == 1 or ".." in parts:
        return None
    try:
        words = _stat_words(root.joinpath(*parts))
    except OSError:
        return None
    folder = root.joinpath(ROW_GROUPS_DIR, *parts[1:-1])
    return folder / f"{parts[-1]}.{_identity(words)}{SUFFIX}"


def _build(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Each row group's first digest's offset (and the end), and the digests: each group's
    keys' digests, once each, sorted."""
    digests = []
    with pq.ParquetFile(path) as parquet:
        for group in range(parquet.num_row_groups):
            keys = pc.unique(parquet.read_row_group(group, columns=[KEY_COLUMN]).column(0))
            digests.append(np.unique(key_digests(keys)))
    offsets = np.cumsum([0, *(len(d) for d in digests)], dtype=np.uint64)
    found = np.concatenate(digests) if digests else np.zeros(0, dtype=np.uint64)
    return offsets, found.astype(np.uint64)


def index_build(root: Path, relative: str) -> bool:
    """Index the fact file ``relative`` unless a usable index is kept; whether one was built.
    A file rewritten while it was read is not kept (its next build indexes the new one)."""
    target = index_path(root, relative)
    if target is None or _usable(target) is not None:
        return False
    path = root.joinpath(*PurePosixPath(relative).parts)
    words = _stat_words(path)
    offsets, digests = _build(path)
    if _stat_words(path) != words:
        return False
    header = np.array([_MAGIC, _FORMAT, *words, len(offsets) - 1, len(digests)], dtype="<u8")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=_TEMPORARY, suffix=SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in (header, offsets.astype("<u8"), digests.astype("<u8")):
                out.write(part.tobytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def indexes_build(root: Path, files: Mapping[str, Sequence[str]]) -> list[str]:
    """Index every file of ``files`` (paths by fact table) of an indexed table that has no
    usable index; returns the files indexed."""
    return [
        relative
        for table, paths in sorted(files.items())
        if table in INDEXED_TABLES
        for relative in paths
        if index_build(root, relative)
    ]


@contextmanager
def _mapped(target: Path) -> Iterator[mmap.mmap | None]:
    """The index file mapped (only the pages a search touches are read), closed after."""
    try:
        with target.open("rb") as stream:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, or empty
        yield None
        return
    try:
        yield mapped
    finally:
        with suppress(BufferError):  # a view outlived it (an error mid-search): freed later
            mapped.close()


def _usable(target: Path) -> tuple[int, ...] | None:
    """The index's header when it is whole and matches its file's name, else None."""
    with _mapped(target) as mapped:
        return None if mapped is None else _checked_header(mapped, target)


def _checked_header(mapped: mmap.mmap, target: Path) -> tuple[int, ...] | None:
    if len(mapped) < _HEADER * _WORD or len(mapped) % _WORD:
        return None
    header = tuple(int(w) for w in np.frombuffer(mapped, dtype="<u8", count=_HEADER))
    magic, version, size, mtime, inode, groups, digests = header
    if magic != _MAGIC or version != _FORMAT:
        return None
    if not target.name.endswith(f".{_identity((size, mtime, inode))}{SUFFIX}"):
        return None
    if len(mapped) != (_HEADER + groups + 1 + digests) * _WORD:
        return None
    offsets = np.frombuffer(mapped, dtype="<u8", count=groups + 1, offset=_HEADER * _WORD)
    ordered = bool(
        offsets[0] == 0 and offsets[-1] == digests and np.all(offsets[1:] >= offsets[:-1])
    )
    del offsets  # no view of the map may outlive it
    return header if ordered else None


def student_digests(students: Sequence[str]) -> np.ndarray:
    """The sorted distinct digests of ``students``' keys: computed once for every file."""
    return np.unique(key_digests(pa.array(list(students), pa.string())))


def groups_of(root: Path, relative: str, students: Sequence[str]) -> list[int] | None:
    """The row groups of the fact file ``relative`` that can hold a row of one of
    ``students`` (every group that does, and perhaps a few more), in order; None when the file
    has no usable index (read it whole)."""
    found = _found(root, relative, student_digests(students))
    return None if found is None else found[0]


def student_ranges(root: Path, relative: str, wanted: np.ndarray) -> list[tuple[int, int]] | None:
    """The file row numbers ``[start, stop)`` of the row groups that can hold one of the
    students of ``wanted`` (``student_digests``), adjacent groups joined; None when the file
    has no usable index."""
    found = _found(root, relative, wanted)
    if found is None:
        return None
    groups, rows = found
    bounds = np.cumsum([0, *rows])
    ranges: list[tuple[int, int]] = []
    for g in groups:
        start, stop = int(bounds[g]), int(bounds[g + 1])
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], stop)
        else:
            ranges.append((start, stop))
    return ranges


def _found(root: Path, relative: str, wanted: np.ndarray) -> tuple[list[int], list[int]] | None:
    """The groups named and each group's rows, or None without a usable index."""
    target = index_path(root, relative)
    if target is None:
        return None
    with _mapped(target) as mapped:
        header = None if mapped is None else _checked_header(mapped, target)
        if mapped is None or header is None:
            return None
        with pq.ParquetFile(root.joinpath(*PurePosixPath(relative).parts)) as parquet:
            meta = parquet.metadata
            rows = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
        if header[5] != len(rows):
            return None
        return _search(mapped, len(rows), wanted), rows


def _search(mapped: mmap.mmap, groups: int, wanted: np.ndarray) -> list[int]:
    """The groups whose digests hold one of ``wanted``, each group searched on its own."""
    offsets = np.frombuffer(mapped, dtype="<u8", count=groups + 1, offset=_HEADER * _WORD)
    bounds = [int(o) for o in offsets]
    del offsets
    start = (_HEADER + groups + 1) * _WORD
    found = []
    for group in range(groups):
        count = bounds[group + 1] - bounds[group]
        if not count or not len(wanted):
            continue
        digests = np.frombuffer(
            mapped, dtype="<u8", count=count, offset=start + bounds[group] * _WORD
        )
        at = np.minimum(np.searchsorted(digests, wanted), count - 1)
        if bool(np.any(digests[at] == wanted)):
            found.append(group)
        del digests, at
    return found


def sweep_indexes(
    root: Path, *, keep: Collection[str] | None = None, grace: float = DEFAULT_GRACE
) -> list[Path]:
    """Remove the indexes of fact files gone or rewritten since, and with ``keep`` (the files
    of every kept version, relative to ``root``) of files it does not name; returns what was
    removed. An index or a build's temporary file younger than ``grace`` seconds is kept
    unless its file is gone: a batch being imported is indexed before its version exists."""
    base = root / ROW_GROUPS_DIR
    if not base.is_dir():
        return []
    now = time.time()
    removed: list[Path] = []
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        if _stale(root, base, path, keep, young=_age(path, now) <= grace):
            path.unlink(missing_ok=True)
            removed.append(path)
    for folder in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
        if (root / BATCHES_DIR / folder.relative_to(base)).is_dir():
            continue  # a build may be about to write into it
        try:
            folder.rmdir()  # only when empty
        except OSError:
            continue
    return removed


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _stale(
    root: Path, base: Path, path: Path, keep: Collection[str] | None, *, young: bool
) -> bool:
    name = path.name.removesuffix(SUFFIX).rpartition(".")[0]
    if path.name.startswith(_TEMPORARY) or not path.name.endswith(SUFFIX) or not name:
        return not young  # a build's temporary file, or not an index
    relative = PurePosixPath(BATCHES_DIR, *path.parent.relative_to(base).parts, name).as_posix()
    current = index_path(root, relative)
    if current is None or current.name != path.name:
        return True  # its file is gone or was rewritten
    return keep is not None and relative not in keep and not young
