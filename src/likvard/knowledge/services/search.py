"""Searching the bank with Swedish stemming, filtered by tag and kind, matches highlighted.

The same machinery as the notes' search (``likvard.networks.services.search``): on SQLite an
FTS5 table of Swedish Snowball stems (migration 0002), rewritten by the services that write an
item; on PostgreSQL the built-in ``swedish`` configuration over the items and their files' text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection

from likvard.access.policy import Viewer
from likvard.knowledge.models import Item
from likvard.knowledge.selectors import Scope, readable_items, viewer_scope
from likvard.networks.services.search import Fragment, highlight, stems

_SNIPPET_WORDS = 14


def _document(item: Item) -> str:
    tags = [
        *(f.title for f in item.success_factors.all()),
        *(g.title for g in item.goals.all()),
        *(t.name for t in item.topics.all()),
        *(r.name for i in item.indicators.all() for r in i.revisions.all()[:1]),
    ]
    files = [f"{f.title} {f.text}" for f in item.files.all()]
    parts = [item.title, item.summary, item.authors, item.organisation, item.project, *tags, *files]
    return " ".join(parts)


def knowledge_index(*, item: Item) -> None:
    """Rewrite ``item``'s row in the FTS5 index (SQLite; PostgreSQL needs no index table)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM knowledge_search WHERE item_id = %s", [item.pk])
        cursor.execute(
            "INSERT INTO knowledge_search (item_id, stems) VALUES (%s, %s)",
            [item.pk, " ".join(stems(_document(item)))],
        )


def _matching_ids(query: str) -> set[int]:
    query_stems = stems(query)
    if not query_stems:
        return set()
    if connection.vendor == "postgresql":
        found = Item.objects.annotate(
            document=SearchVector(
                "title", "summary", "authors", "organisation", "files__text", config="swedish"
            )
        ).filter(document=SearchQuery(query, config="swedish"))
        return set(found.values_list("pk", flat=True))
    match = " ".join('"' + s.replace('"', '""') + '"' for s in query_stems)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item_id FROM knowledge_search WHERE knowledge_search MATCH %s", [match]
        )
        return {int(row[0]) for row in cursor.fetchall()}


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrowing a search: a kind, and a tag as ``factor:<code>``, ``goal:<code>``,
    ``indicator:<code>``, ``form:<school form>``, ``analysis:<key>`` or ``topic:<id>``."""

    kind: str = ""
    tag: str = ""


def _has_tag(item: Item, tag: str) -> bool:
    family, _, value = tag.partition(":")
    tests = {
        "factor": lambda: any(f.code == value for f in item.success_factors.all()),
        "goal": lambda: any(g.code == value for g in item.goals.all()),
        "indicator": lambda: any(i.code == value for i in item.indicators.all()),
        "form": lambda: value in item.school_forms,
        "analysis": lambda: value in item.analyses,
        "topic": lambda: any(str(t.pk) == value for t in item.topics.all()),
    }
    test = tests.get(family)
    return test is not None and test()


@dataclass(frozen=True, slots=True)
class Hit:
    """A matching item the viewer may read, its title and a snippet highlighted."""

    item: Item
    title: tuple[Fragment, ...]
    snippet: tuple[Fragment, ...]


def _snippet(text: str, query_stems: set[str]) -> tuple[Fragment, ...]:
    fragments = highlight(" ".join(text.split()), query_stems)
    first = next((i for i, f in enumerate(fragments) if f.hit), 0)
    start = max(0, first - _SNIPPET_WORDS)
    cut = fragments[start : first + 2 * _SNIPPET_WORDS]
    prefix = (Fragment("… ", False),) if start else ()
    suffix = (Fragment(" …", False),) if first + 2 * _SNIPPET_WORDS < len(fragments) else ()
    return prefix + cut + suffix


def knowledge_search(
    *,
    viewer: Viewer,
    query: str = "",
    filters: Filters = Filters(),
    scope: Scope | None = None,
    limit: int = 100,
) -> list[Hit]:
    """Items the viewer may read matching every word of ``query`` (Swedish stems; all items
    when it is empty) and ``filters``, newest edit first, with highlighted fragments."""
    items = readable_items(viewer=viewer, scope=scope or viewer_scope(viewer=viewer))
    if query.strip():
        ids = _matching_ids(query)
        items = [i for i in items if i.pk in ids]
    if filters.kind:
        items = [i for i in items if i.kind == filters.kind]
    if filters.tag:
        items = [i for i in items if _has_tag(i, filters.tag)]
    query_stems = set(stems(query))
    hits = []
    for item in items[:limit]:
        text = item.summary
        if query_stems and not any(f.hit for f in highlight(text, query_stems)):
            text = " ".join(f.text for f in item.files.all()) or item.summary
        hits.append(Hit(item, highlight(item.title, query_stems), _snippet(text, query_stems)))
    return hits


def tag_choices() -> list[tuple[str, str]]:
    """Every tag an item can carry, as (filter value, Swedish name), by vocabulary."""
    from likvard.knowledge.models import Analysis, Topic  # noqa: PLC0415 (avoid a cycle)
    from likvard.quality.forms import SCHOOL_FORM_LABELS  # noqa: PLC0415
    from likvard.quality.models import Goal, Indicator, SuccessFactor  # noqa: PLC0415

    choices = [(f"factor:{f.code}", str(f.title)) for f in SuccessFactor.objects.all()]
    shared = Indicator.objects.filter(region__isnull=True, organizer__isnull=True)
    for indicator in shared.prefetch_related("revisions"):  # two queries, not one per indicator
        revision = indicator.revisions.first()  # the newest, from the prefetched (ordered) list
        choices.append(
            (f"indicator:{indicator.code}", revision.name if revision else indicator.code)
        )
    choices += [(f"goal:{g.code}", str(g.title)) for g in Goal.objects.all()]
    choices += [(f"form:{code}", str(label)) for code, label in SCHOOL_FORM_LABELS.items()]
    choices += [(f"analysis:{a.value}", str(a.label)) for a in Analysis]
    choices += [(f"topic:{t.pk}", t.name) for t in Topic.objects.order_by("name")]
    return choices
