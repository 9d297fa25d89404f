"""The repaired text of a notes file alone, for checking the repair (``likvard notes repair``)."""

from __future__ import annotations

from pathlib import Path

from likvard_core.notes import extract, repair_text


def notes_repair_text(*, path: Path) -> tuple[str, int]:
    """The extracted, repaired text of ``path`` (same lines as extracted) and the repair count."""
    result = repair_text(extract(path).text)
    return result.text, len(result.repairs)
