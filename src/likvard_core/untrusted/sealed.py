"""Uploaded files kept only encrypted: written sealed chunk by chunk, opened in memory.

A sealed file is ``MAGIC``, a random 16-byte salt, then records of at most ``CHUNK`` bytes of
the file, each ``flag (1 byte) | length (4 bytes) | AES-256-GCM ciphertext with its tag``. The
nonce is the record's number, the flag (``b"1"`` on the last record, ``b"0"`` before) is
authenticated with it, so a record cannot be changed, moved, dropped or appended without the
reader noticing. The key of each file is ``HKDF-SHA256(secret, salt)``: the caller's secret
(the server's, kept apart from the data folder) never touches the disk, and a file's key opens
that file alone.

``unseal_to_memory`` decrypts into an anonymous in-memory file (``memfd_create``) whose
``/proc/self/fd`` path the ordinary readers take: the clear bytes exist only in the memory of
the process that reads them, never in a file on a disk.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import struct
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from likvard_core.untrusted.inspect import FileRefused

MAGIC = b"LKVSEAL1"
CHUNK = 1 << 20
_SALT_BYTES = 16
_INFO = b"likvard sealed upload v1"
_RECORD_HEAD = struct.Struct(">cI")
_TAG_BYTES = 16
_LAST, _MORE = b"1", b"0"


def sealed_key(secret: bytes, salt: bytes) -> bytes:
    """The 32-byte key of the sealed file with ``salt``, derived from ``secret``."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(secret)


def sealed_file_key(path: Path, secret: bytes) -> bytes:
    """The key of the sealed file at ``path`` (its salt read from the header)."""
    with path.open("rb") as handle:
        return sealed_key(secret, _read_header(handle))


class SealedWriter:
    """Write a file sealed: ``write`` clear bytes, ``close`` to finish; nothing clear on disk.

    The file is created new (never over an existing one), private (mode 0600).
    """

    def __init__(self, path: Path, secret: bytes) -> None:
        salt = secrets.token_bytes(_SALT_BYTES)
        self._aead = AESGCM(sealed_key(secret, salt))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        self._handle = os.fdopen(os.open(path, flags, 0o600), "wb")
        self._handle.write(MAGIC + salt)
        self._buffer = bytearray()
        self._records = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        """Seal ``data`` (any length), appended to what was written before."""
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) > CHUNK:
            self._record(bytes(self._buffer[:CHUNK]), _MORE)
            del self._buffer[:CHUNK]

    def close(self) -> None:
        """Write the last record and close the file."""
        self._record(bytes(self._buffer), _LAST)
        self._buffer.clear()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def abort(self) -> None:
        """Close without finishing: the file stays unreadable (no last record)."""
        with contextlib.suppress(OSError):
            self._handle.close()

    def _record(self, clear: bytes, flag: bytes) -> None:
        sealed = self._aead.encrypt(_nonce(self._records), clear, flag)
        self._handle.write(_RECORD_HEAD.pack(flag, len(sealed)) + sealed)
        self._records += 1


def unseal_to(path: Path, key: bytes, out: BinaryIO, *, max_bytes: int) -> int:
    """Decrypt the sealed file at ``path`` into ``out``; returns the clear size.

    Raises ``FileRefused``: ``file_unreadable`` (not sealed, wrong key, changed or cut
    short), ``archive_too_large`` (more than ``max_bytes`` in clear).
    """
    aead = AESGCM(key)
    size = 0
    with path.open("rb") as handle:
        _read_header(handle)
        number = 0
        while True:
            head = handle.read(_RECORD_HEAD.size)
            if len(head) < _RECORD_HEAD.size:
                raise FileRefused("file_unreadable", "sealed file cut short")
            flag, length = _RECORD_HEAD.unpack(head)
            if flag not in (_LAST, _MORE) or length > CHUNK + _TAG_BYTES:
                raise FileRefused("file_unreadable", "sealed record")
            try:
                clear = aead.decrypt(_nonce(number), handle.read(length), flag)
            except InvalidTag:
                raise FileRefused("file_unreadable", "sealed record") from None
            size += len(clear)
            if size > max_bytes:
                raise FileRefused("archive_too_large", f"{max_bytes >> 20} MB")
            out.write(clear)
            number += 1
            if flag == _LAST:
                if handle.read(1):
                    raise FileRefused("file_unreadable", "sealed file too long")
                return size


def unseal_to_memory(path: Path, key: bytes, *, max_bytes: int) -> tuple[int, Path]:
    """Decrypt ``path`` into a new in-memory file: its descriptor and ``/proc/self/fd`` path.

    The caller closes the descriptor; the clear bytes vanish with it.
    """
    descriptor = os.memfd_create("likvard-upload", os.MFD_CLOEXEC)
    try:
        with os.fdopen(os.dup(descriptor), "wb") as out:
            unseal_to(path, key, out, max_bytes=max_bytes)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, Path(f"/proc/self/fd/{descriptor}")


def _read_header(handle: BinaryIO) -> bytes:
    head = handle.read(len(MAGIC) + _SALT_BYTES)
    if len(head) < len(MAGIC) + _SALT_BYTES or not head.startswith(MAGIC):
        raise FileRefused("file_unreadable", "not a sealed file")
    return head[len(MAGIC) :]


def _nonce(number: int) -> bytes:
    return number.to_bytes(12, "big")
