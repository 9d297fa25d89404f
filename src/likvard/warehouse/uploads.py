"""Import uploads sealed as they arrive: no clear byte of an uploaded file reaches a disk.

Django keeps an upload in memory up to 2.5 MB and writes larger ones to the system's temporary
folder, in clear, until the request ends. The import page uses ``SealedUploadHandler``
instead: each chunk is encrypted (``likvard_core.untrusted.sealed``, a key per file derived
from the server's secret) as it arrives, into a private file under the upload folder, while
the SHA-256 and the line count of the clear bytes are taken on the way. Validation decrypts it
in memory, in the child process that reads it (``likvard_core.ingest.limited``).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from likvard.warehouse.selectors import upload_dir
from likvard.warehouse.services import upload_secret
from likvard_core.untrusted.sealed import SealedWriter

INCOMING_DIR = ".incoming"


class SealedUpload(UploadedFile):
    """An uploaded file that exists only sealed at ``sealed_path``.

    ``content_hash`` is the SHA-256 of its clear bytes (hex) and ``lines`` their newline
    count. It has no readable content here: ``read`` and ``chunks`` give nothing.
    """

    def __init__(self, *, name: str, content_type: str | None, charset: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=0, charset=charset)
        folder = upload_dir() / INCOMING_DIR
        folder.mkdir(mode=0o700, exist_ok=True)
        self.sealed_path = folder / secrets.token_hex(16)
        self._writer = SealedWriter(self.sealed_path, upload_secret())
        self._digest = hashlib.sha256()
        self.lines = 0
        self.content_hash = ""

    def add(self, data: bytes) -> None:
        """Seal one arriving chunk."""
        self._writer.write(data)
        self._digest.update(data)
        self.lines += data.count(b"\n")

    def finish(self, size: int) -> None:
        """The last chunk has arrived."""
        self._writer.close()
        self.size = size
        self.content_hash = self._digest.hexdigest()

    def discard(self) -> None:
        """Delete the sealed file (an upload that was not used)."""
        self._writer.abort()
        self.sealed_path.unlink(missing_ok=True)

    def chunks(self, chunk_size: int | None = None) -> Any:
        """Nothing: the clear content is never available in this process."""
        return iter(())

    def close(self) -> None:
        """Nothing to close."""


class SealedUploadHandler(FileUploadHandler):
    """Seal every file of the request as it arrives (the only handler of the import page)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.upload: SealedUpload | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        """Start sealing a new file."""
        super().new_file(*args, **kwargs)
        self.upload = SealedUpload(
            name=self.file_name or "fil", content_type=self.content_type, charset=self.charset
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Seal the chunk; nothing goes on to other handlers."""
        assert self.upload is not None  # noqa: S101  # new_file came first
        self.upload.add(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        """The sealed upload, finished."""
        assert self.upload is not None  # noqa: S101
        self.upload.finish(file_size)
        return self.upload

    def upload_interrupted(self) -> None:
        """A cut-off request leaves no sealed file behind."""
        if self.upload is not None:
            self.upload.discard()


def sealed_upload_discard(upload: object) -> None:
    """Delete a sealed upload that no import job took (a form that did not validate)."""
    if isinstance(upload, SealedUpload):
        with contextlib.suppress(OSError):
            Path(upload.sealed_path).unlink(missing_ok=True)
