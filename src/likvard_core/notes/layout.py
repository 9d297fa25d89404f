"""Where the paragraphs of hard-wrapped notes begin and end.

Text from a PDF or OCR comes one printed line per line: paragraphs are wrapped at the page
width, and some extractions put a blank line after every line. Word text has one paragraph a
line and needs nothing. For wrapped text (hardly a line longer than ``WRAPPED_MAX_CHARS``, most
lines near the page width) a line ends its paragraph when it stops short of the width after a full
stop, or is short (a heading, a list line), or the next line opens a list item or an
"Åtgärd:" line; a blank line between two lines of one paragraph is then no break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WRAPPED_MAX_CHARS = 100
WRAPPED_MIN_WIDTH = 50
SHORT_OF_WIDTH = 0.85
HEADING_OF_WIDTH = 0.6
PERCENTILE = 0.9
LONG_LINES_SHARE = 0.05  # a few long lines (added by hand) do not make text unwrapped
ENDS_SENTENCE_RE = re.compile(r"[.!?:)]\s*$")
OPENS_LIST_RE = re.compile(r"^\s*(?:[-•*–]\s|\d{1,2}[.)]\s|[ÅA]tg[äa]rd)")


@dataclass(frozen=True, slots=True)
class Layout:
    """``soft``: indexes of blank lines inside a paragraph; ``hard``: indexes of lines that end
    a paragraph although no blank line follows."""

    soft: frozenset[int] = frozenset()
    hard: frozenset[int] = frozenset()


def text_layout(lines: list[str]) -> Layout:
    """The paragraph structure of ``lines``; empty (blank lines break) unless hard-wrapped."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    long_lines = sum(length > WRAPPED_MAX_CHARS for length in lengths)
    if not lengths or long_lines > LONG_LINES_SHARE * len(lengths):
        return Layout()
    width = lengths[int(len(lengths) * PERCENTILE)]
    if width < WRAPPED_MIN_WIDTH:
        return Layout()
    soft: set[int] = set()
    hard: set[int] = set()
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(filled):
        following = filled[position + 1] if position + 1 < len(filled) else None
        ends = _ends_paragraph(lines[index], lines[following] if following else "", width)
        if following is None:
            continue
        gap = range(index + 1, following)
        if ends and not gap:
            hard.add(index)
        elif not ends and len(gap) == 1:
            soft.add(index + 1)
    return Layout(frozenset(soft), frozenset(hard))


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    text = line.strip()
    if OPENS_LIST_RE.match(following) or OPENS_LIST_RE.match(line):
        return not following.strip()[:1].islower()
    if following.strip()[:1].islower():
        return False
    if len(text) < HEADING_OF_WIDTH * width:
        return True
    if len(text) > width:  # a line of its own, not wrapped
        return bool(ENDS_SENTENCE_RE.search(text))
    return bool(ENDS_SENTENCE_RE.search(text)) and len(text) < SHORT_OF_WIDTH * width
