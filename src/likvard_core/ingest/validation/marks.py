"""Skolverket's table marks and Swedish number formats.

A published cell is either a number or a mark. Marks become a missing value with a
``ValueStatus`` saying why; they are never read as zero.

| cell            | value     | status           |
|-----------------|-----------|------------------|
| ``.``           | None      | missing          |
| ``..``          | None      | too_few          |
| ``-`` / ``–``   | None      | not_applicable   |
| ``*``           | None      | too_few          |
| ``<5``, ``< 10``| None      | too_few          |
| ``~100``, ``~0``| 100, 0    | rounded          |
| empty           | None      | missing          |
| ``4 491``, ``83,2``, ``83.2`` | 4491, 83.2 | exists |
"""

from __future__ import annotations

import re

from likvard_core.terms import ValueStatus

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_PLAIN = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?")
_BELOW = re.compile(r"<\s*\d+")
_ROUNDED = re.compile(r"~\s*(\d+(?:[.,]\d+)?)")

MARKS: dict[str, ValueStatus] = {
    "": ValueStatus.MISSING,
    ".": ValueStatus.MISSING,
    "..": ValueStatus.TOO_FEW,
    "-": ValueStatus.NOT_APPLICABLE,
    "–": ValueStatus.NOT_APPLICABLE,
    "*": ValueStatus.TOO_FEW,
}
"""Marks that stand for a missing value, and why it is missing."""


def parse_number(text: str) -> float:
    """The number in ``text``: decimal comma or point, space thousands separators.

    ``4 491`` (also with a non-breaking or thin space) is 4491.0 and ``83,2`` is 83.2.
    Raises ``ValueError`` for anything else, marks included.
    """
    cleaned = text.strip()
    if _PLAIN.fullmatch(cleaned):
        return float(cleaned.replace(",", "."))
    if _GROUPED.fullmatch(cleaned):
        return float(cleaned.translate(_SPACES).replace(",", "."))
    raise ValueError("not a number")


def parse_marked(text: str) -> tuple[float | None, ValueStatus]:
    """A published cell as ``(value, status)``.

    Marks give ``(None, status)`` except ``~N``, which keeps N with status ``rounded``.
    Raises ``ValueError`` when the cell is neither a number nor a known mark.
    """
    cleaned = text.strip()
    status = MARKS.get(cleaned)
    if status is not None:
        return None, status
    rounded = _ROUNDED.fullmatch(cleaned)
    if rounded:
        return float(rounded.group(1).replace(",", ".")), ValueStatus.ROUNDED
    if _BELOW.fullmatch(cleaned):
        return None, ValueStatus.TOO_FEW
    return parse_number(cleaned), ValueStatus.EXISTS


def is_mark(text: str) -> bool:
    """True when ``text`` is one of the marks (not a number, not ``~N``)."""
    cleaned = text.strip()
    return cleaned in MARKS or bool(_BELOW.fullmatch(cleaned))
