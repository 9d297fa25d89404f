"""The text and a first-page picture of an attached PDF, PPTX or DOCX, read in a child process.

``read_document`` runs inside ``likvard_core.untrusted.run_limited``: PDF text and the first
page as PNG with pypdfium2 (PDFium), PPTX and DOCX text with python-pptx / python-docx. The PNG
travels back as base64 in the child's JSON answer.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from likvard_core.untrusted import FileRefused, Limits

PREVIEW_WIDTH_PX = 960
MAX_TEXT_CHARS = 500_000
PREVIEW_PARAGRAPHS = 12


def read_document(path: str, kind: str, *, limits: Limits) -> dict[str, str]:
    """``text``, ``preview_text`` and ``preview_png`` (base64, may be empty) of a document.

    ``kind`` is ``pdf``, ``pptx`` or ``docx``. Raises ``FileRefused`` for a PDF with more pages
    than ``limits.pages``.
    """
    data = Path(path).read_bytes()
    if kind == "pdf":
        text = pdf_text(data, limits=limits)
        png = pdf_first_page_png(data)
        return {"text": text, "preview_text": "", "preview_png": base64.b64encode(png).decode()}
    text, preview = pptx_text(data) if kind == "pptx" else docx_text(data)
    return {"text": text, "preview_text": preview, "preview_png": ""}


def pdf_text(data: bytes, *, limits: Limits | None = None) -> str:
    """All the text of a PDF's pages (at most ``MAX_TEXT_CHARS``)."""
    import pypdfium2  # noqa: PLC0415 (native library, loaded only when reading a PDF)

    document = pypdfium2.PdfDocument(data)
    try:
        if limits is not None and len(document) > limits.pages:
            raise FileRefused("too_many_pages", str(limits.pages))
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return "\n".join(pages)[:MAX_TEXT_CHARS]


def pdf_first_page_png(data: bytes) -> bytes:
    """The first page of a PDF as a PNG ``PREVIEW_WIDTH_PX`` wide."""
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


def pptx_text(data: bytes) -> tuple[str, str]:
    """All text of the slides, and the slide titles numbered (the text preview)."""
    from pptx import Presentation  # noqa: PLC0415 (heavy import)

    slides = Presentation(io.BytesIO(data)).slides
    texts: list[str] = []
    titles: list[str] = []
    for number, slide in enumerate(slides, start=1):
        title = slide.shapes.title
        titles.append(f"{number}. {title.text_frame.text if title is not None else ''}".strip())
        texts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    return "\n".join(texts)[:MAX_TEXT_CHARS], "\n".join(titles)


def docx_text(data: bytes) -> tuple[str, str]:
    """All paragraphs of the document, and its first paragraphs (the text preview)."""
    from docx import Document  # noqa: PLC0415 (heavy import)

    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    return "\n".join(paragraphs)[:MAX_TEXT_CHARS], "\n".join(paragraphs[:PREVIEW_PARAGRAPHS])
