"""Repair Swedish text damaged by OCR or PDF export, line by line, keeping the line count.

What is repaired, in order:

1. mojibake: UTF-8 read as Latin-1/CP1252 (``Ã¤`` → ``ä``);
2. stray ``|`` glyphs (dust specks at line ends, ``| amnen`` for ``I ämnen``);
3. words hyphenated across a line break (``kvalitets-`` / ``arbete``), moved up to the first line
   so that both lines survive; a genuine hyphen (``för-`` / ``och nackdelar``) stays;
4. lost or misread å/ä/ö, scored with wordfreq's Swedish frequencies and hunspell-sv
   (``likvard_core.notes.lexicon``): an unknown word becomes its best-known variant; a known word
   (``ar``, ``for``, ``fran``) is only replaced when the whole text shows lost diacritics and the
   variant is much more frequent (``är``, ``för``, ``från``);
5. a word split by a space, joined when a part is unknown and the joined word is known.

Anything the lexicon cannot vouch for is kept as it was, so unknown proper nouns pass unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from likvard_core.notes.candidates import variants
from likvard_core.notes.lexicon import SPELLING_ONLY_SCORE, Lexicon, zipf

# Below this share of å/ä/ö among letters the text has lost its diacritics (Swedish prose: ~4 %).
DIACRITICS_LOST_SHARE = 0.012
# A known word is replaced only by a variant this much more frequent (Zipf units, i.e. 10 times).
KNOWN_WORD_MARGIN = 1.0
# Each substitution costs this much score, so a closer variant wins a near tie.
EDIT_PENALTY = 0.3
# Characters that in Swedish text are more likely OCR misreadings of å/ä/ö than themselves.
SUSPICIOUS_GLYPHS = frozenset("é6É4óáà")
MIN_TOKEN_CHARS = 2
# A joined word must be attested in wordfreq (Zipf >= 1), not only accepted by hunspell.
SPLIT_JOIN_MIN_SCORE = 1.0
HYPHEN_KEEPERS = frozenset({"och", "eller", "samt", "respektive", "resp", "som", "till"})

TOKEN_RE = re.compile(r"(?<![\w|])[\w]+(?![\w|])")
MOJIBAKE_RE = re.compile(r"[ÃÂ][\x80-\xbf\u0152-\u2122]")
HYPHEN_END_RE = re.compile(r"(\w+)-\s*$")
NEXT_START_RE = re.compile(r"^(\s*)([a-zåäöé]\w*)")
BAR_BEFORE_WORD_RE = re.compile(r"(^|(?<=[.!?]\s))\|(?=\s+[a-zåäö])")
BAR_STRAY_RE = re.compile(r"\s*\|\s*$|^\s*\|\s*(?=\S)")


class RepairReason(StrEnum):
    """Why a piece of text was changed."""

    MOJIBAKE = "mojibake"
    STRAY_GLYPH = "stray_glyph"
    HYPHENATION = "hyphenation"
    UNKNOWN_WORD = "unknown_word"
    LOST_DIACRITICS = "lost_diacritics"
    SPLIT_WORD = "split_word"


@dataclass(frozen=True, slots=True)
class Repair:
    """One change: 1-based line number, the text before and after, and why."""

    line: int
    original: str
    replacement: str
    reason: RepairReason


@dataclass(frozen=True, slots=True)
class RepairResult:
    """Repaired text (same number of lines as the input) and the list of changes made."""

    text: str
    repairs: tuple[Repair, ...]
    diacritics_lost: bool


def diacritics_share(text: str) -> float:
    """Return the share of letters in ``text`` that are å, ä or ö (either case)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if c in "åäöÅÄÖ") / len(letters)


def repair_text(text: str, *, lexicon: Lexicon | None = None) -> RepairResult:
    """Return ``text`` repaired as described in the module docstring, with every change listed."""
    lexicon = lexicon if lexicon is not None else Lexicon()
    lines = text.split("\n")
    repairs: list[Repair] = []
    lines = [_fix_mojibake(line, number, repairs) for number, line in enumerate(lines, 1)]
    lines = [_fix_bars(line, number, repairs) for number, line in enumerate(lines, 1)]
    _join_hyphenated(lines, lexicon, repairs)
    lost = diacritics_share("\n".join(lines)) < DIACRITICS_LOST_SHARE
    lines = _fix_words(lines, lexicon, repairs, diacritics_lost=lost)
    lines = _join_split_words(lines, lexicon, repairs)
    repairs.sort(key=lambda r: r.line)
    return RepairResult(text="\n".join(lines), repairs=tuple(repairs), diacritics_lost=lost)


def _fix_mojibake(line: str, number: int, repairs: list[Repair]) -> str:
    if not MOJIBAKE_RE.search(line):
        return line
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = line.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        repairs.append(Repair(number, line, fixed, RepairReason.MOJIBAKE))
        return fixed
    return line


def _fix_bars(line: str, number: int, repairs: list[Repair]) -> str:
    if "|" not in line:
        return line
    fixed = BAR_BEFORE_WORD_RE.sub("I", line)
    fixed = BAR_STRAY_RE.sub("", fixed)
    if fixed != line:
        repairs.append(Repair(number, line, fixed, RepairReason.STRAY_GLYPH))
    return fixed


def _join_hyphenated(lines: list[str], lexicon: Lexicon, repairs: list[Repair]) -> None:
    """Move the rest of a word hyphenated at a line end up to its first half, in place."""
    found = []
    for index in range(len(lines) - 1):
        end = HYPHEN_END_RE.search(lines[index])
        start = NEXT_START_RE.match(lines[index + 1])
        if end is not None and start is not None:
            found.append((index, end, start))
    lexicon.prime(end.group(1) + start.group(2) for _, end, start in found)
    for index, end, start in found:
        head, tail = end.group(1), start.group(2)
        joined = head + tail
        if tail.casefold() in HYPHEN_KEEPERS or not lexicon.is_known(joined):
            continue
        lines[index] = lines[index][: end.start()] + joined
        lines[index + 1] = lines[index + 1][start.end() :].lstrip()
        repairs.append(Repair(index + 1, f"{head}-/{tail}", joined, RepairReason.HYPHENATION))


def suspicious_of(token: str) -> bool:
    """Return True when ``token`` holds a glyph OCR typically puts in place of å/ä/ö."""
    return any(c in SUSPICIOUS_GLYPHS for c in token)


def _has_digit(token: str) -> bool:
    """Return True for tokens like "6kad" or "4t": a letter word with a digit is OCR damage."""
    return any(c.isdigit() for c in token)


def _is_candidate_token(token: str) -> bool:
    letters = sum(1 for c in token if c.isalpha())
    digits = {c for c in token if c.isdigit()}
    return (
        len(token) >= MIN_TOKEN_CHARS and letters >= 1 and digits <= {"4", "6"} and "_" not in token
    )


def _fix_words(
    lines: list[str], lexicon: Lexicon, repairs: list[Repair], *, diacritics_lost: bool
) -> list[str]:
    tokens = {m.group() for line in lines for m in TOKEN_RE.finditer(line)}
    tokens = {t for t in tokens if _is_candidate_token(t)}
    lexicon.prime(tokens)
    choice = _choose_replacements(tokens, lexicon, diacritics_lost=diacritics_lost)
    fixed_lines: list[str] = []
    for number, line in enumerate(lines, 1):

        def substitute(match: re.Match[str], number: int = number) -> str:
            token = match.group()
            replacement = choice.get(token)
            if replacement is None:
                return token
            new, reason = replacement
            repairs.append(Repair(number, token, new, reason))
            return new

        fixed_lines.append(TOKEN_RE.sub(substitute, line))
    return fixed_lines


def _choose_replacements(
    tokens: set[str], lexicon: Lexicon, *, diacritics_lost: bool
) -> dict[str, tuple[str, RepairReason]]:
    """Map each token that should change to (replacement, reason)."""
    plans: dict[str, tuple[float | None, list[tuple[str, int]]]] = {}
    for token in tokens:
        original = lexicon.score(token)
        suspicious = suspicious_of(token)
        if not (diacritics_lost or (suspicious and (original is None or _has_digit(token)))):
            continue
        options = list(variants(token, glyphs=original is None or suspicious))
        if options:
            plans[token] = (original, options)
    # Known words can only lose to frequent variants, so hunspell is needed for unknown ones only.
    lexicon.prime(v for original, options in plans.values() if original is None for v, _ in options)
    choice: dict[str, tuple[str, RepairReason]] = {}
    for token, (original, options) in plans.items():
        best = _best_variant(options, lexicon, spelling=original is None)
        if best is None:
            continue
        variant, score = best
        if original is None:
            choice[token] = (variant, RepairReason.UNKNOWN_WORD)
        elif score >= original + (0.0 if _has_digit(token) else KNOWN_WORD_MARGIN) and (
            score > SPELLING_ONLY_SCORE
        ):
            choice[token] = (variant, RepairReason.LOST_DIACRITICS)
    return choice


def _best_variant(
    options: list[tuple[str, int]], lexicon: Lexicon, *, spelling: bool
) -> tuple[str, float] | None:
    """Return the best-scoring known variant and its raw score, or None when none is known."""
    best: tuple[float, str, float] | None = None
    for variant, edits in options:
        score = lexicon.score(variant) if spelling else _frequency_only(variant)
        if score is None:
            continue
        ranked = score - EDIT_PENALTY * edits
        if best is None or ranked > best[0]:
            best = (ranked, variant, score)
    return None if best is None else (best[1], best[2])


def _frequency_only(word: str) -> float | None:
    frequency = zipf(word)
    return frequency if frequency > 0.0 else None


def _split_pairs(line: str, lexicon: Lexicon) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Return adjacent word pairs (right to left) separated by one space with a part unknown."""
    matches = list(TOKEN_RE.finditer(line))
    pairs = []
    for left, right in zip(matches[::-1][1:], matches[::-1], strict=False):
        a, b = left.group(), right.group()
        if line[left.end() : right.start()] != " " or not (a.isalpha() and b.isalpha()):
            continue
        if b[0].islower() and not (lexicon.is_known(a) and lexicon.is_known(b)):
            pairs.append((left, right))
    return pairs


def _join_split_words(lines: list[str], lexicon: Lexicon, repairs: list[Repair]) -> list[str]:
    """Join two words separated by one space when a part is unknown and the whole is known."""
    lexicon.prime(m.group() for line in lines for m in TOKEN_RE.finditer(line))
    pairs = [_split_pairs(line, lexicon) for line in lines]
    lexicon.prime(left.group() + right.group() for found in pairs for left, right in found)
    joined_lines = []
    for number, (line, found) in enumerate(zip(lines, pairs, strict=True), 1):
        fixed = line
        for left, right in found:
            joined = left.group() + right.group()
            if (lexicon.score(joined) or 0.0) < SPLIT_JOIN_MIN_SCORE:
                continue
            fixed = fixed[: left.start()] + joined + fixed[right.end() :]
            original = f"{left.group()} {right.group()}"
            repairs.append(Repair(number, original, joined, RepairReason.SPLIT_WORD))
        joined_lines.append(fixed)
    return joined_lines
