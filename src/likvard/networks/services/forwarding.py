"""Forwarding a decision or action item to another network's agenda.

The matter becomes a discussion item in the target network's next planned meeting (the
earliest draft meeting dated today or later); with none planned it waits among the network's
incoming matters (inkommande ärenden) until its secretary creates the next meeting.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from likvard.networks.models import ActionItem, Decision, Forwarding, Network
from likvard.networks.selectors import meeting_next_planned
from likvard.networks.services.meetings import forwarding_place


class ForwardingError(Exception):
    """The matter cannot be forwarded there (its own network, or forwarded there before)."""


def _origin_text(source: Decision | ActionItem) -> str:
    meeting = source.item.meeting
    day = formats.date_format(meeting.held_on, "j F Y") if meeting.held_on else _("undated")
    origin = _("Forwarded from %(network)s, meeting of %(date)s, item %(number)s.") % {
        "network": meeting.network.name,
        "date": day,
        "number": source.item.number,
    }
    if isinstance(source, Decision):
        matter = _("Decision: %(text)s") % {"text": source.text}
    else:
        owner = ", ".join(p for p in (source.owner_name, source.organisation_name) if p)
        matter = _("Action item: %(text)s (%(owner)s)") % {"text": source.text, "owner": owner}
    return f"{origin}\n\n{matter}"


@transaction.atomic
def matter_forward(
    *,
    network: Network,
    by: User,
    decision: Decision | None = None,
    action_item: ActionItem | None = None,
) -> Forwarding:
    """Forward ``decision`` or ``action_item`` (exactly one) to ``network``'s agenda.

    Returns the forwarding, placed on the next planned meeting's agenda when there is one.
    Raises ``ForwardingError`` for the meeting's own network or a second forwarding there.
    """
    source = decision if decision is not None else action_item
    if source is None or (decision is not None and action_item is not None):
        raise ValueError("forward exactly one decision or action item")
    origin = source.item.meeting
    if network.pk == origin.network_id:
        raise ForwardingError(_("Choose another network than the meeting's own."))
    if Forwarding.objects.filter(
        decision=decision, action_item=action_item, network=network
    ).exists():
        raise ForwardingError(
            _("This has already been forwarded to %(network)s.") % {"network": network.name}
        )
    forwarding = Forwarding(
        decision=decision,
        action_item=action_item,
        network=network,
        title=(
            _("%(title)s (from %(network)s)")
            % {"title": source.item.title, "network": origin.network.name}
        )[:300],
        text=_origin_text(source),
        forwarded_by=by,
    )
    forwarding.full_clean()
    forwarding.save()
    meeting = meeting_next_planned(network=network)
    if meeting is not None:
        forwarding_place(forwarding=forwarding, meeting=meeting)
    return forwarding
