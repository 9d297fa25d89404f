"""The preview of an uploaded file (its first rows, personnummer masked), kept as JSON.

The preview is made first thing while the file is validated (in the child process that reads
it, ``likvard_core.ingest.limited``) and saved beside its pseudonymised staging, so the upload
page can show it while validation runs and after the sealed upload has been deleted.
"""

from __future__ import annotations

import json
from pathlib import Path

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import ColumnMeaning, Preview
from likvard_core.ingest.limited import PREVIEW_FILE

__all__ = ["PREVIEW_FILE", "upload_preview_load"]


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
