"""The analysis basis as a file: XLSX, PDF or PPTX, rendered by the core's exporters.

The basis handed in is already released for the viewer, so the files hold exactly what the
page shows: a hidden figure is written as its mark ('..') with the reason, never as a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from likvard_core.quality.basis import AnalysisBasis

FORMATS: tuple[str, ...] = ("xlsx", "pdf", "pptx")
CONTENT_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A rendered file: its bytes, MIME type and download name."""

    content: bytes
    content_type: str
    filename: str


def basis_filename(basis: AnalysisBasis, fmt: str) -> str:
    """``analysunderlag-<code>-<year>.<fmt>``."""
    return f"analysunderlag-{basis.subject_code}-{basis.school_year}.{fmt}"


def basis_file(*, basis: AnalysisBasis, fmt: str) -> ExportFile:
    """The basis rendered as ``fmt`` (one of ``FORMATS``)."""
    # Imported here: WeasyPrint, python-pptx and vl-convert are slow to import, and most
    # requests render no file.
    from likvard_core.quality.export.pdf import basis_pdf  # noqa: PLC0415
    from likvard_core.quality.export.pptx import basis_pptx  # noqa: PLC0415
    from likvard_core.quality.export.xlsx import basis_xlsx  # noqa: PLC0415

    renderers = {"xlsx": basis_xlsx, "pdf": basis_pdf, "pptx": basis_pptx}
    if fmt not in renderers:
        raise ValueError(f"unknown format: {fmt}")
    return ExportFile(
        content=renderers[fmt](basis),
        content_type=CONTENT_TYPES[fmt],
        filename=basis_filename(basis, fmt),
    )
