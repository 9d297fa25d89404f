"""Reading an uploaded attachment: its type and size, its text, and a preview of it.

PDF: text and a PNG of the first page with pypdfium2 (PDFium, already installed with
pdfplumber). PPTX and DOCX: text with python-pptx / python-docx; the PNG is drawn by converting
the file to PDF with headless LibreOffice (``soffice``) when it is installed and can convert it,
otherwise the preview is text: the slide titles of a PPTX, the first paragraphs of a DOCX.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from likvard.networks.models import AttachmentKind
from likvard.networks.services.refusals import refusal_message
from likvard_core.notes.documents import PREVIEW_WIDTH_PX, pdf_first_page_png
from likvard_core.untrusted import FileRefused, Limits, inspect_file, run_limited

__all__ = ["PREVIEW_WIDTH_PX", "AttachmentError", "AttachmentReading", "attachment_read"]

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
ATTACHMENT_LIMITS = Limits(unpacked_bytes=64 << 20, pages=300, seconds=10.0)
"""Reading an attachment's text and first page: a request waits for it (gunicorn's 30 s)."""
SOFFICE_TIMEOUT_S = 15
_SUFFIXES = {".pdf": AttachmentKind.PDF, ".pptx": AttachmentKind.PPTX, ".docx": AttachmentKind.DOCX}
_ZIP_MARKERS = {
    AttachmentKind.PPTX: "ppt/presentation.xml",
    AttachmentKind.DOCX: "word/document.xml",
}


class AttachmentError(Exception):
    """The upload is not an attachment we accept (type, size, or an unreadable file)."""


@dataclass(frozen=True, slots=True)
class AttachmentReading:
    """What an uploaded file holds: its kind, its text, and a preview (PNG and/or text).

    ``method`` says how the preview was made (``pdfium``, ``soffice+pdfium``, ``slide titles``,
    ``paragraphs``), shown to the reader and useful when a preview looks wrong.
    """

    kind: AttachmentKind
    text: str
    preview_png: bytes | None
    preview_text: str
    method: str


def attachment_kind(*, name: str, data: bytes) -> AttachmentKind:
    """The kind of an upload named ``name``, checked against its content; raises
    ``AttachmentError`` with a message for the user when the type or size is not accepted."""
    if not data:
        raise AttachmentError(_("The file is empty."))
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(
            _("The file is larger than %(limit)d MB.")
            % {"limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    kind = _SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise AttachmentError(_("Attach a PDF, PPTX or DOCX file."))
    if kind == AttachmentKind.PDF:
        content_ok = data.startswith(b"%PDF-")
    else:
        content_ok = _zip_holds(data, _ZIP_MARKERS[kind])
    if not content_ok:
        raise AttachmentError(
            _("The file is named .%(suffix)s but is not a %(kind)s file.")
            % {"suffix": kind.value, "kind": kind.label}
        )
    return kind


def _zip_holds(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False


def attachment_read(*, name: str, data: bytes) -> AttachmentReading:
    """Validate an upload and read it: text, and a preview of its first page or slide.

    The file is inspected (``likvard_core.untrusted``: bombs, DTDs, PDF JavaScript, truncation)
    and read in a child process with memory and time limits; a refusal is an
    ``AttachmentError`` with a Swedish message, never an error of the request.
    """
    kind = attachment_kind(name=name, data=data)
    with tempfile.TemporaryDirectory(prefix="likvard-attachment-") as folder:
        path = Path(folder) / f"attachment.{kind.value}"
        path.write_bytes(data)
        try:
            inspect_file(path, limits=ATTACHMENT_LIMITS)
            reading = run_limited(
                "likvard_core.notes.documents:read_document",
                str(path),
                kind.value,
                limits=ATTACHMENT_LIMITS,
            )
        except FileRefused as refused:
            raise AttachmentError(refusal_message(refused)) from None
    png = base64.b64decode(reading["preview_png"]) if reading["preview_png"] else None
    if kind == AttachmentKind.PDF:
        return AttachmentReading(kind, reading["text"], png, "", "pdfium")
    fallback = "slide titles" if kind == AttachmentKind.PPTX else "paragraphs"
    return _office_reading(kind, data, reading["text"], reading["preview_text"], fallback=fallback)


def _office_reading(
    kind: AttachmentKind, data: bytes, text: str, preview_text: str, *, fallback: str
) -> AttachmentReading:
    pdf = office_to_pdf(data, suffix=f".{kind.value}")
    if pdf is not None:
        return AttachmentReading(kind, text, pdf_first_page_png(pdf), "", "soffice+pdfium")
    return AttachmentReading(kind, text, None, preview_text, fallback)


def office_to_pdf(data: bytes, *, suffix: str) -> bytes | None:
    """``data`` (a PPTX or DOCX) converted to PDF by headless LibreOffice, or None when
    ``soffice`` is not installed or cannot convert it (e.g. DOCX without LibreOffice Writer)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="likvard-soffice-") as folder:
        source = Path(folder) / f"attachment{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 (fixed arguments, our own temporary file)
                command, capture_output=True, timeout=SOFFICE_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            return None
        output = source.with_suffix(".pdf")
        return output.read_bytes() if output.is_file() else None
