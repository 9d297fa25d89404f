"""The analysis basis as a file: XLSX, PDF, PPTX or DOCX, rendered by ``likvard.exports``.

The basis handed in is already released for the viewer, so the files hold exactly what the
page shows: a hidden figure is written as its mark ('..') with the reason, never as a number.
"""

from __future__ import annotations

from collections.abc import Mapping

from likvard.access.policy import Viewer
from likvard.exports.files import CONTENT_TYPES, FORMATS, ExportFile, render
from likvard.organisations import selectors as organisations
from likvard.quality.services.basis_document import basis_document
from likvard_core.analytics.quality.basis import AnalysisBasis

__all__ = ["CONTENT_TYPES", "FORMATS", "ExportFile", "basis_file", "basis_filename"]


def basis_filename(basis: AnalysisBasis, fmt: str) -> str:
    """``analysunderlag-<code>-<year>.<fmt>``."""
    return f"analysunderlag-{basis.subject_code}-{basis.school_year}.{fmt}"


def basis_file(*, basis: AnalysisBasis, fmt: str) -> ExportFile:
    """The basis rendered as ``fmt`` (one of ``FORMATS``)."""
    return render(basis_document(basis), fmt)


REGION_EXPORT = "quality.basis.region"
"""The name of the region's basis file among the worker's exports (``export_jobs``)."""
BACKGROUND_FORMATS = frozenset({"pdf", "pptx", "docx"})
"""The formats of a region's basis rendered by the worker (seconds each); XLSX is direct."""


def region_basis_export(viewer: Viewer, params: Mapping[str, str]) -> ExportFile:
    """A region's basis file (``params``: ``code``, ``year``, ``fmt``) for ``viewer``: the
    builder the worker calls for a queued export."""
    from likvard.quality.services.basis import region_basis  # noqa: PLC0415 (imports this)

    region = organisations.region_get(code=params["code"])
    basis = region_basis(viewer=viewer, region=region, year=int(params["year"]), channel="export")
    return basis_file(basis=basis, fmt=params["fmt"])
