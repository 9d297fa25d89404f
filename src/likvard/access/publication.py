"""Publication levels: an administrator can withdraw every released figure of a level at once.

Skolverket withdrew all its statistics below national level overnight in 2020; Likvärd's
equivalent is one setting per level, stored as a log of changes (``PublicationChange``) whose
newest entry per level is in force. ``release()`` consults ``withdrawn_levels()`` for every
viewer without the right to the underlying student-level data, so the setting holds everywhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from likvard.access.models import PublicationChange, PublicationLevel
from likvard.access.policy import Action, Viewer, allowed

logger = logging.getLogger("likvard.audit")


@dataclass(frozen=True, slots=True)
class LevelState:
    """One publication level and whether its figures are withdrawn, with the latest change."""

    level: PublicationLevel
    withdrawn: bool
    change: PublicationChange | None


def withdrawn_levels() -> frozenset[str]:
    """The publication levels (``PublicationLevel`` values) withdrawn right now."""
    return frozenset(s.level.value for s in publication_levels() if s.withdrawn)


def publication_levels() -> list[LevelState]:
    """Every level with its state in force (the newest change per level; published if none)."""
    latest: dict[str, PublicationChange] = {}
    for change in PublicationChange.objects.order_by("-changed_at", "-id"):
        latest.setdefault(change.level, change)
    return [
        LevelState(
            level=level,
            withdrawn=bool(latest.get(level.value) and latest[level.value].withdrawn),
            change=latest.get(level.value),
        )
        for level in PublicationLevel
    ]


def publication_history(*, limit: int = 100) -> list[PublicationChange]:
    """The latest changes of the publication setting, newest first."""
    return list(PublicationChange.objects.select_related("changed_by")[:limit])


def publication_level_set(
    *, viewer: Viewer, level: PublicationLevel, withdrawn: bool, reason: str = ""
) -> PublicationChange | None:
    """Withdraw or republish ``level``; returns the logged change, or None when unchanged.

    Only administrators may change the setting (``PermissionDenied`` otherwise).
    """
    if not allowed(viewer, Action.MANAGE_REFERENCE):
        raise PermissionDenied(Action.MANAGE_REFERENCE.value)
    with transaction.atomic():
        current = {s.level: s.withdrawn for s in publication_levels()}
        if current[level] == withdrawn:
            return None
        change = PublicationChange(
            level=level.value,
            withdrawn=withdrawn,
            reason=reason[:300],
            changed_by_id=viewer.user_id,
            changed_by_name=viewer.username,
        )
        change.full_clean()
        change.save()
    logger.warning(
        "publication level %s %s by %s",
        level.value,
        "withdrawn" if withdrawn else "published again",
        viewer.username,
    )
    return change
