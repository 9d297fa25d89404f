"""Recording quality dialogues (kvalitetsdialoger) and following up the actions they agreed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction

from likvard.access.policy import QualityAction, Viewer, quality_require
from likvard.organisations.models import Organizer
from likvard.quality.models import (
    ActionStatus,
    FollowUpAction,
    Indicator,
    QualityDialogue,
    SuccessFactor,
)
from likvard.quality.selectors import organizer_regions


@dataclass(frozen=True, slots=True)
class ActionEntry:
    """A follow-up action as entered: what, who (name, and the user if they have one), when."""

    description: str
    owner_name: str
    due_on: dt.date
    owner: AbstractBaseUser | None = None
    status: str = ActionStatus.OPEN


@dataclass(frozen=True, slots=True)
class DialogueEntry:
    """A quality dialogue as entered on the form."""

    held_on: dt.date
    participants: str = ""
    participant_users: Sequence[User] = ()
    indicators: Sequence[Indicator] = ()
    success_factors: Sequence[SuccessFactor] = ()
    development_areas: str = ""
    notes: str = ""


def _require_writer(viewer: Viewer, organizer: Organizer) -> None:
    quality_require(
        viewer,
        QualityAction.WRITE_DIALOGUES,
        organizer=organizer.organisation_number,
        regions=organizer_regions(organizer=organizer),
    )


@transaction.atomic
def dialogue_save(
    *,
    viewer: Viewer,
    by: AbstractBaseUser,
    organizer: Organizer,
    entry: DialogueEntry,
    actions: Sequence[ActionEntry] = (),
    dialogue: QualityDialogue | None = None,
) -> QualityDialogue:
    """Create a dialogue record (or update ``dialogue``) with its follow-up actions.

    The actions given replace the record's earlier actions. Raises ``PermissionDenied`` unless
    the viewer writes the organizer's dialogues (its organizer analysts).
    """
    _require_writer(viewer, organizer)
    if dialogue is not None and dialogue.organizer_id != organizer.pk:
        raise ValueError("the dialogue belongs to another organizer")
    record = dialogue or QualityDialogue(organizer=organizer, created_by_id=by.pk)
    record.held_on = entry.held_on
    record.participants = entry.participants.strip()
    record.development_areas = entry.development_areas.strip()
    record.notes = entry.notes.strip()
    record.full_clean()
    record.save()
    record.participant_users.set(entry.participant_users)
    record.indicators.set(entry.indicators)
    record.success_factors.set(entry.success_factors)
    record.actions.all().delete()
    for action in actions:
        row = FollowUpAction(
            dialogue=record,
            description=action.description.strip(),
            owner_name=action.owner_name.strip(),
            owner_id=action.owner.pk if action.owner else None,
            due_on=action.due_on,
            status=action.status,
        )
        row.full_clean()
        row.save()
    return record


@transaction.atomic
def follow_up_action_set_status(
    *, viewer: Viewer, action: FollowUpAction, status: str
) -> FollowUpAction:
    """Move a follow-up action to ``status``; a done action leaves the start page."""
    _require_writer(viewer, action.dialogue.organizer)
    action.status = status
    action.full_clean()
    action.save(update_fields=["status"])
    return action
