"""Template tags of the knowledge bank: the owner's items due for review (start page)."""

from __future__ import annotations

from django import template

from likvard.access.policy import Viewer
from likvard.knowledge.selectors import items_due_for_review

register = template.Library()


@register.inclusion_tag("knowledge/_reviews_due.html")
def knowledge_reviews_due(viewer: Viewer) -> dict[str, object]:
    """The viewer's own items in the knowledge bank whose review date has come."""
    return {"items": items_due_for_review(viewer=viewer)}
