"""The installation's pseudonym key: where it comes from, and that the data were made with it.

``pseudonym_key()`` returns ``LIKVARD_PSEUDONYM_KEY`` when set, else the key in the file
``LIKVARD_PSEUDONYM_KEY_FILE``. A missing file is created (atomically, mode 0600) only where
``LIKVARD_PSEUDONYM_KEY_CREATE`` allows it (development, the demo) and only while no committed
batch exists: a key lost after data were imported is an error to fix by restoring it, never
silently replaced by a new one that would stop every student from linking to their history.
In production the file must lie outside the data folder (``LIKVARD_PSEUDONYM_KEY_OUTSIDE_DATA``),
so a copy of the data folder alone cannot be re-identified by hashing every possible number.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from likvard.warehouse.models import BatchStatus, ImportBatch
from likvard_core.ingest.pseudonymisation.key_file import (
    PseudonymKeyError,
    key_create,
    key_fingerprint,
    key_load,
)

__all__ = ["PseudonymKeyError", "pseudonym_key", "pseudonym_key_conflict"]


def pseudonym_key() -> bytes:
    """The key that pseudonymises personnummer in this installation (ADR 0004).

    Raises ``PseudonymKeyError`` when it is missing and may not be created, lies inside the
    data folder where that is forbidden, or is unsafe (readable by others, too short).
    """
    explicit = str(settings.LIKVARD_PSEUDONYM_KEY)
    if explicit:
        return explicit.encode("utf-8")
    path = Path(settings.LIKVARD_PSEUDONYM_KEY_FILE)
    if settings.LIKVARD_PSEUDONYM_KEY_OUTSIDE_DATA and _inside(path, Path(settings.DATA_DIR)):
        raise PseudonymKeyError(
            f"the pseudonym key file {path} lies inside the data folder; "
            "set LIKVARD_PSEUDONYM_KEY_FILE to a path outside it"
        )
    try:
        return key_load(path)
    except FileNotFoundError:
        pass
    if not settings.LIKVARD_PSEUDONYM_KEY_CREATE:
        raise PseudonymKeyError(
            f"no pseudonym key at {path}: create one outside the data folder "
            "(install -m 600 /dev/null; head -c 48 /dev/urandom | base64) or restore it"
        )
    made = _committed_fingerprints()
    if made:
        raise PseudonymKeyError(
            f"the pseudonym key {path} is missing but data were imported with key "
            f"{', '.join(sorted(made))}: restore it from the backup; a new key would not link"
        )
    return key_create(path)


def pseudonym_key_conflict(key: bytes) -> str | None:
    """The fingerprint of the other key committed batches were made with, or None.

    Batches from before fingerprints were recorded (empty) are not compared.
    """
    other = _committed_fingerprints() - {key_fingerprint(key)}
    return min(other) if other else None


def _committed_fingerprints() -> set[str]:
    return set(
        ImportBatch.objects.filter(status=BatchStatus.COMMITTED)
        .exclude(key_fingerprint="")
        .values_list("key_fingerprint", flat=True)
        .distinct()
    )


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
