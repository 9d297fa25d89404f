"""The analysis basis as a file: XLSX, PDF, PPTX or DOCX, rendered by ``likvard.exports``.

The basis handed in is already released for the viewer, so the files hold exactly what the
page shows: a hidden figure is written as its mark ('..') with the reason, never as a number.
"""

from __future__ import annotations

from likvard.exports.files import CONTENT_TYPES, FORMATS, ExportFile, render
from likvard.quality.services.basis_document import basis_document
from likvard_core.analytics.quality.basis import AnalysisBasis

__all__ = ["CONTENT_TYPES", "FORMATS", "ExportFile", "basis_file", "basis_filename"]


def basis_filename(basis: AnalysisBasis, fmt: str) -> str:
    """``analysunderlag-<code>-<year>.<fmt>``."""
    return f"analysunderlag-{basis.subject_code}-{basis.school_year}.{fmt}"


def basis_file(*, basis: AnalysisBasis, fmt: str) -> ExportFile:
    """The basis rendered as ``fmt`` (one of ``FORMATS``)."""
    return render(basis_document(basis), fmt)
