"""Parse the text of Swedish network meeting notes into a ``ParsedNotes`` value.

General patterns of Swedish minutes, not the layout of one file: the network is found in the
heading (else the network named most often), the date only where the heading or a "Datum:" line
states it, attendance lists by their headings, items by their running numbers. Parse the output
of ``repair.repair_text`` when the text came from OCR: names and role words must be spelt right.
"""

from __future__ import annotations

import datetime as dt
import re

from likvard_core.notes.actions import find_actions
from likvard_core.notes.agenda import (
    find_decisions,
    find_item_spans,
    find_slide_mentions,
    parse_item,
)
from likvard_core.notes.attendance import (
    AttendanceSection,
    attendance_mode,
    find_sections,
    parse_sections,
)
from likvard_core.notes.dates import parse_date
from likvard_core.notes.fingerprint import fingerprint
from likvard_core.notes.layout import text_layout
from likvard_core.notes.models import AttendanceMode, Attendee, ParsedNotes
from likvard_core.notes.reference import count_network_mentions, find_networks, fold

HEADING_LINES = 6
LABEL_RE = re.compile(r"^\s*(datum|mötesdatum|tid|plats|lokal)\s*:\s*(.+?)\s*$", re.IGNORECASE)
DIGITAL_RE = re.compile(r"\b(digitalt|digital[at]? möte|teams|zoom)\b", re.IGNORECASE)
LINK_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+")


def _heading(lines: list[str], first_structure: int) -> list[str]:
    """Return the first non-blank lines before the first item or attendance list."""
    heading = [line.strip() for line in lines[:first_structure] if line.strip()]
    return heading[:HEADING_LINES]


def _network(heading: list[str], text: str) -> str | None:
    """Return the network named in the heading, else the one named most often, else None."""
    for line in heading:
        named = find_networks(line)
        if named:
            return named[0]
    counts = count_network_mentions(text)
    best = max(counts.values(), default=0)
    if best == 0:
        return None
    first_mentioned = find_networks(text)
    return next(n for n in first_mentioned if counts[n] == best)


def _labels(lines: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for line in lines:
        match = LABEL_RE.match(line)
        if match:
            labels.setdefault(fold(match.group(1)), match.group(2))
    return labels


def _meeting_date(heading: list[str], labels: dict[str, str]) -> dt.date | None:
    for key in ("datum", "motesdatum", "tid"):
        if key in labels and (found := parse_date(labels[key])) is not None:
            return found
    return next((d for line in heading if (d := parse_date(line)) is not None), None)


def _mode(
    heading: list[str], labels: dict[str, str], listed: AttendanceMode | None
) -> AttendanceMode | None:
    place = labels.get("plats", "") + " " + labels.get("lokal", "")
    stated = " ".join(heading) + " " + place
    if DIGITAL_RE.search(stated):
        on_site = listed == AttendanceMode.ON_SITE or bool(
            place.strip() and not DIGITAL_RE.search(place)
        )
        return AttendanceMode.HYBRID if on_site else AttendanceMode.DIGITAL
    return listed


def find_links(text: str) -> tuple[str, ...]:
    """Return the URLs in ``text`` in order, without duplicates or trailing punctuation."""
    links: list[str] = []
    for match in LINK_RE.finditer(text):
        link = match.group().rstrip(".,;:>")
        if link not in links:
            links.append(link)
    return tuple(links)


def parse_notes(text: str) -> ParsedNotes:
    """Return the ``ParsedNotes`` of one meeting's notes text."""
    lines = text.split("\n")
    sections = find_sections(lines)
    attendees = parse_sections(lines, sections)
    blocked = _attendance_lines(sections, attendees)
    spans = find_item_spans(lines, blocked)
    first_structure = min([s.heading for s in sections] + [s.start for s in spans] + [len(lines)])
    heading = _heading(lines, first_structure)
    labels = _labels(lines)
    people = tuple(a.name for a in attendees)
    layout = text_layout(lines)
    place = labels.get("plats") or labels.get("lokal")
    return ParsedNotes(
        network=_network(heading, text),
        meeting_date=_meeting_date(heading, labels),
        place=place,
        attendance_mode=_mode(heading, labels, attendance_mode(sections)),
        attendees=tuple(attendees),
        items=tuple(parse_item(lines, span, people, layout) for span in spans),
        decisions=tuple(find_decisions(lines, spans, layout)),
        slide_mentions=tuple(find_slide_mentions(lines, spans)),
        links=find_links(text),
        text=text,
        fingerprint=fingerprint(text),
        actions=tuple(find_actions(lines, spans)),
    )


def _attendance_lines(sections: list[AttendanceSection], attendees: list[Attendee]) -> set[int]:
    """Return 0-based indexes of attendance headings and of the lines their lists span."""
    blocked = {s.heading for s in sections}
    listed = sorted(a.line - 1 for a in attendees if a.line)
    for section in sections:
        after = [i for i in listed if i > section.heading]
        if after:
            blocked.update(range(section.heading, max(after) + 1))
    return blocked
