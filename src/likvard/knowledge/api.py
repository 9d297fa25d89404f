"""API of the knowledge bank: search the items you may read, read one item."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from likvard.access.policy import viewer_for
from likvard.knowledge import selectors
from likvard.knowledge.models import Item
from likvard.knowledge.schemas import HitOut, ItemOut
from likvard.knowledge.services.search import Filters, knowledge_search

router = Router(tags=["knowledge"])


def _item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.pk,
        title=item.title,
        summary=item.summary,
        kind=item.kind,
        kind_name=str(item.get_kind_display()),
        visibility=item.visibility,
        region=item.region.code,
        network=item.network.code if item.network else None,
        organisation=item.organisation,
        authors=item.authors,
        published_on=item.published_on,
        review_on=item.review_on,
        superseded_by=item.superseded_by_id,
        success_factors=[f.code for f in item.success_factors.all()],
        indicators=[i.code for i in item.indicators.all()],
        school_forms=list(item.school_forms),
        files=[f.title for f in item.files.all()],
        links=[str(link.get("url", "")) for link in item.links],
        url=reverse("knowledge:item-detail", args=[item.pk]),
    )


@router.get(
    "/items",
    response=list[HitOut],
    summary="Sök i kunskapsbankens material du får läsa (svensk ordstamning, typ, koppling)",
)
def search(request: HttpRequest, q: str = "", kind: str = "", tag: str = "") -> list[HitOut]:
    hits = knowledge_search(
        viewer=viewer_for(request.user), query=q, filters=Filters(kind=kind, tag=tag)
    )
    return [
        HitOut(
            item=_item_out(h.item),
            title="".join(f.text for f in h.title),
            snippet="".join(f.text for f in h.snippet),
            matched_words=sorted({f.text for f in (*h.title, *h.snippet) if f.hit}),
        )
        for h in hits
    ]


@router.get("/items/{item_id}", response=ItemOut, summary="Ett material i kunskapsbanken")
def item(request: HttpRequest, item_id: int) -> ItemOut:
    try:
        found = selectors.item_get(viewer=viewer_for(request.user), pk=item_id)
    except selectors.NotFoundError as error:
        raise Http404(_("There is no such item in the knowledge bank.")) from error
    return _item_out(found)
