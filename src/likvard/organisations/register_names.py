"""Organizer names as a person writes them, from Skolverket's register, which writes most of
them in capitals ("KUNGSBACKA KOMMUN", "PYSSLINGEN FÖRSKOLOR OCH SKOLOR AB")."""

from __future__ import annotations

import re

KEPT = frozenset({"AB", "HB", "KB", "&"})
"""Company forms and signs written as they are."""
LOWER = frozenset(
    {
        "KOMMUN",
        "OCH",
        "I",
        "PÅ",
        "FÖR",
        "AV",
        "MED",
        "EKONOMISK",
        "EKONOMISKA",
        "FÖRENING",
        "EK",
        "EK.",
        "FÖR.",
    }
)
"""Words written in lower case after the first word."""
_VOWEL = re.compile(r"[AEIOUYÅÄÖ]")
_ABBREVIATION = 4
"""A word of at most this many letters without a vowel is an abbreviation (SKF, LBS)."""


def _word(word: str, *, first: bool) -> str:
    if word in KEPT or (len(word) <= _ABBREVIATION and not _VOWEL.search(word)):
        return word
    if word.replace(".", "") in {"EK", "EKFÖR"}:
        return word.lower()
    if word in LOWER and not first:
        return word.lower()
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


def readable_name(name: str) -> str:
    """``name`` with capitals only where Swedish writes them, when the register wrote it all in
    capitals: "KUNGSBACKA KOMMUN" -> "Kungsbacka kommun", "SKF SVERIGE AKTIEBOLAG" ->
    "SKF Sverige Aktiebolag". A name with small letters is the organizer's own and kept."""
    if name != name.upper() or not re.search(r"[A-ZÅÄÖ]", name):
        return name
    words = name.split()
    return " ".join(_word(word, first=index == 0) for index, word in enumerate(words))
