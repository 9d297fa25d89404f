"""The bank's material on other apps' pages: registered in ``KnowledgeConfig.ready``.

Quality and networks sit below this app, so they ask registries of their own
(``quality.services.material``, ``networks.services.search_sources``) and this module fills them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from likvard.access.policy import KnowledgeAction, Viewer
from likvard.knowledge.models import Item, ItemKind
from likvard.knowledge.selectors import may, viewer_scope
from likvard.knowledge.services.search import Filters, knowledge_search, tag_choices
from likvard.networks.models import Attachment
from likvard.networks.services.search_sources import (
    SearchSource,
    SourceFilter,
    SourceHit,
    SourceSection,
    register_search_source,
)
from likvard.quality.services.material import MaterialLink, register_material_finder


def _detail(item: Item) -> str:
    parts = [str(item.get_kind_display())]
    if item.organisation:
        parts.append(item.organisation)
    if item.published_on:
        parts.append(str(item.published_on.year))
    return ", ".join(parts)


def _links(viewer: Viewer, items: QuerySet[Item]) -> list[MaterialLink]:
    scope = viewer_scope(viewer=viewer)
    found = items.filter(superseded_by__isnull=True).select_related("region", "network")
    return [
        MaterialLink(reverse("knowledge:item-detail", args=[i.pk]), i.title, _detail(i))
        for i in found.order_by("-published_on", "title")
        if may(viewer, scope, KnowledgeAction.READ, i)
    ]


def _attachment_actions(viewer: Viewer, key: str) -> list[MaterialLink]:
    attachment = (
        Attachment.objects.select_related("item__meeting__network").filter(pk=int(key)).first()
    )
    if attachment is None or not attachment.is_file:
        return []
    scope = viewer_scope(viewer=viewer)
    network = attachment.item.meeting.network
    if network.pk not in scope.editor_networks and network.region_id not in scope.editor_regions:
        return []
    url = reverse("knowledge:item-from-attachment", args=[attachment.pk])
    return [MaterialLink(url, _("Add to the knowledge bank"))]


def material_finder(viewer: Viewer, subject: str, key: str) -> list[MaterialLink]:
    """Items on a success factor or indicator (by code) or presented at an agenda item (by id);
    for a meeting's file, the action that puts it in the bank."""
    match subject:
        case "success_factor":
            return _links(viewer, Item.objects.filter(success_factors__code=key))
        case "indicator":
            return _links(viewer, Item.objects.filter(indicators__code=key))
        case "agenda_item" if key.isdigit():
            return _links(viewer, Item.objects.filter(presented_at__pk=int(key)))
        case "attachment" if key.isdigit():
            return _attachment_actions(viewer, key)
    return []


def material_finder_many(
    viewer: Viewer, subject: str, keys: Sequence[str]
) -> dict[str, list[MaterialLink]]:
    """``material_finder`` for many indicators at once (code → links): the viewer's scope
    computed once and the items read in one query, not both per indicator (an analysis basis
    flags tens of them). Other subjects are asked key by key."""
    if subject != "indicator":
        return {key: material_finder(viewer, subject, key) for key in keys}
    scope = viewer_scope(viewer=viewer)
    tagged = (
        Item.indicators.through.objects.filter(
            indicator__code__in=keys, item__superseded_by__isnull=True
        )
        .select_related("item", "indicator")
        .order_by("-item__published_on", "item__title")
    )
    found: dict[str, list[MaterialLink]] = {key: [] for key in keys}
    for row in tagged:
        item = row.item
        if may(viewer, scope, KnowledgeAction.READ, item):
            url = reverse("knowledge:item-detail", args=[item.pk])
            found[row.indicator.code].append(MaterialLink(url, item.title, _detail(item)))
    return found


def _filters(viewer: Viewer, params: Mapping[str, str]) -> list[SourceFilter]:
    kinds = (("", _("All kinds")), *((k.value, str(k.label)) for k in ItemKind))
    tags = (("", _("All tags")), *tag_choices())
    return [
        SourceFilter("kind", _("Kind of material (knowledge bank)"), kinds, params.get("kind", "")),
        SourceFilter("tag", _("Tagged with (knowledge bank)"), tags, params.get("tag", "")),
    ]


def _search(viewer: Viewer, query: str, params: Mapping[str, str]) -> SourceSection:
    hits = knowledge_search(
        viewer=viewer,
        query=query,
        filters=Filters(kind=params.get("kind", ""), tag=params.get("tag", "")),
        limit=50,
    )
    return SourceSection(
        _("Knowledge bank"),
        tuple(
            SourceHit(
                reverse("knowledge:item-detail", args=[h.item.pk]),
                h.title,
                h.snippet,
                _detail(h.item),
            )
            for h in hits
        ),
    )


def material_scope_text(viewer: Viewer) -> str:
    """All that decides which items ``viewer`` may read (``may``: signed in or not, and where
    they stand by region and network), as text."""
    scope = viewer_scope(viewer=viewer)
    fields = [(f.name, sorted(getattr(scope, f.name))) for f in dataclasses.fields(scope)]
    return repr((viewer.is_authenticated, fields))


def register_hooks() -> None:
    """Offer the bank's material to the quality pages and its items to the notes' search."""
    register_material_finder(
        "knowledge", material_finder, many=material_finder_many, scope=material_scope_text
    )
    register_search_source("knowledge", SearchSource(filters=_filters, search=_search))
