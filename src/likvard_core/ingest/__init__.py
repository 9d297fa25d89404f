"""Import of files into validated Arrow tables; README.md maps the subpackages.

The public entry points are ``ingest_file`` and ``detect_columns``; see ``docs/imports/``.
"""

from __future__ import annotations

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import KINDS, ColumnMeaning, Preview
from likvard_core.ingest.pipeline import IngestResult, content_hash, detect_columns, ingest_file
from likvard_core.ingest.validation.table_checks import SchoolUnitScope

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
