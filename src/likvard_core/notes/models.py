"""Values the notes parser returns. All frozen: a parse is a fact about one text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class AttendanceMode(StrEnum):
    """Whether the meeting was held on site, digitally or both, when the notes say so."""

    ON_SITE = "on_site"
    DIGITAL = "digital"
    HYBRID = "hybrid"


@dataclass(frozen=True, slots=True)
class Attendee:
    """A person listed as present or absent.

    ``organisation`` is as written ("Göteborg, område Centrum"); ``municipality`` is the matched
    municipality, if it is one. ``roles`` are canonical Swedish role words ("ordförande");
    ``details`` keep the other bracketed remarks ("för & grund, gymn & vux"); ``item_number`` is
    set when the person is noted as presenting one item ("punkt 1").
    """

    name: str
    organisation: str | None
    municipality: str | None
    roles: tuple[str, ...]
    details: tuple[str, ...]
    present: bool
    item_number: int | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """A numbered agenda item: number, title, presenters (names), body text and first line."""

    number: int
    title: str
    presenters: tuple[str, ...]
    presenter_organisation: str | None
    body: str
    line: int


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision sentence and the item it belongs to (None outside numbered items)."""

    item_number: int | None
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action line ("Åtgärd: ...") and the item it belongs to (None outside numbered items).

    ``owner`` and ``organisation`` are the responsible person and their organisation, ``due``
    the date it is to be done by, each when the line states it.
    """

    item_number: int | None
    text: str
    owner: str | None
    organisation: str | None
    due: dt.date | None
    line: int


@dataclass(frozen=True, slots=True)
class SlideMention:
    """A note that slides or a presentation are attached, with its item and line."""

    item_number: int | None
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class ParsedNotes:
    """Everything the parser found in one meeting's notes; ``text`` is the text parsed."""

    network: str | None
    meeting_date: dt.date | None
    place: str | None
    attendance_mode: AttendanceMode | None
    attendees: tuple[Attendee, ...]
    items: tuple[AgendaItem, ...]
    decisions: tuple[Decision, ...]
    slide_mentions: tuple[SlideMention, ...]
    links: tuple[str, ...]
    text: str
    fingerprint: str
    actions: tuple[ActionItem, ...] = ()

    @property
    def present(self) -> tuple[Attendee, ...]:
        """Return the attendees listed as present."""
        return tuple(a for a in self.attendees if a.present)

    @property
    def absent(self) -> tuple[Attendee, ...]:
        """Return the attendees listed as absent."""
        return tuple(a for a in self.attendees if not a.present)

    def item(self, number: int) -> AgendaItem | None:
        """Return the agenda item with ``number``, or None."""
        return next((i for i in self.items if i.number == number), None)
