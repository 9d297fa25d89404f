"""Reading an uploaded attachment: its type and size, its text, and a preview of it.

PDF: text and a PNG of the first page with pypdfium2 (PDFium, already installed with
pdfplumber). PPTX and DOCX: text with python-pptx / python-docx; the PNG is drawn by converting
the file to PDF with headless LibreOffice (``soffice``) when it is installed and can convert it,
otherwise the preview is text: the slide titles of a PPTX, the first paragraphs of a DOCX.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from likvard.networks.models import AttachmentKind

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
PREVIEW_WIDTH_PX = 960
SOFFICE_TIMEOUT_S = 90
_MAX_TEXT_CHARS = 500_000
_PREVIEW_PARAGRAPHS = 12
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
    """Validate an upload and read it: text, and a preview of its first page or slide."""
    kind = attachment_kind(name=name, data=data)
    try:
        if kind == AttachmentKind.PDF:
            return AttachmentReading(kind, _pdf_text(data), _pdf_first_page_png(data), "", "pdfium")
        if kind == AttachmentKind.PPTX:
            return _office_reading(kind, data, *_pptx_text(data), fallback="slide titles")
        return _office_reading(kind, data, *_docx_text(data), fallback="paragraphs")
    except AttachmentError:
        raise
    except Exception as error:  # a broken file surfaces from deep inside the readers
        raise AttachmentError(
            _("The file could not be read as %(kind)s.") % {"kind": kind.label}
        ) from error


def _office_reading(
    kind: AttachmentKind, data: bytes, text: str, preview_text: str, *, fallback: str
) -> AttachmentReading:
    pdf = office_to_pdf(data, suffix=f".{kind.value}")
    if pdf is not None:
        return AttachmentReading(kind, text, _pdf_first_page_png(pdf), "", "soffice+pdfium")
    return AttachmentReading(kind, text, None, preview_text, fallback)


def _pdf_text(data: bytes) -> str:
    import pypdfium2  # noqa: PLC0415 (native library, loaded only when reading a PDF)

    document = pypdfium2.PdfDocument(data)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return "\n".join(pages)[:_MAX_TEXT_CHARS]


def _pdf_first_page_png(data: bytes) -> bytes:
    import pypdfium2  # noqa: PLC0415 (native library, loaded only when reading a PDF)

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        bitmap = page.render(scale=PREVIEW_WIDTH_PX / page.get_width())
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", optimize=True)
    finally:
        document.close()
    return buffer.getvalue()


def _pptx_text(data: bytes) -> tuple[str, str]:
    """All text of the slides, and the slide titles numbered (the text preview)."""
    from pptx import Presentation  # noqa: PLC0415 (heavy import)

    slides = Presentation(io.BytesIO(data)).slides
    texts: list[str] = []
    titles: list[str] = []
    for number, slide in enumerate(slides, start=1):
        title = slide.shapes.title
        titles.append(f"{number}. {title.text_frame.text if title is not None else ''}".strip())
        texts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    return "\n".join(texts)[:_MAX_TEXT_CHARS], "\n".join(titles)


def _docx_text(data: bytes) -> tuple[str, str]:
    """All paragraphs of the document, and its first paragraphs (the text preview)."""
    from docx import Document  # noqa: PLC0415 (heavy import)

    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    return "\n".join(paragraphs)[:_MAX_TEXT_CHARS], "\n".join(paragraphs[:_PREVIEW_PARAGRAPHS])


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
