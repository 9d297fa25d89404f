"""The pseudonym key on disk: created once, atomically and private, never made again silently.

``key_create`` writes the key to a file made with ``O_CREAT | O_EXCL`` and mode 0600 in one
system call, then links it into place, so no other process ever sees a half-written key or a
moment when it is readable by others, and two processes racing to create it end up with the
same key (the loser reads the winner's).
``key_load`` reads it and refuses a key readable by group or others. ``key_fingerprint`` names
a key without revealing it: each import batch records it, so data made with another key is
noticed instead of silently failing to link students.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from likvard_core.ingest.pseudonymisation.pseudonymise import key_bytes

FINGERPRINT_LENGTH = 16
_FINGERPRINT_MESSAGE = b"likvard pseudonym key fingerprint v1"


class PseudonymKeyError(RuntimeError):
    """The key is missing, unsafe or not the one the data were made with (never holds it)."""


def key_fingerprint(key: bytes) -> str:
    """16 hex characters naming ``key`` (a keyed hash of a fixed text: reveals nothing)."""
    digest = hmac.digest(key_bytes(key), _FINGERPRINT_MESSAGE, hashlib.sha256)
    return digest.hex()[:FINGERPRINT_LENGTH]


def key_create(path: Path) -> bytes:
    """Create a new random key at ``path`` (mode 0600, atomically); returns it.

    The key is written to a private temporary file (``O_CREAT | O_EXCL``, mode 0600) that is
    then hard-linked to ``path``: the link fails if ``path`` exists, so the file appears only
    complete, and when another process created it first its key is returned instead.
    """
    key = secrets.token_urlsafe(48).encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(descriptor, key + b"\n")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return key_load(path)
    finally:
        temporary.unlink()
    return key


def key_load(path: Path) -> bytes:
    """The key stored at ``path``.

    Raises ``FileNotFoundError`` when there is none and ``PseudonymKeyError`` when the file is
    readable by group or others, or holds fewer than 16 bytes.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        mode = os.fstat(descriptor).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PseudonymKeyError(f"the pseudonym key {path} is readable by others: chmod 600")
        data = b""
        while chunk := os.read(descriptor, 4096):
            data += chunk
    finally:
        os.close(descriptor)
    key = data.strip()
    try:
        return key_bytes(key)
    except ValueError:
        raise PseudonymKeyError(f"the pseudonym key {path} is shorter than 16 bytes") from None
