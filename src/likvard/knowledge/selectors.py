"""Reading the knowledge bank: what a viewer may read and edit, an item, items due for review,
material on a success factor, indicator or agenda item.

The rules are ``access.policy.knowledge_allowed``; this module finds the viewer's standing
(editor of a region or network, member of a network, in a region) and asks it per item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from likvard.access.models import Role, RoleAssignment
from likvard.access.policy import (
    KnowledgeAction,
    KnowledgeStanding,
    Viewer,
    knowledge_allowed,
)
from likvard.knowledge.models import Editor, Item, ItemFile, Topic
from likvard.networks.models import Membership, MembershipRole, Network
from likvard.organisations.models import Region
from likvard.organisations.selectors import NotFoundError as LookupMissError


class NotFoundError(LookupMissError):
    """No such item, or none the viewer may read (shown as 404 either way)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Where the viewer stands in the bank, by region and network id (one lookup a request)."""

    regions: frozenset[int] = frozenset()
    editor_regions: frozenset[int] = frozenset()
    member_networks: frozenset[int] = frozenset()
    editor_networks: frozenset[int] = frozenset()

    def standing(self, *, region_id: int, network_id: int | None) -> KnowledgeStanding:
        """The standing for an item (or a bank) owned by the region and, maybe, a network."""
        return KnowledgeStanding(
            region_editor=region_id in self.editor_regions,
            network_editor=network_id is not None and network_id in self.editor_networks,
            network_member=network_id is not None and network_id in self.member_networks,
            in_region=region_id in self.regions,
        )

    @property
    def is_editor(self) -> bool:
        """True when the viewer edits some region's or network's bank."""
        return bool(self.editor_regions or self.editor_networks)


def viewer_scope(*, viewer: Viewer) -> Scope:
    """The viewer's ``Scope``: their roles' regions, memberships and editorships."""
    if viewer.user_id is None:
        return Scope()
    today = timezone.localdate()
    memberships: list[tuple[Any, ...]] = list(
        Membership.objects.filter(user_id=viewer.user_id)
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        )
        .values_list("network_id", "network__region_id", "role")
    )
    assignments: list[tuple[Any, ...]] = list(
        RoleAssignment.objects.filter(user_id=viewer.user_id).values_list(
            "role",
            "region_id",
            "organizer__municipality__regions",
            "school_unit__municipality__regions",
        )
    )
    regions = {r for row in assignments for r in row[1:] if r is not None}
    regions |= {region for _network, region, _role in memberships}
    named: list[tuple[Any, ...]] = list(
        Editor.objects.filter(user_id=viewer.user_id).values_list("region_id", "network_id")
    )
    editor_regions = {region for region, _network in named if region is not None}
    editor_regions |= {
        region
        for role, region, *_ in assignments
        if role == Role.REGIONAL_COORDINATOR and region is not None
    }
    editor_networks = {network for _region, network in named if network is not None}
    editor_networks |= {
        network
        for network, _region, role in memberships
        if role in (MembershipRole.SECRETARY, MembershipRole.COORDINATOR)
    }
    return Scope(
        regions=frozenset(regions | editor_regions),
        editor_regions=frozenset(editor_regions),
        member_networks=frozenset(network for network, _region, _role in memberships),
        editor_networks=frozenset(editor_networks),
    )


def may(viewer: Viewer, scope: Scope, action: KnowledgeAction, item: Item) -> bool:
    """Whether the viewer may do ``action`` on ``item`` (the policy, given their standing)."""
    standing = scope.standing(region_id=item.region_id, network_id=item.network_id)
    return knowledge_allowed(viewer, action, standing=standing, visibility=item.visibility)


def _items() -> QuerySet[Item]:
    return Item.objects.select_related("region", "network", "owner", "superseded_by")


def readable_items(*, viewer: Viewer, scope: Scope | None = None) -> list[Item]:
    """Every item the viewer may read, newest edit first."""
    scope = scope if scope is not None else viewer_scope(viewer=viewer)
    return [i for i in _items() if may(viewer, scope, KnowledgeAction.READ, i)]


def item_get(*, viewer: Viewer, pk: int) -> Item:
    """The item ``pk`` if the viewer may read it; raises ``NotFoundError`` otherwise (a page
    does not tell an outsider that a network's item exists)."""
    item = (
        _items()
        .prefetch_related(
            "files",
            "success_factors",
            "goals",
            "indicators",
            "topics",
            "presented_at__meeting__network",
        )
        .filter(pk=pk)
        .first()
    )
    if item is None or not may(viewer, viewer_scope(viewer=viewer), KnowledgeAction.READ, item):
        raise NotFoundError(pk)
    return item


def item_file_get(*, viewer: Viewer, pk: int) -> ItemFile:
    """The file ``pk`` if the viewer may read its item; raises ``NotFoundError`` otherwise."""
    stored = ItemFile.objects.select_related("item").filter(pk=pk).first()
    if stored is None:
        raise NotFoundError(pk)
    item_get(viewer=viewer, pk=stored.item_id)
    return stored


def topic_regions(*, scope: Scope) -> QuerySet[Region]:
    """The regions whose topic list the viewer keeps (as the region's editor)."""
    return Region.objects.filter(pk__in=scope.editor_regions).order_by("name")


def editable_regions(*, scope: Scope) -> list[Region]:
    """The regions whose bank the viewer edits (as region editor, or through a network)."""
    network_regions = Network.objects.filter(pk__in=scope.editor_networks).values("region_id")
    return list(
        Region.objects.filter(Q(pk__in=scope.editor_regions) | Q(pk__in=network_regions)).order_by(
            "name"
        )
    )


def editable_networks(*, scope: Scope) -> list[Network]:
    """The networks whose items the viewer may write (their own, or their regions')."""
    return list(
        Network.objects.filter(
            Q(pk__in=scope.editor_networks) | Q(region_id__in=scope.editor_regions)
        ).order_by("name")
    )


def topics_for(*, region_ids: set[int]) -> list[Topic]:
    """The free topics of the given regions' banks."""
    return list(Topic.objects.filter(region_id__in=region_ids).order_by("name"))


def items_due_for_review(*, viewer: Viewer, on: dt.date | None = None) -> list[Item]:
    """The viewer's own items whose review date has come (on or before ``on``, default today),
    not superseded, earliest first."""
    if viewer.user_id is None:
        return []
    day = on or timezone.localdate()
    return list(
        Item.objects.filter(
            owner_id=viewer.user_id, review_on__lte=day, superseded_by__isnull=True
        ).order_by("review_on", "pk")
    )


def public_items(*, limit: int = 50) -> list[Item]:
    """The newest public items by last edit (for the Atom feed)."""
    return list(
        Item.objects.filter(visibility="public")
        .select_related("region")
        .order_by("-updated_at")[:limit]
    )
