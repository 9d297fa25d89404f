"""Ownership and clean-up of staged batches: who wrote a directory, and when it may go.

Every staging directory gets an ``owner`` file (host name, pid) as the first thing written, and
keeps it when it is renamed into ``batches/``. ``sweep_orphans`` removes a directory only when
no committed data version names it and its writer is gone: the owner's pid is dead on this host,
or the directory is older than ``stale_after`` seconds. So a sweep can run at any time, also
while another process stages a batch.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Iterable
from pathlib import Path

STAGING_DIR = ".staging"
BATCHES_DIR = "batches"
ROW_GROUPS_DIR = "row-groups"
"""The folder under the warehouse root that keeps each fact file's index of which row groups
hold which students (``row_groups``), laid out as ``batches/`` is."""
OWNER_FILE = "owner"

DEFAULT_STALE_AFTER = 24 * 3600.0
"""Seconds after which an uncommitted directory is removed even if its owner looks alive
(a pid can be reused, or the owner ran on another host)."""

DEFAULT_GRACE = 300.0
"""Seconds an uncommitted ``batches/`` directory of a dead owner is kept: the owner may have
committed its data version just after the caller read the committed ids."""


def write_owner(directory: Path) -> None:
    """Record this process as the owner of ``directory`` (host and pid), durably."""
    path = directory / OWNER_FILE
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f"{socket.gethostname()} {os.getpid()}\n")
        stream.flush()
        os.fsync(stream.fileno())


def fsync_dir(directory: Path) -> None:
    """Flush a directory's entries (new files, renames) to disk."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_orphans(
    root: Path,
    committed_batch_ids: Iterable[str],
    *,
    stale_after: float = DEFAULT_STALE_AFTER,
    grace: float = DEFAULT_GRACE,
) -> list[Path]:
    """Delete abandoned staging directories and uncommitted batches; return what was removed.

    - ``.staging/*``: removed when the owner process is dead (same host) or the directory is
      older than ``stale_after`` seconds; a live writer's directory is left alone.
    - ``batches/<id>`` with ``id`` not in ``committed_batch_ids``: removed when its owner is dead
      and the directory is older than ``grace`` seconds, or it is older than ``stale_after``.
    Committed batches are never touched. A removed batch's row-group indexes go with it.
    """
    committed = set(committed_batch_ids)
    now = time.time()
    removed: list[Path] = []
    staging = root / STAGING_DIR
    for directory in _subdirectories(staging):
        age = now - _mtime(directory)
        if age > stale_after or not _owner_alive(directory, age, grace=0.0):
            removed.append(_remove(directory))
    for directory in _subdirectories(root / BATCHES_DIR):
        if directory.name in committed:
            continue
        age = now - _mtime(directory)
        if age > stale_after or (age > grace and not _owner_alive(directory, age, grace)):
            removed.append(_remove(directory))
            shutil.rmtree(root / ROW_GROUPS_DIR / directory.name, ignore_errors=True)
    return removed


def _subdirectories(parent: Path) -> list[Path]:
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.is_symlink())


def _mtime(directory: Path) -> float:
    owner = directory / OWNER_FILE
    try:
        return owner.stat().st_mtime
    except FileNotFoundError:
        return directory.stat().st_mtime


def _owner_alive(directory: Path, age: float, grace: float) -> bool:
    """True when the owner may still be writing: alive here, elsewhere, or not yet recorded."""
    try:
        host, pid_text = (directory / OWNER_FILE).read_text(encoding="utf-8").split()
        pid = int(pid_text)
    except FileNotFoundError:
        return age <= max(grace, 60.0)  # the owner file is written right after mkdir
    except ValueError:
        return False
    if host != socket.gethostname():
        return True
    return pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this host is alive: not gone, not a zombie (one owned by
    another user counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    """A killed child that is not yet reaped still answers ``kill(pid, 0)``; check /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return True
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in {"Z", "X"}


def _remove(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    return directory
