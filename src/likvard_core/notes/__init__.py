"""Meeting-notes import: extract text (TXT, DOCX, PDF, OCR), repair Swedish letters, parse.

Pipeline: ``extract(path)`` → ``repair_text(text).text`` → ``parse_notes(text)``; the
``fingerprint`` of the repaired text identifies a re-import of the same notes.
"""

from likvard_core.notes.cer import character_error_rate
from likvard_core.notes.extract import ExtractedText, ExtractionMethod, extract
from likvard_core.notes.fingerprint import fingerprint
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
