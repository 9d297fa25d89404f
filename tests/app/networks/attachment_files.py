"""Small PDF, PPTX and DOCX files with Swedish text, built in memory for the attachment tests."""

from __future__ import annotations

import io
from functools import cache

SLIDE_TEXT = "Beroendekartor visar elevernas resor mellan kommunerna."


@cache
def pdf_bytes() -> bytes:
    """A two-page PDF (WeasyPrint) whose first page holds ``SLIDE_TEXT``."""
    from weasyprint import HTML

    html = (
        '<html lang="sv"><body><h1>Elevrörelser</h1><p>'
        + SLIDE_TEXT
        + '</p><p style="page-break-before:always">Andra sidan om programutbudet.</p></body></html>'
    )
    return bytes(HTML(string=html).write_pdf() or b"")


def pptx_bytes() -> bytes:
    """Two slides: "Utbud 2026" with ``SLIDE_TEXT`` and "Antagning"."""
    from pptx import Presentation

    presentation = Presentation()
    for title, body in (("Utbud 2026", SLIDE_TEXT), ("Antagning", "Preliminär antagning.")):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A document with a heading and ``SLIDE_TEXT``."""
    import docx

    document = docx.Document()
    document.add_heading("Underlag till nätverket", level=1)
    document.add_paragraph(SLIDE_TEXT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
