"""The Atom feed of new and revised public items (django.contrib.syndication)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from likvard.knowledge.models import Item
from likvard.knowledge.selectors import public_items


class PublicItemsFeed(Feed):  # type: ignore[type-arg]
    """New and revised public items of the knowledge bank, newest edit first."""

    feed_type = Atom1Feed
    title = "Likvärd – kunskapsbanken"
    subtitle = "Nya och reviderade offentliga material i kunskapsbanken."

    def link(self) -> str:
        return reverse("knowledge:index")

    def items(self) -> list[Item]:
        return public_items()

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.summary

    def item_link(self, item: Item) -> str:
        return reverse("knowledge:item-detail", args=[item.pk])

    def item_pubdate(self, item: Item) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Item) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Item) -> str:
        return item.authors or item.organisation or item.region.name
