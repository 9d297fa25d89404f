"""Full-text search over notes and attachments, with Swedish stemming, scoped to what the
viewer may read.

SQLite: FTS5 tables (migrations 0002 and 0004) hold each item's and each attachment's words
stemmed by the Swedish Snowball stemmer (FTS5 has none), rewritten by the service that writes
the item or stores the attachment, never by a signal. PostgreSQL: items and attachments are
searched with the built-in ``swedish`` text search configuration, which is the same Snowball
algorithm. Hits are highlighted by stem in Python for both.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection

from likvard.access.policy import Viewer
from likvard.networks.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Meeting,
    Network,
)
from likvard.networks.selectors import readable_meetings

_WORD = re.compile(r"\w+", re.UNICODE)
_SNIPPET_WORDS = 14


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("swedish")


def stems(text: str) -> list[str]:
    """The Swedish Snowball stems of the words in ``text``, lower-cased, in order."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return list(_stemmer().stemWords(words))


def _document(item: AgendaItem) -> str:
    decisions = " ".join(d.text for d in item.decisions.all())
    return f"{item.title} {item.presenter} {item.body} {decisions}"


def search_index_item(*, item: AgendaItem) -> None:
    """Rewrite ``item``'s row in the FTS5 index (SQLite; PostgreSQL needs no index table)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM networks_search WHERE item_id = %s", [item.pk])
        cursor.execute(
            "INSERT INTO networks_search (item_id, meeting_id, stems) VALUES (%s, %s, %s)",
            [item.pk, item.meeting_id, " ".join(stems(_document(item)))],
        )


def search_index_attachment(*, attachment: Attachment) -> None:
    """Rewrite ``attachment``'s row in the FTS5 index (SQLite; PostgreSQL needs none)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM networks_attachment_search WHERE attachment_id = %s", [attachment.pk]
        )
        cursor.execute(
            "INSERT INTO networks_attachment_search (attachment_id, meeting_id, stems) "
            "VALUES (%s, %s, %s)",
            [
                attachment.pk,
                attachment.item.meeting_id,
                " ".join(stems(f"{attachment.title} {attachment.text}")),
            ],
        )


def search_unindex_attachment(*, attachment_id: int) -> None:
    """Remove an attachment's row from the FTS5 index (SQLite; PostgreSQL needs none)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM networks_attachment_search WHERE attachment_id = %s", [attachment_id]
        )


def _fts_match(query_stems: list[str]) -> str:
    return " ".join('"' + s.replace('"', '""') + '"' for s in query_stems)


def _matching_attachment_ids(query: str) -> set[int]:
    query_stems = stems(query)
    if not query_stems:
        return set()
    if connection.vendor == "postgresql":
        found = Attachment.objects.annotate(
            document=SearchVector("title", "text", config="swedish")
        ).filter(document=SearchQuery(query, config="swedish"))
        return set(found.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attachment_id FROM networks_attachment_search "
            "WHERE networks_attachment_search MATCH %s",
            [_fts_match(query_stems)],
        )
        return {int(row[0]) for row in cursor.fetchall()}


def _matching_item_ids(query: str) -> set[int]:
    query_stems = stems(query)
    if not query_stems:
        return set()
    if connection.vendor == "postgresql":
        search = SearchQuery(query, config="swedish")
        items = AgendaItem.objects.annotate(
            document=SearchVector("title", "presenter", "body", config="swedish")
        ).filter(document=search)
        decisions = Decision.objects.annotate(
            document=SearchVector("text", config="swedish")
        ).filter(document=search)
        return set(items.values_list("pk", flat=True)) | set(
            decisions.values_list("item_id", flat=True)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item_id FROM networks_search WHERE networks_search MATCH %s",
            [_fts_match(query_stems)],
        )
        return {int(row[0]) for row in cursor.fetchall()}


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of text; ``hit`` when it is a word matching the query."""

    text: str
    hit: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching agenda item, or attachment of an item (``attachment_id`` set, ``title``
    then the attachment's), in a meeting the viewer may read, with highlighted fragments."""

    meeting_id: int
    item_id: int
    network: str
    held_on: dt.date | None
    item_number: int
    title: tuple[Fragment, ...]
    snippet: tuple[Fragment, ...]
    attachment_id: int | None = None


def highlight(text: str, query_stems: set[str]) -> tuple[Fragment, ...]:
    """``text`` cut into fragments, the words whose stem is in ``query_stems`` marked as hits."""
    fragments: list[Fragment] = []
    position = 0
    for match in _WORD.finditer(text):
        if match.start() > position:
            fragments.append(Fragment(text[position : match.start()], False))
        word = match.group()
        fragments.append(Fragment(word, _stemmer().stemWord(word.casefold()) in query_stems))
        position = match.end()
    if position < len(text):
        fragments.append(Fragment(text[position:], False))
    return tuple(fragments)


def _snippet(text: str, query_stems: set[str]) -> tuple[Fragment, ...]:
    fragments = highlight(" ".join(text.split()), query_stems)
    first = next((i for i, f in enumerate(fragments) if f.hit), 0)
    start = max(0, first - _SNIPPET_WORDS)
    cut = fragments[start : first + 2 * _SNIPPET_WORDS]
    prefix = (Fragment("… ", False),) if start else ()
    suffix = (Fragment(" …", False),) if first + 2 * _SNIPPET_WORDS < len(fragments) else ()
    return prefix + cut + suffix


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Narrowing a search: meetings held in a date range, or attended by a person/organisation."""

    held_from: dt.date | None = None
    held_to: dt.date | None = None
    person: str = ""
    organisation: str = ""


def _filtered(meetings: list[Meeting], filters: SearchFilters) -> dict[int, Meeting]:
    kept = [
        m
        for m in meetings
        if (filters.held_from is None or (m.held_on and m.held_on >= filters.held_from))
        and (filters.held_to is None or (m.held_on and m.held_on <= filters.held_to))
    ]
    if filters.person or filters.organisation:
        attended = Attendance.objects.filter(meeting__in=kept)
        if filters.person:
            attended = attended.filter(person_name__icontains=filters.person)
        if filters.organisation:
            attended = attended.filter(organisation_name__icontains=filters.organisation)
        ids = set(attended.values_list("meeting_id", flat=True))
        kept = [m for m in kept if m.pk in ids]
    return {m.pk: m for m in kept}


def notes_search(
    *,
    viewer: Viewer,
    query: str,
    network: Network | None = None,
    filters: SearchFilters = SearchFilters(),
    limit: int = 50,
) -> list[SearchHit]:
    """Items and attachments matching ``query`` (all words, Swedish stems) in minutes the viewer
    may read, narrowed by ``network`` and ``filters``; newest meetings first."""
    meetings = _filtered(readable_meetings(viewer=viewer, network=network), filters)
    if not meetings or not stems(query):
        return []
    query_stems = set(stems(query))
    hits = _item_hits(_matching_item_ids(query), meetings, query_stems, limit)
    hits += _attachment_hits(_matching_attachment_ids(query), meetings, query_stems, limit)
    hits.sort(key=lambda h: (-(h.held_on or dt.date.min).toordinal(), h.meeting_id, h.item_number))
    return hits[:limit]


def _item_hits(
    ids: set[int], meetings: dict[int, Meeting], query_stems: set[str], limit: int
) -> list[SearchHit]:
    items = (
        AgendaItem.objects.filter(pk__in=ids, meeting_id__in=meetings)
        .prefetch_related("decisions")
        .order_by("-meeting__held_on", "meeting_id", "number")[:limit]
    )
    hits = []
    for item in items:
        meeting = meetings[item.meeting_id]
        body = " ".join([item.body, *(d.text for d in item.decisions.all())])
        hits.append(
            SearchHit(
                meeting_id=meeting.pk,
                item_id=item.pk,
                network=meeting.network.name,
                held_on=meeting.held_on,
                item_number=item.number,
                title=highlight(item.title, query_stems),
                snippet=_snippet(body, query_stems),
            )
        )
    return hits


def _attachment_hits(
    ids: set[int], meetings: dict[int, Meeting], query_stems: set[str], limit: int
) -> list[SearchHit]:
    attachments = (
        Attachment.objects.filter(pk__in=ids, item__meeting_id__in=meetings)
        .select_related("item")
        .order_by("-item__meeting__held_on", "item__meeting_id", "item__number", "pk")[:limit]
    )
    hits = []
    for attachment in attachments:
        meeting = meetings[attachment.item.meeting_id]
        hits.append(
            SearchHit(
                meeting_id=meeting.pk,
                item_id=attachment.item_id,
                network=meeting.network.name,
                held_on=meeting.held_on,
                item_number=attachment.item.number,
                title=highlight(attachment.title, query_stems),
                snippet=_snippet(attachment.text, query_stems),
                attachment_id=attachment.pk,
            )
        )
    return hits
