"""A stable fingerprint of a notes text, to recognise a re-import of the same notes."""

from __future__ import annotations

import hashlib
import unicodedata

FINGERPRINT_PREFIX = "notes-sha256:"


def normalise_for_fingerprint(text: str) -> str:
    """Return ``text`` in NFC with LF line ends, trailing spaces and blank-line runs removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.replace("\ufeff", "").split("\n")]
    return "\n".join(line for line in lines if line).strip()


def fingerprint(text: str) -> str:
    """Return ``notes-sha256:<hex>`` of the normalised text: same words and lines, same value.

    Differences only in encoding form (NFC/NFD), line endings, trailing whitespace or blank
    lines give the same fingerprint; any change of a character in a line gives another.
    """
    digest = hashlib.sha256(normalise_for_fingerprint(text).encode("utf-8")).hexdigest()
    return FINGERPRINT_PREFIX + digest
