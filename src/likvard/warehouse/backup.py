"""Backups of an installation, and restoring one into an empty installation.

A backup folder holds:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the app runs) or
  ``database.pgdump`` (``pg_dump --format=custom``): users, the quality work, and the warehouse
  manifest (import batches and data versions, ADR 0002);
- ``warehouse/batches/...``: every Parquet file the manifest names, copied *after* the
  database, so each batch the copied manifest names is there (batch files never change once
  committed). Kept tables (``derived/``) are left out: a worker recomputes them; so are the
  row-group indexes (``row-groups/``): a restored file is a new file, which the worker's
  warm-up indexes again;
- ``uploads/<job>/...``: the files of import jobs still in flight (they hold personnummer in
  clear: the backup folder is as sensitive as the installation);
- ``MANIFEST.json``: what is in it, with sizes, and the *fingerprint* of the pseudonym key.

The pseudonym key itself is never in a backup (ADR 0004): it is kept apart, and a restore
refuses an installation whose key has another fingerprint, since its new imports would give
the same students other keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from likvard.warehouse.models import DataVersion, ImportBatch, ImportJob, JobStatus
from likvard.warehouse.selectors import upload_dir

MANIFEST = "MANIFEST.json"
FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot be made; the message says why (in Swedish, for the CLI)."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds or a restore brought back."""

    folder: Path
    database: str
    warehouse_files: int
    uploads: int
    versions: int
    newest_version: str


def key_fingerprint() -> str:
    """The first 16 hex digits of SHA-256 of the installation's pseudonym key (not the key)."""
    return hashlib.sha256(str(settings.LIKVARD_PSEUDONYM_KEY).encode()).hexdigest()[:16]


def backup_create(*, folder: Path) -> BackupSummary:
    """Write a backup of this installation into ``folder`` (new, or empty)."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} är inte tom")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    database = _database_dump(folder)
    warehouse = Path(settings.LIKVARD_WAREHOUSE_DIR)
    files: dict[str, int] = {}
    for batch_files in ImportBatch.objects.values_list("files", flat=True):
        for paths in batch_files.values():
            for relative in paths:
                source = warehouse / relative
                _copy(source, folder / "warehouse" / relative)
                files[relative] = source.stat().st_size
    uploads = 0
    for job in ImportJob.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE]
    ):
        source = upload_dir() / job.upload_path
        if source.is_file():
            _copy(source, folder / "uploads" / job.upload_path)
            uploads += 1
    newest = DataVersion.objects.first()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": database,
        "pseudonym_key_fingerprint": key_fingerprint(),
        "versions": DataVersion.objects.count(),
        "newest_version": newest.label if newest else "",
        "warehouse_files": files,
        "uploads": uploads,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return _summary(folder, manifest)


def backup_restore(*, folder: Path, force: bool = False) -> BackupSummary:
    """Restore the backup in ``folder`` into this installation, which must hold no data.

    Checks the manifest and every warehouse file's size first, refuses another pseudonym key
    (unless ``force``), then replaces the database, copies the warehouse files and uploads,
    and applies this version's migrations (a backup of an older release is upgraded).
    """
    manifest = _manifest(folder)
    if manifest["pseudonym_key_fingerprint"] != key_fingerprint() and not force:
        raise BackupError(
            "Installationens pseudonymnyckel är inte den som säkerhetskopian gjordes med "
            "(sätt LIKVARD_PSEUDONYM_KEY eller lägg nyckelfilen på plats först)"
        )
    if (ImportBatch.objects.exists() or DataVersion.objects.exists()) and not force:
        raise BackupError("Installationen har redan data: återställ bara till en tom installation")
    files = _warehouse_files(manifest)
    for relative, size in files.items():
        source = folder / "warehouse" / relative
        if not source.is_file() or source.stat().st_size != size:
            raise BackupError(f"Säkerhetskopian saknar eller har en skadad fil: {relative}")
    _database_load(folder, str(manifest["database"]))
    warehouse = Path(settings.LIKVARD_WAREHOUSE_DIR)
    for relative in files:
        _copy(folder / "warehouse" / relative, warehouse / relative)
    uploads = folder / "uploads"
    if uploads.is_dir():
        for source in uploads.rglob("*"):
            if source.is_file():
                _copy(source, upload_dir() / source.relative_to(uploads))
    call_command("migrate", interactive=False, verbosity=0)
    return _summary(folder, manifest)


def _manifest(folder: Path) -> dict[str, object]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} är ingen säkerhetskopia (saknar {MANIFEST})")
    manifest: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"okänt format på säkerhetskopian: {manifest.get('format')}")
    return manifest


def _warehouse_files(manifest: dict[str, object]) -> dict[str, int]:
    files = manifest.get("warehouse_files")
    if not isinstance(files, dict):
        raise BackupError("säkerhetskopians förteckning saknar lagerfilerna")
    return {str(path): int(size) for path, size in files.items()}


def _summary(folder: Path, manifest: dict[str, object]) -> BackupSummary:
    files = manifest["warehouse_files"]
    return BackupSummary(
        folder=folder,
        database=str(manifest["database"]),
        warehouse_files=len(files) if isinstance(files, dict) else 0,
        uploads=int(str(manifest["uploads"])),
        versions=int(str(manifest["versions"])),
        newest_version=str(manifest["newest_version"]),
    )


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    os.chmod(partial, 0o600)
    partial.replace(target)


def _database_dump(folder: Path) -> str:
    db = connections["default"]
    if db.vendor == "sqlite":
        target = folder / "database.sqlite3"
        # SQLite's online backup API: a consistent copy while the web and worker write.
        _sqlite_copy(Path(str(db.settings_dict["NAME"])), target)
        os.chmod(target, 0o600)
        return target.name
    if db.vendor == "postgresql":
        target = folder / "database.pgdump"
        _pg(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], db.settings_dict)
        return target.name
    raise BackupError(f"databasen {db.vendor} stöds inte")


def _database_load(folder: Path, name: str) -> None:
    db = connections["default"]
    connections.close_all()
    if db.vendor == "sqlite" and name.endswith(".sqlite3"):
        _sqlite_copy(folder / name, Path(str(db.settings_dict["NAME"])))
        return
    if db.vendor == "postgresql" and name.endswith(".pgdump"):
        _pg(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", str(folder / name)],
            db.settings_dict,
        )
        return
    raise BackupError(f"säkerhetskopians databas ({name}) passar inte {db.vendor}")


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    source = sqlite3.connect(str(source_path))
    target = sqlite3.connect(str(target_path))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _pg(command: list[str], database: dict[str, object]) -> None:
    """Run a PostgreSQL client program against ``database`` (password through the environment)."""
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    args = [
        *command,
        f"--host={database.get('HOST') or 'localhost'}",
        f"--port={database.get('PORT') or 5432}",
        f"--username={database.get('USER') or ''}",
        f"--dbname={database['NAME']}",
    ]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} misslyckades: {result.stderr.strip()[:500]}")
