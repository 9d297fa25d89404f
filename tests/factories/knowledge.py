"""Knowledge-bank items for tests: a public item with a file and a network-only item."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from likvard.knowledge.models import Item, ItemFile, ItemKind
from likvard.knowledge.services.search import knowledge_index
from likvard.networks.models import AttachmentKind, Network
from likvard.organisations.models import Region
from tests.factories.networks import PNG_PIXEL

ROUTE_PUBLIC_ITEM = 9301
ROUTE_NETWORK_ITEM = 9302
ROUTE_FILE = 9311


def item_make(
    *,
    region: Region,
    title: str = "Närvaro i skolan",
    visibility: str = "public",
    network: Network | None = None,
    owner: User | None = None,
    review_on: dt.date = dt.date(2030, 1, 1),
    pk: int | None = None,
    summary: str = "Om att följa upp frånvaro tidigt.",
) -> Item:
    """A saved item (written directly: these tests are about access, search and pages)."""
    item = Item.objects.create(
        pk=pk,
        title=title,
        summary=summary,
        kind=ItemKind.METHOD,
        region=region,
        network=network,
        visibility=visibility,
        owner=owner,
        review_on=review_on,
    )
    knowledge_index(item=item)
    return item


def route_matrix_knowledge(region: Region) -> None:
    """A public item with a file and an item for Gymnasienätverket's members (route matrix)."""
    public = item_make(region=region, pk=ROUTE_PUBLIC_ITEM)
    stored = ItemFile(item=public, kind=AttachmentKind.PDF, title="Bildspel", size=9)
    stored.file.save("bildspel.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    stored.preview_image.save("bildspel.png", ContentFile(PNG_PIXEL), save=False)
    stored.pk = ROUTE_FILE
    stored.save()
    item_make(
        region=region,
        pk=ROUTE_NETWORK_ITEM,
        title="Nätverkets bildspel",
        visibility="network",
        network=Network.objects.get(code="gymnasienatverket"),
    )
