"""API of the networks app: networks, search over readable notes, open action items."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from likvard.access.policy import viewer_for
from likvard.networks import selectors
from likvard.networks.schemas import ActionItemOut, NetworkOut, SearchHitOut
from likvard.networks.services.search import notes_search
from likvard.organisations.schemas import TextParam

router = Router(tags=["networks"])


@router.get("/", response=list[NetworkOut], summary="Alla nätverk, de egna markerade")
def list_networks(request: HttpRequest) -> list[NetworkOut]:
    return [
        NetworkOut(
            code=s.network.code,
            name=s.network.name,
            region=s.network.region.code,
            parent=s.network.parent.code if s.network.parent else None,
            member=s.member,
            member_count=s.member_count,
            roles=[str(role.label) for role in s.roles],
        )
        for s in selectors.network_list(viewer=viewer_for(request.user))
    ]


@router.get(
    "/search",
    response=list[SearchHitOut],
    summary="Sök i anteckningar och bilagor du får läsa (svensk ordstamning)",
)
def search(request: HttpRequest, q: TextParam = "") -> list[SearchHitOut]:
    hits = notes_search(viewer=viewer_for(request.user), query=q) if q.strip() else []
    return [
        SearchHitOut(
            meeting_id=h.meeting_id,
            item_id=h.item_id,
            network=h.network,
            held_on=h.held_on,
            item_number=h.item_number,
            title="".join(f.text for f in h.title),
            snippet="".join(f.text for f in h.snippet),
            matched_words=sorted({f.text for f in (*h.title, *h.snippet) if f.hit}),
            attachment_id=h.attachment_id,
        )
        for h in hits
    ]


@router.get(
    "/action-items",
    response=list[ActionItemOut],
    summary="Öppna åtgärdspunkter i möten du får läsa",
)
def action_items(
    request: HttpRequest, person: TextParam = "", organisation: TextParam = ""
) -> list[ActionItemOut]:
    rows = selectors.action_items_open(
        viewer=viewer_for(request.user), person=person, organisation=organisation
    )
    return [
        ActionItemOut(
            text=a.text,
            owner_name=a.owner_name,
            organisation_name=a.organisation_name,
            due=a.due,
            network=a.item.meeting.network.name,
            meeting_id=a.item.meeting_id,
        )
        for a in rows
    ]
