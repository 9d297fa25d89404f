"""The preview of an uploaded file (its first rows, personnummer masked), kept as JSON.

The preview is made while the file is validated and saved beside its pseudonymised staging,
so the upload page can still show it after the uploaded file (with its clear personnummer) has
been deleted.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import ColumnMeaning, Preview
from likvard_core.ingest.pipeline import detect_columns
from likvard_core.ingest.ss12000 import looks_like_ss12000, on_converted

PREVIEW_FILE = "preview.json"


def upload_preview(path: Path, kind: str) -> Preview | list[Issue]:
    """The file's preview; an SS 12000 bundle of enrolments is previewed as the rows it gives."""
    if kind != "enrolments" or not looks_like_ss12000(path):
        return detect_columns(path, kind)
    preview, conversion = on_converted(path, lambda csv_path: detect_columns(csv_path, kind))
    return list(conversion.issues) or preview


def upload_preview_save(folder: Path, preview: Preview | list[Issue]) -> None:
    """Keep ``preview`` (masked) in ``folder`` for the upload page."""
    if isinstance(preview, Preview):
        document: dict[str, object] = {"preview": dataclasses.asdict(preview)}
    else:
        document = {"issues": [dataclasses.asdict(issue) for issue in preview]}
    (folder / PREVIEW_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def upload_preview_load(folder: Path) -> Preview | list[Issue] | None:
    """The preview kept in ``folder``, or None when there is none."""
    try:
        document = json.loads((folder / PREVIEW_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if "issues" in document:
        return [Issue(**fields) for fields in document["issues"]]
    fields = document["preview"]
    return Preview(
        kind=fields["kind"],
        source=fields["source"],
        header_row=fields["header_row"],
        columns=tuple(ColumnMeaning(**column) for column in fields["columns"]),
        rows=tuple((number, tuple(cells)) for number, cells in fields["rows"]),
    )
