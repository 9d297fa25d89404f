"""Numbered agenda items, their presenters, decisions and slide mentions in Swedish minutes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from likvard_core.notes.attendance import canonical_role
from likvard_core.notes.layout import Layout
from likvard_core.notes.models import AgendaItem, Decision, SlideMention
from likvard_core.notes.reference import match_organisation

ITEM_RE = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*?)\s*$")
MAX_TITLE_CHARS = 220
NAME_WORD = r"[A-ZÅÄÖÉ][a-zåäöéüóíáè]+"
PERSON = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}}"
PRESENTER_LINE_RE = re.compile(rf"^\s*(?P<name>{PERSON})\s*(?:,\s*(?P<org>[^.]+?))?\s*$")
TRAILING_PRESENTER_RE = re.compile(
    rf"^(?P<title>.*?\S)\s+(?P<name>{NAME_WORD}\s+{NAME_WORD}),?\s+(?P<org>[^,]+?)\s*,?\s*$"
)
BODY_PRESENTERS_RE = re.compile(
    rf"^\s*(?:[A-ZÅÄÖ][a-zåäö]+\s+)?(?P<names>{PERSON}(?:\s*(?:,|och)\s*{PERSON})*)"
    r"(?:\s*,[^,.]{1,120},)?\s+(?P<verb>[a-zåäö]+)\b"
)
SENTENCE_MARKER_RE = re.compile(r"\b(att|inleder|har|är)\b")
SUBHEADING_MAX_WORDS = 6
NAME_SPLIT_RE = re.compile(r"\s*(?:,|\boch\b)\s*")
DECISION_RE = re.compile(
    r"\b(beslöt|beslutar|beslutade|beslutades|fattade\s+beslut|utsåg|utser)\b|\bbeslut\s*:",
    re.IGNORECASE,
)
SLIDES_RE = re.compile(
    r"\b(bildspel\w*|bilderna|bilder|presentationen|powerpoint\w*|ppt)\b[^.]*\bbifoga\w*"
    r"|\bbifogad\w*\s+(presentation\w*|bildspel\w*|bilder\w*)",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")
NO_LAYOUT = Layout()
STOP_LINE_RE = re.compile(r"^\s*(antecknat av|vid protokollet|mötet avslutades)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ItemSpan:
    """Where an item sits: its number, the 0-based index of its title line and end (exclusive)."""

    number: int
    start: int
    end: int


def find_item_spans(lines: list[str], blocked: set[int]) -> list[ItemSpan]:
    """Return the numbered items in order; numbers must run 1, 2, 3 ... (a list in a body won't).

    ``blocked`` holds line indexes that belong to attendance lists.
    """
    starts: list[tuple[int, int]] = []
    expected = 1
    for index, line in enumerate(lines):
        match = ITEM_RE.match(line)
        if index in blocked or match is None or len(line) > MAX_TITLE_CHARS:
            continue
        number = int(match.group(1))
        if number == expected:
            starts.append((number, index))
            expected += 1
    spans = []
    for position, (number, start) in enumerate(starts):
        end = starts[position + 1][1] if position + 1 < len(starts) else len(lines)
        end = next(
            (i for i in range(start + 1, end) if i in blocked or STOP_LINE_RE.match(lines[i])), end
        )
        spans.append(ItemSpan(number, start, end))
    return spans


def _title_lines(lines: list[str], span: ItemSpan) -> tuple[str, int]:
    """Return the title (wrapped lines joined) and the index of the first line after it."""
    match = ITEM_RE.match(lines[span.start])
    title = match.group(2) if match else lines[span.start].strip()
    index = span.start + 1
    while index < span.end:
        following = lines[index].strip()
        if not following or not (title.endswith(",") or following[0].islower()):
            break
        title = f"{title} {following}"
        index += 1
    return title.strip(), index


def _known_presenter(title: str, people: tuple[str, ...]) -> tuple[str, str, str | None] | None:
    """Return (title, name, organisation) when a listed person's name ends the title."""
    for name in people:
        pattern = r"\s+".join(re.escape(part) for part in name.split())
        match = re.search(rf"\s({pattern})\b,?\s*(?P<org>[^,]*?)\s*,?\s*$", title)
        if match:
            return title[: match.start()].strip(" ,-–"), name, match.group("org") or None
    match = TRAILING_PRESENTER_RE.match(title)
    if match and match_organisation(match.group("org")):
        return match.group("title").strip(" ,-–"), match.group("name"), match.group("org")
    return None


def _paragraphs(
    lines: list[str], start: int, end: int, layout: Layout = NO_LAYOUT
) -> Iterator[tuple[int, str]]:
    """Yield (first line index, text) for each paragraph: a run of non-blank lines, or as
    ``layout`` reads hard-wrapped text."""
    buffer: list[str] = []
    first = start
    for index in range(start, end):
        line = lines[index].strip()
        if line and ITEM_RE.match(line):
            if buffer:
                yield first, " ".join(buffer)
                buffer = []
            yield index, line
            continue
        if line:
            if not buffer:
                first = index
            buffer.append(line)
            if index in layout.hard:
                yield first, " ".join(buffer)
                buffer = []
            continue
        if buffer and index not in layout.soft:
            yield first, " ".join(buffer)
            buffer = []
    if buffer:
        yield first, " ".join(buffer)


def _body_presenters(paragraphs: list[tuple[int, str]]) -> tuple[str, ...]:
    """Return names that open a paragraph followed by a verb ("Anna Brodin ... berättade")."""
    names: list[str] = []
    for _, text in paragraphs:
        if _is_subheading(text):
            break
        match = BODY_PRESENTERS_RE.match(text)
        if match is None:
            continue
        for name in NAME_SPLIT_RE.split(match.group("names")):
            if name and match_organisation(name) is None and name not in names:
                names.append(name)
    return tuple(names)


def _is_presenter_line(match: re.Match[str]) -> bool:
    """Return True for "Name, Organisation" lines, not for a sentence that opens with a name."""
    first_word = match.group("name").split()[0]
    organisation = match.group("org") or ""
    return (
        match_organisation(match.group("name")) is None
        and canonical_role(first_word) is None
        and SENTENCE_MARKER_RE.search(organisation) is None
    )


def _is_subheading(text: str) -> bool:
    """Return True for a short title-like paragraph ("Ventilen", "IM-gruppen (stående punkt)")."""
    return (
        len(text.split()) <= SUBHEADING_MAX_WORDS and text[0].isupper() and text[-1] not in ".!?:,"
    )


def parse_item(
    lines: list[str], span: ItemSpan, people: tuple[str, ...], layout: Layout = NO_LAYOUT
) -> AgendaItem:
    """Return the item of ``span``: title, presenters (title, presenter line or body), body."""
    title, body_start = _title_lines(lines, span)
    presenters: tuple[str, ...] = ()
    organisation = None
    found = _known_presenter(title, people)
    if found is not None:
        title, name, organisation = found
        presenters = (name,)
    else:
        following = next((i for i in range(body_start, span.end) if lines[i].strip()), None)
        match = PRESENTER_LINE_RE.match(lines[following]) if following is not None else None
        if following is not None and match and _is_presenter_line(match):
            presenters, organisation = (match.group("name"),), match.group("org")
            body_start = following + 1
    paragraphs = list(_paragraphs(lines, body_start, span.end, layout))
    if not presenters:
        presenters = _body_presenters(paragraphs)
    if organisation:
        organisation = organisation.strip(" ,") or None
    body = "\n\n".join(text for _, text in paragraphs)
    return AgendaItem(span.number, title, presenters, organisation, body, span.start + 1)


def item_number_at(spans: list[ItemSpan], index: int) -> int | None:
    """Return the number of the item whose span holds line ``index`` (0-based), or None."""
    return next((s.number for s in spans if s.start <= index < s.end), None)


def find_decisions(
    lines: list[str], spans: list[ItemSpan], layout: Layout = NO_LAYOUT
) -> list[Decision]:
    """Return every decision sentence ("beslöt", "beslutar", "Beslut: ...") with its item."""
    decisions = []
    for first, text in _paragraphs(lines, 0, len(lines), layout):
        for sentence in SENTENCE_END_RE.split(text):
            if DECISION_RE.search(sentence):
                index = _line_of(lines, first, sentence)
                decisions.append(
                    Decision(item_number_at(spans, index), sentence.strip(), index + 1)
                )
    return decisions


def _line_of(lines: list[str], first: int, sentence: str) -> int:
    """Return the index of the line, from ``first`` on, where ``sentence`` begins."""
    opening = " ".join(sentence.split()[:3])
    for index in range(first, len(lines)):
        if opening and opening in " ".join(lines[index].split()):
            return index
    return first


def find_slide_mentions(lines: list[str], spans: list[ItemSpan]) -> list[SlideMention]:
    """Return lines saying slides are attached ("Bildspelet bifogas anteckningarna")."""
    return [
        SlideMention(item_number_at(spans, index), line.strip(), index + 1)
        for index, line in enumerate(lines)
        if SLIDES_RE.search(line)
    ]
