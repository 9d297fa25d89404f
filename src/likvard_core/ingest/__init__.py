"""Import of files into validated Arrow tables: readers, marks, personnummer, kinds.

The public entry points are ``ingest_file`` and ``detect_columns``; see ``docs/imports/``.
"""

from __future__ import annotations

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import KINDS, ColumnMeaning, Preview
from likvard_core.ingest.kinds.checks import SchoolUnitScope
from likvard_core.ingest.pipeline import IngestResult, content_hash, detect_columns, ingest_file

__all__ = [
    "KINDS",
    "ColumnMeaning",
    "IngestResult",
    "Issue",
    "Preview",
    "SchoolUnitScope",
    "content_hash",
    "detect_columns",
    "ingest_file",
]
