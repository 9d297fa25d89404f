"""Reference names the notes parser matches against: networks, municipalities, organisations.

From ``shared/reference/regions.md``: GR's education networks (section 4), GR's 13 and
Skaraborg's 15 member municipalities (sections 2 and 3), and the agencies the notes name.
Matching is tolerant: case, å/ä/ö, spaces and hyphens are folded, and OCR damage up to a small
edit distance is accepted (``MaolIndal`` → Mölndal, ``Ockerd`` → Öckerö).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

# Names up to this long must match exactly ("Ale", "Hjo", "GR"); up to the next, one edit.
EXACT_MAX_CHARS = 4
ONE_EDIT_MAX_CHARS = 6
GR_NETWORKS: tuple[str, ...] = (
    "Utbildningschefsnätverket",
    "Gymnasienätverket",
    "Kvalitetsnätverket",
    "IM-gruppen",
    "Vuxenutbildningsnätverket",
    "Vuxenutbildningssamverkan",
)
MUNICIPALITIES: tuple[str, ...] = (
    # GR
    "Ale", "Alingsås", "Göteborg", "Härryda", "Kungsbacka", "Kungälv", "Lerum", "Lilla Edet",
    "Mölndal", "Partille", "Stenungsund", "Tjörn", "Öckerö",
    # Skaraborg
    "Essunga", "Falköping", "Grästorp", "Gullspång", "Götene", "Hjo", "Karlsborg", "Lidköping",
    "Mariestad", "Skara", "Skövde", "Tibro", "Tidaholm", "Töreboda", "Vara",
)  # fmt: skip
ORGANISATIONS: tuple[str, ...] = (
    "GR",
    "Göteborgsregionen",
    "Skaraborgs kommunalförbund",
    "Skolverket",
    "Skolinspektionen",
    "SKR",
    "SPSM",
    "VGR",
    "Västra Götalandsregionen",
    "Göteborgs universitet",
)
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "a", "ø": "o"})
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` case-folded, without diacritics, spaces or punctuation (for matching)."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return _NON_ALNUM_RE.sub("", text)


def _tolerance(length: int) -> int:
    """Edits accepted for a folded name of ``length`` characters (none for short names)."""
    if length <= EXACT_MAX_CHARS:
        return 0
    if length <= ONE_EDIT_MAX_CHARS:
        return 1
    return 2


def match_name(text: str, names: tuple[str, ...]) -> str | None:
    """Return the name in ``names`` that ``text`` spells, allowing OCR damage, or None."""
    folded = fold(text)
    if not folded:
        return None
    best: tuple[int, str] | None = None
    for name in names:
        target = fold(name)
        distance = int(Levenshtein.distance(folded, target))
        if distance <= _tolerance(len(target)) and (best is None or distance < best[0]):
            best = (distance, name)
    return None if best is None else best[1]


def match_municipality(text: str) -> str | None:
    """Return the municipality that ``text`` (or its part before a comma) names, or None."""
    head = text.split(",", 1)[0].split("(", 1)[0]
    # "Stenungssund" is a common spelling of Stenungsund; the fold-and-distance match covers it.
    return match_name(head, MUNICIPALITIES)


def match_organisation(text: str) -> str | None:
    """Return the municipality or known organisation that ``text`` names, or None."""
    head = text.split(",", 1)[0].split("(", 1)[0]
    return match_name(head, MUNICIPALITIES) or match_name(head, ORGANISATIONS)


def find_networks(text: str) -> list[str]:
    """Return the GR networks named in ``text``, in order of first mention (OCR-tolerant)."""
    folded = fold(text)
    found: list[tuple[int, str]] = []
    for network in GR_NETWORKS:
        position = folded.find(fold(network))
        if position >= 0:
            found.append((position, network))
    return [network for _, network in sorted(found)]


def count_network_mentions(text: str) -> dict[str, int]:
    """Return how often each GR network is named in ``text`` (folded, so spacing is ignored)."""
    folded = fold(text)
    return {network: folded.count(fold(network)) for network in GR_NETWORKS}
