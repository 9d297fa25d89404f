"""A ``Document`` rendered as a file: bytes, MIME type and download name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from likvard.exports.document import Document, Medium

CONTENT_TYPES: dict[Medium, str] = {
    Medium.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Medium.PDF: "application/pdf",
    Medium.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    Medium.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
XLSX_TYPE = CONTENT_TYPES[Medium.XLSX]
PDF_TYPE = CONTENT_TYPES[Medium.PDF]
PPTX_TYPE = CONTENT_TYPES[Medium.PPTX]
DOCX_TYPE = CONTENT_TYPES[Medium.DOCX]
FORMATS: tuple[str, ...] = tuple(m.value for m in Medium)


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A rendered file: its bytes, MIME type and download name."""

    content: bytes
    content_type: str
    filename: str


def renderer(medium: Medium) -> Callable[[Document], bytes]:
    """The function that writes ``medium`` (imported on demand: the libraries are slow)."""
    if medium is Medium.XLSX:
        from likvard.exports.xlsx import workbook  # noqa: PLC0415

        return workbook
    if medium is Medium.PDF:
        from likvard.exports.pdf import pdf  # noqa: PLC0415

        return pdf
    if medium is Medium.PPTX:
        from likvard.exports.pptx import presentation  # noqa: PLC0415

        return presentation
    from likvard.exports.docx import word  # noqa: PLC0415

    return word


def render(document: Document, fmt: str | Medium) -> ExportFile:
    """``document`` as a file in ``fmt`` (xlsx, pdf, pptx or docx)."""
    try:
        medium = Medium(fmt)
    except ValueError:
        raise ValueError(f"unknown format: {fmt}") from None
    return ExportFile(
        content=renderer(medium)(document),
        content_type=CONTENT_TYPES[medium],
        filename=f"{document.filename}.{medium.value}",
    )
