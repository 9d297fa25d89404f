"""Full-text search over notes, with Swedish stemming, scoped to what the viewer may read.

SQLite: an FTS5 table (migration 0002) holds each item's words stemmed by the Swedish Snowball
stemmer (FTS5 has none), rewritten by the service that writes the item, never by a signal.
PostgreSQL: the items are searched with the built-in ``swedish`` text search configuration,
which is the same Snowball algorithm. Hits are highlighted by stem in Python for both.
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
from likvard.networks.models import AgendaItem, Attendance, Decision, Meeting, Network
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
    match = " ".join('"' + s.replace('"', '""') + '"' for s in query_stems)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item_id FROM networks_search WHERE networks_search MATCH %s", [match]
        )
        return {int(row[0]) for row in cursor.fetchall()}


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of text; ``hit`` when it is a word matching the query."""

    text: str
    hit: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching agenda item in a meeting the viewer may read, with highlighted fragments."""

    meeting_id: int
    item_id: int
    network: str
    held_on: dt.date | None
    item_number: int
    title: tuple[Fragment, ...]
    snippet: tuple[Fragment, ...]


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
    """Items matching ``query`` (all words, Swedish stems) in minutes the viewer may read,
    narrowed by ``network`` and ``filters``; newest meetings first."""
    meetings = _filtered(readable_meetings(viewer=viewer, network=network), filters)
    ids = _matching_item_ids(query)
    if not ids or not meetings:
        return []
    items = (
        AgendaItem.objects.filter(pk__in=ids, meeting_id__in=meetings)
        .prefetch_related("decisions")
        .order_by("-meeting__held_on", "meeting_id", "number")[:limit]
    )
    query_stems = set(stems(query))
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
