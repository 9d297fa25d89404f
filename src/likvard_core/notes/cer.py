"""Character error rate (CER): Levenshtein edits per reference character."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

WHITESPACE_RE = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """Return ``text`` with every run of whitespace (including newlines) as one space, stripped."""
    return WHITESPACE_RE.sub(" ", text).strip()


def edit_distance(hypothesis: str, reference: str) -> int:
    """Return the Levenshtein distance (insertions, deletions, substitutions) between the texts."""
    return int(Levenshtein.distance(hypothesis, reference))


def character_error_rate(hypothesis: str, reference: str, *, collapse: bool = True) -> float:
    """Return edits / len(reference) (0.0 = identical); whitespace runs collapsed by default.

    An empty reference gives 0.0 for an empty hypothesis and 1.0 otherwise.
    """
    if collapse:
        hypothesis, reference = collapse_whitespace(hypothesis), collapse_whitespace(reference)
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return edit_distance(hypothesis, reference) / len(reference)
