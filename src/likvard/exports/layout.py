"""Sizing tables for a page or slide: how wide each column wants to be, which font size lets a
table fit, and how a table too wide for any size is split into groups of columns (the key
columns repeated in each), so that nothing is ever drawn past the edge."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from likvard.exports import cells
from likvard.exports.document import Kind, Table

CHAR_EM = 0.62
"""Average width of a character in ems: DejaVu Sans digits are 0.64 em, its letters less;
LibreOffice draws the slides' default font with DejaVu Sans where Calibri is missing."""
TEXT_CAP = 34
"""Characters a text column may take before it wraps."""
HEADER_LINES = 3
"""Lines a header may wrap to."""
BOLD = 1.15
"""How much wider a bold header word is than the same word in regular type."""


@dataclass(frozen=True, slots=True)
class Grid:
    """Texts of a table as written, and each column's wanted width in characters."""

    headers: list[str]
    rows: list[list[str]]
    wanted: list[float]


def grid(table: Table) -> Grid:
    """The table's texts and the characters each column wants (headers may wrap)."""
    headers = [c.header for c in table.columns]
    rows = [
        [cells.text(v, c) for v, c in zip(row, table.columns, strict=True)] for row in table.rows
    ]
    wanted: list[float] = []
    for index, column in enumerate(table.columns):
        longest = max((len(r[index]) for r in rows), default=0)
        if column.kind is Kind.TEXT:
            longest = min(longest, TEXT_CAP)
        words = round(BOLD * max((len(w) for w in column.header.split()), default=1)) + 1
        header = max(words, math.ceil(len(column.header) / HEADER_LINES))
        wanted.append(float(max(longest, header, 3)))
    return Grid(headers, rows, wanted)


TEXT_FLOOR = 14
"""Characters a text column keeps when a table is squeezed (it wraps onto more lines)."""


def squeeze(
    table: Table, wanted: Sequence[float], capacity: float, pad: float = 0.0
) -> list[float]:
    """``wanted`` with text columns narrowed (to ``TEXT_FLOOR`` at least, never below the
    longest header word) so the table fits ``capacity`` if it can; ``pad`` is added per column
    when summing."""
    widths = list(wanted)
    excess = sum(widths) + pad * len(widths) - capacity
    if excess <= 0:
        return widths
    texts = grid(table).rows
    floors = [
        max(
            TEXT_FLOOR,
            round(BOLD * max((len(w) for w in c.header.split()), default=1)) + 1,
            min(TEXT_CAP, max((len(w) for r in texts for w in r[i].split()), default=1)),
        )
        for i, c in enumerate(table.columns)
    ]
    slack = [
        max(0.0, w - f) if c.kind is Kind.TEXT else 0.0
        for w, f, c in zip(widths, floors, table.columns, strict=True)
    ]
    room = sum(slack)
    if room <= 0:
        return widths
    cut = min(1.0, excess / room)
    return [w - cut * s for w, s in zip(widths, slack, strict=True)]


def groups(wanted: Sequence[float], key: int, capacity: float) -> list[list[int]]:
    """Column indexes per part: the ``key`` columns, then about as many others in each part as
    fit ``capacity`` (in the unit of ``wanted``), the parts balanced; one part when all fit."""
    key = min(key, len(wanted))
    base = list(range(key))
    room = capacity - sum(wanted[i] for i in base)
    rest = list(range(key, len(wanted)))
    greedy, used = 1, 0.0
    for index in rest:  # how many parts filling each in turn takes
        if used and used + wanted[index] > room:
            greedy, used = greedy + 1, 0.0
        used += wanted[index]
    for count in range(greedy, len(rest) + 1):  # the fewest balanced parts that each fit
        size = math.ceil(len(rest) / count)
        parts = [rest[i : i + size] for i in range(0, len(rest), size)]
        if all(sum(wanted[i] for i in part) <= room for part in parts):
            return [base + part for part in parts]
    return [[*base, index] for index in rest] or [base]


def lines(text: str, width_chars: float) -> int:
    """Lines ``text`` takes in a column ``width_chars`` wide, wrapping at spaces."""
    if not text:
        return 1
    count, line = 1, 0
    for word in text.split():
        size = len(word)
        while size > width_chars:  # a word longer than the column breaks anywhere
            count += 1 if line else 0
            size -= int(width_chars)
            line = 0
        if line and line + 1 + size > width_chars:
            count, line = count + 1, size
        else:
            line = line + (1 if line else 0) + size
    return count + text.count("\n")


def part_suffix(columns: Sequence[int], key: int, parts: int, total: int) -> str:
    """`` (kolumn 2–8 av 20)``: which columns a part of a split table shows ('' when whole)."""
    if parts <= 1:
        return ""
    shown = [c + 1 for c in columns[key:]] or [c + 1 for c in columns]
    return " " + gettext("(columns %(first)d–%(last)d of %(total)d)") % {
        "first": shown[0], "last": shown[-1], "total": total,
    }  # fmt: skip


def continued(title: str, part: int, parts: int) -> str:
    """`` (2/3)`` after a title continued over several pages or slides."""
    return title if parts <= 1 else f"{title} ({part}/{parts})"
