"""Meeting-notes import: extract text (TXT, DOCX, PDF, OCR), repair Swedish letters, parse.

Pipeline: ``extract(path)`` → ``repair_text(text).text`` → ``parse_notes(text)``; the
``fingerprint`` of the repaired text identifies a re-import of the same notes.

The names are imported on first use (PEP 562), so a child process that only extracts text
(``likvard_core.untrusted.run_limited``) does not pay for the repair lexicon and the parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager: light, and named like their modules (a submodule import would shadow a lazy name).
from likvard_core.notes.extract import ExtractedText, ExtractionMethod, extract
from likvard_core.notes.fingerprint import fingerprint

if TYPE_CHECKING:
    from likvard_core.notes.cer import character_error_rate
    from likvard_core.notes.models import (
        AgendaItem,
        AttendanceMode,
        Attendee,
        Decision,
        ParsedNotes,
        SlideMention,
    )
    from likvard_core.notes.parse import parse_notes
    from likvard_core.notes.repair import Repair, RepairReason, RepairResult, repair_text

_MODULES = {
    "character_error_rate": "cer",
    "AgendaItem": "models",
    "AttendanceMode": "models",
    "Attendee": "models",
    "Decision": "models",
    "ParsedNotes": "models",
    "SlideMention": "models",
    "parse_notes": "parse",
    "Repair": "repair",
    "RepairReason": "repair",
    "RepairResult": "repair",
    "repair_text": "repair",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "AgendaItem",
    "AttendanceMode",
    "Attendee",
    "Decision",
    "ExtractedText",
    "ExtractionMethod",
    "ParsedNotes",
    "Repair",
    "RepairReason",
    "RepairResult",
    "SlideMention",
    "character_error_rate",
    "extract",
    "fingerprint",
    "parse_notes",
    "repair_text",
]
