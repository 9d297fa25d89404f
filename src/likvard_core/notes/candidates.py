"""Spelling variants of a word that OCR or a lossy export may have produced from Swedish text.

OCR without the Swedish model reads å/ä/ö as plain vowels or as look-alike glyphs: ``é``
(``Ordférande``), ``6`` (``6kad``), ``4`` (``4t``), ``d`` (``hdga``, ``utifrdn``) or two glyphs
(``Maénga``, ``go6ra``). ``variants`` lists the words a damaged token may have been, each with the
number of substitutions it took, so the repairer can score them against the lexicon.
"""

from __future__ import annotations

from collections.abc import Iterator

# What a plain vowel may have lost (the diacritics-lost case: a known word may still be wrong).
VOWEL_OPTIONS: dict[str, tuple[str, ...]] = {
    "a": ("ä", "å"),
    "o": ("ö",),
    "A": ("Ä", "Å"),
    "O": ("Ö",),
}
# Glyphs that stand for å/ä/ö in OCR output (only tried on words no lexicon knows).
GLYPH_OPTIONS: dict[str, tuple[str, ...]] = {
    "é": ("ö", "ä", "å", "e"),
    "É": ("Ö", "Ä", "Å", "E"),
    "6": ("ö",),
    "4": ("å", "ä"),
    "d": ("å", "ä", "ö"),
    "ó": ("ö", "å"),
    "á": ("å", "ä"),
    "à": ("å", "ä"),
}
# Two glyphs read from one letter with its diacritic.
PAIR_OPTIONS: dict[str, tuple[str, ...]] = {
    "aé": ("å", "ö", "ä"),
    "éa": ("ä", "å"),
    "oé": ("ö",),
    "o6": ("ö",),
    "éd": ("ä", "ö"),
    "ée": ("ä",),
    "dé": ("ö", "ä"),
}
MAX_EDITS = 3
MAX_VARIANTS = 1500


def _options(token: str, *, glyphs: bool) -> list[list[tuple[str, int]]]:
    """Split ``token`` into slots; each slot lists (text, edits) choices, the original first."""
    slots: list[list[tuple[str, int]]] = []
    i = 0
    while i < len(token):
        pair = token[i : i + 2]
        if glyphs and pair in PAIR_OPTIONS:
            # The pair either stays two characters (handled by the single-glyph slots) or merges.
            merged = [(pair, 0)] + [(option, 1) for option in PAIR_OPTIONS[pair]]
            single = [(pair[0], 0), *_single(pair[0], glyphs=glyphs)]
            second = [(pair[1], 0), *_single(pair[1], glyphs=glyphs)]
            slots.append(
                merged + [(a + b, ea + eb) for a, ea in single for b, eb in second if ea + eb]
            )
            i += 2
            continue
        char = token[i]
        slots.append([(char, 0), *_single(char, glyphs=glyphs)])
        i += 1
    return slots


def _single(char: str, *, glyphs: bool) -> list[tuple[str, int]]:
    choices = list(VOWEL_OPTIONS.get(char, ()))
    if glyphs:
        choices += [c for c in GLYPH_OPTIONS.get(char, ()) if c not in choices]
    return [(choice, 1) for choice in choices]


def variants(token: str, *, glyphs: bool) -> Iterator[tuple[str, int]]:
    """Yield (variant, edits) for ``token`` with 1..MAX_EDITS substitutions, fewest edits first.

    With ``glyphs`` False only plain vowels get diacritics; with True the OCR look-alike glyphs are
    tried as well. At most ``MAX_VARIANTS`` variants are produced.
    """
    slots = _options(token, glyphs=glyphs)
    produced = 0
    seen: set[str] = {token}
    for budget in range(1, MAX_EDITS + 1):
        for text in _expand(slots, 0, budget):
            if text in seen:
                continue
            seen.add(text)
            yield text, budget
            produced += 1
            if produced >= MAX_VARIANTS:
                return


def _expand(slots: list[list[tuple[str, int]]], start: int, budget: int) -> Iterator[str]:
    """Yield every spelling that uses exactly ``budget`` edits in ``slots[start:]``."""
    if start == len(slots):
        if budget == 0:
            yield ""
        return
    for choice, cost in slots[start]:
        if cost > budget:
            continue
        for rest in _expand(slots, start + 1, budget - cost):
            yield choice + rest
